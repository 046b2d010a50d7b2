"""The core API: ``check(text, **context) -> Report`` and ``check_many``.

Each check is a module in ``checker.checks`` with ``run(ctx) -> dict | None``: it reads the
parsed draft from the context, emits findings through ``ctx.emit`` and returns its section
of the report (or None).  The CLI, the web app and the batch review only call these two
functions and render the result.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import advice, textprep
from .config import Config
from .errors import InputError
from .kinds import KINDS, parse_kind
from .report import Finding, Fix, Report
from .rules import catalogue
from .rules.phrases import normalise_quotes

# Order matters: later checks may read earlier sections from ``ctx.sections``.
CHECKS = (
    "length",
    "elements",
    "desperation",
    "hostility",
    "politeness",
    "hygiene",
    "frequency",
    "proofread",
)


@dataclass
class Context:
    text: str
    doc: Any
    kind: str
    config: Config
    layout: textprep.Layout
    options: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # Values several checks derive from the same parse (a sentence's features), by key.
    cache: dict[Any, Any] = field(default_factory=dict)

    def emit(
        self,
        rule_id: str,
        start: int,
        end: int,
        message: str | None = None,
        suggestion: str | None = None,
        escalate: str | None = None,
        fix: Fix | None = None,
        **fmt: Any,
    ) -> Finding | None:
        """Add a finding for ``rule_id`` unless the config turns it off.

        ``message`` / ``suggestion`` default to the catalogue's text, formatted with ``fmt``.
        ``escalate`` raises the rule's default severity for this finding (a rule's data says
        when: a high desperation level, a stiff greeting); a severity the user's config sets
        for the rule still wins.  ``fix`` is a machine-applicable fix (``report.Fix``).
        """
        meta = catalogue()[rule_id]
        if not self.config.enabled(rule_id):
            return None
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        finding = Finding(
            rule=rule_id,
            category=meta.category,
            severity=self.config.severity_for(rule_id, escalate or meta.severity),
            message=(message if message is not None else meta.message).format(**fmt),
            start=start,
            end=end,
            suggestion=(suggestion if suggestion is not None else meta.suggestion).format(**fmt),
            fix=fix,
        )
        self.findings.append(finding)
        return finding

    @property
    def body(self) -> tuple[int, int]:
        return self.layout.body

    @functools.cached_property
    def sents(self) -> list:
        """The parsed sentences, listed once (``doc.sents`` rebuilds spans on every call)."""
        return list(self.doc.sents)

    def body_sents(self):
        """Sentences of the parsed draft that overlap the body (not greeting / sign-off)."""
        bs, be = self.layout.body
        return [s for s in self.sents if s.end_char > bs and s.start_char < be]


def for_parser(text: str) -> str:
    """The text the parser sees: curly apostrophes straightened (same length, so every
    offset still points into the original text).  The small English model parses "I'll"
    reliably and "I\u2019ll" much less so."""
    return normalise_quotes(text)


def _checks():
    return [importlib.import_module(f"checker.checks.{name}.check") for name in CHECKS]


def _prepare(text: str) -> tuple[str, dict[str, Any]]:
    """Plain text to analyse plus the ``source`` facts of the report."""
    if not isinstance(text, str):
        raise TypeError(f"check() takes a str, not {type(text).__name__}")
    source: dict[str, Any] = {}
    if textprep.looks_like_html(text) and len(text) <= textprep.max_chars() * 4:
        text = textprep.strip_html(text)
        source = {
            "html": True,
            "note": "HTML markup removed; offsets refer to `text`",
            "text": text,
        }
    return text, source


def _resolve_kind(kind: str | None, text: str) -> str:
    return parse_kind(kind) or textprep.infer_kind(text)


def _unchecked(
    text: str, kind: str | None, why: InputError, source: dict[str, Any], config: Config
) -> Report:
    """A graceful report for a text that cannot be analysed (empty, binary, too long)."""
    ctx = Context(
        text=text,
        doc=None,
        kind=kind if kind in KINDS else "thank_you",
        config=config,
        layout=textprep.Layout(None, (0, len(text)), None, None),
    )
    ctx.emit(why.code, 0, 0, message=why.message)
    return Report(
        text=text, kind=ctx.kind, findings=ctx.findings, notes=[why.message], source=source
    )


def _analyse(
    text: str,
    doc: Any,
    kind: str,
    config: Config,
    options: dict[str, Any],
    source: dict[str, Any],
    checks,
) -> Report:
    ctx = Context(
        text=text, doc=doc, kind=kind, config=config, layout=textprep.layout(text), options=options
    )
    for module in checks:
        section = module.run(ctx)
        if section is not None:
            ctx.sections[module.__name__.split(".")[-2]] = section
    # One verdict, one date, no suggestion a standing finding rules out (checker/advice.py).
    return advice.resolve(
        Report(text=text, kind=kind, findings=ctx.findings, sections=ctx.sections, source=source)
    )


def check(
    text: str, *, kind: str | None = None, config: Config | None = None, **context: Any
) -> Report:
    """Check one draft.  ``context`` carries optional facts such as the contact-log
    options (``to``, ``send_on``, ``channel``, ``db``) used by the frequency check."""
    from .nlp import get_nlp

    config = config or Config()
    text, source = _prepare(text)
    why = textprep.problem(text)
    if why:
        return _unchecked(text, kind, why, source, config)
    kind = _resolve_kind(kind, text)
    return _analyse(text, get_nlp()(for_parser(text)), kind, config, context, source, _checks())


def _groups(items: Iterable[tuple[str, Any]], size: int, chars: int) -> Iterator[list]:
    """Consecutive items in groups of at most ``size`` items and ``chars`` characters (a
    single longer item is a group of its own), in input order."""
    group: list = []
    total = 0
    for item in items:
        n = len(item[0])
        if group and (len(group) >= size or total + n > chars):
            yield group
            group, total = [], 0
        group.append(item)
        total += n
    if group:
        yield group


def _parsed(
    nlp, items: Iterator[tuple[str, Any]], n_process: int, batch_size: int, chars: int
) -> Iterator[tuple[Any, Any]]:
    """``(doc, meta)`` for each ``(text, meta)``, in order, with at most ``chars`` characters
    (or one draft) in the parser at a time."""
    if n_process == 1:
        # One pipe per group: the group is the batch, so it is bounded in characters.
        for group in _groups(items, max(1, batch_size), chars):
            yield from nlp.pipe(group, as_tuples=True, batch_size=len(group))
        return
    # Worker processes parse whole batches of a fixed count: make that count small enough
    # that a batch of drafts at the size limit stays within the budget.
    per_batch = max(1, min(batch_size, chars // max(1, textprep.max_chars())))
    yield from nlp.pipe(items, as_tuples=True, n_process=n_process, batch_size=per_batch)


def check_many(
    texts: Iterable[str | tuple[str, dict[str, Any]]],
    n_process: int = 1,
    *,
    config: Config | None = None,
    batch_size: int = 64,
    batch_chars: int | None = None,
) -> Iterator[Report]:
    """Check many drafts through ``nlp.pipe``; yields reports in input order.

    An item is a text, or ``(text, context)`` where context may hold ``kind`` and the same
    keywords as ``check``.  The parser takes at most ``batch_size`` drafts and
    ``batch_chars`` characters at a time (default ``[parse] batch_chars`` in textprep.toml;
    a longer single draft alone), so memory does not grow with the length of the drafts.
    """
    from .nlp import get_nlp

    config = config or Config()
    checks = _checks()

    def items():
        for item in texts:
            raw, ctx = (item, {}) if isinstance(item, str) else (item[0], dict(item[1] or {}))
            text, source = _prepare(raw)
            why = textprep.problem(text)
            # Uncheckable texts still pass through the pipe (as "") to keep the order.
            yield ("" if why else for_parser(text)), (text, source, why, ctx)

    nlp = get_nlp()
    chars = batch_chars or textprep.batch_chars()
    for doc, (text, source, why, ctx) in _parsed(nlp, items(), n_process, batch_size, chars):
        kind = ctx.pop("kind", None)
        if why:
            yield _unchecked(text, kind, why, source, config)
            continue
        yield _analyse(text, doc, _resolve_kind(kind, text), config, ctx, source, checks)

"""Machine-applicable fixes: the one way the CLI (``check --fix``), the API (``"apply"``) and
the web page ("apply", "apply all") change a draft.

The checks own the fixes: a finding whose fix is certain carries ``fix = Fix(start, end,
replacement)``, offsets into the text the report checked (``proofread`` also gives them to
earlier findings its context settles: a placeholder the contact log fills, text-speak, "!!!";
nothing else derives fixes).  ``apply`` re-checks the text it is given, refuses when that is
not the text the caller's report was made for (``expected_hash``, the report's
``proofread.text_sha256``; or an id the fresh report does not have), applies the named fixes
from the end of the text backwards (so earlier offsets stay valid; a fix overlapping one
already taken is skipped) and checks the new text.  ``fix_all`` applies every fix, then
re-checks and repeats while new fixes appear (at most ``max_passes`` times), as ruff and
eslint do.  The check page's JavaScript (``web/static/app.js``, ``applyFix``) asks the API to
apply a fix and edits the textarea with what it applied; ``utf16`` gives the browser's offsets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import NotFixable, StaleReport
from .report import Fix, Report, finding_ids

MAX_PASSES = 3


def text_hash(text: str) -> str:
    """sha256 (hex) of the checked text: ``proofread.text_sha256`` in a report."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Applied:
    text: str  # the new text
    report: Report  # the report of the new text
    before: Report  # the report the fixes came from (first pass)
    applied: list[dict[str, Any]] = field(default_factory=list)  # id, rule, text, replacement
    skipped: list[str] = field(default_factory=list)  # ids not applied (overlap)

    @property
    def changed(self) -> bool:
        return self.text != self.before.text


def fixable(report: Report) -> list[tuple[str, Any]]:
    """The findings of ``report`` that carry a fix, with their ids, in text order."""
    return [(fid, f) for fid, f in finding_ids(report.findings) if f.fix is not None]


def apply_fixes(text: str, fixes: Iterable[tuple[str, Fix]]) -> tuple[str, list[str], list[str]]:
    """``text`` with the fixes applied; returns it, the ids applied and the ids skipped
    (a fix that overlaps one already taken, or points outside the text)."""
    taken: list[tuple[str, Fix]] = []
    skipped: list[str] = []
    for fid, fix in sorted(fixes, key=lambda p: (p[1].start, p[1].end)):
        bad = not (0 <= fix.start <= fix.end <= len(text))
        overlap = taken and (
            fix.start < taken[-1][1].end or fix.start == fix.end == taken[-1][1].start
        )
        if bad or overlap:
            skipped.append(fid)
            continue
        taken.append((fid, fix))
    out = text
    for _fid, fix in reversed(taken):
        out = out[: fix.start] + fix.replacement + out[fix.end :]
    return out, [fid for fid, _ in taken], skipped


def apply(
    text: str,
    ids: Iterable[str] | None = None,
    *,
    expected_hash: str | None = None,
    kind: str | None = None,
    config=None,
    **context: Any,
) -> Applied:
    """Check ``text``, apply the fixes of the findings ``ids`` (all fixable ones when None)
    and check the result.  Raises ``StaleReport`` when ``expected_hash`` is not the hash of
    the text checked, or an id is not in its report; ``NotFixable`` for a finding without a
    fix."""
    from .api import check

    before = check(text, kind=kind, config=config, **context)
    if expected_hash is not None and expected_hash != text_hash(before.text):
        raise StaleReport(
            "the draft has changed since that report (its hash differs); "
            "check it again and apply the fixes of the new report"
        )
    by_id = dict(finding_ids(before.findings))
    if ids is None:
        wanted = [(fid, f) for fid, f in by_id.items() if f.fix is not None]
    else:
        wanted = []
        for fid in ids:
            if fid not in by_id:
                raise StaleReport(
                    f"no finding {fid!r} in the report of this draft (the draft "
                    "changed since, or the id is wrong); check it again"
                )
            if by_id[fid].fix is None:
                raise NotFixable(f"finding {fid!r} ({by_id[fid].rule}) has no fix to apply")
            wanted.append((fid, by_id[fid]))
    new, applied, skipped = apply_fixes(before.text, [(fid, f.fix) for fid, f in wanted])
    report = check(new, kind=kind, config=config, **context) if applied else before
    return Applied(
        text=new,
        report=report,
        before=before,
        skipped=skipped,
        applied=[_describe(fid, by_id[fid], before.text) for fid in applied],
    )


def fix_all(
    text: str, *, max_passes: int = MAX_PASSES, kind: str | None = None, config=None, **context: Any
) -> Applied:
    """Apply every fix, re-check, and repeat while the new report has fixes (at most
    ``max_passes`` passes); returns the last text and report and every fix applied."""
    result = apply(text, None, kind=kind, config=config, **context)
    first = result.before
    applied = list(result.applied)
    for _ in range(max_passes - 1):
        if not result.applied or not fixable(result.report):
            break
        result = apply(result.text, None, kind=kind, config=config, **context)
        applied += result.applied
    return Applied(
        text=result.text,
        report=result.report,
        before=first,
        applied=applied,
        skipped=result.skipped,
    )


def _describe(fid: str, f, text: str) -> dict[str, Any]:
    return {
        "id": fid,
        "rule": f.rule,
        "start": f.fix.start,
        "end": f.fix.end,
        "text": text[f.fix.start : f.fix.end],
        "replacement": f.fix.replacement,
    }


def utf16(text: str, offset: int) -> int:
    """A character offset as a browser counts it (UTF-16 code units)."""
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)

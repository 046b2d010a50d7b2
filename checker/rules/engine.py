"""The rule engine: a handful of engine types that do the work of most rules, as Vale's
``extends:`` types do.  A rule in a concept's ``rules.toml`` declares

- ``engine``: what kind of test it is,
    - ``existence``: every match of one of its ``patterns`` is a hit;
    - ``occurrence``: its ``patterns`` are counted and hit only when there are at least
      ``min`` matches (or one of its ``strong`` patterns matches);
    - ``repetition``: one of its ``words`` repeated back to back ("really really") is a hit,
      as is any match of its ``patterns``;
    - ``substitution``: one of its ``words`` (a table: word -> what to write instead) is a hit;
    - ``metric``: a measured value against the concept's ``[thresholds]`` (code);
    - ``custom``: a function of the concept's check module that data cannot express;
- ``scope``: where it looks, one of ``SCOPES``;
- optionally ``escalate = {patterns, severity}``: a match of one of these patterns in the
  scope raises the rule's findings to ``severity`` (a user's severity override still wins).

Phrase patterns are case-insensitive regular expressions matched through one phrase engine
(``checker.rules.phrases``: a literal prefilter, compiled on first need).  Adding a rule of
an existing engine type to a concept's ``rules.toml`` needs no Python: the concept's check
runs every rule of the phrase engine types it finds there.
"""

from __future__ import annotations

from typing import Any

from .phrases import fold, overlaps, phrase_set, trim, word_alternation

ENGINES = ("existence", "occurrence", "repetition", "substitution", "metric", "custom")
#: Engines whose rules the engine runs from data alone.
PHRASE_ENGINES = ("existence", "occurrence", "repetition", "substitution")
SCOPES = (
    "text",  # the whole text
    "message",  # everything after the greeting line (a sign-off still counts)
    "body",  # between the greeting and the sign-off
    "greeting",  # the greeting line
    "signoff",  # the closing line and what follows it
    "sentence",  # each body sentence on its own (the concept's code walks them)
    "draft",  # the draft as a whole (measures, the contact log)
)
#: A repetition: one of the words, then the same word again after spaces or commas.
REPEAT_TEMPLATE = r"\b({words})\b(?:[,\s]+\1\b)+"
#: A substitution: the word on its own (not inside a longer word, an address or a path).
WORD_TEMPLATE = r"(?<![\w'’.@/-])({words})(?![\w'’@/]|\.\w)"

Hit = tuple[int, int, dict[str, Any]]


def scope_range(scope: str, text: str, layout) -> tuple[int, int] | None:
    """The character range a scope covers in ``text`` (None: the draft has no such part)."""
    if scope in ("text", "draft"):
        return 0, len(text)
    if scope == "message":
        return (layout.greeting[1] if layout.greeting else 0), len(text)
    if scope in ("body", "sentence"):
        return layout.body
    if scope == "greeting":
        return layout.greeting
    if scope == "signoff":
        return layout.signoff or layout.signature
    raise ValueError(f"unknown scope {scope!r}")


def find(
    meta: dict[str, Any], text: str, lo: int = 0, hi: int | None = None, folded: str | None = None
) -> list[Hit]:
    """The hits of one rule of a phrase engine type in ``text[lo:hi]``: ``(start, end,
    fmt)``, where ``fmt`` holds values for the rule's message (``text``, ``words``, and
    ``expansion`` for a substitution)."""
    hi = len(text) if hi is None else hi
    folded = fold(text) if folded is None else folded
    engine = meta.get("engine", "custom")
    if engine == "existence":
        spans = _existence(meta, text, folded, lo, hi)
        if spans and meta.get("whole_scope"):
            spans = [(lo, hi)]  # one finding for the scope it found a match in
    elif engine == "occurrence":
        spans = _occurrence(meta, text, folded, lo, hi)
    elif engine == "repetition":
        spans = _existence(meta, text, folded, lo, hi) if meta.get("patterns") else []
        rx = word_alternation(tuple(meta["words"]), REPEAT_TEMPLATE)
        spans += [(m.start(), m.end()) for m in rx.finditer(text, lo, hi)]
    elif engine == "substitution":
        return _substitution(meta, text, lo, hi)
    else:
        raise ValueError(f"engine {engine!r} is not a phrase engine")
    return [(s, e, _fmt(text, s, e)) for s, e in spans]


def escalation(meta: dict[str, Any], text: str, lo: int = 0, hi: int | None = None) -> str | None:
    """The severity a rule's ``escalate`` table raises its findings to, when one of its
    ``patterns`` matches in the scope (``[rules."x".escalate] patterns = [...], severity``)."""
    esc = meta.get("escalate")
    if not esc:
        return None
    hi = len(text) if hi is None else hi
    return (
        esc["severity"] if phrase_set(tuple(esc["patterns"])).search(text, None, lo, hi) else None
    )


def _fmt(text: str, s: int, e: int) -> dict[str, Any]:
    words = text[s:e]
    return {"text": words, "words": " ".join(words.replace(",", " ").split())}


def _existence(meta, text, folded, lo, hi) -> list[tuple[int, int]]:
    """Every match, pattern by pattern; ``trim`` (default true) drops edge spaces and
    commas; ``overlap = "first"`` keeps only matches that overlap no earlier one;
    ``whole_scope`` (see ``find``) needs only the first."""
    do_trim = meta.get("trim", True)
    first = meta.get("overlap", "keep") == "first"
    out: list[tuple[int, int]] = []
    whole = meta.get("whole_scope", False)
    for m in phrase_set(tuple(meta["patterns"])).finditer(text, folded, lo, hi):
        span = trim(text, m.start(), m.end()) if do_trim else (m.start(), m.end())
        if first and any(overlaps(span, s) for s in out):
            continue
        out.append(span)
        if whole:
            break
    return out


def _occurrence(meta, text, folded, lo, hi) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in phrase_set(tuple(meta["patterns"])).finditer(text, folded, lo, hi):
        span = trim(text, m.start(), m.end())
        if not any(overlaps(span, s) for s in spans):
            spans.append(span)
    strong = bool(meta.get("strong")) and phrase_set(tuple(meta["strong"])).search(
        text, folded, lo, hi
    )
    if len(spans) >= meta.get("min", 1) or (spans and strong):
        return sorted(spans)
    return []


def _substitution(meta, text, lo, hi) -> list[Hit]:
    words = meta["words"]
    lower_only = set(meta.get("lowercase_only", ()))
    out = []
    for m in word_alternation(tuple(words), WORD_TEMPLATE).finditer(text, lo, hi):
        word = m.group(1)
        key = word.lower()
        if key in lower_only and word != key:
            continue
        out.append((m.start(), m.end(), {"text": word, "expansion": words[key]}))
    return out


def phrase_rules(rules: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The rules of a concept that the engine runs from data alone, in file order."""
    return [
        (rid, meta) for rid, meta in rules.items() if meta.get("engine", "custom") in PHRASE_ENGINES
    ]

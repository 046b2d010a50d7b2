"""Shared helpers for checks: compiled regular expressions from rule data, span utilities."""
from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=None)
def compile_all(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@functools.lru_cache(maxsize=None)
def any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive regex that matches where any of ``patterns`` would: a cheap test
    before running the patterns one by one (most drafts match none of a rule's phrases)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def word_alternation(words: tuple[str, ...], template: str) -> re.Pattern[str]:
    """``template`` with ``{words}`` replaced by the escaped words, longest first, compiled
    once (case-insensitive)."""
    alternation = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(template.replace("{words}", alternation), re.IGNORECASE)


def normalise_quotes(text: str) -> str:
    """Curly apostrophes to straight ones; same length, so offsets are unchanged."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it does not start or end with whitespace or a comma."""
    while start < end and (text[start].isspace() or text[start] in ",;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# -- literal prefilter -------------------------------------------------------------------
# Most drafts contain none of a rule's phrases, and Python's ``re`` tries every alternative
# at every position.  Each phrase pattern is parsed once for a literal it cannot match
# without ("need " in "\bi (?:really )*need this\b"); a substring test on the case-folded
# text then skips patterns that cannot match.  The test is a necessary condition, so the
# matches are exactly those of running every pattern.

try:  # Python 3.11+
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# The only non-ASCII characters that IGNORECASE matches to ASCII letters (re docs).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_ZERO_WIDTH = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT}
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT} | (
    {_sre.POSSESSIVE_REPEAT} if hasattr(_sre, "POSSESSIVE_REPEAT") else set())


def fold(text: str) -> str:
    """Lower-case text in which every case-insensitive match of an ASCII literal shows as
    that literal in lower case."""
    return text.translate(_FOLD).lower()


def _required(items) -> frozenset[str] | None:
    """A set of lower-case strings one of which every match of the parsed sequence
    ``items`` contains, or None when no such literal is known."""
    cands: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            cands.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is _sre.LITERAL and chr(av).isascii():
            run.append(chr(av).lower())
        elif op in _ZERO_WIDTH:
            continue          # consumes nothing: the literal run goes on
        elif op is _sre.SUBPATTERN:
            flush()
            sub = _required(av[-1])
            if sub:
                cands.append(sub)
        elif op is _sre.BRANCH:
            flush()
            alts = [_required(b) for b in av[1]]
            if alts and all(alts):
                cands.append(frozenset().union(*alts))
        elif op in _REPEATS:
            flush()
            low, _, sub = av
            if low >= 1:
                got = _required(sub)
                if got:
                    cands.append(got)
        else:
            flush()
    flush()
    if not cands:
        return None
    # The most selective requirement: the one whose shortest string is longest.
    return max(cands, key=lambda s: (min(map(len, s)), -len(s)))


def required_literals(pattern: str) -> frozenset[str] | None:
    try:
        return _required(_sre_parse.parse(pattern, re.IGNORECASE))
    except Exception:  # an unusual construct: no prefilter, the pattern always runs
        return None


class PhraseSet:
    """Compiled case-insensitive patterns, each with its literal prefilter."""

    def __init__(self, patterns: tuple[str, ...]):
        self.items = [(rx, required_literals(p)) for rx, p in zip(compile_all(patterns), patterns)]

    def finditer(self, text: str, folded: str, lo: int = 0, hi: int | None = None):
        """Every match of every pattern, pattern by pattern, in ``text[lo:hi]``;
        ``folded`` is ``fold(text)``."""
        hi = len(text) if hi is None else hi
        for rx, need in self.items:
            if need is None or any(s in folded for s in need):
                yield from rx.finditer(text, lo, hi)

    def search(self, text: str, folded: str, lo: int = 0, hi: int | None = None) -> bool:
        hi = len(text) if hi is None else hi
        return any((need is None or any(s in folded for s in need)) and rx.search(text, lo, hi)
                   for rx, need in self.items)


@functools.lru_cache(maxsize=None)
def phrase_set(patterns: tuple[str, ...]) -> PhraseSet:
    return PhraseSet(patterns)

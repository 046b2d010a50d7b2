"""Shared helpers for checks: compiled regular expressions from rule data, span utilities."""

from __future__ import annotations

import functools
import re


@functools.cache
def compile_all(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@functools.cache
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
# at every position.  Each phrase pattern is scanned once for a literal it cannot match
# without ("need " in r"\bi (?:really )*need this\b"); a substring test on the case-folded
# text skips patterns that cannot match, and a pattern is compiled only the first time its
# literal shows up (compiling all ~250 rule patterns would cost a cold start ~0.15 s).  The
# test is a necessary condition, so the matches are exactly those of running every pattern.

# The only non-ASCII characters that IGNORECASE matches to ASCII letters (re docs).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_QUANTIFIERS = "?*+{"
_BOUND = re.compile(r"\{\d*(?:,\d*)?\}")
_LITERAL_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 '\",;:!&%@#/<>=_~`-")
# A run of the characters whose lower case is in _LITERAL_OK (the Kelvin sign is "k").
_LITERAL_RUN = re.compile("[" + re.escape("".join(sorted(_LITERAL_OK))) + "A-Z\u212a]+")


def fold(text: str) -> str:
    """Lower-case text in which every case-insensitive match of an ASCII literal shows as
    that literal in lower case."""
    return text.translate(_FOLD).lower()


_STRUCTURE = re.compile(r"\\.|[\[()|]", re.DOTALL)


def _scan(pattern: str, i: int = 0):
    """The group parentheses and the "|" of ``pattern`` from ``i`` that are not escaped and not
    inside a character class, as ``(index, char, depth)``: the group depth after an opening
    "(" and before a closing ")" is applied.  (The characters between them are skipped by
    one regex search: they change no depth and cut nothing.)"""
    depth, search = 0, _STRUCTURE.search
    while (m := search(pattern, i)) is not None:
        j = m.start()
        ch = pattern[j]
        if ch == "\\":
            i = m.end()
            continue
        if ch == "[":
            i = _class_end(pattern, j)
            continue
        depth += (ch == "(") - (ch == ")")
        yield j, ch, depth
        i = j + 1


def _group_end(pattern: str, i: int) -> int:
    """Index just past the group opening at ``pattern[i] == "("`` (-1 if unbalanced)."""
    for j, ch, depth in _scan(pattern, i):
        if ch == ")" and depth == 0:
            return j + 1
    return -1


def _class_end(pattern: str, i: int) -> int:
    """Index just past the character class opening at ``pattern[i] == "["``."""
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _split_top(pattern: str) -> list[str]:
    """``pattern`` cut at its top-level "|" (not inside a group or a class, not escaped)."""
    cuts = [j for j, ch, depth in _scan(pattern) if ch == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)])]


def _any_of(branches: list[str]) -> frozenset[str] | None:
    """Literals one of which every match of any branch contains: the union of each
    branch's requirement, or None when a branch has none."""
    out: set[str] = set()
    for branch in branches:
        need = required_literals(branch)
        if need is None:
            return None
        out |= need
    return frozenset(out)


def required_literals(pattern: str) -> frozenset[str] | None:
    """A set of lower-case strings one of which every match of ``pattern`` contains, or
    None when none is known.  A deliberately simple scan: runs of plain characters, and
    non-capturing groups whose every alternative has a requirement ("(?:beg|plead)",
    "(?:biased|discriminat\\w*)"); a top-level "|" takes the union of its branches'
    requirements; a quantifier drops what it applies to; lookarounds never count; an inline
    flag gives up."""
    branches = _split_top(pattern)
    if len(branches) > 1:
        return _any_of(branches)
    cands: list[frozenset[str]] = []
    run: list[str] = []
    i, n = 0, len(pattern)

    def flush() -> None:
        if run:
            cands.append(frozenset({"".join(run)}))
            run.clear()

    while i < n:
        ch = pattern[i]
        quantified = False
        if ch == "\\":
            flush()
            i += 2
            continue
        if ch == "[":
            flush()
            i = _class_end(pattern, i)
            continue
        if ch == "(":
            flush()
            end = _group_end(pattern, i)
            if end < 0:
                return None
            body = pattern[i + 1 : end - 1]
            if body.startswith("?") and not body.startswith(("?:", "?=", "?!", "?<=", "?<!")):
                return None  # inline flags (verbose mode...) or named groups: no guess
            quantified = end < n and pattern[end] in _QUANTIFIERS
            if body.startswith("?:") and not quantified:
                alts = _split_top(body[2:])
                if all(a and all(c.lower() in _LITERAL_OK for c in a) for a in alts):
                    cands.append(frozenset(a.lower() for a in alts))
                else:
                    need = _any_of(alts) if all(alts) else None
                    if need is not None:
                        cands.append(need)
            i = end
            continue
        if ch in _QUANTIFIERS:
            bound = _BOUND.match(pattern, i) if ch == "{" else None
            if ch != "{" or bound:
                if run:
                    run.pop()  # the character before it may be absent or repeated
                if bound:
                    i = bound.end() - 1
            flush()  # a "{" that is no quantifier is a literal we do not count
        elif ch.lower() in _LITERAL_OK:
            # The whole run at once: only a quantifier after it ends it differently.
            m = _LITERAL_RUN.match(pattern, i)
            end = m.end() if m else i + 1
            run.extend(pattern[i:end].lower())
            i = end
            continue
        else:  # ".", "^", "$", ")" or a non-ASCII character
            flush()
        i += 1
    flush()
    if not cands:
        return None
    # The most selective requirement: the one whose shortest string is longest.
    return max(cands, key=lambda c: (min(map(len, c)), -len(c)))


class PhraseSet:
    """Case-insensitive patterns, each with its literal prefilter, compiled on first need."""

    def __init__(self, patterns: tuple[str, ...]):
        self.patterns = patterns
        self.needs = [required_literals(p) for p in patterns]
        self.compiled: list[re.Pattern[str] | None] = [None] * len(patterns)
        # One literal as a plain string (one substring test), several as a tuple.
        self._tests = [
            None if need is None else next(iter(need)) if len(need) == 1 else tuple(need)
            for need in self.needs
        ]

    def may_match(self, folded: str, among: list[int] | None = None) -> list[int]:
        """Indices of the patterns (of ``among``, default all) whose required literal is in
        ``folded``.  The candidates of a whole draft bound those of each of its sentences."""
        out = []
        tests = self._tests
        for k in range(len(tests)) if among is None else among:
            need = tests[k]
            if need is None or (
                need in folded if need.__class__ is str else any(s in folded for s in need)
            ):
                out.append(k)
        return out

    def _compiled(self, k: int) -> re.Pattern[str]:
        rx = self.compiled[k]
        if rx is None:
            rx = self.compiled[k] = re.compile(self.patterns[k], re.IGNORECASE)
        return rx

    def _candidates(self, folded: str, among: list[int] | None = None):
        for k in self.may_match(folded, among):
            yield self._compiled(k)

    def finditer(self, text: str, folded: str, lo: int = 0, hi: int | None = None):
        """Every match of every pattern, pattern by pattern, in ``text[lo:hi]``;
        ``folded`` is ``fold(text)``."""
        hi = len(text) if hi is None else hi
        for rx in self._candidates(folded):
            yield from rx.finditer(text, lo, hi)

    def search(
        self,
        text: str,
        folded: str | None = None,
        lo: int = 0,
        hi: int | None = None,
        among: list[int] | None = None,
    ) -> bool:
        """Whether any pattern (of ``among``, default all) matches; ``folded`` defaults to
        ``fold(text)``."""
        hi = len(text) if hi is None else hi
        folded = fold(text) if folded is None else folded
        return any(rx.search(text, lo, hi) for rx in self._candidates(folded, among))

    def which(self, text: str, folded: str | None = None) -> list[int]:
        """Indices of the patterns that match somewhere in ``text``."""
        folded = fold(text) if folded is None else folded
        return [k for k in self.may_match(folded) if self._compiled(k).search(text)]


@functools.cache
def phrase_set(patterns: tuple[str, ...]) -> PhraseSet:
    return PhraseSet(patterns)

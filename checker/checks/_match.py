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

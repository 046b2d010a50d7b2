"""The spelling library and its dictionary, loaded lazily and in two steps.

pyspellchecker (MIT, pure Python, maintained) ranks corrections: the known words one edit
away, then two, by frequency.  Its own English list is American-only and flags many correct
words (docs/spelling.md), so it is given our dictionary instead: every form of the Hunspell
en_US and en_GB dictionaries, lower-cased, counted by SymSpell's frequency list (built by
``tools/build_spelling_words.py``).

Looking a word up must cost a cold ``followup check`` next to nothing, so acceptance does not
wait for the library:

1. ``get_speller()`` (first spelling check) reads ``words.txt`` as bytes: the 20,000 most
   frequent words become a set (most words of a draft), the accented forms ("café") and the
   US-only and UK-only spellings small sets; every plain form (and every ranked word) stays a
   sorted block of lines that is binary-searched.  A few milliseconds.
2. ``Speller.correct`` (first word that needs a suggestion) builds the library with all
   284,185 plain forms and the counts of ``common.txt.gz`` (about 0.25 s, inside
   ``startup.bulk_load``).

Both steps run once per process, under a lock.
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass
from importlib import resources

COMMON_FILE = "common.txt.gz"
WORDS_FILE = "words.txt"

_speller = None
_lock = threading.Lock()


@dataclass(frozen=True)
class Correction:
    word: str  # the best candidate (lower case)
    confident: bool  # certain enough to apply as a fix


def _read(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()


class Speller:
    #: A swap of two letters is preferred unless another candidate is this many times as
    #: frequent; no fix is certain for a word shorter than ``min_fix_length``.
    swap_weight = 10
    min_fix_length = 4

    def __init__(self, words: bytes, counts=None) -> None:
        # Blocks of words.txt (tools/build_spelling_words.py): sorted plain forms, sorted
        # ranked words, the most frequent words, accented forms, US-only, UK-only.
        plain, ranked, top, other, us, uk = words.split(b"\n\n")
        self._sorted = plain + b"\n"  # b"word\n..." sorted: binary-searched
        self._ranked = ranked + b"\n"
        self.top = self._top = frozenset(top.decode("ascii").split())
        self._other = frozenset(other.decode("utf-8").split())
        self.us = frozenset(us.decode("utf-8").split())
        self.uk = frozenset(uk.decode("utf-8").split())
        self._read_counts = counts or (lambda: gzip.decompress(_read(COMMON_FILE)).decode("utf-8"))
        self._sp = None
        self._counts: dict[str, int] | None = None
        self._sp_lock = threading.Lock()
        self._cache: dict[tuple[str, float, int], Correction | None] = {}

    # ---- acceptance (no library needed) -------------------------------------------------

    def known(self, word: str) -> bool:
        w = word.lower()
        return w in self._top or w in self._other or _in_sorted(self._sorted, w)

    def count(self, word: str) -> int:
        """The word's frequency count (1 for a form the list does not rank, 0 unknown); it
        builds the library's table, so call it for suggestions only."""
        self._library()
        return self._counts.get(word.lower(), 0)

    def common(self, word: str) -> bool:
        """A word SymSpell's frequency list ranks (not a rare form, name or acronym)."""
        w = word.lower()
        return w in self._top or _in_sorted(self._ranked, w)

    def variant(self, word: str) -> str | None:
        """ "us" / "uk" for a spelling only one variety uses, else None."""
        w = word.lower()
        return "us" if w in self.us else "uk" if w in self.uk else None

    # ---- suggestions (the library) ------------------------------------------------------

    def _library(self):
        if self._sp is None:
            with self._sp_lock:
                if self._sp is None:
                    from spellchecker import SpellChecker

                    from ...startup import bulk_load

                    with bulk_load():
                        counts = dict.fromkeys(self._sorted.decode("ascii").split(), 1)
                        pairs = self._read_counts().split("\n\n", 1)[1].split()
                        counts.update(zip(pairs[::2], map(int, pairs[1::2])))
                        # The library gets the plain a-z words only: it generates its edits
                        # from every letter its dictionary holds, and accented forms would
                        # make four times as many.  The words are lower-cased already
                        # (case_sensitive=True: the library need not lower them again).
                        sp = SpellChecker(language=None, distance=1, case_sensitive=True)
                        sp.word_frequency.load_json(counts)
                        self._counts = sp.word_frequency.dictionary
                        self._sp = sp
        return self._sp

    def correct(self, word: str, min_ratio: float, max_len2: int) -> Correction | None:
        """The most frequent known word one edit away (two for short words; a swap of two
        letters first), and whether it is certain: the only candidate, or ``min_ratio``
        times as frequent as the next."""
        key = (word.lower(), min_ratio, max_len2)
        if key not in self._cache:
            self._cache[key] = self._correct(key[0], min_ratio, max_len2)
        return self._cache[key]

    def _correct(self, w: str, min_ratio: float, max_len2: int) -> Correction | None:
        sp = self._library()
        count = self._counts
        # The library generates the edits; looking them up in its dictionary directly is
        # many times faster than ``known()``, which re-normalises every candidate.
        edits1 = sp.edit_distance_1(w)
        found = {c for c in edits1 if c in count}
        distance = 1
        if not found and len(w) <= max_len2:
            found = {c for e in edits1 for c in sp.edit_distance_1(e) if c in count}
            distance = 2
        if not found:
            return None
        # Words the frequency list ranks (count > 1) before the rest of the dictionary (rare
        # forms, lower-cased names and acronyms: "hts", "lpn").
        ranked = {c for c in found if count[c] > 1}
        pool = sorted(ranked or found, key=lambda c: (-count[c], c))
        best = pool[0]
        # Two letters swapped is the commonest slip: "gald" is "glad" before the more
        # frequent "gold", unless the other candidate is far more frequent.
        swaps = [c for c in pool if _transposed(w, c)]
        if swaps:
            rest = [count[c] for c in pool if c not in swaps]
            if count[swaps[0]] * self.swap_weight >= max(rest, default=0):
                best = swaps[0]
                return Correction(
                    best, len(swaps) == 1 and count[best] > 1 and len(w) >= self.min_fix_length
                )
        second = count[pool[1]] if len(pool) > 1 else 0
        # Certain only for a slip fingers make: a letter dropped, doubled or swapped, a key
        # next to the right one, a vowel for a vowel ("lookbook" is not a slip for
        # "cookbook", nor "casitas" for "caritas").
        confident = (
            count[best] > 1
            and len(w) >= self.min_fix_length
            and slip(w, best)
            and (
                len(pool) == 1
                and (distance == 1 or len(w) >= 5)
                or count[best] >= min_ratio * max(1, second)
            )
        )
        return Correction(best, confident)


def _in_sorted(data: bytes, w: str) -> bool:
    """Whether ``w`` is a line of ``data`` (sorted lines, each ending in a newline)."""
    try:
        key = w.encode("ascii")
    except UnicodeEncodeError:
        return False
    lo, hi = 0, len(data)  # both always at the start of a line
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", 0, mid) + 1
        end = data.find(b"\n", start)
        line = data[start:end]
        if line == key:
            return True
        if line < key:
            lo = end + 1
        else:
            hi = start
    return False


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY = {ch: (r, i) for r, row in enumerate(_ROWS) for i, ch in enumerate(row)}
_VOWELS = set("aeiouy")


def _adjacent(a: str, b: str) -> bool:
    """Keys next to each other on a QWERTY keyboard."""
    if a not in _KEY or b not in _KEY or a == b:
        return False
    (ra, ia), (rb, ib) = _KEY[a], _KEY[b]
    # Rows are staggered: a key touches its row neighbours and up to three keys in the rows
    # above and below.
    return abs(ra - rb) <= 1 and abs(ia - ib) <= 1


def slip(typo: str, word: str) -> bool:
    """Whether ``typo`` is ``word`` with one slip of the fingers (or two, each a slip)."""
    if _transposed(typo, word):
        return True
    if len(typo) == len(word):
        diff = [i for i in range(len(word)) if typo[i] != word[i]]
        return bool(diff) and all(
            _adjacent(typo[i], word[i]) or (typo[i] in _VOWELS and word[i] in _VOWELS) for i in diff
        )
    if len(typo) == len(word) - 1:  # a letter dropped
        return any(typo == word[:i] + word[i + 1 :] for i in range(len(word)))
    if len(typo) == len(word) + 1:  # a letter doubled or a key brushed
        for i in range(len(typo)):
            if typo[:i] + typo[i + 1 :] == word:
                extra = typo[i]
                near = [typo[j] for j in (i - 1, i + 1) if 0 <= j < len(typo)]
                if any(extra == n or _adjacent(extra, n) for n in near):
                    return True
        return False
    return False


def _transposed(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def loaded() -> bool:
    return _speller is not None


def get_speller() -> Speller:
    """The process's speller, reading the dictionary once (thread-safe)."""
    global _speller
    if _speller is None:
        with _lock:
            if _speller is None:
                _speller = Speller(_read(WORDS_FILE))
    return _speller

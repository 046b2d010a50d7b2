"""The spelling library, loaded once, lazily: pyspellchecker with a compact dictionary.

pyspellchecker (MIT, pure Python, maintained) looks words up and ranks corrections (one
edit away, then two, by frequency).  Its own English list is American-only and flags many
correct words (docs/spelling.md), so it is given ``words.txt.gz`` instead: every form of
the Hunspell en_US and en_GB dictionaries, lower-cased, counted by SymSpell's frequency list,
plus SCOWL's US-only and UK-only spellings (built by ``tools/build_spelling_words.py``).

The file is read on the first spelling check (not at import), under a lock, inside
``checker.startup.bulk_load`` (about 0.2 s): ``followup rules`` and a config that turns the
rule off never pay for it.
"""
from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass

from importlib import resources

WORDS_FILE = "words.txt.gz"

_speller = None
_lock = threading.Lock()


@dataclass(frozen=True)
class Correction:
    word: str          # the best candidate (lower case)
    confident: bool    # certain enough to apply as a fix


def parse(text: str) -> tuple[dict[str, int], list[str], list[str], list[str]]:
    """The blocks of ``words.txt.gz`` (see ``tools/build_spelling_words.py``): counts of the
    plain a-z words, the other words, the US-only and the UK-only spellings."""
    _about, ranked, rest, other, us, uk = text.split("\n\n")
    words = dict.fromkeys(rest.split("\n"), 1)
    pairs = ranked.split()
    words.update(zip(pairs[::2], map(int, pairs[1::2])))
    return words, other.split("\n"), us.split(), uk.split()


class Speller:
    def __init__(self, words: dict[str, int], other: list[str], us: list[str],
                 uk: list[str]) -> None:
        from spellchecker import SpellChecker

        # The library gets the plain a-z words (with apostrophes): it generates its edits
        # from every letter its dictionary holds, and the few words with accents, Greek
        # letters or symbols would make four times as many.  Those (``other``) are only
        # accepted ("café"), never suggested.  The words are lower-cased already and every
        # lookup lower-cases its word, so the library need not do it again
        # (case_sensitive=True).
        self._other = frozenset(other)
        self._sp = SpellChecker(language=None, distance=1, case_sensitive=True)
        self._sp.word_frequency.load_json(words)
        self._words = self._sp.word_frequency.dictionary
        self.us = frozenset(us)
        self.uk = frozenset(uk)
        self._cache: dict[tuple[str, float, int], Correction | None] = {}
        #: A swap of two letters is preferred unless another candidate is this many times
        #: as frequent; no fix is certain for a word shorter than ``min_fix_length``.
        self.swap_weight = 10
        self.min_fix_length = 4

    def known(self, word: str) -> bool:
        w = word.lower()
        return w in self._words or w in self._other

    def count(self, word: str) -> int:
        return self._words.get(word.lower(), 0)

    def variant(self, word: str) -> str | None:
        """"us" / "uk" for a spelling only one variety uses, else None."""
        w = word.lower()
        return "us" if w in self.us else "uk" if w in self.uk else None

    def correct(self, word: str, min_ratio: float, max_len2: int) -> Correction | None:
        """The most frequent known word one edit away (two for short words; a swap of two
        letters first), and whether it is certain: the only candidate, or ``min_ratio``
        times as frequent as the next."""
        key = (word.lower(), min_ratio, max_len2)
        if key not in self._cache:
            self._cache[key] = self._correct(key[0], min_ratio, max_len2)
        return self._cache[key]

    def _correct(self, w: str, min_ratio: float, max_len2: int) -> Correction | None:
        sp, words = self._sp, self._words
        # The library generates the edits; looking them up in its dictionary directly is
        # many times faster than ``known()``, which re-normalises every candidate.
        edits1 = sp.edit_distance_1(w)
        found = {c for c in edits1 if c in words}
        distance = 1
        if not found and len(w) <= max_len2:
            found = {c for e in edits1 for c in sp.edit_distance_1(e) if c in words}
            distance = 2
        if not found:
            return None
        count = self._words
        # Words the frequency list ranks (count > 1) before the rest of the dictionary (rare
        # forms, lower-cased names and acronyms: "hts", "lpn").
        common = {c for c in found if count[c] > 1}
        pool = sorted(common or found, key=lambda c: (-count[c], c))
        best = pool[0]
        # Two letters swapped is the commonest slip: "gald" is "glad" before the more
        # frequent "gold", unless the other candidate is far more frequent.
        swaps = [c for c in pool if _transposed(w, c)]
        if swaps:
            rest = [count[c] for c in pool if c not in swaps]
            if count[swaps[0]] * self.swap_weight >= max(rest, default=0):
                best = swaps[0]
                return Correction(best, len(swaps) == 1 and count[best] > 1
                                  and len(w) >= self.min_fix_length)
        second = count[pool[1]] if len(pool) > 1 else 0
        confident = (count[best] > 1 and len(w) >= self.min_fix_length
                     and (len(pool) == 1 and (distance == 1 or len(w) >= 5)
                          or count[best] >= min_ratio * max(1, second)))
        return Correction(best, confident)


def _transposed(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]


def loaded() -> bool:
    return _speller is not None


def get_speller() -> Speller:
    """The process's speller, loading the dictionary once (thread-safe)."""
    global _speller
    if _speller is None:
        with _lock:
            if _speller is None:
                from ...startup import bulk_load

                raw = resources.files(__package__).joinpath(WORDS_FILE).read_bytes()
                with bulk_load():
                    _speller = Speller(*parse(gzip.decompress(raw).decode("utf-8")))
    return _speller

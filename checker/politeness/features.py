"""Named features of a request: word n-grams, character n-grams and politeness strategies.

``raw_features(sents, config)`` counts features over a list of sentence spans;
``Vectorizer.transform`` turns the counts into the weighted, per-block L2-normalised TF-IDF
values the linear model multiplies with its weights.  Pure Python: the same code runs in
training (``models/politeness``) and in the check, so the two give identical scores.

Feature names carry their block as a prefix: ``w:could you`` (word n-gram, ``<s>`` marks a
sentence start), ``c: cou`` (character n-gram inside a word padded with spaces), ``p:could you VERB``
(pattern n-gram: function and politeness words kept, other words replaced by their part of
speech), ``s:please`` (strategy present; ``s:form_*`` for care in writing).
"""
from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, field

from .strategies import Lexicon, Match, lexicon, norm, sentence_strategies

DEFAULT_CONFIG = {
    "word_ngrams": [1, 2],
    "char_ngrams": [2, 5],
    "pattern_ngrams": [1, 3],
    "form": True,
    "strategies": True,
}


CLOSED_POS = frozenset({"PRON", "DET", "ADP", "AUX", "CCONJ", "SCONJ", "PART", "INTJ", "PUNCT"})
KEEP_TAGS = frozenset({"MD", "WDT", "WP", "WP$", "WRB", "UH"})


def _pattern(tok, words: frozenset) -> str:
    """The token in a topic-free pattern: function words and politeness-lexicon words stay,
    other words become their coarse part of speech (so "Could you fix the NOUN ?")."""
    t = norm(tok)
    if tok.pos_ in CLOSED_POS or tok.tag_ in KEEP_TAGS or t in words:
        return t
    return tok.pos_ or "X"


def _tok_text(tok) -> str:
    t = norm(tok)
    return "<num>" if tok.like_num else t


@functools.lru_cache(maxsize=65536)
def char_grams(word: str, lo: int, hi: int) -> tuple[str, ...]:
    """``c:`` feature names of the character n-grams of a space-padded word (cached: the
    same words recur in every draft)."""
    padded = f" {word} "
    return tuple("c:" + padded[k:k + n] for n in range(lo, hi + 1)
                 for k in range(0, len(padded) - n + 1))


def sentence_tokens(sent) -> list:
    return [t for t in sent if not t.is_space]


@dataclass
class Extracted:
    """Counts of named features plus where they came from (for explanations)."""
    counts: dict[str, float]
    tokens: list = field(default_factory=list)          # all tokens, in order
    strategies: list[Match] = field(default_factory=list)
    # (feature, start_char, end_char) for every occurrence of every feature except the
    # character n-grams, which are told per word: word -> its token spans, and the n-gram range
    occurrences: list[tuple[str, int, int]] = field(default_factory=list)
    word_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    char_range: tuple[int, int] = (0, -1)


def _ngrams(prefix: str, items: list[str], lo: int, hi: int, starts: list[int],
            ends: list[int], counts: Counter, occ: list | None) -> None:
    """Count the ``lo``..``hi``-grams of ``items`` (``items[0]`` is the ``<s>`` marker, which
    only opens n-grams of two or more); ``starts`` / ``ends`` are the character offsets of
    ``items[1:]``."""
    for n in range(lo, hi + 1):
        k0 = 0 if n > 1 else 1
        names = [prefix + " ".join(items[k:k + n]) for k in range(k0, len(items) - n + 1)]
        counts.update(names)
        if occ is not None:
            occ.extend(zip(names, [starts[k - 1] if k else starts[0]
                                   for k in range(k0, len(items) - n + 1)],
                           ends[k0 + n - 2:len(items) - 1]))


def extract(sents, config: dict | None = None, lex: Lexicon | None = None,
            spans: bool = False) -> Extracted:
    config = config or DEFAULT_CONFIG
    lex = lex or lexicon()
    # Counter.update counts a list of names in C; insertion order (and so the order of every
    # later sum) is the order the features are first seen, as with a plain dict.
    counts: Counter = Counter()
    occ: list[tuple[str, int, int]] | None = [] if spans else None
    w_lo, w_hi = config["word_ngrams"]
    c_lo, c_hi = config["char_ngrams"] if config.get("char_ngrams") else (0, -1)
    p_lo, p_hi = config["pattern_ngrams"] if config.get("pattern_ngrams") else (0, -1)
    keep = lex.words if p_hi >= p_lo > 0 else frozenset()
    all_toks: list = []
    found: list[Match] = []
    word_count: dict[str, int] = {}
    word_spans: dict[str, list[tuple[int, int]]] = {}

    for sent in sents:
        toks = sentence_tokens(sent)
        if not toks:
            continue
        all_toks.extend(toks)
        texts = [t.text for t in toks]
        starts = [t.idx for t in toks]
        ends = [a + len(x) for a, x in zip(starts, texts)]
        words = ["<s>"] + [_tok_text(t) for t in toks]
        _ngrams("w:", words, w_lo, w_hi, starts, ends, counts, occ)
        if p_hi >= p_lo > 0:
            pats = ["<s>"] + [_pattern(t, keep) for t in toks]
            _ngrams("p:", pats, p_lo, p_hi, starts, ends, counts, occ)
        if c_hi >= c_lo > 0:
            # Character n-grams are counted once per word type below, times its frequency.
            for k, w in enumerate(words[1:]):
                word_count[w] = word_count.get(w, 0) + 1
                if spans:
                    word_spans.setdefault(w, []).append((starts[k], ends[k]))
        if config.get("form"):
            # Care in writing: lower-case "i" / sentence start, no final punctuation,
            # shouting, doubled "??" / "!!".
            words_only = [t for t in toks if t.is_alpha]
            if "i" in texts:
                counts["s:form_lower_i"] = 1.0
            if words_only and words_only[0].text[:1].islower() and words_only[0].i == toks[0].i:
                counts["s:form_lower_start"] = 1.0
            if not toks[-1].is_punct:
                counts["s:form_no_end_punct"] = 1.0
            if any(len(t.text) >= 3 and t.text.isupper() for t in words_only):
                counts["s:form_caps"] = 1.0
            if any(x.count("?") + x.count("!") >= 2 for x in texts):
                counts["s:form_multi_punct"] = 1.0
        if config.get("strategies", True):
            matched = sentence_strategies(sent, lex)
            found.extend(matched)
            for m in matched:
                name = "s:" + m.name
                if occ is not None:
                    occ.append((name, m.start, m.end))
                counts[name] = 1.0
    for w, m in word_count.items():
        grams = char_grams(w, c_lo, c_hi)
        for _ in range(m):
            counts.update(grams)
    return Extracted(dict(counts), all_toks, found, occ or [], word_spans, (c_lo, c_hi))


def raw_features(sents, config: dict | None = None) -> dict[str, float]:
    return extract(sents, config).counts


def block_of(name: str) -> str:
    return name[0]


@dataclass
class Vectorizer:
    """Per-block TF-IDF with sublinear tf and L2 norm, times a block weight.

    ``idf`` holds the vocabulary; features outside it are ignored.  Strategy features
    (block ``s``) are binary, unnormalised, and use their block weight only.
    """
    idf: dict[str, float]
    blocks: dict[str, dict]

    def transform(self, counts: dict[str, float]) -> dict[str, float]:
        idf_get = self.idf.get
        per: dict[str, list[tuple[str, float, float]]] = {}
        for name, c in counts.items():
            idf = idf_get(name)
            if idf is not None:
                per.setdefault(name[0], []).append((name, c, idf))
        out: dict[str, float] = {}
        log = math.log
        for b, items in per.items():
            spec = self.blocks[b]
            if spec.get("binary"):
                vals = [(n, (1.0 if c > 0 else 0.0) * idf) for n, c, idf in items]
            elif spec.get("sublinear", True):
                vals = [(n, ((1.0 + log(c)) if c > 0 else c) * idf) for n, c, idf in items]
            else:
                vals = [(n, c * idf) for n, c, idf in items]
            weight = float(spec.get("weight", 1.0))
            if spec.get("norm", "l2") == "l2":
                z = math.sqrt(sum(v * v for _, v in vals)) or 1.0
            else:
                z = 1.0
            for name, v in vals:
                out[name] = v / z * weight
        return out

"""Learned linear models over named sentence features: extraction, vectoriser, JSON format,
scoring.  Shared by every model of the checker (politeness, desperation tone); nothing here
knows a concept, and nothing here imports scikit-learn: the check path loads a JSON weights
file and scores with a dot product over named features.  Training code lives in ``models/``.

Feature names carry their block as a prefix: ``w:could you`` (word n-gram, ``<s>`` marks a
sentence start), ``c: cou`` (character n-gram inside a word padded with spaces), ``p:could you
VERB`` (pattern n-gram: function words and the model's ``keep`` words kept, other words
replaced by their part of speech), ``s:please`` (a strategy the model's finder reports;
``s:form_*`` for care in writing).  ``extract(sents, config)`` counts features over a list of
sentence spans; ``Vectorizer.transform`` turns the counts into the weighted, per-block
L2-normalised TF-IDF values the model multiplies with its weights.  The same code runs in
training and in the check, so the two give identical scores.

A concept's model subclasses ``Model``: class attributes name its file format and how to
rebuild it, and ``keep_words`` / ``find_strategies`` plug in concept knowledge.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress, groupby, repeat
from operator import itemgetter, mul, truediv
from pathlib import Path
from typing import Any, TypeVar

CLOSED_POS = frozenset({"PRON", "DET", "ADP", "AUX", "CCONJ", "SCONJ", "PART", "INTJ", "PUNCT"})
KEEP_TAGS = frozenset({"MD", "WDT", "WP", "WP$", "WRB", "UH"})


def norm(tok) -> str:
    """A token's lower-case text with curly apostrophes straightened."""
    return tok.lower_.replace("\u2019", "'").replace("\u2018", "'")


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


_COLUMNS = "followup.learned.columns"


def doc_columns(doc) -> tuple[list[str], list[str], list[str]]:
    """Per token of ``doc`` (by ``token.i``): ``norm(tok)``, its word-feature text
    (``<num>`` for a number) and its lemma in lower case.  Computed once per Doc and kept in
    ``doc.user_data``: every model and the politeness strategies read them, and spaCy's
    string properties cost a lookup per call."""
    cols = doc.user_data.get(_COLUMNS)
    if cols is None:
        from spacy.attrs import LEMMA, LIKE_NUM, LOWER

        # One array read, no Token objects: the strings of token.lower_ and token.lemma_.
        lower, lemma, like_num = doc.to_array([LOWER, LEMMA, LIKE_NUM]).T.tolist()
        strings = doc.vocab.strings.__getitem__
        norms = [
            x.replace("\u2019", "'").replace("\u2018", "'") if "\u2019" in x or "\u2018" in x else x
            for x in map(strings, lower)
        ]
        words = ["<num>" if n else x for n, x in zip(like_num, norms)]
        lemmas = [x.lower() for x in map(strings, lemma)]
        cols = doc.user_data[_COLUMNS] = (norms, words, lemmas)
    return cols


@functools.lru_cache(maxsize=65536)
def char_grams(word: str, lo: int, hi: int) -> tuple[str, ...]:
    """``c:`` feature names of the character n-grams of a space-padded word (cached: the
    same words recur in every draft)."""
    padded = f" {word} "
    return tuple(
        "c:" + padded[k : k + n] for n in range(lo, hi + 1) for k in range(0, len(padded) - n + 1)
    )


def sentence_tokens(sent) -> list:
    return [t for t in sent if not t.is_space]


@dataclass
class Extracted:
    """Counts of named features plus where they came from (for explanations)."""

    counts: dict[str, float]
    tokens: list = field(default_factory=list)  # all tokens, in order
    strategies: list[Any] = field(default_factory=list)
    # (feature, start_char, end_char) for every occurrence of every feature except the
    # character n-grams, which are told per word: word -> its token spans, and the n-gram range
    occurrences: list[tuple[str, int, int]] = field(default_factory=list)
    word_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    char_range: tuple[int, int] = (0, -1)
    # Only when extracted against a vocabulary (``extract(..., vocab=...)``): the counts of
    # the features in it, one dict per block, blocks in the order their first feature is
    # seen (the order ``Vectorizer.weighted`` sums them in); ``counts`` then holds the same
    # features, grouped by block.
    blocks: dict[str, Mapping[str, float]] | None = None


def _ngrams(
    prefix: str,
    items: list[str],
    lo: int,
    hi: int,
    starts: list[int],
    ends: list[int],
    counts: Counter,
    occ: list | None,
    known: Callable[[str], bool] | None = None,
) -> None:
    """Count the ``lo``..``hi``-grams of ``items`` (``items[0]`` is the ``<s>`` marker, which
    only opens n-grams of two or more); ``starts`` / ``ends`` are the character offsets of
    ``items[1:]``.  ``known``: count only the names it accepts, and keep only their
    occurrences (a feature the model does not know explains nothing)."""
    size = len(items)
    for n in range(lo, hi + 1):
        if n == 1:
            names = [prefix + x for x in items[1:]]
            at = starts[: size - 1]
        else:
            names = [prefix + " ".join(items[k : k + n]) for k in range(size - n + 1)]
            at = starts[:1] + starts[: size - n]  # "<s> ..." starts at the first word
        spans = zip(names, at, ends[n - 2 if n > 1 else 0 : size - 1])
        if known is None:
            counts.update(names)
            if occ is not None:
                occ.extend(spans)
        else:
            flags = list(map(known, names))
            counts.update(compress(names, flags))
            if occ is not None:
                occ.extend(compress(spans, flags))


StrategyFinder = Callable[[Any], list]


def extract(
    sents: Iterable,
    config: dict,
    keep: frozenset[str] = frozenset(),
    find_strategies: StrategyFinder | None = None,
    spans: bool = False,
    vocab: dict | None = None,
    known_grams: Callable[[str], tuple[str, ...]] | None = None,
) -> Extracted:
    """Feature counts of ``sents``.  ``keep``: words pattern n-grams keep as words;
    ``find_strategies(sent)``: the strategy matches (``.name``, ``.start``, ``.end``) of a
    sentence, counted as binary ``s:`` features when ``config["strategies"]`` is on.

    ``vocab`` (a model's feature table): count only the features in it, per block
    (``Extracted.blocks``), with ``known_grams(word)``, the word's character n-grams in the
    vocabulary, in ``char_grams`` order.  The counts of those features, their order within a
    block and the order of the blocks are what the full extraction gives, so a model scores
    the same; occurrences and word spans are kept whole."""
    # Counter.update counts a list of names in C; insertion order (and so the order of every
    # later sum) is the order the features are first seen, as with a plain dict.
    counts: Counter = Counter()
    occ: list[tuple[str, int, int]] | None = [] if spans else None
    w_lo, w_hi = config["word_ngrams"]
    c_lo, c_hi = config["char_ngrams"] if config.get("char_ngrams") else (0, -1)
    p_lo, p_hi = config["pattern_ngrams"] if config.get("pattern_ngrams") else (0, -1)
    keep = keep if p_hi >= p_lo > 0 else frozenset()
    all_toks: list = []
    found: list[Any] = []
    word_count: dict[str, int] = {}
    word_spans: dict[str, list[tuple[int, int]]] = {}
    known = None if vocab is None else vocab.__contains__
    # One counter per block when filtering (the blocks are told apart by their first letter).
    cw = cp = cs = counts
    order: dict[str, None] = {}
    if vocab is not None:
        cw, cp, cs = Counter(), Counter(), Counter()

    for sent in sents:
        toks = sentence_tokens(sent)
        if not toks:
            continue
        all_toks.extend(toks)
        texts = [t.text for t in toks]
        starts = [t.idx for t in toks]
        ends = [a + len(x) for a, x in zip(starts, texts)]
        norms, wtexts, _ = doc_columns(toks[0].doc)
        idxs = [t.i for t in toks]
        words = ["<s>"]
        words += map(wtexts.__getitem__, idxs)  # = _tok_text(t) for each token
        _ngrams("w:", words, w_lo, w_hi, starts, ends, cw, occ, known)
        if p_hi >= p_lo > 0:
            # = _pattern(t, keep) for each token
            pats = ["<s>"]
            pats += [
                x if (t.pos_ in CLOSED_POS or t.tag_ in KEEP_TAGS or x in keep) else (t.pos_ or "X")
                for t, x in zip(toks, map(norms.__getitem__, idxs))
            ]
            _ngrams("p:", pats, p_lo, p_hi, starts, ends, cp, occ, known)
        if c_hi >= c_lo > 0:
            # Character n-grams are counted once per word type below, times its frequency.
            for k, w in enumerate(words[1:]):
                word_count[w] = word_count.get(w, 0) + 1
                if spans:
                    word_spans.setdefault(w, []).append((starts[k], ends[k]))
        form: list[str] = []
        if config.get("form"):
            # Care in writing: lower-case "i" / sentence start, no final punctuation,
            # shouting, doubled "??" / "!!".
            words_only = [t for t in toks if t.is_alpha]
            if "i" in texts:
                form.append("s:form_lower_i")
            if words_only and words_only[0].text[:1].islower() and words_only[0].i == toks[0].i:
                form.append("s:form_lower_start")
            if not toks[-1].is_punct:
                form.append("s:form_no_end_punct")
            if any(len(t.text) >= 3 and t.text.isupper() for t in words_only):
                form.append("s:form_caps")
            if any(x.count("?") + x.count("!") >= 2 for x in texts):
                form.append("s:form_multi_punct")
        if config.get("strategies", True) and find_strategies is not None:
            matched = find_strategies(sent)
            found.extend(matched)
            for m in matched:
                name = "s:" + m.name
                if occ is not None:
                    occ.append((name, m.start, m.end))
                form.append(name)
        for name in form if known is None else filter(known, form):
            cs[name] = 1
        if vocab is not None:
            for b, c in (("w", cw), ("p", cp), ("s", cs)):
                if c and b not in order:
                    order[b] = None
    if vocab is None:
        for w, m in word_count.items():
            grams = char_grams(w, c_lo, c_hi)
            for _ in range(m):
                counts.update(grams)
        return Extracted(dict(counts), all_toks, found, occ or [], word_spans, (c_lo, c_hi))
    cc: Counter = Counter()
    if word_count:
        grams_of = known_grams or (lambda w: tuple(filter(known, char_grams(w, c_lo, c_hi))))
        every: list[str] = []
        for w, m in word_count.items():
            every += grams_of(w) * m  # one update in the order of one per occurrence
        cc.update(every)
    blocks: dict[str, Mapping[str, float]] = {b: {"w": cw, "p": cp, "s": cs}[b] for b in order}
    if cc:
        blocks["c"] = cc
    merged: dict[str, float] = {}
    for block in blocks.values():
        merged.update(block)
    return Extracted(merged, all_toks, found, occ or [], word_spans, (c_lo, c_hi), blocks)


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
        return {n: v for n, v, _ in self.weighted(counts, self.idf)}

    def weighted(self, counts: dict[str, float], table: dict[str, Any]) -> list[tuple]:
        """``(name, value, extra)`` for every feature of ``counts`` in the vocabulary, in
        block order (the order every sum over them keeps).  ``table`` maps a feature to its
        idf, or to ``(idf, extra)`` (a model passes its weights along: one lookup each)."""
        out: list[tuple] = []
        for names, values, extras in self.weighted_blocks(self.group(counts, table), table):
            out += zip(names, values, extras)
        return out

    @staticmethod
    def group(counts: dict[str, float], table: dict[str, Any]) -> dict[str, dict[str, float]]:
        """The features of ``counts`` in ``table``, one dict per block, blocks in the order
        their first feature comes in ``counts`` (features keep their order)."""
        names = list(filter(table.__contains__, counts))
        first = itemgetter(0)
        order = dict.fromkeys(map(first, names))
        if len(order) == 1:
            return {b: {n: counts[n] for n in names} for b in order}
        groups = {b: list(g) for b, g in groupby(sorted(names, key=first), key=first)}
        return {b: dict(zip(groups[b], map(counts.__getitem__, groups[b]))) for b in order}

    def weighted_blocks(
        self,
        blocks: Mapping[str, Mapping[str, float]],
        table: dict[str, Any],
        tables: dict[str, dict[str, Any]] | None = None,
    ) -> list[tuple[list[str], list[float], Any]]:
        """Per block (in the given order): its feature names, their values and their
        ``extra`` (``None`` unless ``table`` maps to pairs); ``blocks`` as ``group`` gives
        them.  The arithmetic, and its order, is the one of the per-feature formula:
        ``tf * idf`` (tf: ``1 + log(count)``, sublinear; 1 or 0, binary; else the count),
        divided by the block's L2 norm (the square root of the sum of squares in feature
        order), times the block weight.  ``tables``: a block's features looked up in a
        smaller table with the same entries."""
        out: list[tuple[list[str], list[float], Any]] = []
        pair = table is not self.idf
        for b, counts in blocks.items():
            spec = self.blocks[b]
            names = list(counts)
            entries = list(map((tables.get(b, table) if tables else table).__getitem__, names))
            if pair:
                idfs: list = list(map(_first, entries))
                extras: Any = list(map(_second, entries))
            else:
                idfs, extras = entries, repeat(None)
            cs = counts.values()
            if spec.get("binary"):
                vals = [(1.0 if c > 0 else 0.0) * idf for c, idf in zip(cs, idfs)]
            elif spec.get("sublinear", True):
                vals = list(map(mul, map(_SUBLINEAR.__getitem__, cs), idfs))
            else:
                vals = list(map(mul, cs, idfs))
            weight = float(spec.get("weight", 1.0))
            if spec.get("norm", "l2") == "l2":
                z = math.sqrt(sum(map(mul, vals, vals))) or 1.0
            else:
                z = 1.0
            out.append(
                (names, list(map(mul, map(truediv, vals, repeat(z)), repeat(weight))), extras)
            )
        return out


class _Sublinear(dict):
    """count -> ``1 + log(count)`` (the count itself when not positive), filled on demand."""

    def __missing__(self, c: float) -> float:
        v = self[c] = (1.0 + math.log(c)) if c > 0 else c
        return v


_SUBLINEAR = _Sublinear()
_first, _second = itemgetter(0), itemgetter(1)


M = TypeVar("M", bound="Model")


# ---- the model ----------------------------------------------------------------------


class ModelError(OSError):
    """A model's weights are missing or unreadable (an OSError, so the CLI reports it as one
    line with exit 2, like any other unreadable input)."""


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass
class Scored:
    probability: float
    logit: float
    values: dict[str, float]  # vectorised feature values
    contributions: dict[str, float]  # feature -> contribution to the logit
    extracted: Extracted


@dataclass
class Model:
    """A linear model over named features.  A concept subclasses it: the class attributes
    name the kind of model in its file and in errors, and the two hooks below plug in what
    the concept knows (the politeness lexicon and strategies; the tone model needs neither).
    """

    FORMAT = "followup-checker/linear-model/1"
    KIND = "linear"
    REBUILD = "retrain it"

    config: dict
    vectorizer: Vectorizer
    weights: dict[str, float]
    bias: float
    calibration: tuple[float, float]  # logit = a * raw + b
    meta: dict

    @functools.cached_property
    def config_key(self) -> str:
        """The feature configuration as a string: models with equal keys extract the same
        features from a sentence."""
        return json.dumps(self.config, sort_keys=True)

    # -- concept hooks -------------------------------------------------------------------
    def keep_words(self) -> frozenset[str]:
        """Words pattern n-grams keep as words (default: none)."""
        return frozenset()

    def find_strategies(self, sent) -> list:
        """The strategy matches of one sentence, for the ``s:`` block (default: none)."""
        return []

    def extract(self, sents, spans: bool = False) -> Extracted:
        """The feature counts of ``sents`` under this model's configuration."""
        return extract(sents, self.config, self.keep_words(), self.find_strategies, spans=spans)

    # -- scoring -------------------------------------------------------------------------
    def raw_from_values(self, values: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(v * w.get(name, 0.0) for name, v in values.items())

    def logit_from_raw(self, raw: float) -> float:
        a, b = self.calibration
        return a * raw + b

    def score_counts(self, counts: dict[str, float]) -> float:
        """Calibrated probability for a feature-count dict."""
        if len(self.weights) != len(self.vectorizer.idf):  # not a loaded model: the formula
            return sigmoid(self.logit_from_raw(self._raw_and_values(counts)[0]))
        _, vals, wts = self._flat(self.vectorizer.group(counts, self.table))
        # = _raw_and_values(counts)[0], without the values
        return sigmoid(self.logit_from_raw(self.bias + sum(map(mul, vals, wts))))

    def _flat(
        self, blocks: Mapping[str, Mapping[str, float]], tables: dict | None = None
    ) -> tuple[list[str], list[float], list[float]]:
        """``Vectorizer.weighted_blocks`` through ``table`` as three flat lists: the features,
        their values and their weights, in the order every sum over them keeps."""
        names: list[str] = []
        vals: list[float] = []
        wts: list[float] = []
        for n, v, e in self.vectorizer.weighted_blocks(blocks, self.table, tables):
            names += n
            vals += v
            wts += e
        return names, vals, wts

    def _raw_and_values(self, counts: dict[str, float]) -> tuple[float, dict[str, float]]:
        """``raw_from_values(transform(counts))`` and the vectorised values.  A loaded model
        (one weight per vocabulary entry) looks idf and weight up together in ``table``: the
        same products, summed in the same order."""
        if len(self.weights) != len(self.vectorizer.idf):  # not a loaded model: the formula
            values = self.vectorizer.transform(counts)
            return self.raw_from_values(values), values
        names, vals, wts = self._flat(self.vectorizer.group(counts, self.table))
        return self.bias + sum(map(mul, vals, wts)), dict(zip(names, vals))

    @functools.cached_property
    def table(self) -> dict[str, tuple[float, float]]:
        """Feature -> (idf, weight): one lookup for both when scoring."""
        w = self.weights
        return dict(zip(w, zip(map(self.vectorizer.idf.__getitem__, w), w.values())))

    def _known_grams(self, word: str) -> tuple[str, ...]:
        """The character n-grams of ``word`` in the vocabulary, in ``char_grams`` order
        (cached per word: the same words recur in every draft)."""
        got = self._grams.get(word)
        if got is None:
            lo, hi = self.config["char_ngrams"]
            table = self.table
            got = self._grams[word] = tuple(filter(table.__contains__, char_grams(word, lo, hi)))
            self._gram_table.update(zip(got, map(table.__getitem__, got)))
        return got

    @functools.cached_property
    def _grams(self) -> dict[str, tuple[str, ...]]:
        return {}

    @functools.cached_property
    def _gram_table(self) -> dict[str, tuple[float, float]]:
        """The ``table`` entries of the character n-grams of the cached words: a small dict
        that stays in the CPU cache, where a lookup in the whole table misses it."""
        return {}

    def extract_known(self, sents, spans: bool = False) -> Extracted:
        """``extract`` against this model's vocabulary (``extract(..., vocab=...)``): the
        counts of the features it knows, in the order the full extraction gives them, with
        each word's known character n-grams cached."""
        if len(self._grams) >= 65536:  # bounded; emptied between texts, never within one
            self._grams.clear()
            self._gram_table.clear()
        return extract(
            sents,
            self.config,
            self.keep_words(),
            self.find_strategies,
            spans=spans,
            vocab=self.table,
            known_grams=self._known_grams if self.config.get("char_ngrams") else None,
        )

    def score_sents(self, sents, spans: bool = True) -> Scored:
        """The score of ``sents`` as one text.  ``Scored.extracted`` holds the features the
        model knows (``extract(..., vocab=...)``); the sums run in the order of
        ``Vectorizer.weighted``."""
        ex = self.extract_known(sents, spans)
        names, vals, wts = self._flat(
            ex.blocks or {}, {"c": self._gram_table} if self.config.get("char_ngrams") else None
        )
        values = dict(zip(names, vals))
        products = list(map(mul, vals, wts))
        raw = self.bias + sum(products)  # = raw_from_values(values)
        logit = self.logit_from_raw(raw)
        a = self.calibration[0]
        contrib = dict(zip(names, map(mul, repeat(a), products)))
        return Scored(sigmoid(logit), logit, values, contrib, ex)

    # -- persistence ---------------------------------------------------------------------
    def to_json(self) -> dict:
        names = sorted(self.vectorizer.idf)
        return {
            "format": self.FORMAT,
            "meta": self.meta,
            "config": self.config,
            "blocks": self.vectorizer.blocks,
            "bias": self.bias,
            "calibration": list(self.calibration),
            # Parallel lists (fast to parse): feature name, its idf and its weight.  Training
            # rounds the values before it builds the model, so the loaded model is the
            # trained one exactly.
            "features": {
                "names": names,
                "idf": [self.vectorizer.idf[n] for n in names],
                "weight": [self.weights.get(n, 0.0) for n in names],
            },
        }

    @classmethod
    def from_json(cls: type[M], data: dict, where: str = "weights.json") -> M:
        if not isinstance(data, dict) or data.get("format") != cls.FORMAT:
            raise ModelError(f"{where}: not a {cls.KIND} model ({cls.FORMAT}); {cls.REBUILD}")
        try:
            feats = data["features"]
            names, idfs, ws = feats["names"], feats["idf"], feats["weight"]
            if not (len(names) == len(idfs) == len(ws)) or not names:
                raise ValueError("feature lists of different lengths")
            # Cheap C-speed type checks: fsum rejects non-numbers, join non-strings.
            if not (math.isfinite(math.fsum(idfs)) and math.isfinite(math.fsum(ws))):
                raise ValueError("idf or weight is not finite")
            "".join(names)
            idf = dict(zip(names, idfs))
            weights = dict(zip(names, ws))
            a, b = data["calibration"]
            model = cls(
                config=data["config"],
                vectorizer=Vectorizer(idf, data["blocks"]),
                weights=weights,
                bias=float(data["bias"]),
                calibration=(float(a), float(b)),
                meta=data.get("meta", {}),
            )
            # ``table`` built here, from the lists (no lookups), while the loader holds the
            # garbage collector (``load_shipped``) rather than at the first check.
            model.__dict__["table"] = dict(zip(names, zip(idfs, ws)))
            return model
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ModelError(
                f"{where}: corrupt {cls.KIND} model ({exc!r}); {cls.REBUILD}"
            ) from None

    def save(self, path: Path | str) -> None:
        Path(path).write_text(
            json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False, sort_keys=True),
            encoding="utf-8",
        )


def load_path(path: Path | str, cls: type[M]) -> M:
    path = Path(path)
    what, rebuild = f"{cls.KIND} weights {path}", cls.REBUILD
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(f"{what} are missing; {rebuild}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{what} cannot be read ({exc}); {rebuild}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(
            f"{what} are corrupt ({exc.msg} at line {exc.lineno}); {rebuild}"
        ) from None
    return cls.from_json(data, str(path))


class SentenceModel(Model):
    """A linear model that scores one sentence at a time (the tone models): the probability
    and the words that raised it, for a message that says why."""

    def sentence_score(
        self, sent, counts: dict[str, float] | None = None
    ) -> tuple[float, dict[str, float]]:
        """The probability for one sentence span, and its vectorised features (for
        ``telling_words``).  ``counts``: the sentence's features, when already extracted
        under this model's configuration (models with the same configuration share them)."""
        if counts is None:
            counts = self.extract([sent]).counts
        raw, values = self._raw_and_values(counts)
        return sigmoid(self.logit_from_raw(raw)), values

    def telling_words(self, values: dict[str, float], n: int = 3) -> list[str]:
        """The word n-grams that raised the score most (up to ``n``, best first, none inside
        another, each with a content word), from a sentence's vectorised features."""
        w = self.weights
        words = sorted(
            (
                (v * w.get(name, 0.0), name[2:])
                for name, v in values.items()
                if name.startswith("w:") and _telling(name[2:])
            ),
            reverse=True,
        )
        chosen: list[str] = []
        for c, ngram in words:
            if c <= 0 or len(chosen) == n:
                break
            if not any(ngram in x or x in ngram for x in chosen):
                chosen.append(ngram)
        return chosen


def _telling(ngram: str) -> bool:
    """A word n-gram worth quoting: one of its words is a content word ("savings", not "i")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    parts = ngram.split()
    return "<s>" not in parts and any(p.isalpha() and p not in STOP_WORDS for p in parts)


def packaged(package: str, name: str = "weights.json") -> Path:
    """The path of a weights file shipped as package data."""
    from importlib import resources

    return Path(str(resources.files(package).joinpath(name)))


def shipped_loader(package: str, name: str, cls: type[M]) -> Callable[[], M]:
    """A loader of the model ``cls`` shipped as ``package``/``name``, read once per process."""

    @functools.lru_cache(maxsize=1)
    def load() -> M:
        return load_shipped(packaged(package, name), cls)

    load.__doc__ = f"The shipped {cls.KIND} model ({package}/{name}), read once per process."
    return load


def load_shipped(path: Path, cls: type[M]) -> M:
    """A shipped model, read with the garbage collector paused and kept out of later
    collections (``checker.startup.bulk_load``); callers cache it for the process."""
    from .startup import bulk_load

    with bulk_load():
        return load_path(path, cls)

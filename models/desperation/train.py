"""Training recipe for the desperation-tone model (scikit-learn; never imported by the check).

Data: the blind tuning drafts in ``data/eval`` (``tune*.jsonl``, written by sessions that
never saw the rules; see ``data/eval/README.md``).  Each body sentence of a draft, as the
check splits it, is one example: positive when it overlaps a labelled ``desperate_phrases``
entry, negative otherwise (including every sentence of the calm drafts).  The holdout sets
and ``../shared`` dev are never trained on; they measure the model (``card.md``).

Features: ``checker.checks.desperation.tone.features`` (word 1-2-grams and the "care in writing" flags of the
politeness features: capitals, "!!", lower-case "i"), word n-grams as TF-IDF with L2 norm.
Character n-grams were measured too: no better on the fresh tune4 set, and 5x the scoring
time (card.md).  Learner: logistic regression with balanced class weights.
The weights are written as JSON through the politeness model's format machinery.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from checker.checks.desperation.tone import ToneModel, body_sentences, features

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "eval"
TRAIN_GLOB = "tune*.jsonl"   # the blind tuning sets; holdout*.jsonl are never trained on
RECIPE = {
    "config": {"word_ngrams": [1, 2], "char_ngrams": None, "pattern_ngrams": None,
               "form": True, "strategies": False},
    "blocks": {
        "w": {"weight": 1.0, "sublinear": True, "norm": "l2"},
        "s": {"weight": 0.3, "binary": True, "norm": "none", "idf": False},
    },
    "min_df": 2,
    "C": 3.0,
}


class DataError(ValueError):
    """Missing or malformed training drafts; one line naming the file."""


@dataclass
class Example:
    set: str
    id: str
    text: str
    start: int
    end: int
    label: bool
    desperate: bool
    counts: dict


def read_sets(names=None, data_dir: Path | str | None = None) -> dict[str, list[dict]]:
    """Drafts by set name: ``names`` from ``data_dir``, or every ``tune*.jsonl`` there."""
    base = Path(data_dir) if data_dir else DATA
    if names is None:
        if not base.is_dir():
            raise DataError(f"{base}: no such folder")
        names = sorted(p.name[:-len(".jsonl")] for p in base.glob(TRAIN_GLOB))
        if not names:
            raise DataError(f"{base}: no {TRAIN_GLOB} files to train on")
    out = {}
    for name in names:
        path = base / f"{name}.jsonl"
        rows = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise DataError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{path}: cannot be read ({exc})") from None
        for k, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, phrases = row["text"], row.get("desperate_phrases", [])
                if not isinstance(text, str) or not all(p in text for p in phrases):
                    raise ValueError("text is not a string or a phrase is not in it")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise DataError(f"{path}:{k}: bad draft ({exc})") from None
            rows.append(row)
        if not rows:
            raise DataError(f"{path}: no drafts")
        out[name] = rows
    return out


def examples(sets: dict[str, list[dict]], config=None) -> list[Example]:
    """One example per body sentence, split and parsed as the check does."""
    from checker import textprep
    from checker.api import Context, for_parser
    from checker.config import Config
    from checker.nlp import get_nlp

    config = config or RECIPE["config"]
    flat = [(name, row) for name, rows in sets.items() for row in rows]
    docs = get_nlp().pipe(for_parser(row["text"]) for _, row in flat)
    out = []
    for (name, row), doc in zip(flat, docs):
        text = row["text"]
        ctx = Context(text=text, doc=doc, kind="follow_up", config=Config(),
                      layout=textprep.layout(text))
        spans = [(text.find(p), text.find(p) + len(p)) for p in row.get("desperate_phrases", [])]
        for sent in body_sentences(ctx):
            a, b = sent.start_char, sent.end_char
            out.append(Example(name, str(row.get("id", "")), sent.text, a, b,
                               any(x < b and a < y for x, y in spans),
                               bool(row.get("desperate")), features(sent, config)))
    return out


def fit(exs: list[Example], recipe=RECIPE):
    """Fit on examples; returns (featurizer, coef, bias)."""
    from sklearn.linear_model import LogisticRegression

    from models.politeness.train import CountMatrix, Featurizer

    cm = CountMatrix.build([e.counts for e in exs])
    idx = np.arange(len(exs))
    fz = Featurizer(recipe["blocks"], recipe["min_df"]).fit(cm, idx)
    X = fz.transform(cm, idx)
    lr = LogisticRegression(C=recipe["C"], max_iter=5000, class_weight="balanced")
    lr.fit(X, np.array([e.label for e in exs]))
    return fz, lr.coef_.ravel(), float(lr.intercept_[0])


def train(exs: list[Example], recipe=RECIPE, meta=None) -> ToneModel:
    from models.politeness.train import export

    fz, coef, bias = fit(exs, recipe)
    # Logistic regression is calibrated already: the probability is sigmoid(raw).
    return export(ToneModel, fz, coef, bias, (1.0, 0.0), recipe, meta)


def cross_validate(exs: list[Example], recipe=RECIPE, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Out-of-fold probabilities, folds grouped by draft (a draft's sentences stay together)."""
    from sklearn.model_selection import GroupKFold

    groups = [f"{e.set}/{e.id}" for e in exs]
    gid = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    order = np.random.default_rng(seed).permutation(len(gid))
    g = np.array([order[gid[x]] for x in groups])
    p = np.zeros(len(exs))
    for tr, te in GroupKFold(folds).split(exs, groups=g):
        model = train([exs[i] for i in tr], recipe)
        p[te] = [model.score_counts(exs[i].counts) for i in te]
    return p

"""Training recipe for the politeness model (scikit-learn; never imported by the check).

Features come from ``checker.checks.politeness.model.features`` over ``checker.learned`` (the same pure-Python code the check
uses).  Here they are turned into a sparse matrix with numpy/scipy so cross-validation is
fast, and the learned weights are written back as named features (JSON).

Recipe (chosen by cross-validation, see card.md): ridge regression on the rank-normalised
``Normalized Score`` of all training rows, then Platt scaling (logistic regression on the ridge output) fitted on
out-of-fold predictions for the quartile rows, so the score is a calibrated probability of
"top quartile (polite)" vs "bottom quartile (impolite)".
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from checker.checks.politeness.model import DEFAULT_CONFIG, FORMAT, PolitenessModel
from checker.checks.politeness.model import features as raw_features
from checker.learned import Model, Vectorizer

# Hyper-parameters of the shipped recipe.
RECIPE = {
    "config": {**DEFAULT_CONFIG, "pattern_ngrams": [1, 3], "form": True},
    "blocks": {
        "w": {"weight": 1.0, "sublinear": True, "norm": "l2"},
        "c": {"weight": 1.0, "sublinear": True, "norm": "l2"},
        "p": {"weight": 1.0, "sublinear": True, "norm": "l2"},
        "s": {"weight": 0.3, "binary": True, "norm": "none", "idf": False},
    },
    "min_df": 3,
    "learner": "ridge",
    "target": "rank",  # ridge on the normal scores of the ranks of Normalized Score
    "alpha": 6.0,
    "C": 1.0,
}


def doc_counts(docs, config=None) -> list[dict[str, float]]:
    config = config or RECIPE["config"]
    return [raw_features(list(d.sents), config) for d in docs]


@dataclass
class CountMatrix:
    """All feature counts of a set of documents in one CSR matrix (shared column index)."""

    names: list[str]
    matrix: sp.csr_matrix
    blocks: np.ndarray  # block letter per column

    @classmethod
    def build(cls, counts: list[dict[str, float]]) -> CountMatrix:
        index: dict[str, int] = {}
        indptr, indices, data = [0], [], []
        for row in counts:
            for name, c in row.items():
                j = index.setdefault(name, len(index))
                indices.append(j)
                data.append(c)
            indptr.append(len(indices))
        m = sp.csr_matrix(
            (
                np.array(data, dtype=np.float64),
                np.array(indices, dtype=np.int64),
                np.array(indptr, dtype=np.int64),
            ),
            shape=(len(counts), len(index)),
        )
        names = list(index)
        return cls(names, m, np.array([n[0] for n in names]))

    def rows(self, idx) -> sp.csr_matrix:
        return self.matrix[idx]


class Featurizer:
    """Vectorised twin of ``Vectorizer.transform``, fitted on training rows."""

    def __init__(self, blocks: dict, min_df: int = 2):
        self.blocks = blocks
        self.min_df = min_df

    def fit(self, cm: CountMatrix, idx) -> Featurizer:
        m = cm.rows(idx)
        n = m.shape[0]
        df = np.asarray((m > 0).sum(axis=0)).ravel()
        keep = df >= self.min_df
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        for b, spec in self.blocks.items():
            cols = cm.blocks == b
            if spec.get("idf", True) is False:
                idf[cols] = 1.0
        # Strategy features are kept whenever seen once (there are few of them).
        s_cols = cm.blocks == "s"
        keep[s_cols] = df[s_cols] >= 1
        self.keep = keep
        self.idf = np.where(keep, idf, 0.0)
        self.col_blocks = cm.blocks
        self.names = cm.names
        return self

    def transform(self, cm: CountMatrix, idx) -> sp.csr_matrix:
        m = cm.rows(idx).tocsr(copy=True).astype(np.float64)
        out = []
        for b, spec in self.blocks.items():
            cols = np.flatnonzero((self.col_blocks == b) & self.keep)
            sub = m[:, cols].tocsr()
            if spec.get("sublinear", True):
                sub.data = 1.0 + np.log(sub.data)  # sublinear tf (counts are >= 1)
            if spec.get("binary"):
                sub.data[:] = 1.0
            sub = sub.multiply(self.idf[cols]).tocsr()
            if spec.get("norm", "l2") == "l2":
                z = np.sqrt(np.asarray(sub.multiply(sub).sum(axis=1)).ravel())
                z[z == 0] = 1.0
                sub = sp.diags(1.0 / z) @ sub
            out.append((cols, sub * float(spec.get("weight", 1.0))))
        # Blocks side by side; ``self.cols`` maps each output column back to its name.
        mats = [s for _, s in out]
        self.cols = np.concatenate([c for c, _ in out])
        return sp.hstack(mats).tocsr()

    def vectorizer(self, coef: np.ndarray) -> tuple[Vectorizer, dict[str, float]]:
        """The pure-Python twin: vocabulary with idf, and named weights."""
        idf, weights = {}, {}
        for k, j in enumerate(self.cols):
            name = self.names[j]
            idf[name] = float(self.idf[j])
            if coef[k] != 0:
                weights[name] = float(coef[k])
        blocks = {
            b: {k: v for k, v in spec.items() if k != "idf"} for b, spec in self.blocks.items()
        }
        return Vectorizer(idf, blocks), weights


def nb_ratios(X, y_label, smooth: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratios of the features (Wang & Manning 2012), from the quartile
    rows of the training data."""
    lab = np.array([i for i, v in enumerate(y_label) if v is not None])
    yl = np.array([y_label[i] for i in lab])
    B = X[lab]
    B = (B != 0).astype(np.float64)
    p = smooth + np.asarray(B[yl == 1].sum(axis=0)).ravel()
    q = smooth + np.asarray(B[yl == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def fit_linear(X, y_score, y_label, recipe=RECIPE):
    """Fit the learner; returns (coef, intercept)."""
    if recipe.get("nb"):
        r = nb_ratios(X, y_label, recipe.get("nb_smooth", 1.0))
        r = recipe.get("nb_beta", 1.0) * r + (1 - recipe.get("nb_beta", 1.0)) * np.abs(r).mean()
        coef, b = fit_linear(X @ sp.diags(r), y_score, y_label, dict(recipe, nb=False))
        return coef * r, b
    if recipe["learner"] == "ridge+logreg":
        # Both are linear in the same features: the sum of their standardised outputs is
        # one linear model again.
        parts = []
        for learner in ("ridge", "logreg"):
            coef, b = fit_linear(X, y_score, y_label, dict(recipe, learner=learner))
            out = X @ coef + b
            z = float(np.std(out)) or 1.0
            w = recipe.get("mix", 0.5) if learner == "logreg" else 1.0 - recipe.get("mix", 0.5)
            parts.append((coef * w / z, (b - float(np.mean(out))) * w / z))
        return parts[0][0] + parts[1][0], parts[0][1] + parts[1][1]
    if recipe["learner"] == "ridge":
        from sklearn.linear_model import Ridge

        y = np.asarray(y_score, dtype=float)
        if recipe.get("target") == "rank":
            from scipy.stats import norm as _norm
            from scipy.stats import rankdata

            y = _norm.ppf(rankdata(y) / (len(y) + 1))
        elif recipe.get("target") == "clip":
            y = np.clip(y, -recipe.get("clip", 2.0), recipe.get("clip", 2.0))
        sw = None
        if recipe.get("extreme_weight", 1.0) != 1.0:
            sw = np.array([recipe["extreme_weight"] if v is not None else 1.0 for v in y_label])
        r = Ridge(alpha=recipe["alpha"]).fit(X, y, sample_weight=sw)
        return r.coef_.ravel(), float(r.intercept_)
    from sklearn.linear_model import LogisticRegression

    mask = np.array([v is not None for v in y_label])
    lr = LogisticRegression(C=recipe["C"], max_iter=2000).fit(
        X[mask], np.array([v for v in y_label if v is not None])
    )
    return lr.coef_.ravel(), float(lr.intercept_[0])


def platt(raw: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, max_iter=1000).fit(raw.reshape(-1, 1), labels)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def round_rounded(x: float) -> float:
    return float(f"{x:.6g}")


def train(
    corpora: dict,
    recipe=RECIPE,
    folds: int = 5,
    seed: int = 0,
    meta: dict | None = None,
    counts: dict | None = None,
) -> Model:
    """Train on all rows of the given corpora (dict name -> Corpus with parsed docs)."""
    from sklearn.model_selection import StratifiedKFold

    from .corpus import quartile_labels

    all_counts, scores, labels = [], [], []
    for name, c in corpora.items():
        all_counts.extend(counts[name] if counts else doc_counts(c.docs, recipe["config"]))
        scores.extend(c.scores)
        labels.extend(quartile_labels(c.scores))  # quartiles within each corpus
    cm = CountMatrix.build(all_counts)
    y = np.array(scores)
    n = len(y)
    idx = np.arange(n)
    # Out-of-fold raw scores on the quartile rows, for calibration.
    lab_idx = np.array([i for i in idx if labels[i] is not None])
    lab_y = np.array([labels[i] for i in lab_idx])
    oof = np.zeros(len(lab_idx))
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for _tr, te in skf.split(lab_idx, lab_y):
        test_rows = lab_idx[te]
        train_rows = np.setdiff1d(idx, test_rows)
        fz = Featurizer(recipe["blocks"], recipe["min_df"]).fit(cm, train_rows)
        coef, b0 = fit_linear(
            fz.transform(cm, train_rows), y[train_rows], [labels[i] for i in train_rows], recipe
        )
        oof[te] = fz.transform(cm, test_rows) @ coef + b0
    a, b = platt(oof, lab_y)
    fz = Featurizer(recipe["blocks"], recipe["min_df"]).fit(cm, idx)
    coef, b0 = fit_linear(fz.transform(cm, idx), y, labels, recipe)
    meta = dict(meta or {}, oof_accuracy=float(((oof * a + b > 0).astype(int) == lab_y).mean()))
    return export(PolitenessModel, fz, coef, b0, (a, b), recipe, meta)


def export(
    cls,
    fz: Featurizer,
    coef,
    bias: float,
    calibration: tuple[float, float],
    recipe,
    meta: dict | None = None,
) -> Model:
    """The fitted weights as a ``cls`` model over named features (``Model`` or a subclass),
    with training date and recipe in its meta.  Weights, idf, bias and calibration are rounded
    as they are stored, so the trained and the loaded model agree exactly."""
    coef = np.array([round_rounded(c) for c in coef])
    vec, weights = fz.vectorizer(coef)
    vec.idf = {k: round_rounded(v) for k, v in vec.idf.items()}
    meta = dict(meta or {})
    meta.setdefault("trained", _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    meta["recipe"] = {k: v for k, v in recipe.items() if k != "config"}
    return cls(
        config=recipe["config"],
        vectorizer=vec,
        weights=weights,
        bias=round_rounded(bias),
        calibration=(round_rounded(calibration[0]), round_rounded(calibration[1])),
        meta=meta,
    )


__all__ = ["RECIPE", "train", "doc_counts", "CountMatrix", "Featurizer", "FORMAT", "math"]

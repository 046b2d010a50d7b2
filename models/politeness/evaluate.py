"""The paper's evaluation protocol (Danescu-Niculescu-Mizil et al., ACL 2013).

Within each corpus the top quartile of ``Normalized Score`` is polite and the bottom quartile
impolite (middle half dropped).  In-domain: stratified k-fold cross-validated accuracy over the
quartile rows; the model may train on every other row of the corpus (middle rows included),
but every test fold holds quartile rows only.  Cross-domain: train on all of one corpus, test
on the quartile rows of the other.  Each number sits next to a bag-of-words baseline computed
in the same run: unigram + bigram counts of spaCy tokens (punctuation kept), logistic
regression on the quartile rows.
"""

from __future__ import annotations

import numpy as np

from .corpus import quartile_labels
from .train import RECIPE, CountMatrix, Featurizer, doc_counts, fit_linear, platt

#: The four settings (in-domain on each corpus, then across), for the model and then for the
#: bag-of-words baseline (``bow_`` twins).
SETTINGS = ("wiki_in", "se_in", "wiki_to_se", "se_to_wiki")
KEYS = SETTINGS + tuple(f"bow_{k}" for k in SETTINGS)


def _bow_tokens(doc) -> list[str]:
    toks = [t.lower_ for t in doc if not t.is_space]
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


class _Model:
    """One fitted model: featurizer + linear weights + threshold from in-sample Platt."""

    def __init__(self, cm, recipe):
        self.cm, self.recipe = cm, recipe

    def fit(self, rows, y, labels):
        self.fz = Featurizer(self.recipe["blocks"], self.recipe["min_df"]).fit(self.cm, rows)
        X = self.fz.transform(self.cm, rows)
        self.coef, self.b0 = fit_linear(X, y[rows], [labels[i] for i in rows], self.recipe)
        lab = np.array([i for i in rows if labels[i] is not None])
        raw = X[np.searchsorted(rows, lab)] @ self.coef + self.b0
        a, b = platt(raw, np.array([labels[i] for i in lab]))
        self.threshold = -b / a
        return self

    def predict(self, rows):
        raw = self.fz.transform(self.cm, rows) @ self.coef + self.b0
        return (raw > self.threshold).astype(int)


def _bow_fit_predict(train_docs, train_y, test_docs):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = CountVectorizer(analyzer=_bow_tokens)
    X = vec.fit_transform(train_docs)
    lr = LogisticRegression(max_iter=2000).fit(X, train_y)
    return lr.predict(vec.transform(test_docs))


def _stacked(corpora: dict, recipe, counts: dict | None):
    """Both corpora as one count matrix (one column index; each model fits its own
    vocabulary and idf): the matrix, each corpus's row offset and rows, the scores and the
    quartile labels (None for the middle half)."""
    names = ("wiki", "se")
    counts = counts or {n: doc_counts(corpora[n].docs, recipe["config"]) for n in names}
    cm = CountMatrix.build(counts["wiki"] + counts["se"])
    offset = {"wiki": 0, "se": len(counts["wiki"])}
    rows = {n: np.arange(len(counts[n])) + offset[n] for n in names}
    y = np.concatenate([np.asarray(corpora[n].scores, float) for n in names])
    labels = quartile_labels(corpora["wiki"].scores) + quartile_labels(corpora["se"].scores)
    return cm, offset, rows, y, labels


def evaluate(
    corpora: dict,
    recipe=RECIPE,
    folds: int = 10,
    seed: int = 0,
    counts: dict | None = None,
    progress=None,
) -> dict[str, float]:
    """The eight accuracies (keys ``KEYS``) for corpora ``wiki`` and ``se`` (parsed docs)."""
    from sklearn.model_selection import StratifiedKFold

    say = progress or (lambda msg: None)
    names = ("wiki", "se")
    cm, offset, rows, y, labels = _stacked(corpora, recipe, counts)
    out: dict[str, float] = {}
    for n in names:
        lab = np.array([i for i in rows[n] if labels[i] is not None])
        lab_y = np.array([labels[i] for i in lab])
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        hits = bow_hits = 0
        for k, (tr, te) in enumerate(skf.split(lab, lab_y)):
            test = lab[te]
            train = np.setdiff1d(rows[n], test)
            m = _Model(cm, recipe).fit(train, y, labels)
            hits += int((m.predict(test) == lab_y[te]).sum())
            docs = corpora[n].docs
            bt = lab[tr]
            bow = _bow_fit_predict(
                [docs[i - offset[n]] for i in bt], lab_y[tr], [docs[i - offset[n]] for i in test]
            )
            bow_hits += int((bow == lab_y[te]).sum())
            say(f"{n} fold {k + 1}/{folds}")
        out[f"{n}_in"] = hits / len(lab)
        out[f"bow_{n}_in"] = bow_hits / len(lab)
    for src, dst in (("wiki", "se"), ("se", "wiki")):
        m = _Model(cm, recipe).fit(rows[src], y, labels)
        lab = np.array([i for i in rows[dst] if labels[i] is not None])
        lab_y = np.array([labels[i] for i in lab])
        out[f"{src}_to_{dst}"] = float((m.predict(lab) == lab_y).mean())
        slab = np.array([i for i in rows[src] if labels[i] is not None])
        sdocs, ddocs = corpora[src].docs, corpora[dst].docs
        bow = _bow_fit_predict(
            [sdocs[i - offset[src]] for i in slab],
            np.array([labels[i] for i in slab]),
            [ddocs[i - offset[dst]] for i in lab],
        )
        out[f"bow_{src}_to_{dst}"] = float((bow == lab_y).mean())
        say(f"{src} -> {dst}")
    return {k: round(float(out[k]), 4) for k in KEYS}


def pooled(
    corpora: dict, recipe=RECIPE, folds: int = 10, seed: int = 0, counts: dict | None = None
) -> dict[str, float]:
    """A supplementary setting, *not* the paper's in-domain protocol: the same test folds as
    ``evaluate`` (quartile rows of one corpus), but the model also trains on every row of the
    other corpus, as the shipped model does.  Keys ``se_pooled`` and ``wiki_pooled``."""
    from sklearn.model_selection import StratifiedKFold

    cm, offset, rows, y, labels = _stacked(corpora, recipe, counts)
    out = {}
    for n, other in (("wiki", "se"), ("se", "wiki")):
        lab = np.array([i for i in rows[n] if labels[i] is not None])
        lab_y = np.array([labels[i] for i in lab])
        hits = 0
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        for _tr, te in skf.split(lab, lab_y):
            test = lab[te]
            train_rows = np.sort(np.concatenate([np.setdiff1d(rows[n], test), rows[other]]))
            m = _Model(cm, recipe).fit(train_rows, y, labels)
            hits += int((m.predict(test) == lab_y[te]).sum())
        out[f"{n}_pooled"] = round(hits / len(lab), 4)
    return out


if (
    __name__ == "__main__"
):  # python -m checker.models.politeness.evaluate [FOLDS]: the pooled setting
    import json
    import sys

    from .corpus import load, parse

    corpora = load()
    for c in corpora.values():
        parse(c)
    print(json.dumps(pooled(corpora, folds=int(sys.argv[1]) if len(sys.argv) > 1 else 10)))

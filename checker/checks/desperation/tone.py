"""The learned desperation-tone scorer: how likely one sentence reads anxious, needy or pushy.

The phrase rules in ``rules.toml`` are precise but only know the wordings they list.  This
model adds ``desperation.tone``: a logistic regression over the word 1-2-grams of a
sentence, trained on the labelled desperate phrases of the tuning drafts in ``data/eval``
(``models/desperation``: recipe and model card).  It is the shared linear model
(``checker.learned``: feature extractor, TF-IDF and JSON weights, no pickle and no
scikit-learn on the check path) with its own features and weights file.
"""
from __future__ import annotations

import functools
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from ...learned import Model, extract, load_shipped, packaged, sigmoid

PACKAGE = "models.desperation"


class ToneModel(Model):
    FORMAT = "followup-checker/desperation-tone-model/1"
    KIND = "desperation tone"
    REBUILD = "rebuild it with `followup train desperation`"

    def sentence_score(self, sent) -> tuple[float, dict[str, float]]:
        """P(desperate) for one sentence span, and its vectorised features (for
        ``telling_words``)."""
        values = self.vectorizer.transform(features(sent, self.config))
        return sigmoid(self.logit_from_raw(self.raw_from_values(values))), values

    def telling_words(self, values: dict[str, float], n: int = 3) -> list[str]:
        """The word n-grams that raised the score most (up to ``n``, best first, none inside
        another), from a sentence's vectorised features."""
        w = self.weights
        words = sorted(((v * w.get(n, 0.0), n[2:]) for n, v in values.items()
                        if n.startswith("w:") and _telling(n[2:])), reverse=True)
        chosen: list[str] = []
        for c, ngram in words:
            if c <= 0 or len(chosen) == n:
                break
            if not any(ngram in x or x in ngram for x in chosen):
                chosen.append(ngram)
        return chosen


def _telling(ngram: str) -> bool:
    """A word n-gram worth quoting: one of its words is a content word ("savings", not "i")."""
    parts = ngram.split()
    return "<s>" not in parts and any(p.isalpha() and p not in STOP_WORDS for p in parts)


def features(sent, config: dict) -> dict[str, float]:
    """The feature counts of one sentence (training and the check share this)."""
    return extract([sent], config).counts


def body_sentences(ctx) -> list:
    """The sentences the model scores (and is trained on): body sentences after the greeting
    line that hold a word."""
    lo = ctx.layout.greeting[1] if ctx.layout.greeting else 0
    return [s for s in ctx.body_sents() if s.end_char > lo and any(t.is_alpha for t in s)]


def weights_path() -> Path:
    return packaged(PACKAGE)


@functools.lru_cache(maxsize=1)
def load() -> ToneModel:
    """The shipped model, read once per process."""
    return load_shipped(weights_path(), ToneModel)

"""The politeness scorer: the shared linear model (``checker.learned``) with the politeness
lexicon and strategies plugged in, and the shipped weights.

``load()`` reads ``models/politeness/weights.json`` (package data of ``checker.models.politeness``)
once per process.  A missing or corrupt file raises ``ModelError`` saying how to rebuild it;
there is no fallback score.  ``model.score_sents(sents)`` gives the calibrated probability
that the sentences read as polite, plus the contribution of every feature for explanations.
Training and the model card: ``models/politeness``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ...learned import Model, ModelError, extract, load_shipped, packaged, sigmoid  # noqa: F401
from ...learned import load_path as _load_path
from .strategies import lexicon, sentence_strategies

FORMAT = "followup-checker/politeness-model/1"
PACKAGE = "checker.models.politeness"
REBUILD = "rebuild it with `followup train politeness` (needs ../shared/data/politeness)"

#: The features the shipped model is trained on (``models/politeness`` recipe).
DEFAULT_CONFIG = {
    "word_ngrams": [1, 2],
    "char_ngrams": [2, 5],
    "pattern_ngrams": [1, 3],
    "form": True,
    "strategies": True,
}


class PolitenessModel(Model):
    FORMAT = FORMAT
    KIND = "politeness"
    REBUILD = REBUILD

    def keep_words(self) -> frozenset[str]:
        return lexicon().words

    def find_strategies(self, sent) -> list:
        return sentence_strategies(sent, lexicon())


def features(sents, config: dict | None = None) -> dict[str, float]:
    """The politeness feature counts of ``sents`` (training and the check share this)."""
    return extract(
        sents,
        config or DEFAULT_CONFIG,
        lexicon().words,
        lambda sent: sentence_strategies(sent, lexicon()),
    ).counts


def load_path(path: Path | str) -> PolitenessModel:
    """A politeness model from a weights file (``ModelError`` when missing or corrupt)."""
    return _load_path(path, PolitenessModel)


def weights_path() -> Path:
    return packaged(PACKAGE)


@functools.lru_cache(maxsize=1)
def load() -> PolitenessModel:
    """The shipped model, read once per process."""
    return load_shipped(weights_path(), PolitenessModel)

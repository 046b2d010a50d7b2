"""The learned desperation-tone scorer: how likely one sentence reads anxious, needy or pushy.

The phrase rules in ``rules.toml`` are precise but only know the wordings they list.  This
model adds ``desperation.tone``: a logistic regression over the word n-grams of a sentence,
trained on the labelled desperate phrases of the real-message tuning set, with the written
tuning drafts as a supplement (``models/desperation``: recipe and model card).  It is the
shared sentence model (``checker.learned``: feature extractor, TF-IDF and JSON weights, no
pickle and no scikit-learn on the check path) with its own weights file.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ...learned import Model, SentenceModel, extract, load_shipped, packaged, shipped_loader

PACKAGE = "checker.models.desperation"


class ToneModel(SentenceModel):
    FORMAT = "followup-checker/desperation-tone-model/1"
    KIND = "desperation tone"
    REBUILD = "rebuild it with `followup train desperation`"


def features(sent, config: dict) -> dict[str, float]:
    """The feature counts of one sentence (training and the check share this)."""
    return extract([sent], config).counts


def weights_path() -> Path:
    return packaged(PACKAGE)


@functools.lru_cache(maxsize=1)
def load() -> ToneModel:
    """The shipped model, read once per process."""
    return load_shipped(weights_path(), ToneModel)


class DesperationMessage(Model):
    """The whole-message desperation model: the probability that a draft reads desperate,
    from the features of all its body sentences together (``models/desperation/card.md``)."""

    FORMAT = "followup-checker/desperation-message-model/1"
    KIND = "desperation message"
    REBUILD = "rebuild it with `followup train desperation`"


load_message = shipped_loader(PACKAGE, "message.json", DesperationMessage)

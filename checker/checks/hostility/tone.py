"""The learned hostility-tone scorer: how likely one sentence reads hostile (sarcastic,
accusing, arguing, complaining, condescending) when no phrase rule lists its words.

Trained on the labelled hostile phrases of the real-message tuning set
(``models/hostility``: recipe and model card); the shared sentence model of
``checker.learned`` with its own weights file.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ...learned import Model, SentenceModel, load_shipped, packaged, shipped_loader
from ...rules.signals import sum_counts  # noqa: F401  (the models train with it)

PACKAGE = "checker.models.hostility"


class HostilityTone(SentenceModel):
    FORMAT = "followup-checker/hostility-tone-model/1"
    KIND = "hostility tone"
    REBUILD = "rebuild it with `followup train hostility`"


def weights_path() -> Path:
    return packaged(PACKAGE)


@functools.lru_cache(maxsize=1)
def load() -> HostilityTone:
    """The shipped model, read once per process."""
    return load_shipped(weights_path(), HostilityTone)


class HostilityMessage(Model):
    """The whole-message hostility model: the probability that a draft reads hostile, from the
    features of all its body sentences together (``models/hostility/card.md``)."""

    FORMAT = "followup-checker/hostility-message-model/1"
    KIND = "hostility message"
    REBUILD = "rebuild it with `followup train hostility`"


load_message = shipped_loader(PACKAGE, "message.json", HostilityMessage)

"""The desperation-tone model's task (``followup train desperation``): sentences that overlap
a labelled ``desperate_phrases`` entry, learned from the real-message tuning set with the
written tuning drafts as a supplement at half weight.  The machinery is ``models/tone.py``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from checker.checks.desperation.tone import DesperationMessage, ToneModel
from checker.models import tone
from checker.models.tone import DATA, DataError, Example  # noqa: F401  (the recipe's public names)

HERE = Path(__file__).resolve().parent
RECIPE = tone.RECIPE
# The real-message tuning set and the three fresh real collections, and the written tuning
# sets as a supplement; holdout*.jsonl
# and real/holdout.jsonl are never trained on.
TASK = tone.Task(
    name="desperation",
    label="desperate",
    globs=("real/tune*.jsonl", "real/fresh_*.jsonl", "tune*.jsonl"),
    model_class=ToneModel,
    recipe=RECIPE,
    out_dir=HERE,
    set_weights={"real": 1.0, "tune": 0.5},
    threshold_section="desperation.tone",
)

#: The whole-message model: the same features as the sentence model (the check extracts them
#: once for both) over all the body sentences of a draft; positive when the draft is labelled
#: desperate; the same sets and set weights.
MESSAGE_TASK = replace(
    TASK, model_class=DesperationMessage, threshold_section="desperation.message"
)


def read_sets(names=None, data_dir=None):
    return tone.read_sets(TASK, names, data_dir)


def examples(sets, config=None):
    return tone.examples(TASK, sets, config)


def train(exs, recipe=RECIPE, meta=None):
    return tone.train(TASK, exs, recipe, meta)


def cross_validate(exs, recipe=RECIPE, folds: int = 5, seed: int = 0):
    return tone.cross_validate(TASK, exs, recipe, folds, seed)

"""The hostility-tone model's task (``followup train hostility``): sentences that overlap a
labelled ``hostile_phrases`` entry of the real-message tuning set (the written sets carry no
hostility labels).  The machinery is ``models/tone.py``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from checker.checks.hostility.tone import HostilityMessage, HostilityTone
from checker.config import deep_merge
from checker.models import tone

HERE = Path(__file__).resolve().parent
RECIPE = tone.RECIPE
TASK = tone.Task(
    name="hostility",
    label="hostile",
    globs=("real/tune*.jsonl", "real/fresh_*.jsonl"),
    model_class=HostilityTone,
    recipe=RECIPE,
    out_dir=HERE,
    threshold_section="hostility.tone",
)

#: The whole-message model: word 1-2-grams and character 3-5-grams inside words (the shape of
#: "apparently", "'interview'", "clearly" however it is spelled), with the care-in-writing
#: flags, over all the body sentences of a draft; positive when the draft is labelled hostile.
MESSAGE_RECIPE = deep_merge(
    RECIPE,
    {
        "config": {"char_ngrams": [3, 5]},
        "blocks": {"c": {"weight": 1.0, "sublinear": True, "norm": "l2"}},
    },
)
#: The same sets as the sentence model.
MESSAGE_TASK = replace(
    TASK,
    model_class=HostilityMessage,
    recipe=MESSAGE_RECIPE,
    threshold_section="hostility.message",
)

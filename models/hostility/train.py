"""The hostility-tone model's task (``followup train hostility``): sentences that overlap a
labelled ``hostile_phrases`` entry of the real-message tuning set (the written sets carry no
hostility labels).  The machinery is ``models/tone.py``."""
from __future__ import annotations

from pathlib import Path

from checker.checks.hostility.tone import HostilityTone
from models import tone

HERE = Path(__file__).resolve().parent
RECIPE = tone.RECIPE
TASK = tone.Task(name="hostility", label="hostile", globs=("real/tune*.jsonl",),
                 model_class=HostilityTone, recipe=RECIPE, out_dir=HERE,
                 threshold_section="hostility.tone")

"""Entry point behind ``followup train hostility``: train, then write ``weights.json`` and
``card.json`` (with grouped cross-validation figures)."""
from __future__ import annotations

from models import tone

from .train import TASK


def build(data_dir=None, out_dir=None, sets=None, evaluate_too=True, say=print) -> dict:
    return tone.build(TASK, data_dir, out_dir, sets, evaluate_too, say)

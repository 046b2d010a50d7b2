"""Entry point behind ``followup train hostility``: train, then write ``weights.json``,
``message.json`` and ``card.json`` (with grouped cross-validation figures)."""

from __future__ import annotations

from checker.models import tone

from .train import MESSAGE_TASK, TASK


def build(data_dir=None, out_dir=None, sets=None, evaluate_too=True, say=print) -> dict:
    """The sentence tone model (``weights.json``), then the whole-message model
    (``message.json``); both described in ``card.json``."""
    return tone.build_with_message(TASK, MESSAGE_TASK, data_dir, out_dir, sets, evaluate_too, say)

"""Hostility signals: sarcasm, accusations, arguing with the decision, complaints about the
process, demands made as a right, condescension and threats, plus the learned hostility tone
model for sentences no phrase rule lists (``rules.toml``, run by ``checker.rules.signals``),
and the whole-message model (``hostility.message``) for drafts hostile as a whole."""

from __future__ import annotations

from ...rules import signals


def _message(text, lo, hi, meta):
    return []  # scored after the signals (``signals.whole_message``): it reads the whole draft


def run(ctx):
    from .tone import load, load_message

    section = signals.run(ctx, "hostility", {"message": _message}, tone=load)
    if ctx.config.enabled("hostility.message"):
        signals.whole_message(ctx, "hostility", section, load_message())
    return section

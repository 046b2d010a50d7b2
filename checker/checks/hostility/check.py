"""Hostility signals: sarcasm, accusations, arguing with the decision, complaints about the
process, demands made as a right, condescension and threats, plus the learned hostility tone
model for sentences no phrase rule lists (``rules.toml``, run by ``checker.rules.signals``)."""
from __future__ import annotations

from ...rules import signals


def run(ctx):
    from .tone import load

    return signals.run(ctx, "hostility", {}, tone=load)

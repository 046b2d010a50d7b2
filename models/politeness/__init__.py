"""Politeness model: training recipe, evaluation protocol, weights (weights.json) and card."""

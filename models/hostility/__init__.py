"""The hostility-tone model: its task, recipe, weights and card."""

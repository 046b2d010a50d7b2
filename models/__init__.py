"""Trained models with their training recipes and model cards."""

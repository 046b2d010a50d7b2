"""Politeness: strategies on spaCy's parse, features, and the learned linear scorer.

Nothing here imports scikit-learn: the check path loads a JSON weights file and scores with a
dot product over named features (``model.Model``).  Training and evaluation live in
``models/politeness``.
"""
from .strategies import Match, strategies  # noqa: F401

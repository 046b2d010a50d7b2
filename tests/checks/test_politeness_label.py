"""The email-level politeness label and its reasons (issue: judgement on real messages)."""

from __future__ import annotations

import checker

BEGGING = (
    "Hi Ms. Lee,\n\nPlease, please let me know either way as soon as possible!!! I really "
    "need this job and my family is counting on me.\n\nThanks,\nSam"
)


def test_a_high_desperation_level_is_never_polite():
    d = checker.check(BEGGING, kind="follow_up").to_dict()
    assert d["desperation"]["level"] == "high"
    assert d["politeness"]["label"] != "polite"


def test_each_reason_names_a_span_once_and_is_never_a_function_word():
    from spacy.lang.en.stop_words import STOP_WORDS

    text = (
        "Dear Mr. Ng,\n\nThank you for the interview and the food. Thanks again, and thx "
        "for the tour. Could you let me know the timeline? I would appreciate it.\n\nBest,\nAl"
    )
    d = checker.check(text).to_dict()
    reasons = d["politeness"]["top_features"]
    assert reasons
    texts = [" ".join(r["text"].lower().split()) for r in reasons]
    assert len(texts) == len(set(texts))
    for r in reasons:
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["text"].lower() not in STOP_WORDS
        assert r["text"].lower() not in ("food", "thx")


def test_a_call_heads_up_is_never_also_a_bare_command():
    text = (
        "Dear Ms. Ruiz,\n\nThank you for meeting me on Monday. Expect a call from me around "
        "the 14th.\n\nBest,\nAl"
    )
    report = checker.check(text, kind="thank_you")
    assert report.elements["call_heads_up"]["present"]
    assert not [f for f in report.findings if f.rule == "politeness.bare_command"]

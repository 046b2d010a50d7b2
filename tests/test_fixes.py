"""Fixes the page can apply: placeholders filled from the log, text-speak, "!!!"; the core's
``fix`` wins when a finding has one."""
from __future__ import annotations

import pytest

from checker import fixes


def F(rule, text, word, **extra):
    start = text.index(word)
    return {"rule": rule, "start": start, "end": start + len(word), **extra}


LOG = {"company": "Acme Dental", "person": "Ms Lee"}


@pytest.mark.parametrize("text, word, context, expected", [
    ("Dear [Hiring Manager],", "[Hiring Manager]", LOG, "Dear Ms Lee,"),
    ("Dear Ms. [Surname],", "[Surname]", LOG, "Dear Ms. Lee,"),
    ("the team at {{company}} today", "{{company}}", LOG, "the team at Acme Dental today"),
    ("the team at <Company Name>.", "<Company Name>", LOG, "the team at Acme Dental."),
    # nothing in the log for it: no fix
    ("Dear [Hiring Manager],", "[Hiring Manager]", {"company": "Acme"}, None),
    ("the [Role] position", "[Role]", LOG, None),
    ("Best, <Your Name>", "<Your Name>", LOG, None),
])
def test_placeholders_from_the_log(text, word, context, expected):
    f = F("hygiene.placeholder", text, word)
    fix = fixes.fix_for(f, text, context)
    if expected is None:
        assert fix is None
    else:
        assert fixes.apply(text, [fix]) == expected


@pytest.mark.parametrize("text, word, expected", [
    ("Hi,\n\nthx for the chat.", "thx", "Hi,\n\nThanks for the chat."),
    ("It was great, thx again.", "thx", "It was great, thanks again."),
    ("Great to meet u today.", "u", "Great to meet you today."),
    ("LMK if you need more.", "LMK", "Let me know if you need more."),
    ("It was fun lol and useful.", "lol", "It was fun and useful."),
])
def test_text_speak(text, word, expected):
    fix = fixes.fix_for(F("hygiene.text_speak", text, word), text)
    assert fixes.apply(text, [fix]) == expected


@pytest.mark.parametrize("text, run, expected", [
    ("Tell me if I got it!!!", "!!!", "Tell me if I got it."),
    ("Did you see my emails??", "??", "Did you see my emails?"),
    ("Really?!", "?!", "Really?"),
])
def test_stacked_punctuation(text, run, expected):
    fix = fixes.fix_for(F("desperation.punctuation", text, run), text)
    assert fixes.apply(text, [fix]) == expected


def test_the_cores_fix_and_id_win():
    text = "thx a lot"
    f = F("hygiene.text_speak", text, "thx", id="f7",
          fix={"start": 0, "end": 3, "replacement": "Thank you"})
    assert fixes.finding_id(f) == "f7"
    assert fixes.fixes_for([f], text) == {"f7": {"start": 0, "end": 3, "replacement": "Thank you"}}
    # without an id, the finding is named by rule and span
    g = F("hygiene.text_speak", text, "thx")
    assert fixes.finding_id(g) == "hygiene.text_speak@0-3"


def test_apply_many_and_overlaps():
    text = "thx u!!!"
    fs = [{"start": 0, "end": 3, "replacement": "Thanks"}, {"start": 4, "end": 5, "replacement": "you"},
          {"start": 5, "end": 8, "replacement": "."}, {"start": 4, "end": 8, "replacement": "X"}]
    assert fixes.apply(text, fs) == "Thanks you."


def test_utf16_offsets():
    text = "\U0001F600 thx"
    assert fixes.utf16(text, text.index("thx")) == 3

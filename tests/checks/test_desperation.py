"""The desperation check (checker/checks/desperation): signals, level and escalation, the
custom shouting rule and the over-apology count.  Rule-by-rule paraphrases are in
rule_examples/desperation.toml; the tone model has tests/test_tone.py."""

from __future__ import annotations

import checker
from checker.config import Config
from checker.rules import threshold_defaults


def _d(text: str, **kw):
    return checker.check(text, kind="follow_up", **kw).to_dict()


def test_one_mild_signal_is_a_warning_and_a_high_level_is_an_error():
    mild = _d("Hi Sam,\n\nSorry for the wait. Sorry again for the typo.\n\nLee")
    assert mild["desperation"]["level"] == "some"
    assert {f["severity"] for f in mild["findings"] if f["category"] == "desperation"} == {
        "warning"
    }
    high = _d("Hi Sam,\n\nI really need this job. Please, please hire me!!!\n\nLee")
    levels = threshold_defaults()["desperation.level"]
    assert high["desperation"]["score"] >= levels["high"] and high["desperation"]["level"] == "high"
    assert {f["severity"] for f in high["findings"] if f["category"] == "desperation"} == {"error"}


def test_a_severity_the_user_sets_wins_over_escalation():
    cfg = Config.from_dict({"severity": {"desperation.neediness": "suggestion"}})
    d = _d("Hi Sam,\n\nI really need this job. Please, please hire me!!!\n\nLee", config=cfg)
    assert {f["severity"] for f in d["findings"] if f["rule"] == "desperation.neediness"} == {
        "suggestion"
    }


def test_shouting_skips_acronyms_and_takes_trailing_marks():
    d = _d("Hi Sam,\n\nMy NHS and CPA papers are attached. I NEED THIS JOB.\n\nLee")
    shouts = [s["text"] for s in d["desperation"]["signals"] if s["rule"] == "desperation.shouting"]
    assert shouts == ["NEED THIS JOB."]


def test_one_apology_is_fine_two_are_a_signal():
    assert not _d("Hi Sam,\n\nSorry for the late reply. Is there an update?\n\nLee")["desperation"][
        "detected"
    ]
    d = _d("Hi Sam,\n\nSorry for the late reply. I apologise for chasing.\n\nLee")
    assert [s["rule"] for s in d["desperation"]["signals"]] == ["desperation.over_apology"] * 2


def test_signals_are_exact_spans_in_order():
    text = "Hi Sam,\n\nI keep refreshing my inbox. Any news??\n\nLee"
    signals = _d(text)["desperation"]["signals"]
    assert [s["start"] for s in signals] == sorted(s["start"] for s in signals)
    assert all(text[s["start"] : s["end"]] == s["text"] for s in signals)

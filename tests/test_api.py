"""The core API: check / check_many, spans, kinds, config, layout, robustness."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker
from checker import Config, check, check_many
from checker.textprep import infer_kind, layout

NOTE = (
    "Dear Ms. Lee,\n\nThank you for meeting with me on Monday. I enjoyed hearing about the "
    "new clinic. Please let me know if you need references. I will call you next week.\n\n"
    "Best regards,\nAmy Chen"
)


def _all_spans(d: dict):
    for f in d["findings"]:
        yield f["start"], f["end"]
    for s in d.get("desperation", {}).get("signals", []):
        yield s["start"], s["end"]
    for s in d.get("politeness", {}).get("strategies", []):
        yield s["start"], s["end"]
    for el in d.get("elements", {}).values():
        if el.get("present"):
            yield el["start"], el["end"]


def test_check_returns_full_report():
    r = check(NOTE)
    d = r.to_dict()
    assert d["kind"] == "thank_you"
    assert all(
        d["elements"][k]["present"] for k in ("thanks", "enjoyed", "offer_info", "call_heads_up")
    )
    assert d["elements"]["call_heads_up"]["when"]["text"] == "next week"
    assert d["desperation"] == {"detected": False, "level": "none", "score": 0, "signals": []}
    json.dumps(d)  # serialisable


def test_spans_index_the_exact_input():
    text = "Hi Tom,\n\nthx!!! I REALLY need this job.\n\nSam"
    d = check(text).to_dict()
    for s, e in _all_spans(d):
        assert 0 <= s <= e <= len(text)
    for f in d["findings"]:
        assert text[f["start"] : f["end"]] == f["text"]


def test_check_many_matches_check_and_keeps_order():
    texts = [NOTE, "", "Hi,\n\nAny update?? I need this job.\n\nSam", NOTE.replace("Amy", "Bo")]
    many = [r.to_dict() for r in check_many(texts)]
    one = [check(t).to_dict() for t in texts]
    assert many == one


def test_check_many_takes_context_tuples():
    reports = list(check_many([(NOTE, {"kind": "follow_up"}), (NOTE, {})]))
    assert [r.kind for r in reports] == ["follow_up", "thank_you"]


def test_kind_inference():
    assert infer_kind("I am writing to follow up on my interview.") == "follow_up"
    assert infer_kind("Just checking in on the status of my application.") == "follow_up"
    assert infer_kind("Thank you for the interview today.") == "thank_you"
    with pytest.raises(ValueError):
        check(NOTE, kind="memo")


def test_layout_finds_greeting_body_signoff():
    lay = layout(NOTE)
    assert NOTE[lay.greeting[0] : lay.greeting[1]] == "Dear Ms. Lee,"
    assert NOTE[lay.signoff[0] : lay.signoff[1]] == "Best regards,"
    assert NOTE[lay.body[0] : lay.body[1]].strip().startswith("Thank you")
    assert "Best regards" not in NOTE[lay.body[0] : lay.body[1]]


def test_uncheckable_input_gives_graceful_report():
    for text, rule in (
        ("", "input.empty"),
        ("\x00\x01bin", "input.binary"),
        ("word " * 5000, "input.too_long"),
    ):
        r = check(text)
        assert [f.rule for f in r.findings] == [rule]
        assert r.to_dict()["verdict"] == "revise"


def test_config_severity_override_and_off():
    cfg = Config.from_dict(
        {"rules": {"elements.call_heads_up": False}, "severity": {"elements": "suggestion"}}
    )
    r = check("Dear Ms. Lee,\n\nThank you for the interview.\n\nBest,\nAmy", config=cfg)
    rules = {f.rule: f.severity for f in r.findings}
    assert "elements.call_heads_up" not in rules
    assert rules["elements.enjoyed"] == "suggestion"


def test_thresholds_override():
    cfg = Config.from_dict({"thresholds": {"length": {"thank_you": {"min_words": 5}}}})
    r = check(
        "Dear Ms. Lee,\n\nThank you for the interview yesterday afternoon.\n\nBest,\nAmy",
        config=cfg,
    )
    assert r.to_dict()["length"]["verdict"] == "ok"


def test_desperation_level_escalates_to_error():
    r = check(
        "Hi,\n\nI'm begging you, I really need this job and my family is counting on me!!!\n\nSam"
    )
    d = r.to_dict()
    assert d["desperation"]["level"] == "high"
    assert any(
        f["severity"] == "error" and f["rule"].startswith("desperation.") for f in d["findings"]
    )


def test_html_input_offsets_refer_to_plain_text():
    r = check("<p>Dear Ms. Lee,</p><p>Thank you for the interview!!!</p>")
    d = r.to_dict()
    plain = d["source"]["text"]
    assert "<p>" not in plain
    for s, e in _all_spans(d):
        assert 0 <= s <= e <= len(plain)


def test_placeholder_is_not_mistaken_for_html():
    r = check("Dear <Name>,\n\nThank you for the interview.\n\nBest,\nAmy")
    assert "source" not in r.to_dict()
    assert any(f.rule == "hygiene.placeholder" for f in r.findings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
    | st.sampled_from(
        [
            "\u202eevil\u202c",
            "😀" * 50,
            "a" * 3000,
            "\x00",
            "\u0000\t\n",
            "I" * 50 + "!!!",
            "<p><b>hi</b>",
            "Dear ,\n\n\n,",
            "Thanks\r\nfor\rthe\u2028time",
        ]
    )
)
def test_check_never_raises_and_spans_are_valid(text):
    r = check(text)
    d = r.to_dict()
    target = d.get("source", {}).get("text", text)
    for s, e in _all_spans(d):
        assert 0 <= s <= e <= len(target)
    for f in d["findings"]:
        assert target[f["start"] : f["end"]] == f["text"]
    assert d["schema"] == checker.SCHEMA

"""The elements check (checker/checks/elements): evidence, required elements per kind and
where a missing one is reported.  Rule-by-rule paraphrases are in rule_examples/elements.toml."""

from __future__ import annotations

import checker
from checker.checks.elements.check import element_rules

NOTE = (
    "Dear Ms. Lee,\n\nThank you for meeting me on Monday. I enjoyed hearing about the new "
    "depot, and thank you for the tour.\n\nBest regards,\nAmy"
)


def test_element_rules_are_data_and_kept_to_their_kinds():
    assert list(element_rules("thank_you")) == ["thanks", "enjoyed", "offer_info", "call_heads_up"]
    reply = element_rules("rejection_reply")
    assert {"thanks_for_news", "gracious", "door_open", "feedback_request"} <= set(reply)
    assert all("missing_at" in meta for meta in reply.values())


def test_evidence_is_an_exact_span_and_each_element_quotes_its_own_sentence():
    d = checker.check(NOTE, kind="thank_you").to_dict()
    thanks, enjoyed = d["elements"]["thanks"], d["elements"]["enjoyed"]
    for el in (thanks, enjoyed):
        assert NOTE[el["start"] : el["end"]] == el["text"]
    assert thanks["text"].startswith("Thank you for meeting me")
    assert enjoyed["text"].startswith("I enjoyed hearing")


def test_missing_elements_point_at_the_body_start_or_end():
    d = checker.check(NOTE, kind="thank_you").to_dict()
    body_end = NOTE.index("\n\nBest")
    missing = {f["rule"]: f["start"] for f in d["findings"] if f["rule"].startswith("elements.")}
    assert missing["elements.offer_info"] == missing["elements.call_heads_up"] == body_end
    assert d["elements"]["offer_info"] == {"present": False}


def test_a_reply_to_a_rejection_is_not_asked_for_a_call_or_an_offer():
    text = (
        "Dear Ms. Lee,\n\nThank you for letting me know. I understand, and I hope our paths "
        "cross again.\n\nBest,\nAmy"
    )
    d = checker.check(text).to_dict()
    assert d["kind"] == "rejection_reply"
    rules = {f["rule"] for f in d["findings"]}
    assert not rules & {"elements.offer_info", "elements.call_heads_up", "elements.enjoyed"}
    assert d["elements"]["feedback_request"] == {"present": False}  # optional: no finding

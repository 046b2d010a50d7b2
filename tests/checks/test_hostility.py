"""The hostility check: its section, its severity, its pull on the politeness label, and the
reply to a rejection that argues (drafts written for these tests)."""

from __future__ import annotations

import checker
from checker.config import Config

SARCASTIC = (
    "Dear Ms. Webb,\n\nThanks for nothing. Three rounds, a take-home task, and a form "
    "letter at the end. I'm sure you're very busy.\n\nMark"
)
GRACIOUS = (
    "Dear Ms. Webb,\n\nThank you for letting me know, and for the time you and the team "
    "gave me. I'm disappointed, of course, but I understand. I hope our paths cross "
    "again.\n\nBest regards,\nMark"
)
ARGUING = (
    "Dear Ms. Webb,\n\nThank you for letting me know. Frankly, your decision makes no "
    "sense: I was clearly the most qualified candidate you interviewed.\n\nMark"
)


def test_section_has_the_shape_of_desperation():
    d = checker.check(SARCASTIC).to_dict()
    assert set(d["hostility"]) == set(d["desperation"]) == {"detected", "level", "score", "signals"}
    assert d["hostility"]["detected"] and d["hostility"]["level"] in ("some", "high")
    for sig in d["hostility"]["signals"]:
        assert set(sig) >= {"rule", "start", "end", "text"}
        assert SARCASTIC[sig["start"] : sig["end"]] == sig["text"]
        assert sig["rule"].startswith("hostility.")
    # The sections come in check order: desperation, then hostility, then politeness.
    keys = list(d)
    assert keys.index("desperation") < keys.index("hostility") < keys.index("politeness")


def test_a_hostile_signal_is_an_error_and_makes_the_draft_impolite():
    report = checker.check(SARCASTIC)
    hostile = [f for f in report.findings if f.rule == "hostility.sarcasm"]
    assert hostile and all(f.severity == "error" for f in hostile)
    assert report.sections["politeness"]["label"] == "impolite"
    assert report.fails("error")
    impolite = next(f for f in report.findings if f.rule == "politeness.impolite")
    assert "Thanks for nothing" in impolite.message


def test_a_gracious_reply_to_a_rejection_is_ready():
    report = checker.check(GRACIOUS)
    d = report.to_dict()
    assert d["kind"] == "rejection_reply" and d["verdict"] == "ready", d["findings"]
    assert not d["hostility"]["detected"] and not d["desperation"]["detected"]
    assert d["politeness"]["label"] == "polite"
    assert all(d["elements"][k]["present"] for k in ("thanks_for_news", "gracious", "door_open"))


def test_a_reply_that_argues_is_stopped():
    report = checker.check(ARGUING)
    rules = {f.rule for f in report.findings if f.severity == "error"}
    assert "hostility.arguing" in rules and report.fails("error")
    assert not report.elements["gracious"]["present"]


def test_config_can_turn_a_rule_off_or_lower_its_severity():
    off = checker.check(SARCASTIC, config=Config.from_dict({"rules": {"hostility": False}}))
    assert not off.to_dict()["hostility"]["signals"]
    soft = checker.check(
        SARCASTIC, config=Config.from_dict({"severity": {"hostility.sarcasm": "warning"}})
    )
    assert {f.severity for f in soft.findings if f.rule == "hostility.sarcasm"} == {"warning"}

"""The send verdict (ready / revise / dont_send) and advice resolved before it is shown.

A table over the policy's cases: what decides the verdict, which suggestion a standing
finding rules out, and the one date for sending.  The frequency check runs on a hand-made
context (no spaCy), as in ``test_frequency_check``."""

from __future__ import annotations

import datetime as dt

import pytest

from checker import advice, textprep
from checker.api import Context
from checker.checks.frequency import check as frequency
from checker.config import Config
from checker.contacts import db
from checker.report import VERDICTS, Finding, Report, send_verdict


def finding(rule: str, severity: str, message: str = "m", suggestion: str = "s") -> Finding:
    return Finding(rule, rule.split(".")[0], severity, message, 0, 0, suggestion)


W = finding("elements.thanks", "warning")
E = finding("hygiene.placeholder", "error")
S = finding("politeness.neutral", "suggestion")
NOT_YET = {"allowed": False, "earliest": "2026-12-09"}
NEVER = {"allowed": False, "earliest": None}
OK = {"allowed": True, "earliest": "2026-12-02"}
HOSTILE = {"detected": True, "level": "some", "score": 1.5, "signals": []}
CALM = {"detected": False, "level": "none", "score": 0.0, "signals": []}


@pytest.mark.parametrize(
    "findings, freq, hostility, expected",
    [
        ([], None, None, "ready"),  # nothing at all
        ([S], None, None, "ready"),  # suggestions never stop a send
        ([S], OK, CALM, "ready"),
        ([W], None, None, "revise"),  # warnings only
        ([W, S], OK, CALM, "revise"),
        ([E], None, None, "dont_send"),  # any error stands
        ([E, W, S], OK, CALM, "dont_send"),
        ([], NOT_YET, None, "dont_send"),  # the timing says not yet ...
        ([S], NEVER, None, "dont_send"),  # ... or not at all
        ([W], NOT_YET, CALM, "dont_send"),
        ([], None, HOSTILE, "dont_send"),  # hostility detected
        ([W], OK, HOSTILE, "dont_send"),
    ],
)
def test_send_verdict_table(findings, freq, hostility, expected):
    sections = {k: v for k, v in (("frequency", freq), ("hostility", hostility)) if v}
    report = Report(text="x", kind="thank_you", findings=list(findings), sections=sections)
    assert report.send_verdict == send_verdict(findings, freq, hostility) == expected
    d = report.to_dict()
    assert d["send_verdict"] == expected
    # the two-level verdict of schema 1 never contradicts it
    assert d["verdict"] == ("ready" if expected == "ready" else "revise")
    assert expected in VERDICTS and VERDICTS[expected].title


def test_finding_dicts_give_the_same_verdict():
    dicts = [{"severity": f.severity} for f in (W, S)]
    assert send_verdict(dicts) == "revise"
    assert send_verdict(dicts, {"allowed": False}) == "dont_send"


@pytest.mark.parametrize(
    "rule, standing, kept",
    [
        # "send it today anyway" is ruled out by a second note, too soon, too many ...
        ("frequency.late_thank_you", "frequency.second_thank_you", False),
        ("frequency.late_thank_you", "frequency.too_many", False),
        ("frequency.late_thank_you", None, True),
        # "copy this note by hand" is not for a second note
        ("frequency.handwritten", "frequency.second_thank_you", False),
        # "I will give you a call in a week or two" after the one call was made
        ("elements.call_heads_up", "frequency.call_already", False),
        ("elements.call_heads_up", "frequency.second_call", False),
        ("elements.call_heads_up", "frequency.too_soon", True),
        ("frequency.call_too_soon", "frequency.call_already", False),
        # a suggestion never rules anything out
        ("frequency.late_thank_you", "politeness.neutral", True),
    ],
)
def test_contradicted_suggestions_are_dropped(rule, standing, kept):
    severity = "suggestion" if standing == "politeness.neutral" else "error"
    findings = [finding(rule, "warning", suggestion="do it")]
    if standing:
        findings.append(finding(standing, severity))
    report = advice.resolve(Report(text="x", kind="thank_you", findings=findings))
    assert (report.findings[0].suggestion == "do it") is kept


IV_DAY = dt.date(2026, 11, 30)


@pytest.fixture
def logdb(interview_log):
    return interview_log(IV_DAY)


DRAFT = (
    "Dear Ms. Lee,\n\nThank you for meeting with me. I enjoyed learning about the team. "
    "Please let me know if I can send anything else.\n\nBest regards,\nSam"
)


def judged(logdb, kind: str, send_on: str, channel: str = "email") -> Report:
    """A report with the frequency check run against the log (no other checks), resolved."""
    ctx = Context(
        text=DRAFT,
        doc=None,
        kind=kind,
        config=Config(),
        layout=textprep.layout(DRAFT),
        options={"to": "Acme", "send_on": send_on, "db": str(logdb), "channel": channel},
    )
    section = frequency.run(ctx)
    return advice.resolve(
        Report(text=DRAFT, kind=kind, findings=ctx.findings, sections={"frequency": section})
    )


def add(logdb, day, channel, kind, announced=None):
    conn = db.connect(logdb)
    db.add_event(conn, "Acme", day, channel, "sent", kind, "", announced)
    conn.close()


def test_second_late_note_is_dont_send_without_send_it_anyway(logdb):
    add(logdb, dt.date(2026, 12, 1), "email", "thank_you")
    report = judged(logdb, "thank_you", "2026-12-07")
    rules = {f.rule: f for f in report.findings}
    assert {"frequency.second_thank_you", "frequency.late_thank_you"} <= set(rules)
    assert report.send_verdict == "dont_send"
    assert rules["frequency.late_thank_you"].suggestion == ""
    assert "anyway" not in " ".join(f.suggestion for f in report.findings)
    a = advice.advise(report, today=dt.date(2026, 12, 7))
    assert a.never and a.send_on is None and not a.can_record
    assert a.timing == "Better not to send this at all."


def test_one_date_for_sending(logdb):
    """Too soon after the note (wait until 8 Dec) and one message too many (12 Dec): every
    finding and the timing line give the later date, the one the policy settled on."""
    add(logdb, dt.date(2026, 12, 1), "email", "thank_you")
    add(logdb, dt.date(2026, 12, 2), "email", "follow_up")
    report = judged(logdb, "follow_up", "2026-12-03")
    fr = report.frequency
    assert fr["allowed"] is False
    when = dt.date.fromisoformat(fr["earliest"])
    label = f"{when.day} {when:%b}"
    dated = [f for f in report.findings if "until" in f.message or "until" in f.suggestion]
    assert dated
    for f in dated:
        for text in (f.message, f.suggestion):
            for date in advice._WAIT.findall(text):
                assert date[1] == label, (f.rule, text)
    assert all(label in r for r in fr["reasons"] if "until" in r)
    a = advice.advise(report, today=dt.date(2026, 12, 3))
    assert a.verdict == "dont_send" and a.send_on == when
    assert a.timing == f"Not yet: send it on or after {label}."


def test_a_good_time_is_ready_and_offers_logging(logdb):
    report = judged(logdb, "thank_you", "2026-12-01")
    assert report.send_verdict == "ready"
    a = advice.advise(report, today=dt.date(2026, 12, 1))
    assert a.can_record and a.timing == "A good time to send this." and a.why == []


def test_next_step_of_the_same_kind_is_not_repeated(logdb):
    report = judged(logdb, "thank_you", "2026-12-01")
    step = {"action": "thank_you", "step": "Send a thank-you note by 3 Dec.", "date": "2026-12-03"}
    assert advice.next_step(report, step) is None
    call = {"action": "call", "step": "Call once, on or after 14 Dec.", "date": "2026-12-14"}
    assert advice.next_step(report, call) == dict(call, relation="")
    email = judged(logdb, "follow_up", "2026-12-09")
    assert advice.next_step(email, call)["relation"] == "instead"

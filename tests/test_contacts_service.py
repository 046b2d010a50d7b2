"""``checker.contacts.service``: logging a sent message and judging a planned one."""

from __future__ import annotations

import datetime as dt

import pytest

from checker import contacts
from checker.contacts import db, service
from checker.contacts.model import ContactLogError
from checker.report import Report

IV_DAY = dt.date(2026, 11, 16)


@pytest.fixture
def conn():
    c = db.connect(":memory:")
    db.add_event(c, "Acme", IV_DAY, "in_person", "received", "interview")
    yield c
    c.close()


def report(kind="thank_you", call_date=None, heads_up=False):
    sections = {"elements": {"call_heads_up": {"present": heads_up}}}
    if call_date is not None:
        sections["frequency"] = {"announced_call": {"date": call_date}}
    return Report(text="x", kind=kind, sections=sections)


def test_public_names_are_exported():
    for name in (
        "record_sent",
        "judge",
        "Recorded",
        "Judgement",
        "announced_by",
        "logged_kind",
        "parse_announced",
    ):
        assert getattr(contacts, name) is getattr(service, name)
        assert name in contacts.__all__


@pytest.mark.parametrize(
    "rep,expected",
    [
        (report(call_date="2026-11-24", heads_up=True), "2026-11-24"),
        (report(heads_up=True), "yes"),
        (report(), None),
        (Report(text="x", kind="thank_you"), None),  # no sections at all
    ],
)
def test_announced_by(rep, expected):
    assert service.announced_by(rep) == expected


@pytest.mark.parametrize(
    "kind,channel,expected",
    [
        ("thank_you", "email", "thank_you"),
        ("follow_up", "text", "follow_up"),
        ("thank_you", "call", "follow_up"),
        ("thank_you", "voicemail", "follow_up"),
        (None, "email", "other"),
        ("memo", "email", "other"),
    ],
)
def test_logged_kind(kind, channel, expected):
    assert service.logged_kind(kind, channel) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (None, None),
        ("", None),
        ("yes", "yes"),
        ("2026-11-24", "2026-11-24"),
        (dt.date(2026, 11, 24), "2026-11-24"),
        (dt.datetime(2026, 11, 24, 9, 30), "2026-11-24"),
    ],
)
def test_parse_announced(value, expected):
    assert service.parse_announced(value) == expected


def test_parse_announced_refuses_other_text():
    with pytest.raises(ContactLogError, match="announced_call must be a date"):
        service.parse_announced("soon")


def test_record_sent_from_a_checked_report(conn):
    rec = service.record_sent(
        "acme",
        report=report(call_date="2026-11-24", heads_up=True),
        when="2026-11-17",
        note="checked n.txt",
        conn=conn,
    )
    assert isinstance(rec, service.Recorded) and rec.announced_call == "2026-11-24"
    ev = rec.event
    assert (ev.company, ev.day, ev.channel, ev.direction, ev.kind, ev.note, ev.announced_call) == (
        "Acme",
        dt.date(2026, 11, 17),
        "email",
        "sent",
        "thank_you",
        "checked n.txt",
        "2026-11-24",
    )
    assert db.get_event(conn, ev.id) == ev


def test_record_sent_explicit_values_win_over_the_report(conn):
    rec = service.record_sent(
        "Acme",
        report=report(heads_up=True),
        kind="follow_up",
        when=dt.date(2026, 11, 25),
        channel="letter",
        announced_call="2026-12-01",
        conn=conn,
    )
    assert (rec.event.kind, rec.event.channel, rec.announced_call) == (
        "follow_up",
        "letter",
        "2026-12-01",
    )


def test_record_sent_defaults(tmp_path):
    today = dt.date(2026, 11, 20)
    p = tmp_path / "new" / "contacts.db"
    rec = service.record_sent(
        "Initech", report=report(kind="follow_up"), channel="call", today=today, db=str(p)
    )
    assert p.exists()  # created on first write
    assert (rec.event.day, rec.event.kind, rec.announced_call) == (today, "follow_up", None)
    rec = service.record_sent("Initech", kind="thank_you", when="yesterday", today=today, db=str(p))
    assert rec.event.day == dt.date(2026, 11, 19) and rec.announced_call is None
    rec = service.record_sent(
        "Initech", kind="thank_you", when="03/12/2026", date_format="%d/%m/%Y", db=str(p)
    )
    assert rec.event.day == dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"kind": "memo"}, "kind"),
        ({"kind": "thank_you", "when": "the 45th"}, "cannot read the date"),
        ({"kind": "thank_you", "announced_call": "soon"}, "announced_call"),
    ],
)
def test_record_sent_errors_are_contact_log_errors(conn, kwargs, match):
    with pytest.raises(ContactLogError, match=match):
        service.record_sent("Acme", conn=conn, **kwargs)
    assert db.count_events(conn) == 1


def test_judge_against_the_log(conn):
    j = service.judge("ACME", send_on=dt.date(2026, 11, 17), kind="thank_you", conn=conn)
    assert isinstance(j, service.Judgement)
    assert j.company == "Acme" and j.employer is not None and len(j.events) == 1
    assert j.verdict.allowed and j.verdict.kind == "thank_you"
    service.record_sent("Acme", kind="thank_you", when=dt.date(2026, 11, 17), conn=conn)
    j = service.judge("Acme", send_on=dt.date(2026, 11, 18), kind="thank_you", conn=conn)
    assert not j.verdict.allowed
    assert [r.rule for r in j.verdict.reasons] == ["frequency.second_thank_you"]
    j = service.judge("Acme", send_on=dt.date(2026, 11, 18), kind="follow_up", conn=conn)
    assert [r.rule for r in j.verdict.reasons] == ["frequency.too_soon"]
    assert j.verdict.earliest == dt.date(2026, 11, 24)


def test_judge_is_what_check_contact_returns(conn):
    day = dt.date(2026, 11, 18)
    assert (
        contacts.check_contact(conn, "Acme", send_on=day)
        == service.judge("Acme", send_on=day, conn=conn).verdict
    )


def test_judge_without_a_log_does_not_create_one(tmp_path):
    p = tmp_path / "none.db"
    j = service.judge("  Nowhere   Ltd ", send_on=dt.date(2026, 11, 18), db=str(p))
    assert not p.exists()
    assert j.company == "Nowhere Ltd" and j.employer is None and j.events == []
    assert j.verdict.allowed and [r.rule for r in j.verdict.reasons] == ["frequency.no_history"]


def test_judge_uses_the_cadence_config(conn):
    day = dt.date(2026, 11, 17)
    service.record_sent("Acme", kind="thank_you", when=day, conn=conn)
    later = dt.date(2026, 11, 20)
    assert not service.judge("Acme", send_on=later, conn=conn).verdict.allowed
    j = service.judge("Acme", send_on=later, conn=conn, config={"follow_up_min_days": 2})
    assert j.verdict.allowed and j.policy["follow_up_min_days"] == 2
    policy = contacts.load_policy({"follow_up_min_days": 3})
    assert service.judge("Acme", send_on=later, conn=conn, policy=policy).verdict.allowed


def test_judge_refuses_a_bad_channel(conn):
    with pytest.raises(ValueError, match="channel must be one of"):
        service.judge("Acme", channel="pigeon", conn=conn)

"""The frequency check inside ``check()`` and ``followup check --record`` (its line).

Most tests drive ``checker.checks.frequency.check.run`` with a hand-made context (no spaCy); one
(marked slow) runs the real elements + frequency checks on a parsed draft."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pytest

from checker import textprep
from checker.api import Context
from checker.checks.frequency import check as frequency
from checker.commands.check import record_line
from checker.config import Config
from checker.contacts import db
from checker.report import Report

IV_DAY = dt.date(2026, 11, 16)


@pytest.fixture
def logdb(interview_log):
    return interview_log(IV_DAY)


DRAFT = (
    "Dear Ms. Lee,\n\nThank you for meeting with me on Monday. I enjoyed learning about "
    "the team. Please let me know if I can send anything else. I will give you a call "
    "{when} to check in.\n\nBest regards,\nSam"
)


def make_ctx(when="next week", kind="thank_you", elements=True, config=None, **options):
    text = DRAFT.format(when=when)
    ctx = Context(
        text=text,
        doc=None,
        kind=kind,
        config=config or Config(),
        layout=textprep.layout(text),
        options=options,
    )
    if elements:
        start = text.index("I will give")
        end = text.index("check in.") + len("check in.")
        ctx.sections["elements"] = {
            "call_heads_up": {"present": True, "start": start, "end": end, "text": text[start:end]}
        }
    return ctx


def rules(ctx):
    return [f.rule for f in ctx.findings]


def test_no_to_means_no_section():
    assert frequency.run(make_ctx()) is None


def test_a_good_note_is_allowed(logdb):
    ctx = make_ctx(to="acme", send_on="2026-11-17", db=str(logdb))
    section = frequency.run(ctx)
    assert rules(ctx) == [] and section["allowed"] is True
    assert section["earliest"] == "2026-11-17" and section["reasons"] == []
    assert section["company"] == "Acme" and section["known"] is True
    assert section["announced_call"] == {
        "text": "next week",
        "label": "next week",
        "date": "2026-11-24",
        "days_after_send": 7,
        "repeat": False,
    }
    json.dumps(section)


def test_second_note_and_a_call_tomorrow(logdb):
    conn = db.connect(logdb)
    db.add_event(conn, "Acme", IV_DAY + dt.timedelta(days=1), "email", "sent", "thank_you")
    conn.close()
    ctx = make_ctx(when="tomorrow", to="Acme", send_on="2026-11-18", db=str(logdb))
    section = frequency.run(ctx)
    assert rules(ctx) == ["frequency.second_thank_you", "frequency.call_too_soon"]
    assert section["allowed"] is False and section["earliest"] is None
    f = ctx.findings[1]
    assert ctx.text[f.start : f.end].startswith("I will give you a call tomorrow")
    assert f.message == (
        "the note announces a call tomorrow (19 Nov), 1 day after sending; "
        "wait at least 7 days: on or after 25 Nov"
    )
    assert ctx.findings[0].start == ctx.findings[0].end == 0


def test_follow_up_too_soon_message_carries_the_numbers(logdb):
    conn = db.connect(logdb)
    db.add_event(conn, "Acme", IV_DAY + dt.timedelta(days=1), "email", "sent", "thank_you")
    conn.close()
    ctx = make_ctx(kind="follow_up", elements=False, to="Acme", send_on="2026-11-19", db=str(logdb))
    section = frequency.run(ctx)
    assert section["reasons"] == ["too soon: your note went out 2 days ago; wait until 24 Nov"]
    assert ctx.findings[0].severity == "error" and section["earliest"] == "2026-11-24"
    assert section["announced_call"] is None


def test_every_day_is_more_than_one_call(logdb):
    ctx = make_ctx(when="every day", to="Acme", send_on="2026-11-17", db=str(logdb))
    section = frequency.run(ctx)
    assert "frequency.call_repeat" in rules(ctx) and section["allowed"] is False


def test_missing_db_is_an_empty_log_and_creates_nothing(tmp_path):
    p = tmp_path / "none" / "contacts.db"
    ctx = make_ctx(to="Acme", db=str(p))
    section = frequency.run(ctx)
    assert rules(ctx) == ["frequency.no_history"] and section["known"] is False
    assert not p.exists() and not p.parent.exists()


def test_elements_section_absent_is_fine(logdb):
    ctx = make_ctx(elements=False, to="Acme", send_on="2026-11-17", db=str(logdb))
    assert frequency.run(ctx)["announced_call"] is None


def test_elements_and_frequency_read_the_call_time_from_one_table():
    """The report's elements.call_heads_up.when and the frequency check use checker.calltime."""
    import datetime as dt

    from checker import calltime
    from checker.contacts.policy import read_call_time

    for sentence in (
        "I will call you next week.",
        "I'll ring you in a week or two.",
        "I will call you tomorrow and again on Friday.",
        "I'll phone every day.",
    ):
        when = calltime.read(sentence)
        announced = read_call_time(sentence, dt.date(2026, 11, 17))
        assert when is not None and announced is not None
        assert (when.repeat, when.label) == (announced.repeat, announced.label)


def test_config_can_silence_or_soften(logdb):
    cfg = Config.from_dict(
        {"rules": {"frequency.call_too_soon": False}, "cadence": {"announced_call_min_days": 0}}
    )
    ctx = make_ctx(when="tomorrow", to="Acme", send_on="2026-11-17", db=str(logdb), config=cfg)
    frequency.run(ctx)
    assert rules(ctx) == []


@pytest.mark.parametrize(
    "options,match",
    [
        ({"send_on": "03/04/2026"}, "ambiguous date"),
        ({"send_on": "someday"}, "cannot read the date"),
        ({"channel": "pigeon"}, "channel must be one of"),
    ],
)
def test_bad_options_are_one_line_value_errors(logdb, options, match):
    with pytest.raises(ValueError, match=match) as err:
        frequency.run(make_ctx(to="Acme", db=str(logdb), **options))
    assert "\n" not in str(err.value)


def test_corrupt_db_is_a_value_error(tmp_path):
    p = tmp_path / "c.db"
    p.write_bytes(b"not sqlite" * 200)
    with pytest.raises(ValueError, match="not a readable contact log"):
        frequency.run(make_ctx(to="Acme", db=str(p)))
    assert p.read_bytes() == b"not sqlite" * 200


# --------------------------------------------------------------------------- --record


def _args(p, **kw):
    base = dict(to="Acme", send_on="2026-11-17", channel="email", db=str(p), fail_on="error")
    base.update(kw)
    return argparse.Namespace(**base)


def test_record_logs_a_passing_note(logdb):
    ctx = make_ctx(to="Acme", send_on="2026-11-17", db=str(logdb))
    ctx.sections["frequency"] = frequency.run(ctx)
    report = Report(text=ctx.text, kind="thank_you", findings=ctx.findings, sections=ctx.sections)
    msg = record_line(_args(logdb), report, "note.txt")
    assert msg.startswith("logged #2: email thank-you note to Acme on 17 Nov")
    assert "announced call around 24 Nov" in msg and "followup log rm 2" in msg
    conn = db.connect(logdb)
    ev = db.get_event(conn, 2)
    assert (ev.day, ev.kind, ev.direction, ev.announced_call, ev.note) == (
        dt.date(2026, 11, 17),
        "thank_you",
        "sent",
        "2026-11-24",
        "checked note.txt",
    )
    # A second note now fails the check, and a failing report is not logged.
    ctx = make_ctx(to="Acme", send_on="2026-11-18", db=str(logdb))
    ctx.sections["frequency"] = frequency.run(ctx)
    report = Report(text=ctx.text, kind="thank_you", findings=ctx.findings, sections=ctx.sections)
    assert record_line(_args(logdb, send_on="2026-11-18"), report, "n.txt").startswith("not logged")
    assert db.count_events(db.connect(logdb)) == 2


def test_record_a_call(tmp_path):
    p = tmp_path / "c.db"
    report = Report(text="x", kind="thank_you")
    msg = record_line(_args(p, channel="call", send_on=None), report, "script.txt")
    assert "call follow-up to Acme" in msg
    (ev,) = db.list_events(db.connect(p))
    assert ev.kind == "follow_up" and ev.channel == "call" and ev.day == dt.date.today()


# --------------------------------------------------------------------------- real pipeline


@pytest.mark.slow
def test_with_the_real_elements_check(logdb):
    import importlib

    from checker import api
    from checker.nlp import get_nlp

    checks = [
        importlib.import_module(f"checker.checks.{n}.check") for n in ("elements", "frequency")
    ]

    def analyse(when):
        text = DRAFT.format(when=when)
        options = {"to": "Acme", "send_on": "2026-11-17", "db": str(logdb)}
        return api._analyse(text, get_nlp()(text), "thank_you", Config(), options, {}, checks)

    fr = analyse("in a week or two").to_dict()["frequency"]
    assert fr["allowed"] is True and fr["announced_call"]["days_after_send"] == 10
    report = analyse("tomorrow and again on Friday")
    assert "frequency.call_repeat" in [f.rule for f in report.findings]


@pytest.mark.parametrize(
    "text,kind,expected",
    [
        (
            "Dear Ms. Lee,\n\nThank you for your time. I will call you tomorrow.\n\nBest,\nAmy",
            "thank_you",
            ["frequency.call_too_soon"],
        ),
        (
            "Hi,\n\nI will keep calling every day until I hear back.\n\nSam",
            "follow_up",
            ["frequency.call_repeat"],
        ),
        # A follow-up may call soon after a note sent earlier: without the log, not judged.
        ("Dear Mr. Evans,\n\nPer my note, I'm calling tomorrow morning.\n\nLiam", "follow_up", []),
        # A named day depends on the send date: judged only against the log.
        (
            "Dear Ms. Lee,\n\nThank you. I will call you next Thursday.\n\nBest,\nAmy",
            "thank_you",
            [],
        ),
        (
            "Dear Ms. Lee,\n\nThank you. I will call you in a week or two.\n\nBest,\nAmy",
            "thank_you",
            [],
        ),
    ],
)
def test_announced_call_is_judged_without_a_contact_log(text, kind, expected):
    import checker

    report = checker.check(text, kind=kind)
    assert [f.rule for f in report.findings if f.rule.startswith("frequency.")] == expected
    assert "frequency" not in report.to_dict()


def test_check_cli_reads_an_ambiguous_send_date_with_date_format(tmp_path, capsys):
    from checker.cli import main

    draft = tmp_path / "note.txt"
    draft.write_text("Dear Ms. Lee,\n\nThank you for your time.\n\nBest,\nAmy", encoding="utf-8")
    args = [
        "check",
        "--to",
        "Acme",
        "--db",
        str(tmp_path / "log.db"),
        "--fail-on",
        "never",
        "--format",
        "json",
        "--send-on",
        "03/04/2026",
        str(draft),
    ]
    assert main(args) == 2
    assert "ambiguous date" in capsys.readouterr().err
    assert main(args[:-1] + ["--date-format", "%d/%m/%Y", str(draft)]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["frequency"]["send_on"] == "2026-04-03"

"""Call times a heads-up announces (checker/calltime.py): "next <weekday>" is ambiguous, so
the later reading is taken and the report says which date was assumed."""

from __future__ import annotations

import datetime as dt

import checker
from checker import calltime
from checker.contacts import db
from checker.contacts.policy import read_call_time

WEDNESDAY = dt.date(2026, 12, 2)


def test_next_weekday_takes_the_later_reading_and_says_so():
    call = read_call_time("I'll give you a quick call next Friday.", WEDNESDAY)
    assert call.date == dt.date(2026, 12, 11) and call.days == 9
    assert call.label == "next Friday"
    assert "11 Dec" in call.assumed and "4 Dec" in call.assumed
    plain = read_call_time("I'll give you a call on Friday.", WEDNESDAY)
    assert plain.date == dt.date(2026, 12, 4) and plain.assumed is None


def test_read_marks_next_weekday():
    found = calltime.read("I will ring you next Monday morning.")
    assert found.weekday == 0 and found.next_weekday
    assert found.to_dict()["next_weekday"] is True
    assert not calltime.read("I will ring you on Monday.").next_weekday


def test_next_friday_written_on_a_wednesday_is_not_too_soon(tmp_path):
    path = tmp_path / "log.db"
    conn = db.connect(path)
    db.add_event(
        conn, "Acme", WEDNESDAY - dt.timedelta(days=1), "in_person", "received", "interview"
    )
    conn.close()
    text = (
        "Dear Ms. Lee,\n\nThank you for meeting me yesterday. I enjoyed hearing about the "
        "warehouse. I can send references if that helps. I'll give you a quick call next "
        "Friday.\n\nBest regards,\nAmy"
    )
    report = checker.check(
        text, kind="thank_you", to="Acme", send_on=WEDNESDAY.isoformat(), db=str(path)
    )
    assert "frequency.call_too_soon" not in {f.rule for f in report.findings}
    announced = report.sections["frequency"]["announced_call"]
    assert announced["date"] == "2026-12-11" and "later" in announced["assumed"]

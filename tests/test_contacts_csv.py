"""CSV import (all or nothing, line numbers and reasons, ambiguous dates), export round trip,
and a process killed in the middle of an import."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.contacts import csvio, db
from checker.contacts.dates import DateError, parse_date
from checker.contacts.model import CHANNELS, DIRECTIONS, KINDS

ROOT = Path(__file__).resolve().parents[1]
HEADER = "date,company,channel,direction,kind,note\n"
GOOD = (
    HEADER + "2026-11-16,Initech,in_person,received,interview,panel of three\n"
    "17 Nov 2026,Initech,email,sent,thank_you,\"thanks, and the deck\"\n"
    "11/18/2026,Hooli,call,received,interview,phone screen\n"
)


@pytest.fixture
def conn():
    c = db.connect(":memory:")
    yield c
    c.close()


def imp(conn, text, **kw):
    return csvio.import_csv(conn, io.StringIO(text, newline=""), **kw)


def test_import_good_file(conn):
    r = imp(conn, GOOD)
    assert (r.added, r.skipped, r.companies) == (3, 0, {"Initech", "Hooli"})
    evs = db.list_events(conn)
    assert [e.day for e in evs] == [
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 17),
        dt.date(2026, 11, 18),
    ]
    assert evs[1].note == "thanks, and the deck"


def test_reimport_skips_what_is_already_there(conn):
    imp(conn, GOOD)
    r = imp(conn, GOOD)
    assert (r.added, r.skipped) == (0, 3) and db.count_events(conn) == 3


def test_header_variants(conn):
    text = (
        "\ufeff Date , Company,Channel,Direction,Kind\n"
        "2026-11-16,Initech,In-Person,Received,Interview\n"
    )
    assert imp(conn, text).added == 1


@pytest.mark.parametrize(
    "text,fragments",
    [
        ("", ["no header row"]),
        ("date,company,channel\n2026-11-16,A,email\n", ["missing columns: direction, kind"]),
        (
            HEADER.replace("note", "colour") + "2026-11-16,A,email,sent,other,x\n",
            ["unknown column 'colour'"],
        ),
        (HEADER, ["no rows to import"]),
        (
            HEADER + "2026-11-16,A,email,sent,other,x\n03/04/2026,A,email,sent,other,y\n",
            ["line 3: ambiguous date '03/04/2026'", "--date-format"],
        ),
        (HEADER + "2026-02-30,A,email,sent,other,\n", ["line 2: no such date: '2026-02-30'"]),
        (HEADER + "yesterday,A,email,sent,other,\n", ["line 2: cannot read the date 'yesterday'"]),
        (HEADER + "2026-11-16,A,fax,sent,other,\n", ["line 2: channel must be one of"]),
        (HEADER + "2026-11-16,A,email,sideways,other,\n", ["line 2: direction must be one of"]),
        (HEADER + "2026-11-16,,email,sent,other,\n", ["line 2: company is empty"]),
        (HEADER + "2026-11-16,A,email,sent\n", ["line 2: 4 fields, the header has 6"]),
        (HEADER + "2026-11-16,A,email,sent,other,\"unclosed\n", ["malformed CSV"]),
        (HEADER + "2026-11-16,A,email,sent,other,a\x00b\n", ["line 2"]),
        (
            HEADER.replace(",", ";") + "2026-11-16;A;email;sent;other;x\n",
            ["separated by semicolons"],
        ),
        (HEADER + "9999-12-31,A,email,sent,other,\n", ["line 2: year 9999 is out of range"]),
    ],
)
def test_malformed_imports_are_rejected_whole(conn, text, fragments):
    db.add_event(conn, "Before", dt.date(2026, 11, 1), "email", "sent", "other", "kept")
    with pytest.raises(csvio.CSVImportError) as err:
        imp(conn, text)
    msg = str(err.value)
    assert "\n" not in msg and "nothing was written" in msg
    for f in fragments:
        assert f in msg
    assert [e.note for e in db.list_events(conn)] == ["kept"]
    assert [e.company for e in db.list_employers(conn)] == ["Before"]


def test_every_bad_row_is_listed(conn):
    rows = "".join(f"2026-13-{i:02d},A,email,sent,other,\n" for i in range(1, 31))
    with pytest.raises(csvio.CSVImportError) as err:
        imp(conn, HEADER + "2026-11-16,A,email,sent,other,\n" + rows)
    assert [n for n, _ in err.value.problems] == list(range(3, 33))
    assert "(and 27 more)" in str(err.value)
    assert err.value.details()[-1] == "... 10 more problems"
    assert db.count_events(conn) == 0


def test_bad_utf8_is_rejected(tmp_path, conn):
    p = tmp_path / "latin1.csv"
    p.write_bytes((HEADER + "2026-11-16,Soci\xe9t\xe9,email,sent,other,\n").encode("latin-1"))
    with (
        open(p, encoding="utf-8-sig", newline="") as fh,
        pytest.raises(csvio.CSVImportError) as err,
    ):
        csvio.import_csv(conn, fh)
    assert "not UTF-8" in str(err.value) and db.count_events(conn) == 0


def test_date_format_resolves_ambiguity(conn):
    text = HEADER + "03/04/2026,A,email,sent,other,\n"
    imp(conn, text, date_format="%d/%m/%Y")
    assert db.list_events(conn)[0].day == dt.date(2026, 4, 3)
    with pytest.raises(csvio.CSVImportError, match="does not match the date format"):
        imp(conn, HEADER + "2026-04-03,A,email,sent,other,x\n", date_format="%d/%m/%Y")


def test_export_csv_and_json(conn):
    imp(conn, GOOD)
    out = io.StringIO()
    assert csvio.export_csv(conn, out) == 3
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(csvio.COLUMNS)
    assert lines[2] == '2026-11-17,Initech,email,sent,thank_you,"thanks, and the deck",'
    data = csvio.export_json(conn, company="initech")
    assert [e["date"] for e in data["events"]] == ["2026-11-16", "2026-11-17"]
    assert [e["company"] for e in data["employers"]] == ["Initech"]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-11-24", dt.date(2026, 11, 24)),
        ("2026/11/24", dt.date(2026, 11, 24)),
        ("2026-11-24T14:30", dt.datetime(2026, 11, 24, 14, 30)),
        ("2026-11-24 2:30 pm", dt.datetime(2026, 11, 24, 14, 30)),
        ("24 Nov 2026", dt.date(2026, 11, 24)),
        ("24th of November 2026", dt.date(2026, 11, 24)),
        ("Nov 24, 2026", dt.date(2026, 11, 24)),
        ("Tuesday, November 24, 2026", dt.date(2026, 11, 24)),
        ("24/11/2026", dt.date(2026, 11, 24)),
        ("11/24/2026", dt.date(2026, 11, 24)),
        ("24.11.2026", dt.date(2026, 11, 24)),
        ("05/05/2026", dt.date(2026, 5, 5)),
    ],
)
def test_dates_accepted(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text,why",
    [
        ("03/04/2026", "ambiguous date"),
        ("2026-02-30", "no such date"),
        ("31/31/2026", "no such date"),
        ("3/4/26", "two-digit year"),
        ("next week", "cannot read the date"),
        ("", "empty date"),
        ("2026-11-24 25:00", "no such time"),
        ("Smarch 3, 2026", "cannot read the date"),
    ],
)
def test_dates_rejected(text, why):
    with pytest.raises(DateError, match=why) as err:
        parse_date(text)
    assert "\n" not in str(err.value)


def test_relative_dates_only_when_asked():
    today = dt.date(2026, 11, 27)
    assert parse_date("yesterday", relative=True, today=today) == dt.date(2026, 11, 26)
    with pytest.raises(DateError):
        parse_date("yesterday", today=today)


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)))
def test_date_forms_round_trip(d):
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.day} {d:%B} {d.year}") == d
    assert parse_date(f"{d:%b} {d.day}, {d.year}") == d
    numeric = f"{d.day:02d}/{d.month:02d}/{d.year}"
    if d.day != d.month and d.day <= 12:
        with pytest.raises(DateError, match="ambiguous"):
            parse_date(numeric)
    else:
        assert parse_date(numeric) == d
    assert parse_date(numeric, date_format="%d/%m/%Y") == d


text_st = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
                st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31)).map(
                    lambda x: x.replace(microsecond=0)
                ),
            ),
            st.text("ABCxyz &,\"'", min_size=1, max_size=12).filter(lambda s: s.strip()),
            st.sampled_from(CHANNELS),
            st.sampled_from(DIRECTIONS),
            st.sampled_from(KINDS),
            text_st,
        ),
        min_size=1,
        max_size=15,
    )
)
def test_export_import_round_trip(rows):
    src = db.connect(":memory:")
    for when, company, ch, di, k, note in rows:
        db.add_event(src, company, when, ch, di, k, note.strip())
    out = io.StringIO()
    csvio.export_csv(src, out)
    dst = db.connect(":memory:")
    csvio.import_csv(dst, io.StringIO(out.getvalue(), newline=""))

    def key(conn):
        return sorted(
            (e.to_dict()["date"], e.company, e.channel, e.direction, e.kind, e.note)
            for e in db.list_events(conn)
        )

    # identical rows collapse into one on import (re-import safety)
    assert key(dst) == sorted(set(key(src)))


# --------------------------------------------------------------------------- killed mid-import

IMPORTER = textwrap.dedent("""
    import sys
    from checker.contacts import db, csvio
    conn = db.connect(sys.argv[1])
    csvio.import_csv(conn, sys.stdin)
""")


def _write_locked(path: Path) -> bool:
    c = sqlite3.connect(path, timeout=0)
    try:
        c.execute("BEGIN IMMEDIATE")
        c.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        c.close()


def test_process_killed_mid_import_leaves_the_log_as_it_was(tmp_path):
    p = tmp_path / "contacts.db"
    conn = db.connect(p)
    for i in range(5):
        db.add_event(
            conn, "Before", dt.date(2026, 11, 1 + i), "email", "sent", "other", f"kept {i}"
        )
    conn.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(p)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        proc.stdin.write(HEADER.encode())
        # Enough rows that SQLite spills uncommitted pages into the WAL; the pipe stays open,
        # so the importer blocks in the middle of its transaction waiting for more.
        for i in range(6000):
            proc.stdin.write(
                f"2026-11-{1 + i % 28:02d},Co {i % 300},email,sent,other,"
                f"row {i} {'x' * 150}\n".encode()
            )
        proc.stdin.flush()
        deadline = time.monotonic() + 120
        while not _write_locked(p):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the importer never took the write lock"
            time.sleep(0.05)
        time.sleep(0.5)  # let it chew through the rows
        reader = db.connect(p)
        assert db.count_events(reader) == 5  # nothing visible mid-import
        reader.close()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdin.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    conn = db.connect(p)
    assert [e.note for e in db.list_events(conn)] == [f"kept {i}" for i in range(5)]
    assert [e.company for e in db.list_employers(conn)] == ["Before"]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.add_event(conn, "After", dt.date(2026, 12, 1), "email", "sent", "other")  # still writable
    assert db.count_events(conn) == 6


csvish = st.text(
    alphabet=st.sampled_from(
        list(
            'date,company,channel,direction,kind,note\n\r"; \t-/:0123456789emailsentreceivedother'
            'interviewthank_youfollow_upcallAcmé\x00\ufeff'
        )
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), csvish)
def test_any_input_imports_or_is_rejected_cleanly(with_header, body):
    conn = db.connect(":memory:")
    db.add_event(conn, "Before", dt.date(2026, 11, 1), "email", "sent", "other", "kept")
    text = (HEADER if with_header else "") + body
    try:
        r = csvio.import_csv(conn, io.StringIO(text, newline=""))
    except csvio.CSVImportError as exc:
        assert "\n" not in str(exc) and exc.problems
        assert [e.note for e in db.list_events(conn)] == ["kept"]
    else:
        assert db.count_events(conn) == 1 + r.added
    assert not conn.in_transaction


def test_export_guards_spreadsheet_formulas_and_import_restores_them(tmp_path):
    import io

    from checker import contacts

    conn = contacts.connect(str(tmp_path / "log.db"))
    contacts.add_event(
        conn,
        "Acme",
        contacts.parse_date("2026-11-02"),
        channel="email",
        direction="sent",
        kind="thank_you",
        note="=HYPERLINK(\"http://x\")",
    )
    out = io.StringIO()
    contacts.export_csv(conn, out)
    assert "'=HYPERLINK" in out.getvalue()
    other = contacts.connect(str(tmp_path / "other.db"))
    contacts.import_csv(other, io.StringIO(out.getvalue()))
    assert contacts.list_events(other)[0].note == "=HYPERLINK(\"http://x\")"

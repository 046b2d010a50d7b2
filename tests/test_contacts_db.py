"""The contact-log database: path resolution, file mode, WAL, schema versions and migrations,
refusal of corrupt / foreign / newer files, and two concurrent writer processes."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checker.contacts import db
from checker.contacts.model import ContactLogError, NoDatabase

ROOT = Path(__file__).resolve().parents[1]
D = dt.date(2026, 11, 16)

# The schema as version 1 shipped it, frozen here so the migration test does not depend on
# the code that it tests.
SCHEMA_V1 = """
CREATE TABLE employers (
    id INTEGER PRIMARY KEY, company TEXT NOT NULL CHECK (length(trim(company)) > 0),
    company_key TEXT NOT NULL UNIQUE, person TEXT, email TEXT, phone TEXT);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'call', 'voicemail', 'text', 'letter', 'linkedin', 'in_person')),
    direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    kind TEXT NOT NULL CHECK (kind IN ('interview', 'thank_you', 'follow_up', 'other')),
    note TEXT NOT NULL DEFAULT '');
CREATE INDEX events_by_employer_date ON events (employer_id, date);
PRAGMA application_id = 1179996227;
PRAGMA user_version = 1;
"""


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "contacts.db"


def test_resolution_order(monkeypatch, tmp_path):
    monkeypatch.delenv("FOLLOWUP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert db.resolve_db_path() == tmp_path / "xdg" / "followup-checker" / "contacts.db"
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "env.db"))
    assert db.resolve_db_path() == tmp_path / "env.db"
    assert db.resolve_db_path(tmp_path / "flag.db") == tmp_path / "flag.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("FOLLOWUP_DB")
    assert db.resolve_db_path() == Path.home() / ".local/share/followup-checker/contacts.db"


def test_new_file_is_private_wal_with_foreign_keys(path):
    conn = db.connect(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.schema_version(conn) == db.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    db.add_event(conn, "Acme", D, "email", "sent", "thank_you")
    for side in ("-wal", "-shm"):
        side_file = Path(str(path) + side)
        if side_file.exists():
            assert stat.S_IMODE(side_file.stat().st_mode) == 0o600
    conn.close()


def test_readers_never_create_the_file(path):
    with pytest.raises(NoDatabase):
        db.connect(path, create=False)
    assert not path.exists() and not path.parent.exists()


def test_employers_events_crud(path):
    conn = db.connect(path)
    emp = db.add_employer(conn, "  Acme   Corp ", person="Ms Lee", style="traditional")
    assert emp.company == "Acme Corp" and emp.style == "traditional"
    same = db.add_employer(conn, "acme corp", phone="555", decision_date=D)
    assert same.id == emp.id and same.person == "Ms Lee" and same.phone == "555"
    assert same.decision_date == D
    e1 = db.add_event(
        conn,
        "ACME CORP",
        dt.datetime(2026, 11, 16, 14, 30),
        "in_person",
        "received",
        "interview",
        "panel",
    )
    e2 = db.add_event(
        conn,
        "Acme Corp",
        D + dt.timedelta(days=1),
        "email",
        "sent",
        "thank_you",
        announced_call="2026-11-27",
    )
    db.add_event(conn, "Globex", D, "call", "received", "interview")
    assert [e.id for e in db.list_events(conn, "acme corp")] == [e1.id, e2.id]
    assert db.list_events(conn, "acme corp")[0].when == dt.datetime(2026, 11, 16, 14, 30)
    assert [e.company for e in db.list_events(conn)] == ["Globex", "Acme Corp", "Acme Corp"]
    assert db.get_event(conn, e2.id).announced_call == "2026-11-27"
    assert db.delete_event(conn, e1.id) and not db.delete_event(conn, e1.id)
    assert db.count_events(conn) == 2
    with pytest.raises(ContactLogError, match="channel must be one of"):
        db.add_event(conn, "Acme", D, "fax", "sent", "other")
    with pytest.raises(ContactLogError, match="company name is empty"):
        db.add_event(conn, "   ", D, "email", "sent", "other")
    with pytest.raises(ContactLogError, match="out of range"):
        db.add_event(conn, "Acme", dt.date(9999, 12, 31), "email", "sent", "other")
    with pytest.raises(ContactLogError, match="note is too long"):
        db.add_event(conn, "Acme", D, "email", "sent", "other", "x" * 10_001)
    with pytest.raises(ContactLogError, match="style must be one of"):
        db.add_employer(conn, "Acme", style="hip")
    assert db.count_events(conn) == 2


def test_failed_transaction_leaves_nothing(path):
    conn = db.connect(path)
    with pytest.raises(RuntimeError):
        with db.transaction(conn):
            db.add_event(conn, "Acme", D, "email", "sent", "other")
            raise RuntimeError("boom")
    assert db.count_events(conn) == 0 and db.list_employers(conn) == []


def test_migration_from_version_1_keeps_the_data(path):
    path.parent.mkdir(parents=True)
    raw = sqlite3.connect(path)
    raw.executescript(SCHEMA_V1)
    raw.execute(
        "INSERT INTO employers (company, company_key, person) VALUES ('Acme', 'acme', 'Ms Lee')"
    )
    raw.execute(
        "INSERT INTO events (employer_id, date, channel, direction, kind, note) "
        "VALUES (1, '2026-11-16', 'in_person', 'received', 'interview', 'panel')"
    )
    raw.commit()
    raw.close()
    conn = db.connect(path)
    assert db.schema_version(conn) == db.SCHEMA_VERSION == 4
    emp = db.get_employer(conn, "ACME")
    assert emp.person == "Ms Lee" and emp.style == "unknown" and emp.decision_date is None
    assert emp.role is None
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "events_by_date" in indexes
    (ev,) = db.list_events(conn)
    assert ev.note == "panel" and ev.announced_call is None and ev.day == D
    db.add_employer(conn, "Acme", style="modern")
    db.add_event(conn, "Acme", D, "email", "sent", "thank_you", announced_call="yes")
    assert db.count_events(conn) == 2


def test_code_v1_equals_frozen_v1(tmp_path):
    conn = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    db.migrate(conn, target=1)
    frozen = sqlite3.connect(tmp_path / "b.db")
    frozen.executescript(SCHEMA_V1)

    def shape(c):
        return sorted(
            (r[0], r[1])
            for r in c.execute(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                "WHERE m.type = 'table'"
            )
        )

    assert shape(conn) == shape(frozen)


def test_a_failing_migration_step_rolls_back(path, monkeypatch):
    conn = db.connect(path)
    db.add_event(conn, "Acme", D, "email", "sent", "other")
    monkeypatch.setattr(
        db,
        "MIGRATIONS",
        db.MIGRATIONS + ("ALTER TABLE employers ADD COLUMN extra TEXT; SELECT no_such_function()",),
    )
    with pytest.raises(sqlite3.OperationalError):
        db.migrate(conn, target=db.SCHEMA_VERSION + 1)
    assert db.schema_version(conn) == db.SCHEMA_VERSION
    cols = [r[1] for r in conn.execute("PRAGMA table_info(employers)")]
    assert "extra" not in cols and db.count_events(conn) == 1


def _untouched(p: Path, fn) -> str:
    before = p.read_bytes()
    with pytest.raises(ContactLogError) as err:
        fn()
    assert p.read_bytes() == before, "the file was modified"
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def test_garbage_file_is_refused_and_left_alone(tmp_path):
    p = tmp_path / "contacts.db"
    p.write_bytes(b"these are my notes, not a database\n" * 100)
    msg = _untouched(p, lambda: db.connect(p))
    assert "not a readable contact log" in msg and "left untouched" in msg


def test_foreign_sqlite_database_is_refused(tmp_path):
    p = tmp_path / "other.db"
    c = sqlite3.connect(p)
    c.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    c.execute("INSERT INTO photos (name) VALUES ('cat.jpg')")
    c.commit()
    c.close()
    msg = _untouched(p, lambda: db.connect(p))
    assert "not a followup-checker contact log" in msg


def test_newer_schema_is_refused(tmp_path):
    p = tmp_path / "new.db"
    c = sqlite3.connect(p)
    c.executescript(SCHEMA_V1 + "PRAGMA user_version = 99;")
    c.close()
    msg = _untouched(p, lambda: db.connect(p))
    assert "newer followup-checker" in msg and "99" in msg


def test_damaged_pages_are_refused(tmp_path):
    p = tmp_path / "damaged.db"
    conn = db.connect(p)
    with db.transaction(conn):
        for i in range(400):
            db.add_event(conn, f"Company {i % 40}", D, "email", "sent", "other", "x" * 200)
    conn.close()  # checkpoints and removes the WAL
    data = bytearray(p.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    for off in range(2 * page, len(data) - page, page):  # scribble over every b-tree page
        data[off : off + 64] = b"\xa5" * 64
    p.write_bytes(bytes(data))
    msg = _untouched(p, lambda: db.connect(p))
    assert "damaged" in msg or "not a readable contact log" in msg


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(ContactLogError, match="is a folder"):
        db.connect(tmp_path)


def test_empty_file_becomes_a_log(tmp_path):
    p = tmp_path / "empty.db"
    p.write_bytes(b"")
    conn = db.connect(p)
    assert db.schema_version(conn) == db.SCHEMA_VERSION


WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from checker.contacts import db
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conn = db.connect(path)
    for i in range(n):
        db.add_event(conn, "Shared Co" if i % 2 else f"{who} Co", dt.date(2026, 11, 1 + i % 28),
                     "email", "sent", "other", f"{who}-{i}")
    conn.close()
""")


def test_two_concurrent_writer_processes_lose_nothing(tmp_path):
    p = tmp_path / "shared.db"
    db.connect(p).close()
    n = 150
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(p), who, str(n)], env=env, stderr=subprocess.PIPE
        )
        for who in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    conn = db.connect(p)
    notes = sorted(e.note for e in db.list_events(conn))
    assert notes == sorted([f"a-{i}" for i in range(n)] + [f"b-{i}" for i in range(n)])
    # Both created "Shared Co" at the same time; there is still exactly one.
    assert [e.company for e in db.list_employers(conn)] == ["a Co", "b Co", "Shared Co"]


def test_processes_opening_a_new_file_at_once_migrate_it_once(tmp_path):
    p = tmp_path / "fresh" / "contacts.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(p), who, "5"], env=env, stderr=subprocess.PIPE
        )
        for who in ("a", "b", "c")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    conn = db.connect(p)
    assert db.schema_version(conn) == db.SCHEMA_VERSION and db.count_events(conn) == 15


def test_employer_role_is_stored_and_updated(tmp_path):
    conn = db.connect(tmp_path / "log.db")
    emp = db.add_employer(conn, "Globex", person="Dana Whitfield", role="  Data   Analyst ")
    assert emp.role == "Data Analyst" and emp.person == "Dana Whitfield"
    assert db.add_employer(conn, "globex", style="modern").role == "Data Analyst"
    assert db.get_employer(conn, "GLOBEX").to_dict()["role"] == "Data Analyst"


def _open_and_add(path: str, who: int, barrier) -> None:  # runs in a forked child
    barrier.wait()
    try:
        conn = db.connect(path)
        db.add_event(conn, f"Co {who}", dt.date(2026, 11, 2), "email", "sent", "other", str(who))
        conn.close()
    except BaseException as exc:  # the parent checks the exit code and the rows
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        os._exit(1)
    os._exit(0)


def test_eight_processes_creating_one_new_log_lose_nothing_20_times(tmp_path):
    # First use under contention: the identity check must never see another process's
    # migration half done (it used to call the file "another program's database").
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    for rep in range(20):
        p = tmp_path / f"rep{rep}" / "contacts.db"
        barrier = ctx.Barrier(8)
        procs = [ctx.Process(target=_open_and_add, args=(str(p), who, barrier)) for who in range(8)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(120)
        assert [proc.exitcode for proc in procs] == [0] * 8, f"repetition {rep}"
        conn = db.connect(p)
        assert sorted(e.note for e in db.list_events(conn)) == [str(i) for i in range(8)]
        assert db.schema_version(conn) == db.SCHEMA_VERSION
        conn.close()

"""Every storage fault of the contact log and the class store, through every shell that writes
or reads them: one line and exit 2 on the command line, a clear error page on the web, never a
traceback, and the file's rows (its bytes) as they were.

Each operation runs in a child process, so a fault can be made the way a user meets it:

- read-only file / read-only folder: ``chmod``.  Root ignores file permissions, so when the
  tests run as root the child runs under ``setpriv`` without the capabilities that let root
  write anyway (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER): it is then refused like
  any user.  Without ``setpriv`` those two faults are skipped under root.
- disk full: the child's RLIMIT_FSIZE is set below the file's size, so every write to the
  database or its write-ahead log fails in the kernel (EFBIG, which SQLite reports as an I/O
  error).  SQLite's own "database or disk is full" (SQLITE_FULL) is checked in-process with
  ``PRAGMA max_page_count`` (``test_a_full_database_says_the_disk_is_full``).
- busy: this process holds ``BEGIN EXCLUSIVE`` while the child runs with a 0.3 s busy timeout.
- damaged: garbage bytes over the file's pages; truncated: the file cut in half.
- newer: ``PRAGMA user_version`` above the program's schema version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checker.classes import db as classes_db
from checker.contacts import db as contacts_db
from checker.contacts.model import StorageFault

DAY = dt.date(2026, 11, 16)
DROP_CAPS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all"]

# The child: shorten both busy timeouts, then run the CLI, or one web request through Flask's
# test client (the CSRF token is put in the session directly: a GET first could fail on the
# faulty file itself).
CHILD = textwrap.dedent("""
    import sys
    from checker.classes import db as classes_db
    from checker.contacts import db as contacts_db
    contacts_db.BUSY_TIMEOUT_S = classes_db.BUSY_TIMEOUT_S = 0.3
    kind, rest = sys.argv[1], sys.argv[2:]
    if kind == "cli":
        from checker.cli import main
        sys.exit(main(rest))
    from checker.web import create_app
    from checker.web.security import _SESSION_KEY
    folder, path, data = rest[0], rest[1], dict(a.split("=", 1) for a in rest[2:])
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DB": folder + "/contacts.db",
                      "CLASSES_DB": folder + "/classes.db", "DATA_DIR": folder})
    client = app.test_client()
    with client.session_transaction() as s:
        s[_SESSION_KEY] = "t"
    r = client.post(path, data={"csrf_token": "t", **data})
    print(r.status_code)
    print(r.get_data(as_text=True))
""")

DRAFT = (
    "Dear Ms Lee, thank you for your time on Monday. I enjoyed learning about the team's "
    "plans and would be glad to send work samples. Best regards, Sam"
)


def _seed(folder: Path) -> dict[str, str]:
    """A contact log with two events and a class store with one class; returns the class's
    student token."""
    conn = contacts_db.connect(folder / "contacts.db")
    contacts_db.add_event(conn, "Acme", DAY, "in_person", "received", "interview", "panel")
    contacts_db.add_event(conn, "Acme", DAY + dt.timedelta(days=1), "email", "sent", "thank_you")
    conn.close()
    conn = classes_db.connect(folder / "classes.db")
    _, student, _ = classes_db.create_class(conn, "Spring", "thank_you", DAY + dt.timedelta(400))
    conn.close()
    (folder / "new.csv").write_text(
        "date,company,channel,direction,kind\n2026-11-20,Globex,email,sent,follow_up\n"
    )
    (folder / "note.txt").write_text(DRAFT + "\n")
    return {"student": student}


# (name, argv after the child's kind, the store it uses, writes?)
OPERATIONS = {
    "log add": (
        "cli",
        [
            "log",
            "--db",
            "{d}/contacts.db",
            "add",
            "--to",
            "Acme",
            "--kind",
            "follow_up",
            "--date",
            "2026-11-25",
        ],
        "contacts.db",
        True,
    ),
    "log import": (
        "cli",
        ["log", "--db", "{d}/contacts.db", "import", "{d}/new.csv"],
        "contacts.db",
        True,
    ),
    "log rm": ("cli", ["log", "--db", "{d}/contacts.db", "rm", "1"], "contacts.db", True),
    "log list": ("cli", ["log", "--db", "{d}/contacts.db", "list"], "contacts.db", False),
    "check --record": (
        "cli",
        [
            "check",
            "{d}/note.txt",
            "--to",
            "Acme",
            "--record",
            "--db",
            "{d}/contacts.db",
            "--fail-on",
            "never",
        ],
        "contacts.db",
        True,
    ),
    "next": (
        "cli",
        ["next", "--db", "{d}/contacts.db", "--today", "2026-11-20"],
        "contacts.db",
        False,
    ),
    "class create": (
        "cli",
        [
            "class",
            "--db",
            "{d}/classes.db",
            "create",
            "--title",
            "Autumn",
            "--kind",
            "thank_you",
            "--due",
            "2027-12-10",
        ],
        "classes.db",
        True,
    ),
    "class list": ("cli", ["class", "--db", "{d}/classes.db", "list"], "classes.db", False),
    "web log add": (
        "web",
        [
            "{d}",
            "/log/add",
            "company=Acme",
            "date=2026-11-25",
            "channel=email",
            "direction=sent",
            "kind=follow_up",
        ],
        "contacts.db",
        True,
    ),
    "web class submission": (
        "web",
        ["{d}", "/s/{student}", "name=Ann", f"text={DRAFT}"],
        "classes.db",
        True,
    ),
}

# What each fault says (a word of its one line).
SAYS = {
    "read-only file": "read-only",
    "read-only folder": "read-only",
    "disk full": "disk",
    "busy": "busy",
    "damaged": "damaged",
    "truncated": "damaged",
    "newer": "newer",
}
# Faults that only stop writes: reading still works (a read-only file is read; WAL readers are
# not blocked by a writer).  In a read-only folder even a read fails: SQLite cannot create the
# -shm file a WAL database needs; so does a read under the file-size limit (the -shm file
# cannot grow): one line as well.
WRITE_ONLY = {"read-only file", "busy"}
# Faults made by changing the file itself.
CHANGES_BYTES = {"damaged", "truncated", "newer"}


def _is_root() -> bool:
    return os.geteuid() == 0


def _make_fault(fault: str, folder: Path, store: Path):
    """Make ``fault`` on ``store``; returns (wrapper argv, preexec_fn, undo)."""
    wrapper: list[str] = []
    preexec = None
    undo = lambda: None  # noqa: E731
    if fault in ("read-only file", "read-only folder"):
        if _is_root():
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv: permissions cannot be enforced")
            wrapper = DROP_CAPS
        if fault == "read-only file":
            store.chmod(0o400)
            undo = lambda: store.chmod(0o600)  # noqa: E731
        else:
            folder.chmod(0o500)
            undo = lambda: folder.chmod(0o700)  # noqa: E731
    elif fault == "disk full":
        limit = 1024

        def preexec():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    elif fault == "busy":
        holder = sqlite3.connect(store, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")

        def undo():
            holder.execute("ROLLBACK")
            holder.close()
    elif fault == "damaged":
        data = bytearray(store.read_bytes())
        for off in range(100, len(data), 512):
            data[off : off + 200] = b"\xa5" * 200
        store.write_bytes(bytes(data))
    elif fault == "truncated":
        data = store.read_bytes()
        store.write_bytes(data[: len(data) // 2])
    elif fault == "newer":
        c = sqlite3.connect(store, isolation_level=None)
        c.execute("PRAGMA user_version = 99")
        c.close()
    return wrapper, preexec, undo


def _rows(store: Path, *, before: bool = False) -> list | None:
    """Every row of every table, or None when the file cannot be read as a database.

    Before the fault the file is read as immutable, which creates no -wal / -shm files (left
    behind, they would let SQLite write even in a read-only folder); afterwards it is read
    normally, so rows an operation left in a write-ahead log count too."""
    try:
        c = (
            sqlite3.connect(f"file:{store}?immutable=1", uri=True)
            if before
            else sqlite3.connect(store)
        )
        try:
            tables = [
                r[0]
                for r in c.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
                )
            ]
            return [
                (t, sorted(map(tuple, c.execute(f"SELECT * FROM [{t}]")), key=repr)) for t in tables
            ]
        finally:
            c.close()
    except sqlite3.DatabaseError:
        return None


@pytest.mark.parametrize("fault", list(SAYS))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_storage_fault(tmp_path, fault, operation):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    seeded = _seed(folder)
    kind, argv, store_name, writes = OPERATIONS[operation]
    store = folder / store_name
    argv = [a.format(d=folder, **seeded) for a in argv]
    rows_before = _rows(store, before=True)
    # Read the bytes before the busy fault takes its lock: closing any descriptor of the file
    # drops this process's POSIX locks on it, and the child could then take the file over.
    bytes_before = hashlib.sha256(store.read_bytes()).hexdigest()
    wrapper, preexec, undo = _make_fault(fault, folder, store)
    if fault in CHANGES_BYTES:
        bytes_before = hashlib.sha256(store.read_bytes()).hexdigest()
    try:
        done = subprocess.run(
            [*wrapper, sys.executable, "-c", CHILD, kind, *argv],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=preexec,
            cwd=tmp_path,
        )
    finally:
        undo()
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    fails = writes or fault not in WRITE_ONLY
    if kind == "cli":
        if fails:
            assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
            lines = done.stderr.splitlines()
            assert len(lines) == 1, done.stderr
            assert str(store) in lines[0] and SAYS[fault] in lines[0], lines[0]
        else:
            assert done.returncode == 0, done.stderr
    else:
        status, _, body = done.stdout.partition("\n")
        if fails:
            assert status in ("500", "503"), (status, body[:300], done.stderr[-2000:])
            assert SAYS[fault] in body and "Something went wrong" not in body
        else:
            assert status in ("200", "303"), status
    # Nothing lost or rewritten: the file's bytes, and (readable) its rows, are as they were.
    assert hashlib.sha256(store.read_bytes()).hexdigest() == bytes_before
    if fault not in CHANGES_BYTES:
        assert _rows(store) == rows_before


def test_a_full_database_says_the_disk_is_full(tmp_path):
    """SQLITE_FULL (the disk, or the database's page limit, is full): one line, rolled back."""
    conn = contacts_db.connect(tmp_path / "contacts.db")
    contacts_db.add_event(conn, "Acme", DAY, "email", "sent", "thank_you")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageFault) as err:
        contacts_db.add_event(conn, "Acme", DAY, "email", "sent", "follow_up", "x" * 9000)
    assert err.value.fault == "full" and "disk is full" in str(err.value)
    assert "\n" not in str(err.value) and str(tmp_path / "contacts.db") in str(err.value)
    assert not conn.in_transaction and contacts_db.count_events(conn) == 1


def test_fault_kind_reads_the_result_code_not_the_message():
    assert contacts_db.fault_kind(sqlite3.OperationalError("database is locked")) == "other"
    err = sqlite3.OperationalError("anything")
    err.sqlite_errorcode = 8 | (1 << 8)  # SQLITE_READONLY_RECOVERY
    assert contacts_db.fault_kind(err) == "read-only"
    err.sqlite_errorcode = 5  # SQLITE_BUSY
    assert contacts_db.fault_kind(err) == "busy"

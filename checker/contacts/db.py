"""All SQL of the contact log.  Every function takes an open ``sqlite3.Connection``.

The database is a plain SQLite file (WAL journal, foreign keys on, created mode 0600 in a
0700 folder) found by ``resolve_db_path``: ``--db PATH`` > ``$FOLLOWUP_DB`` >
``$XDG_DATA_HOME/followup-checker/contacts.db`` (``~/.local/share`` when XDG_DATA_HOME is
unset).  ``PRAGMA application_id`` marks the file as ours and ``PRAGMA user_version`` is the
schema version; ``connect`` migrates older files forward, one transaction per step, and
refuses (with a one-line ``ContactLogError``) a file that is corrupt, foreign or newer.
Nothing here ever deletes or recreates a file it cannot read.

Writes run in ``BEGIN IMMEDIATE`` transactions (``transaction(conn)``), so concurrent writer
processes queue on the lock (``busy_timeout``) instead of failing or losing rows.

Storage faults (a read-only file or folder, a full disk, a lock held past the busy timeout, a
damaged file) are one place's business: ``storage_error`` turns any ``sqlite3.Error`` into a
one-line ``StorageFault`` naming the file and the fault; ``transaction`` and ``connect`` raise
it, and the shells pass anything else they catch through it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .dates import check_range
from .model import (
    CHANNELS,
    DIRECTIONS,
    KINDS,
    STYLES,
    ContactLogError,
    Employer,
    Event,
    NoDatabase,
    StorageFault,
    company_key,
    from_iso,
    iso,
)

APPLICATION_ID = 0x46555043  # "FUPC": marks a followup-checker contact log
SCHEMA_VERSION = 4
ENV_VAR = "FOLLOWUP_DB"
BUSY_TIMEOUT_S = 30.0
MAX_NOTE = 10_000


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# MIGRATIONS[n] takes a database at version n to version n + 1.  Never edit a shipped step;
# add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the first schema.
    f"""
    CREATE TABLE employers (
        id          INTEGER PRIMARY KEY,
        company     TEXT NOT NULL CHECK (length(trim(company)) > 0),
        company_key TEXT NOT NULL UNIQUE,
        person      TEXT,
        email       TEXT,
        phone       TEXT
    );
    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        employer_id INTEGER NOT NULL REFERENCES employers(id) ON DELETE CASCADE,
        date        TEXT NOT NULL,
        channel     TEXT NOT NULL CHECK (channel IN {_in(CHANNELS)}),
        direction   TEXT NOT NULL CHECK (direction IN {_in(DIRECTIONS)}),
        kind        TEXT NOT NULL CHECK (kind IN {_in(KINDS)}),
        note        TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX events_by_employer_date ON events (employer_id, date);
    PRAGMA application_id = {APPLICATION_ID};
    """,
    # 1 -> 2: employer style and decision date; announced call and creation time of events.
    f"""
    ALTER TABLE employers ADD COLUMN style TEXT NOT NULL DEFAULT 'unknown'
        CHECK (style IN {_in(STYLES)});
    ALTER TABLE employers ADD COLUMN decision_date TEXT;
    ALTER TABLE events ADD COLUMN announced_call TEXT;
    ALTER TABLE events ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
    """,
    # 2 -> 3: the role you interviewed for (the proofread check compares the note with it).
    """
    ALTER TABLE employers ADD COLUMN role TEXT;
    """,
    # 3 -> 4: newest-first pages of all contacts (the web's paged log) read an index.
    """
    CREATE INDEX events_by_date ON events (date, id);
    """,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


# --------------------------------------------------------------------------- opening


def default_db_path() -> Path:
    """Where the log lives when no ``--db`` is given: ``$FOLLOWUP_DB`` or the XDG data dir."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(xdg) / "followup-checker" / "contacts.db"


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path`` (``--db``) if given, else ``default_db_path()``."""
    return Path(path).expanduser() if path else default_db_path()


# --------------------------------------------------------------------------- storage faults

# SQLite's primary result codes (sqlite3.h); an extended code carries one in its low byte.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_FAULTS = {
    _BUSY: "busy",
    _LOCKED: "busy",
    _READONLY: "read-only",
    _CANTOPEN: "cannot-open",
    _FULL: "full",
    _IOERR: "io",
    _CORRUPT: "damaged",
    _NOTADB: "damaged",
}


def fault_kind(exc: sqlite3.Error) -> str:
    """The storage fault behind a ``sqlite3.Error``: "busy", "read-only", "cannot-open",
    "full", "io", "damaged", or "other" (a bug in our SQL, say).  Read from SQLite's result
    code (``sqlite_errorcode``, Python 3.11+).  Python 3.10 has no code, and only there the
    message's fixed SQLite wording is read instead."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return _FAULTS.get(code & 0xFF, "other")
    if sys.version_info < (3, 11) and isinstance(exc, sqlite3.OperationalError):  # pragma: no cover
        text = str(exc)
        for phrase, kind in _MESSAGES_310:
            if phrase in text:
                return kind
        return "other"
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, (sqlite3.OperationalError, sqlite3.IntegrityError, sqlite3.ProgrammingError)
    ):
        return "damaged"
    return "other"


# sqlite3ErrStr()'s texts for the codes above, for Python 3.10 only (no sqlite_errorcode).
_MESSAGES_310 = (
    ("locked", "busy"),
    ("readonly", "read-only"),
    ("unable to open", "cannot-open"),
    ("disk is full", "full"),
    ("disk I/O", "io"),
    ("malformed", "damaged"),
)


_FAULT_TEXT = {
    "busy": "is busy: another program has held it locked for longer than the wait; nothing "
    "was changed, try again",
    "read-only": "is read-only (the file, or its folder, where SQLite keeps the -wal and -shm "
    "files it needs); nothing was changed",
    "cannot-open": "cannot be opened (check that you may read and write the file and its "
    "folder); nothing was changed",
    "full": "cannot be written: the disk is full; nothing was changed, free some space and "
    "try again",
    "io": "cannot be read or written (a disk error, or the disk is full); nothing was changed",
}


def storage_error(
    exc: sqlite3.Error,
    path: str | os.PathLike[str] | None = None,
    *,
    what: str = "contact log",
    error: type[Exception] = StorageFault,
) -> Exception:
    """The one-line error (``error``, by default ``StorageFault``) for a ``sqlite3.Error``
    met on the store at ``path``; its ``fault`` is ``fault_kind(exc)``.  The class store
    passes its own ``what`` and error class."""
    kind = fault_kind(exc)
    where = f"{path}: the {what}" if path else f"the {what}"
    detail = " ".join(str(exc).split())[:100]
    if kind == "damaged":
        text = (
            f"{path or 'the file'}: not a readable {what}: the file is damaged or not a "
            f"database ({detail}); the file was left untouched: restore it from a backup "
            f"or use --db"
        )
    elif kind in _FAULT_TEXT:
        text = f"{where} {_FAULT_TEXT[kind]}"
    else:
        text = f"{where} cannot be used ({detail})"
    err = error(text)
    err.fault = kind
    return err


class LogConnection(sqlite3.Connection):
    """A connection that knows its file, so an error met anywhere can name it; ``transaction``
    calls ``storage_error`` to translate what SQLite raises inside it."""

    path: str | None = None
    what = "contact log"
    error: type[Exception] = StorageFault

    def storage_error(self, exc: sqlite3.Error) -> Exception:
        return storage_error(exc, self.path, what=self.what, error=self.error)


class StoreFile:
    """How one of the project's SQLite stores opens its file (``open``): created if new, refused
    if foreign, newer or damaged (one line; the file is left as it was), migrated forward.  A
    subclass says what differs: ``LogFile`` (the contact log, below) and
    ``checker.classes.db.ClassFile`` (the class database)."""

    what: str  # how its messages name it: "contact log"
    application_id: int
    schema_version: int
    connection: type[LogConnection]
    error: type[Exception]  # a folder, a file it cannot create, another program's tables
    absent: type[Exception]  # no file yet, with ``create=False``
    missing: str  # how the file comes to be, said when it is absent
    foreign: str  # the one line for another program's SQLite file
    restore: str  # what to do about a damaged file

    def __init__(
        self,
        resolve: Callable[[str | os.PathLike[str] | None], Path],
        migrate: Callable[[sqlite3.Connection], int],
    ):
        self.resolve = resolve  # the file ``--db`` (or None) names
        self.migrate = migrate  # the store's ``migrate`` (which reads its MIGRATIONS when called)

    def refused(self, text: str, fault: str) -> Exception:
        """The one-line error for a file refused ("foreign", "newer", "damaged"): the one a
        storage fault raises (``connection.error``)."""
        return self.connection.error(text, fault)

    def fault(self, exc: sqlite3.Error, p: Path) -> Exception:
        """The one-line error for a ``sqlite3.Error`` met while opening ``p``."""
        return storage_error(exc, p, what=self.what, error=self.connection.error)

    def setup(self, conn: sqlite3.Connection) -> None:
        """What every connection sets first."""
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")

    def foreign_error(self) -> Exception:
        """What ``run_migrations`` raises when another program's tables appear meanwhile."""
        return self.error(self.foreign)

    def open(
        self, path: str | os.PathLike[str] | None, *, create: bool, timeout: float
    ) -> sqlite3.Connection:
        """Open (and create or migrate) the store's file; returns an autocommit connection.

        ``create=False`` raises ``absent`` when the file does not exist.
        """
        if str(path) == ":memory:":  # tests and throw-away stores
            conn = sqlite3.connect(":memory:", isolation_level=None)
            self.setup(conn)
            self.migrate(conn)
            return conn
        p = self.resolve(path)
        if p.is_dir():
            raise self.error(f"{p}: is a folder, not a {self.what}")
        if not p.exists():
            if not create:
                raise self.absent(f"{p}: no {self.what} yet ({self.missing})")
            self._create_file(p)
        try:
            conn = sqlite3.connect(
                str(p), timeout=timeout, isolation_level=None, factory=self.connection
            )
        except sqlite3.Error as exc:
            raise self.fault(exc, p) from None
        conn.path = str(p)
        try:
            self.setup(conn)
            self._check_identity(conn, p)
            enable_wal(conn, timeout)
            conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate(conn)
            what = integrity_problem(conn, p)
            if what is not None:
                raise self.refused(
                    f"{p}: the {self.what} is damaged ({what}); the file was left untouched: "
                    f"{self.restore}",
                    "damaged",
                )
        except self.error:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise self.fault(exc, p) from None
        return conn

    def _create_file(self, p: Path) -> None:
        try:
            p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(p, os.O_CREAT | os.O_WRONLY, 0o600)  # mode applies when it is created
            os.close(fd)
        except OSError as exc:
            raise self.error(f"{p}: cannot create the {self.what}: {exc.strerror or exc}") from None

    def _check_identity(self, conn: sqlite3.Connection, p: Path) -> None:
        # One statement, so one read snapshot: reading the three values in separate statements
        # could see a half-finished first-use migration by another process (a new file that
        # already has tables but no application id yet) and call it another program's database.
        # The first read of the header: "file is not a database" surfaces here.
        app_id, version, n = read_identity(conn)
        if app_id == 0 and version == 0 and n == 0:
            return  # a new, empty file: migrate() creates the schema
        if app_id != self.application_id:
            raise self.refused(f"{p}: {self.foreign}", "foreign")
        if version > self.schema_version:
            raise self.refused(
                f"{p}: made by a newer followup-checker (schema {version}, this "
                f"version reads up to {self.schema_version}); upgrade followup-checker",
                "newer",
            )


class LogFile(StoreFile):
    """The contact log's file."""

    what = "contact log"
    application_id = APPLICATION_ID
    schema_version = SCHEMA_VERSION
    connection = LogConnection
    error = ContactLogError
    absent = NoDatabase
    missing = "add an event with `followup log add`"
    foreign = (
        "not a followup-checker contact log (another program's SQLite database); the file was "
        "left untouched, use --db"
    )
    restore = "restore it from a backup or use --db"


def connect(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, timeout: float | None = None
) -> sqlite3.Connection:
    """Open (and create or migrate) the contact log; returns an autocommit connection.

    ``create=False`` raises ``NoDatabase`` when the file does not exist (readers such as the
    frequency check never create files).  Raises ``ContactLogError`` (one line) for a
    corrupt, foreign or newer file; the file is left as it was.
    """
    if timeout is None:  # read when called, so a test can shorten it
        timeout = BUSY_TIMEOUT_S
    return STORE.open(path, create=create, timeout=timeout)


def enable_wal(conn: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_S) -> None:
    """Switch the file to WAL (once per file; later opens find it set).

    SQLite answers "locked" at once, without its busy handler, when another process holds
    the file while the journal mode changes (several processes opening a new log together),
    so the switch is retried here until ``timeout``.
    """
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def read_identity(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(application_id, user_version, number of schema objects), read in one snapshot."""
    row = conn.execute(
        "SELECT (SELECT application_id FROM pragma_application_id()), "
        "(SELECT user_version FROM pragma_user_version()), "
        "(SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


#: Files this process has found sound, by (device, inode, size, mtime): ``quick_check`` reads
#: the whole file (180 ms at 60,000 contacts), so a long-lived process such as the web server
#: runs it again only when the file was replaced or changed on disk since.
_SOUND: set[tuple[int, int, int, int]] = set()


def integrity_problem(conn: sqlite3.Connection, p: Path) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with the file at ``p`` (one line), or None;
    run once per process while the file is unchanged on disk (both stores use it)."""
    try:
        st = p.stat()
        key: tuple[int, int, int, int] | None = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _SOUND:
        return None
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
    if rows == ["ok"]:
        if key is not None:
            _SOUND.add(key)
        return None
    return " ".join(rows[0].replace("*** in database main ***", "").split())[:100]


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the contact log's schema up to ``target``; returns the version."""
    return run_migrations(conn, MIGRATIONS, APPLICATION_ID, target, STORE.foreign_error)


STORE = LogFile(resolve_db_path, migrate)


def run_migrations(
    conn: sqlite3.Connection,
    migrations: tuple[str, ...],
    application_id: int,
    target: int,
    foreign: Callable[[], Exception],
) -> int:
    """Bring a store's schema up to ``target``, one transaction per step (``migrations[n]``
    takes version n to n + 1); returns the version.  Both stores use it.

    Safe against a concurrent migrator: each step re-reads the version under the write lock,
    and a file at version 0 that holds tables and another ``application_id`` raises
    ``foreign()`` (tables appeared that no migration of ours made).
    """
    while True:
        if schema_version(conn) >= target:
            return schema_version(conn)
        with transaction(conn):  # BEGIN IMMEDIATE: one migrator at a time
            app_id, version, n = read_identity(conn)
            if version >= target:
                continue
            if version == 0 and (app_id, n) != (0, 0) and app_id != application_id:
                raise foreign()
            for statement in _statements(migrations[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")


def _statements(script: str) -> list[str]:
    # The steps hold no ';' inside literals, so splitting is exact; executing one statement at
    # a time (unlike executescript) keeps them inside our transaction.
    return [s.strip() for s in script.split(";") if s.strip()]


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any exception).

    Re-entrant: inside an open transaction it just joins it, so ``import_csv`` can run many
    ``add_event`` calls as one all-or-nothing unit.  A ``sqlite3.Error`` (on BEGIN, inside,
    or on COMMIT) rolls back; a storage fault (``fault_kind``) is raised as the connection's
    one-line storage error (``LogConnection.storage_error``) when the connection has one.
    """
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
    except sqlite3.Error as exc:
        translate = getattr(conn, "storage_error", None)
        if translate is None or fault_kind(exc) == "other":  # a bug in our SQL stays loud
            raise
        raise translate(exc) from None


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite may already have rolled back (a full disk, an I/O error): ROLLBACK would then
    # fail with "no transaction is active" and hide the error that matters.
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


# --------------------------------------------------------------------------- employers

_EMPLOYER_COLS = "id, company, person, email, phone, style, decision_date, role"


def _employer(row: sqlite3.Row) -> Employer:
    return Employer(
        id=row["id"],
        company=row["company"],
        person=row["person"],
        email=row["email"],
        phone=row["phone"],
        style=row["style"],
        decision_date=dt.date.fromisoformat(row["decision_date"]) if row["decision_date"] else None,
        role=row["role"],
    )


def get_employer(conn: sqlite3.Connection, company: str) -> Employer | None:
    """The employer named ``company`` (case and spacing ignored), or None."""
    row = conn.execute(
        f"SELECT {_EMPLOYER_COLS} FROM employers WHERE company_key = ?", (company_key(company),)
    ).fetchone()
    return _employer(row) if row else None


def list_employers(
    conn: sqlite3.Connection, *, query: str = "", limit: int | None = None, offset: int = 0
) -> list[Employer]:
    """Employers by name (case and spacing ignored); ``query``: those whose names contain it;
    ``limit`` / ``offset``: one page of them (the web log page)."""
    sql, args = f"SELECT {_EMPLOYER_COLS} FROM employers", []
    if query.strip():
        sql += " WHERE company_key LIKE ? ESCAPE '\\'"
        args.append(_like(query))
    sql += " ORDER BY company_key"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [max(0, limit), max(0, offset)]
    return [_employer(r) for r in conn.execute(sql, args)]


def _clean_company(company: str) -> str:
    name = " ".join((company or "").split())
    if not name:
        raise ContactLogError("company name is empty")
    if len(name) > 200:
        raise ContactLogError(f"company name is too long ({len(name)} characters; limit 200)")
    return name


def add_employer(
    conn: sqlite3.Connection,
    company: str,
    *,
    person: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    style: str | None = None,
    decision_date: dt.date | None = None,
    role: str | None = None,
) -> Employer:
    """Create the employer, or update the fields given (not None) of an existing one."""
    name = _clean_company(company)
    if style is not None and style not in STYLES:
        raise ContactLogError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    fields = {
        "person": person,
        "email": email,
        "phone": phone,
        "style": style,
        "decision_date": decision_date.isoformat() if decision_date else None,
        "role": " ".join(role.split()) if role else None,
    }
    given = {k: v for k, v in fields.items() if v is not None}
    with transaction(conn):
        conn.execute(
            "INSERT INTO employers (company, company_key) VALUES (?, ?) "
            "ON CONFLICT (company_key) DO NOTHING",
            (name, company_key(name)),
        )
        if given:
            sets = ", ".join(f"{k} = ?" for k in given)
            conn.execute(
                f"UPDATE employers SET {sets} WHERE company_key = ?",
                (*given.values(), company_key(name)),
            )
        employer = get_employer(conn, name)
    assert employer is not None
    return employer


def set_employer(
    conn: sqlite3.Connection, company: str, *, clear_decision: bool = False, **fields
) -> Employer:
    """``add_employer`` for an existing employer, and ``clear_decision`` forgets the decision
    date they gave (when they have decided, or it was a mistake)."""
    with transaction(conn):
        employer = add_employer(conn, company, **fields)
        if clear_decision and "decision_date" not in fields:
            conn.execute("UPDATE employers SET decision_date = NULL WHERE id = ?", (employer.id,))
            employer = get_employer(conn, company)
    assert employer is not None
    return employer


# --------------------------------------------------------------------------- events

_EVENT_SELECT = (
    "SELECT e.id, e.employer_id, m.company, e.date, e.channel, e.direction, e.kind, "
    "e.note, e.announced_call, e.created_at FROM events e "
    "JOIN employers m ON m.id = e.employer_id"
)


def _event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"],
        company=row["company"],
        when=from_iso(row["date"]),
        channel=row["channel"],
        direction=row["direction"],
        kind=row["kind"],
        note=row["note"],
        announced_call=row["announced_call"],
        employer_id=row["employer_id"],
        created_at=row["created_at"],
    )


def validate_event(channel: str, direction: str, kind: str) -> None:
    """Raise ``ContactLogError`` naming the first field outside its allowed values."""
    for name, value, allowed in (
        ("channel", channel, CHANNELS),
        ("direction", direction, DIRECTIONS),
        ("kind", kind, KINDS),
    ):
        if value not in allowed:
            raise ContactLogError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def _checked_event(
    company: str, when: dt.date | dt.datetime, channel: str, direction: str, kind: str, note: str
) -> str:
    """Raise ``ContactLogError`` for an event ``add_event`` or ``update_event`` cannot store;
    returns the company name as stored."""
    validate_event(channel, direction, kind)
    if not isinstance(when, (dt.date, dt.datetime)):
        raise ContactLogError(f"event date must be a date, not {when!r}")
    check_range(when)
    if len(note or "") > MAX_NOTE:
        raise ContactLogError(f"note is too long ({len(note):,} characters; limit {MAX_NOTE:,})")
    return _clean_company(company)


def add_event(
    conn: sqlite3.Connection,
    company: str,
    when: dt.date | dt.datetime,
    channel: str,
    direction: str,
    kind: str,
    note: str = "",
    announced_call: str | None = None,
) -> Event:
    """Log one contact with ``company`` (created if new); returns the stored event."""
    name = _checked_event(company, when, channel, direction, kind, note)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    with transaction(conn):
        employer = get_employer(conn, name) or add_employer(conn, name)
        cur = conn.execute(
            "INSERT INTO events (employer_id, date, channel, direction, kind, note, "
            "announced_call, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (employer.id, iso(when), channel, direction, kind, note or "", announced_call, stamp),
        )
        event = get_event(conn, cur.lastrowid)
    assert event is not None
    return event


def event_exists(
    conn: sqlite3.Connection,
    company: str,
    when: dt.date | dt.datetime,
    channel: str,
    direction: str,
    kind: str,
    note: str = "",
) -> bool:
    """True when an identical event is already logged (used to skip re-imported rows)."""
    row = conn.execute(
        "SELECT 1 FROM events e JOIN employers m ON m.id = e.employer_id WHERE m.company_key = ? "
        "AND e.date = ? AND e.channel = ? AND e.direction = ? AND e.kind = ? AND e.note = ?",
        (company_key(company), iso(when), channel, direction, kind, note or ""),
    ).fetchone()
    return row is not None


def get_event(conn: sqlite3.Connection, event_id: int) -> Event | None:
    row = conn.execute(f"{_EVENT_SELECT} WHERE e.id = ?", (event_id,)).fetchone()
    return _event(row) if row else None


def list_events(
    conn: sqlite3.Connection,
    company: str | None = None,
    *,
    newest_first: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Event]:
    """Events in date order (then id), or newest first; all or one employer's
    (case-insensitive name); ``limit`` / ``offset``: one page of them (the web log page)."""
    sql, args = _EVENT_SELECT, []
    if company is not None:
        sql += " WHERE m.company_key = ?"
        args.append(company_key(company))
    sql += " ORDER BY e.date DESC, e.id DESC" if newest_first else " ORDER BY e.date, e.id"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [max(0, limit), max(0, offset)]
    return [_event(r) for r in conn.execute(sql, args)]


def events_by_employer(conn: sqlite3.Connection, employer_ids: list[int]) -> dict[int, list[Event]]:
    """Each employer's events in date order (then id), for a page of employers in one query."""
    out: dict[int, list[Event]] = {i: [] for i in employer_ids}
    if employer_ids:
        marks = ", ".join("?" * len(employer_ids))
        for r in conn.execute(
            f"{_EVENT_SELECT} WHERE e.employer_id IN ({marks}) ORDER BY e.date, e.id",
            list(employer_ids),
        ):
            out[r["employer_id"]].append(_event(r))
    return out


def count_events(conn: sqlite3.Connection, company: str | None = None) -> int:
    """How many events are logged, all or with ``company`` (0 for an unknown one)."""
    if company is None:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return conn.execute(
        "SELECT count(*) FROM events e JOIN employers m ON m.id = e.employer_id "
        "WHERE m.company_key = ?",
        (company_key(company),),
    ).fetchone()[0]


def update_event(
    conn: sqlite3.Connection,
    event_id: int,
    company: str,
    when: dt.date | dt.datetime,
    channel: str,
    direction: str,
    kind: str,
    note: str = "",
    announced_call: str | None = None,
) -> Event | None:
    """Change every field of one logged contact (moving it to another employer, created if
    new); returns the stored event, or None when there is no such id.  Validated as
    ``add_event``."""
    name = _checked_event(company, when, channel, direction, kind, note)
    with transaction(conn):
        if get_event(conn, event_id) is None:
            return None
        employer = get_employer(conn, name) or add_employer(conn, name)
        conn.execute(
            "UPDATE events SET employer_id = ?, date = ?, channel = ?, direction = ?, "
            "kind = ?, note = ?, announced_call = ? WHERE id = ?",
            (
                employer.id,
                iso(when),
                channel,
                direction,
                kind,
                note or "",
                announced_call,
                event_id,
            ),
        )
        return get_event(conn, event_id)


def delete_event(conn: sqlite3.Connection, event_id: int) -> bool:
    """Delete one event; False when there is no such id."""
    with transaction(conn):
        return conn.execute("DELETE FROM events WHERE id = ?", (event_id,)).rowcount > 0


# --------------------------------------------------------------------------- paged reads
# For the web log page (``web/log.py``): one page of employers or events at a time, so the page
# costs the same with 60,000 events as with 60.


def _like(query: str) -> str:
    """A LIKE pattern matching company keys that contain ``query`` (``\\`` escapes)."""
    key = company_key(query) if query.strip() else ""
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def count_employers_matching(conn: sqlite3.Connection, query: str = "") -> int:
    """How many employers' names contain ``query`` (case and spacing ignored; all for "")."""
    return conn.execute(
        "SELECT count(*) FROM employers WHERE company_key LIKE ? ESCAPE '\\'", (_like(query),)
    ).fetchone()[0]

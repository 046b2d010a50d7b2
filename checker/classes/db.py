"""All SQL of class mode.  Every function takes an open ``sqlite3.Connection``.

The class database is a SQLite file of its own, ``classes.db``, kept beside the contact log
(same folder, same permissions: file 0600, folder 0700) unless ``--db`` or
``$FOLLOWUP_CLASSES_DB`` names another (``resolve_db_path``).  It uses the WAL journal,
foreign keys (deleting a class deletes its students and submissions; deleting a student
deletes their submissions) and ``secure_delete`` (deleted rows are overwritten, not left in
free pages).  ``PRAGMA application_id`` marks the file as ours, ``PRAGMA user_version`` is
the schema version; ``connect`` migrates older files forward one transaction per step and
refuses a file that is foreign, newer or damaged, without touching it.

Several processes may use the file at once (``followup serve`` runs several workers): every
write is one short ``BEGIN IMMEDIATE`` transaction, writers queue on the lock
(``busy_timeout``, 30 s), and what a write depends on (the next version number, whether the
class is still open, whether a name is taken) is read inside that transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..batch.summary import facts as report_facts
from ..contacts.db import (
    LogConnection,
    StoreFile,
    run_migrations,
    storage_error,
    transaction,  # noqa: F401  (BEGIN IMMEDIATE; re-entrant; used here too)
)
from ..contacts.db import resolve_db_path as contacts_db_path
from . import tokens
from .model import (
    ClassClosed,
    ClassError,
    ClassInfo,
    LimitReached,
    NameTaken,
    StoreError,
    Student,
    Submission,
    local_date,
    now_utc,
)

APPLICATION_ID = 0x4655434C  # "FUCL": marks a followup-checker class database
SCHEMA_VERSION = 1
ENV_VAR = "FOLLOWUP_CLASSES_DB"
FILE_NAME = "classes.db"
BUSY_TIMEOUT_S = 30.0

MAX_TITLE = 120
MAX_NAME = 80
MAX_EMAIL = 200
MAX_RETENTION_DAYS = 3650

# MIGRATIONS[n] takes a database at version n to version n + 1.  Never edit a shipped step;
# append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the first schema.
    f"""
    CREATE TABLE classes (
        id                      INTEGER PRIMARY KEY AUTOINCREMENT,
        title                   TEXT NOT NULL CHECK (length(trim(title)) > 0),
        kind                    TEXT NOT NULL,
        due                     TEXT NOT NULL,
        closed_at               TEXT,
        retention_days          INTEGER NOT NULL CHECK (retention_days >= 1),
        student_token_hash      TEXT NOT NULL UNIQUE,
        facilitator_token_hash  TEXT NOT NULL UNIQUE,
        password_hash           TEXT,
        created_at              TEXT NOT NULL
    );
    CREATE TABLE students (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        class_id    INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
        name_key    TEXT NOT NULL,
        email       TEXT,
        on_roster   INTEGER NOT NULL DEFAULT 0,
        key_hash    TEXT UNIQUE,
        created_at  TEXT NOT NULL,
        UNIQUE (class_id, name_key)
    );
    CREATE TABLE submissions (
        id           INTEGER PRIMARY KEY,
        class_id     INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        student_id   INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        version      INTEGER NOT NULL CHECK (version >= 1),
        draft        TEXT NOT NULL,
        checked_text TEXT,
        report       TEXT NOT NULL,
        verdict      TEXT,
        errors       INTEGER NOT NULL DEFAULT 0,
        warnings     INTEGER NOT NULL DEFAULT 0,
        suggestions  INTEGER NOT NULL DEFAULT 0,
        missing      TEXT NOT NULL DEFAULT '',
        desperation  TEXT,
        hostility    TEXT,
        words        INTEGER,
        created_at   TEXT NOT NULL,
        UNIQUE (student_id, version)
    );
    CREATE INDEX submissions_by_class ON submissions (class_id, id);
    CREATE TABLE rate_windows (
        bucket   TEXT NOT NULL,
        start    INTEGER NOT NULL,
        expires  INTEGER NOT NULL,
        hits     INTEGER NOT NULL,
        PRIMARY KEY (bucket, start)
    ) WITHOUT ROWID;
    PRAGMA application_id = {APPLICATION_ID};
    """,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


# --------------------------------------------------------------------------- opening


def default_db_path() -> Path:
    """``$FOLLOWUP_CLASSES_DB``, else ``classes.db`` beside the contact log."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return contacts_db_path().parent / FILE_NAME


def resolve_db_path(
    path: str | os.PathLike[str] | None = None, *, beside: str | os.PathLike[str] | None = None
) -> Path:
    """``path`` (``--db``) if given; else ``$FOLLOWUP_CLASSES_DB``; else ``classes.db`` in the
    folder of ``beside`` (the web app's contact log) or of the default contact log."""
    if path:
        return Path(path).expanduser()
    if beside and not os.environ.get(ENV_VAR):
        return Path(beside).expanduser().parent / FILE_NAME
    return default_db_path()


class StoreConnection(LogConnection):
    """A connection to the class database: a storage fault met in ``transaction`` (a
    read-only file or folder, a full disk, busy past the timeout, damage) is a one-line
    ``StoreError`` naming the file (``checker.contacts.db.storage_error``)."""

    what = "class database"
    error = StoreError

    def storage_error(self, exc: sqlite3.Error) -> StoreError:
        return fault(exc, self.path)


def fault(exc: sqlite3.Error, path: str | os.PathLike[str] | None = None) -> StoreError:
    """The one-line ``StoreError`` for a ``sqlite3.Error`` met on the class database (its
    ``status`` 503 while busy: try again)."""
    err = storage_error(exc, path, what="class database", error=StoreError)
    if err.fault == "busy":
        err.status = 503
    return err


class ClassFile(StoreFile):
    """The class database's file: opened as the contact log's is (``StoreFile.open``), with
    ``secure_delete`` on."""

    what = "class database"
    application_id = APPLICATION_ID
    schema_version = SCHEMA_VERSION
    connection = StoreConnection
    error = StoreError
    absent = StoreError
    missing = "create a class first"
    foreign = (
        "not a followup-checker class database (another program's SQLite file); the file was "
        "left untouched, use --db"
    )
    restore = "restore it from a backup"

    def refused(self, text: str, fault: str) -> Exception:
        return StoreError(text)  # the fault is in the words only

    def fault(self, exc: sqlite3.Error, p: Path) -> Exception:
        return fault(exc, p)

    def setup(self, conn: sqlite3.Connection) -> None:
        super().setup(conn)
        conn.execute("PRAGMA secure_delete = ON")
        # Long-lived connections (the web app keeps one per server thread) keep the WAL file;
        # after a checkpoint it is cut back to this size.
        conn.execute("PRAGMA journal_size_limit = 8388608")


def connect(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, timeout: float | None = None
) -> sqlite3.Connection:
    """Open (and create or migrate) the class database; an autocommit connection.

    ``create=False`` raises ``StoreError`` when the file does not exist.  A foreign, newer or
    damaged file raises ``StoreError`` (one line) and is left as it was.
    """
    if timeout is None:  # read when called, so a test can shorten it
        timeout = BUSY_TIMEOUT_S
    return STORE.open(path, create=create, timeout=timeout)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the class database's schema up to ``target``; returns the version."""
    return run_migrations(conn, MIGRATIONS, APPLICATION_ID, target, STORE.foreign_error)


STORE = ClassFile(resolve_db_path, migrate)


# --------------------------------------------------------------------------- values


def _one_line(value: Any, limit: int, empty: str, too_long: str) -> str:
    """``value`` with its white space folded to single spaces: ``ClassError(empty)`` when
    nothing is left, ``ClassError(too_long)`` (``{n}`` its length, ``{limit}``) when longer
    than ``limit``."""
    text = " ".join(str(value or "").split())
    if not text:
        raise ClassError(empty)
    if len(text) > limit:
        raise ClassError(too_long.format(n=len(text), limit=limit))
    return text


def clean_title(title: str) -> str:
    return _one_line(
        title,
        MAX_TITLE,
        "the class needs a title",
        "the title is too long ({n} characters; limit {limit})",
    )


def clean_name(name: str) -> str:
    text = _one_line(
        name,
        MAX_NAME,
        "Enter your name.",
        "The name is too long ({n} characters; limit {limit}).",
    )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ClassError("The name holds control characters.")
    return text


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def clean_retention(days: Any) -> int:
    try:
        n = int(days)
    except (TypeError, ValueError):
        raise ClassError(f"retention must be a number of days, not {str(days)[:20]!r}") from None
    if not 1 <= n <= MAX_RETENTION_DAYS:
        raise ClassError(f"retention must be 1 to {MAX_RETENTION_DAYS} days after the due date")
    return n


def _stamp(moment: dt.datetime | None) -> str:
    return (moment or now_utc()).astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- classes

_CLASS_BASE_COLS = (
    "c.id, c.title, c.kind, c.due, c.closed_at, c.retention_days, c.created_at, "
    "c.password_hash IS NOT NULL AS has_password"
)
_CLASS_COLS = (
    f"{_CLASS_BASE_COLS}, "
    "(SELECT count(*) FROM students s WHERE s.class_id = c.id) AS n_students, "
    "(SELECT count(DISTINCT student_id) FROM submissions x WHERE x.class_id = c.id) "
    "AS n_submitters, "
    "(SELECT count(*) FROM submissions x WHERE x.class_id = c.id) AS n_submissions"
)


def _class(row: sqlite3.Row) -> ClassInfo:
    counted = "n_students" in row.keys()
    return ClassInfo(
        id=row["id"],
        title=row["title"],
        kind=row["kind"],
        due=dt.date.fromisoformat(row["due"]),
        closed_at=row["closed_at"],
        retention_days=row["retention_days"],
        created_at=row["created_at"],
        has_password=bool(row["has_password"]),
        students=row["n_students"] if counted else 0,
        submitters=row["n_submitters"] if counted else 0,
        submissions=row["n_submissions"] if counted else 0,
    )


def create_class(
    conn: sqlite3.Connection,
    title: str,
    kind: str,
    due: dt.date,
    *,
    retention_days: int = 30,
    password: str | None = None,
    roster: Iterable[tuple[str, str | None]] = (),
    now: dt.datetime | None = None,
) -> tuple[ClassInfo, str, str]:
    """Create a class; returns it with its student token and facilitator token (shown once:
    only their hashes are stored)."""
    title = clean_title(title)
    retention_days = clean_retention(retention_days)
    student_token = tokens.new_token(tokens.STUDENT_LINK_BYTES)
    facilitator_token = tokens.new_token(tokens.FACILITATOR_LINK_BYTES)
    password_hash = tokens.hash_password(password) if password else None
    stamp = _stamp(now)
    people = []
    seen = set()
    for name, email in roster:
        name = clean_name(name)
        if name_key(name) in seen:
            continue
        seen.add(name_key(name))
        email = (email or "").strip()[:MAX_EMAIL] or None
        people.append((name, name_key(name), email))
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO classes (title, kind, due, retention_days, student_token_hash, "
            "facilitator_token_hash, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                title,
                kind,
                due.isoformat(),
                retention_days,
                tokens.token_hash(student_token),
                tokens.token_hash(facilitator_token),
                password_hash,
                stamp,
            ),
        )
        class_id = cur.lastrowid
        conn.executemany(
            "INSERT INTO students (class_id, name, name_key, email, on_roster, "
            "created_at) VALUES (?, ?, ?, ?, 1, ?)",
            [(class_id, n, k, e, stamp) for n, k, e in people],
        )
    info = get_class(conn, class_id)
    assert info is not None
    return info, student_token, facilitator_token


def get_class(conn: sqlite3.Connection, class_id: int) -> ClassInfo | None:
    row = conn.execute(
        f"SELECT {_CLASS_COLS} FROM classes c WHERE c.id = ?", (class_id,)
    ).fetchone()
    return _class(row) if row else None


def list_classes(conn: sqlite3.Connection) -> list[ClassInfo]:
    return [_class(r) for r in conn.execute(f"SELECT {_CLASS_COLS} FROM classes c ORDER BY c.id")]


def _by_token(
    conn: sqlite3.Connection, column: str, token: str, now: dt.datetime | None
) -> ClassInfo | None:
    if not tokens.well_formed(token):
        return None
    # The counts are left out: this runs on every request that carries a link.
    row = conn.execute(
        f"SELECT {_CLASS_BASE_COLS}, c.{column} AS token_hash FROM classes c WHERE c.{column} = ?",
        (tokens.token_hash(token),),
    ).fetchone()
    if row is None or not tokens.same_hash(row["token_hash"], token):
        return None
    info = _class(row)
    if local_date(now or now_utc()) >= info.remove_on:
        return None  # past its retention: gone, even before a purge runs
    return info


def class_for_student_link(conn, token: str, now: dt.datetime | None = None) -> ClassInfo | None:
    """The class whose student link holds ``token``; None for any other token."""
    return _by_token(conn, "student_token_hash", token, now)


def class_for_facilitator_link(
    conn, token: str, now: dt.datetime | None = None
) -> ClassInfo | None:
    """The class whose facilitator link holds ``token``; None for any other token (a
    student link included)."""
    return _by_token(conn, "facilitator_token_hash", token, now)


def password_hash(conn: sqlite3.Connection, class_id: int) -> str | None:
    row = conn.execute("SELECT password_hash FROM classes WHERE id = ?", (class_id,)).fetchone()
    return row["password_hash"] if row else None


def new_student_link(conn: sqlite3.Connection, class_id: int) -> str:
    """Replace the student link of a class (the old one stops working); returns the token."""
    student_token = tokens.new_token(tokens.STUDENT_LINK_BYTES)
    with transaction(conn):
        n = conn.execute(
            "UPDATE classes SET student_token_hash = ? WHERE id = ?",
            (tokens.token_hash(student_token), class_id),
        ).rowcount
    if not n:
        raise ClassError(f"no class {class_id}")
    return student_token


def new_links(conn: sqlite3.Connection, class_id: int) -> tuple[str, str]:
    """Replace both links of a class (the old ones stop working); returns the new tokens."""
    student_token = tokens.new_token(tokens.STUDENT_LINK_BYTES)
    facilitator_token = tokens.new_token(tokens.FACILITATOR_LINK_BYTES)
    with transaction(conn):
        n = conn.execute(
            "UPDATE classes SET student_token_hash = ?, facilitator_token_hash = ? WHERE id = ?",
            (tokens.token_hash(student_token), tokens.token_hash(facilitator_token), class_id),
        ).rowcount
    if not n:
        raise ClassError(f"no class {class_id}")
    return student_token, facilitator_token


def set_closed(
    conn: sqlite3.Connection,
    class_id: int,
    closed: bool,
    *,
    due: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ClassInfo:
    """Close a class, or reopen it (optionally with a new due date)."""
    with transaction(conn):
        if closed:
            conn.execute(
                "UPDATE classes SET closed_at = coalesce(closed_at, ?) WHERE id = ?",
                (_stamp(now), class_id),
            )
        else:
            conn.execute(
                "UPDATE classes SET closed_at = NULL, due = coalesce(?, due) WHERE id = ?",
                (due.isoformat() if due else None, class_id),
            )
    info = get_class(conn, class_id)
    if info is None:
        raise ClassError(f"no class {class_id}")
    return info


def set_retention(conn: sqlite3.Connection, class_id: int, days: Any) -> ClassInfo:
    days = clean_retention(days)
    with transaction(conn):
        conn.execute("UPDATE classes SET retention_days = ? WHERE id = ?", (days, class_id))
    info = get_class(conn, class_id)
    if info is None:
        raise ClassError(f"no class {class_id}")
    return info


def delete_class(conn: sqlite3.Connection, class_id: int) -> bool:
    """Delete a class with its students, submissions and rate counters."""
    with transaction(conn):
        conn.execute("DELETE FROM rate_windows WHERE bucket LIKE ?", (f"class:{class_id}:%",))
        gone = conn.execute("DELETE FROM classes WHERE id = ?", (class_id,)).rowcount > 0
    if gone:
        _checkpoint(conn)
    return gone


def purge_expired(conn: sqlite3.Connection, now: dt.datetime | None = None) -> list[ClassInfo]:
    """Delete every class past its retention (``due`` + ``retention_days``); returns them.
    Also drops rate counters whose window has ended."""
    moment = now or now_utc()
    today = local_date(moment)
    gone = [c for c in list_classes(conn) if today >= c.remove_on]
    stale = conn.execute(
        "SELECT 1 FROM rate_windows WHERE expires < ? LIMIT 1", (int(moment.timestamp()),)
    ).fetchone()
    if not gone and not stale:
        return []  # nothing to write: reading a read-only store still works
    with transaction(conn):
        for c in gone:
            conn.execute("DELETE FROM rate_windows WHERE bucket LIKE ?", (f"class:{c.id}:%",))
            conn.execute("DELETE FROM classes WHERE id = ?", (c.id,))
        conn.execute("DELETE FROM rate_windows WHERE expires < ?", (int(moment.timestamp()),))
    if gone:
        _checkpoint(conn)
    return gone


def _checkpoint(conn: sqlite3.Connection) -> None:
    # Deleted rows are zeroed in the database (secure_delete); copy that into the main file
    # now, so old pages do not linger in the write-ahead log.
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:  # pragma: no cover - another connection is reading
        pass


# --------------------------------------------------------------------------- students

_STUDENT_COLS = "id, class_id, name, email, on_roster, key_hash IS NOT NULL AS claimed, created_at"


def _student(row: sqlite3.Row) -> Student:
    return Student(
        id=row["id"],
        class_id=row["class_id"],
        name=row["name"],
        email=row["email"],
        on_roster=bool(row["on_roster"]),
        claimed=bool(row["claimed"]),
        created_at=row["created_at"],
    )


def list_students(conn: sqlite3.Connection, class_id: int) -> list[Student]:
    return [
        _student(r)
        for r in conn.execute(
            f"SELECT {_STUDENT_COLS} FROM students WHERE class_id = ? ORDER BY name_key, id",
            (class_id,),
        )
    ]


def has_roster(conn: sqlite3.Connection, class_id: int) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM students WHERE class_id = ? AND on_roster = 1 LIMIT 1", (class_id,)
        ).fetchone()
        is not None
    )


def get_student(conn: sqlite3.Connection, class_id: int, student_id: int) -> Student | None:
    row = conn.execute(
        f"SELECT {_STUDENT_COLS} FROM students WHERE class_id = ? AND id = ?",
        (class_id, student_id),
    ).fetchone()
    return _student(row) if row else None


def student_for_key(conn: sqlite3.Connection, class_id: int, key: Any) -> Student | None:
    """The student of ``class_id`` whose key is ``key`` (constant-time compare), or None."""
    if not tokens.well_formed(key):
        return None
    row = conn.execute(
        f"SELECT {_STUDENT_COLS}, key_hash FROM students WHERE class_id = ? AND key_hash = ?",
        (class_id, tokens.token_hash(key)),
    ).fetchone()
    if row is None or not tokens.same_hash(row["key_hash"], key):
        return None
    return _student(row)


def class_for_student_key(
    conn: sqlite3.Connection, key: Any, now: dt.datetime | None = None
) -> tuple[ClassInfo, Student] | None:
    """The class and student of a personal link's key (constant-time compare), or None."""
    if not tokens.well_formed(key):
        return None
    row = conn.execute(
        "SELECT class_id, key_hash FROM students WHERE key_hash = ?", (tokens.token_hash(key),)
    ).fetchone()
    if row is None or not tokens.same_hash(row["key_hash"], key):
        return None
    info = get_class(conn, row["class_id"])
    if info is None or local_date(now or now_utc()) >= info.remove_on:
        return None
    student = student_for_key(conn, info.id, key)
    return (info, student) if student else None


def claim_student(
    conn: sqlite3.Connection,
    class_id: int,
    name: str,
    *,
    roster_only: bool = False,
    max_students: int = 500,
    now: dt.datetime | None = None,
) -> tuple[Student, str]:
    """The student ``name`` of the class, claimed for one browser: returns the student and a
    new key (only its hash is stored).  A name already claimed raises ``NameTaken``; with
    ``roster_only`` a name not on the roster is refused."""
    name = clean_name(name)
    key = tokens.new_token(tokens.STUDENT_KEY_BYTES)
    with transaction(conn):
        row = conn.execute(
            "SELECT id, name, key_hash FROM students WHERE class_id = ? AND name_key = ?",
            (class_id, name_key(name)),
        ).fetchone()
        if row is not None:
            if row["key_hash"] is not None:
                raise NameTaken(
                    f"Someone has already submitted as {row['name']} in this class, from another "
                    "browser. Open your personal link to continue here, or ask your "
                    "facilitator for a new one."
                )
            conn.execute(
                "UPDATE students SET key_hash = ? WHERE id = ?", (tokens.token_hash(key), row["id"])
            )
            student_id = row["id"]
        else:
            if roster_only:
                raise ClassError("Pick your name from the class list.")
            n = conn.execute(
                "SELECT count(*) FROM students WHERE class_id = ?", (class_id,)
            ).fetchone()[0]
            if n >= max_students:
                raise LimitReached(
                    f"This class is full ({max_students} students); ask your facilitator."
                )
            student_id = conn.execute(
                "INSERT INTO students (class_id, name, name_key, key_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (class_id, name, name_key(name), tokens.token_hash(key), _stamp(now)),
            ).lastrowid
    student = get_student(conn, class_id, student_id)
    assert student is not None
    return student, key


def new_student_key(conn: sqlite3.Connection, class_id: int, student_id: int) -> str:
    """Give a student a new key (their old personal link and browsers stop working)."""
    key = tokens.new_token(tokens.STUDENT_KEY_BYTES)
    with transaction(conn):
        n = conn.execute(
            "UPDATE students SET key_hash = ? WHERE class_id = ? AND id = ?",
            (tokens.token_hash(key), class_id, student_id),
        ).rowcount
    if not n:
        raise ClassError("no such student in this class")
    return key


def delete_student(conn: sqlite3.Connection, class_id: int, student_id: int) -> bool:
    """Delete one student: their name, email and every version they submitted."""
    with transaction(conn):
        gone = (
            conn.execute(
                "DELETE FROM students WHERE class_id = ? AND id = ?", (class_id, student_id)
            ).rowcount
            > 0
        )
        conn.execute(
            "DELETE FROM rate_windows WHERE bucket = ?", (f"class:{class_id}:student:{student_id}",)
        )
    if gone:
        _checkpoint(conn)
    return gone


# --------------------------------------------------------------------------- submissions


def submission_facts(data: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's columns of a report JSON (absent sections allowed: the hostility
    section is read defensively, as any section of stored data)."""
    f = report_facts(data)
    missing = [
        key
        for key, el in (data.get("elements") or {}).items()
        if isinstance(el, dict) and el.get("present") is False
    ]
    hostility = data.get("hostility")
    f["missing"] = missing
    f["hostility_level"] = hostility.get("level") if isinstance(hostility, dict) else None
    f["hostility_signals"] = (
        len(hostility.get("signals") or []) if isinstance(hostility, dict) else None
    )
    return f


def add_submission(
    conn: sqlite3.Connection,
    class_id: int,
    student_id: int,
    draft: str,
    report,
    *,
    max_versions: int = 50,
    now: dt.datetime | None = None,
) -> Submission:
    """Store one version (the next number for this student) with its report.  The class
    must be open when the row is written (``ClassClosed`` otherwise)."""
    moment = now or now_utc()
    data = report.to_dict()
    f = submission_facts(data)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    checked = report.text if report.text != draft else None
    with transaction(conn):
        row = conn.execute(
            f"SELECT {_CLASS_BASE_COLS} FROM classes c WHERE c.id = ?", (class_id,)
        ).fetchone()
        info = _class(row) if row else None
        if info is None:
            raise ClassError("This class no longer exists.")
        if not info.is_open(moment):
            raise ClassClosed(closed_message(info))
        if get_student(conn, class_id, student_id) is None:
            raise ClassError("Your entry was removed from this class; enter your name again.")
        version = conn.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM submissions WHERE student_id = ?",
            (student_id,),
        ).fetchone()[0]
        if version > max_versions:
            raise LimitReached(
                f"You have sent {max_versions} versions, the most one student may send in a class."
            )
        sub_id = conn.execute(
            "INSERT INTO submissions (class_id, student_id, version, draft, checked_text, report, "
            "verdict, errors, warnings, suggestions, missing, desperation, hostility, words, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                class_id,
                student_id,
                version,
                draft,
                checked,
                payload,
                f["send_verdict"] or f["verdict"],
                f["errors"],
                f["warnings"],
                f["suggestions"],
                " ".join(f["missing"]),
                f["desperation_level"],
                f["hostility_level"],
                f["words"],
                _stamp(moment),
            ),
        ).lastrowid
    sub = get_submission(conn, class_id, sub_id)
    assert sub is not None
    return sub


def closed_message(info: ClassInfo) -> str:
    if info.closed_at is not None:
        return (
            f"Submissions to {info.title} are closed: the facilitator closed the class. "
            "You can still read your feedback."
        )
    return (
        f"Submissions to {info.title} closed at the end of {info.due:%d %B %Y}, the due "
        "date. You can still read your feedback."
    )


_SUB_SELECT = (
    "SELECT x.id, x.class_id, x.student_id, s.name, x.version, x.draft, x.checked_text, "
    "x.report, x.created_at FROM submissions x JOIN students s ON s.id = x.student_id"
)


def _submission(row: sqlite3.Row) -> Submission:
    data = json.loads(row["report"])
    text = row["checked_text"] if row["checked_text"] is not None else row["draft"]
    return Submission(
        id=row["id"],
        class_id=row["class_id"],
        student_id=row["student_id"],
        student=row["name"],
        version=row["version"],
        draft=row["draft"],
        text=text,
        data=data,
        created_at=row["created_at"],
        facts=submission_facts(data),
    )


def get_submission(
    conn: sqlite3.Connection, class_id: int, submission_id: int
) -> Submission | None:
    row = conn.execute(
        f"{_SUB_SELECT} WHERE x.class_id = ? AND x.id = ?", (class_id, submission_id)
    ).fetchone()
    return _submission(row) if row else None


def versions(conn: sqlite3.Connection, class_id: int, student_id: int) -> list[Submission]:
    """One student's versions, first to last."""
    return [
        _submission(r)
        for r in conn.execute(
            f"{_SUB_SELECT} WHERE x.class_id = ? AND x.student_id = ? ORDER BY x.version",
            (class_id, student_id),
        )
    ]


def all_submissions(conn: sqlite3.Connection, class_id: int) -> Iterable[Submission]:
    """Every version of the class, by student name then version (streamed)."""
    for row in conn.execute(
        f"{_SUB_SELECT} WHERE x.class_id = ? ORDER BY s.name_key, s.id, x.version", (class_id,)
    ):
        yield _submission(row)


def first_and_latest(
    conn: sqlite3.Connection, class_id: int
) -> Iterable[tuple[Submission, Submission]]:
    """Per student who submitted (by name): their first and their latest version."""
    rows = conn.execute(
        "SELECT student_id, min(version) AS first, max(version) AS last FROM submissions "
        "WHERE class_id = ? GROUP BY student_id",
        (class_id,),
    ).fetchall()
    wanted = {r["student_id"]: (r["first"], r["last"]) for r in rows}
    order = [s.id for s in list_students(conn, class_id) if s.id in wanted]
    for student_id in order:
        first_v, last_v = wanted[student_id]
        got = {
            r["version"]: _submission(r)
            for r in conn.execute(
                f"{_SUB_SELECT} WHERE x.student_id = ? AND x.version IN (?, ?)",
                (student_id, first_v, last_v),
            )
        }
        yield got[first_v], got[last_v]


def count_submissions(conn: sqlite3.Connection, class_id: int | None = None) -> int:
    if class_id is None:
        return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    return conn.execute(
        "SELECT count(*) FROM submissions WHERE class_id = ?", (class_id,)
    ).fetchone()[0]


def roster(conn: sqlite3.Connection, class_id: int) -> list[dict[str, Any]]:
    """The dashboard's rows: every student with their latest version's facts and the number
    of versions (``versions`` 0: not submitted yet)."""
    latest = {
        r["student_id"]: r
        for r in conn.execute(
            "SELECT x.student_id, x.id, x.version, x.verdict, x.errors, x.warnings, x.suggestions, "
            "x.missing, x.desperation, x.hostility, x.words, x.created_at, "
            "(SELECT min(created_at) FROM submissions y WHERE y.student_id = x.student_id) AS first_at "
            "FROM submissions x WHERE x.class_id = ? AND x.version = "
            "(SELECT max(version) FROM submissions z WHERE z.student_id = x.student_id)",
            (class_id,),
        )
    }
    out = []
    for s in list_students(conn, class_id):
        r = latest.get(s.id)
        row: dict[str, Any] = {
            "id": s.id,
            "name": s.name,
            "email": s.email,
            "on_roster": s.on_roster,
            "versions": 0,
            "verdict": None,
            "errors": None,
            "warnings": None,
            "suggestions": None,
            "missing": [],
            "desperation": None,
            "hostility": None,
            "words": None,
            "last_at": None,
            "first_at": None,
        }
        if r is not None:
            row.update(
                versions=r["version"],
                verdict=r["verdict"],
                errors=r["errors"],
                warnings=r["warnings"],
                suggestions=r["suggestions"],
                missing=r["missing"].split() if r["missing"] else [],
                desperation=r["desperation"],
                hostility=r["hostility"],
                words=r["words"],
                last_at=r["created_at"],
                first_at=r["first_at"],
            )
        out.append(row)
    return out


def change_stamp(conn: sqlite3.Connection, class_id: int) -> str:
    """A string that changes whenever the dashboard of the class would (an ETag)."""
    row = conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) || '.' || count(*) FROM submissions WHERE class_id = c.id), "
        "(SELECT coalesce(max(id), 0) || '.' || count(*) || '.' || count(key_hash) FROM students "
        "WHERE class_id = c.id), c.closed_at, c.due, c.retention_days FROM classes c WHERE c.id = ?",
        (class_id,),
    ).fetchone()
    return "-".join(str(v) for v in row) if row else "gone"


# --------------------------------------------------------------------------- rate limits


def rate_hit(conn: sqlite3.Connection, bucket: str, limit: int, period: int, now: float) -> int:
    """Count one request in ``bucket``'s current window of ``period`` seconds; returns 0
    when it is within ``limit``, else the seconds until the window ends (Retry-After).
    The counters are in the database, so the limit holds across server processes."""
    start = int(now // period) * period
    with transaction(conn):
        conn.execute(
            "INSERT INTO rate_windows (bucket, start, expires, hits) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (bucket, start) DO UPDATE SET hits = hits + 1",
            (bucket, start, start + period),
        )
        hits = conn.execute(
            "SELECT hits FROM rate_windows WHERE bucket = ? AND start = ?", (bucket, start)
        ).fetchone()[0]
        conn.execute("DELETE FROM rate_windows WHERE bucket = ? AND start < ?", (bucket, start))
    if hits > limit:
        return max(1, int(start + period - now + 0.999))
    return 0

"""``followup class``: class mode from the command line (create, list, export, manage).

    followup class create --title "Spring workshop" --kind thank_you --due 2026-12-10 \\
        [--roster roster.csv] [--password] [--retention-days 30] [--url http://10.0.0.5:8000]
    followup class list [--format text|json]
    followup class export ID --format jsonl|csv|html [--out PATH]
    followup class handouts ID --out handouts.zip
    followup class close ID | reopen ID [--due DATE] | retention ID DAYS
    followup class new-links ID | delete-student ID NAME --yes | delete ID --yes | purge

Every action takes ``--db PATH`` (default: ``$FOLLOWUP_CLASSES_DB``, else ``classes.db``
beside the contact log).  The links hold random tokens of which only hashes are stored, so
``create`` and ``new-links`` are the only times they are printed.  Classes past their
retention are removed whenever a ``followup class`` command runs (and by the web app).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import tempfile

from ..cli import UsageError, open_input
from ..contacts.dates import human
from .options import add_db

DB_HELP = "class database (default: $FOLLOWUP_CLASSES_DB, else classes.db beside the contact log)"
URL_ENV = "FOLLOWUP_BASE_URL"
DEFAULT_URL = "http://127.0.0.1:8000"


def add_arguments(p) -> None:
    from ..classes.exports import FORMATS
    from ..kinds import KINDS

    add_db(p, DB_HELP, default=None)
    common = argparse.ArgumentParser(add_help=False)
    add_db(common, DB_HELP, default=argparse.SUPPRESS)
    url = argparse.ArgumentParser(add_help=False)
    url.add_argument(
        "--url",
        metavar="BASE",
        default=None,
        help=f"the address students open, e.g. http://192.168.1.20:8000 "
        f"(default: ${URL_ENV}, else {DEFAULT_URL})",
    )
    sub = p.add_subparsers(dest="class_command", metavar="ACTION")

    c = sub.add_parser("create", parents=[common, url], help="create a class; prints its two links")
    c.add_argument("--title", required=True)
    c.add_argument("--kind", choices=KINDS, required=True, help="what the students write")
    c.add_argument(
        "--due",
        required=True,
        metavar="DATE",
        help="last day for submissions (YYYY-MM-DD, 10 Dec 2026, tomorrow)",
    )
    c.add_argument(
        "--roster", metavar="FILE.csv", help="CSV with a name column and an optional email column"
    )
    c.add_argument(
        "--password",
        action="store_true",
        help="ask for a dashboard password (read from stdin when it is not a terminal)",
    )
    c.add_argument(
        "--retention-days",
        type=int,
        default=30,
        metavar="N",
        help="delete the class N days after the due date (default 30)",
    )
    c.add_argument("--format", choices=("text", "json"), default="text")

    ls = sub.add_parser(
        "list", parents=[common], help="every class: id, title, due date, submissions"
    )
    ls.add_argument("--format", choices=("text", "json"), default="text")

    ex = sub.add_parser(
        "export", parents=[common], help="export a class (the batch review's formats)"
    )
    ex.add_argument("id", metavar="ID", type=int)
    ex.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="jsonl: every version; csv: the gradebook; html: the class report "
        "(default: from the --out suffix, else jsonl)",
    )
    ex.add_argument("--out", metavar="PATH", help="write here (default: stdout)")

    ho = sub.add_parser("handouts", parents=[common], help="a zip of one HTML page per student")
    ho.add_argument("id", metavar="ID", type=int)
    ho.add_argument("--out", metavar="FILE.zip", required=True)

    cl = sub.add_parser("close", parents=[common], help="stop taking submissions")
    cl.add_argument("id", metavar="ID", type=int)
    ro = sub.add_parser("reopen", parents=[common], help="take submissions again")
    ro.add_argument("id", metavar="ID", type=int)
    ro.add_argument("--due", metavar="DATE", help="a new due date (needed when it has passed)")
    rt = sub.add_parser(
        "retention", parents=[common], help="days after the due date to keep the data"
    )
    rt.add_argument("id", metavar="ID", type=int)
    rt.add_argument("days", metavar="DAYS", type=int)
    nl = sub.add_parser(
        "new-links", parents=[common, url], help="replace both links (the old ones stop working)"
    )
    nl.add_argument("id", metavar="ID", type=int)
    ds = sub.add_parser(
        "delete-student", parents=[common], help="delete one student's name and versions"
    )
    ds.add_argument("id", metavar="ID", type=int)
    ds.add_argument("name", metavar="NAME")
    ds.add_argument("--yes", action="store_true", help="do it (required)")
    dl = sub.add_parser("delete", parents=[common], help="delete a class and everything in it")
    dl.add_argument("id", metavar="ID", type=int)
    dl.add_argument("--yes", action="store_true", help="do it (required)")
    sub.add_parser("purge", parents=[common], help="remove the classes past their retention now")


def _base_url(args) -> str:
    base = (
        (getattr(args, "url", None) or os.environ.get(URL_ENV) or DEFAULT_URL).strip().rstrip("/")
    )
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"--url {base!r}: give the full address, e.g. http://192.168.1.20:8000")
    return base


def links(base: str, student_token: str, facilitator_token: str) -> tuple[str, str]:
    """The full URLs of a class's two links (the web app's routes)."""
    return f"{base}/s/{student_token}", f"{base}/classes/{facilitator_token}/"


def _date(text: str, what: str) -> dt.date:
    from ..contacts.dates import DateError, parse_date

    try:
        value = parse_date(text, relative=True)
    except DateError as exc:
        raise UsageError(f"{what}: {exc}") from None
    return value.date() if isinstance(value, dt.datetime) else value


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Dashboard password: ")
        if first != getpass.getpass("Again: "):
            raise UsageError("the two passwords differ")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    if not first:
        raise UsageError("the password is empty")
    return first


def _open(args):
    from ..classes import db

    conn = db.connect(args.db)
    for gone in db.purge_expired(conn):
        print(
            f"followup class: removed class {gone.id} ({gone.title}): past its retention "
            f"({gone.retention_days} days after {human(gone.due)})",
            file=sys.stderr,
        )
    return conn


def _class(conn, class_id: int):
    from ..classes import db

    info = db.get_class(conn, class_id)
    if info is None:
        raise UsageError(f"no class {class_id} (see `followup class list`)")
    return info


def run(args) -> int:
    action = getattr(args, "class_command", None)
    if not action:
        raise UsageError(
            "give an action: create, list, export, handouts, close, reopen, "
            "retention, new-links, delete-student, delete, purge"
        )
    import sqlite3

    try:
        return ACTIONS[action](args)
    except sqlite3.Error as exc:  # a fault met outside a transaction (a read): one line too
        from ..classes import db

        raise db.fault(exc, db.resolve_db_path(args.db)) from None


def _create(args) -> int:
    from ..classes import db
    from ..classes.roster import read_roster
    from ..kinds import NOUN

    base = _base_url(args)
    due = _date(args.due, "--due")
    if due < dt.date.today():
        raise UsageError(f"--due {human(due)} has passed; give today or a later day")
    roster = []
    if args.roster:
        name, fh = open_input(args.roster, folder_hint="give the roster CSV file", mode="rb")
        with fh:
            roster = read_roster(fh.read(), name)
    password = _password() if args.password else None
    conn = _open(args)
    info, student_token, facilitator_token = db.create_class(
        conn,
        args.title,
        args.kind,
        due,
        retention_days=args.retention_days,
        password=password,
        roster=roster,
    )
    student_url, facilitator_url = links(base, student_token, facilitator_token)
    if args.format == "json":
        print(
            json.dumps(
                {**info.to_dict(), "student_url": student_url, "facilitator_url": facilitator_url},
                ensure_ascii=False,
            )
        )
        return 0
    extra = f", {len(roster)} students on the roster" if roster else ""
    print(
        f"Created class {info.id}: {info.title} ({NOUN.get(info.kind, info.kind)}), "
        f"due {human(info.due)}{extra}"
    )
    print(f"Student link:     {student_url}")
    print(f"Facilitator link: {facilitator_url}")
    print(
        "Save both links now: only their hashes are stored, so they cannot be shown again "
        "(`followup class new-links` replaces them).",
        file=sys.stderr,
    )
    return 0


def _list(args) -> int:
    from ..classes import db

    classes = db.list_classes(_open(args))
    if args.format == "json":
        print(json.dumps([c.to_dict() for c in classes], ensure_ascii=False, indent=2))
        return 0
    if not classes:
        print("No classes yet: `followup class create --title ... --kind ... --due ...`")
        return 0
    print(f"{'ID':>4}  {'STATE':<8}  {'DUE':<11}  {'SUBMISSIONS':>11}  {'STUDENTS':>8}  TITLE")
    for c in classes:
        students = f"{c.submitters}/{c.students}"
        print(
            f"{c.id:>4}  {c.state():<8}  {human(c.due):<11}  {c.submissions:>11}  "
            f"{students:>8}  {c.title}"
        )
    return 0


FORMAT_BY_SUFFIX = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}


def _write_atomically(path: str, mode: str, write, **open_kwargs) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"--out {path}: folder {folder} does not exist")
    if os.path.isdir(path):
        raise UsageError(f"--out {path}: is a folder; give a file name")
    fd, tmp = tempfile.mkstemp(prefix=".followup-class-", suffix=".tmp", dir=folder)
    try:
        with open(fd, mode, **open_kwargs) as fh:
            write(fh)
        os.chmod(tmp, 0o600)  # students' names and drafts: readable by you only
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _export(args) -> int:
    from ..classes import exports

    fmt = args.format or (
        FORMAT_BY_SUFFIX.get(os.path.splitext(args.out)[1].lower(), "jsonl")
        if args.out
        else "jsonl"
    )
    conn = _open(args)
    info = _class(conn, args.id)
    if args.out:
        # A BOM lets spreadsheet programs see the gradebook is UTF-8 (as `followup batch`).
        _write_atomically(
            args.out,
            "w",
            lambda fh: exports.export(conn, info, fmt, fh),
            encoding="utf-8-sig" if fmt == "csv" else "utf-8",
            newline="" if fmt == "csv" else None,
        )
    else:
        exports.export(conn, info, fmt, sys.stdout)
        sys.stdout.flush()
    return 0


def _handouts(args) -> int:
    from ..classes import exports

    conn = _open(args)
    info = _class(conn, args.id)
    counted = []
    _write_atomically(
        args.out, "wb", lambda fh: counted.append(exports.write_handouts(conn, info, fh))
    )
    print(
        f"followup class: {counted[0]} handout{'s' if counted[0] != 1 else ''} -> {args.out}",
        file=sys.stderr,
    )
    return 0


def _close(args) -> int:
    from ..classes import db

    conn = _open(args)
    info = db.set_closed(conn, _class(conn, args.id).id, True)
    print(
        f"Class {info.id} ({info.title}) is closed: students read their feedback but cannot submit."
    )
    return 0


def _reopen(args) -> int:
    from ..classes import db

    conn = _open(args)
    info = _class(conn, args.id)
    due = _date(args.due, "--due") if args.due else None
    if due is not None and due < dt.date.today():
        raise UsageError(f"--due {human(due)} has passed; give today or a later day")
    if due is None and info.due < dt.date.today():
        raise UsageError(f"the due date {human(info.due)} has passed; give a new one with --due")
    info = db.set_closed(conn, info.id, False, due=due)
    print(f"Class {info.id} ({info.title}) is open until the end of {human(info.due)}.")
    return 0


def _retention(args) -> int:
    from ..classes import db

    conn = _open(args)
    info = db.set_retention(conn, _class(conn, args.id).id, args.days)
    print(
        f"Class {info.id} ({info.title}) and all its data will be removed on "
        f"{human(info.remove_on)}."
    )
    return 0


def _new_links(args) -> int:
    from ..classes import db

    base = _base_url(args)
    conn = _open(args)
    info = _class(conn, args.id)
    student_token, facilitator_token = db.new_links(conn, info.id)
    student_url, facilitator_url = links(base, student_token, facilitator_token)
    print(f"New links for class {info.id} ({info.title}); the old ones no longer work.")
    print(f"Student link:     {student_url}")
    print(f"Facilitator link: {facilitator_url}")
    return 0


def _delete_student(args) -> int:
    from ..classes import db

    conn = _open(args)
    info = _class(conn, args.id)
    key = db.name_key(args.name)
    found = [s for s in db.list_students(conn, info.id) if db.name_key(s.name) == key]
    if not found:
        raise UsageError(f"no student {args.name!r} in class {info.id}")
    if not args.yes:
        raise UsageError(f"this deletes {found[0].name} and every version they sent; add --yes")
    db.delete_student(conn, info.id, found[0].id)
    print(f"Deleted {found[0].name} from class {info.id} ({info.title}), with every version.")
    return 0


def _delete(args) -> int:
    from ..classes import db

    conn = _open(args)
    info = _class(conn, args.id)
    if not args.yes:
        raise UsageError(
            f"this deletes class {info.id} ({info.title}) with its {info.students} "
            f"students and {info.submissions} versions; add --yes"
        )
    db.delete_class(conn, info.id)
    print(f"Deleted class {info.id} ({info.title}) and all its data.")
    return 0


def _purge(args) -> int:
    _open(args)  # purges, and says what it removed
    return 0


ACTIONS = {
    "create": _create,
    "list": _list,
    "export": _export,
    "handouts": _handouts,
    "close": _close,
    "reopen": _reopen,
    "retention": _retention,
    "new-links": _new_links,
    "delete-student": _delete_student,
    "delete": _delete,
    "purge": _purge,
}

"""``followup log``: the log of contacts with each employer (add, list, import, export, rm).

    followup log add --to Acme --kind thank_you [--channel email] [--date 2026-11-25]
    followup log add --to Acme --kind interview --channel in_person --direction received
    followup log employer --to Acme --style traditional --decision-by 2026-12-10
    followup log list [--to Acme] [--format text|json]
    followup log import contacts.csv [--date-format %d/%m/%Y]
    followup log export [--format csv|json] [--to Acme]
    followup log rm 12

Every sub-command takes ``--db PATH`` (default: ``$FOLLOWUP_DB`` or
``$XDG_DATA_HOME/followup-checker/contacts.db``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys

from ..cli import UsageError, open_input
from .options import add_db


def add_arguments(p) -> None:
    from ..contacts.model import CHANNELS, DIRECTIONS, KINDS, STYLES

    add_db(p, default=None)
    common = argparse.ArgumentParser(add_help=False)
    add_db(common, default=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="log_command", metavar="ACTION")

    a = sub.add_parser(
        "add", parents=[common], help="log one contact (after you send, call or hear back)"
    )
    a.add_argument("--to", metavar="COMPANY", required=True, help="the employer")
    a.add_argument("--kind", choices=KINDS, required=True)
    a.add_argument("--channel", choices=CHANNELS, default="email")
    a.add_argument("--direction", choices=DIRECTIONS, default="sent")
    a.add_argument(
        "--date",
        metavar="DATE",
        default="today",
        help="date or date and time (default: today); YYYY-MM-DD, 24 Nov 2026, yesterday",
    )
    a.add_argument(
        "--date-format", metavar="FMT", help="strptime format for --date, e.g. %%d/%%m/%%Y"
    )
    a.add_argument("--note", default="", help="free note")
    a.add_argument(
        "--announced-call",
        metavar="DATE",
        nargs="?",
        const="yes",
        help="this message announced a call (optionally when)",
    )
    _employer_options(a, STYLES)

    e = sub.add_parser(
        "employer",
        parents=[common],
        help="set an employer's contact person, style or decision date",
    )
    e.add_argument("--to", metavar="COMPANY", required=True)
    _employer_options(e, STYLES)

    ls = sub.add_parser("list", parents=[common], help="list logged contacts")
    ls.add_argument("--to", metavar="COMPANY", help="only this employer")
    ls.add_argument("--format", choices=("text", "json"), default="text")

    im = sub.add_parser("import", parents=[common], help="import a CSV (all rows or none)")
    im.add_argument(
        "file",
        metavar="FILE.csv",
        help="CSV with a header: date, company, channel, "
        "direction, kind[, note, announced_call]; - reads stdin",
    )
    im.add_argument(
        "--date-format",
        metavar="FMT",
        help="strptime format for the dates, e.g. %%d/%%m/%%Y (needed for 03/04/2026)",
    )

    ex = sub.add_parser("export", parents=[common], help="write the log as CSV or JSON to stdout")
    ex.add_argument("--format", choices=("csv", "json"), default="csv")
    ex.add_argument("--to", metavar="COMPANY", help="only this employer")

    rm = sub.add_parser("rm", parents=[common], help="delete one logged contact by its id")
    rm.add_argument("id", metavar="ID", help="the event id shown by `followup log list`")


def _employer_options(p, styles) -> None:
    g = p.add_argument_group("employer details (stored with the employer)")
    g.add_argument("--person", help="who you deal with")
    g.add_argument("--email")
    g.add_argument("--phone")
    g.add_argument(
        "--style",
        choices=styles,
        help="traditional (handwritten note), modern (email is fine) or unknown",
    )
    g.add_argument("--decision-by", metavar="DATE", help="the date they said they would decide by")
    g.add_argument(
        "--role",
        help="the role you interviewed for (the proofread check compares the note with it)",
    )


def _shown(text: str) -> str:
    """A name or note from the log as the terminal may print it (control characters as
    ``\\x1b``; ``checker.contacts.model.visible``)."""
    from ..contacts.model import visible

    return visible(text)


def _date(text: str, fmt: str | None = None, what: str = "--date"):
    from ..contacts.dates import DateError, parse_date

    try:
        return parse_date(text, date_format=fmt, relative=True)
    except DateError as exc:
        raise UsageError(f"{what}: {exc}") from None


def run(args) -> int:
    import sqlite3

    from ..contacts.db import resolve_db_path, storage_error
    from ..contacts.model import ContactLogError

    if not getattr(args, "log_command", None):
        raise UsageError(
            "say what to do: followup log add|employer|list|import|export|rm "
            "(see followup log --help)"
        )
    try:
        return {
            "add": _add,
            "employer": _employer,
            "list": _list,
            "import": _import,
            "export": _export,
            "rm": _rm,
        }[args.log_command](args)
    except ContactLogError as exc:
        raise UsageError(str(exc)) from None
    except sqlite3.Error as exc:  # a fault met outside a transaction (a read): one line too
        raise UsageError(str(storage_error(exc, resolve_db_path(args.db)))) from None


def _connect(args, create: bool):
    from ..contacts.db import connect
    from ..contacts.model import NoDatabase

    try:
        return connect(args.db, create=create)
    except NoDatabase:
        return None


def _employer_fields(args) -> dict:
    fields = {
        "person": args.person,
        "email": args.email,
        "phone": args.phone,
        "style": args.style,
        "role": args.role,
    }
    if args.decision_by:
        d = _date(args.decision_by, None, "--decision-by")
        fields["decision_date"] = d.date() if isinstance(d, dt.datetime) else d
    return {k: v for k, v in fields.items() if v is not None}


#: The fields of ``service.parse_entry``'s messages, as this command's options.
_OPTION = {
    "company": "--to",
    "date": "--date",
    "announced call": "--announced-call",
    "note": "--note",
}


def _add(args) -> int:
    from ..contacts import db
    from ..contacts.dates import short
    from ..contacts.model import ContactLogError
    from ..contacts.service import log_entry, parse_entry

    try:  # the same checks as the web page's log form
        entry = parse_entry(
            args.to,
            args.date,
            args.channel,
            args.direction,
            args.kind,
            args.note,
            args.announced_call,
            date_format=args.date_format,
        )
    except ContactLogError as exc:
        field, _, why = str(exc).partition(": ")
        raise UsageError(f"{_OPTION[field]}: {why}" if field in _OPTION else str(exc)) from None
    fields = _employer_fields(args)
    conn = _connect(args, create=True)
    try:
        with db.transaction(conn):
            if fields:
                db.add_employer(conn, entry.company, **fields)
            notes = _policy_notes(conn, args, entry.when)
            event = log_entry(conn, entry)
    finally:
        conn.close()
    print(
        f"logged #{event.id}: {event.describe()} with {_shown(event.company)} on "
        f"{short(event.day, dt.date.today())}"
    )
    for note in notes:
        print(f"followup log: note: {note}", file=sys.stderr)
    return 0


def _policy_notes(conn, args, when) -> list[str]:
    """What the cadence policy says about a message you log as sent (logged anyway)."""
    from ..config import ConfigError, resolve
    from ..contacts.model import day_of
    from ..contacts.policy import load_policy, proposal_channel
    from ..contacts.service import judge
    from ..kinds import KINDS

    if args.direction != "sent" or args.kind not in KINDS:
        return []
    notes = []
    try:
        policy = load_policy(resolve())
    except ConfigError as exc:  # the event is logged anyway; say why the defaults were used
        policy = load_policy()
        notes.append(f"{exc}; judged with the packaged cadence policy")
    j = judge(
        args.to,
        send_on=day_of(when),
        channel=proposal_channel(args.channel),
        kind=args.kind,
        policy=policy,
        conn=conn,
    )
    if j.employer is None:
        return []
    return notes + [
        r.message
        for r in j.verdict.reasons
        if r.blocking or r.rule in ("frequency.late_thank_you", "frequency.no_thank_you")
    ]


def _employer(args) -> int:
    from ..contacts import db

    fields = _employer_fields(args)
    conn = _connect(args, create=True)
    try:
        emp = db.add_employer(conn, args.to, **fields)
    finally:
        conn.close()
    details = ", ".join(
        f"{k.replace('_', ' ')} {v}"
        for k, v in emp.to_dict().items()
        if k not in ("id", "company") and v
    )
    print(_shown(f"{emp.company}: {details or 'no details yet'}"))
    return 0


def _list(args) -> int:
    from ..contacts import db

    conn = _connect(args, create=False)
    events = []
    if conn is not None:
        try:
            events = db.list_events(conn, args.to)
        finally:
            conn.close()
    from ..contacts.model import json_visible, visible

    if args.format == "json":
        print(json_visible(json.dumps([e.to_dict() for e in events], ensure_ascii=False, indent=2)))
        return 0
    if not events:
        who = f" with {args.to}" if args.to else ""
        print(f"no contacts{who} in the log", file=sys.stderr)
        return 0
    from ..contacts.dates import human
    from ..contacts.model import CHANNEL_LABELS, KIND_LABELS

    today = dt.date.today()

    def announced(value: str) -> str:
        return value if value == "yes" else human(value, today)

    # Control characters from imported notes (an escape sequence could retitle or clear the
    # terminal) are shown as escapes: \x1b.
    rows = [
        (
            str(e.id),
            human(e.when, today),
            visible(e.company),
            CHANNEL_LABELS[e.channel],
            e.direction,
            KIND_LABELS[e.kind],
            visible(
                e.note.replace("\n", " ")
                + (f" [call announced: {announced(e.announced_call)}]" if e.announced_call else "")
            ),
        )
        for e in events
    ]
    head = ("ID", "DATE", "COMPANY", "CHANNEL", "DIR", "KIND", "NOTE")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(6)]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:6], widths)) + "  " + r[6])
    return 0


def _import(args) -> int:
    from ..contacts.csvio import CSVImportError, import_csv

    name, fh = open_input(args.file, folder_hint="not a CSV file", encoding="utf-8-sig", newline="")
    conn = _connect(args, create=True)
    try:
        with fh:
            result = import_csv(conn, fh, args.date_format, source=name)
    except CSVImportError as exc:
        if len(exc.problems) > 3:
            for line in exc.details():
                print(f"  {line}", file=sys.stderr)
        raise UsageError(str(exc)) from None
    finally:
        conn.close()
    n = len(result.companies)
    print(
        f"imported {result.added} event{'s' if result.added != 1 else ''} for {n} "
        f"employer{'s' if n != 1 else ''}"
        + (f" ({result.skipped} already in the log, skipped)" if result.skipped else "")
    )
    return 0


def _export(args) -> int:
    from ..contacts.csvio import COLUMNS, export_csv, export_json

    conn = _connect(args, create=False)
    if conn is None:
        if args.format == "csv":
            print(",".join(COLUMNS))
        else:
            print(
                json.dumps(
                    {
                        "schema": "followup-checker/contacts/1",
                        "exported": dt.date.today().isoformat(),
                        "employers": [],
                        "events": [],
                    },
                    indent=2,
                )
            )
        return 0
    try:
        buf = io.StringIO()
        if args.format == "csv":
            export_csv(conn, buf, args.to)
        else:
            export_json(conn, buf, args.to)
    finally:
        conn.close()
    sys.stdout.write(_terminal_safe(buf.getvalue(), args.format))
    return 0


def _terminal_safe(text: str, fmt: str) -> str:
    """The export as written: JSON always with DEL and C1 as ``\\u00XX`` escapes (the same
    data; json escapes C0 itself); CSV exactly as stored when redirected or piped (it imports
    back unchanged), but with control characters other than tab and newline shown as ``\\x1b``
    escapes when stdout is a terminal, where they would act."""
    from ..contacts.model import json_visible, visible

    if fmt == "json":
        return json_visible(text)
    return visible(text, keep="\t\n") if sys.stdout.isatty() else text


def _rm(args) -> int:
    from ..contacts import db
    from ..contacts.dates import short

    raw = args.id.lstrip("#")
    if not raw.isdigit():
        raise UsageError(f"event id must be a number (see followup log list), not {args.id!r}")
    conn = _connect(args, create=False)
    if conn is None:
        raise UsageError(f"no event #{raw}: the contact log is empty")
    try:
        event = db.get_event(conn, int(raw))
        if event is None or not db.delete_event(conn, int(raw)):
            raise UsageError(f"no event #{raw} in the log (see followup log list)")
    finally:
        conn.close()
    print(
        f"deleted #{event.id}: {event.describe()} with {_shown(event.company)} on "
        f"{short(event.day, dt.date.today())}"
    )
    return 0

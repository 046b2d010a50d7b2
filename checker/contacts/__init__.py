"""The contact log: employers and every contact with them, in SQLite, plus the cadence policy.

Public API (stable; the CLI ``followup log`` / ``followup next``, the frequency check and the
web Log page all use it)::

    from checker import contacts

    conn = contacts.connect()                     # or connect("path.db"); create=False to only read
    contacts.add_employer(conn, "Acme", person="Ms Lee", style="traditional")
    ev = contacts.add_event(conn, "Acme", contacts.parse_date("2026-11-24"),
                            channel="in_person", direction="received", kind="interview")
    contacts.list_events(conn, company="acme")    # -> [Event], date order
    contacts.delete_event(conn, ev.id)            # -> bool
    contacts.import_csv(conn, open("log.csv", newline=""), date_format=None)  # all or nothing
    contacts.export_csv(conn, sys.stdout); contacts.export_json(conn, sys.stdout)
    step = contacts.next_step(conn, "Acme", today=datetime.date.today())
    step.sentence, step.earliest, step.action     # "Call once, on or after 4 Dec; ..."
    contacts.check_contact(conn, "Acme", send_on=date, channel="email", kind="follow_up")
                                                  # -> Verdict(allowed, earliest, reasons)

Every error a user can cause (bad date, malformed CSV, corrupt or foreign database) is a
``ContactLogError`` (a ``ValueError``) whose message is one line.
"""
from __future__ import annotations

from .csvio import (COLUMNS, CSVImportError, ImportResult, export_csv, export_json,
                    export_rows, import_csv)
from .dates import DateError, parse_date, short
from .db import (SCHEMA_VERSION, add_employer, add_event, connect, count_events,
                 default_db_path, delete_event, get_employer, get_event, list_employers,
                 list_events, migrate, resolve_db_path, schema_version, transaction)
from .model import (CHANNELS, DIRECTIONS, KINDS, STYLES, ContactLogError, Employer, Event,
                    NoDatabase)
from .next import check_contact, next_step
from .policy import NextStep, Reason, Verdict, evaluate, load_policy, plan



__all__ = [
    "CHANNELS", "COLUMNS", "DIRECTIONS", "KINDS", "SCHEMA_VERSION", "STYLES",
    "CSVImportError", "ContactLogError", "DateError", "Employer", "Event", "ImportResult",
    "NextStep", "NoDatabase", "Reason", "Verdict",
    "add_employer", "add_event", "check_contact", "connect", "count_events", "default_db_path",
    "delete_event", "evaluate", "export_csv", "export_json", "export_rows", "get_employer",
    "get_event", "import_csv", "list_employers", "list_events", "load_policy", "migrate",
    "next_step", "parse_date", "plan", "resolve_db_path", "schema_version", "short",
    "transaction",
]

"""The contact log: employers and every contact with them, in SQLite, plus the cadence policy.

Public API (stable; the CLI ``followup log`` / ``followup next`` / ``followup check --record``,
the frequency check and the web Log page all use it; ``service`` is the one way to log a sent
message and to judge a planned one)::

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
    j = contacts.judge("Acme", send_on=date, channel="email", kind="follow_up", conn=conn)
    j.verdict                                     # Verdict(allowed, earliest, reasons)
    rec = contacts.record_sent("Acme", report=report, when="2026-11-25", conn=conn)
    rec.event, rec.announced_call                 # the stored Event, the call it announced

Every error a user can cause (bad date, malformed CSV, corrupt or foreign database) is a
``ContactLogError`` (a ``ValueError``) whose message is one line.
"""

from __future__ import annotations

import importlib

# The public names and the module each lives in.  They are imported on first use (PEP 562),
# so the pre-send check, which needs only ``policy``, does not load SQLite and CSV code.
_EXPORTS = {
    **dict.fromkeys(
        (
            "COLUMNS",
            "CSVImportError",
            "ImportResult",
            "export_csv",
            "export_json",
            "export_rows",
            "import_csv",
        ),
        "csvio",
    ),
    **dict.fromkeys(("DateError", "parse_date", "short"), "dates"),
    **dict.fromkeys(
        (
            "SCHEMA_VERSION",
            "add_employer",
            "add_event",
            "connect",
            "count_events",
            "default_db_path",
            "delete_event",
            "get_employer",
            "get_event",
            "list_employers",
            "list_events",
            "migrate",
            "resolve_db_path",
            "schema_version",
            "storage_error",
            "transaction",
        ),
        "db",
    ),
    **dict.fromkeys(
        (
            "CHANNELS",
            "DIRECTIONS",
            "KINDS",
            "STYLES",
            "ContactLogError",
            "Employer",
            "Event",
            "NoDatabase",
            "StorageFault",
        ),
        "model",
    ),
    **dict.fromkeys(("check_contact", "next_step"), "next"),
    **dict.fromkeys(("NextStep", "Reason", "Verdict", "evaluate", "load_policy", "plan"), "policy"),
    **dict.fromkeys(
        (
            "Addressee",
            "Judgement",
            "Recorded",
            "addressee",
            "announced_by",
            "judge",
            "logged_kind",
            "parse_announced",
            "record_sent",
        ),
        "service",
    ),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

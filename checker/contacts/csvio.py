"""CSV import and CSV / JSON export of the contact log.

Import reads a CSV with a header row.  Required columns: ``date, company, channel, direction,
kind``; optional: ``note, announced_call``.  Column names are case-insensitive and surrounding
spaces are ignored; a UTF-8 BOM is fine.  The whole file is one transaction: any malformed
row rejects the import, with line numbers and reasons, and leaves the database as it was.
Rows identical to an event already logged are skipped, so importing a file twice is harmless.
Export writes the same columns, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import IO, Any

from . import db
from .dates import DateError, parse_date
from .model import ContactLogError

REQUIRED = ("date", "company", "channel", "direction", "kind")
OPTIONAL = ("note", "announced_call")
COLUMNS = REQUIRED + OPTIONAL
MAX_PROBLEMS = 20  # reasons listed in the error; the count covers all of them
MAX_FIELD = 10_000


class CSVImportError(ContactLogError):
    """The import was rejected; ``problems`` lists ``(line, reason)``; nothing was written."""

    def __init__(self, problems: list[tuple[int, str]], source: str = "CSV"):
        self.problems = problems
        first = "; ".join(f"line {n}: {why}" if n else why for n, why in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"{source}: import rejected, nothing was written: {first}{more}")

    def details(self) -> list[str]:
        lines = [f"line {n}: {why}" if n else why for n, why in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"... {len(self.problems) - MAX_PROBLEMS} more problems")
        return lines


@dataclass
class ImportResult:
    added: int = 0
    skipped: int = 0  # identical to an event already logged
    companies: set[str] = field(default_factory=set)


def _header(names: list[str] | None) -> tuple[dict[str, int], list[tuple[int, str]]]:
    if not names or not any(n.strip() for n in names):
        return {}, [
            (1, "no header row; the first line must name the columns: " + ", ".join(COLUMNS))
        ]
    index: dict[str, int] = {}
    problems: list[tuple[int, str]] = []
    if len(names) == 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs")):
            if sep in names[0]:
                return {}, [
                    (1, f"the columns are separated by {label}; save the file as CSV with commas")
                ]
    for i, name in enumerate(names):
        key = name.lstrip("\ufeff").strip().lower().replace(" ", "_")
        if key in index:
            problems.append((1, f"column {key!r} appears twice"))
        elif key not in COLUMNS:
            problems.append((1, f"unknown column {name.strip()!r} (columns: {', '.join(COLUMNS)})"))
        index[key] = i
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        problems.append(
            (1, f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
        )
    return index, problems


def import_csv(
    conn: sqlite3.Connection,
    fileobj: IO[str],
    date_format: str | None = None,
    *,
    source: str = "CSV",
) -> ImportResult:
    """Import every row of ``fileobj`` (text, opened with ``newline=""``) or nothing.

    Raises ``CSVImportError`` listing the bad rows; the database is then unchanged.  Rows are
    written while the file is read, inside one ``BEGIN IMMEDIATE`` transaction, so a process
    killed half-way leaves nothing behind either.
    """
    result = ImportResult()
    problems: list[tuple[int, str]] = []
    reader = csv.reader(fileobj, strict=True)
    try:
        with db.transaction(conn):
            try:
                names = next(reader, None)
            except csv.Error as exc:
                raise CSVImportError([(reader.line_num, f"malformed CSV: {exc}")], source) from None
            index, problems = _header(names)
            if problems:
                raise CSVImportError(problems, source)
            width = len(names or [])
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    problems.append((reader.line_num, f"malformed CSV: {exc}"))
                    break  # the reader cannot resynchronise
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue  # blank line
                if len(row) != width:
                    problems.append((line, f"{len(row)} fields, the header has {width}"))
                    continue
                try:
                    added = _import_row(conn, row, index, date_format)
                except ContactLogError as exc:
                    problems.append((line, str(exc)))
                    continue
                result.companies.add(" ".join(row[index["company"]].split()))
                if added:
                    result.added += 1
                else:
                    result.skipped += 1
            if problems:
                raise CSVImportError(problems, source)
            if result.added == 0 and result.skipped == 0:
                raise CSVImportError([(0, "no rows to import (only a header)")], source)
    except UnicodeDecodeError as exc:
        line = reader.line_num + 1
        raise CSVImportError(
            problems + [(line, f"not UTF-8 text ({exc.reason})")], source
        ) from None
    return result


def _import_row(
    conn: sqlite3.Connection, row: list[str], index: dict[str, int], date_format: str | None
) -> bool:
    cell = {k: unguard(row[i].strip()) for k, i in index.items()}
    if any(len(v) > MAX_FIELD for v in cell.values()):
        raise ContactLogError(f"a field is longer than {MAX_FIELD} characters")
    if "\x00" in "".join(cell.values()):
        raise ContactLogError("binary data (NUL byte) in a field")
    when = parse_date(cell["date"], date_format=date_format)
    channel = cell["channel"].lower().replace("-", "_").replace(" ", "_")
    direction = cell["direction"].lower()
    kind = cell["kind"].lower().replace("-", "_").replace(" ", "_")
    db.validate_event(channel, direction, kind)
    if not cell["company"]:
        raise ContactLogError("company is empty")
    note = cell.get("note", "")
    announced = cell.get("announced_call") or None
    if announced and announced != "yes":
        try:
            announced = parse_date(announced, date_format=date_format).isoformat()[:10]
        except DateError as exc:
            raise ContactLogError(f"announced_call: {exc}") from None
    if db.event_exists(conn, cell["company"], when, channel, direction, kind, note):
        return False
    db.add_event(conn, cell["company"], when, channel, direction, kind, note, announced)
    return True


def export_rows(conn: sqlite3.Connection, company: str | None = None) -> list[dict[str, Any]]:
    """Events as dicts (``id`` plus the CSV columns), in date order."""
    return [e.to_dict() for e in db.list_events(conn, company)]


# A cell that starts with one of these is a formula to a spreadsheet (CSV injection): export
# puts an apostrophe in front, which spreadsheets hide, and import takes it off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def export_csv(conn: sqlite3.Connection, fileobj: IO[str], company: str | None = None) -> int:
    """Write the events as CSV (the import's columns); returns the number of rows."""
    writer = csv.writer(fileobj, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = export_rows(conn, company)
    for r in rows:
        writer.writerow([guard(r[c]) if r[c] is not None else "" for c in COLUMNS])
    return len(rows)


def export_json(
    conn: sqlite3.Connection, fileobj: IO[str] | None = None, company: str | None = None
) -> dict[str, Any]:
    """The log as one JSON document (employers and events); written to ``fileobj`` if given."""
    data = {
        "schema": "followup-checker/contacts/1",
        "exported": dt.date.today().isoformat(),
        "employers": [
            e.to_dict()
            for e in db.list_employers(conn)
            if company is None or db.get_employer(conn, company) == e
        ],
        "events": export_rows(conn, company),
    }
    if fileobj is not None:
        json.dump(data, fileobj, ensure_ascii=False, indent=2)
        fileobj.write("\n")
    return data

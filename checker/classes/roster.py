"""A class roster from CSV: a header row with a name column and an optional email column.

Name columns: ``name``, ``student``, ``student_name``, ``full_name`` (case and spacing
ignored); email: ``email``, ``e_mail``, ``mail``.  A file with one column and no recognised
header is read as a list of names.  UTF-8 (with or without BOM) or UTF-16 with BOM; the
delimiter is sniffed.  Blank rows and repeated names are skipped.  Problems raise
``ClassError`` naming the line.
"""

from __future__ import annotations

import csv
import io

from .db import MAX_NAME, clean_name, name_key
from .model import ClassError

NAME_COLUMNS = ("name", "student", "student_name", "full_name")
EMAIL_COLUMNS = ("email", "e_mail", "mail", "email_address")
MAX_ROSTER = 500


def _norm(col: str) -> str:
    return "_".join(col.strip().lower().replace("-", " ").split())


def read_roster(
    data: bytes, source: str = "roster", *, limit: int = MAX_ROSTER
) -> list[tuple[str, str | None]]:
    """``(name, email or None)`` per student, in file order."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ClassError(
                f"{source}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"
            ) from None
    if "\x00" in text:
        raise ClassError(f"{source}: binary data, not a CSV file")
    if not text.strip():
        raise ClassError(f"{source}: the roster is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:16384], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(rows)
    except csv.Error as exc:
        raise ClassError(f"{source}: line 1: malformed CSV ({exc})") from None
    cols = [_norm(h) for h in header]
    name_col = next((cols.index(c) for c in NAME_COLUMNS if c in cols), None)
    email_col = next((cols.index(c) for c in EMAIL_COLUMNS if c in cols), None)
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    if name_col is None:
        if len(header) == 1 and header[0].strip():
            name_col = 0  # a bare list of names, no header
            rows_iter = [header]
        else:
            found = ", ".join(h.strip() for h in header if h.strip())[:120] or "none"
            raise ClassError(f"{source}: needs a name column (found: {found})")
    else:
        rows_iter = []
    try:
        for row in [*rows_iter, *rows]:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            raw = row[name_col].strip() if name_col < len(row) else ""
            if not raw:
                raise ClassError(f"{source}: line {line}: no name")
            if len(" ".join(raw.split())) > MAX_NAME:
                raise ClassError(f"{source}: line {line}: name longer than {MAX_NAME} characters")
            try:
                name = clean_name(raw)
            except ClassError as exc:
                raise ClassError(f"{source}: line {line}: {exc.message}") from None
            if name_key(name) in seen:
                continue
            seen.add(name_key(name))
            email = row[email_col].strip() if email_col is not None and email_col < len(row) else ""
            out.append((name, email or None))
            if len(out) > limit:
                raise ClassError(f"{source}: more than {limit} students")
    except csv.Error as exc:
        raise ClassError(f"{source}: line {rows.line_num}: malformed CSV ({exc})") from None
    if not out:
        raise ClassError(f"{source}: no names in the roster")
    return out

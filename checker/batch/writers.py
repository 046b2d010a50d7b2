"""Writers: each takes results one at a time (``write``) and finishes with ``close()``.

* ``JsonlWriter``: one line per draft, the core report JSON with ``"id"`` first; an
  unreadable input is ``{"id", "error", "input"}``.
* ``CsvWriter``: the gradebook, one row per student (``COLUMNS``); an unreadable input is a
  row with ``status`` ``unreadable`` and the reason in ``error``.
* ``HtmlWriter`` (``htmlreport``): the class summary and one card per student.

JSONL and CSV write each row as it comes; the HTML writer keeps the cards in a temporary
file and writes the summary in front of them at the end, so memory stays flat for all three.
"""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from ..report import ELEMENT_KEYS, ELEMENTS
from ..rules import label_for
from .summary import Summary, facts

FORMATS = ("jsonl", "csv", "html", "handouts")

COLUMNS = (
    "id",
    "status",
    "error",
    "kind",
    "verdict",
    "send_verdict",
    "words",
    "sentences",
    "grade",
    "length_verdict",
    "politeness_score",
    "politeness_label",
    "desperation_level",
    "desperation_signals",
    "hostility_level",
    "hostility_signals",
    *ELEMENT_KEYS,
    "errors",
    "warnings",
    "suggestions",
    "findings",
    "rules",
    "problems",
    "input",
)
#: With ``--compare``: each student's change since the first round.
COMPARE_COLUMNS = ("previous_verdict", "fixed", "new_problems", "elements_added")

# Cells a spreadsheet would run as a formula (CSV injection); they get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class JsonlWriter:
    def __init__(self, out: TextIO, summary: Summary | None = None):
        self.out = out

    def write(self, result) -> None:
        self.out.write(json.dumps(result.data(), ensure_ascii=False))
        self.out.write("\n")

    def close(self) -> None:
        self.out.flush()


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will not execute (strings starting =, +, -, @ are quoted)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 3)
    return value


def gradebook_row(result) -> dict[str, Any]:
    """One CSV row (dict over ``COLUMNS``) for a result."""
    row: dict[str, Any] = {c: "" for c in COLUMNS}
    row["id"] = safe_cell(str(result.id))
    row["input"] = safe_cell(result.item.where)
    if not result.ok:
        row["status"] = "unreadable"
        row["error"] = safe_cell(result.error)
        return row
    data = result.data()
    row["status"] = "checked"
    for key, value in facts(data).items():
        if key in row:
            row[key] = _cell(value)
    seen: dict[str, None] = {}
    for f in data.get("findings") or []:
        seen.setdefault(f["rule"], None)
    row["rules"] = " ".join(seen)
    # the same, for people: each rule's plain label
    row["problems"] = safe_cell("; ".join(label_for(rule) for rule in seen))
    return row


class CsvWriter:
    def __init__(self, out: TextIO, summary: Summary | None = None, *, baseline=None):
        self.out = out
        self.baseline = baseline
        self.writer = csv.DictWriter(
            out, fieldnames=COLUMNS + (COMPARE_COLUMNS if baseline is not None else ())
        )
        self.writer.writeheader()

    def write(self, result) -> None:
        row = gradebook_row(result)
        if self.baseline is not None:
            from .compare import student_change

            row.update({c: "" for c in COMPARE_COLUMNS})
            _, ch = student_change(self.baseline, result)
            if ch is not None:
                labels = {e.key: e.short for e in ELEMENTS}
                row.update(
                    previous_verdict=ch.before or "",
                    fixed=len(ch.fixed) if not ch.new else "",
                    new_problems=len(ch.added) if not ch.new else "",
                    elements_added=safe_cell("; ".join(labels[k] for k in ch.elements_added)),
                )
        self.writer.writerow(row)

    def close(self) -> None:
        self.out.flush()


def writer_for(fmt: str, out: Any, summary: Summary, **options: Any):
    """The writer of ``fmt``; ``out`` is a text stream (a folder for ``handouts``).  Options:
    ``title``, ``inputs`` (html, handouts) and ``baseline`` (``--compare``: csv, html,
    handouts)."""
    if fmt == "jsonl":
        return JsonlWriter(out, summary)
    if fmt == "csv":
        return CsvWriter(out, summary, baseline=options.get("baseline"))
    if fmt == "html":
        from .htmlreport import HtmlWriter

        return HtmlWriter(out, summary, **options)
    if fmt == "handouts":
        from .handouts import HandoutWriter

        return HandoutWriter(out, summary, **options)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")

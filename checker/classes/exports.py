"""Exports of a class, written by the batch review's own writers.

* ``write_jsonl``: every version of every student, one line each: the batch JSONL line (the
  report JSON with ``"id"`` first, ``checker.batch.writers.JsonlWriter``) with ``version``
  and ``submitted_at`` after the id.
* ``write_csv``: the gradebook, one row per student with their latest version: the batch
  gradebook's columns (``checker.batch.writers.gradebook_row``, CSV-injection guard
  included: ``send_verdict``, ``hostility_level``, ``problems`` ...) and the class columns
  ``versions``, ``first_submitted``, ``last_submitted``, ``email``; a student on the roster
  who has not submitted has
  ``status`` ``not submitted``.
* ``write_html``: the batch HTML report (``HtmlWriter``) of the latest versions.
* ``write_handouts``: a zip with one standalone HTML page per student: their latest version
  (the batch report's card) and what changed since their first.
* ``summaries``: the batch ``Summary`` of the first versions and of the latest versions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from html import escape
from typing import Any, BinaryIO, TextIO

from ..batch.htmlreport import CSP, PAGE_CSS, HtmlWriter, render_card, stylesheet
from ..batch.readers import Item
from ..batch.runner import Result
from ..batch.summary import Summary
from ..batch.writers import COLUMNS, JsonlWriter, gradebook_row, safe_cell
from ..contacts.dates import human
from ..kinds import NOUN as KIND_NOUN
from ..report import VERDICTS
from . import db
from .compare import changes
from .model import ClassInfo, Submission

FORMATS = ("jsonl", "csv", "html")
# (``hostility_level`` is a gradebook column of its own now: the report's level, as here.)
CLASS_COLUMNS = ("versions", "first_submitted", "last_submitted", "email")
GRADEBOOK_COLUMNS = (*COLUMNS, *CLASS_COLUMNS)


def result_for(sub: Submission, *, extra: dict[str, Any] | None = None) -> Result:
    """A batch ``Result`` for one stored version (its id is the student's name)."""
    item = Item(sub.student, kind=sub.data.get("kind"), where=f"version {sub.version}")
    result = Result(item, report=sub.report())
    if extra:
        data = result.data()
        result._data = {"id": data["id"], **extra, **{k: v for k, v in data.items() if k != "id"}}
    return result


def summaries(conn, class_id: int) -> tuple[Summary, Summary, list[int]]:
    """Class aggregates of the first and of the latest versions; the student ids in the
    order they were added (``Summary.attention()`` entries carry that ``seq``, from 1)."""
    first, latest, order = Summary(), Summary(), []
    for a, b in db.first_and_latest(conn, class_id):
        first.add(result_for(a))
        latest.add(result_for(b))
        order.append(a.student_id)
    return first, latest, order


def write_jsonl(conn, info: ClassInfo, out: TextIO) -> int:
    writer = JsonlWriter(out)
    n = 0
    for sub in db.all_submissions(conn, info.id):
        writer.write(
            result_for(sub, extra={"version": sub.version, "submitted_at": sub.created_at})
        )
        n += 1
    writer.close()
    return n


def write_csv(conn, info: ClassInfo, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=GRADEBOOK_COLUMNS)
    writer.writeheader()
    latest = {b.student_id: (a, b) for a, b in db.first_and_latest(conn, info.id)}
    n = 0
    for row in db.roster(conn, info.id):
        if row["id"] in latest:
            first, last = latest[row["id"]]
            cells = gradebook_row(result_for(last))
        else:
            first = last = None
            cells = {c: "" for c in COLUMNS}
            cells.update(id=safe_cell(row["name"]), status="not submitted")
        cells.update(
            versions=row["versions"],
            first_submitted=first.created_at if first else "",
            last_submitted=last.created_at if last else "",
            email=safe_cell(row["email"] or ""),
        )
        writer.writerow(cells)
        n += 1
    out.flush()
    return n


def write_html(conn, info: ClassInfo, out: TextIO) -> int:
    summary = Summary()
    writer = HtmlWriter(
        out,
        summary,
        title=info.title,
        inputs=[f"latest versions, due {human(info.due, with_year=True)}"],
    )
    n = 0
    for _, last in db.first_and_latest(conn, info.id):
        result = result_for(last)
        summary.add(result)
        writer.write(result)
        n += 1
    writer.close()
    return n


def _verdict_word(f: dict[str, Any]) -> str:
    verdict = f.get("send_verdict") or f.get("verdict")
    return VERDICTS[verdict].short if verdict in VERDICTS else str(verdict or "")


def slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
    return s[:40] or "student"


def render_handout(info: ClassInfo, subs: list[Submission]) -> str:
    """One student's page: their latest version and what changed since the first."""
    first, last = subs[0], subs[-1]
    name = escape(last.student)
    parts = []
    if len(subs) > 1:
        ch = changes(first.data, last.data)
        rows = "".join(
            f"<tr><td>{s.version}</td><td>{escape(human(s.created_at))}</td>"
            f"<td>{escape(_verdict_word(s.facts))}</td>"
            + "".join(
                f'<td class="num">{s.facts[k]}</td>' for k in ("errors", "warnings", "suggestions")
            )
            + "</tr>"
            for s in subs
        )
        heads = "".join(
            f'<th scope="col"{cls}>{h}</th>'
            for h, cls in (
                ("Version", ""),
                ("Sent", ""),
                ("Verdict", ""),
                ("Errors", ' class="num"'),
                ("Warnings", ' class="num"'),
                ("Suggestions", ' class="num"'),
            )
        )
        parts.append(
            f"<h2>Your versions</h2><table><thead><tr>{heads}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
        parts.append(
            f"<h2>Since your first version</h2><p>{len(ch.fixed)} fixed, "
            f"{len(ch.added)} new, {ch.kept} still there.</p>"
        )
        if ch.fixed:
            parts.append(
                '<h3>Fixed</h3><ul class="fixes">'
                + "".join(
                    f'<li><span class="sev {escape(f["severity"])}">{escape(f["severity"])}</span> '
                    f'{escape(f["message"])}</li>'
                    for f in ch.fixed
                )
                + "</ul>"
            )
    parts.append("<h2>Your latest version</h2>")
    parts.append(render_card(result_for(last), 1, open=True))
    kind = escape(KIND_NOUN.get(info.kind, info.kind))
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        f"<title>{name}: {escape(info.title)}</title>\n"
        f"<style>{PAGE_CSS}{stylesheet()}</style>\n</head>\n<body>\n<div class=\"br\">\n"
        f"<header class=\"page\"><h1>{name}</h1><p class=\"meta\">{escape(info.title)} &middot; "
        f"{kind} &middot; {len(subs)} version{'s' if len(subs) != 1 else ''} &middot; "
        f"{human(dt.date.today(), with_year=True)}</p></header>\n"
        + "".join(parts)
        + "\n</div>\n</body>\n</html>\n"
    )


def write_handouts(conn, info: ClassInfo, out: BinaryIO) -> int:
    """A zip of ``<name>-<id>.html`` handouts, one per student who submitted."""
    n = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for student in db.list_students(conn, info.id):
            subs = db.versions(conn, info.id, student.id)
            if not subs:
                continue
            zf.writestr(f"{slug(student.name)}-{student.id}.html", render_handout(info, subs))
            n += 1
    return n


def export(conn, info: ClassInfo, fmt: str, out: TextIO) -> int:
    """``jsonl`` / ``csv`` / ``html`` to ``out``; returns the rows (versions, students) written."""
    if fmt == "jsonl":
        return write_jsonl(conn, info, out)
    if fmt == "csv":
        return write_csv(conn, info, out)
    if fmt == "html":
        return write_html(conn, info, out)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def handouts_bytes(conn, info: ClassInfo) -> bytes:
    buf = io.BytesIO()
    write_handouts(conn, info, buf)
    return buf.getvalue()

"""Per-student handouts: ``followup batch ... --format handouts --out DIR`` writes one
printable HTML page per student into DIR; the web page offers the same pages as a zip.

A handout is standalone (inline CSS, no scripts, the report's CSP): the student's verdict
in words, what changed since the first round (with ``--compare``), their card open (the
draft highlighted, what to fix, every rule by its plain label).  A student whose file could
not be read gets a page that says why and what to do.  File names come from the student
ids (``sam-okafor.html``; ``-2`` ... when two would clash).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from html import escape
from typing import Any

from ..contacts.dates import human
from ..report import VERDICTS
from .htmlreport import (
    STANDALONE_END,
    PageWriter,
    render_card,
    render_change,
    standalone_head,
)
from .summary import Summary, facts

_WHY = {
    "ready": "Nothing stops you sending it.",
    "revise": "Look at the warnings below before you send it.",
    "dont_send": "Fix the errors below first: as it is, it would hurt your chances.",
}


def file_name(ident: Any, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", str(ident)).strip("-").lower()[:60] or "student"
    name, n = f"{stem}.html", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.html"
    taken.add(name)
    return name


def render_handout(
    result, *, title: str = "Class review", change=None, today: dt.date | None = None
) -> str:
    """One student's page."""
    ident = escape(str(result.id))
    when = human(today or dt.date.today(), with_year=True)
    head = (
        standalone_head(f"{result.id}: {title}")
        + f'<header class="page"><h1>{ident}</h1><p class="meta">{escape(title)} &middot; '
        f"{escape(when)}</p></header>\n"
    )
    if not result.ok:
        body = (
            f'<h2>We could not read your draft</h2><p class="since">{escape(result.item.where)}: '
            f"{escape(result.error or '')}</p><p>Fix it as the reason says and hand it in "
            "again.</p>"
        )
        return head + body + STANDALONE_END
    verdict = facts(result.data())["send_verdict"] or "revise"
    body = (
        f'<h2 class="verdict-line">{escape(VERDICTS[verdict].title)}</h2>'
        f"<p>{escape(_WHY[verdict])}</p>"
        + render_change(change)
        + render_card(result, 1, open=True)
    )
    return head + body + STANDALONE_END


class HandoutWriter(PageWriter):
    """Writes a handout per result into ``out``: a folder path, or an open
    ``zipfile.ZipFile``."""

    def __init__(self, out: Any, summary: Summary | None = None, **options: Any):
        super().__init__(out, summary, **options)
        self.taken: set[str] = set()
        self.names: list[str] = []
        if isinstance(out, (str, os.PathLike)):
            os.makedirs(out, exist_ok=True)

    def write(self, result) -> None:
        _, change = self.student_change(result)
        name = file_name(result.id, self.taken)
        page = render_handout(result, title=self.title, change=change)
        if isinstance(self.out, zipfile.ZipFile):
            self.out.writestr(name, page)
        else:
            with open(os.path.join(self.out, name), "w", encoding="utf-8") as fh:
                fh.write(page)
        self.names.append(name)

    def close(self) -> None:
        pass


def handouts_zip(results, *, title: str = "Class review", baseline=None) -> bytes:
    """The handouts of ``results`` as the bytes of a zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        writer = HandoutWriter(zf, title=title, baseline=baseline)
        for result in results:
            writer.write(result)
    return buf.getvalue()

"""The HTML class report: one self-contained, printable file (inline CSS and SVG, no scripts).

Layout, for a class of 30 as for 300: the roster first (one row a student: the verdict,
errors, warnings, missing elements, desperation and hostility, politeness, words; with
``--compare``, each student's change since the first round), then, with ``--compare``, the
class before and after; the unreadable inputs with what to do about each; one folded card per
student (``<details>``: the draft highlighted by ``checker.highlight`` and what to fix); the
class summary last (missing elements, distributions, the students' phrases grouped by what
they are, the most common findings, the drafts needing most attention).  Every rule is named
by its plain label.  The roster is a plain table: the web page sorts and filters it
(``static/batch.js``); a saved file has no script.

``HtmlWriter`` streams the roster rows, the cards and the unreadable rows to temporary files
while folding the aggregates into ``Summary``; ``close()`` writes them in order, so memory does
not grow with the class size.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import tempfile
from collections.abc import Callable
from html import escape
from typing import Any, TextIO

from .. import highlight
from ..contacts.dates import human
from ..kinds import NOUN as KIND_NOUN
from ..report import (
    ELEMENTS,
    LENGTH_VERDICTS,
    LEVEL_RANK,
    SEVERITY_RANK,
    VERDICT_RANK,
    VERDICTS,
    clip,
    plural,
)
from ..rules import label_for
from .charts import before_after, column_chart, share_bars
from .summary import Summary, facts

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

LENGTH_LABEL = {key: label.short for key, label in LENGTH_VERDICTS.items()}

# Rules for the report itself, all under ``.br`` so the web page can embed the report next
# to its own styles; ``PAGE_CSS`` is only for the standalone file.
REPORT_CSS = """
.br { --ink: #1b1b1b; --muted: #555; --line: #d5d5d5; --ok: #1e7b34; --bad: #b00020;
  --warn: #8a5a00; color: var(--ink); }
.br * { box-sizing: border-box; }
.br h1 { margin: 0 0 .2rem; font-size: 1.6rem; }
.br h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
.br h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.br .meta { color: var(--muted); margin: 0; }
.br .tiles { display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; list-style: none; }
.br .tiles li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem;
  min-width: 8rem; }
.br .tiles b { display: block; font-size: 1.4rem; }
.br .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.br figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
.br figcaption { font-weight: 600; font-size: .95rem; margin-bottom: .2rem; }
.br figure .note { font-size: .85rem; color: var(--muted); margin: .2rem 0 0; }
.br svg.chart { max-width: 100%; height: auto; font-family: inherit; }
.br table { border-collapse: collapse; background: #fff; width: 100%; }
.br th, .br td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
.br th { background: #eef1f5; }
.br td.num, .br th.num { text-align: right; font-variant-numeric: tabular-nums; }
.br .card { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: .8rem 1rem 1rem; margin: 1rem 0; }
.br .card > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .6rem; }
.br .card h3 { margin: 0; font-size: 1.15rem; }
.br .card h4 { margin: .8rem 0 .2rem; font-size: 1rem; }
.br .badge { font-size: .8rem; font-weight: 700; text-transform: uppercase; border-radius: 4px;
  padding: .05rem .45rem; border: 1px solid currentColor; }
.br .badge.ready { color: var(--ok); } .br .badge.revise { color: var(--warn); }
.br .badge.dont_send, .br .badge.errors, .br .badge.unreadable { color: var(--bad); }
.br .pagenav { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; margin: .4rem 0; padding: 0; list-style: none; }
.br .table-scroll { max-width: 100%; overflow-x: auto; }
.br .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.br table.roster td, .br table.roster th { padding: .2rem .45rem; }
.br table.roster .badge { white-space: nowrap; }
.br .chart-box { max-width: 100%; overflow-x: auto; }
.br .chart-box svg.chart { max-width: none; }
.br table.roster th[scope=row] { white-space: nowrap; }
.br table.roster td.unreadable { color: var(--bad); }
.br .roster-tools { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: end; margin: .4rem 0; }
.br .roster-tools[hidden] { display: none; }
.br .roster-tools label { font-weight: 600; display: block; font-size: .9rem; }
.br th .sort { font: inherit; font-weight: 700; background: none; border: 0; padding: 0; color: inherit;
  cursor: pointer; text-align: inherit; }
.br th .sort::after { content: " \2195"; color: var(--muted); font-weight: normal; }
.br th[aria-sort=ascending] .sort::after { content: " \2191"; color: inherit; }
.br th[aria-sort=descending] .sort::after { content: " \2193"; color: inherit; }
.br .change.better { color: var(--ok); } .br .change.worse { color: var(--bad); }
.br details.card > summary { cursor: pointer; list-style-position: outside; margin-left: 1rem; }
.br details.card > summary h3 { display: inline; }
.br details.card > summary .badges { display: inline-flex; flex-wrap: wrap; gap: .3rem; margin-left: .5rem;
  vertical-align: baseline; }
.br .card-body { scroll-margin-top: 4rem; }
.br .phrase-groups td ul { margin: 0; padding-left: 1.1rem; }
.br .since { border-left: 4px solid #3b6ea8; padding: .2rem .8rem; margin: .6rem 0; background: #f4f7fb; }
.br .facts { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: 0; margin: .4rem 0;
  list-style: none; color: var(--muted); font-size: .92rem; }
.br .checklist { display: flex; flex-wrap: wrap; gap: .3rem 1rem; padding: 0; margin: .3rem 0 .6rem;
  list-style: none; }
.br .checklist .yes::before { content: "\\2713  "; color: var(--ok); font-weight: 700; }
.br .checklist .no::before { content: "\\2717  "; color: var(--bad); font-weight: 700; }
.br .checklist .unknown::before { content: "?  "; color: var(--muted); }
.br .draft { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: #fcfcfc; }
.br .fixes { margin: .4rem 0 0; padding-left: 1.3rem; }
.br .fixes li { margin: .25rem 0; }
.br .sev { font-weight: 700; font-size: .78rem; text-transform: uppercase; }
.br .sev.error { color: var(--bad); } .br .sev.warning { color: var(--warn); }
.br .sev.suggestion { color: #1f5f9f; }
.br .quote { font-style: italic; }
.br .sugg { display: block; color: #234; }
.br .rule { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted); }
.br .empty { color: var(--muted); font-style: italic; }
@media print {
  .br .tiles li, .br figure, .br .card, .br table { border-color: #999; }
  .br .charts { display: block; }
  .br figure { break-inside: avoid; margin-bottom: .5rem; display: inline-block; }
  .br #students { break-before: page; }
  .br .card { break-inside: avoid; margin: 0 0 .6rem; border-radius: 0; }
  .br details.card::details-content { content-visibility: visible; display: block; }
  .br details.card > summary { list-style: none; margin-left: 0; }
  .br .roster-tools, .br th .sort::after { display: none; }
  .br .hl-tip { display: none !important; }
  .br mark.hl, .br svg.chart rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .br a { color: inherit; text-decoration: none; }
}
"""

PAGE_CSS = """
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1b1b; background: #f5f6f8; }
body > .br { max-width: 1200px; margin: 0 auto; padding: 1.2rem 1rem 2rem; }
a { color: #1a4fd6; }
@media print { body { background: #fff; font-size: 10.5pt; } body > .br { max-width: none; padding: 0; } }
"""


def stylesheet() -> str:
    """The report's CSS (scoped under ``.br``) with the highlight styles, for a page that
    embeds the report (the web app serves it as a stylesheet)."""
    return REPORT_CSS + "\n" + highlight.STYLESHEET


def _n(count: int, word: str) -> str:
    return plural(count, word)


def _counts(errors: int, warnings: int, suggestions: int) -> str:
    return ", ".join((_n(errors, "error"), _n(warnings, "warning"), _n(suggestions, "suggestion")))


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def _counter_text(counter, labels: dict[str, str] | None = None) -> str:
    if not counter:
        return ""
    return ", ".join(
        f"{(labels or {}).get(k, k).replace('_', ' ')}: {v}" for k, v in counter.most_common()
    )


def _badge(verdict: str | None) -> str:
    key = verdict if verdict in VERDICTS else "unknown"
    word = VERDICTS[key].short if key in VERDICTS else "unknown"
    return f'<span class="badge {escape(key)}">{escape(word)}</span>'


def rule_html(rule: str) -> str:
    """A rule for people: its plain label, with the id in small print."""
    return f'{escape(label_for(rule))} <span class="rule">{escape(rule)}</span>'


#: The roster's columns: (key, heading, numeric).
ROSTER_COLUMNS = (
    ("student", "Student", False),
    ("verdict", "Verdict", True),
    ("errors", "Errors", True),
    ("warnings", "Warnings", True),
    ("missing", "Missing elements", True),
    ("desperation", "Desperation", True),
    ("hostility", "Hostility", True),
    ("politeness", "Politeness", True),
    ("words", "Words", True),
)


_NUMERIC_CELLS = ("errors", "warnings", "words", "politeness")


def roster_head(compare: bool = False) -> str:
    cols = list(ROSTER_COLUMNS) + ([("change", "Since round 1", True)] if compare else [])
    cells = []
    for key, heading, numeric in cols:
        attrs = f' data-key="{key}"' + (' data-numeric="1"' if numeric else "")
        attrs += ' class="num"' if key in _NUMERIC_CELLS else ""
        cells.append(f'<th scope="col"{attrs}>{escape(heading)}</th>')
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def _level(value: str | None) -> tuple[str, int]:
    if not value:
        return "n/a", -1
    return value, LEVEL_RANK.get(value, -1)


def roster_row(
    result, n: int, change=None, *, compare: bool = False, href: str | None = None
) -> str:
    """One student's row of the roster (``data-sort`` on each cell for the page's sorting;
    ``data-verdict`` for its filter); ``compare`` adds the change since round 1."""
    ident = escape(str(result.id))
    link = escape(href or f"#card-{n}-body")
    if not result.ok:
        span = len(ROSTER_COLUMNS) - 1 + (1 if compare else 0)
        return (
            f'<tr data-verdict="unreadable"><th scope="row"><a href="#unreadable">{ident}</a></th>'
            f'<td class="unreadable" colspan="{span}" data-sort="9">Could not be read: '
            f"{escape(result.error or '')}</td></tr>\n"
        )
    f = facts(result.data())
    verdict = f["send_verdict"] or "unknown"
    labels = {e.key: e.tag or e.short for e in ELEMENTS}
    missing = f["missing"]
    known = any(f[e.key] is not None for e in ELEMENTS)
    missing_text = (", ".join(labels[k] for k in missing) or "none") if known else "n/a"
    des, des_rank = _level(f["desperation_level"])
    hos, hos_rank = _level(f["hostility_level"])
    pol = f["politeness_score"]
    pol_text = f"{pol:.2f} ({f['politeness_label']})" if pol is not None else "n/a"
    words = f["words"]
    cells = [
        f'<th scope="row" data-sort="{ident}"><a href="{link}">{ident}</a></th>',
        f'<td data-sort="{VERDICT_RANK.get(verdict, 9)}">{_badge(verdict)}</td>',
        f'<td class="num" data-sort="{f["errors"]}">{f["errors"]}</td>',
        f'<td class="num" data-sort="{f["warnings"]}">{f["warnings"]}</td>',
        f'<td data-sort="{len(missing) if known else -1}">{escape(missing_text)}</td>',
        f'<td data-sort="{des_rank}">{escape(des)}</td>',
        f'<td data-sort="{hos_rank}">{escape(hos)}</td>',
        f'<td class="num" data-sort="{pol if pol is not None else -1}">{escape(pol_text)}</td>',
        f'<td class="num" data-sort="{words if words is not None else -1}">'
        f'{words if words is not None else "n/a"}</td>',
    ]
    if compare and change is not None:
        cls = {1: " better", -1: " worse"}.get(change.direction, "")
        arrow = {1: "&#9650; ", -1: "&#9660; "}.get(change.direction, "")
        before = (
            f"was {escape(VERDICTS[change.before].short)}; "
            if change.before in VERDICTS and change.before != change.after
            else ""
        )
        cells.append(
            f'<td class="change{cls}" data-sort="{change.direction}">{arrow}{before}'
            f"{escape(change.summary())}</td>"
        )
    return f'<tr data-verdict="{escape(verdict)}">' + "".join(cells) + "</tr>\n"


def roster_start(*, compare: bool = False, count: int = 0) -> str:
    """The roster up to its rows: a plain table (sortable and filterable on the web page);
    ``ROSTER_END`` closes it."""
    return (
        '<section id="roster" aria-labelledby="roster-h">'
        f'<h2 id="roster-h">Roster ({count:,})</h2>'
        '<p class="meta">One row a student; the name opens their card. Verdicts: '
        + "; ".join(
            f"<b>{escape(v.short)}</b> {escape(why)}"
            for v, why in (
                (VERDICTS["ready"], "nothing to fix before sending"),
                (VERDICTS["revise"], "warnings to look at"),
                (VERDICTS["dont_send"], "an error stands or the draft reads hostile"),
            )
        )
        + '.</p><div class="roster-tools" hidden></div>'
        '<div class="table-scroll"><table class="roster" id="roster-table">'
        '<caption class="sr-only">Roster: one row a student</caption>'
        + roster_head(compare)
        + "<tbody>\n"
    )


ROSTER_END = "</tbody></table></div></section>\n"


class PageWriter:
    """What the HTML writers (this report, the handouts) share: the options ``writer_for``
    passes them, and each student's change since the first round (``--compare``)."""

    def __init__(
        self,
        out: Any,
        summary: Summary | None = None,
        *,
        title: str = "Class review",
        inputs: list[str] | None = None,
        baseline=None,
    ):
        self.out = out
        self.summary = summary
        self.title = title
        self.inputs = inputs or []
        self.baseline = baseline

    def student_change(self, result):
        """``(before, change)``: the student's first-round report (``Baseline.get``) and the
        change since; ``(None, None)`` without a baseline or for an unreadable input."""
        from .compare import student_change

        return student_change(self.baseline, result)


class HtmlWriter(PageWriter):
    def __init__(self, out: TextIO, summary: Summary, **options: Any):
        super().__init__(out, summary, **options)
        self.class_change = None
        if self.baseline is not None:
            from .compare import ClassChange

            self.class_change = ClassChange()
        self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.cards = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.bad = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.n = 0

    # -- streaming ---------------------------------------------------------------------
    def write(self, result) -> None:
        self.n += 1
        before, change = self.student_change(result)
        if change is not None:
            self.class_change.add(change, before, result.data())
        self.rows.write(roster_row(result, self.n, change, compare=self.baseline is not None))
        if result.ok:
            self.cards.write(render_card(result, self.n, change=change))
        else:
            self.bad.write(
                f"<tr><td>{escape(str(result.id))}</td><td>{escape(result.item.where)}</td>"
                f"<td>{escape(result.error or '')}</td></tr>\n"
            )

    def _copy(self, part, out: TextIO) -> None:
        part.seek(0)
        shutil.copyfileobj(part, out)
        part.seek(0, 2)

    def body_to(self, out: TextIO) -> None:
        """Write the report body (roster, the class before and after, unreadable inputs, cards,
        summary) to ``out``; may be called more than once before ``close()``."""
        s = self.summary
        out.write(
            '<ul class="pagenav" aria-label="Sections"><li><a href="#roster">Roster</a></li>'
            + ('<li><a href="#since">Since round 1</a></li>' if self.class_change else "")
            + ('<li><a href="#unreadable">Unreadable inputs</a></li>' if s.unreadable else "")
            + '<li><a href="#students">Students</a></li>'
            '<li><a href="#summary">Class summary</a></li></ul>\n'
        )
        out.write(roster_start(compare=self.baseline is not None, count=s.total))
        self._copy(self.rows, out)
        out.write(ROSTER_END)
        if self.class_change is not None:
            out.write(render_class_change(self.class_change, self.baseline.source))
        if s.unreadable:
            out.write(
                '<section id="unreadable" aria-labelledby="unreadable-h">'
                f'<h2 id="unreadable-h">Unreadable inputs ({s.unreadable:,})</h2>'
                '<p>These were not checked. Each reason says what to do; then run the '
                'review again.</p><div class="table-scroll">'
                '<table><thead><tr><th scope="col">Student / id</th><th scope="col">Input</th>'
                '<th scope="col">Reason</th></tr></thead><tbody>\n'
            )
            self._copy(self.bad, out)
            out.write("</tbody></table></div></section>\n")
        out.write(
            '<section id="students" aria-labelledby="students-h">'
            f'<h2 id="students-h">Students ({s.checked:,})</h2>\n'
            '<p class="meta">Open a card for the draft, highlighted, and what to fix.</p>\n'
        )
        if not s.checked:
            out.write('<p class="empty">No draft could be checked.</p>')
        self._copy(self.cards, out)
        out.write("</section>\n")
        out.write(render_summary(s))

    def close(self) -> None:
        self.out.write(self.head())
        self.body_to(self.out)
        self.out.write("</div>\n</body>\n</html>\n")
        self.out.flush()
        for part in (self.rows, self.cards, self.bad):
            part.close()

    def head(self) -> str:
        s = self.summary
        when = human(_dt.datetime.now(), with_year=True)
        src = (
            (
                " from "
                + ", ".join(escape(i) for i in self.inputs[:5])
                + (" ..." if len(self.inputs) > 5 else "")
            )
            if self.inputs
            else ""
        )
        return (
            standalone_head(f"{self.title}: {plural(s.total, 'draft')}")
            + f"<header class=\"page\"><h1>{escape(self.title)}</h1>"
            f"<p class=\"meta\">{plural(s.total, 'draft')}{src} &middot; {escape(when)}</p></header>\n"
        )


def standalone_head(title: str) -> str:
    """The start of a standalone page (the report, a handout): its CSP, styles, and the
    opening ``<div class="br">``."""
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        "<meta name=\"generator\" content=\"followup-checker batch\">\n"
        f"<title>{escape(title)}</title>\n"
        f"<style>{PAGE_CSS}{stylesheet()}</style>\n</head>\n<body>\n<div class=\"br\">\n"
    )


STANDALONE_END = "</div>\n</body>\n</html>\n"


def render_class_change(cc, source: str) -> str:
    """The class before and after: verdicts and missing elements, as a chart and in words."""
    out = ['<section id="since" aria-labelledby="since-h"><h2 id="since-h">Since round 1</h2>']
    if not cc.students:
        out.append(
            f'<p class="empty">No student of this round is in {escape(source)}.</p></section>\n'
        )
        return "".join(out)
    out.append(
        f'<p>{plural(cc.students, "student")} in both rounds: <b>{cc.better:,}</b> better, '
        f'<b>{cc.worse:,}</b> worse, {cc.students - cc.better - cc.worse:,} the same; '
        f'{plural(cc.fixed, "problem")} fixed, {plural(cc.added, "new problem")}; errors '
        f'{cc.errors_before:,} &rarr; {cc.errors_after:,}.'
        + (f" {plural(cc.new, 'student')} new this round." if cc.new else "")
        + "</p>"
    )
    groups = [(VERDICTS[k].title, cc.before.get(k, 0), cc.after.get(k, 0)) for k in VERDICTS]
    groups += [
        (f"Missing: {e.short}", cc.missing_before.get(e.key, 0), cc.missing_after.get(e.key, 0))
        for e in ELEMENTS
    ]
    out.append(
        '<figure><figcaption>Students, round 1 and now</figcaption><div class="chart-box">'
        + before_after(groups, title="Students by verdict and missing element, round 1 and now")
        + "</div></figure></section>\n"
    )
    return "".join(out)


def render_summary(
    s: Summary,
    *,
    section_id: str = "summary",
    heading: str = "Class summary",
    link: Callable[[dict[str, Any]], str] | None = None,
) -> str:
    """The class summary section.  ``section_id`` and ``heading`` let a page show two (the
    class mode's first and latest versions); ``link`` gives the href of a "needs most
    attention" entry (default: its card in this report, ``#card-<seq>-body``)."""
    sid = escape(section_id)
    out = [
        f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{escape(heading)}</h2>',
        '<ul class="tiles">',
        f"<li><b>{s.total:,}</b>{'draft' if s.total == 1 else 'drafts'}</li>",
        f"<li><b>{s.checked:,}</b>checked</li>",
    ]
    out += [
        f"<li><b>{s.verdicts.get(k, 0):,}</b>{escape(v.short)}</li>" for k, v in VERDICTS.items()
    ]
    out += [
        f"<li><b>{s.with_errors:,}</b>with errors</li>",
        f"<li><b>{s.unreadable:,}</b>unreadable</li>",
        "</ul>",
    ]
    if not s.checked:
        out.append(
            '<p class="empty">No draft could be checked, so there is no class summary.</p></section>'
        )
        return "".join(out)

    out.append("<h3>Missing elements</h3>")
    rows = [
        (label[:1].upper() + label[1:], miss, known)  # row heads: "Thanks for their time"
        for _, label, miss, known in s.missing_share()
    ]
    if any(known for _, _, known in rows):
        out.append(
            '<figure><figcaption>Share of drafts missing each element</figcaption>'
            '<div class="chart-box">'
            + share_bars(rows, title="Share of drafts missing each element")
            + "</div></figure>"
        )
    else:
        out.append('<p class="empty">The elements check did not run.</p>')

    out.append('<h3>Distributions</h3><div class="charts">')
    # (histogram, caption, chart title, x axis, colour, note under the chart)
    distributions = (
        (
            s.politeness,
            "Politeness score",
            "Politeness score distribution",
            "politeness score (0 = impolite, 1 = polite)",
            "#b7791f",
            _counter_text(s.politeness_labels),
        ),
        (
            s.words,
            "Length (words)",
            "Length distribution (words in the body)",
            "words in the body",
            "#2f855a",
            _counter_text(s.length_verdicts, LENGTH_LABEL),
        ),
        (
            s.grade,
            "Reading grade",
            "Reading grade distribution (Flesch-Kincaid)",
            "Flesch-Kincaid grade",
            "#3b6ea8",
            "",
        ),
    )
    figs = [
        (
            caption,
            column_chart(hist.labels(), hist.counts, title=title, x_label=x_label, colour=colour),
            note,
        )
        for hist, caption, title, x_label, colour, note in distributions
        if hist.total
    ]
    for caption, svg, note in figs:
        out.append(
            f'<figure><figcaption>{escape(caption)}</figcaption><div class="chart-box">{svg}</div>'
            + (f'<p class="note">{escape(note)}</p>' if note else "")
            + "</figure>"
        )
    if not figs:
        out.append('<p class="empty">No scores yet.</p>')
    out.append("</div>")

    out.append("<h3>Phrases in the students&rsquo; own words</h3>")
    groups = s.phrase_groups()
    levels = "; ".join(
        part
        for part in (
            f"desperation: {_counter_text(s.desperation_levels)}" if s.desperation_levels else "",
            f"hostility: {_counter_text(s.hostility_levels)}" if s.hostility_levels else "",
        )
        if part
    )
    if levels:
        out.append(f'<p class="meta">Level per draft: {escape(levels)}</p>')
    if groups:
        out.append(
            '<div class="table-scroll"><table class="phrase-groups"><thead><tr>'
            '<th scope="col">What it is</th><th scope="col">Phrases (drafts)</th>'
            "</tr></thead><tbody>"
        )
        for section, rule, items in groups:
            phrases = "".join(f"<li>&ldquo;{escape(text)}&rdquo; ({n:,})</li>" for text, n in items)
            out.append(
                f'<tr><th scope="row">{escape(section.capitalize())}: '
                f"{escape(label_for(rule))}</th><td><ul>{phrases}</ul></td></tr>"
            )
        out.append("</tbody></table></div>")
    else:
        out.append(
            '<p class="empty">None found.</p>'
            if s.desperation_levels
            else '<p class="empty">The desperation check did not run.</p>'
        )

    if s.rules:
        out.append(
            '<h3>Most common findings</h3><div class="table-scroll"><table><thead><tr>'
            '<th scope="col">Finding</th><th scope="col" class="num">Drafts</th>'
            '<th scope="col" class="num">Share</th></tr></thead><tbody>'
        )
        for rule, n in s.rules.most_common(12):
            out.append(
                f'<tr><td>{rule_html(rule)}</td><td class="num">{n:,}</td>'
                f'<td class="num">{_pct(n, s.checked)}</td></tr>'
            )
        out.append("</tbody></table></div>")

    out.append("<h3>Drafts needing most attention</h3>")
    worst = s.attention()
    if worst:
        out.append('<ol class="attention">')
        for e in worst:
            bits = [_counts(e["errors"], e["warnings"], e["suggestions"])]
            if LEVEL_RANK.get(e["desperation_level"], 0) > LEVEL_RANK["none"]:
                bits.append(f"desperation {e['desperation_level']}")
            href = link(e) if link else f"#card-{e['seq']}-body"
            out.append(
                f'<li><a href="{escape(href)}">{escape(str(e["id"]))}</a>: '
                f'{escape(", ".join(bits))}</li>'
            )
        out.append("</ol>")
    else:
        out.append('<p class="empty">Every draft is ready to send.</p>')
    out.append("</section>\n")
    return "".join(out)


def _finding_sort(f: dict[str, Any]):
    return (-SEVERITY_RANK[f["severity"]], f["start"], f["rule"])


def render_change(change) -> str:
    """What changed since round 1, for a card or a handout."""
    if change is None:
        return ""
    if change.new:
        return '<div class="since"><p><b>Since round 1:</b> not in round 1.</p></div>'
    labels = {e.key: e.short for e in ELEMENTS}
    parts = [
        f'<div class="since"><p><b>Since round 1:</b> {escape(change.summary())}'
        + (
            f"; the verdict was <b>{escape(VERDICTS[change.before].short)}</b>, now "
            f"<b>{escape(VERDICTS[change.after].short)}</b>"
            if change.before in VERDICTS
            and change.after in VERDICTS
            and change.before != change.after
            else ""
        )
        + ".</p>"
    ]
    for title, items in (("Fixed", change.fixed), ("New", change.added)):
        if items:
            parts.append(
                f"<p>{title}:</p><ul class=\"fixes\">"
                + "".join(
                    f'<li><span class="sev {escape(x["severity"])}">{escape(x["severity"])}</span> '
                    f'<b>{escape(label_for(x["rule"]))}</b>: {escape(x["message"])}</li>'
                    for x in items
                )
                + "</ul>"
            )
    if change.elements_added:
        parts.append(
            "<p>Added: " + escape(", ".join(labels[k] for k in change.elements_added)) + ".</p>"
        )
    parts.append("</div>")
    return "".join(parts)


def render_card(result, n: int, *, open: bool = False, change=None) -> str:
    """One student's card: a ``<details>`` (folded unless ``open``) whose summary line is the
    name, the verdict and the counts; inside, the facts, the checklist, what changed since
    round 1, the draft highlighted and what to fix."""
    data = result.data()
    f = facts(data)
    text = result.text
    findings = data.get("findings") or []
    verdict = f["send_verdict"] or "unknown"
    badge = _badge(verdict)
    if f["errors"]:
        badge += f' <span class="badge errors">{_n(f["errors"], "error")}</span>'
    facts_li = [f"<li>{escape(KIND_NOUN.get(f['kind'], str(f['kind'] or '')))}</li>"]
    if f["words"] is not None:
        facts_li.append(
            f"<li>{_n(int(f['words']), 'word')} ({escape(LENGTH_LABEL[f['length_verdict']])})</li>"
        )
    if f["grade"] is not None:
        facts_li.append(f"<li>reading grade {f['grade']:.1f}</li>")
    if f["politeness_score"] is not None:
        facts_li.append(
            f"<li>politeness {f['politeness_score']:.2f} ({escape(str(f['politeness_label'] or ''))})</li>"
        )
    if f["desperation_level"]:
        facts_li.append(f"<li>desperation {escape(str(f['desperation_level']))}</li>")
    if f["hostility_level"]:
        facts_li.append(f"<li>hostility {escape(str(f['hostility_level']))}</li>")
    facts_li.append(f"<li>{_counts(f['errors'], f['warnings'], f['suggestions'])}</li>")
    checks = []
    for label in ELEMENTS:
        present = f[label.key]
        state = "unknown" if present is None else "yes" if present else "no"
        word = {"yes": "present", "no": "missing", "unknown": "not checked"}[state]
        checks.append(
            f'<li class="{state}">{escape(label.title)} <span class="rule">({word})</span></li>'
        )
    fixes = []
    for x in sorted(findings, key=_finding_sort):
        sev = escape(x["severity"])
        quote = " ".join(x["text"].split())
        quote_html = (
            f' <span class="quote">&ldquo;{escape(clip(quote, 90))}&rdquo;</span>'
            if quote and highlight.inline(x) and quote not in x["message"]
            else ""
        )
        sugg = x["suggestion"]
        fixes.append(
            f'<li><span class="sev {sev}">{sev}</span> <b>{escape(label_for(x["rule"]))}</b>: '
            f'{escape(x["message"])}'
            f"{quote_html}"
            + (f'<span class="sugg">&rarr; {escape(sugg)}</span>' if sugg else "")
            + f' <span class="rule">{escape(x["rule"])}</span></li>'
        )
    where = escape(result.item.where)
    return (
        f'<details class="card" id="card-{n}" aria-labelledby="card-{n}-h"{" open" if open else ""}>'
        f'<summary><h3 id="card-{n}-h">{escape(str(result.id))}</h3>'
        f'<span class="badges">{badge} <span class="meta">'
        f'{_counts(f["errors"], f["warnings"], f["suggestions"])}</span></span></summary>'
        f'<div class="card-body" id="card-{n}-body">'
        f'<p class="rule">{where}</p>'
        f'<ul class="facts">{"".join(facts_li)}</ul>'
        f'<ul class="checklist" aria-label="Elements">{"".join(checks)}</ul>'
        + render_change(change)
        + f'<div class="draft">{highlight.render_text_block(text, findings, id_prefix=f"c{n}", label=f"Draft of {result.id}")}</div>'
        + (
            f'<h4>What to fix</h4><ol class="fixes">{"".join(fixes)}</ol>'
            if fixes
            else '<p class="empty">Nothing to fix.</p>'
        )
        + "</div></details>\n"
    )

"""The HTML class report: one self-contained, printable file (inline CSS and SVG, no scripts).

Layout: the class summary first (share of drafts missing each element; politeness, length
and reading-grade distributions; the most common desperation phrases and findings; the drafts
needing most attention), then the unreadable inputs, then one card per student with the
draft highlighted (``checker.highlight``) and what to fix.

``HtmlWriter`` streams the cards and the unreadable rows to temporary files while folding the
aggregates into ``Summary``; ``close()`` writes the summary and copies the streamed parts after
it, so memory does not grow with the class size.
"""
from __future__ import annotations

import datetime as _dt
import shutil
import tempfile
from html import escape
from typing import Any, TextIO

from .. import highlight
from ..report import SEVERITY_RANK
from .charts import column_chart, share_bars
from .summary import ELEMENTS, Summary, facts

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

KIND_LABEL = {"thank_you": "thank-you note", "follow_up": "follow-up"}
LENGTH_LABEL = {"too_short": "too short", "ok": "length ok", "too_long": "too long"}

CSS = """
:root { --ink: #1b1b1b; --muted: #555; --line: #d5d5d5; --ok: #1e7b34; --bad: #b00020;
  --warn: #8a5a00; --bg-card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f5f6f8; }
header.page, main { max-width: 1000px; margin: 0 auto; padding: 0 1rem; }
header.page { padding-top: 1.2rem; }
h1 { margin: 0 0 .2rem; font-size: 1.6rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: var(--muted); margin: 0; }
.tiles { display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; list-style: none; }
.tiles li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem;
  min-width: 8rem; }
.tiles b { display: block; font-size: 1.4rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
figcaption { font-weight: 600; font-size: .95rem; margin-bottom: .2rem; }
figure .note { font-size: .85rem; color: var(--muted); margin: .2rem 0 0; }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.card { background: var(--bg-card); border: 1px solid var(--line); border-radius: 8px;
  padding: .8rem 1rem 1rem; margin: 1rem 0; }
.card > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .6rem; }
.card h3 { margin: 0; font-size: 1.15rem; }
.badge { font-size: .8rem; font-weight: 700; text-transform: uppercase; border-radius: 4px;
  padding: .05rem .45rem; border: 1px solid currentColor; }
.badge.ready { color: var(--ok); } .badge.revise { color: var(--warn); } .badge.errors { color: var(--bad); }
.facts { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: 0; margin: .4rem 0; list-style: none;
  color: var(--muted); font-size: .92rem; }
.checklist { display: flex; flex-wrap: wrap; gap: .3rem 1rem; padding: 0; margin: .3rem 0 .6rem; list-style: none; }
.checklist .yes::before { content: "\\2713  "; color: var(--ok); font-weight: 700; }
.checklist .no::before { content: "\\2717  "; color: var(--bad); font-weight: 700; }
.checklist .unknown::before { content: "?  "; color: var(--muted); }
.draft { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: #fcfcfc; }
.fixes { margin: .4rem 0 0; padding-left: 1.3rem; }
.fixes li { margin: .25rem 0; }
.sev { font-weight: 700; font-size: .78rem; text-transform: uppercase; }
.sev.error { color: var(--bad); } .sev.warning { color: var(--warn); } .sev.suggestion { color: #1f5f9f; }
.quote { font-style: italic; }
.sugg { display: block; color: #234; }
.rule { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
a { color: #1a4fd6; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  header.page, main { max-width: none; padding: 0; }
  .tiles li, figure, .card, table { border-color: #999; }
  .charts { display: block; }
  figure { break-inside: avoid; margin-bottom: .5rem; display: inline-block; }
  #students { break-before: page; }
  .card { break-inside: avoid; margin: 0 0 .6rem; border-radius: 0; }
  .hl-tip { display: none !important; }
  mark.hl { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.chart rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def _counter_text(counter, labels: dict[str, str] | None = None) -> str:
    if not counter:
        return ""
    return ", ".join(f"{(labels or {}).get(k, k).replace('_', ' ')}: {v}"
                     for k, v in counter.most_common())


class HtmlWriter:
    def __init__(self, out: TextIO, summary: Summary, *, title: str = "Class review",
                 inputs: list[str] | None = None):
        self.out = out
        self.summary = summary
        self.title = title
        self.inputs = inputs or []
        self.cards = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.bad = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.n = 0

    # -- streaming ---------------------------------------------------------------------
    def write(self, result) -> None:
        self.n += 1
        if result.ok:
            self.cards.write(render_card(result, self.n))
        else:
            self.bad.write(f"<tr><td>{escape(str(result.id))}</td><td>{escape(result.item.where)}</td>"
                           f"<td>{escape(result.error or '')}</td></tr>\n")

    def close(self) -> None:
        out = self.out
        s = self.summary
        out.write(self.head())
        out.write(render_summary(s))
        if s.unreadable:
            out.write('<section id="unreadable" aria-labelledby="unreadable-h">'
                      f'<h2 id="unreadable-h">Unreadable inputs ({s.unreadable:,})</h2>'
                      '<p>These were not checked. Fix them and run the review again.</p>'
                      '<table><thead><tr><th scope="col">Student / id</th><th scope="col">Input</th>'
                      '<th scope="col">Reason</th></tr></thead><tbody>\n')
            self.bad.seek(0)
            shutil.copyfileobj(self.bad, out)
            out.write("</tbody></table></section>\n")
        out.write('<section id="students" aria-labelledby="students-h">'
                  f'<h2 id="students-h">Students ({s.checked:,})</h2>\n')
        if not s.checked:
            out.write('<p class="empty">No draft could be checked.</p>')
        self.cards.seek(0)
        shutil.copyfileobj(self.cards, out)
        out.write("</section>\n</main>\n</body>\n</html>\n")
        out.flush()
        self.cards.close()
        self.bad.close()

    def head(self) -> str:
        s = self.summary
        when = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        src = (" from " + ", ".join(escape(i) for i in self.inputs[:5])
               + (" ..." if len(self.inputs) > 5 else "")) if self.inputs else ""
        return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
                "<meta name=\"generator\" content=\"followup-checker batch\">\n"
                f"<title>{escape(self.title)}: {s.total:,} drafts</title>\n"
                f"<style>{CSS}\n{highlight.STYLESHEET}</style>\n</head>\n<body>\n"
                f"<header class=\"page\"><h1>{escape(self.title)}</h1>"
                f"<p class=\"meta\">{s.total:,} drafts{src} &middot; {when}</p></header>\n<main>\n")


def render_summary(s: Summary) -> str:
    out = ['<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Class summary</h2>',
           '<ul class="tiles">',
           f"<li><b>{s.total:,}</b>drafts</li>",
           f"<li><b>{s.checked:,}</b>checked</li>",
           f"<li><b>{s.verdicts.get('ready', 0):,}</b>ready to send</li>",
           f"<li><b>{s.verdicts.get('revise', 0):,}</b>to revise</li>",
           f"<li><b>{s.with_errors:,}</b>with errors</li>",
           f"<li><b>{s.unreadable:,}</b>unreadable</li>", "</ul>"]
    if not s.checked:
        out.append('<p class="empty">No draft could be checked, so there is no class summary.</p></section>')
        return "".join(out)

    out.append("<h3>Missing elements</h3>")
    rows = [(label, miss, known) for _, label, miss, known in s.missing_share()]
    if any(known for _, _, known in rows):
        out.append('<figure><figcaption>Share of drafts missing each element</figcaption>'
                   + share_bars(rows, title="Share of drafts missing each element") + "</figure>")
    else:
        out.append('<p class="empty">The elements check did not run.</p>')

    out.append('<h3>Distributions</h3><div class="charts">')
    figs = []
    if s.politeness.total:
        figs.append(("Politeness score", column_chart(
            s.politeness.labels(), s.politeness.counts, title="Politeness score distribution",
            x_label="politeness score (0 = impolite, 1 = polite)", colour="#b7791f"),
            _counter_text(s.politeness_labels)))
    if s.words.total:
        figs.append(("Length (words)", column_chart(
            s.words.labels(), s.words.counts, title="Length distribution (words in the body)",
            x_label="words in the body", colour="#2f855a"),
            _counter_text(s.length_verdicts, LENGTH_LABEL)))
    if s.grade.total:
        figs.append(("Reading grade", column_chart(
            s.grade.labels(), s.grade.counts, title="Reading grade distribution (Flesch-Kincaid)",
            x_label="Flesch-Kincaid grade", colour="#3b6ea8"), ""))
    for caption, svg, note in figs:
        out.append(f"<figure><figcaption>{escape(caption)}</figcaption>{svg}"
                   + (f'<p class="note">{escape(note)}</p>' if note else "") + "</figure>")
    if not figs:
        out.append('<p class="empty">No scores yet.</p>')
    out.append("</div>")

    out.append("<h3>Most common desperation phrases</h3>")
    phrases = s.top_phrases()
    if phrases:
        levels = _counter_text(s.desperation_levels)
        if levels:
            out.append(f'<p class="meta">Desperation level per draft: {escape(levels)}</p>')
        out.append('<table><thead><tr><th scope="col">Phrase</th><th scope="col" class="num">Times</th>'
                   "</tr></thead><tbody>")
        for phrase, n in phrases:
            out.append(f'<tr><td>&ldquo;{escape(phrase)}&rdquo;</td><td class="num">{n:,}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append('<p class="empty">None found.</p>' if s.desperation_levels else
                   '<p class="empty">The desperation check did not run.</p>')

    if s.rules:
        out.append('<h3>Most common findings</h3><table><thead><tr><th scope="col">Rule</th>'
                   '<th scope="col" class="num">Drafts</th><th scope="col" class="num">Share</th>'
                   "</tr></thead><tbody>")
        for rule, n in s.rules.most_common(12):
            out.append(f'<tr><td class="rule">{escape(rule)}</td><td class="num">{n:,}</td>'
                       f'<td class="num">{_pct(n, s.checked)}</td></tr>')
        out.append("</tbody></table>")

    out.append("<h3>Drafts needing most attention</h3>")
    worst = s.attention()
    if worst:
        out.append('<ol class="attention">')
        for e in worst:
            bits = [f"{e['errors']} errors", f"{e['warnings']} warnings", f"{e['suggestions']} suggestions"]
            if e.get("desperation_level") in ("some", "high"):
                bits.append(f"desperation {e['desperation_level']}")
            out.append(f'<li><a href="#card-{e["seq"]}">{escape(str(e["id"]))}</a>: '
                       f'{escape(", ".join(bits))}</li>')
        out.append("</ol>")
    else:
        out.append('<p class="empty">Every draft is ready to send.</p>')
    out.append("</section>\n")
    return "".join(out)


def _finding_sort(f: dict[str, Any]):
    return (-SEVERITY_RANK.get(f.get("severity"), -1), f.get("start", 0), f.get("rule", ""))


def render_card(result, n: int) -> str:
    data = result.data()
    f = facts(data)
    text = result.report.text if result.report is not None else ""
    findings = [x for x in data.get("findings") or [] if isinstance(x, dict)]
    verdict = f["verdict"] or "unknown"
    badge = f'<span class="badge {escape(verdict)}">{escape(verdict)}</span>'
    if f["errors"]:
        badge += f' <span class="badge errors">{f["errors"]} error{"s" if f["errors"] != 1 else ""}</span>'
    facts_li = [f"<li>{escape(KIND_LABEL.get(f['kind'], str(f['kind'] or '')))}</li>"]
    if f["words"] is not None:
        facts_li.append(f"<li>{f['words']:.0f} words ({escape(LENGTH_LABEL.get(f['length_verdict'], str(f['length_verdict'] or '')))})</li>")
    if f["grade"] is not None:
        facts_li.append(f"<li>reading grade {f['grade']:.1f}</li>")
    if f["politeness_score"] is not None:
        facts_li.append(f"<li>politeness {f['politeness_score']:.2f} ({escape(str(f['politeness_label'] or ''))})</li>")
    if f["desperation_level"]:
        facts_li.append(f"<li>desperation {escape(str(f['desperation_level']))}</li>")
    facts_li.append(f"<li>{f['errors']} errors, {f['warnings']} warnings, {f['suggestions']} suggestions</li>")
    checks = []
    for key, label in ELEMENTS:
        state = "unknown" if f[key] is None else "yes" if f[key] else "no"
        word = {"yes": "present", "no": "missing", "unknown": "not checked"}[state]
        checks.append(f'<li class="{state}">{escape(label)} <span class="rule">({word})</span></li>')
    fixes = []
    for x in sorted(findings, key=_finding_sort):
        sev = escape(str(x.get("severity", "")))
        quote = str(x.get("text") or "")
        quote = " ".join(quote.split())
        quote_html = (f' <span class="quote">&ldquo;{escape(quote if len(quote) <= 90 else quote[:87] + "...")}&rdquo;</span>'
                      if quote else "")
        sugg = x.get("suggestion")
        fixes.append(f'<li><span class="sev {sev}">{sev}</span> {escape(str(x.get("message", "")))}'
                     f"{quote_html}" + (f'<span class="sugg">&rarr; {escape(str(sugg))}</span>' if sugg else "")
                     + f' <span class="rule">{escape(str(x.get("rule", "")))}</span></li>')
    where = escape(result.item.where)
    return (f'<article class="card" id="card-{n}" aria-labelledby="card-{n}-h">'
            f'<header><h3 id="card-{n}-h">{escape(str(result.id))}</h3>{badge}'
            f'<span class="rule">{where}</span></header>'
            f'<ul class="facts">{"".join(facts_li)}</ul>'
            f'<ul class="checklist" aria-label="Elements">{"".join(checks)}</ul>'
            f'<div class="draft">{highlight.render_text_block(text, findings, id_prefix=f"c{n}", label=f"Draft of {result.id}")}</div>'
            + (f'<h4>What to fix</h4><ol class="fixes">{"".join(fixes)}</ol>' if fixes
               else '<p class="empty">Nothing to fix.</p>')
            + "</article>\n")

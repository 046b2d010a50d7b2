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
from typing import Any, Callable, TextIO

from .. import highlight
from ..kinds import NOUN as KIND_NOUN
from ..report import ELEMENTS, LENGTH_VERDICTS, LEVEL_RANK, SEVERITY_RANK, VERDICTS, clip
from .charts import column_chart, share_bars
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
.br .badge.errors { color: var(--bad); }
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
  .br .hl-tip { display: none !important; }
  .br mark.hl, .br svg.chart rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .br a { color: inherit; text-decoration: none; }
}
"""

PAGE_CSS = """
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1b1b; background: #f5f6f8; }
body > .br { max-width: 1000px; margin: 0 auto; padding: 1.2rem 1rem 2rem; }
a { color: #1a4fd6; }
@media print { body { background: #fff; font-size: 10.5pt; } body > .br { max-width: none; padding: 0; } }
"""


def stylesheet() -> str:
    """The report's CSS (scoped under ``.br``) with the highlight styles, for a page that
    embeds the report (the web app serves it as a stylesheet)."""
    return REPORT_CSS + "\n" + highlight.STYLESHEET


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _counts(errors: int, warnings: int, suggestions: int) -> str:
    return ", ".join((_n(errors, "error"), _n(warnings, "warning"), _n(suggestions, "suggestion")))


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

    def body_to(self, out: TextIO) -> None:
        """Write the report body (summary, unreadable inputs, cards) to ``out``; may be called
        more than once before ``close()``."""
        s = self.summary
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
        out.write("</section>\n")
        self.cards.seek(0, 2)
        self.bad.seek(0, 2)

    def close(self) -> None:
        self.out.write(self.head())
        self.body_to(self.out)
        self.out.write("</div>\n</body>\n</html>\n")
        self.out.flush()
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
                f"<style>{PAGE_CSS}{stylesheet()}</style>\n</head>\n<body>\n<div class=\"br\">\n"
                f"<header class=\"page\"><h1>{escape(self.title)}</h1>"
                f"<p class=\"meta\">{s.total:,} drafts{src} &middot; {when}</p></header>\n")


def render_summary(s: Summary, *, section_id: str = "summary", heading: str = "Class summary",
                   link: Callable[[dict[str, Any]], str] | None = None) -> str:
    """The class summary section.  ``section_id`` and ``heading`` let a page show two (the
    class mode's first and latest versions); ``link`` gives the href of a "needs most
    attention" entry (default: its card in this report, ``#card-<seq>``)."""
    sid = escape(section_id)
    out = [f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{escape(heading)}</h2>',
           '<ul class="tiles">',
           f"<li><b>{s.total:,}</b>drafts</li>",
           f"<li><b>{s.checked:,}</b>checked</li>",
           f"<li><b>{s.verdicts.get('ready', 0):,}</b>{VERDICTS['ready'].short}</li>",
           f"<li><b>{s.verdicts.get('revise', 0):,}</b>{VERDICTS['revise'].short}</li>",
           f"<li><b>{s.with_errors:,}</b>with errors</li>",
           f"<li><b>{s.unreadable:,}</b>unreadable</li>", "</ul>"]
    if not s.checked:
        out.append('<p class="empty">No draft could be checked, so there is no class summary.</p></section>')
        return "".join(out)

    out.append("<h3>Missing elements</h3>")
    rows = [(label[:1].upper() + label[1:], miss, known)   # row heads: "Thanks for their time"
            for _, label, miss, known in s.missing_share()]
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
            bits = [_counts(e["errors"], e["warnings"], e["suggestions"])]
            if LEVEL_RANK.get(e["desperation_level"], 0) > LEVEL_RANK["none"]:
                bits.append(f"desperation {e['desperation_level']}")
            href = link(e) if link else f"#card-{e['seq']}"
            out.append(f'<li><a href="{escape(href)}">{escape(str(e["id"]))}</a>: '
                       f'{escape(", ".join(bits))}</li>')
        out.append("</ol>")
    else:
        out.append('<p class="empty">Every draft is ready to send.</p>')
    out.append("</section>\n")
    return "".join(out)


def _finding_sort(f: dict[str, Any]):
    return (-SEVERITY_RANK[f["severity"]], f["start"], f["rule"])


def render_card(result, n: int) -> str:
    data = result.data()
    f = facts(data)
    text = result.text
    findings = data.get("findings") or []
    verdict = f["verdict"] or "unknown"
    badge = f'<span class="badge {escape(verdict)}">{escape(verdict)}</span>'
    if f["errors"]:
        badge += f' <span class="badge errors">{_n(f["errors"], "error")}</span>'
    facts_li = [f"<li>{escape(KIND_NOUN.get(f['kind'], str(f['kind'] or '')))}</li>"]
    if f["words"] is not None:
        facts_li.append(f"<li>{f['words']:.0f} words ({escape(LENGTH_LABEL[f['length_verdict']])})</li>")
    if f["grade"] is not None:
        facts_li.append(f"<li>reading grade {f['grade']:.1f}</li>")
    if f["politeness_score"] is not None:
        facts_li.append(f"<li>politeness {f['politeness_score']:.2f} ({escape(str(f['politeness_label'] or ''))})</li>")
    if f["desperation_level"]:
        facts_li.append(f"<li>desperation {escape(str(f['desperation_level']))}</li>")
    facts_li.append(f"<li>{_counts(f['errors'], f['warnings'], f['suggestions'])}</li>")
    checks = []
    for label in ELEMENTS:
        present = f[label.key]
        state = "unknown" if present is None else "yes" if present else "no"
        word = {"yes": "present", "no": "missing", "unknown": "not checked"}[state]
        checks.append(f'<li class="{state}">{escape(label.title)} <span class="rule">({word})</span></li>')
    fixes = []
    for x in sorted(findings, key=_finding_sort):
        sev = escape(x["severity"])
        quote = " ".join(x["text"].split())
        quote_html = (f' <span class="quote">&ldquo;{escape(clip(quote, 90))}&rdquo;</span>'
                      if quote else "")
        sugg = x["suggestion"]
        fixes.append(f'<li><span class="sev {sev}">{sev}</span> {escape(x["message"])}'
                     f"{quote_html}" + (f'<span class="sugg">&rarr; {escape(sugg)}</span>' if sugg else "")
                     + f' <span class="rule">{escape(x["rule"])}</span></li>')
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

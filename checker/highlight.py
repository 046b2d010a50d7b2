"""Render a draft with its findings highlighted inline, as escaped HTML (no Flask needed).

``render(text, findings)`` returns an HTML fragment: every character of ``text`` escaped, and
one ``<mark>`` per highlighted *segment*.  Overlapping findings are split at their boundaries,
so a segment covered by two findings is one ``<mark>`` that describes both.  Each mark:

* has a colour class per category (``hl-c-<category>``) and a severity class
  (``hl-s-<severity>``, the most severe finding covering it);
* is focusable (``tabindex="0"``) and points with ``aria-describedby`` at a tooltip element
  right after it that holds the message and suggestion of every finding covering the segment;
  CSS (``STYLESHEET``) shows that tooltip on hover and on keyboard focus, without JavaScript.

Findings are dicts with ``start``, ``end``, ``rule``, ``category``, ``severity``, ``message``,
``suggestion`` (the ``findings`` of ``Report.to_dict()``) or ``checker.report.Finding``
objects.  Zero-width findings (a missing element, for instance) cannot be highlighted; they
are left out of the inline view (``unanchored()`` lists them for a separate list), and so are
measures of the whole body (a ``metric`` rule whose scope is the body: "too short", "reads as
impolite"), which would paint every word and drown the real highlights (``inline()``).

``render_layer(text, findings)`` gives the same marks without tooltips, ids or focus: the
highlight layer the check page keeps behind its textarea (the editor).

The container the fragment goes in should keep line breaks: ``white-space: pre-wrap``
(``.hl-text`` in ``STYLESHEET``).  Function names here are a stable interface: the web app
and the batch HTML report both import them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from .report import SEVERITY_RANK
from .rules import catalogue, label_for

__all__ = [
    "Segment",
    "segments",
    "render",
    "render_layer",
    "render_text_block",
    "describe",
    "css_class",
    "normalise",
    "unanchored",
    "inline",
    "first_marks",
    "STYLESHEET",
    "CATEGORY_COLOURS",
]

_FIELDS = ("start", "end", "rule", "category", "severity", "message", "suggestion")

# Background colours per category (the classes are hl-c-<category>); unknown categories get
# the default colour.  Colour is never the only cue: the tooltip names the category's rule.
CATEGORY_COLOURS: dict[str, str] = {
    "elements": "#cfe3ff",
    "desperation": "#ffd0d0",
    "politeness": "#ffe6b3",
    "hygiene": "#e6d6ff",
    "length": "#d6f2df",
    "frequency": "#ffd9f0",
    "proofread": "#c8f0f0",
    "input": "#e0e0e0",
}
_DEFAULT_COLOUR = "#fff3a0"


@dataclass(frozen=True)
class Segment:
    """A stretch ``text[start:end]`` and the findings (indices into the list) covering it."""

    start: int
    end: int
    findings: tuple[int, ...]


def _get(f: Any, key: str) -> Any:
    if isinstance(f, Mapping):
        return f.get(key)
    return getattr(f, key, None)


def normalise(findings: Iterable[Any], text_length: int | None = None) -> list[dict[str, Any]]:
    """Findings as plain dicts with every field present, spans clamped to the text."""
    out = []
    for f in findings:
        d = {k: _get(f, k) for k in _FIELDS}
        try:
            start, end = int(d["start"] or 0), int(d["end"] or 0)
        except (TypeError, ValueError):
            start = end = 0
        if text_length is not None:
            start = max(0, min(start, text_length))
            end = max(start, min(end, text_length))
        d["start"], d["end"] = start, max(start, end)
        for k in ("rule", "category", "severity", "message", "suggestion"):
            d[k] = "" if d[k] is None else str(d[k])
        if not d["category"] and d["rule"]:
            d["category"] = d["rule"].split(".", 1)[0]
        out.append(d)
    return out


def unanchored(findings: Iterable[Any]) -> list[dict[str, Any]]:
    """The findings with no characters to highlight (start == end)."""
    return [f for f in normalise(findings) if f["end"] <= f["start"]]


def inline(finding: Any) -> bool:
    """Whether a finding is highlighted in the text: it has characters, and it is not a
    measure of the whole body (a ``metric`` rule scoped to the body, such as "too short")."""
    f = finding if isinstance(finding, Mapping) and "rule" in finding else normalise([finding])[0]
    if int(f.get("end") or 0) <= int(f.get("start") or 0):
        return False
    meta = catalogue().get(str(f.get("rule") or ""))
    return not (meta is not None and meta.engine == "metric" and meta.scope == "body")


def segments(text: str, findings: Sequence[Any]) -> list[Segment]:
    """Split ``text`` at every finding boundary; return the covered pieces, in order.

    Uncovered stretches are not returned, nor are findings that are not ``inline``.
    ``Segment.findings`` are indices into ``findings`` (sorted), so callers can look the
    findings up.
    """
    fs = normalise(findings, len(text))
    shown = [inline(f) for f in fs]
    cuts = sorted(
        {
            0,
            len(text),
            *(f["start"] for f, s in zip(fs, shown) if s),
            *(f["end"] for f, s in zip(fs, shown) if s),
        }
    )
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        cover = tuple(i for i, f in enumerate(fs) if shown[i] and f["start"] <= a and f["end"] >= b)
        if cover:
            out.append(Segment(a, b, cover))
    return out


def css_class(category: str) -> str:
    """The colour class for a category: ``hl-c-<category>`` with a safe class name."""
    return "hl-c-" + (re.sub(r"[^a-z0-9_-]+", "-", (category or "other").lower()) or "other")


def _sev_class(sev: str) -> str:
    return re.sub(r"[^a-z]", "", sev.lower()) or "none"


def _sev_rank(sev: str) -> int:
    return SEVERITY_RANK.get(sev, -1)


def describe(finding: Any) -> str:
    """Plain-text description of one finding: severity, label, message, suggestion, rule id."""
    f = normalise([finding])[0]
    head = f"{f['severity']}: {label_for(f['rule'])}" if f["rule"] else f["severity"]
    parts = [f"{head}: {f['message']}".strip(": ")]
    if f["suggestion"]:
        parts.append(f"Suggestion: {f['suggestion']}")
    if f["rule"]:
        parts.append(f"({f['rule']})")
    return " ".join(parts)


def _tip_html(fs: list[dict[str, Any]]) -> str:
    items = []
    for f in fs:
        sugg = (
            f' <span class="hl-tip-sugg">Suggestion: {escape(f["suggestion"])}</span>'
            if f["suggestion"]
            else ""
        )
        items.append(
            f'<span class="hl-tip-item"><span class="hl-tip-sev hl-s-{_sev_class(f["severity"])}">'
            f'{escape(f["severity"])}</span> <b class="hl-tip-label">{escape(label_for(f["rule"]))}</b>: '
            f'{escape(f["message"])}{sugg} '
            f'<span class="hl-tip-rule">{escape(f["rule"])}</span></span>'
        )
    return "".join(items)


def render(text: str, findings: Sequence[Any], *, id_prefix: str = "hl") -> str:
    """The whole ``text``, escaped, with a ``<mark>`` per highlighted segment (see module doc).

    ``id_prefix`` makes the element ids unique when several drafts share one page (the batch
    report); it is reduced to ``[A-Za-z0-9_-]``.
    """
    prefix = re.sub(r"[^A-Za-z0-9_-]+", "-", id_prefix) or "hl"
    fs = normalise(findings, len(text))
    out: list[str] = []
    pos = 0
    for n, seg in enumerate(segments(text, fs)):
        out.append(escape(text[pos : seg.start]))
        cover = sorted(
            (fs[i] for i in seg.findings), key=lambda f: (-_sev_rank(f["severity"]), f["rule"])
        )
        main = cover[0]
        cats = sorted({f["category"] for f in cover})
        classes = ["hl", css_class(main["category"]), f"hl-s-{_sev_class(main['severity'])}"]
        if len(cover) > 1:
            classes.append("hl-multi")
        mid, tid = f"{prefix}-{n}", f"{prefix}-{n}-tip"
        rules = " ".join(f["rule"] for f in cover)
        out.append(
            f'<span class="hl-wrap"><mark id="{mid}" class="{" ".join(classes)}" tabindex="0" '
            f'aria-describedby="{tid}" data-rules="{escape(rules)}" '
            f'data-categories="{escape(" ".join(cats))}">{escape(text[seg.start : seg.end])}</mark>'
            f'<span class="hl-tip" id="{tid}" role="tooltip">{_tip_html(cover)}</span></span>'
        )
        pos = seg.end
    out.append(escape(text[pos:]))
    return "".join(out)


def render_layer(text: str, findings: Sequence[Any]) -> str:
    """The whole ``text``, escaped, with one plain ``<mark>`` per highlighted segment (colour
    and severity classes, the rules in ``data-rules``; no ids, tooltips or focus): the layer
    the check page's editor draws behind its textarea.  A text ending in a line break gets a
    space after it, so the layer is as tall as the textarea's last, empty line."""
    fs = normalise(findings, len(text))
    out: list[str] = []
    pos = 0
    for seg in segments(text, fs):
        out.append(escape(text[pos : seg.start]))
        cover = sorted(
            (fs[i] for i in seg.findings), key=lambda f: (-_sev_rank(f["severity"]), f["rule"])
        )
        main = cover[0]
        classes = ["hl", css_class(main["category"]), f"hl-s-{_sev_class(main['severity'])}"]
        if len(cover) > 1:
            classes.append("hl-multi")
        rules = " ".join(f["rule"] for f in cover)
        out.append(
            f'<mark class="{" ".join(classes)}" data-rules="{escape(rules)}" '
            f'data-start="{seg.start}" data-end="{seg.end}">'
            f'{escape(text[seg.start : seg.end])}</mark>'
        )
        pos = seg.end
    out.append(escape(text[pos:]))
    if text.endswith("\n"):
        out.append(" ")
    return "".join(out)


def first_marks(text: str, findings: Sequence[Any], *, id_prefix: str = "hl") -> list[str | None]:
    """For each finding (same order), the id of the first ``<mark>`` that ``render()`` gives it
    with the same ``id_prefix``, or None when it has no characters to highlight."""
    prefix = re.sub(r"[^A-Za-z0-9_-]+", "-", id_prefix) or "hl"
    out: list[str | None] = [None] * len(findings)
    for n, seg in enumerate(segments(text, findings)):
        for i in seg.findings:
            if out[i] is None:
                out[i] = f"{prefix}-{n}"
    return out


def render_text_block(
    text: str,
    findings: Sequence[Any],
    *,
    id_prefix: str = "hl",
    label: str = "Draft with highlighted findings",
) -> str:
    """``render()`` wrapped in its container ``<div class="hl-text">`` with an aria label."""
    return (
        f'<div class="hl-text" role="document" aria-label="{escape(label)}">'
        f'{render(text, findings, id_prefix=id_prefix)}</div>'
    )


def _stylesheet() -> str:
    colours = "\n".join(
        f".{css_class(c)}, mark.hl.{css_class(c)} {{ background: {v}; }}"
        for c, v in CATEGORY_COLOURS.items()
    )
    return f"""\
.hl-text {{ white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.7; }}
.hl-wrap {{ position: relative; }}
mark.hl {{ background: {_DEFAULT_COLOUR}; color: inherit; border-bottom: 2px solid #555;
  border-radius: 2px; padding: 0 1px; cursor: help; }}
{colours}
mark.hl.hl-s-error {{ border-bottom: 3px solid #b00020; }}
mark.hl.hl-s-warning {{ border-bottom: 2px dashed #8a5a00; }}
mark.hl.hl-s-suggestion {{ border-bottom: 2px dotted #1f5f9f; }}
mark.hl.hl-multi {{ outline: 1px dotted #333; }}
mark.hl:focus {{ outline: 3px solid #1a4fd6; outline-offset: 1px; }}
.hl-tip {{ display: none; position: absolute; left: 0; top: 1.6em; z-index: 10; width: max-content;
  max-width: min(28rem, 80vw); white-space: normal; background: #fff; color: #111;
  border: 1px solid #444; border-radius: 4px; padding: .4rem .6rem; font-size: .9rem;
  line-height: 1.35; box-shadow: 0 2px 6px rgba(0,0,0,.25); }}
mark.hl:hover + .hl-tip, mark.hl:focus + .hl-tip, mark.hl:target + .hl-tip {{ display: block; }}
mark.hl.tip-dismissed + .hl-tip {{ display: none; }}
mark.hl:target {{ outline: 3px solid #1a4fd6; }}
.hl-tip-item {{ display: block; }}
.hl-tip-item + .hl-tip-item {{ margin-top: .35rem; border-top: 1px solid #ddd; padding-top: .35rem; }}
.hl-tip-sev {{ font-weight: bold; text-transform: uppercase; font-size: .75rem; }}
.hl-tip-sugg {{ display: block; font-style: italic; }}
.hl-tip-label {{ font-weight: 600; }}
.hl-tip-rule {{ display: block; font-family: monospace; font-size: .75rem; color: #555; }}
@media (max-width: 40rem) {{
  /* On a phone a tooltip is a sheet at the bottom of the screen: always inside it. */
  .hl-tip {{ position: fixed; left: .5rem; right: .5rem; top: auto; bottom: .5rem;
    width: auto; max-width: none; max-height: 45vh; overflow-y: auto; }}
}}
"""


# CSS for the classes above; the web app ships it in its stylesheet and a standalone HTML
# report can put it in a <style> element.
STYLESHEET = _stylesheet()

"""The check page: paste a draft, get it back with every finding highlighted.

``GET /`` shows the form; ``POST /check`` (a plain form post, works without JavaScript)
shows the form again with the result; ``POST /check/fragment`` returns only the result
section, for ``static/app.js`` to re-check as the user types; ``POST /check/apply`` applies
the fix of one finding ("apply") or of all ("apply all") through the core
(``checker.fixes.apply``, refused when the draft's hash is not the report's) and shows the
new draft with its result: the path without JavaScript (``app.js`` asks the API's ``apply``
and edits the textarea in place).  Drafts are never stored.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from checker import highlight
from checker.advice import advise, next_step
from checker.contacts.service import announced_by
from checker.fixes import utf16
from checker.kinds import NOUN as KIND_NOUN
from checker.report import ELEMENTS, LENGTH_VERDICTS, LEVEL_RANK, SEVERITY_DISPLAY_ORDER
from checker.rules import label_for

from .checking import KIND_LABELS, run_check
from .errors import InputError

bp = Blueprint("pages", __name__)

#: Findings are listed most severe first, then in text order.
_SEVERITY_ORDER = {name: i for i, name in enumerate(SEVERITY_DISPLAY_ORDER)}


def companies() -> list[str]:
    from .log import company_names

    try:
        return company_names()
    except Exception:  # the log is optional on this page
        return []


def result_view(report) -> dict[str, Any]:
    """What the result template shows, built from the report (absent sections allowed).
    A finding's ``fix`` and ``id`` are the core's (``checker.fixes``); its offsets are also
    given in UTF-16 code units for the browser (``start16``, ``end16``)."""
    d = report.to_dict()
    text = report.text
    findings = d["findings"]
    elements = report.elements or {}
    checklist = []
    for label in ELEMENTS:
        el = elements.get(label.key)
        checklist.append(
            {
                "key": label.key,
                "label": label.title,
                "known": el is not None,
                "present": bool(el and el["present"]),
                "text": el.get("text") if el else None,
            }
        )
    length = report.length or {}
    limits = length.get("limits") or {}
    politeness = report.politeness
    desperation = report.desperation
    hostility = report.hostility
    gauges = {}
    if length:
        max_words = limits.get("max_words") or 150
        gauges["length"] = {
            "value": length["words"],
            "min": 0,
            "max": max(int(max_words * 1.5), length["words"]),
            "low": limits.get("min_words", 0),
            "high": max_words,
            "optimum": (limits.get("min_words", 0) + max_words) / 2,
            "verdict": length["verdict"],
            "verdict_label": LENGTH_VERDICTS[length["verdict"]].short,
        }
    if politeness:
        gauges["politeness"] = {
            "value": politeness["score"],
            "label": politeness["label"],
            "why": [f for f in politeness["top_features"][:4] if f.get("explanation")],
        }
    if desperation:
        gauges["desperation"] = {
            "value": LEVEL_RANK[desperation["level"]],
            "level": desperation["level"],
            "detected": desperation["detected"],
        }
    if hostility:
        gauges["hostility"] = {
            "value": LEVEL_RANK[hostility["level"]],
            "level": hostility["level"],
            "detected": hostility["detected"],
        }
    marks = highlight.first_marks(text, findings, id_prefix="hl")
    shown = []
    for f, m in zip(findings, marks):
        shown.append(
            dict(
                f,
                anchored=f["end"] > f["start"],
                mark=m,
                fid=f["id"],
                label=label_for(f["rule"]),
                # the words, unless the message already quotes them or they are the whole body
                quote=f["text"]
                if highlight.inline(f) and " ".join(f["text"].split()) not in f["message"]
                else "",
                start16=utf16(text, f["start"]),
                end16=utf16(text, f["end"]),
                fix=f.get("fix"),
            )
        )
    frequency = report.frequency
    step = None
    if frequency and frequency.get("company"):
        from .log import next_step_for

        try:
            step = next_step_for(frequency["company"])
        except Exception:  # advice is a bonus
            step = None
    advice = advise(report)
    ordered = sorted(shown, key=lambda f: (_SEVERITY_ORDER[f["severity"]], f["start"]))
    proofread = report.proofread or {}
    return {
        # the findings with a fix ("apply all"), and the hash that names the checked draft
        "fixable": [f["id"] for f in findings if f.get("fix")],
        "text_hash": proofread.get("text_sha256", ""),
        "report": d,
        "verdict": advice.verdict,
        "verdict_title": advice.title,
        "advice": advice,
        "kind_noun": KIND_NOUN.get(report.kind, report.kind),
        "highlighted": highlight.render(text, d["findings"], id_prefix="hl"),
        "layer": highlight.render_layer(text, d["findings"]),
        "checked_text": text,
        "findings": ordered,
        "checklist": checklist,
        "gauges": gauges,
        "length": length,
        "frequency": frequency,
        "timing": advice.timing,
        "next_step": next_step(report, step),
        "can_record": advice.can_record,
        "announced_call": announced_by(report),
        "notes": d.get("notes", []),
        "source": d.get("source", {}),
        "counts": d["counts"],
    }


def _applied_note(result) -> str:
    """``Applied 2 fixes. “thx” → “thanks”; removed “the”.`` and what overlapped."""
    n = len(result.applied)
    done = "; ".join(
        f"\u201c{a['text']}\u201d \u2192 \u201c{a['replacement']}\u201d"
        if a["replacement"]
        else f"removed \u201c{a['text'].strip()}\u201d"
        for a in result.applied
    )
    note = f"Applied {n} fix{'es' if n != 1 else ''}." + (f" {done}." if done else "")
    if result.skipped:
        note += f" {len(result.skipped)} overlapped another fix: check again to apply them."
    return note


def _form() -> dict[str, str]:
    return {
        "text": request.form.get("text", ""),
        "kind": request.form.get("kind", "auto"),
        "company": request.form.get("company", ""),
    }


def _check_form(form: dict[str, str]) -> tuple[dict[str, Any] | None, str | None, int]:
    try:
        report = run_check(form["text"], form["kind"], form["company"])
    except InputError as exc:
        return None, exc.message, exc.status
    return result_view(report), None, 200


def page(form, result=None, error=None, status=200, notice=None):
    """The check page: the form (the editor with the draft), and the result if any."""
    return render_template(
        "check.html",
        form=form,
        result=result,
        error=error,
        notice=notice,
        kinds=KIND_LABELS,
        companies=companies(),
        rows=editor_rows(form.get("text", "")),
    ), status


def editor_rows(text: str) -> int:
    """Rows for the textarea, so it holds the whole draft where it cannot grow by itself
    (the highlight layer behind it does not scroll)."""
    lines = sum(1 + len(line) // 70 for line in text.split("\n"))
    return max(14, min(lines + 1, 400))


@bp.get("/")
def index():
    form = {"text": "", "kind": "auto", "company": request.args.get("company", "")}
    return page(form)


@bp.get("/highlight.css")
def highlight_css():
    """The highlight styles, from ``checker.highlight.STYLESHEET`` (one source of truth)."""
    response = current_app.response_class(highlight.STYLESHEET, mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/check")
def check_get():
    return redirect(url_for("pages.index"))


@bp.post("/check")
def check():
    form = _form()
    result, error, status = _check_form(form)
    return page(form, result, error, status)


@bp.post("/check/apply")
def apply():
    """Apply one fix (``apply=<finding id>``) or every fix (``apply=all``) to the posted
    draft (the "apply" buttons without JavaScript); the draft must be the one the page's
    report was for (``hash``).  A refusal (the draft changed: 409; a finding without a fix)
    shows the draft as posted, checked again, with the reason."""
    from .checking import run_apply

    form = _form()
    wanted = request.form.get("apply", "")
    ids = None if wanted == "all" else [wanted]
    try:
        applied = run_apply(
            form["text"], ids, form["kind"], form["company"], request.form.get("hash") or None
        )
    except InputError as exc:
        result, error, status = _check_form(form)
        return page(form, result, error, exc.status if result else status, notice=exc.message)
    form["text"] = applied.text
    return page(form, result_view(applied.report), notice=_applied_note(applied))


@bp.post("/check/fragment")
def check_fragment():
    form = _form()
    result, error, status = _check_form(form)
    return render_template("_result.html", result=result, error=error, editor=True), status

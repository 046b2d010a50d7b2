"""The check page: paste a draft, get it back with every finding highlighted.

``GET /`` shows the form; ``POST /check`` (a plain form post, works without JavaScript)
shows the form again with the result; ``POST /check/fragment`` returns only the result
section, for ``static/app.js`` to re-check as the user types; ``POST /check/apply`` applies
the fix of one finding ("apply") or of all ("apply all") through the core
(``checker.fixes.apply``) and shows the new draft with its result.  Drafts are never stored.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from checker import highlight
from checker.contacts.service import announced_by
from checker.kinds import NOUN as KIND_NOUN
from checker.report import ELEMENTS, LENGTH_VERDICTS, LEVEL_RANK, SEVERITY_DISPLAY_ORDER, VERDICTS

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
    """What the result template shows, built from the report (absent sections allowed)."""
    d = report.to_dict()
    text = report.text
    findings = d["findings"]
    elements = report.elements or {}
    checklist = []
    for label in ELEMENTS:
        el = elements.get(label.key)
        checklist.append({"key": label.key, "label": label.title, "known": el is not None,
                          "present": bool(el and el["present"]),
                          "text": el.get("text") if el else None})
    length = report.length or {}
    limits = length.get("limits") or {}
    politeness = report.politeness
    desperation = report.desperation
    gauges = {}
    if length:
        max_words = limits.get("max_words") or 150
        gauges["length"] = {"value": length["words"], "min": 0,
                            "max": max(int(max_words * 1.5), length["words"]),
                            "low": limits.get("min_words", 0), "high": max_words,
                            "optimum": (limits.get("min_words", 0) + max_words) / 2,
                            "verdict": length["verdict"],
                            "verdict_label": LENGTH_VERDICTS[length["verdict"]].short}
    if politeness:
        gauges["politeness"] = {"value": politeness["score"], "label": politeness["label"],
                                "why": [f for f in politeness["top_features"][:4]
                                        if f.get("explanation")]}
    if desperation:
        gauges["desperation"] = {"value": LEVEL_RANK[desperation["level"]],
                                 "level": desperation["level"],
                                 "detected": desperation["detected"]}
    marks = highlight.first_marks(text, findings, id_prefix="hl")
    findings = [dict(f, anchored=f["end"] > f["start"], mark=m) for f, m in zip(findings, marks)]
    frequency = report.frequency
    step = None
    if frequency and frequency.get("company"):
        from .log import next_step_for

        try:
            step = next_step_for(frequency["company"])
        except Exception:  # advice is a bonus
            step = None
    ordered = sorted(findings, key=lambda f: (_SEVERITY_ORDER[f["severity"]], f["start"]))
    proofread = report.proofread or {}
    return {
        "fixable": [f["id"] for f in d["findings"] if f.get("fix")],
        "text_hash": proofread.get("text_sha256", ""),
        "report": d,
        "verdict_title": VERDICTS[report.verdict].title,
        "kind_noun": KIND_NOUN.get(report.kind, report.kind),
        "highlighted": highlight.render(text, d["findings"], id_prefix="hl"),
        "findings": ordered,
        "checklist": checklist,
        "gauges": gauges,
        "length": length,
        "frequency": frequency,
        "next_step": step,
        "announced_call": announced_by(report),
        "notes": d.get("notes", []),
        "source": d.get("source", {}),
        "counts": d["counts"],
    }


def _applied_note(result) -> str:
    n = len(result.applied)
    note = f"Applied {n} fix{'es' if n != 1 else ''}."
    if result.skipped:
        note += f" {len(result.skipped)} overlapped another fix: check again to apply them."
    return note


def _form() -> dict[str, str]:
    return {"text": request.form.get("text", ""), "kind": request.form.get("kind", "auto"),
            "company": request.form.get("company", "")}


def _check_form(form: dict[str, str]) -> tuple[dict[str, Any] | None, str | None, int]:
    try:
        report = run_check(form["text"], form["kind"], form["company"])
    except InputError as exc:
        return None, exc.message, exc.status
    return result_view(report), None, 200


def _page(form, result=None, error=None, status=200):
    return render_template("check.html", form=form, result=result, error=error,
                           kinds=KIND_LABELS, companies=companies()), status


@bp.get("/")
def index():
    form = {"text": "", "kind": "auto", "company": request.args.get("company", "")}
    return _page(form)


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
    return _page(form, result, error, status)


@bp.post("/check/apply")
def apply():
    """Apply one fix (``apply=<finding id>``) or every fix (``apply=all``) to the posted
    draft; the draft must be the one the page's report was for (``hash``)."""
    from .checking import run_apply

    form = _form()
    wanted = request.form.get("apply", "")
    ids = None if wanted == "all" else [wanted]
    try:
        result = run_apply(form["text"], ids, form["kind"], form["company"],
                           request.form.get("hash") or None)
    except InputError as exc:
        return _page(form, None, exc.message, exc.status)
    form["text"] = result.text
    view = result_view(result.report)
    view["notes"] = [_applied_note(result)] + view["notes"]
    return _page(form, view)


@bp.post("/check/fragment")
def check_fragment():
    form = _form()
    result, error, status = _check_form(form)
    return render_template("_result.html", result=result, error=error), status

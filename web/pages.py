"""The check page: paste a draft, get it back with every finding highlighted.

``GET /`` shows the form; ``POST /check`` (a plain form post, works without JavaScript)
shows the form again with the result; ``POST /check/fragment`` returns only the result
section, for ``static/app.js`` to re-check as the user types.  Drafts are never stored.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from checker import highlight
from checker.contacts.service import announced_by
from checker.kinds import NOUN as KIND_NOUN

from .checking import KIND_LABELS, run_check
from .errors import InputError

bp = Blueprint("pages", __name__)

ELEMENTS = (
    ("thanks", "Thanks them for their time"),
    ("enjoyed", "Says what you enjoyed (the meeting, the team, the company)"),
    ("offer_info", "Offers more information or materials"),
    ("call_heads_up", "Gives a heads-up that you will call, and when"),
)
DESPERATION_LEVELS = {"none": 0, "some": 1, "high": 2}
SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}


def companies() -> list[str]:
    from .log import company_names

    try:
        return company_names()
    except Exception:  # the log is optional on this page
        return []


def result_view(report) -> dict[str, Any]:
    """What the result template shows, built from the report JSON (absent sections allowed)."""
    d = report.to_dict()
    text = report.text
    findings = d.get("findings", [])
    elements = d.get("elements") or {}
    checklist = []
    for key, label in ELEMENTS:
        el = elements.get(key)
        checklist.append({"key": key, "label": label,
                          "known": isinstance(el, dict),
                          "present": bool(el.get("present")) if isinstance(el, dict) else False,
                          "text": (el or {}).get("text") if isinstance(el, dict) else None})
    length = d.get("length") or {}
    limits = length.get("limits") or {}
    politeness = d.get("politeness") or {}
    desperation = d.get("desperation") or {}
    gauges = {}
    if length:
        max_words = limits.get("max_words") or 150
        gauges["length"] = {"value": length.get("words", 0), "min": 0,
                            "max": max(int(max_words * 1.5), length.get("words", 0)),
                            "low": limits.get("min_words", 0), "high": max_words,
                            "optimum": (limits.get("min_words", 0) + max_words) / 2,
                            "verdict": length.get("verdict", "")}
    if politeness and isinstance(politeness.get("score"), (int, float)):
        gauges["politeness"] = {"value": politeness["score"], "label": politeness.get("label", ""),
                                "why": [f for f in politeness.get("top_features", [])[:4]
                                        if f.get("explanation")]}
    if desperation:
        gauges["desperation"] = {"value": DESPERATION_LEVELS.get(desperation.get("level"), 0),
                                 "level": desperation.get("level", "none"),
                                 "detected": desperation.get("detected")}
    marks = highlight.first_marks(text, findings, id_prefix="hl")
    findings = [dict(f, anchored=f["end"] > f["start"], mark=m) for f, m in zip(findings, marks)]
    frequency = d.get("frequency")
    step = None
    if isinstance(frequency, dict) and frequency.get("company"):
        from .log import next_step_for

        try:
            step = next_step_for(frequency["company"])
        except Exception:  # advice is a bonus
            step = None
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f["severity"], 3), f["start"]))
    return {
        "report": d,
        "highlighted": highlight.render(text, d.get("findings", []), id_prefix="hl"),
        "findings": ordered,
        "checklist": checklist,
        "gauges": gauges,
        "length": length,
        "frequency": frequency if isinstance(frequency, dict) else None,
        "next_step": step,
        "announced_call": announced_by(report),
        "kind_noun": KIND_NOUN.get(report.kind, report.kind),
        "notes": d.get("notes", []),
        "source": d.get("source", {}),
        "counts": d.get("counts", {}),
    }


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


@bp.post("/check/fragment")
def check_fragment():
    form = _form()
    result, error, status = _check_form(form)
    return render_template("_result.html", result=result, error=error), status

"""The check page: paste a draft, get it back with every finding highlighted.

``GET /`` shows the form; ``POST /check`` (a plain form post, works without JavaScript)
shows the form again with the result; ``POST /check/fragment`` returns only the result
section, for ``static/app.js`` to re-check as the user types.  Drafts are never stored.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from checker import highlight
from checker.advice import advise, next_step
from checker.contacts.service import announced_by
from checker.fixes import apply as apply_fixes
from checker.fixes import finding_id, fixes_for, utf16
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


def result_view(report, *, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the result template shows, built from the report (absent sections allowed).

    ``context`` holds what fixes may be filled from (the contact log's ``company`` and
    ``person``: ``checker.fixes``)."""
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
    hostility = report.hostility
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
    if hostility:
        gauges["hostility"] = {"value": LEVEL_RANK[hostility["level"]],
                               "level": hostility["level"], "detected": hostility["detected"]}
    marks = highlight.first_marks(text, findings, id_prefix="hl")
    fixes = fixes_for(findings, text, context)
    shown = []
    for f, m in zip(findings, marks):
        fid = finding_id(f)
        fix = fixes.get(fid)
        shown.append(dict(
            f, anchored=f["end"] > f["start"], mark=m, fid=fid, label=label_for(f["rule"]),
            # the words, unless the message already quotes them or they are the whole body
            quote=f["text"] if highlight.inline(f) and " ".join(f["text"].split())
            not in f["message"] else "",
            start16=utf16(text, f["start"]), end16=utf16(text, f["end"]),
            fix=fix and dict(fix, start16=utf16(text, fix["start"]),
                             end16=utf16(text, fix["end"]))))
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
    return {
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


def _form() -> dict[str, str]:
    return {"text": request.form.get("text", ""), "kind": request.form.get("kind", "auto"),
            "company": request.form.get("company", "")}


def fix_context(company: str | None) -> dict[str, Any]:
    """What a placeholder may be filled with: the employer's name and contact person as
    logged (nothing without a log or an employer)."""
    if not company:
        return {}
    from .log import employer_for

    try:
        employer = employer_for(company)
    except Exception:  # the log is optional here
        return {}
    if employer is None:
        return {}
    return {"company": employer.company, "person": employer.person}


def _check_form(form: dict[str, str]) -> tuple[dict[str, Any] | None, str | None, int]:
    try:
        report = run_check(form["text"], form["kind"], form["company"])
    except InputError as exc:
        return None, exc.message, exc.status
    return result_view(report, context=fix_context(form["company"])), None, 200


def _apply(form: dict[str, str], ids: list[str]) -> str | None:
    """Apply the fixes named by ``ids`` to the posted draft (``form["text"]`` is changed);
    returns what was done, in words, or None when nothing could be applied."""
    try:
        report = run_check(form["text"], form["kind"], form["company"])
    except InputError:
        return None
    fixes = fixes_for(report.to_dict()["findings"], report.text, fix_context(form["company"]))
    chosen = [fixes[i] for i in ids if i in fixes]
    if not chosen or report.source.get("html"):
        return None
    form["text"] = apply_fixes(report.text, chosen)
    done = ", ".join(f"\u201c{report.text[x['start']:x['end']]}\u201d \u2192 "
                     f"\u201c{x['replacement']}\u201d" for x in chosen)
    return f"Applied: {done}."


def page(form, result=None, error=None, status=200, notice=None):
    """The check page: the form (the editor with the draft), and the result if any."""
    return render_template("check.html", form=form, result=result, error=error, notice=notice,
                           kinds=KIND_LABELS, companies=companies(),
                           rows=editor_rows(form.get("text", ""))), status


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
    """Check the posted draft; with ``apply`` (the "apply" buttons without JavaScript), apply
    those fixes first and check the new text."""
    form = _form()
    notice = _apply(form, request.form.getlist("apply")) if request.form.get("apply") else None
    result, error, status = _check_form(form)
    return page(form, result, error, status, notice=notice)


@bp.post("/check/fragment")
def check_fragment():
    form = _form()
    result, error, status = _check_form(form)
    return render_template("_result.html", result=result, error=error, editor=True), status

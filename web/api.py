"""JSON API (``/api/v1``): check a draft, health, the OpenAPI document.

``POST /api/v1/check`` returns exactly the report JSON of ``followup check --format json``
(``Report.to_dict()``, documented in ``docs/report-schema.md``).  With ``"apply": [finding
ids]`` (and optionally ``"hash"``, the report's ``proofread.text_sha256``) it applies those
fixes instead and returns ``{"text", "applied", "skipped", "report"}``: the new draft, what
changed, and the report of the new draft (``checker.fixes.apply``).  Errors are
``{"error": "one line", "status": code}``.  A draft whose line breaks were normalised (CRLF or
CR, as browsers and Windows files send them) gets ``source.text``, the text its offsets refer to.  The API stores nothing and takes only
``application/json``, so it needs no CSRF token.
"""

from __future__ import annotations

import os

from flask import Blueprint, abort, current_app, jsonify, request

from checker import __version__
from checker.report import SCHEMA

from .checking import model_loaded, normalise_text, run_apply, run_check
from .errors import InputError
from .security import csrf_exempt

bp = csrf_exempt(Blueprint("api", __name__, url_prefix="/api/v1"))

OPENAPI_FILE = "openapi.json"


@bp.get("/health")
def health():
    return jsonify(
        {
            "status": "ok",
            "version": __version__,
            "schema": SCHEMA,
            "model_loaded": model_loaded(),
            "worker": os.getpid(),
        }
    )


@bp.post("/check")
def check():
    if not request.is_json:
        abort(
            415,
            description="send the draft as JSON with Content-Type: application/json, "
            'e.g. {"text": "Dear ...", "kind": "thank_you"}',
        )
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description='the body must be a JSON object such as {"text": "Dear ..."}')
    if "text" not in data:
        abort(400, description="missing `text`: the draft to check")
    unknown = sorted(set(data) - {"text", "kind", "company", "apply", "hash"})
    if unknown:
        abort(
            400,
            description=f"unknown field(s): {', '.join(unknown)}; "
            "use text, kind, company, apply, hash",
        )
    try:
        if "apply" in data:
            result = run_apply(
                data["text"], data["apply"], data.get("kind"), data.get("company"), data.get("hash")
            )
            return jsonify(
                {
                    "text": result.text,
                    "applied": result.applied,
                    "skipped": result.skipped,
                    "report": result.report.to_dict(),
                }
            )
        report = run_check(data["text"], data.get("kind"), data.get("company"))
    except InputError as exc:
        abort(exc.status, description=exc.message)
    out = report.to_dict()
    if normalise_text(data["text"]) != data["text"]:
        out["source"] = with_normalised_text(out.get("source") or {}, report.text)
    return jsonify(out)


def with_normalised_text(source: dict, text: str) -> dict:
    """``source`` saying that line breaks were normalised (``\\r\\n`` and ``\\r`` read as
    ``\\n``) and holding the text the offsets refer to (``text``), as for HTML input."""
    if "text" in source:  # HTML: the note already says offsets refer to `text`
        return {**source, "line_breaks": "normalised"}
    return {
        "line_breaks": "normalised",
        "note": "line breaks (\\r\\n, \\r) read as \\n; offsets refer to `text`",
        "text": text,
    }


@bp.get("/openapi.json")
def openapi():
    response = current_app.send_static_file(OPENAPI_FILE)
    response.headers["Cache-Control"] = "no-cache"
    return response

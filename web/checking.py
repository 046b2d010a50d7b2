"""The one place the web app calls ``checker.check``: input validation, context, config.

Pages and the JSON API both call ``run_check``; for input that cannot be checked it raises a
``checker.errors.InputError`` (the checker's own: empty, too long, unknown kind ...; or a
``CheckInputError``), whose ``status`` and one-line ``message`` the view answers with, as
the CLI's exit-2 errors.

Where the check runs: in this process, or, when the app has ``CHECK_PROCESSES`` (``followup
serve`` sets it), in a check process of ``checker.web.workers.CheckPool`` within ``CHECK_BUDGET``
seconds (else ``CheckTimeout``, 503, logged with the draft's size, never its text).  Both
run ``handle``'s cores (``_check_core``, ``_apply_core``); a check process answers with the
report as JSON, rebuilt here with ``checker.classes.report_from_dict``.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from flask import Flask, current_app

from checker.kinds import AUTO, AUTO_TITLE, TITLE, parse_kind

from .errors import CheckTimeout, CheckUnavailable, InputError
from .workers import TEST_SLOW_MARKER

#: The kind selector of the check page: value -> label.
KIND_LABELS = {AUTO: AUTO_TITLE, **TITLE}
#: Where ``init_app`` keeps the checker config: ``app.extensions[CONFIG_EXTENSION]``
#: (read it with ``check_config()``).
CONFIG_EXTENSION = "followup_check_config"
#: This process's check pool (``checker.checker.web.workers``), when the app checks with a time budget.
POOL_EXTENSION = "followup_check_pool"
_POOL_LOCK = threading.Lock()

WARM_UP_TEXT = (
    "Dear Ms Lee,\n\nThank you for meeting with me yesterday. I enjoyed hearing "
    "about the team. I will call you next Tuesday.\n\nBest regards,\nSam"
)


class CheckInputError(InputError):
    """A draft or option the check cannot take."""


def init_app(app: Flask) -> None:
    from checker.config import ConfigError, resolve

    path = app.config.get("CHECK_CONFIG")
    try:
        cfg = resolve(path)
    except ConfigError as exc:
        raise RuntimeError(str(exc)) from None
    app.extensions[CONFIG_EXTENSION] = cfg


def check_config():
    """The app's ``checker.Config`` (``CHECK_CONFIG``, else discovered as the CLI does), for
    every view that checks drafts."""
    return current_app.extensions[CONFIG_EXTENSION]


def model_loaded() -> bool:
    """Whether this process (or, checking with a budget, one of its check processes) has
    loaded its language pipeline (``warm_up``, or a check)."""
    from checker.nlp import loaded

    pool = current_app.extensions.get(POOL_EXTENSION)
    if pool is not None and pool.pid == os.getpid():
        return pool.ready()
    return loaded()


def warm_up(app: Flask | None = None) -> None:
    """Load the language pipeline and run one check, so the first request is not slow: in
    this process, or, when ``app`` checks with a budget, in each of its check processes."""
    if app is not None:
        with app.app_context():
            pool = _pool()
        if pool is not None:
            pool.wait_ready()
            return
    import checker

    checker.check(WARM_UP_TEXT)


def normalise_text(text: str) -> str:
    # Browsers send textarea line breaks as CRLF; the CLI reads files the same way.
    from checker.textprep import normalise_newlines

    return normalise_newlines(text)


def _inputs(text: Any, kind: Any, company: Any) -> tuple[str, str | None, dict[str, Any]]:
    """The draft, kind and check context of a request (raises ``InputError``)."""
    from checker.textprep import problem

    if not isinstance(text, str):
        raise CheckInputError("`text` must be a string with the draft")
    if company is not None and not isinstance(company, str):
        raise CheckInputError("`company` must be a string")
    text = normalise_text(text)
    kind = parse_kind(kind)
    why = problem(text)
    if why:
        raise why
    company = (company or "").strip() or None
    context: dict[str, Any] = {}
    if company:
        context = {
            "to": company,
            "send_on": None,
            "channel": "email",
            "db": current_app.config["DB"],
        }
    return text, kind, context


def _check_core(text: str, kind: str | None, context: dict[str, Any], config):
    """``(report, warning)``: the report of the draft; when the contact-log part failed, the
    report without it and what went wrong (for the log).  The same in a check process."""
    import checker

    try:
        return checker.check(text, kind=kind, config=config, **context), None
    except InputError:
        raise
    except (ValueError, OSError) as exc:  # as the CLI: bad date, unreadable log ...
        raise CheckInputError(_one_line(exc)) from None
    except Exception as exc:
        if not context:
            raise
        # The contact-log part failed; the draft itself can still be checked.
        company = context.get("to")
        report = checker.check(text, kind=kind, config=config)
        report.notes.append(f"No contact-log advice for {company}: {_one_line(exc)}")
        return report, f"frequency check failed for {company!r}: {exc}"


def _apply_core(text: str, ids, text_hash, kind, context: dict[str, Any], config):
    from checker import fixes

    try:
        return fixes.apply(
            text, ids, expected_hash=text_hash or None, kind=kind, config=config, **context
        )
    except InputError:
        raise
    except (ValueError, OSError) as exc:
        raise CheckInputError(_one_line(exc)) from None


def _one_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def handle(request: dict[str, Any], config) -> dict[str, Any]:
    """One request of a check process (``checker.checker.web.workers``), answered as JSON-ready data:
    ``{"op": "check", "text", "kind", "context"}`` or ``{"op": "apply", ... "ids",
    "hash"}``.  ``delay`` (tests only) sleeps first: a check slow on purpose."""
    if request.get("delay"):
        time.sleep(float(request["delay"]))
    text, kind, context = request["text"], request.get("kind"), request.get("context") or {}
    if request["op"] == "apply":
        applied = _apply_core(text, request.get("ids"), request.get("hash"), kind, context, config)
        return {
            "text": applied.text,
            "applied": applied.applied,
            "skipped": applied.skipped,
            "report": _report_data(applied.report),
            "before": _report_data(applied.before),
        }
    report, warning = _check_core(text, kind, context, config)
    return {"report": _report_data(report), "warning": warning}


def _report_data(report) -> dict[str, Any]:
    return {"text": report.text, "data": report.to_dict()}


def _report(data: dict[str, Any]):
    from checker.classes.model import report_from_dict

    return report_from_dict(data["data"], data["text"])


def _pool():
    """This process's ``checker.web.workers.CheckPool`` (None: check in this process, no budget)."""
    app = current_app
    size = int(app.config.get("CHECK_PROCESSES") or 0)
    budget = float(app.config.get("CHECK_BUDGET") or 0)
    if size <= 0 or budget <= 0:
        return None
    from .workers import CheckPool

    with _POOL_LOCK:
        pool = app.extensions.get(POOL_EXTENSION)
        if pool is None or pool.pid != os.getpid():  # none yet, or the parent's (forked)
            pool = CheckPool(size, budget, app.config.get("CHECK_CONFIG"))
            app.extensions[POOL_EXTENSION] = pool
        return pool


def _in_pool(pool, message: dict[str, Any]) -> dict[str, Any]:
    """``message`` answered by a check process; its errors raised as here."""
    delay = float(current_app.config.get("CHECK_TEST_DELAY") or 0)
    if delay > 0 and TEST_SLOW_MARKER in message["text"]:
        message["delay"] = delay
    try:
        answer = pool.run(message)
    except CheckTimeout:
        current_app.logger.warning(
            "check stopped after the %g s budget: %s of %d characters (kind %s); its process "
            "was replaced",
            pool.budget,
            message["op"],
            len(message["text"]),
            message.get("kind") or "auto",
        )
        raise
    except CheckUnavailable as exc:
        current_app.logger.warning(
            "check of %d characters not done: %s", len(message["text"]), exc.message
        )
        raise
    if "error" in answer:
        error = CheckInputError(answer["error"])
        error.status, error.code = int(answer["status"]), answer.get("code") or error.code
        raise error
    if "crash" in answer:
        raise RuntimeError(f"check process: {answer['crash']}")
    return answer


def run_apply(text: Any, ids: Any, kind: Any = None, company: Any = None, text_hash: Any = None):
    """Apply the fixes of the findings ``ids`` (None: every fix) to the draft; returns a
    ``checker.fixes.Applied`` (new text, its report, what was applied).  The core refuses
    (``StaleReport``, 409) a draft that changed since the report (``text_hash``)."""
    from checker.fixes import Applied

    if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
        raise CheckInputError("`apply` must be a list of finding ids (strings)")
    if text_hash is not None and not isinstance(text_hash, str):
        raise CheckInputError("`hash` must be a string: the report's proofread.text_sha256")
    text, kind, context = _inputs(text, kind, company)
    pool = _pool()
    if pool is None:
        return _apply_core(text, ids, text_hash, kind, context, check_config())
    answer = _in_pool(
        pool,
        {
            "op": "apply",
            "text": text,
            "kind": kind,
            "context": context,
            "ids": ids,
            "hash": text_hash,
        },
    )
    return Applied(
        text=answer["text"],
        report=_report(answer["report"]),
        before=_report(answer["before"]),
        applied=answer["applied"],
        skipped=answer["skipped"],
    )


def run_check(text: Any, kind: Any = None, company: Any = None):
    """Check one draft; returns a ``checker.report.Report``.  With a check pool
    (``CHECK_PROCESSES``), in one of its processes within ``CHECK_BUDGET`` seconds (else
    ``checker.web.workers.CheckTimeout``, 503)."""
    text, kind, context = _inputs(text, kind, company)
    pool = _pool()
    if pool is None:
        report, warning = _check_core(text, kind, context, check_config())
    else:
        answer = _in_pool(pool, {"op": "check", "text": text, "kind": kind, "context": context})
        report, warning = _report(answer["report"]), answer.get("warning")
    if warning:
        current_app.logger.warning("%s", warning)
    return report

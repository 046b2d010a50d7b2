"""The one place the web app calls ``checker.check``: input validation, context, config.

Pages and the JSON API both call ``run_check``; for input that cannot be checked it raises a
``checker.errors.InputError`` (the checker's own: empty, too long, unknown kind ...; or a
``CheckInputError``), whose ``status`` and one-line ``message`` the view answers with, as
the CLI's exit-2 errors.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from checker.kinds import AUTO, AUTO_TITLE, TITLE, parse_kind

from .errors import InputError

#: The kind selector of the check page: value -> label.
KIND_LABELS = {AUTO: AUTO_TITLE, **TITLE}
#: Where ``init_app`` keeps the checker config: ``app.extensions[CONFIG_EXTENSION]``
#: (read it with ``check_config()``).
CONFIG_EXTENSION = "followup_check_config"

WARM_UP_TEXT = ("Dear Ms Lee,\n\nThank you for meeting with me yesterday. I enjoyed hearing "
                "about the team. I will call you next Tuesday.\n\nBest regards,\nSam")


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
    """Whether this process has loaded its language pipeline (``warm_up``, or a check)."""
    from checker.nlp import loaded

    return loaded()


def warm_up() -> None:
    """Load the language pipeline and run one check, so the first request is not slow."""
    import checker

    checker.check(WARM_UP_TEXT)


def normalise_text(text: str) -> str:
    # Browsers send textarea line breaks as CRLF; the CLI reads files the same way.
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        context = {"to": company, "send_on": None, "channel": "email",
                   "db": current_app.config["DB"]}
    return text, kind, context


def run_apply(text: Any, ids: Any, kind: Any = None, company: Any = None, text_hash: Any = None):
    """Apply the fixes of the findings ``ids`` (None: every fix) to the draft; returns a
    ``checker.fixes.Applied`` (new text, its report, what was applied).  The core refuses
    (``StaleReport``, 409) a draft that changed since the report (``text_hash``)."""
    from checker import fixes

    if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
        raise CheckInputError("`apply` must be a list of finding ids (strings)")
    if text_hash is not None and not isinstance(text_hash, str):
        raise CheckInputError("`hash` must be a string: the report's proofread.text_sha256")
    text, kind, context = _inputs(text, kind, company)
    try:
        return fixes.apply(text, ids, expected_hash=text_hash or None, kind=kind,
                           config=check_config(), **context)
    except InputError:
        raise
    except (ValueError, OSError) as exc:
        raise CheckInputError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def run_check(text: Any, kind: Any = None, company: Any = None):
    """Check one draft; returns a ``checker.report.Report``."""
    import checker

    text, kind, context = _inputs(text, kind, company)
    company = context.get("to")
    config = check_config()
    try:
        report = checker.check(text, kind=kind, config=config, **context)
        return report
    except InputError:
        raise
    except (ValueError, OSError) as exc:  # as the CLI: bad date, unreadable log ...
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CheckInputError(message) from None
    except Exception as exc:
        if not context:
            raise
        # The contact-log part failed; the draft itself can still be checked.
        current_app.logger.warning("frequency check failed for %r: %s", company, exc)
        report = checker.check(text, kind=kind, config=config)
        report.notes.append(f"No contact-log advice for {company}: "
                            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
        return report

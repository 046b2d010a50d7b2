"""The followup-checker web app: ``create_app(config=None)`` (Flask application factory).

Blueprints: ``web.pages`` (check page), ``web.api`` (JSON API, ``/api/v1``), ``web.log``
(contact log), ``web.batch`` (class review) and ``web.classes`` (class mode: ``/classes/``
and the students' ``/s/...`` links; its config keys are in its docstring).  Security (CSRF,
headers, secret key, size limit) lives in ``web.security``; see ``web/README.md`` for how a
blueprint uses the base template and the CSRF token.

Config keys (pass a mapping to ``create_app`` or set ``FOLLOWUP_WEB_*`` env vars):

``DB``                 contact-log database (default: as the CLI,
                       ``checker.contacts.db.resolve_db_path``: ``$FOLLOWUP_DB`` or
                       ``$XDG_DATA_HOME/followup-checker/contacts.db``)
``DATA_DIR``           where the generated secret key is kept (default: the DB's folder)
``SECRET_KEY``         default: ``$FOLLOWUP_SECRET_KEY``, else generated once per install
``MAX_CONTENT_LENGTH`` request size limit in bytes (default 1 MiB); larger requests get 413
``CHECK_CONFIG``       a checker config TOML (default: discovered as the CLI does)
``PRELOAD``            load the language pipeline at start-up (``followup serve`` sets it)
``ALLOWED_HOSTS``      host names the ``Host`` header may carry (None: any); ``followup
                       serve`` on a loopback address allows only localhost names, so a web
                       page cannot reach the log through DNS rebinding
``CHECK_PROCESSES``    check processes of each web process (default 0: check in the web
                       process itself, no time budget; ``followup serve`` sets 1), see
                       ``checker.checker.web.workers``
``CHECK_BUDGET``       seconds a check may take in a check process (default 5); a check
                       past it is stopped and answered 503, and its process replaced
``CHECK_TEST_DELAY``   tests only: a draft holding ``checker.web.workers.TEST_SLOW_MARKER`` sleeps
                       this many seconds in its check process first (default 0: off)
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider

from checker.contacts.db import resolve_db_path

DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "followup_session",
    "PRELOAD": False,
    "CHECK_CONFIG": None,
    "DB": None,
    "DATA_DIR": None,
    "ALLOWED_HOSTS": None,
    "CHECK_PROCESSES": 0,
    "CHECK_BUDGET": 5.0,
    "CHECK_TEST_DELAY": 0,
}


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deep to parse is a ``ValueError`` (so
    every ``request.get_json`` answers 400, not a 500 ``RecursionError``)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


class MemoryRequest(Request):
    """Flask's request, except that uploaded files stay in memory (Werkzeug spools a file
    over 500 KB to a temporary file): drafts never reach the disk.  The request size limit
    bounds the memory."""

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        return io.BytesIO()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.request_class = MemoryRequest
    app.json = JSONProvider(app)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("FOLLOWUP_WEB")
    if config:
        app.config.update(config)
    app.config["DB"] = str(resolve_db_path(app.config.get("DB")))
    if not app.config.get("DATA_DIR"):
        app.config["DATA_DIR"] = os.path.dirname(os.path.abspath(app.config["DB"]))
    # The report JSON keeps its documented key order, as the CLI prints it.
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    from checker.contacts.dates import human
    from checker.report import VERDICTS, plural

    from . import api, batch, checking, classes, log, pages, security

    # One date format and right plurals on every page (as the CLI and the reports).
    app.jinja_env.filters["human_date"] = human
    app.jinja_env.filters["plural"] = lambda n, word, many=None: plural(int(n), word, many)
    app.jinja_env.globals["verdicts"] = VERDICTS
    security.init_app(app)
    checking.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(log.bp)
    app.register_blueprint(batch.bp)
    app.register_blueprint(classes.bp)

    if app.config.get("PRELOAD"):
        checking.warm_up(app)  # in the check processes when the app has them
    return app

"""The followup-checker web app: ``create_app(config=None)`` (Flask application factory).

Blueprints: ``web.pages`` (check page), ``web.log`` (contact log), ``web.api`` (JSON API,
``/api/v1``) and, when present, ``web.batch`` (class review; issue 6).  Security (CSRF,
headers, secret key, size limit) lives in ``web.security``; see ``web/README.md`` for how a
blueprint uses the base template and the CSRF token.

Config keys (pass a mapping to ``create_app`` or set ``FOLLOWUP_WEB_*`` env vars):

``DB``                 contact-log database (default: as the CLI, ``$FOLLOWUP_DB`` or
                       ``$XDG_DATA_HOME/followup-checker/contacts.db``)
``DATA_DIR``           where the generated secret key is kept (default: the DB's folder)
``SECRET_KEY``         default: ``$FOLLOWUP_SECRET_KEY``, else generated once per install
``MAX_CONTENT_LENGTH`` request size limit in bytes (default 1 MiB); larger requests get 413
``CHECK_CONFIG``       a checker config TOML (default: discovered as the CLI does)
``PRELOAD``            load the language pipeline at start-up (``followup serve`` sets it)
``ALLOWED_HOSTS``      host names the ``Host`` header may carry (None: any); ``followup
                       serve`` on a loopback address allows only localhost names, so a web
                       page cannot reach the log through DNS rebinding
"""
from __future__ import annotations

import importlib
import importlib.util
import os
from typing import Any, Mapping

from flask import Flask

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
}

BLUEPRINTS = ("web.pages", "web.api", "web.log")
OPTIONAL_BLUEPRINTS = ("web.batch",)


def default_db_path() -> str:
    """The contact-log path the CLI uses when ``--db`` is not given."""
    try:
        from checker.contacts.db import default_db_path as contacts_default  # type: ignore
    except ImportError:
        contacts_default = None
    if contacts_default is not None:
        return str(contacts_default())
    env = os.environ.get("FOLLOWUP_DB")
    if env:
        return env
    xdg = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(xdg, "followup-checker", "contacts.db")


def _endpoint_url(endpoint: str) -> str | None:
    """URL of an endpoint without arguments, or None when the app has no such page."""
    from flask import current_app, url_for
    from werkzeug.routing import BuildError

    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint)
    except BuildError:
        return None


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("FOLLOWUP_WEB")
    if config:
        app.config.update(config)
    if not app.config.get("DB"):
        app.config["DB"] = default_db_path()
    if not app.config.get("DATA_DIR"):
        app.config["DATA_DIR"] = os.path.dirname(os.path.abspath(app.config["DB"]))
    # The report JSON keeps its documented key order, as the CLI prints it.
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    from . import security, checking

    security.init_app(app)
    checking.init_app(app)

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)
    for name in OPTIONAL_BLUEPRINTS:
        if importlib.util.find_spec(name) is not None:
            try:
                module = importlib.import_module(name)
            except Exception:  # one broken optional page must not take the app down
                if app.testing:
                    raise
                app.logger.exception("cannot load %s; its pages are off", name)
                continue
            app.register_blueprint(module.bp)

    @app.context_processor
    def _navigation():
        return {"endpoint_url": _endpoint_url}

    if app.config.get("PRELOAD"):
        checking.warm_up()
    return app

"""Security for every blueprint: secret key, CSRF tokens, response headers, error pages.

* **Secret key**: ``SECRET_KEY`` from the config, else ``$FOLLOWUP_SECRET_KEY``, else a key
  generated once per install and kept (mode 0600) in ``DATA_DIR/web-secret-key``.
* **CSRF**: a random token per session (``csrf_token()`` in templates).  Every POST / PUT /
  PATCH / DELETE must send it back as the form field ``csrf_token`` or the header
  ``X-CSRF-Token``, except in blueprints marked with ``csrf_exempt(bp)``: the JSON API, which
  only accepts ``application/json`` (a cross-site form cannot send that) and stores nothing.
* **Host**: with ``ALLOWED_HOSTS`` set (``followup serve`` on localhost sets it), requests for
  any other host name are refused (DNS rebinding).
* **Headers**: a Content-Security-Policy without inline scripts or styles and with
  ``frame-ancestors 'none'``, ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
  ``Referrer-Policy: no-referrer``; pages are ``Cache-Control: no-store`` (drafts are never
  kept, not even in a cache).
"""

from __future__ import annotations

import hmac
import os
import secrets
import sys

from flask import Blueprint, Flask, abort, current_app, request, session

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SESSION_KEY = "_csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_FILE = "web-secret-key"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

CSRF_MESSAGE = (
    "This form has expired or did not come from this site (missing or wrong CSRF "
    "token). Reload the page and send it again."
)


def secret_key_file(data_dir: str) -> str:
    return os.path.join(data_dir, KEY_FILE)


def load_or_create_secret_key(data_dir: str) -> str:
    """The per-install key in ``data_dir``, created (0600) on first use."""
    path = secret_key_file(data_dir)
    try:
        with open(path, encoding="ascii") as fh:
            key = fh.read().strip()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    try:
        os.link(tmp, path)  # atomic: the first process to create the key wins
    except FileExistsError:
        with open(path, encoding="ascii") as fh:
            key = fh.read().strip()
    except OSError:  # no hard links on this file system
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return key


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    token = session.get(_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[_SESSION_KEY] = token
    return token


def csrf_exempt(bp: Blueprint) -> Blueprint:
    """Mark a blueprint as not needing CSRF tokens (JSON-only endpoints that store nothing)."""
    _EXEMPT.add(bp.name)
    return bp


_EXEMPT: set[str] = set()


def _check_csrf() -> None:
    if request.method not in UNSAFE_METHODS or request.routing_exception is not None:
        return  # safe method, or a 404 / 405 that routing will report
    if request.blueprint in _EXEMPT:
        return
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    expected = session.get(_SESSION_KEY, "")
    if not (sent and expected and hmac.compare_digest(str(sent), str(expected))):
        abort(400, description=CSRF_MESSAGE)


def _check_host() -> None:
    allowed = current_app.config.get("ALLOWED_HOSTS")
    if not allowed:
        return
    host = (request.host or "").lower()
    name = (
        host[1 : host.index("]")]
        if host.startswith("[") and "]" in host
        else host.rsplit(":", 1)[0]
    )
    if name not in allowed:
        abort(400, description=f"Unknown host {name!r}: open this app at a localhost address.")


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        env = os.environ.get("FOLLOWUP_SECRET_KEY")
        if env:
            app.config["SECRET_KEY"] = env
        else:
            try:
                app.config["SECRET_KEY"] = load_or_create_secret_key(app.config["DATA_DIR"])
            except OSError as exc:
                # Still usable, but sessions (and CSRF tokens) end when the process does.
                print(
                    f"followup web: cannot keep a secret key in {app.config['DATA_DIR']}: "
                    f"{exc}; using a temporary one",
                    file=sys.stderr,
                )
                app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.before_request(_check_host)
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["csrf_field"] = CSRF_FIELD
    from . import errors

    errors.init_app(app)

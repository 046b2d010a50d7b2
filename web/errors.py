"""Error responses: JSON under ``/api/``, an HTML page elsewhere; 413 says what the limit is.

Bad input from the user is a ``checker.errors.InputError``: a one-line ``message`` and the
HTTP ``status`` to answer.  The web's own (``checking.CheckInputError``, ``batch.UploadError``)
are subclasses, so a view answers any of them, and the checker's own, the same way.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from checker.errors import InputError

__all__ = ["CheckTimeout", "CheckUnavailable", "InputError", "init_app", "size_text", "wants_json"]


class CheckTimeout(InputError):
    """A check that ran past the time budget (``CHECK_BUDGET``); it was stopped."""

    code = "input.too_slow"
    status = 503


class CheckUnavailable(InputError):
    """No check process could take the draft (busy past the wait, or one that failed)."""

    code = "server.unavailable"
    status = 503


def wants_json() -> bool:
    return request.path.startswith("/api/")


def size_text(n: int) -> str:
    """A byte limit for people: "48 KB", "1.5 MB", "10 MB"."""
    if n < 1024 * 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n / (1024 * 1024):,.1f}".removesuffix(".0") + " MB"


def _limit_text(app: Flask) -> str:
    return size_text(int(app.config.get("MAX_CONTENT_LENGTH") or 0))


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        description = exc.description
        if code == 413 and description == RequestEntityTooLarge.description:
            description = (
                f"The request is too large: the limit is {_limit_text(app)}. "
                "A draft may have at most 20,000 characters; split a large CSV "
                "file into smaller ones."
            )
        if wants_json():
            response = jsonify({"error": description, "status": code})
        elif request.headers.get("X-Requested-With") == "fetch":
            # static/app.js puts the answer into the page: a fragment, not a whole page.
            response = app.make_response(
                (render_template("_result.html", result=None, error=description), code)
            )
        else:
            response = app.make_response(
                (
                    render_template(
                        "error.html", code=code, name=exc.name, description=description
                    ),
                    code,
                )
            )
        response.status_code = code
        if code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return http_error(exc)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return http_error(
            InternalServerError(
                "Something went wrong while checking. The draft was not stored; try again."
            )
        )

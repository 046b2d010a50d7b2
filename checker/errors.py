"""Typed errors for input the checker cannot take.

Every error a user can cause carries a one-line ``message`` and a stable ``code`` (the rule id
of the graceful report the API gives for it, e.g. ``input.too_long``).  Shells map them
without reading the message: the CLI exits 2, the web answers ``status``.
"""

from __future__ import annotations


class InputError(ValueError):
    """Input the checker cannot take; ``str(error)`` is one line."""

    code = "input.invalid"
    status = 400  # the HTTP status a web shell answers with

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EmptyInput(InputError):
    code = "input.empty"


class TooLong(InputError):
    code = "input.too_long"
    status = 413


class BinaryInput(InputError):
    code = "input.binary"


class EncodingError(InputError):
    code = "input.encoding"


class StaleReport(InputError):
    """Fixes asked for a text that is not the one the report was made for."""

    code = "input.stale"
    status = 409


class NotFixable(InputError):
    """A finding named for a fix has none."""

    code = "input.not_fixable"

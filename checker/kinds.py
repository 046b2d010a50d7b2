"""Message kinds: the one list of kinds, their labels for people, and how a user's value is
read.  The CLI (``--kind``), the web forms and API, the batch inputs and the check itself all
go through ``parse_kind``."""

from __future__ import annotations

from typing import Any

from .errors import InputError

#: Every kind of message the checker knows, in the order menus show them.
KINDS: tuple[str, ...] = ("thank_you", "follow_up", "rejection_reply")
#: Accepted instead of a kind: work the kind out from the text.
AUTO = "auto"

#: A kind as a noun in a sentence ("40 words; aim for 50-150 for a thank-you note").
NOUN = {
    "thank_you": "thank-you note",
    "follow_up": "follow-up",
    "rejection_reply": "reply to a rejection",
}
#: A kind as a menu label or heading.
TITLE = {
    "thank_you": "Thank-you note",
    "follow_up": "Follow-up",
    "rejection_reply": "Reply to a rejection",
}
AUTO_TITLE = "Work it out from the text"

# Spellings people use for a kind in files and forms ("thank-you", "Follow up").
_ALIASES = {
    "thankyou": "thank_you",
    "thanks": "thank_you",
    "thank": "thank_you",
    "followup": "follow_up",
    "rejection": "rejection_reply",
    "rejectionreply": "rejection_reply",
    "replytorejection": "rejection_reply",
    "replytoarejection": "rejection_reply",
}


class KindError(InputError):
    code = "input.kind"


def parse_kind(value: Any, *, lenient: bool = False) -> str | None:
    """The kind named by ``value``, or None for "work it out" (None, "", "auto").

    ``lenient`` also accepts the spellings found in spreadsheets ("Thank-you note",
    "follow up").  Anything else raises ``KindError`` with a one-line message."""
    if value in (None, "", AUTO):
        return None
    if not isinstance(value, str):
        raise KindError(f"kind must be a string, not {type(value).__name__}")
    kind = value
    if lenient:
        k = value.strip().lower().replace("-", "_").replace(" ", "_")
        k = k.removesuffix("_note").removesuffix("_email")
        if k in ("", AUTO):
            return None
        kind = _ALIASES.get(k.replace("_", ""), k)
    if kind not in KINDS:
        raise KindError(f"unknown kind {value[:40]!r}; use {', '.join(KINDS)} or {AUTO}")
    return kind

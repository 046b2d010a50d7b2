"""Fixes a page can apply to a draft with one click: the one place that knows them.

A fix is ``{"start", "end", "replacement"}`` in the checked text's character offsets.  When the
core gives a finding a machine-applicable ``fix`` (and a stable ``id``), that is used as it is;
until then this module derives fixes for three kinds of findings:

* ``hygiene.placeholder``: a placeholder filled from the contact log ("[Company]" -> the
  employer's name, "[Hiring Manager]" -> the contact person you logged for them);
* ``hygiene.text_speak``: the written-out words of ``checks/hygiene/rules.toml``
  ("thx" -> "thanks", with the first letter's case kept; "lol" is dropped);
* ``desperation.punctuation``: a run of "!!!" becomes ".", a run with a "?" one "?".

``finding_id`` names a finding (the core's ``id`` when it has one); ``fixes_for`` lists the
fixes of a report's findings by id; ``apply`` applies some of them to the text.  The web
page's JavaScript (``static/app.js``, ``applyFix``) applies the same fix objects in the
browser.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Mapping

#: Words inside a placeholder that ask for the employer's name, or for the contact person.
COMPANY_WORDS = {"company", "company name", "organisation", "organization", "employer",
                 "firm", "business", "company's name", "organization name", "organisation name"}
PERSON_WORDS = {"name", "hiring manager", "hiring manager's name", "hiring manager name",
                "interviewer", "interviewer's name", "interviewer name", "contact",
                "contact name", "recipient", "recipient's name", "manager", "manager's name",
                "mr/ms", "ms", "mr", "title surname", "first name", "surname", "last name",
                "first_name", "last_name", "their name", "interviewer name"}
_INNER = re.compile(r"^[\[<{$]*\{?\s*(.*?)\s*\}?[\]>}]*$")


def finding_id(f: Mapping[str, Any]) -> str:
    """The finding's ``id`` (from the core), else ``rule@start-end`` (unique in a report)."""
    return str(f.get("id") or f"{f['rule']}@{f['start']}-{f['end']}")


@functools.lru_cache(maxsize=1)
def _text_speak() -> tuple[dict[str, str], frozenset[str]]:
    from .rules import concept_data

    meta = concept_data("hygiene")["rules"]["hygiene.text_speak"]
    return dict(meta["words"]), frozenset(meta.get("lowercase_only", ()))


def _placeholder(inner: str, context: Mapping[str, Any]) -> str | None:
    key = " ".join(inner.replace("_", " ").lower().split())
    company, person = context.get("company"), context.get("person")
    if key in COMPANY_WORDS or key.endswith("company name"):
        return company or None
    if person and (key in PERSON_WORDS or key.replace("'s", "").endswith("name")
                   and "your" not in key and "company" not in key):
        if key in ("surname", "last name", "last_name"):
            return person.split()[-1]
        if key in ("first name", "first_name"):
            parts = person.split()
            return parts[1] if len(parts) > 1 and parts[0].rstrip(".").lower() in (
                "mr", "ms", "mrs", "dr", "miss", "mx") else parts[0]
        return person
    return None


def _derived(f: Mapping[str, Any], text: str, context: Mapping[str, Any]) -> dict[str, Any] | None:
    start, end = int(f["start"]), int(f["end"])
    words = text[start:end]
    if not words:
        return None
    rule = f["rule"]
    if rule == "hygiene.placeholder":
        m = _INNER.match(words)
        value = _placeholder(m.group(1) if m else words, context)
        return {"start": start, "end": end, "replacement": value} if value else None
    if rule == "hygiene.text_speak":
        table, _ = _text_speak()
        expansion = table.get(words.lower())
        if expansion is None:
            return None
        if expansion.startswith("("):   # "(leave it out)": drop the word and a space
            if end < len(text) and text[end] == " ":
                end += 1
            elif start > 0 and text[start - 1] == " ":
                start -= 1
            return {"start": start, "end": end, "replacement": ""}
        before = text[:start].rstrip(" \t")
        starts_sentence = not before or before[-1] in ".!?\n"
        if words[:1].isupper() or starts_sentence:   # "Thx" -> "Thanks", "LMK" -> "Let me know"
            expansion = expansion[:1].upper() + expansion[1:]
        return {"start": start, "end": end, "replacement": expansion}
    if rule == "desperation.punctuation" and re.fullmatch(r"[!?]{2,}", words):
        return {"start": start, "end": end, "replacement": "?" if "?" in words else "."}
    return None


def fix_for(f: Mapping[str, Any], text: str, context: Mapping[str, Any] | None = None
            ) -> dict[str, Any] | None:
    """The fix of one finding (a finding dict of ``Report.to_dict()``), or None."""
    fix = f.get("fix")
    if isinstance(fix, Mapping) and "replacement" in fix:
        return {"start": int(fix["start"]), "end": int(fix["end"]),
                "replacement": str(fix["replacement"])}
    return _derived(f, text, context or {})


def fixes_for(findings: Iterable[Mapping[str, Any]], text: str,
              context: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """``{finding id: fix}`` for every finding that has one."""
    out = {}
    for f in findings:
        fix = fix_for(f, text, context)
        if fix is not None:
            out[finding_id(f)] = fix
    return out


def apply(text: str, fixes: Iterable[Mapping[str, Any]]) -> str:
    """``text`` with the fixes applied, last first; a fix that overlaps one already applied
    is skipped."""
    done_from = len(text) + 1
    for fix in sorted(fixes, key=lambda x: (int(x["start"]), int(x["end"])), reverse=True):
        start, end = int(fix["start"]), int(fix["end"])
        if not 0 <= start <= end <= len(text) or end > done_from:
            continue
        text = text[:start] + str(fix["replacement"]) + text[end:]
        done_from = start
    return text


def utf16(text: str, offset: int) -> int:
    """A character offset as a browser counts it (UTF-16 code units)."""
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)

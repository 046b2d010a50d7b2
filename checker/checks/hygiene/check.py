"""Hygiene: placeholders left in, generic or missing greeting, missing sign-off, text-speak.

Every rule but the two "missing" ones runs from ``rules.toml`` through the rule engine; a
rule with a ``section`` key lists its hits under that key of the report's section."""

from __future__ import annotations

import re

from ...rules import concept_data
from ...rules.engine import escalation, find, phrase_rules, scope_range


def _missing_greeting(ctx) -> None:
    if ctx.layout.greeting is None:
        first = re.search(r"\S", ctx.text)
        at = first.start() if first else 0
        ctx.emit("hygiene.missing_greeting", at, at)


def _missing_signoff(ctx) -> None:
    if ctx.layout.signature is None:
        end = len(ctx.text.rstrip())
        ctx.emit("hygiene.missing_signoff", end, end)


CUSTOM = {"missing_greeting": _missing_greeting, "missing_signoff": _missing_signoff}


def run(ctx):
    rules = concept_data("hygiene")["rules"]
    text = ctx.text
    listed: dict[str, list[dict]] = {
        meta["section"]: [] for meta in rules.values() if "section" in meta
    }
    for rule_id, meta in phrase_rules(rules):
        where = scope_range(meta["scope"], text, ctx.layout)
        if where is None:
            continue
        severity = escalation(meta, text, *where)
        for s, e, fmt in find(meta, text, *where):
            ctx.emit(rule_id, s, e, escalate=severity, **fmt)
            if "section" in meta:
                listed[meta["section"]].append({"start": s, "end": e, "text": fmt["text"]})
    for meta in rules.values():
        if meta["engine"] == "custom":
            CUSTOM[meta["check"]](ctx)
    return {
        **listed,
        "greeting": _span(text, ctx.layout.greeting),
        "signoff": _span(text, ctx.layout.signoff or ctx.layout.signature),
    }


def _span(text, span):
    if not span:
        return None
    return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}

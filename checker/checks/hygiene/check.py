"""Hygiene: placeholders left in, generic or missing greeting, missing sign-off, text-speak."""
from __future__ import annotations

import re

from ...rules import concept_data
from ...rules.phrases import compile_all, word_alternation


def run(ctx):
    rules = concept_data("hygiene")["rules"]
    text = ctx.text
    placeholders = []
    taken: list[tuple[int, int]] = []
    for rx in compile_all(tuple(rules["hygiene.placeholder"]["patterns"])):
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            ctx.emit("hygiene.placeholder", m.start(), m.end(), text=m.group())
            placeholders.append({"start": m.start(), "end": m.end(), "text": m.group()})

    greeting = ctx.layout.greeting
    if greeting:
        g_text = text[greeting[0]:greeting[1]]
        meta = rules["hygiene.generic_greeting"]
        for rx in compile_all(tuple(meta["patterns"])):
            if rx.search(g_text):
                warn = any(w.search(g_text) for w in compile_all(tuple(meta["warning_patterns"])))
                f = ctx.emit("hygiene.generic_greeting", *greeting, text=g_text.strip())
                if f is not None and warn and ctx.config.severity_for("hygiene.generic_greeting", None) is None:
                    ctx.findings[-1] = f.with_severity("warning")
                break
    else:
        first = re.search(r"\S", text)
        at = first.start() if first else 0
        ctx.emit("hygiene.missing_greeting", at, at)
    if ctx.layout.signature is None:
        end = len(text.rstrip())
        ctx.emit("hygiene.missing_signoff", end, end)

    meta = rules["hygiene.text_speak"]
    words = meta["words"]
    lower_only = set(meta["lowercase_only"])
    speak = []
    rx = word_alternation(tuple(words), r"(?<![\w'’.@/-])({words})(?![\w'’@/]|\.\w)")
    for m in rx.finditer(text):
        word = m.group(1)
        key = word.lower()
        if key in lower_only and word != key:
            continue
        ctx.emit("hygiene.text_speak", m.start(), m.end(), text=word, expansion=words[key])
        speak.append({"start": m.start(), "end": m.end(), "text": word})
    return {"placeholders": placeholders, "text_speak": speak,
            "greeting": _span(text, ctx.layout.greeting),
            "signoff": _span(text, ctx.layout.signoff or ctx.layout.signature)}


def _span(text, span):
    if not span:
        return None
    return {"start": span[0], "end": span[1], "text": text[span[0]:span[1]]}

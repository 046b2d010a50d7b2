"""Desperation signals: begging, neediness, self-deprecation, ultimatums, nagging,
over-apology, shouting, stacked punctuation and stacked intensifiers."""

from __future__ import annotations

import re

from ...rules import signals

WORD_RE = re.compile(r"[A-Za-z][A-Za-z&']*")
# Two capitals inside one WORD_RE word: needed for any word of two letters in capitals.
TWO_CAPITALS = re.compile(r"[A-Z][&']*[A-Z]")


def _shouting(text: str, lo: int, hi: int, meta: dict) -> list[tuple[str, int, int]]:
    if meta["min_letters"] >= 2 and not TWO_CAPITALS.search(text, lo, hi):
        return []  # no word in capitals at all (the common case)
    acronyms = {a.upper() for a in meta["acronyms"]}
    emphasis = set(meta["emphasis_words"])
    caps = []
    for m in WORD_RE.finditer(text, lo, hi):
        word = m.group()
        letters = [c for c in word if c.isalpha()]
        is_caps = len(letters) >= meta["min_letters"] and all(c.isupper() for c in letters)
        # "I" and "A" are capitals by nature; they may sit inside a shouted run.
        caps.append((m.start(), m.end(), word, is_caps or word in ("I", "A")))
    out = []
    i = 0
    while i < len(caps):
        if not caps[i][3] or caps[i][2] in ("I", "A"):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(caps)
            and caps[j + 1][3]
            and not re.search(r"\n\s*\n", text[caps[j][1] : caps[j + 1][0]])
        ):
            j += 1
        run = caps[i : j + 1]
        real = [w for w in run if w[2] not in ("I", "A") and _ordinary(w[2], meta, acronyms)]
        start, end = run[0][0], run[-1][1]
        if len(real) >= meta["min_run"] or (
            len(run) == 1 and real and real[0][2].lower() in emphasis
        ):
            # Take the trailing sentence punctuation with the run ("I NEED THIS.").
            while end < hi and text[end] in ".!?":
                end += 1
            out.append(("desperation.shouting", start, end))
        i = j + 1
    return out


def _ordinary(word: str, meta: dict, acronyms: set[str]) -> bool:
    """An ordinary English word in capitals (shouting), not an acronym ("NMC", "PIN")."""
    low = word.lower()
    if word.upper() in acronyms:
        return False
    return (
        low in meta["emphasis_words"]
        or low in meta["common_words"]
        or len(word) >= meta["min_word_letters"]
    )


def _message(text: str, lo: int, hi: int, meta: dict) -> list[tuple[str, int, int]]:
    return []  # scored after the signals (``signals.whole_message``): it reads the whole draft


# Rules data cannot express: name (the rule's ``check``) -> function(text, lo, hi, meta).
CUSTOM = {"shouting": _shouting, "message": _message}


def run(ctx):
    from .tone import load, load_message

    section = signals.run(ctx, "desperation", CUSTOM, tone=load)
    if ctx.config.enabled("desperation.message"):
        signals.whole_message(ctx, "desperation", section, load_message())
    return section

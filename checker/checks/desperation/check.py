"""Desperation signals: begging, neediness, self-deprecation, ultimatums, nagging,
over-apology, shouting, stacked punctuation and stacked intensifiers."""
from __future__ import annotations

import re

from ...rules import concept_data
from ...rules.engine import PHRASE_ENGINES, find, scope_range
from ...rules.phrases import fold, normalise_quotes, overlaps, trim

WORD_RE = re.compile(r"[A-Za-z][A-Za-z&']*")
# Two capitals inside one WORD_RE word: needed for any word of two letters in capitals.
TWO_CAPITALS = re.compile(r"[A-Z][&']*[A-Z]")


def _shouting(text: str, lo: int, hi: int, meta: dict) -> list[tuple[str, int, int]]:
    if meta["min_letters"] >= 2 and not TWO_CAPITALS.search(text, lo, hi):
        return []   # no word in capitals at all (the common case)
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
        while j + 1 < len(caps) and caps[j + 1][3] and not re.search(r"\n\s*\n", text[caps[j][1]:caps[j + 1][0]]):
            j += 1
        run = caps[i:j + 1]
        real = [w for w in run if w[2] not in ("I", "A") and _ordinary(w[2], meta, acronyms)]
        start, end = run[0][0], run[-1][1]
        if len(real) >= meta["min_run"] or (len(run) == 1 and real and real[0][2].lower() in emphasis):
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
    return (low in meta["emphasis_words"] or low in meta["common_words"]
            or len(word) >= meta["min_word_letters"])


def _tone(ctx, text: str, found: list[tuple[str, int, int]],
          meta: dict) -> dict[tuple[int, int], tuple[float, list[str]]]:
    """Sentences the learned tone model scores at or above the threshold that no other signal
    covers: span -> (probability, words that raised it)."""
    from .tone import body_sentences, load

    sents = body_sentences(ctx)
    if not found and len(sents) < meta["min_alone"]:
        return {}
    model = load()
    out = {}
    for sent in sents:
        span = trim(text, sent.start_char, sent.end_char)
        if span[0] >= span[1] or any(overlaps(span, (s, e)) for _, s, e in found):
            continue
        p, values = model.sentence_score(sent)
        if p >= meta["threshold"]:
            out[span] = (p, model.telling_words(values, meta["words"]))
    return out if found or len(out) >= meta["min_alone"] else {}


# Rules data cannot express: name (the rule's ``check``) -> function(text, lo, hi, meta).
CUSTOM = {"shouting": _shouting}


def run(ctx):
    data = concept_data("desperation")
    rules = data["rules"]
    levels = ctx.config.threshold("desperation.level")
    text = normalise_quotes(ctx.text)
    folded = fold(text)
    raw: list[tuple[str, int, int]] = []
    tone: dict[tuple[int, int], tuple[float, list[str]]] = {}
    for rule_id, meta in rules.items():
        engine = meta["engine"]
        lo, hi = scope_range(meta["scope"], text, ctx.layout)
        if engine in PHRASE_ENGINES:
            raw += [(rule_id, s, e) for s, e, _ in find(meta, text, lo, hi, folded)]
        elif meta["check"] == "tone":
            continue   # scored last: it skips sentences another signal already covers
        else:
            raw += CUSTOM[meta["check"]](text, lo, hi, meta)
    if ctx.config.enabled("desperation.tone"):
        tone = _tone(ctx, text, raw, dict(ctx.config.threshold("desperation.tone"),
                                          words=rules["desperation.tone"]["words"]))
        raw += [("desperation.tone", s, e) for s, e in tone]

    # One signal per span: drop exact duplicates and spans inside a longer span of the same rule.
    raw.sort(key=lambda s: (s[1], -(s[2] - s[1])))
    signals: list[tuple[str, int, int]] = []
    for rule, s, e in raw:
        if s >= e:
            continue
        if any(r == rule and ps <= s and e <= pe for r, ps, pe in signals):
            continue
        signals.append((rule, s, e))

    per_rule: dict[str, float] = {}
    for rule, _, _ in signals:
        per_rule[rule] = min(levels["cap"], per_rule.get(rule, 0.0) + rules[rule]["weight"])
    score = sum(per_rule.values())
    level = ("high" if score >= levels["high"] else "some" if score >= levels["some"] else "none")
    # A high level should stop a send: its signals are escalated (unless the user's config
    # sets a severity for the rule).
    escalate = levels["high_severity"] if level == "high" else None

    out = []
    for rule, s, e in signals:
        words = ctx.text[s:e]
        fmt = {"text": words, "words": " ".join(words.replace(",", " ").split())}
        if rule == "desperation.tone":
            p, telling = tone[(s, e)]
            fmt["why"] = (f"model score {p:.2f}" + (", words: " + ", ".join(
                f"\"{w}\"" for w in telling) if telling else ""))
        ctx.emit(rule, s, e, escalate=escalate, **fmt)
        signal = {"rule": rule, "start": s, "end": e, "text": words}
        if rule == "desperation.tone":
            signal["probability"] = round(tone[(s, e)][0], 3)
        out.append(signal)
    return {"detected": bool(out), "level": level, "score": round(score, 2), "signals": out}

"""Signal sections: a concept whose rules each flag spans ("signals") that add up to a level.

Desperation and hostility are both this shape.  ``run(ctx, concept, custom, tone)`` runs every
rule of the concept's ``rules.toml`` (phrase engines from data, ``custom`` functions by the
rule's ``check`` name), scores the sentences no rule covers with the concept's learned tone
model (a rule with ``check = "tone"``), keeps one signal per span, adds the rules' weights
into a score and a level (``[thresholds.level]``), and emits one finding per signal, raised to
the level's severity when the data says so.  It returns the report section::

    {"detected": bool, "level": "none" | "some" | "high", "score": float,
     "signals": [{"rule", "start", "end", "text"[, "probability"]}]}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import concept_data
from .engine import PHRASE_ENGINES, find, scope_range
from .phrases import fold, normalise_quotes, overlaps, trim

Custom = Callable[[str, int, int, dict], list[tuple[str, int, int]]]


def tone_sentences(ctx) -> list:
    """The sentences a tone model scores (and is trained on): body sentences after the
    greeting line that hold a word."""
    lo = ctx.layout.greeting[1] if ctx.layout.greeting else 0
    return [s for s in ctx.body_sents() if s.end_char > lo and any(t.is_alpha for t in s)]


def tone_signals(
    ctx, text: str, found: list[tuple[str, int, int]], model, settings: dict, sents: list
) -> dict[tuple[int, int], tuple[float, list[str]]]:
    """Sentences the tone model scores at or above ``settings["threshold"]`` that no other
    signal covers: span -> (probability, words that raised it).  In a draft with no other
    signal, at least ``settings["min_alone"]`` such sentences are needed."""
    if not found and len(sents) < settings["min_alone"]:
        return {}
    out = {}
    for sent in sents:
        span = trim(text, sent.start_char, sent.end_char)
        if span[0] >= span[1] or any(overlaps(span, (s, e)) for _, s, e in found):
            continue
        counts = sentence_counts(ctx, model, sent)
        p = model.score_counts(counts)  # = sentence_score's probability, without the values
        if p >= settings["threshold"]:
            values = model.sentence_score(sent, counts)[1]
            out[span] = (p, model.telling_words(values, settings["words"]))
    return out if found or len(out) >= settings["min_alone"] else {}


def run(
    ctx, concept: str, custom: dict[str, Custom], tone: Callable[[], Any] | None = None
) -> dict[str, Any]:
    """The section of a signal concept; ``tone`` loads its tone model (None: no model)."""
    rules = concept_data(concept)["rules"]
    levels = ctx.config.threshold(f"{concept}.level")
    text = normalise_quotes(ctx.text)
    folded = fold(text)
    raw: list[tuple[str, int, int]] = []
    tone_rule = None
    for rule_id, meta in rules.items():
        if not ctx.config.enabled(rule_id):
            continue  # a rule the user turned off neither signals nor counts
        engine = meta["engine"]
        where = scope_range(meta["scope"], text, ctx.layout)
        if where is None:
            continue
        if engine in PHRASE_ENGINES:
            raw += [(rule_id, s, e) for s, e, _ in find(meta, text, *where, folded)]
        elif meta["check"] == "tone":
            tone_rule = rule_id  # scored last: it skips sentences a signal already covers
        else:
            raw += custom[meta["check"]](text, *where, meta)
    scored: dict[tuple[int, int], tuple[float, list[str]]] = {}
    if tone_rule and tone is not None and ctx.config.enabled(tone_rule):
        settings = dict(ctx.config.threshold(f"{concept}.tone"), words=rules[tone_rule]["words"])
        scored = tone_signals(ctx, text, raw, tone(), settings, tone_sentences(ctx))
        raw += [(tone_rule, s, e) for s, e in scored]

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
    level = level_of(score, levels)
    # The data says what a level means for a send: a high level's signals are raised to
    # ``high_severity`` (unless the user's config sets a severity for the rule).
    escalate = levels.get("high_severity") if level == "high" else None

    out = []
    for rule, s, e in signals:
        words = ctx.text[s:e]
        fmt = {"text": words, "words": " ".join(words.replace(",", " ").split())}
        if rule == tone_rule:
            p, telling = scored[(s, e)]
            fmt["why"] = f"model score {p:.2f}" + (
                ", words: " + ", ".join(f"\"{w}\"" for w in telling) if telling else ""
            )
        ctx.emit(rule, s, e, escalate=escalate, **fmt)
        signal: dict[str, Any] = {"rule": rule, "start": s, "end": e, "text": words}
        if rule == tone_rule:
            signal["probability"] = round(scored[(s, e)][0], 3)
        out.append(signal)
    return {"detected": bool(out), "level": level, "score": round(score, 2), "signals": out}


def sentence_counts(ctx, model, sent) -> dict[str, float]:
    """One sentence's feature counts for ``model``, kept in ``ctx.cache`` for the draft.  Models
    with the same configuration and no character n-grams (the tone models and the desperation
    message model) share one full extraction; a model with character n-grams counts only the
    features it knows (``Model.extract_known``: the same counts for the features it scores),
    as a word yields dozens of n-grams the model never saw."""
    own = bool(model.config.get("char_ngrams"))
    key = (sent.start_char, sent.end_char, model.FORMAT if own else model.config_key)
    counts = ctx.cache.get(key)
    if counts is None:
        extract = model.extract_known if own else model.extract
        counts = ctx.cache[key] = extract([sent]).counts
    return counts


def level_of(score: float, levels: dict) -> str:
    """The level a section's score reaches (``[thresholds.level]``)."""
    return "high" if score >= levels["high"] else "some" if score >= levels["some"] else "none"


def sum_counts(per_sentence: list[dict[str, float]]) -> dict[str, float]:
    """A draft's feature counts as the sum of its sentences' (binary blocks see the same
    values as counting the sentences together)."""
    if not per_sentence:
        return {}
    out = dict(per_sentence[0])  # = 0.0 + c for each of its features
    get = out.get
    for counts in per_sentence[1:]:
        for name, c in counts.items():
            out[name] = get(name, 0.0) + c
    return out


def whole_message(ctx, concept: str, section: dict[str, Any], model) -> None:
    """The concept's whole-message model (rule ``<concept>.message``, threshold in
    ``[thresholds.message]``): a draft it scores at or above the threshold becomes one signal
    on the sentence that weighs most in the score (removing it lowers the score most), or on
    one no signal covers if such a one weighs at least ``free_share`` as much; its finding has
    the rule's severity and it adds the rule's weight to the section's score and level."""
    rule = f"{concept}.message"
    if not ctx.config.enabled(rule):
        return
    settings = ctx.config.threshold(f"{concept}.message")
    sents = [
        s for s in tone_sentences(ctx) if trim(ctx.text, s.start_char, s.end_char)[0] < s.end_char
    ]
    if not sents:
        return
    per = [sentence_counts(ctx, model, sent) for sent in sents]
    p = model.score_counts(sum_counts(per))
    if p < settings["threshold"]:
        return
    spans = [trim(ctx.text, x.start_char, x.end_char) for x in sents]
    taken = [(g["start"], g["end"]) for g in section["signals"]]
    # The sentence that weighs most: the one whose removal lowers the draft's score most.
    weight = [p - model.score_counts(sum_counts(per[:i] + per[i + 1 :])) for i in range(len(per))]
    # Among those no signal covers if one weighs at least ``free_share`` of the heaviest.
    k = max(range(len(per)), key=weight.__getitem__)
    least = weight[k] * settings["free_share"]
    free = [
        i
        for i, (s, e) in enumerate(spans)
        if weight[i] >= least and not any(x < e and s < y for x, y in taken)
    ]
    k = max(free, key=weight.__getitem__) if free else k
    s, e = spans[k]
    meta = concept_data(concept)["rules"][rule]
    ctx.emit(rule, s, e, text=ctx.text[s:e], score=p)
    section["signals"].append(
        {"rule": rule, "start": s, "end": e, "text": ctx.text[s:e], "probability": round(p, 3)}
    )
    section["signals"].sort(key=lambda g: (g["start"], -g["end"]))
    section["score"] = round(section["score"] + float(meta["weight"]), 2)
    section["level"] = level_of(section["score"], ctx.config.threshold(f"{concept}.level"))
    section["detected"] = True

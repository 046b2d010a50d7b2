"""Hostility signals: sarcasm, accusations, arguing with the decision, complaints about the
process, demands made as a right, condescension and threats, plus the learned hostility tone
model for sentences no phrase rule lists (``rules.toml``, run by ``checker.rules.signals``),
and the whole-message model (``hostility.message``) for drafts hostile as a whole."""
from __future__ import annotations

from ...rules import concept_data, signals
from ...rules.phrases import trim


def _message(text, lo, hi, meta):
    return []   # scored after the signals, below: it reads the whole draft


def run(ctx):
    from .tone import load

    section = signals.run(ctx, "hostility", {"message": _message}, tone=load)
    if ctx.config.enabled("hostility.message"):
        _whole_message(ctx, section)
    return section


def _whole_message(ctx, section: dict) -> None:
    """A draft the whole-message model scores at or above ``[thresholds.message]`` becomes one
    signal, on the sentence that weighs most in that score, unless a signal covers it."""
    from .tone import load_message, sum_counts

    model = load_message()
    settings = ctx.config.threshold("hostility.message")
    sents = [s for s in signals.tone_sentences(ctx)
             if trim(ctx.text, s.start_char, s.end_char)[0] < s.end_char]
    if not sents:
        return
    per = []
    for sent in sents:
        key = (sent.start_char, sent.end_char, model.config_key)
        counts = ctx.cache.get(key)
        if counts is None:
            counts = ctx.cache[key] = model.extract([sent]).counts
        per.append(counts)
    p = model.score_counts(sum_counts(per))
    if p < settings["threshold"]:
        return
    # The sentence that the model, reading it alone, finds most hostile, among those no
    # signal covers (all of them if every one is covered).
    spans = [trim(ctx.text, x.start_char, x.end_char) for x in sents]
    taken = [(g["start"], g["end"]) for g in section["signals"]]
    free = [i for i, (s, e) in enumerate(spans) if not any(x < e and s < y for x, y in taken)]
    k = max(free or range(len(sents)), key=lambda i: model.score_counts(per[i]))
    s, e = spans[k]
    meta = concept_data("hostility")["rules"]["hostility.message"]
    ctx.emit("hostility.message", s, e, text=ctx.text[s:e], score=p)
    section["signals"].append({"rule": "hostility.message", "start": s, "end": e,
                               "text": ctx.text[s:e], "probability": round(p, 3)})
    section["signals"].sort(key=lambda g: (g["start"], -g["end"]))
    section["score"] = round(section["score"] + float(meta["weight"]), 2)
    levels = ctx.config.threshold("hostility.level")
    section["level"] = ("high" if section["score"] >= levels["high"] else
                        "some" if section["score"] >= levels["some"] else "none")
    section["detected"] = True

"""Politeness of the body: a learned, calibrated score, a label, the strategies with their
spans, and the features that moved the score most.

The score is the probability from the linear model trained on the Stanford Politeness Corpus
(``models/politeness``; weights as JSON, a dot product over named features, no scikit-learn
here).  The corpus holds single requests, so only the body is scored: greeting and sign-off
lines, and an inline "Hi Mark," vocative, are left out.  ``[scoring] method`` (``rules.toml``)
says how: the body's sentences as one request ("body", shipped), or per-sentence log-odds
combined ("mean", "min", "mean_min"); the model card compares them on the development
drafts.  Labels come from thresholds in data.  Explanations group the feature contributions
(to the log-odds) by the words they came from.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from itertools import repeat
from operator import itemgetter, mul, truediv

from ...learned import Model, char_grams, doc_columns, sigmoid
from ...report import clip
from ...rules import concept_data
from .model import load
from .strategies import lexicon, softened, tokenize_phrase


def _data() -> dict:
    return concept_data("politeness")


def _hints() -> dict[str, str]:
    """Strategy name -> the style rule it raises (``strategy`` in the rule's data)."""
    return {meta["strategy"]: rid for rid, meta in _data()["rules"].items() if "strategy" in meta}


def _trim(span, greetings: list[tuple[str, ...]]):
    """Drop a leading vocative greeting ("Hi Mark,") from a sentence span."""
    toks = [t for t in span if not t.is_space]
    if not toks:
        return None
    doc_norms = doc_columns(span.doc)[0]
    norms = [doc_norms[t.i] for t in toks]
    for g in greetings:
        if tuple(norms[: len(g)]) == g:
            for k in range(len(g), min(len(toks), len(g) + 5)):
                if norms[k] in (",", ":", "!", "-", "\u2014"):
                    if k + 1 >= len(toks):
                        return None
                    return span.doc[toks[k + 1].i : toks[-1].i + 1]
            break
    return span.doc[toks[0].i : toks[-1].i + 1]


def scoring_spans(ctx) -> list:
    """Body sentences, clipped to the body, without inline greetings; words only."""
    data = _data()["scoring"]
    greetings = sorted(
        (tokenize_phrase(g) for g in data["inline_greetings"]), key=len, reverse=True
    )
    bs, be = ctx.body
    out = []
    for s in ctx.body_sents():
        a, b = max(s.start_char, bs), min(s.end_char, be)
        span = ctx.doc.char_span(a, b, alignment_mode="contract")
        if span is None or not any(t.is_alpha for t in span):
            continue
        span = _trim(span, greetings)
        if span is not None and any(t.is_alpha for t in span):
            out.append(span)
    return out


def combine(logits: list[float], method: str, min_weight: float) -> tuple[float, list[float]]:
    """Whole-body log-odds from sentence log-odds, and each sentence's weight in it."""
    n = len(logits)
    if method == "mean":
        lam = [1.0 / n] * n
    elif method == "min":
        lam = [0.0] * n
        lam[min(range(n), key=logits.__getitem__)] = 1.0
    elif method == "mean_min":
        lam = [(1.0 - min_weight) / n] * n
        lam[min(range(n), key=logits.__getitem__)] += min_weight
    else:
        raise ValueError(f"unknown politeness scoring method {method!r}")
    return sum(x * w for x, w in zip(logits, lam)), lam


def _shares(contrib: dict, names: list[str], weight: float, divisors) -> dict[str, float]:
    """Feature -> its contribution times ``weight``, divided by its divisor (the number of
    places it stands, or of times it was counted): what each place is credited with."""
    return dict(
        zip(
            names, map(truediv, map(mul, map(contrib.__getitem__, names), repeat(weight)), divisors)
        )
    )


def _units(scored, weight: float, text: str) -> dict[tuple, float]:
    """Group feature contributions into readable units with spans: strategies, words
    (unigram + its character n-grams), word pairs and sentence starts.  A feature's
    contribution is shared equally by its occurrences."""
    units: dict[tuple, float] = {}
    ex = scored.extracted
    contrib = scored.contributions
    occ = ex.occurrences
    n_occ = Counter(map(itemgetter(0), occ))
    # A feature the model does not know contributes nothing: it makes no unit.
    names = list(filter(contrib.__contains__, n_occ))
    share = _shares(contrib, names, weight, map(n_occ.__getitem__, names))
    get = units.get
    sget = share.get
    for name, a, b in occ:
        v = sget(name)
        if not v:
            continue
        kind = name[0]
        if kind == "s":
            key = ("strategy:" + name[2:], a, b)
        elif " " in name and not name.startswith(("w:<s> ", "p:<s> ")):
            key = ("words", a, b)
        else:
            key = ("word", a, b)  # "starts with Why" is told as the word "Why"
        units[key] = get(key, 0.0) + v
    # A word's character n-grams: their contributions (zero ones add nothing to the sum).
    if ex.blocks is not None:
        counts = ex.blocks.get("c", {})
        char_share = _shares(contrib, list(counts), weight, counts.values())
    else:
        char_share = {
            name: c * weight / ex.counts[name]
            for name, c in contrib.items()
            if c and name[0] == "c"
        }
    if char_share:
        lo, hi = ex.char_range
        cget = char_share.get
        zero = repeat(0.0)
        for word, spans in ex.word_spans.items():
            v = sum(map(cget, char_grams(word, lo, hi), zero))
            if v:
                for a, b in spans:
                    units[("word", a, b)] = get(("word", a, b), 0.0) + v
    return units


def _merge_same_span(units: dict[tuple, float]) -> dict[tuple, float]:
    """Words inside a strategy's span are told once, as the strategy ("Thank" and "Thank
    you" become the gratitude strategy "Thank you").  The smallest containing span wins
    (then the earliest, then the name).  Strategies are looked up by start (bisection over
    the few that can contain a unit), so the work grows with the units, not units times
    strategies."""
    strat = sorted(
        (key for key in units if key[0][0] == "s"),  # "strategy:..."
        key=lambda k: (k[1], k[2], k[0]),
    )
    if not strat:
        return dict(units)
    starts = [k[1] for k in strat]
    longest = max(k[2] - k[1] for k in strat)
    rank = {k: (k[2] - k[1], k[1], k[0]) for k in strat}
    left, right = bisect.bisect_left, bisect.bisect_right
    out: dict[tuple, float] = {}
    get = out.get
    first = starts[0]
    for key, w in units.items():
        a = key[1]
        if a >= first and key[0][0] != "s":
            hosts = [
                k for k in strat[left(starts, a - longest) : right(starts, a)] if key[2] <= k[2]
            ]
            if hosts:
                key = min(hosts, key=rank.__getitem__) if len(hosts) > 1 else hosts[0]
        out[key] = get(key, 0.0) + w
    return out


@functools.lru_cache(maxsize=1)
def _reason_vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Words that carry politeness on their own (the sentiment lists and one-word strategy
    phrases such as "please", not "today" of "by today"), text-speak, and function words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    lex = lexicon()
    words = (
        lex.positive
        | lex.negative
        | frozenset(
            seq[0]
            for index in lex.phrases.values()
            for seqs in index.values()
            for seq in seqs
            if len(seq) == 1
        )
    )
    text_speak = frozenset(concept_data("hygiene")["rules"]["hygiene.text_speak"]["words"])
    return words, text_speak, frozenset(STOP_WORDS)


@functools.lru_cache(maxsize=8192)
def _telling(strategy: bool, words: str) -> bool:
    """A unit worth giving as a reason: a strategy, or words of which one carries politeness
    on its own; never only function words, a filler word such as "food" that the corpus
    happened to weight, or text-speak ("thx" is a hygiene finding, not a reason the draft
    reads polite)."""
    polite, text_speak, function = _reason_vocabulary()
    tokens = "".join(c if c.isalnum() or c == "'" else " " for c in words.lower()).split()
    if any(t in text_speak for t in tokens) or all(t in function for t in tokens):
        return False
    return strategy or any(t in polite for t in tokens)


def explain(units: dict[tuple, float], text: str, limit: int, min_weight: float) -> list[dict]:
    """The units that moved the score most: each names a span and appears once (the same
    words at two places are told once, at the first), and none is a filler word."""
    units = _merge_same_span(units)
    out = []
    told: set[str] = set()
    items = list(units.items())
    # Largest |weight| first, ties in insertion order (a stable sort, reversed stably).
    weights = list(map(abs, units.values()))
    for k in sorted(range(len(items)), key=weights.__getitem__, reverse=True):
        (feature, a, b), w = items[k]
        if len(out) >= limit or abs(w) < min_weight:
            break
        words = text[a:b]
        key = " ".join(words.lower().split())
        if key in told or not _telling(feature.startswith("strategy:"), words):
            continue
        told.add(key)
        if feature == "word":
            feature = "word:" + words.lower()
        elif feature == "words":
            feature = "words:" + key
        elif feature == "start":
            feature = "start:" + words.lower()
        direction = "more_polite" if w > 0 else "less_polite"
        what = (
            f"starting a sentence with '{words}'" if feature.startswith("start:") else f"'{words}'"
        )
        out.append(
            {
                "feature": feature,
                "start": a,
                "end": b,
                "text": words,
                "weight": round(w, 3),
                "direction": direction,
                "explanation": f"{what} makes this {'more' if w > 0 else 'less'} polite",
            }
        )
    return out


def score_body(ctx, model: Model | None = None, method: str | None = None) -> dict:
    """Score the body: probability, log-odds, per-sentence scores and explanation units."""
    model = model or load()
    cfg = _data()["scoring"]
    method = method or cfg["method"]
    spans = scoring_spans(ctx)
    if not spans:
        p = sigmoid(model.logit_from_raw(model.bias))
        return {"score": p, "sentences": [], "units": {}, "strategies": [], "spans": []}
    if method == "body":
        whole = model.score_sents(spans)
        scored, lam, logit = [whole], [1.0], whole.logit
        sent_info = [
            {
                "start": spans[0].start_char,
                "end": spans[-1].end_char,
                "score": round(whole.probability, 3),
            }
        ]
    else:
        scored = [model.score_sents([s]) for s in spans]
        logit, lam = combine([s.logit for s in scored], method, float(cfg["min_weight"]))
        sent_info = [
            {"start": sp.start_char, "end": sp.end_char, "score": round(s.probability, 3)}
            for sp, s in zip(spans, scored)
        ]
    units: dict[tuple, float] = {}
    strategies = []
    for s, w in zip(scored, lam):
        for key, v in _units(s, w, ctx.text).items():
            units[key] = units.get(key, 0.0) + v
        strategies.extend(s.extracted.strategies)
    return {
        "score": sigmoid(logit),
        "logit": logit,
        "sentences": sent_info,
        "units": units,
        "strategies": strategies,
        "spans": spans,
    }


def label_for(score: float, labels: dict) -> str:
    if score >= float(labels["polite_min"]):
        return "polite"
    if score <= float(labels["impolite_max"]):
        return "impolite"
    return "neutral"


def _pulls(ctx, labels: dict) -> list[dict]:
    """The signals that make a draft impolite whatever its score: hostility and pressure
    (``impolite_signals``: rule ids or whole categories): the phrase rules' first (they name
    the words), then the learned models' (a sentence or a whole message), hostile ones first
    within each."""
    wanted = tuple(labels.get("impolite_signals", ()))
    sure = float(labels.get("min_model_probability", 0.0))
    whole = tuple(labels.get("whole_message_rules", ()))
    out = []
    for section in ("hostility", "desperation"):
        for sig in (ctx.sections.get(section) or {}).get("signals", []):
            rule = sig["rule"]
            if any(rule == w or rule.startswith(w + ".") for w in wanted) and (
                rule in whole or sig.get("probability", 1.0) >= sure
            ):
                out.append(sig)
    out.sort(key=lambda sig: "probability" in sig)  # stable: phrase rules first
    return out


def run(ctx):
    data = _data()
    labels = ctx.config.threshold("politeness.labels")
    model = load()
    res = score_body(ctx)
    score = round(res["score"], 3)  # the report's number; messages and label agree with it
    label = label_for(score, labels)
    # An email-level label: hostility and pressure make a draft impolite, and begging (a
    # desperation level in ``never_polite_levels``) keeps it from reading as polite.
    pressure = _pulls(ctx, labels)
    if pressure and label != "impolite":
        label = "impolite"
    level = (ctx.sections.get("desperation") or {}).get("level")
    if label == "polite" and level in labels.get("never_polite_levels", ()):
        label = "neutral"
    top = explain(
        res["units"],
        ctx.text,
        int(data["scoring"]["top_features"]),
        float(data["scoring"]["min_feature_weight"]),
    )
    bs, be = ctx.body
    body = ctx.text[bs:be]
    span = (bs + len(body) - len(body.lstrip()), bs + len(body.rstrip()))
    if label == "impolite":
        worst, seen = [], []
        for f in top:
            if f["direction"] == "less_polite" and not any(
                a <= f["start"] and f["end"] <= b or f["start"] <= a and b <= f["end"]
                for a, b in seen
            ):
                seen.append((f["start"], f["end"]))
                worst.append(f"'{clip(f['text'], 40)}'")
        worst = worst[:3]
        message = None
        if pressure:
            worst = [f"'{clip(sig['text'], 40)}'" for sig in pressure][:2]
            message = concept_data("politeness")["rules"]["politeness.impolite"]["message_pressure"]
        reasons = (
            (
                " and ".join([", ".join(worst[:-1]), worst[-1]] if len(worst) > 1 else worst)
                + (" makes" if len(worst) == 1 else " make")
                + " it less polite"
            )
            if worst
            else ("no word of thanks or request")
        )
        where = (pressure[0]["start"], pressure[0]["end"]) if pressure else span
        ctx.emit("politeness.impolite", *where, message=message, score=score, reasons=reasons)
    elif label == "neutral":
        ctx.emit("politeness.neutral", *span, score=score)
    lex = lexicon()
    hints = _hints()
    call = (ctx.sections.get("elements") or {}).get("call_heads_up") or {}
    for m in res["strategies"]:
        rule = hints.get(m.name)
        if not rule:
            continue
        if call.get("present") and call["start"] <= m.start and m.end <= call["end"]:
            continue  # "Expect a call from me around the 14th" is the heads-up, not an order
        if m.name == "bare_command":
            sent = ctx.doc[m.i : m.j].sent
            if softened(sent, lex):
                continue
            ctx.emit(rule, m.start, m.end, text=ctx.text[m.start : m.end], verb=ctx.doc[m.i].lower_)
        else:
            ctx.emit(rule, m.start, m.end, text=ctx.text[m.start : m.end])
    return {
        "score": score,
        "label": label,
        # Offsets index ctx.text (the parse may see normalised quotes; the words come
        # from the exact input).
        "strategies": [
            {"name": m.name, "start": m.start, "end": m.end, "text": ctx.text[m.start : m.end]}
            for m in res["strategies"]
        ],
        "top_features": top,
        "sentences": res["sentences"],
        "method": data["scoring"]["method"],
        "thresholds": {"polite_min": labels["polite_min"], "impolite_max": labels["impolite_max"]},
        "model": {
            "name": "politeness-linear",
            "trained": model.meta.get("trained"),
            "card": "models/politeness/card.md",
        },
    }

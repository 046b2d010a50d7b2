"""Proofread: the wrong company, a misspelt name, typos, confusables, a date that does not
exist, with the fixes that are certain.

The name and company rules compare the note with the employer it goes to (options ``to``,
``person``, ``role``; the contact log's employer, person and role and its other employers).
``proofread.spelling`` asks pyspellchecker with a compact Hunspell en_US + en_GB word file
(``speller.py``, loaded on first use).  Confusables are decided from the parse.  A finding
whose fix is certain carries ``fix`` (``report.Fix``); this check also gives fixes to earlier
findings the draft's context can settle: a placeholder the log fills (``[Company]``), text-speak
with a plain expansion, a run of one punctuation mark ("!!!").
"""

from __future__ import annotations

import re

from ...fixes import text_hash
from ...report import Fix
from ...rules import concept_data
from . import confusables, dates
from .names import check_names, facts, greeting_span, inconsistent
from .words import Word, as_set, match_case, scan

REPEAT = re.compile(r"\b([^\W\d_]+)([ \t]+)(\1)\b", re.IGNORECASE)
# Counterparts of British and American spellings, tried in turn (colour / color ...).
UK_US = (
    ("our", "or"),
    ("tre", "ter"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("ogue", "og"),
    ("ence", "ense"),
    ("ae", "e"),
    ("oe", "e"),
    ("mme", "m"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
)


def run(ctx):
    if ctx.doc is None:
        return None
    data = concept_data("proofread")
    titles = as_set(data["names"]["titles"])
    f = facts(ctx, titles)
    speller = _Lazy()
    words = scan(ctx, _plain(speller(), data["spelling"]["apostrophes"]))
    # Words an earlier check already flags (text-speak, placeholders) are not flagged again.
    flagged: set[tuple[int, int]] = {
        (x.start, x.end) for x in ctx.findings if x.rule in data["spelling"]["flagged_elsewhere"]
    }
    check_names(ctx, f, words, data["names"], flagged)
    user_words = {w.lower() for w in ctx.config.proofread.get("words", ())}
    allow = as_set(data["spelling"]["allow"])
    if user_words or f.names:
        allow = allow | user_words | f.names
    variant = _spelling(ctx, words, f, data, flagged, allow, speller)
    # Words in the frequency list are common words, not names ("Form" / "From").
    inconsistent(ctx, f, words, lambda w: speller().common(w), flagged)
    confusables.check(ctx, data["confusables"], flagged)
    _repeated(ctx, data["repeated"], flagged)
    dates.check(ctx, data["dates"])
    _fix_earlier(ctx, f)
    return {
        "text_sha256": text_hash(ctx.text),
        "variant": variant,
        "addressee": {
            "company": f.company,
            "person": f.person.raw if f.person else None,
            "role": f.role,
        },
        "fixable": sum(1 for x in ctx.findings if x.fix is not None),
    }


_PLAIN: dict[int, frozenset[str]] = {}


def _plain(sp, apostrophes: dict) -> frozenset[str]:
    """The common lower-case words that need no look beyond "known": not a US-only or
    UK-only spelling, not a missing apostrophe (built once per speller)."""
    key = id(sp)
    if key not in _PLAIN:
        _PLAIN[key] = sp.top - sp.us - sp.uk - set(apostrophes)
    return _PLAIN[key]


class _Lazy:
    """The speller, loaded only when a word needs it."""

    def __init__(self):
        self._sp = None

    def __call__(self):
        if self._sp is None:
            from .speller import get_speller

            self._sp = get_speller()
        return self._sp


def _in(span, w: Word) -> bool:
    return bool(span) and span[0] <= w.start < span[1]


def _spelling(ctx, words: list[Word], f, data, flagged, allow, speller) -> str | None:
    """proofread.spelling and proofread.mixed_spelling; returns the note's variety
    ("us", "uk", "mixed" or None)."""
    conf = data["spelling"]
    th = ctx.config.threshold("proofread.spelling")
    apostrophes = conf["apostrophes"]
    on = ctx.config.enabled("proofread.spelling")
    greeting, signature = greeting_span(ctx), ctx.layout.signature
    # A capitalised word used mid-sentence anywhere is a name wherever it appears.
    names = {w.lower for w in words if w.capitalised and not w.sent_start}
    seen: dict[str, list[Word]] = {"us": [], "uk": []}
    sp = speller()
    top, us, uk = sp.top, sp.us, sp.uk
    for w in words:
        low = w.lower
        if low in top and not w.capitalised and not w.skip and low not in apostrophes:
            if low in us or low in uk:  # the commonest case, the shortest path
                seen["us" if low in us else "uk"].append(w)
            continue
        if w.skip or (w.start, w.end) in flagged:
            continue
        if low in apostrophes and low not in allow and w.text[1:].islower():
            if on:
                right = apostrophes[low]
                fixed = right if right[:2] in ("I'", "I ") else match_case(w.text, right)
                flagged.add((w.start, w.end))
                ctx.emit(
                    "proofread.spelling",
                    w.start,
                    w.end,
                    text=w.text,
                    advice=f"Write \"{fixed}\".",
                    fix=Fix(w.start, w.end, fixed),
                )
            continue
        if len(low) < th["min_length"]:
            continue
        capital_start = False
        if w.capitalised:
            if (
                not w.sent_start
                or not w.text[1:].islower()
                or low in names
                or _in(greeting, w)
                or _in(signature, w)
            ):
                continue
            # An unknown capitalised word that starts a sentence may be a name ("Kwame"): it
            # is flagged only when it is one slip from a common word ("Thnak").
            capital_start = True
        elif not w.text.islower():
            continue
        if low in allow:
            continue
        if sp.known(low):
            v = sp.variant(low)
            if v:
                seen[v].append(w)
            continue
        if "'" in low and (sp.known(low.split("'")[0]) or low.split("'")[0] in allow):
            continue
        if not on:
            continue
        corr = sp.correct(low, th["min_ratio"], th["max_length_distance2"])
        if capital_start and (
            corr is None or not corr.confident or sp.count(corr.word) < th["propn_min_count"]
        ):
            continue
        fix = None
        if corr is None:
            advice = "Check the spelling, or add the word to `[proofread] words` in your config."
        else:
            right = match_case(w.text, corr.word)
            advice = f"Did you mean \"{right}\"?"
            if corr.confident:
                fix = Fix(w.start, w.end, right)
        flagged.add((w.start, w.end))
        ctx.emit("proofread.spelling", w.start, w.end, text=w.text, advice=advice, fix=fix)
    if seen["us"] and seen["uk"]:
        us, uk = seen["us"], seen["uk"]
        minority, major = (
            (us, "uk")
            if len(us) < len(uk) or (len(us) == len(uk) and us[0].start > uk[0].start)
            else (uk, "us")
        )
        names_ = {"us": "American", "uk": "British"}
        minor = "us" if major == "uk" else "uk"
        w = minority[0]
        example = (seen[major][0]).text
        alt = _counterpart(w.lower, speller(), major)
        ctx.emit(
            "proofread.mixed_spelling",
            w.start,
            w.end,
            text=w.text,
            variant=names_[minor],
            other=names_[major],
            example=example,
            alternative=(f"\"{match_case(w.text, alt)}\" ({names_[major]}), as in \"{example}\"")
            if alt
            else f"{names_[major]} spelling throughout",
        )
        return "mixed"
    return "us" if seen["us"] else "uk" if seen["uk"] else None


def _counterpart(word: str, sp, want: str) -> str | None:
    pairs = UK_US if want == "us" else tuple((b, a) for a, b in UK_US)
    for a, b in pairs:
        i = word.find(a)
        while i >= 0:
            cand = word[:i] + b + word[i + len(a) :]
            if sp.known(cand) and sp.variant(cand) != ("uk" if want == "us" else "us"):
                return cand
            i = word.find(a, i + 1)
    return None


def _repeated(ctx, data, flagged) -> None:
    allow = as_set(data["allow"])
    text = ctx.text
    for m in REPEAT.finditer(text):
        word = m.group(1)
        if word.lower() in allow or word != m.group(3) and word.lower() != m.group(3).lower():
            continue
        s, e = m.start(), m.end()
        if (m.start(3), m.end(3)) in flagged:
            continue
        flagged.add((m.start(3), m.end(3)))
        ctx.emit(
            "proofread.repeated_word", s, e, word=word.lower(), fix=Fix(m.end(1), m.end(3), "")
        )


def _fix_earlier(ctx, f) -> None:
    """Fixes for the findings of earlier checks that this draft's context makes certain."""
    data = concept_data("proofread")["fixes"]
    slots = {"company": f.company, "person": f.person.raw if f.person else None, "role": f.role}
    expansions = data["text_speak"]
    for i, x in enumerate(ctx.findings):
        if x.fix is not None:
            continue
        span = ctx.text[x.start : x.end]
        fix = None
        if x.rule == "hygiene.placeholder":
            inner = " ".join(re.sub(r"[^a-z]", " ", span.lower()).split())
            if any(own in inner.split() for own in data["placeholder_own"]):
                continue
            for slot, cues in data["placeholder_slots"].items():
                if slots.get(slot) and any(f" {c} " in f" {inner} " for c in cues):
                    fix = Fix(x.start, x.end, slots[slot])
                    break
        elif x.rule == "hygiene.text_speak":
            plain = expansions.get(span.lower())
            if plain:
                fixed = match_case(span, plain)
                if _starts_sentence(ctx.text, x.start):  # "Hi Tom,\n\nthx" -> "Thanks"
                    fixed = fixed[:1].upper() + fixed[1:]
                fix = Fix(x.start, x.end, fixed)
        elif x.rule == "desperation.punctuation" and len(set(span)) == 1:
            fix = Fix(x.start, x.end, span[0])
        if fix is not None:
            ctx.findings[i] = x.with_fix(fix)


def _starts_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` begins a sentence or a line (after ".", "!", "?", a line
    break, or nothing)."""
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in ".!?\n"

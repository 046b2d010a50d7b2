"""The speed-ups must not change a single result.

- ``checker.attrules`` stands in for spaCy's ``attribute_ruler``: the annotations (tag, part
  of speech, morphology, lemma, dependency, head) must equal those of the stock pipeline.
- ``_match.PhraseSet`` skips a pattern when a literal it needs is absent from the text: the
  matches must equal those of running every pattern.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import attrules
from checker.nlp import MODEL, get_nlp
from checker.rules import concept_data
from checker.rules.phrases import compile_all, fold, phrase_set, required_literals

ROOT = Path(__file__).resolve().parents[1]

# Texts that exercise every kind of attribute rule: the tag map, "gonna" / "gotta" /
# "let's" / "c'mon" / "y'all" / "ain't", "there is" (expletive), pronoun case by
# dependency, auxiliaries, "but" as an adverb, whitespace tokens, determiners as pronouns.
TEXTS = [
    "I'm gonna call you next week, and I gotta say let's c'mon y'all, it ain't over.",
    "There is a role I like. There's a team, and there are two managers.",
    "I saw you and it; you saw me, and it saw them. Give it to me, not to I.",
    "He gets it.  She got it.\n\nThey have done it, did they? Does she? I had.",
    "That was all but over. Which one? This is that.  Those who wait  ",
    "Thank you for your time!!! Could you please send the forms?\n\nBest,\nAmy",
    "",
    "   \n\n  ",
    "THANKS SO MUCH!! i rly need this job lol :) \u2014 \u00e9\u00e8 caf\u00e9 na\u00efve",
]


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(MODEL, exclude=["ner"])


def _corpus_texts() -> list[str]:
    texts = list(TEXTS)
    for path in sorted((ROOT / "data").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line).get("text", ""))
    for path in sorted((ROOT / "data" / "examples").glob("*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
    return texts


def test_the_shared_pipeline_uses_the_fast_ruler():
    nlp = get_nlp()
    assert isinstance(nlp.get_pipe("attribute_ruler"), attrules.FastAttributeRuler)
    assert nlp.pipe_names.index("attribute_ruler") > nlp.pipe_names.index("parser")


def test_fast_ruler_gives_the_stock_annotations(stock):
    fast = spacy.load(MODEL, exclude=["ner"])
    assert attrules.speed_up(fast)
    texts = _corpus_texts()
    assert len(texts) > 300
    for a, b, text in zip(stock.pipe(texts), fast.pipe(texts), texts):
        assert _annotations(a) == _annotations(b), text[:80]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("abcdefghijklmnopqrstuvwxyz'IYGLC .,!?\n-")
            + [
                "gon",
                "na",
                "got",
                "ta",
                "let",
                "'s",
                "c'm",
                "on",
                "y'",
                "all",
                "ai",
                "n't",
                "there",
                "is",
                "'re",
                "were",
                "but",
                "I",
                "you",
                "it",
                "do",
                "had",
                "that",
                "which",
                "  ",
                "\n\n",
                " ",
            ]
            * 2
        ),
        max_size=40,
    ).map("".join)
)
def test_fast_ruler_matches_stock_on_random_text(stock, text):
    fast = _fast_pipeline()
    assert _annotations(stock(text)) == _annotations(fast(text))


_FAST = None


def _fast_pipeline():
    global _FAST
    if _FAST is None:
        _FAST = spacy.load(MODEL, exclude=["ner"])
        attrules.speed_up(_FAST)
    return _FAST


def test_unsupported_rules_leave_spacy_ruler_in_place():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "hi", "OP": "+"}]], {"TAG": "UH"})
    assert attrules.speed_up(nlp) is False
    assert nlp.get_pipe("attribute_ruler") is ruler
    assert attrules.speed_up(spacy.blank("en")) is False  # no ruler at all


# -- literal prefilter ------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern, needed",
    [
        (r"\bplease,? please\b", {" please"}),
        (r"\bi (?:really )*need this\b", {"need this"}),
        (r"\b(?:beg|plead)ging\b", {"ging"}),
        (r"\b(?:i'?m|i am) begging\b", {" begging"}),
        (r"\b(?:so|very) sorry\b", {" sorry"}),
        (r"\b(?:sorry|apologies)\b", {"sorry", "apologies"}),
        (r"[a-z]+ly\b", {"ly"}),
        (r"[a-z]+\b", None),
        (r"(?<!not )\bhappy\b", {"happy"}),
        (r"(?:x)?y?", None),
        (r"\bwork (?:\w+ ){0,3}for free\b", {"for free"}),
        (r"ab{2}cd", {"cd"}),
        (r"ab{x|yz", {"ab", "yz"}),
        (r"(?i)hello", None),
        (r"hi|hello", {"hi", "hello"}),
        (r"\b(?:biased|discriminat\w*)\b", {"biased", "discriminat"}),
        (r"\bgreed\b|\b(?:your|their) soul\b", {"greed", " soul"}),
        (r"hi|[a-z]+", None),
        (r"(?!nope)\bfine\b", {"fine"}),
    ],
)
def test_required_literals(pattern, needed):
    got = required_literals(pattern)
    assert (None if got is None else set(got)) == needed


def _all_rule_patterns() -> list[tuple[str, ...]]:
    out = []
    for meta in concept_data("desperation")["rules"].values():
        for key in ("patterns", "strong"):
            if key in meta:
                out.append(tuple(meta[key]))
    return out


def _rule_example_texts() -> list[str]:
    import tomllib

    texts = []
    for path in sorted((ROOT / "tests" / "rule_examples").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.values():
            if isinstance(entry, dict):
                for key in ("trigger", "clean"):
                    texts.extend(t for t in entry.get(key, []) if isinstance(t, str))
    return texts


def test_prefilter_finds_every_match_of_every_pattern():
    texts = _rule_example_texts() + _corpus_texts()
    assert len(texts) > 300
    for patterns in _all_rule_patterns():
        ps = phrase_set(patterns)
        for text in texts:
            folded = fold(text)
            want = [(m.start(), m.end()) for rx in compile_all(patterns) for m in rx.finditer(text)]
            assert [(m.start(), m.end()) for m in ps.finditer(text, folded)] == want
            assert ps.search(text, folded) == bool(want)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("PLEASEplease SORRYsorry beg need this job ,.!?'\u0130\u0131\u017f\u212a\u00c9")
        ),
        max_size=60,
    )
)
def test_prefilter_agrees_with_plain_regex_on_odd_case(text):
    # The four non-ASCII letters that IGNORECASE matches to ASCII ones must not hide a match.
    for patterns in _all_rule_patterns():
        ps = phrase_set(patterns)
        want = any(re.compile(p, re.IGNORECASE).search(text) for p in patterns)
        assert ps.search(text, fold(text)) == want


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "A",
                "B",
                "I",
                "NEED",
                "THIS",
                "job",
                "AT&T",
                "O'NEIL",
                "&",
                "'",
                " ",
                "\n\n",
                ".",
                "!",
                "so",
                "SO",
                "Please",
                "PLEASE",
                "x",
                "Q",
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_shouting_prefilter_changes_nothing(text):
    from checker.checks.desperation import check as desperation

    meta = concept_data("desperation")["rules"]["desperation.shouting"]
    fast = desperation._shouting(text, 0, len(text), meta)
    saved = desperation.TWO_CAPITALS
    desperation.TWO_CAPITALS = re.compile("")  # matches everywhere: prefilter off
    try:
        assert desperation._shouting(text, 0, len(text), meta) == fast
    finally:
        desperation.TWO_CAPITALS = saved


def test_check_many_in_two_processes_gives_the_same_reports():
    # The pipeline with the drop-in ruler goes to spaCy's worker processes as it is.
    import checker

    texts = [t for t in TEXTS if t.strip()] * 2
    one = [r.to_dict() for r in checker.check_many(texts)]
    two = [r.to_dict() for r in checker.check_many(texts, n_process=2)]
    assert one == two


def test_bulk_load_leaves_the_collector_as_it_found_it():
    import gc

    from checker.startup import bulk_load

    assert gc.isenabled()
    with bulk_load():
        assert not gc.isenabled()
        junk = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() >= len(junk)
    gc.disable()
    try:
        with bulk_load():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
    with pytest.raises(RuntimeError):
        with bulk_load():
            raise RuntimeError("load failed")
    assert gc.isenabled()  # re-enabled after a failed load too

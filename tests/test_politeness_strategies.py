"""Politeness strategies on spaCy's parse (no model weights needed)."""

import pytest

from checker.checks.politeness.strategies import strategies
from checker.nlp import get_nlp


def names(text):
    return [m.name for m in strategies(get_nlp()(text))]


def found(text):
    return {(m.name, m.text) for m in strategies(get_nlp()(text))}


@pytest.mark.parametrize(
    "text, name, span",
    [
        ("Could you please take a look?", "counterfactual", "Could you"),
        ("Could you please take a look?", "please", "please"),
        ("Please send me the file.", "please_start", "Please"),
        ("Thanks so much for your help.", "gratitude", "Thanks"),
        ("I appreciate your time.", "gratitude", "appreciate"),
        ("Sorry to bother you again.", "apology", "Sorry"),
        ("To my knowledge, the page was moved.", "hedges", "To my knowledge"),
        ("I think it might work.", "hedges", "think"),
        ("Great work on the article.", "deference", "Great work"),
        ("Nice, the article is done.", "deference", "Nice"),
        ("I think you are right.", "deference", "you are right"),
        ("You're right about the date.", "deference", "You're right"),
        ("Actually, the answer is wrong.", "factuality", "Actually"),
        ("Why did you delete it?", "direct_question", "Why"),
        ("So what do you think?", "direct_start", "So"),
        ("I wrote the first draft.", "first_person_start", "I"),
        ("The draft is mine.", "first_person", "mine"),
        ("You deleted the page.", "second_person_start", "You"),
        ("Can you check it?", "indicative", "Can you"),
        ("Hello, can you check it?", "greeting", "Hello"),
        ("By the way, the link is broken.", "by_the_way", "By the way"),
        ("Take a look now.", "bare_command", "Take a look now"),
        ("This is not good.", "negative", "good"),
        ("This is not bad at all.", "positive", "bad"),
        ("That was a wonderful talk.", "positive", "wonderful"),
        (
            "Why haven't you called me back?",
            "demanding_question",
            "Why haven't you called me back?",
        ),
        ("You should hire me.", "obligation", "You should"),
    ],
)
def test_strategy_found(text, name, span):
    assert (name, span) in found(text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Could you take a look?", "bare_command"),
        ("Let me know if you need anything.", "bare_command"),
        ("Have a great weekend.", "bare_command"),
        ("I will take a look.", "bare_command"),
        ("Would you like to meet?", "indicative"),
        ("Can I help?", "counterfactual"),
        ("Good morning, I hope you are well.", "deference"),
        ("I wrote it.", "first_person"),  # the start has its own variant
        ("It was great meeting you.", "negative"),
        ("When you have a moment, could you reply?", "demanding_question"),
    ],
)
def test_strategy_not_found(text, name):
    assert name not in names(text)


def test_spans_index_the_text():
    text = "Hi Ms. Lee,\n\nCould you please send the notes? Thanks!\n"
    doc = get_nlp()(text)
    for m in strategies(doc):
        assert text[m.start : m.end] == m.text


def test_an_ultimatum_makes_the_label_impolite_but_keeps_the_model_score():
    import checker
    from checker.checks.politeness.model import load

    text = (
        "Mr. Ortiz,\n\nIt has been a week since my interview. I expect a decision by Friday, "
        "otherwise I will have to accept another offer.\n\nRegards,\nKim"
    )
    d = checker.check(text).to_dict()
    assert d["politeness"]["label"] == "impolite"
    assert d["politeness"]["score"] > d["politeness"]["thresholds"]["impolite_max"]
    finding = next(f for f in d["findings"] if f["rule"] == "politeness.impolite")
    assert finding["severity"] == "error" and finding["text"].startswith("I expect a decision")
    assert load() is not None

"""The whole-message models (``hostility.message``, ``desperation.message``): they stop drafts
hostile (or desperate) as a whole that no phrase rule lists, leave gracious and calm notes
alone, score in the check exactly as in training, and ship with cards that match their
weights.  Drafts written for
these tests (not in any training set)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import checker
from checker.checks.hostility import tone as htone
from checker.config import Config

ROOT = Path(__file__).resolve().parents[2]

# Hostile with no listed cue: a rhetorical "And now this?" and "Apparently ... nothing".
BITTER = (
    "Dear Ms. Webb,\n\nI went through two interviews and a take-home task. And now this? "
    "Apparently that counts for nothing.\n\nMark"
)
SNIDE = (
    "Dear Ms. Webb,\n\nNoted. Funny how the job was 'perfect for me' right up until it "
    "wasn't. I guess I'll find out from LinkedIn who actually got it.\n\nMark"
)
GOOD = [
    (
        "Dear Ms. Webb,\n\nThank you for letting me know, and for the time you and the team gave "
        "me. I'm disappointed, of course, but I understand. I hope our paths cross again.\n\n"
        "Best regards,\nMark"
    ),
    (
        "Hi Tom,\n\nThanks for the news, even if it isn't what I hoped for. I really enjoyed "
        "meeting the team and learning about the project. If a similar role opens up, I'd love to "
        "be considered, and any feedback you can share would be welcome.\n\nAll the best,\nMark"
    ),
    (
        "Dear Ms. Ortiz,\n\nThank you for taking the time to meet with me on Tuesday. I enjoyed "
        "learning how your team plans its spring campaigns. I will give you a call next Thursday "
        "to see whether you need anything else.\n\nBest regards,\nDana Kim"
    ),
    (
        "Hi Priya,\n\nI wanted to follow up on my interview on the 3rd for the analyst role. I "
        "know these things take time, so no pressure; I'm still very interested and happy to send "
        "anything else you need.\n\nThanks,\nSam"
    ),
]


def _message_findings(report):
    return [f for f in report.findings if f.rule == "hostility.message"]


@pytest.mark.parametrize("text", [BITTER, SNIDE])
def test_a_draft_hostile_as_a_whole_is_stopped_without_a_listed_phrase(text):
    report = checker.check(text)
    found = _message_findings(report)
    assert len(found) == 1 and found[0].severity == "error" and report.fails("error")
    sig = [s for s in report.sections["hostility"]["signals"] if s["rule"] == "hostility.message"]
    assert sig and sig[0]["probability"] >= 0.6
    assert text[sig[0]["start"] : sig[0]["end"]] == sig[0]["text"] in found[0].message
    assert report.sections["hostility"]["detected"]
    # Without the model, no phrase rule would have made BITTER's hostility an error.
    off = checker.check(text, config=Config.from_dict({"rules": {"hostility.message": False}}))
    assert not _message_findings(off)
    if text is BITTER:
        assert not [
            f for f in off.findings if f.rule.startswith("hostility.") and f.severity == "error"
        ]


@pytest.mark.parametrize("text", GOOD)
def test_gracious_and_calm_notes_are_left_alone(text):
    report = checker.check(text)
    assert not _message_findings(report)
    assert not report.sections["hostility"]["detected"]
    assert not report.fails("error"), [f.rule for f in report.findings]


def test_the_threshold_is_data_a_config_may_raise():
    strict = Config.from_dict({"thresholds": {"hostility": {"message": {"threshold": 0.99}}}})
    assert not _message_findings(checker.check(BITTER, config=strict))


def test_check_scores_as_training_does():
    """The check sums its sentences' counts; that gives the same values as extracting the
    features of the whole body at once (what training sums too)."""
    from checker import api, textprep
    from checker.nlp import get_nlp
    from checker.rules.signals import tone_sentences

    model = htone.load_message()
    doc = get_nlp()(api.for_parser(SNIDE))
    ctx = api.Context(
        text=SNIDE, doc=doc, kind="follow_up", config=Config(), layout=textprep.layout(SNIDE)
    )
    sents = tone_sentences(ctx)
    summed = htone.sum_counts([model.extract([s]).counts for s in sents])
    together = model.extract(sents).counts
    assert model.score_counts(summed) == pytest.approx(model.score_counts(together), abs=1e-12)


def test_shipped_message_model_matches_its_card():
    card = json.loads((ROOT / "models" / "hostility" / "card.json").read_text())["message"]
    weights = (ROOT / "models" / "hostility" / "message.json").read_bytes()
    assert card["weights_sha256"] == hashlib.sha256(weights).hexdigest()
    assert card["drafts"] >= 290 and card["positive"] >= 70
    cv = card["cross_validation"]
    assert cv["grouped_by"].startswith("source page") and cv["auc"] > 0.9
    model = htone.load_message()
    assert model.config["char_ngrams"] == [3, 5] and model.weights


# The desperation check has the same whole-message model (``desperation.message``).
ANXIOUS = (
    "Dear Ms. Lee,\n\nI hope you don't mind me writing again. I haven't been able to "
    "think about anything else since Tuesday, and my family keeps asking whether I got "
    "it. This role would mean the world to me. Is there any news at all?\n\nKind "
    "regards,\nAnna"
)


def test_a_draft_desperate_as_a_whole_gets_the_desperation_message_error():
    report = checker.check(ANXIOUS)
    found = [f for f in report.findings if f.rule == "desperation.message"]
    assert len(found) == 1 and found[0].severity == "error"
    sig = [
        s for s in report.sections["desperation"]["signals"] if s["rule"] == "desperation.message"
    ]
    assert sig and sig[0]["probability"] >= 0.65 and sig[0]["text"] in found[0].message
    off = checker.check(ANXIOUS, config=Config.from_dict({"rules": {"desperation.message": False}}))
    assert not [f for f in off.findings if f.rule == "desperation.message"]


@pytest.mark.parametrize("text", GOOD)
def test_gracious_and_calm_notes_get_no_desperation_message(text):
    report = checker.check(text)
    assert not [f for f in report.findings if f.rule == "desperation.message"]


def test_shipped_desperation_message_model_matches_its_card():
    from checker.checks.desperation import tone as dtone

    card = json.loads((ROOT / "models" / "desperation" / "card.json").read_text())["message"]
    weights = (ROOT / "models" / "desperation" / "message.json").read_bytes()
    assert card["weights_sha256"] == hashlib.sha256(weights).hexdigest()
    assert card["cross_validation"]["real"]["auc"] > 0.85
    model = dtone.load_message()
    # The same features as the sentence model: the check extracts them once for both.
    assert model.config_key == dtone.load().config_key and model.weights

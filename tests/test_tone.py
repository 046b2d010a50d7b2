"""The learned desperation-tone model (``desperation.tone``): train -> save -> load round trip,
the train command and its data errors, the weights errors, and the check's use of it
(must-trigger / must-not-trigger drafts, the config switches)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import checker
import checker.checks.desperation.tone as tone
from checker.cli import main
from checker.config import Config
from checker.learned import ModelError, load_path
from checker.models.desperation import recipe
from checker.models.desperation.train import DATA, read_sets
from checker.rules import threshold_defaults

ROOT = Path(__file__).resolve().parents[1]


def _run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _tone(report) -> list[dict]:
    return [
        s for s in report.to_dict()["desperation"]["signals"] if s["rule"] == "desperation.tone"
    ]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A training folder with the first 40 drafts of two tuning sets."""
    d = tmp_path_factory.mktemp("drafts")
    for name in ("tune", "tune3"):
        lines = (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:40]
        (d / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def trained(small, tmp_path_factory):
    out = tmp_path_factory.mktemp("tone")
    return recipe.build(data_dir=small, out_dir=out, say=lambda m: None), out


def test_round_trip_identical_scores(trained):
    res, out = trained
    loaded = load_path(out / "weights.json", tone.ToneModel)
    doc = checker.nlp.get_nlp()(
        "I am begging you, I need this job so badly. The office was bright."
    )
    for sent in doc.sents:
        (p1, v1), (p2, v2) = loaded.sentence_score(sent), res["model"].sentence_score(sent)
        assert p1 == p2 and v1 == v2
        assert loaded.telling_words(v1) == res["model"].telling_words(v2)
    card = json.loads((out / "card.json").read_text())
    assert set(card["data"]) == {"tune", "tune3"}
    assert card["data"]["tune"]["drafts"] == 40 and len(card["data"]["tune"]["sha256"]) == 64
    cv = card["cross_validation"]
    assert cv["positive"] > 20 and 0.5 < cv["auc"] <= 1.0


def test_train_command_writes_the_model(small, tmp_path):
    code, _, err = _run(
        ["train", "desperation", "--data", str(small), "--out", str(tmp_path), "--quiet"]
    )
    assert code == 0, err
    model = load_path(tmp_path / "weights.json", tone.ToneModel)
    assert model.weights and model.meta["data"]["tune3"]["drafts"] == 40


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "tune*.jsonl files to train on"),
        (
            '{"id": "a", "text": "Hi", "desperate_phrases": ["not in the text"]}\n',
            "tune.jsonl:1: bad draft",
        ),
        ("not json\n", "tune.jsonl:1: bad draft"),
        ("\n\n", "tune.jsonl: no drafts"),
    ],
)
def test_train_command_data_errors(tmp_path, content, expected):
    if content is not None:
        (tmp_path / "tune.jsonl").write_text(content, encoding="utf-8")
    code, _, err = _run(
        ["train", "desperation", "--data", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"]
    )
    assert code == 2
    assert expected in err and len(err.strip().splitlines()) == 1


def test_read_sets_never_takes_holdouts():
    assert not any("holdout" in name for name in read_sets())
    assert "real/tune" in read_sets()


def test_missing_or_corrupt_weights_say_how_to_rebuild(tmp_path):
    with pytest.raises(ModelError, match="followup train desperation"):
        load_path(tmp_path / "weights.json", tone.ToneModel)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "followup-checker/politeness-model/1"}', encoding="utf-8")
    with pytest.raises(ModelError, match="not a desperation tone model"):
        load_path(bad, tone.ToneModel)


@pytest.mark.parametrize("model", ["desperation", "hostility"])
def test_shipped_card_matches_weights(model):
    import hashlib
    import importlib

    from checker.models.tone import set_names

    task = importlib.import_module(f"checker.models.{model}.train").TASK
    card = json.loads((ROOT / "models" / model / "card.json").read_text())
    weights = (ROOT / "models" / model / "weights.json").read_bytes()
    assert card["weights_sha256"] == hashlib.sha256(weights).hexdigest()
    assert not any("holdout" in name for name in card["data"])
    # Trained on the tuning drafts as they are now: retrain after adding or relabelling any.
    assert set(card["data"]) == set(set_names(task, DATA))
    assert "real/tune" in card["data"]
    for name, entry in card["data"].items():
        assert entry["sha256"] == hashlib.sha256((DATA / entry["file"]).read_bytes()).hexdigest(), (
            name
        )


# Drafts written for these tests (not in any training set).  Each anxious sentence here is
# worded so that no phrase rule lists it.
ANXIOUS = (
    "Hi Mr. Patel,\n\nSorry to chase you again about the warehouse supervisor job. I keep "
    "going over every answer I gave in my head. I've been staring at my inbox all weekend. "
    "Could you at least tell me whether I'm still being considered?\n\nThanks,\nOmar"
)
CALM = (
    "Dear Ms. Ortiz,\n\nThank you for taking the time to meet with me on Tuesday. I enjoyed "
    "learning how your team plans its spring campaigns, and the discussion of the new "
    "analytics tools was especially useful. If it would help, I can send samples of the "
    "reports I built at my last job. I will give you a call next Thursday to see whether you "
    "need anything else.\n\nBest regards,\nDana Kim"
)


def test_anxious_sentences_are_flagged_with_words():
    report = checker.check(ANXIOUS, kind="follow_up")
    signals = _tone(report)
    assert signals, report.to_dict()["desperation"]
    flagged = " ".join(s["text"] for s in signals)
    assert "every answer I gave" in flagged
    threshold = threshold_defaults()["desperation.tone"]["threshold"]
    for s in signals:
        assert s["probability"] >= threshold and ANXIOUS[s["start"] : s["end"]] == s["text"]
    finding = next(f for f in report.findings if f.rule == "desperation.tone")
    assert "model score" in finding.message and finding.category == "desperation"


def test_calm_draft_has_no_tone_signal():
    report = checker.check(CALM, kind="thank_you")
    assert not report.to_dict()["desperation"]["detected"]


def test_tone_signals_never_overlap_rule_signals():
    signals = checker.check(ANXIOUS, kind="follow_up").to_dict()["desperation"]["signals"]
    tone_spans = [(s["start"], s["end"]) for s in signals if s["rule"] == "desperation.tone"]
    rule_spans = [(s["start"], s["end"]) for s in signals if s["rule"] != "desperation.tone"]
    assert rule_spans
    assert not any(a < d and c < b for a, b in tone_spans for c, d in rule_spans)


def test_config_turns_tone_off_or_raises_the_threshold():
    off = checker.check(
        ANXIOUS, kind="follow_up", config=Config.from_dict({"rules": {"desperation.tone": False}})
    )
    assert not _tone(off)
    strict = checker.check(
        ANXIOUS,
        kind="follow_up",
        config=Config.from_dict({"thresholds": {"desperation": {"tone": {"threshold": 1.01}}}}),
    )
    assert not _tone(strict)


def test_missing_shipped_weights_stop_the_check_with_a_rebuild_hint(tmp_path, monkeypatch):
    """No silent fallback: a desperate draft with the weights gone is an error, not a report
    without tone signals."""
    monkeypatch.setattr(tone, "weights_path", lambda: tmp_path / "weights.json")
    tone.load.cache_clear()
    try:
        with pytest.raises(ModelError, match="followup train desperation"):
            checker.check(ANXIOUS, kind="follow_up")
    finally:
        tone.load.cache_clear()


def test_installed_copy_ships_the_weights():
    assert tone.weights_path().is_file()
    assert tone.load().weights

"""The rule engine and the catalogue's declarations: every rule names an engine type and a
scope; phrase-engine rules run from data alone, so a new one needs no Python."""

from __future__ import annotations

import copy

import pytest

import checker
from checker.checks.desperation import check as desperation
from checker.checks.hygiene import check as hygiene
from checker.rules import catalogue, concept_data, load_toml, rule_files
from checker.rules.engine import ENGINES, SCOPES, escalation, find

CUSTOM = {"desperation": desperation.CUSTOM, "hygiene": hygiene.CUSTOM}


def _tables():
    for concept, path in rule_files().items():
        for rule_id, meta in load_toml(path).get("rules", {}).items():
            yield concept, rule_id, meta


def test_every_rule_declares_engine_and_scope():
    for concept, rule_id, meta in _tables():
        assert meta.get("engine") in ENGINES, f"{rule_id}: engine {meta.get('engine')!r}"
        assert meta.get("scope") in SCOPES, f"{rule_id}: scope {meta.get('scope')!r}"
        assert rule_id.startswith(concept + "."), f"{rule_id} lives in {concept}'s file"


def test_phrase_rules_carry_their_data_and_custom_rules_name_a_function():
    for concept, rule_id, meta in _tables():
        if meta["engine"] in ("existence", "occurrence"):
            assert meta.get("patterns"), rule_id
        elif meta["engine"] in ("repetition", "substitution"):
            assert meta.get("words"), rule_id
        elif meta["engine"] == "custom" and concept in CUSTOM and "check" in meta:
            assert meta["check"] in CUSTOM[concept] or meta["check"] == "tone", rule_id


def test_catalogue_reads_engine_and_scope():
    meta = catalogue()["desperation.begging"]
    assert (meta.engine, meta.scope) == ("existence", "message")


@pytest.mark.parametrize(
    "engine,meta,text,hits",
    [
        (
            "existence",
            {"patterns": [r"\bplease hire me\b"]},
            "Oh, please hire me now",
            ["please hire me"],
        ),
        ("existence", {"patterns": [r"[!?]{2,}"], "trim": False}, "Well?? ok!!!", ["??", "!!!"]),
        (
            "existence",
            {"patterns": [r"\[\w+\]", r"\[\w+"], "overlap": "first", "trim": False},
            "Dear [Name],",
            ["[Name]"],
        ),
        (
            "occurrence",
            {"patterns": [r"\bsorry\b"], "min": 2},
            "Sorry. So sorry.",
            ["Sorry", "sorry"],
        ),
        ("occurrence", {"patterns": [r"\bsorry\b"], "min": 2}, "Sorry for the wait.", []),
        (
            "occurrence",
            {"patterns": [r"\bsorry\b"], "min": 2, "strong": [r"\bsorry to bother\b"]},
            "Sorry to bother you.",
            ["Sorry"],
        ),
        (
            "repetition",
            {"words": ["really", "so"]},
            "I really really want it, so so much",
            ["really really", "so so"],
        ),
        (
            "substitution",
            {"words": {"thx": "thanks", "u": "you"}, "lowercase_only": ["u"]},
            "thx, U and u",
            ["thx", "u"],
        ),
    ],
)
def test_engine_types(engine, meta, text, hits):
    found = find(dict(meta, engine=engine), text)
    assert [text[s:e] for s, e, _ in found] == hits


def test_escalation_is_declared_in_data():
    meta = {"escalate": {"patterns": [r"^\s*to whom"], "severity": "warning"}}
    assert escalation(meta, "To whom it may concern,") == "warning"
    assert escalation(meta, "Dear Sir,") is None
    report = checker.check(
        "To whom it may concern,\n\nThank you for the interview today.\n\nBest,\nAl"
    )
    assert [f.severity for f in report.findings if f.rule == "hygiene.generic_greeting"] == [
        "warning"
    ]


def test_a_new_phrase_rule_needs_no_python(monkeypatch):
    """A rule added to a concept's data with an existing engine type runs as it is."""
    data = copy.deepcopy(concept_data("desperation"))
    data["rules"]["desperation.test_only"] = {
        "engine": "existence",
        "scope": "message",
        "severity": "warning",
        "weight": 1.0,
        "message": "test rule: \"{text}\"",
        "suggestion": "",
        "patterns": [r"\bzorblax\b"],
    }
    rules = dict(catalogue())
    rules["desperation.test_only"] = type(rules["desperation.begging"])(
        id="desperation.test_only",
        category="desperation",
        severity="warning",
        message="test rule: \"{text}\"",
        engine="existence",
        scope="message",
    )
    from checker.rules import signals

    real = signals.concept_data
    monkeypatch.setattr(
        signals, "concept_data", lambda name: data if name == "desperation" else real(name)
    )
    monkeypatch.setattr(checker.api, "catalogue", lambda: rules)
    report = checker.check("Hi Jo,\n\nThank you for the interview. Zorblax!\n\nBest,\nAl")
    found = [f for f in report.findings if f.rule == "desperation.test_only"]
    assert [(f.message, report.text[f.start : f.end]) for f in found] == [
        ("test rule: \"Zorblax\"", "Zorblax")
    ]
    assert report.sections["desperation"]["level"] == "some"

"""The user config: one loader, every key validated when the file is read (one-line errors)."""

from __future__ import annotations

import pytest

from checker.config import Config, ConfigError, resolve


@pytest.mark.parametrize(
    "data,message",
    [
        ({"rulez": {}}, "unknown table [rulez]"),
        ({"rules": {"desperation.begin": False}}, "'desperation.begin' is not a rule id"),
        ({"severity": {"elements.thank": "error"}}, "'elements.thank' is not a rule id"),
        ({"severity": {"elements.thanks": "fatal"}}, "must be one of suggestion, warning, error"),
        (
            {"thresholds": {"length": {"thankyou": {"min_words": 5}}}},
            "unknown threshold section [thresholds.length.thankyou]",
        ),
        ({"thresholds": {"length": {"thank_you": {"min_word": 5}}}}, "has no setting 'min_word'"),
        ({"thresholds": {"desperation": {"tone": {"threshold": "high"}}}}, "must be a number"),
        ({"cadence": {"max_calls": 0}}, "[cadence] max_calls must be at least 1"),
        ({"cadence": {"max_call": 2}}, "[cadence] has no setting 'max_call'"),
    ],
)
def test_bad_values_are_one_line_errors_when_read(data, message):
    with pytest.raises(ConfigError) as err:
        Config.from_dict(data)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_prefixes_and_known_values_are_accepted():
    cfg = Config.from_dict(
        {
            "rules": {"hygiene": False, "hygiene.placeholder": True},
            "severity": {"elements": "suggestion"},
            "thresholds": {"length": {"thank_you": {"max_words": 180}}},
            "cadence": {"follow_up_min_days": 5},
        }
    )
    assert not cfg.enabled("hygiene.text_speak") and cfg.enabled("hygiene.placeholder")
    assert cfg.severity_for("elements.thanks", "warning") == "suggestion"
    assert cfg.threshold("length.thank_you")["max_words"] == 180
    assert cfg.threshold("length.thank_you")["min_words"] == 50  # packaged value kept
    assert cfg.cadence == {"follow_up_min_days": 5}


def test_every_threshold_section_is_declared_by_a_rule_file():
    from checker.rules import threshold_defaults

    assert {
        "length.thank_you",
        "length.follow_up",
        "length.sentence",
        "desperation.level",
        "desperation.tone",
        "politeness.labels",
    } <= set(threshold_defaults())


def test_resolve_prefers_the_given_file_then_discovers(tmp_path, monkeypatch):
    given = tmp_path / "given.toml"
    given.write_text('[rules]\n"hygiene" = false\n', encoding="utf-8")
    project = tmp_path / "proj" / "sub"
    project.mkdir(parents=True)
    (tmp_path / "proj" / ".followup.toml").write_text(
        '[severity]\n"elements" = "error"\n', encoding="utf-8"
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert not resolve(given).enabled("hygiene.placeholder")
    found = resolve(None, start=project)
    assert found.severity_for("elements.thanks", "warning") == "error"
    assert resolve(None, start=tmp_path).path is None  # nothing found: the defaults


def test_unreadable_or_invalid_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[rules\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        Config.load(bad)
    with pytest.raises(ConfigError, match="not found"):
        Config.load(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "data,message",
    [
        # A section given a scalar where the packaged sections are tables.
        ({"thresholds": {"length": 5}}, "[thresholds] length must be a table"),
        (
            {"thresholds": {"length": {"thank_you": 180}}},
            "[thresholds.length.thank_you] must be a table",
        ),
        ({"thresholds": {"desperation": "high"}}, "[thresholds] desperation must be a table"),
        ({"thresholds": {"lenght": 5}}, "unknown threshold section [thresholds.lenght]"),
        # [cadence.style_channel]: a style of the log, a channel a note can go by.
        (
            {"cadence": {"style_channel": {"modern": "fax"}}},
            "[cadence.style_channel] modern must be one of email, text, letter, linkedin, not 'fax'",
        ),
        (
            {"cadence": {"style_channel": {"modern": 3}}},
            "[cadence.style_channel] modern must be one of",
        ),
        (
            {"cadence": {"style_channel": {"retro": "letter"}}},
            "[cadence.style_channel] has no setting 'retro'; known: modern, traditional, unknown",
        ),
        ({"cadence": {"style_channel": "letter"}}, "[cadence] style_channel must be a table"),
        ({"cadence": {"thank_you_source": 5}}, "[cadence] thank_you_source must be a string"),
        # Tables given as something else, even a value that reads as false.
        ({"cadence": 0}, "[cadence] must be a table"),
        ({"cadence": ""}, "[cadence] must be a table"),
        ({"proofread": []}, "[proofread] must be a table"),
        ({"rules": []}, "[rules] must map rule ids"),
    ],
)
def test_every_key_is_validated(data, message):
    with pytest.raises(ConfigError) as err:
        Config.from_dict(data, "my.toml")
    text = str(err.value)
    assert message in text and "\n" not in text and text.startswith("my.toml: "), text


def test_a_valid_style_channel_override_is_used():
    from checker.contacts.policy import load_policy

    cfg = Config.from_dict({"cadence": {"style_channel": {"unknown": "email"}}})
    p = load_policy(cfg)
    assert p["style_channel"] == {"traditional": "letter", "modern": "email", "unknown": "email"}


def test_a_scalar_threshold_section_in_a_file_is_a_one_line_error(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text("[thresholds]\nlength = 5\n")
    with pytest.raises(ConfigError) as err:
        Config.load(f)
    assert str(err.value).startswith(f"{f}: [thresholds] length must be a table")

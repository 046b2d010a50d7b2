"""The hygiene check (checker/checks/hygiene): its section and the data-declared escalation
of a stiff greeting.  Rule-by-rule paraphrases are in rule_examples/hygiene.toml."""

from __future__ import annotations

import checker


def test_section_lists_placeholders_text_speak_greeting_and_signoff():
    text = "Hi [Name],\n\nthx for the interview at [Company] today.\n\nBest,\nAmy"
    d = checker.check(text).to_dict()["hygiene"]
    assert [p["text"] for p in d["placeholders"]] == ["[Name]", "[Company]"]
    assert [t["text"] for t in d["text_speak"]] == ["thx"]
    assert d["greeting"]["text"] == "Hi [Name]," and d["signoff"]["text"] == "Best,"


def test_stiff_greetings_are_warnings_other_generic_ones_suggestions():
    def severity(greeting):
        report = checker.check(f"{greeting}\n\nThank you for the interview today.\n\nBest,\nAmy")
        return [f.severity for f in report.findings if f.rule == "hygiene.generic_greeting"]

    assert severity("To whom it may concern,") == ["warning"]
    assert severity("Dear Sir or Madam,") == ["warning"]
    assert severity("Dear Hiring Manager,") == ["suggestion"]
    assert severity("Dear Ms. Lee,") == []


def test_lowercase_only_abbreviations_leave_initials_alone():
    report = checker.check("Dear Ms. Lee,\n\nThank you, from U. Patel and r.\n\nBest,\nAmy")
    found = [
        report.text[f.start : f.end] for f in report.findings if f.rule == "hygiene.text_speak"
    ]
    assert found == ["r"]

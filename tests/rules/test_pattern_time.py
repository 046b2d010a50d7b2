"""Every regular expression the checker runs takes time linear in its input (issue 16).

``checker.rules.audit`` lists them: the rule data of every ``checker/**/*.toml`` and the
compiled patterns the modules keep.  Each runs over adversarial strings built from its own
character classes (runs of one of its characters, a letter and a separator repeated, after the
literal a match must start with, its literal words repeated, and the runs the red team found),
grown to 2,000 characters.  A blow-up fails: more than 100x the time of the same pattern over
plain text of the same length (at least a plain linear scan's).  That bound is generous for a
linear pattern and far below any quadratic or exponential one (the old placeholder pattern
took seconds on 121 characters), so this is no wall-clock test.
"""

from __future__ import annotations

import re

import pytest

from checker.rules import audit

LIMIT = 100.0
N = 2000
PATTERNS = audit.all_patterns()


def test_the_audit_sees_the_rule_data_and_the_modules():
    wheres = [p.where for p in PATTERNS]
    assert any("hygiene.placeholder.patterns[0]" in w for w in wheres)
    assert any(w.startswith("calltime.toml") for w in wheres)
    assert any(w.startswith("textprep.toml: kind.") for w in wheres)
    assert any(w.startswith("checker.checks.proofread.words.SKIPS") for w in wheres)
    assert len(PATTERNS) > 500


def test_adversarial_strings_come_from_the_pattern():
    placeholder = next(p for p in PATTERNS if p.where.endswith("hygiene.placeholder.patterns[0]"))
    units = audit.units(placeholder.regex.pattern)
    assert ("[", "A-") in units and ("[", "a'") in units and ("Thank you [Name", ".") in units
    assert len(audit.build("[", "A-", N)) == N


def test_the_old_placeholder_pattern_is_caught():
    """The check works: the pattern the red team broke fails it within milliseconds."""
    old = audit.Pattern(
        "old",
        re.compile(
            r"\[\s*(?:[A-Z][\w'’.-]*|insert|your|name|company|title|date|role|position|job)"
            r"(?:[ /'’.-]+[\w'’.-]+){0,5}\s*\]",
            re.IGNORECASE,
        ),
    )
    ratio, what = audit.worst(old, N, LIMIT)
    assert ratio > LIMIT, what


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.where for p in PATTERNS])
def test_pattern_runs_in_linear_time(pattern):
    ratio, what = audit.worst(pattern, N, LIMIT)
    assert ratio <= LIMIT, (
        f"{pattern.where}: {ratio:.0f}x a plain string on {what}: {pattern.regex.pattern}"
    )

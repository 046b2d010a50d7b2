"""The rule catalogue checks itself: every rule id has texts that must and must not trigger it.

Examples live in ``tests/rule_examples/<category>.toml``.  An entry may give ``context``: the
keywords ``check()`` gets (``to``, ``person``, ``role``, ``send_on``), and ``log``, employers
written to a throw-away contact log first (``[{company, person, role}]``).  Rules that need
a history of contacts (``frequency.*``) are exercised by their own tests instead, and this
file checks that those tests name every such rule id.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import checker
from checker.rules import catalogue
from checker.textprep import max_chars

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
EXAMPLES_DIR = HERE / "rule_examples"
CONTEXT_RULES = {"frequency": ["test_frequency*.py", "test_contacts*.py"]}


def _examples() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(EXAMPLES_DIR.glob("*.toml")):
        for rule_id, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
            assert rule_id not in out, f"{rule_id} has examples in two files"
            out[rule_id] = entry
    return out


EXAMPLES = _examples()


def _expand(text: str) -> str:
    if text.startswith("@repeat:"):
        unit = text[len("@repeat:") :]
        return unit * (max_chars() // len(unit) + 2)
    if text.startswith("@surrogate:"):
        return text[len("@surrogate:") :] + "\ud800"
    return text


def _cases(key: str):
    for rule_id, entry in sorted(EXAMPLES.items()):
        for i, text in enumerate(entry.get(key, [])):
            yield pytest.param(
                rule_id, entry.get("kind"), text, entry.get("context"), id=f"{rule_id}-{key}-{i}"
            )


def _context(context: dict | None, tmp_path: Path) -> dict:
    context = dict(context or {})
    log = context.pop("log", [] if "to" in context else None)
    if log is not None:
        from checker.contacts import add_employer, connect

        path = tmp_path / "contacts.db"
        conn = connect(path)
        for employer in log:
            add_employer(
                conn, employer["company"], person=employer.get("person"), role=employer.get("role")
            )
        conn.close()
        context["db"] = str(path)
        context.setdefault("send_on", "2026-12-01")
    return context


def _rules_fired(text: str, kind: str | None, context: dict | None = None) -> set[str]:
    """The rules with a finding, plus the element rules whose element is missing (an optional
    element, such as a reply's request for feedback, has no finding of its own)."""
    report = checker.check(_expand(text), kind=kind, **(context or {}))
    fired = {f.rule for f in report.findings}
    for key, element in (report.elements or {}).items():
        if not element["present"]:
            fired.add(f"elements.{key}")
    return fired


@pytest.mark.parametrize("rule_id,kind,text,context", list(_cases("trigger")))
def test_must_trigger(rule_id, kind, text, context, tmp_path):
    fired = _rules_fired(text, kind, _context(context, tmp_path))
    assert rule_id in fired, f"{rule_id} did not fire on {text!r}"


@pytest.mark.parametrize("rule_id,kind,text,context", list(_cases("clean")))
def test_must_not_trigger(rule_id, kind, text, context, tmp_path):
    fired = _rules_fired(text, kind, _context(context, tmp_path))
    assert rule_id not in fired, f"{rule_id} fired on {text!r}"


def test_every_rule_has_examples():
    missing = []
    for rule_id in catalogue():
        category = rule_id.split(".")[0]
        if category in CONTEXT_RULES:
            sources = "".join(
                p.read_text(encoding="utf-8")
                for pattern in CONTEXT_RULES[category]
                for p in HERE.glob(pattern)
            )
            if rule_id not in sources:
                missing.append(f"{rule_id} (no test names it)")
            continue
        entry = EXAMPLES.get(rule_id)
        if not entry or not entry.get("trigger") or not entry.get("clean"):
            missing.append(rule_id)
    assert not missing, f"rules without must/must-not examples: {missing}"


def test_examples_name_real_rules():
    unknown = sorted(set(EXAMPLES) - set(catalogue()))
    assert not unknown, f"examples for unknown rule ids: {unknown}"


def test_rule_ids_match_their_file():
    """A rule ``cat.name`` has its category ``cat`` and a known severity."""
    for rule_id, meta in catalogue().items():
        assert meta.category == rule_id.split(".")[0]
        assert meta.severity in ("error", "warning", "suggestion")
        assert meta.message and meta.suggestion is not None

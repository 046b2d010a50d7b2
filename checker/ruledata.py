"""Rule catalogue and rule data, read once from the TOML files shipped in ``checker/rules``.

Every rule id (``elements.thanks``, ``desperation.begging`` ...) has an entry with its
category, default severity, message, suggestion and source; the same files carry the
phrase lists, patterns and thresholds the check modules use.
"""
from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES_PACKAGE = "checker.rules"


@dataclass(frozen=True)
class RuleMeta:
    id: str
    category: str
    severity: str
    message: str
    suggestion: str = ""
    description: str = ""
    source: str = ""


def read_text(name: str) -> str:
    return resources.files(RULES_PACKAGE).joinpath(name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def load_toml(name: str) -> dict[str, Any]:
    return tomllib.loads(read_text(name))


@functools.lru_cache(maxsize=None)
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    rows = []
    for lineno, line in enumerate(read_text(name).splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("//"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # a packaging bug, say where
                raise ValueError(f"{RULES_PACKAGE}/{name}:{lineno}: {exc}") from exc
    return tuple(rows)


@functools.lru_cache(maxsize=None)
def catalogue() -> dict[str, RuleMeta]:
    """All rule ids with their metadata, from the ``[rules."id"]`` tables of every file."""
    rules: dict[str, RuleMeta] = {}
    for entry in sorted(resources.files(RULES_PACKAGE).iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".toml"):
            continue
        data = load_toml(entry.name)
        for rule_id, meta in data.get("rules", {}).items():
            if rule_id in rules:
                raise ValueError(f"rule {rule_id} defined twice (in {entry.name})")
            rules[rule_id] = RuleMeta(
                id=rule_id,
                category=meta.get("category", rule_id.split(".", 1)[0]),
                severity=meta["severity"],
                message=meta["message"],
                suggestion=meta.get("suggestion", ""),
                description=meta.get("description", ""),
                source=meta.get("source", ""),
            )
    return rules


@functools.lru_cache(maxsize=1)
def threshold_defaults() -> dict[str, dict[str, Any]]:
    """Every ``[thresholds.<section>]`` table a user config may override, with its packaged
    values (the checks read them through ``Config.threshold``)."""
    length = load_toml("length.toml")["length"]
    desperation = load_toml("desperation.toml")
    tone = desperation["rules"]["desperation.tone"]
    return {
        "length.thank_you": length["thank_you"],
        "length.follow_up": length["follow_up"],
        "length.sentence": length["sentence"],
        "desperation.level": desperation["level"],
        "desperation.tone": {k: tone[k] for k in ("threshold", "min_alone")},
        "politeness.labels": load_toml("politeness.toml")["politeness"]["labels"],
    }

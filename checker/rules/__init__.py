"""The rule catalogue and the rule data, read once from the TOML files shipped in the package.

Each concept keeps its rules next to its code: ``checker/checks/<concept>/rules.toml`` (plus
``checker/textprep.toml`` for the ``input.*`` rules).  A file holds

- ``[rules."<concept>.<name>"]`` tables: the catalogue entry of every rule id (``severity``,
  ``message``, ``suggestion``, ``description``, ``source``), its ``engine`` type and
  ``scope`` (``checker.rules.engine``), and the engine's data (patterns, words, weights);
- ``[thresholds.<name>]`` tables: numbers a user config may override as
  ``[thresholds.<concept>.<name>]`` (``checker.config``);
- any other table the concept's code reads (word lists for the parse frames, ...).

Paths given to ``load_toml`` / ``read_text`` are relative to the ``checker`` package.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

# tomli is the library the standard tomllib was made from; its wheels are compiled, and read
# the rule files three times faster than tomllib's pure-Python copy (a cold check reads them all).
import tomli as tomllib

PACKAGE = "checker"
CHECKS_DIR = "checks"
RULE_FILE = "rules.toml"
#: Rule files outside ``checks/<concept>/``: concept -> path.
OTHER_RULE_FILES = {"input": "textprep.toml"}


@dataclass(frozen=True)
class RuleMeta:
    id: str
    category: str
    severity: str
    message: str
    suggestion: str = ""
    description: str = ""
    source: str = ""
    engine: str = "custom"
    scope: str = "body"
    label: str = ""


def _file(path: str) -> Any:  # an importlib.resources Traversable
    node = resources.files(PACKAGE)
    for part in path.split("/"):
        node = node.joinpath(part)
    return node


def read_text(path: str) -> str:
    return _file(path).read_text(encoding="utf-8")


@functools.cache
def load_toml(path: str) -> dict[str, Any]:
    return tomllib.loads(read_text(path))


def concept_path(concept: str) -> str:
    return f"{CHECKS_DIR}/{concept}/{RULE_FILE}"


def concept_data(concept: str) -> dict[str, Any]:
    """The rule file of a concept (``checks/<concept>/rules.toml``), parsed once."""
    return load_toml(concept_path(concept))


@functools.cache
def load_jsonl(path: str) -> tuple[dict[str, Any], ...]:
    rows = []
    for lineno, line in enumerate(read_text(path).splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("//"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # a packaging bug, say where
                raise ValueError(f"{PACKAGE}/{path}:{lineno}: {exc}") from exc
    return tuple(rows)


@functools.lru_cache(maxsize=1)
def rule_files() -> dict[str, str]:
    """Concept name -> path of its rule file, for every concept that has one."""
    out = {}
    for entry in sorted(_file(CHECKS_DIR).iterdir(), key=lambda p: p.name):
        if entry.is_dir() and entry.joinpath(RULE_FILE).is_file():
            out[entry.name] = concept_path(entry.name)
    out.update(OTHER_RULE_FILES)
    return out


@functools.cache
def catalogue() -> dict[str, RuleMeta]:
    """All rule ids with their metadata, from the ``[rules."id"]`` tables of every file."""
    rules: dict[str, RuleMeta] = {}
    for path in rule_files().values():
        for rule_id, meta in load_toml(path).get("rules", {}).items():
            if rule_id in rules:
                raise ValueError(f"rule {rule_id} defined twice (in {path})")
            rules[rule_id] = RuleMeta(
                id=rule_id,
                category=meta.get("category", rule_id.split(".", 1)[0]),
                severity=meta["severity"],
                message=meta["message"],
                suggestion=meta.get("suggestion", ""),
                description=meta.get("description", ""),
                source=meta.get("source", ""),
                engine=meta.get("engine", "custom"),
                scope=meta.get("scope", "body"),
                label=meta.get("label", ""),
            )
    return rules


def label_for(rule_id: str) -> str:
    """The plain-language name of a rule ("Heads-up about your call" for
    ``elements.call_heads_up``): its catalogue ``label``.  A rule id the catalogue does not know
    (a report stored by another version) gets its last part in words ("Call heads up"), so no
    surface ever has to show a bare id."""
    meta = catalogue().get(rule_id)
    if meta is not None and meta.label:
        return meta.label
    words = str(rule_id).rsplit(".", 1)[-1].replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else str(rule_id)


@functools.lru_cache(maxsize=1)
def threshold_defaults() -> dict[str, dict[str, Any]]:
    """Every ``[thresholds.<concept>.<name>]`` table a user config may override, with its
    packaged values: the ``[thresholds.<name>]`` tables of each concept's rule file."""
    out: dict[str, dict[str, Any]] = {}
    for concept, path in rule_files().items():
        for name, table in load_toml(path).get("thresholds", {}).items():
            out[f"{concept}.{name}"] = table
    return out

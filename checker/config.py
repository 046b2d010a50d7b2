"""User configuration: rules on/off by dotted id prefix, severity overrides, thresholds.

A config file is TOML::

    [rules]                       # on/off by id or prefix; the most specific key wins
    "hygiene" = false
    "hygiene.placeholder" = true

    [severity]                    # severity overrides, same prefix matching
    "elements.call_heads_up" = "suggestion"

    [thresholds.length.thank_you] # merged over the packaged defaults
    max_words = 180

    [cadence]                     # the contact-log policy (docs/contact-log.md)
    follow_up_min_days = 7

    [proofread]                   # words the spelling rule accepts
    words = ["Kubernetes", "Okonkwo"]

Every key is validated when the file is read (``ConfigError``, one line): rule ids and
prefixes must exist, severities must be known, threshold sections are those the concepts'
rule files declare (``[thresholds.<name>]`` in ``checks/<concept>/rules.toml``) with values of
the packaged types, ``[cadence]`` is checked by the contact-log policy and ``[proofread]``
holds only ``words``, a list of strings.

Search order when no ``--config`` is given (``resolve``): ``.followup.toml`` in the current
folder or its parents, then ``$XDG_CONFIG_HOME/followup-checker/config.toml``.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# tomli is the library the standard tomllib was made from; its wheels are compiled, and read
# the rule files three times faster than tomllib's pure-Python copy (a cold check reads them all).
import tomli as tomllib

from .report import SEVERITIES

PROJECT_FILE = ".followup.toml"


class ConfigError(ValueError):
    """A config file that cannot be used; the message is one line."""


def _most_specific(table: dict[str, Any], rule_id: str) -> Any:
    parts = rule_id.split(".")
    for i in range(len(parts), 0, -1):
        key = ".".join(parts[:i])
        if key in table:
            return table[key]
    return None


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a table" if isinstance(value, dict) else type(value).__name__


def _check_types(defaults: dict[str, Any], over: dict[str, Any], where: str) -> None:
    """Each override must name a packaged key and have the type of the value it replaces
    (ints and floats are both numbers)."""
    for key, value in over.items():
        if key not in defaults:
            raise ConfigError(
                f"{where} has no setting {key!r}; known: {', '.join(sorted(defaults))}"
            )
        want, got = _kind(defaults[key]), _kind(value)
        if want != got:
            raise ConfigError(f"{where} {key} must be {want}, not {value!r}")
        if isinstance(value, dict):
            _check_types(defaults[key], value, f"{where[:-1]}.{key}]")


def _section(thresholds: dict[str, Any], section: str) -> Any:
    """The user's ``[thresholds.<section>]`` value (dotted path), or None."""
    over: Any = thresholds
    for part in section.split("."):
        over = over.get(part) if isinstance(over, dict) else None
    return over


def _check_thresholds(thresholds: dict[str, Any], where: str) -> None:
    """Each override must be a known section holding known keys of the packaged types, so a
    config with ``threshold = "high"`` is a one-line error when it is read, not a crash
    mid-check."""
    from .rules import threshold_defaults

    sections = threshold_defaults()
    for section, defaults in sections.items():
        over = _section(thresholds, section)
        if over is None:
            continue
        if not isinstance(over, dict):
            raise ConfigError(f"{where}: [thresholds.{section}] must be a table")
        _check_types(defaults, over, f"{where}: [thresholds.{section}]")
    _check_tree(thresholds, sections, where)


def _check_tree(
    table: dict[str, Any], sections: dict[str, Any], where: str, prefix: str = ""
) -> None:
    """Every key of ``[thresholds]`` leads to a known section through tables: ``length = 5``
    (a value where the sections ``length.*`` are tables) is an error, not ignored."""
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if path in sections:
            continue  # a section: its keys are checked by _check_types
        if not any(s.startswith(path + ".") for s in sections):
            raise ConfigError(
                f"{where}: unknown threshold section [thresholds.{path}]; "
                f"known: {', '.join(sorted(sections))}"
            )
        if not isinstance(value, dict):
            head, _, name = path.rpartition(".")
            table_name = f"thresholds.{head}" if head else "thresholds"
            raise ConfigError(
                f"{where}: [{table_name}] {name} must be a table "
                f"([thresholds.{path}.<name>]), not {value!r}"
            )
        _check_tree(value, sections, where, path)


def _check_rule_ids(table: dict[str, Any], where: str, name: str) -> None:
    """Every key of ``[rules]`` / ``[severity]`` is a rule id or a prefix of one."""
    from .rules import catalogue

    ids = catalogue()
    for key in table:
        if not any(rid == key or rid.startswith(key + ".") for rid in ids):
            raise ConfigError(
                f"{where}: [{name}] {key!r} is not a rule id or a prefix of "
                "one (`followup rules` lists them)"
            )


def _check_proofread(table: Any, where: str) -> None:
    """``[proofread] words = ["Kubernetes", ...]``: words the speller should accept."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [proofread] must be a table")
    for key, value in table.items():
        if key != "words":
            raise ConfigError(f"{where}: [proofread] has no setting {key!r}; known: words")
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise ConfigError(f"{where}: [proofread] words must be a list of words, not {value!r}")


@dataclass
class Config:
    rules: dict[str, bool] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, Any] = field(default_factory=dict)
    cadence: dict[str, Any] = field(default_factory=dict)
    proofread: dict[str, Any] = field(default_factory=dict)
    path: str | None = None

    #: The top-level tables a config file may hold.
    TABLES = ("rules", "severity", "thresholds", "cadence", "proofread")

    def enabled(self, rule_id: str) -> bool:
        value = _most_specific(self.rules, rule_id)
        return True if value is None else bool(value)

    def severity_for(self, rule_id: str, default: str) -> str:
        value = _most_specific(self.severity, rule_id)
        return default if value is None else value

    def threshold(self, section: str) -> dict[str, Any]:
        """The packaged values of ``section`` (``checker.rules.threshold_defaults``) with the
        user's overrides merged in (their types were checked when the config was read)."""
        from .rules import threshold_defaults

        defaults = threshold_defaults()[section]
        over = _section(self.thresholds, section)
        return deep_merge(defaults, over) if isinstance(over, dict) and over else defaults

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str | None = None) -> Config:
        where = path or "config"
        for key in data:
            if key not in cls.TABLES:
                raise ConfigError(
                    f"{where}: unknown table [{key}]; a config holds "
                    f"{', '.join(f'[{t}]' for t in cls.TABLES)}"
                )
        rules = data.get("rules", {})
        severity = data.get("severity", {})
        thresholds = data.get("thresholds", {})
        cadence = data.get("cadence", {})
        if not isinstance(rules, dict) or not all(isinstance(v, bool) for v in rules.values()):
            raise ConfigError(f"{where}: [rules] must map rule ids to true/false")
        if not isinstance(severity, dict):
            raise ConfigError(f"{where}: [severity] must map rule ids to a severity")
        _check_rule_ids(rules, where, "rules")
        _check_rule_ids(severity, where, "severity")
        for key, value in severity.items():
            if value not in SEVERITIES:
                raise ConfigError(
                    f"{where}: severity of {key!r} must be one of "
                    f"{', '.join(SEVERITIES)}, not {value!r}"
                )
        if not isinstance(thresholds, dict):
            raise ConfigError(f"{where}: [thresholds] must be a table")
        _check_thresholds(thresholds, where)
        if "cadence" in data:
            from .contacts.policy import merged_policy

            try:
                merged_policy(cadence)  # raises ConfigError naming the bad [cadence] value
            except ConfigError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        proofread = data.get("proofread", {})
        _check_proofread(proofread, where)
        return cls(
            rules=dict(rules),
            severity=dict(severity),
            thresholds=thresholds,
            cadence=cadence,
            proofread=dict(proofread),
            path=path,
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Config:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{p}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: cannot read config: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: invalid TOML: {exc}") from None
        return cls.from_dict(data, str(p))


def resolve(
    path: str | os.PathLike[str] | None = None, start: str | os.PathLike[str] | None = None
) -> Config:
    """The config every shell uses: ``path`` when given (``--config``), else ``discover``."""
    return Config.load(path) if path else discover(start)


def discover(start: str | os.PathLike[str] | None = None) -> Config:
    """The project config in ``start`` or a parent, else the user config, else defaults."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return Config.load(candidate)
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    user = Path(xdg) / "followup-checker" / "config.toml"
    if user.is_file():
        return Config.load(user)
    return Config()

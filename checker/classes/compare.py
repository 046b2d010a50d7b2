"""What changed between two versions of a draft: findings fixed and added.

Two findings are the same when they have the same rule and the same words (case and spacing
ignored): a warning that moved because a sentence was added before it is neither fixed nor
added.  Repeats are matched one for one, so fixing one of two identical findings counts once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..report import SEVERITY_RANK


def finding_key(f: dict[str, Any]) -> tuple[str, str]:
    return f["rule"], " ".join(str(f.get("text") or "").casefold().split())


def _unmatched(items: list[dict[str, Any]], other: list[dict[str, Any]]) -> list[dict[str, Any]]:
    left = Counter(finding_key(f) for f in other)
    out = []
    for f in items:
        k = finding_key(f)
        if left[k] > 0:
            left[k] -= 1
        else:
            out.append(f)
    return out


def _order(fs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(fs, key=lambda f: (-SEVERITY_RANK.get(f["severity"], 0), f["start"], f["rule"]))


@dataclass
class Changes:
    fixed: list[dict[str, Any]] = field(default_factory=list)  # in the earlier version only
    added: list[dict[str, Any]] = field(default_factory=list)  # in the later version only
    kept: int = 0  # in both

    def to_dict(self) -> dict[str, Any]:
        pick = ("rule", "severity", "message", "text")
        return {
            "fixed": [{k: f.get(k) for k in pick} for f in self.fixed],
            "added": [{k: f.get(k) for k in pick} for f in self.added],
            "kept": self.kept,
        }


def changes(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """The findings of report JSON ``before`` that ``after`` no longer has (fixed), and
    those ``after`` has that ``before`` did not (added)."""
    b = list(before.get("findings") or [])
    a = list(after.get("findings") or [])
    fixed = _unmatched(b, a)
    added = _unmatched(a, b)
    return Changes(fixed=_order(fixed), added=_order(added), kept=len(b) - len(fixed))

"""The report a check produces: findings with character spans, plus per-check sections.

Spans are character offsets into the exact text that was checked (``Report.text``), so
``text[start:end]`` is always the words a finding points at.  Line and column are derived
only when printing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "followup-checker/report/1"

SEVERITIES = ("suggestion", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    suggestion: str = ""

    def with_severity(self, severity: str) -> "Finding":
        return Finding(self.rule, self.category, severity, self.message, self.start,
                       self.end, self.suggestion)


def clip(text: str, n: int = 60) -> str:
    """``text`` on one line (runs of whitespace as one space), cut to ``n`` characters with
    "..." when longer: how reports quote the words a finding is about."""
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 3] + "..."


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


@dataclass
class Report:
    text: str
    kind: str
    findings: list[Finding] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return "revise" if any(f.severity in ("error", "warning") for f in self.findings) else "ready"

    def max_severity(self) -> str | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)

    def fails(self, fail_on: str) -> bool:
        """True when some finding is at or above ``fail_on`` ("never" never fails)."""
        if fail_on == "never":
            return False
        threshold = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        findings = []
        for f in sorted(self.findings, key=lambda f: (f.start, f.end, f.rule)):
            line, col = line_col(self.text, f.start)
            findings.append({
                "rule": f.rule, "category": f.category, "severity": f.severity,
                "message": f.message, "start": f.start, "end": f.end,
                "text": self.text[f.start:f.end], "line": line, "column": col,
                "suggestion": f.suggestion,
            })
        out: dict[str, Any] = {"schema": SCHEMA, "verdict": self.verdict, "kind": self.kind}
        out.update(self.sections)
        out["findings"] = findings
        out["counts"] = {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.source:
            out["source"] = dict(self.source)
        return out

"""The report a check produces: findings with character spans, plus per-check sections.

Spans are character offsets into the exact text that was checked (``Report.text``), so
``text[start:end]`` is always the words a finding points at.  Line and column are derived
only when printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypedDict, cast

SCHEMA = "followup-checker/report/1"

# ---- the one table of orderings and labels every surface renders from ----------------------

#: Severities, least severe first.
SEVERITIES = ("suggestion", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
#: The order findings are listed in for people: the most severe first.
SEVERITY_DISPLAY_ORDER = tuple(reversed(SEVERITIES))

#: Levels of a signal section (desperation), lowest first.
LEVELS = ("none", "some", "high")
LEVEL_RANK = {name: rank for rank, name in enumerate(LEVELS)}


@dataclass(frozen=True)
class Label:
    """How a report value is shown: ``short`` inside a line of text (CLI checklist, batch
    facts), ``title`` as a heading or a checklist item of its own (web, batch report), ``tag``
    (when there is one) in a table cell with little room (the class report's roster)."""

    key: str
    short: str
    title: str
    tag: str = ""


#: The required elements, in checklist order.
ELEMENTS = (
    Label("thanks", "thanks for their time", "Thanks for their time", "thanks"),
    Label(
        "enjoyed",
        "enjoyed meeting / the company",
        "What you enjoyed (the meeting, the team, the company)",
        "enjoyed",
    ),
    Label(
        "offer_info",
        "offer of more information",
        "Offer of more information or a second interview",
        "offer",
    ),
    Label(
        "call_heads_up",
        "heads-up about your call",
        "Heads-up that you will call, and when",
        "call heads-up",
    ),
)
ELEMENT_KEYS = tuple(e.key for e in ELEMENTS)
LENGTH_VERDICTS = {
    "too_short": Label("too_short", "too short", "Too short"),
    "ok": Label("ok", "length ok", "Length ok"),
    "too_long": Label("too_long", "too long", "Too long"),
}
#: The send verdict (``send_verdict`` in the JSON), mildest first: ``ready`` nothing at warning
#: level or above; ``revise`` warnings only; ``dont_send`` an error stands, the timing policy
#: says not to send (now or at all), or the draft reads hostile.  ``verdict`` keeps its two
#: values: ``ready`` exactly when ``send_verdict`` is ``ready``, else ``revise``.
VERDICTS = {
    "ready": Label("ready", "ready", "Ready to send"),
    "revise": Label("revise", "revise", "Revise before sending"),
    "dont_send": Label("dont_send", "don't send", "Don't send this"),
}
VERDICT_ORDER = tuple(VERDICTS)
VERDICT_RANK = {name: rank for rank, name in enumerate(VERDICT_ORDER)}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``1,200 drafts`` (``many`` for an irregular plural)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def counts_text(counts: dict[str, int]) -> str:
    """``1 error, 2 warnings, 0 suggestions``: a report's ``counts``, most severe first."""
    return ", ".join(plural(int(counts.get(s, 0)), s) for s in SEVERITY_DISPLAY_ORDER)


# ---- typed sections (the JSON of docs/report-schema.md) --------------------------------------


class Span(TypedDict):
    start: int
    end: int
    text: str


class LengthSection(TypedDict):
    words: int
    sentences: int
    grade: float
    verdict: Literal["too_short", "ok", "too_long"]
    limits: dict[str, Any]


class Element(TypedDict, total=False):
    present: bool
    start: int
    end: int
    text: str
    when: dict[str, Any] | None


class Signal(TypedDict, total=False):
    rule: str
    start: int
    end: int
    text: str
    probability: float


class SignalSection(TypedDict):
    detected: bool
    level: Literal["none", "some", "high"]
    score: float
    signals: list[Signal]


class PolitenessSection(TypedDict, total=False):
    score: float
    label: Literal["polite", "neutral", "impolite"]
    strategies: list[dict[str, Any]]
    top_features: list[dict[str, Any]]
    sentences: list[dict[str, Any]]
    method: str
    thresholds: dict[str, float]
    model: dict[str, Any]


class HygieneSection(TypedDict):
    placeholders: list[Span]
    text_speak: list[Span]
    greeting: Span | None
    signoff: Span | None


ElementsSection = dict[str, Element]
#: The section each check returns, by the key it has in the report.
SECTION_TYPES = {
    "length": LengthSection,
    "elements": ElementsSection,
    "desperation": SignalSection,
    "hostility": SignalSection,
    "politeness": PolitenessSection,
    "hygiene": HygieneSection,
    "frequency": dict,
    "proofread": dict,
}
#: Top-level keys of ``Report.to_dict()`` that are not check sections.
META_KEYS = frozenset(
    {"schema", "verdict", "send_verdict", "kind", "findings", "counts", "notes", "source"}
)


@dataclass(frozen=True)
class Fix:
    """A machine-applicable fix: replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "replacement": self.replacement}


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    suggestion: str = ""
    fix: Fix | None = None

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)

    def with_fix(self, fix: Fix | None) -> Finding:
        return replace(self, fix=fix)


def finding_ids(findings: list[Finding]) -> list[tuple[str, Finding]]:
    """Each finding with its id, in report order: ``rule:start-end`` (``#2``, ``#3`` ... for a
    second finding of the same rule on the same span).  Stable within a report, so the web
    and the API can name the findings to fix."""
    out: list[tuple[str, Finding]] = []
    seen: dict[str, int] = {}
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.rule)):
        base = f"{f.rule}:{f.start}-{f.end}"
        seen[base] = seen.get(base, 0) + 1
        out.append((base if seen[base] == 1 else f"{base}#{seen[base]}", f))
    return out


def clip(text: str, n: int = 60) -> str:
    """``text`` on one line (runs of whitespace as one space), cut to ``n`` characters with
    "..." when longer: how reports quote the words a finding is about."""
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 3] + "..."


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def send_verdict(
    findings, frequency: dict[str, Any] | None = None, hostility: dict[str, Any] | None = None
) -> str:
    """The send verdict of a report's findings (``Finding`` objects or finding dicts) and its
    ``frequency`` and ``hostility`` sections: ``dont_send`` when an error stands, the timing
    policy does not allow sending (``frequency.allowed`` false: not yet, or not at all) or
    hostility is detected; else ``revise`` when a warning stands; else ``ready``."""
    severities = {f["severity"] if isinstance(f, dict) else f.severity for f in findings}
    if (
        "error" in severities
        or (frequency or {}).get("allowed") is False
        or (hostility or {}).get("detected")
    ):
        return "dont_send"
    return "revise" if "warning" in severities else "ready"


@dataclass
class Report:
    text: str
    kind: str
    findings: list[Finding] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)

    # Typed views of the sections (None when the check did not run, e.g. empty input).
    length = property(lambda self: cast("LengthSection | None", self.sections.get("length")))
    elements = property(lambda self: cast("ElementsSection | None", self.sections.get("elements")))
    desperation = property(
        lambda self: cast("SignalSection | None", self.sections.get("desperation"))
    )
    hostility = property(lambda self: cast("SignalSection | None", self.sections.get("hostility")))
    politeness = property(
        lambda self: cast("PolitenessSection | None", self.sections.get("politeness"))
    )
    hygiene = property(lambda self: cast("HygieneSection | None", self.sections.get("hygiene")))
    frequency = property(lambda self: cast("dict[str, Any] | None", self.sections.get("frequency")))
    proofread = property(lambda self: cast("dict[str, Any] | None", self.sections.get("proofread")))

    @property
    def send_verdict(self) -> str:
        """``ready`` / ``revise`` / ``dont_send`` (see ``VERDICTS``)."""
        return send_verdict(self.findings, self.frequency, self.hostility)

    @property
    def verdict(self) -> str:
        """The two-level verdict of schema 1: ``revise`` unless ``send_verdict`` is ready."""
        return "ready" if self.send_verdict == "ready" else "revise"

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
        for fid, f in finding_ids(self.findings):
            line, col = line_col(self.text, f.start)
            findings.append(
                {
                    "id": fid,
                    "rule": f.rule,
                    "category": f.category,
                    "severity": f.severity,
                    "message": f.message,
                    "start": f.start,
                    "end": f.end,
                    "text": self.text[f.start : f.end],
                    "line": line,
                    "column": col,
                    "suggestion": f.suggestion,
                }
            )
            if f.fix is not None:
                findings[-1]["fix"] = f.fix.to_dict()
        send = self.send_verdict
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "verdict": "ready" if send == "ready" else "revise",
            "send_verdict": send,
            "kind": self.kind,
        }
        out.update(self.sections)
        out["findings"] = findings
        out["counts"] = {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.source:
            out["source"] = dict(self.source)
        return out

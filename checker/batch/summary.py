"""Class-level aggregates of a batch, kept in constant memory.

``Summary.add(result)`` folds one result into counters, fixed-bin histograms, a bounded
phrase counter and a bounded "needs most attention" heap; nothing per draft is kept beyond
those.  ``facts(data)`` reads a report's JSON (``Result.data()``, made by this process or a
worker): its sections have the types of ``checker.report``, and may be absent (a draft the
checker could not analyse has none).
"""
from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..report import ELEMENTS, SEVERITY_DISPLAY_ORDER, clip

DESPERATION_WEIGHT = {"high": 50, "some": 10}
TOP_ATTENTION = 10
TOP_PHRASES = 15
PHRASE_CAPACITY = 5000  # distinct phrases kept; the rarest are pruned beyond this


def facts(data: dict[str, Any]) -> dict[str, Any]:
    """The gradebook facts of one report JSON; ``None`` where a section is absent."""
    length = data.get("length") or {}
    pol = data.get("politeness") or {}
    des = data.get("desperation") or {}
    els = data.get("elements") or {}
    counts = data.get("counts") or {}
    findings = data.get("findings") or []
    out: dict[str, Any] = {
        "kind": data.get("kind"),
        "verdict": data.get("verdict"),
        "words": length.get("words"),
        "sentences": length.get("sentences"),
        "grade": length.get("grade"),
        "length_verdict": length.get("verdict"),
        "politeness_score": pol.get("score"),
        "politeness_label": pol.get("label"),
        "desperation_level": des.get("level"),
        "desperation_signals": len(des["signals"]) if des else None,
        "errors": int(counts.get("error", 0)),
        "warnings": int(counts.get("warning", 0)),
        "suggestions": int(counts.get("suggestion", 0)),
        "findings": len(findings),
    }
    for label in ELEMENTS:
        el = els.get(label.key)
        out[label.key] = el["present"] if el is not None else None
    return out


def phrase_key(text: str) -> str:
    return clip(" ".join(str(text).lower().split()).strip(" .,;:"))


@dataclass
class Histogram:
    """Counts in fixed bins ``[lo, lo+step)``; the last bin is open-ended."""
    lo: float
    step: float
    bins: int
    fmt: str = "{:g}"
    open_end: bool = True
    counts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts = [0] * self.bins

    def add(self, value: float) -> None:
        i = int((value - self.lo) // self.step)
        self.counts[max(0, min(self.bins - 1, i))] += 1

    def labels(self) -> list[str]:
        out = []
        for i in range(self.bins):
            a = self.lo + i * self.step
            out.append(f"{self.fmt.format(a)}+" if i == self.bins - 1 and self.open_end
                       else f"{self.fmt.format(a)}-{self.fmt.format(a + self.step)}")
        return out

    @property
    def total(self) -> int:
        return sum(self.counts)


class Summary:
    """Aggregates over every result of a batch (constant memory)."""

    def __init__(self) -> None:
        self.total = 0
        self.checked = 0
        self.unreadable = 0
        self.with_errors = 0
        self.verdicts: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.missing: Counter[str] = Counter()      # element -> drafts missing it
        self.element_known: Counter[str] = Counter()  # element -> drafts with the section
        self.politeness = Histogram(0.0, 0.1, 10, "{:.1f}", open_end=False)
        self.politeness_labels: Counter[str] = Counter()
        self.words = Histogram(0, 25, 12, "{:g}")
        self.length_verdicts: Counter[str] = Counter()
        self.grade = Histogram(0, 2, 10, "{:g}")
        self.desperation_levels: Counter[str] = Counter()
        self.phrases: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()        # rule -> drafts with it
        self.severity_totals: Counter[str] = Counter()
        self._attention: list[tuple] = []           # min-heap of (score, -seq, entry)
        self._seq = 0

    # -- folding ---------------------------------------------------------------------
    def add(self, result) -> None:
        self.total += 1
        self._seq += 1
        if not result.ok:
            self.unreadable += 1
            return
        data = result.data()
        f = facts(data)
        self.checked += 1
        if f["errors"]:
            self.with_errors += 1
        self.verdicts[f["verdict"] or "unknown"] += 1
        self.kinds[f["kind"] or "unknown"] += 1
        for key in (label.key for label in ELEMENTS):
            if f[key] is not None:
                self.element_known[key] += 1
                if not f[key]:
                    self.missing[key] += 1
        if f["politeness_score"] is not None:
            self.politeness.add(f["politeness_score"])
        if f["politeness_label"]:
            self.politeness_labels[str(f["politeness_label"])] += 1
        if f["words"] is not None:
            self.words.add(f["words"])
        if f["length_verdict"]:
            self.length_verdicts[str(f["length_verdict"])] += 1
        if f["grade"] is not None:
            self.grade.add(f["grade"])
        if f["desperation_level"]:
            self.desperation_levels[str(f["desperation_level"])] += 1
        for sig in (data.get("desperation") or {}).get("signals", []):
            if sig.get("text"):
                self.phrases[phrase_key(sig["text"])] += 1
        if len(self.phrases) > PHRASE_CAPACITY:
            self.phrases = Counter(dict(self.phrases.most_common(PHRASE_CAPACITY // 2)))
        for rule in {x["rule"] for x in data.get("findings") or []}:
            self.rules[rule] += 1
        for sev in SEVERITY_DISPLAY_ORDER:
            self.severity_totals[sev] += f[sev + "s"]
        score = (f["errors"] * 100 + f["warnings"] * 10 + f["suggestions"]
                 + DESPERATION_WEIGHT.get(str(f["desperation_level"]), 0))
        if score > 0:
            entry = {"id": result.id, "seq": self._seq, "score": score, "errors": f["errors"],
                     "warnings": f["warnings"], "suggestions": f["suggestions"],
                     "verdict": f["verdict"], "desperation_level": f["desperation_level"]}
            item = (score, -self._seq, entry)
            if len(self._attention) < TOP_ATTENTION:
                heapq.heappush(self._attention, item)
            elif item[:2] > self._attention[0][:2]:
                heapq.heapreplace(self._attention, item)

    # -- reading -----------------------------------------------------------------------
    def attention(self) -> list[dict[str, Any]]:
        """The drafts needing most attention, worst first (ties: input order)."""
        return [e for _, _, e in sorted(self._attention, key=lambda t: (-t[0], -t[1]))]

    def missing_share(self) -> list[tuple[str, str, int, int]]:
        """``(key, label, missing, known)`` per element; the label is ``Label.short`` (it
        heads a row of a chart)."""
        return [(e.key, e.short, self.missing[e.key], self.element_known[e.key])
                for e in ELEMENTS]

    def top_phrases(self, n: int = TOP_PHRASES) -> list[tuple[str, int]]:
        return self.phrases.most_common(n)

    def exit_code(self) -> int:
        """3 when some input was unreadable, else 1 when some draft has an error, else 0."""
        return 3 if self.unreadable else 1 if self.with_errors else 0

    def line(self) -> str:
        parts = [f"{self.total:,} drafts", f"{self.checked:,} checked"]
        if self.checked:
            parts.append(f"{self.verdicts.get('ready', 0):,} ready")
            parts.append(f"{self.verdicts.get('revise', 0):,} to revise")
            parts.append(f"{self.with_errors:,} with errors")
        parts.append(f"{self.unreadable:,} unreadable")
        return ", ".join(parts)

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

from ..report import ELEMENTS, SEVERITY_DISPLAY_ORDER, VERDICTS, clip, plural, send_verdict

DESPERATION_WEIGHT = {"high": 50, "some": 10}
TOP_ATTENTION = 10
TOP_PHRASES = 15
#: Report sections whose signals are phrases the class summary lists.
PHRASE_SECTIONS = ("desperation", "hostility")
PHRASE_CAPACITY = 5000  # distinct phrases kept; the rarest are pruned beyond this


def _send_verdict(data: dict[str, Any]) -> str | None:
    """The report's ``send_verdict``; worked out from its findings for a report stored before
    the key existed (a round-1 JSONL, a class version)."""
    value = data.get("send_verdict")
    if value in VERDICTS:
        return value
    if "findings" not in data or not isinstance(data.get("findings"), list):
        return None
    hostility = data.get("hostility")
    frequency = data.get("frequency")
    return send_verdict(
        [f for f in data["findings"] if isinstance(f, dict) and "severity" in f],
        frequency if isinstance(frequency, dict) else None,
        hostility if isinstance(hostility, dict) else None,
    )


def facts(data: dict[str, Any]) -> dict[str, Any]:
    """The gradebook facts of one report JSON; ``None`` where a section is absent."""
    length = data.get("length") or {}
    pol = data.get("politeness") or {}
    des = data.get("desperation") or {}
    host = data.get("hostility") if isinstance(data.get("hostility"), dict) else {}
    els = data.get("elements") or {}
    counts = data.get("counts") or {}
    findings = data.get("findings") or []
    out: dict[str, Any] = {
        "kind": data.get("kind"),
        "verdict": data.get("verdict"),
        "send_verdict": _send_verdict(data),
        "words": length.get("words"),
        "sentences": length.get("sentences"),
        "grade": length.get("grade"),
        "length_verdict": length.get("verdict"),
        "politeness_score": pol.get("score"),
        "politeness_label": pol.get("label"),
        "desperation_level": des.get("level"),
        "desperation_signals": len(des["signals"]) if des else None,
        "hostility_level": host.get("level") if host else None,
        "hostility_signals": len(host.get("signals") or []) if host else None,
        "errors": int(counts.get("error", 0)),
        "warnings": int(counts.get("warning", 0)),
        "suggestions": int(counts.get("suggestion", 0)),
        "findings": len(findings),
    }
    for label in ELEMENTS:
        el = els.get(label.key)
        out[label.key] = el["present"] if el is not None else None
    out["missing"] = [label.key for label in ELEMENTS if out[label.key] is False]
    return out


def phrase_key(text: str) -> str:
    return clip(" ".join(str(text).lower().split()).strip(" .,;:"))


def phrase_text(text: str) -> str:
    """A phrase as the student wrote it (their casing), on one line, clipped."""
    return clip(" ".join(str(text).split()).strip(" .,;:"))


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
            out.append(
                f"{self.fmt.format(a)}+"
                if i == self.bins - 1 and self.open_end
                else f"{self.fmt.format(a)}-{self.fmt.format(a + self.step)}"
            )
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
        self.missing: Counter[str] = Counter()  # element -> drafts missing it
        self.element_known: Counter[str] = Counter()  # element -> drafts with the section
        self.politeness = Histogram(0.0, 0.1, 10, "{:.1f}", open_end=False)
        self.politeness_labels: Counter[str] = Counter()
        self.words = Histogram(0, 25, 12, "{:g}")
        self.length_verdicts: Counter[str] = Counter()
        self.grade = Histogram(0, 2, 10, "{:g}")
        self.desperation_levels: Counter[str] = Counter()
        self.hostility_levels: Counter[str] = Counter()
        # (section, signal rule, folded phrase) -> drafts; the first spelling seen is shown
        self.phrases: Counter[tuple[str, str, str]] = Counter()
        self.spellings: dict[tuple[str, str, str], str] = {}
        self.rules: Counter[str] = Counter()  # rule -> drafts with it
        self.severity_totals: Counter[str] = Counter()
        self._attention: list[tuple] = []  # min-heap of (score, -seq, entry)
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
        self.verdicts[f["send_verdict"] or "unknown"] += 1
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
        if f["hostility_level"]:
            self.hostility_levels[str(f["hostility_level"])] += 1
        for section in PHRASE_SECTIONS:
            part = data.get(section)
            for sig in (part.get("signals") or []) if isinstance(part, dict) else []:
                if isinstance(sig, dict) and sig.get("text") and sig.get("rule"):
                    key = (section, str(sig["rule"]), phrase_key(sig["text"]))
                    self.phrases[key] += 1
                    self.spellings.setdefault(key, phrase_text(sig["text"]))
        if len(self.phrases) > PHRASE_CAPACITY:
            self.phrases = Counter(dict(self.phrases.most_common(PHRASE_CAPACITY // 2)))
            self.spellings = {k: v for k, v in self.spellings.items() if k in self.phrases}
        for rule in {x["rule"] for x in data.get("findings") or []}:
            self.rules[rule] += 1
        for sev in SEVERITY_DISPLAY_ORDER:
            self.severity_totals[sev] += f[sev + "s"]
        score = (
            f["errors"] * 100
            + f["warnings"] * 10
            + f["suggestions"]
            + DESPERATION_WEIGHT.get(str(f["desperation_level"]), 0)
        )
        if score > 0:
            entry = {
                "id": result.id,
                "seq": self._seq,
                "score": score,
                "errors": f["errors"],
                "warnings": f["warnings"],
                "suggestions": f["suggestions"],
                "verdict": f["send_verdict"],
                "desperation_level": f["desperation_level"],
            }
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
        return [(e.key, e.short, self.missing[e.key], self.element_known[e.key]) for e in ELEMENTS]

    def top_phrases(self, n: int = TOP_PHRASES) -> list[tuple[str, int]]:
        """The most common phrases, as the first student who wrote them spelled them."""
        return [(self.spellings.get(k, k[2]), c) for k, c in self.phrases.most_common(n)]

    def phrase_groups(self, n: int = TOP_PHRASES) -> list[tuple[str, str, list[tuple[str, int]]]]:
        """The most common phrases grouped by what they are: ``(section, signal rule,
        [(phrase as written, drafts)])``, desperation before hostility, the biggest group
        first within each."""
        groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for key, count in self.phrases.most_common(n):
            groups.setdefault(key[:2], []).append((self.spellings.get(key, key[2]), count))
        order = {name: i for i, name in enumerate(PHRASE_SECTIONS)}
        return [
            (section, rule, items)
            for (section, rule), items in sorted(
                groups.items(), key=lambda g: (order[g[0][0]], -sum(c for _, c in g[1]))
            )
        ]

    def exit_code(self) -> int:
        """3 when some input was unreadable, else 1 when some draft has an error, else 0."""
        return 3 if self.unreadable else 1 if self.with_errors else 0

    def line(self) -> str:
        parts = [plural(self.total, "draft"), f"{self.checked:,} checked"]
        if self.checked:
            parts += [
                f"{self.verdicts.get(key, 0):,} {label.short}" for key, label in VERDICTS.items()
            ]
        parts.append(f"{self.unreadable:,} unreadable")
        return ", ".join(parts)

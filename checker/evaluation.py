"""Accuracy of the whole check on labelled drafts (``data/eval``, ``../shared`` dev).

``score(rows)`` checks every draft and measures what a user meets: whether the drafts that
should not be sent get an error, whether good drafts are left alone, the desperation and
hostility sections against their labels (draft F1 and the share of labelled phrases a
signal overlaps), the politeness label, and each element.  A row is a dict with the fields
of ``data/eval/README.md``; fields a set does not label are not measured.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .report import ELEMENT_KEYS

REJECTION_KEYS = ("thanks_for_news", "gracious", "door_open", "feedback_request")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, pred: bool, gold: bool) -> None:
        if pred and gold:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def f1(self) -> float | None:
        d = 2 * self.tp + self.fp + self.fn
        return round(2 * self.tp / d, 3) if d else None


@dataclass
class Share:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += bool(ok)
        self.total += 1

    @property
    def value(self) -> float | None:
        return round(self.hit / self.total, 3) if self.total else None


@dataclass
class Result:
    n: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    shares: dict[str, Share] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def tally(self, key: str) -> Tally:
        return self.tallies.setdefault(key, Tally())

    def share(self, key: str) -> Share:
        return self.shares.setdefault(key, Share())

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"n": self.n}
        out.update({k: s.value for k, s in self.shares.items()})
        out.update({f"f1_{k}": t.f1 for k, t in self.tallies.items()})
        return out


def bad(row: dict) -> bool:
    """A draft that would hurt the sender: desperate, hostile or impolite."""
    return bool(row.get("desperate") or row.get("hostile") or row.get("politeness") == "impolite")


def good(row: dict) -> bool:
    return row.get("politeness") == "polite" and not row.get("desperate") and not row.get("hostile")


def _overlaps(phrase_span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    a, b = phrase_span
    return any(s < b and a < e for s, e in spans)


def score(rows: list[dict], *, kind: str = "given", config=None) -> Result:
    """Check ``rows`` and measure.  ``kind``: "given" passes each row's labelled kind,
    "auto" lets the check infer it (as a user who gives no ``--kind``)."""
    from . import check_many

    res = Result()
    items = [(r["text"], {"kind": r.get("kind") if kind == "given" else None}) for r in rows]
    for row, report in zip(rows, check_many(items, config=config)):
        res.n += 1
        d = report.to_dict()
        rid = row.get("id", "?")
        errors = [f for f in d["findings"] if f["severity"] == "error"]
        if bad(row):
            res.share("bad_stopped").add(bool(errors))
            if not errors:
                res.misses.append(f"{rid} bad but no error")
        if good(row):
            real = [f for f in errors if f["rule"] != "hygiene.placeholder"]
            res.share("good_with_error").add(bool(real))
            if real:
                res.misses.append(
                    f"{rid} good but error {real[0]['rule']}: {real[0]['text'][:50]!r}"
                )
        for section in ("desperation", "hostility"):
            label = "desperate" if section == "desperation" else "hostile"
            if label not in row or section not in d:
                continue
            pred = bool(d[section]["detected"])
            res.tally(label).add(pred, bool(row[label]))
            if pred != bool(row[label]):
                res.misses.append(f"{rid} {label}: expected {row[label]}")
            spans = [(s["start"], s["end"]) for s in d[section]["signals"]]
            for phrase in row.get(f"{label}_phrases", []):
                i = row["text"].find(phrase)
                ok = _overlaps((i, i + len(phrase)), spans)
                res.share(f"{label}_phrase_recall").add(ok)
                if not ok:
                    res.misses.append(f"{rid} {label} phrase missed: {phrase!r}")
        pol = (d.get("politeness") or {}).get("label")
        if row.get("politeness") == "impolite":
            res.share("impolite_labelled_impolite").add(pol == "impolite")
            if pol != "impolite":
                res.misses.append(f"{rid} impolite labelled {pol}")
        if row.get("politeness") == "polite":
            res.share("polite_labelled_impolite").add(pol == "impolite")
            if pol == "impolite":
                res.misses.append(f"{rid} polite labelled impolite")
        elements = d.get("elements") or {}
        for key in ELEMENT_KEYS:
            if key in row.get("elements", {}) and key in elements:
                pred, gold = bool(elements[key]["present"]), bool(row["elements"][key])
                res.tally(key).add(pred, gold)
                if pred != gold:
                    res.misses.append(f"{rid} {key}: expected {gold}")
        rej = row.get("rejection_elements")
        if rej and d["kind"] == "rejection_reply":
            for key in REJECTION_KEYS:
                if key in rej and key in elements:
                    res.tally(key).add(bool(elements[key]["present"]), bool(rej[key]))
        if row.get("kind"):
            res.share("kind_inferred").add(d["kind"] == row["kind"]) if kind == "auto" else None
    return res


def read_jsonl(path: str | Path) -> list[dict]:
    return [
        json.loads(line)
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


COLUMNS = (
    ("bad_stopped", "bad stopped"),
    ("good_with_error", "good w/ error"),
    ("f1_desperate", "desp F1"),
    ("desperate_phrase_recall", "desp phrases"),
    ("f1_hostile", "host F1"),
    ("hostile_phrase_recall", "host phrases"),
    ("impolite_labelled_impolite", "impolite→imp"),
    ("polite_labelled_impolite", "polite→imp"),
    ("f1_thanks", "thanks"),
    ("f1_enjoyed", "enjoyed"),
    ("f1_offer_info", "offer"),
    ("f1_call_heads_up", "call"),
    ("kind_inferred", "kind"),
)


def table(named: Iterable[tuple[str, dict[str, Any]]]) -> str:
    """A Markdown table of summaries, one row a set."""
    head = "| set | n | " + " | ".join(label for _, label in COLUMNS) + " |"
    lines = [head, "|---|---:|" + "---:|" * len(COLUMNS)]
    for name, s in named:
        cells = [
            ("" if s.get(k) is None else f"{s[k]:.3f}".lstrip("0") if s[k] < 1 else "1.00")
            for k, _ in COLUMNS
        ]
        lines.append(f"| {name} | {s['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)

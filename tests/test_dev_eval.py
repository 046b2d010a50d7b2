"""Accuracy on labelled drafts: ../shared dev set (skips without ../shared) and the bundled
evaluation sets in data/eval (written blind to the rules).  Prints per-element F1,
desperation F1 and phrase recall; asserts floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import check_many

ROOT = Path(__file__).resolve().parents[1]
ELEMENTS = ("thanks", "enjoyed", "offer_info", "call_heads_up")


def score(rows: list[dict]) -> dict:
    counts = {k: [0, 0, 0] for k in (*ELEMENTS, "desperate")}
    hit = total = 0
    misses = []
    reports = check_many([(r["text"], {"kind": r.get("kind")}) for r in rows])
    for row, report in zip(rows, reports):
        d = report.to_dict()
        pairs = [(k, d["elements"][k]["present"], row["elements"][k]) for k in ELEMENTS]
        pairs.append(("desperate", d["desperation"]["detected"], row["desperate"]))
        for k, pred, gold in pairs:
            c = counts[k]
            c[0] += pred and gold
            c[1] += pred and not gold
            c[2] += gold and not pred
            if pred != gold:
                misses.append(f"{row['id']} {k}: expected {gold}")
        spans = [(s["start"], s["end"]) for s in d["desperation"]["signals"]]
        for phrase in row.get("desperate_phrases", []):
            i = row["text"].find(phrase)
            total += 1
            hit += any(s < i + len(phrase) and i < e for s, e in spans)
    f1 = {
        k: round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0
        for k, (tp, fp, fn) in counts.items()
    }
    return {
        "f1": f1,
        "phrase_recall": round(hit / total, 3) if total else 1.0,
        "n": len(rows),
        "misses": misses,
    }


def _report(name: str, result: dict) -> None:
    print(
        f"\n{name}: n={result['n']} "
        + " ".join(f"{k}={v}" for k, v in result["f1"].items())
        + f" phrase_recall={result['phrase_recall']}"
    )
    for m in result["misses"]:
        print("  miss:", m)


def test_dev_set(dev_drafts):
    result = score(dev_drafts)
    _report("dev.jsonl", result)
    for k in ELEMENTS:
        assert result["f1"][k] >= 0.95, (k, result)
    assert result["f1"]["desperate"] >= 0.95
    assert result["phrase_recall"] >= 0.9


@pytest.mark.parametrize("name", ["tune", "tune2", "tune3", "tune4", "holdout", "holdout2"])
def test_bundled_eval_sets(name):
    path = ROOT / "data" / "eval" / f"{name}.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not present")
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    result = score(rows)
    _report(path.name, result)
    for k in ELEMENTS:
        assert result["f1"][k] >= 0.85, (k, result["f1"])
    assert result["f1"]["desperate"] >= 0.8
    # Labelled desperate phrases a signal overlaps (phrase rules plus the tone model).
    assert result["phrase_recall"] >= 0.7, result["phrase_recall"]

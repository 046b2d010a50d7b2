"""Score the proofread rules on ``set.jsonl`` (built by ``make_set.py``).

    .venv/bin/python data/eval/proofread/evaluate.py [--show-flags] [--show-misses]

- **Recall**, per injected error type: the share of injected errors that the expected rule
  flags with a finding overlapping the injected words.
- **Fixes**: how many caught errors carry a fix, and how many of those fixes give back the
  original note exactly.
- **Precision** on the clean originals: proofread findings per note (the target is at most 1
  flag in 20 notes), per rule, and the share of findings on the injected copies that point at
  the injected error.

Each item's contact log (its employer and two others) is written to a throw-away SQLite file.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))


def load() -> list[dict]:
    return [json.loads(line) for line in (HERE / "set.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def run(items: list[dict], folder: Path) -> list:
    from checker import check_many
    from checker.contacts import add_employer, connect

    dbs: dict[str, str] = {}
    for it in items:
        key = json.dumps(it["log"], sort_keys=True)
        if key not in dbs:
            path = folder / f"log{len(dbs)}.db"
            conn = connect(path)
            for e in it["log"]:
                add_employer(conn, e["company"])
            conn.close()
            dbs[key] = str(path)
    inputs = [(it["text"], {**it["context"], "db": dbs[json.dumps(it["log"], sort_keys=True)]})
              for it in items]
    return list(check_many(inputs))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show-flags", action="store_true", help="print every flag on a clean note")
    ap.add_argument("--show-misses", action="store_true", help="print every missed injection")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    items = load()
    with tempfile.TemporaryDirectory() as tmp:
        reports = run(items, Path(tmp))
    clean_n = 0
    clean_flags: collections.Counter[str] = collections.Counter()
    hit: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    on_target: collections.Counter[str] = collections.Counter()
    off_target: collections.Counter[str] = collections.Counter()
    with_fix: collections.Counter[str] = collections.Counter()
    right_fix: collections.Counter[str] = collections.Counter()
    original = {it["source"]: it["text"] for it in items if it["injected"] is None}
    for it, rep in zip(items, reports):
        found = [f for f in rep.findings if f.category == "proofread"]
        if it["injected"] is None:
            clean_n += 1
            for f in found:
                clean_flags[f.rule] += 1
                if args.show_flags:
                    print(f"FLAG {it['id']} {f.rule} {rep.text[f.start:f.end]!r}: {f.message}")
            continue
        inj = it["injected"]
        total[it["type"]] += 1
        target = [f for f in found if f.rule == inj["rule"] and f.start < inj["end"]
                  and inj["start"] < f.end]
        ok = bool(target)
        hit[it["type"]] += ok
        fixed = [f for f in target if f.fix is not None]
        if fixed:
            with_fix[it["type"]] += 1
            f = fixed[0]
            restored = rep.text[:f.fix.start] + f.fix.replacement + rep.text[f.fix.end:]
            right_fix[it["type"]] += restored == original[it["source"]]
        if not ok and args.show_misses:
            ctx = rep.text[max(0, inj["start"] - 40):inj["end"] + 40].replace("\n", " ")
            print(f"MISS {it['id']} {it['type']} {inj['original']!r} -> {inj['replacement']!r}: "
                  f"...{ctx}... [{', '.join(f.rule for f in found)}]")
        for f in found:
            if f.start < inj["end"] and inj["start"] < f.end:
                on_target[f.rule] += 1
            else:
                off_target[f.rule] += 1
    rules = sorted(set(clean_flags) | set(on_target) | set(off_target)
                   | {it["injected"]["rule"] for it in items if it["injected"]})
    result = {
        "clean_notes": clean_n,
        "recall": {k: [hit[k], total[k], round(hit[k] / total[k], 3)] for k in sorted(total)},
        "recall_all": round(sum(hit.values()) / max(1, sum(total.values())), 3),
        "clean_flags": dict(clean_flags),
        "clean_flags_per_note": round(sum(clean_flags.values()) / max(1, clean_n), 3),
        "injected_copies_precision": {r: [on_target[r], on_target[r] + off_target[r]] for r in rules},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{clean_n} clean notes, {sum(total.values())} injected errors\n")
    print("| injected error | expected rule | caught | recall | with a fix | fix restores the original |")
    print("|---|---|---:|---:|---:|---:|")
    rule_of = {it["type"]: it["injected"]["rule"] for it in items if it["injected"]}
    for k in sorted(total):
        print(f"| {k} | `{rule_of[k]}` | {hit[k]}/{total[k]} | {hit[k] / total[k]:.2f} | "
              f"{with_fix[k]} | {right_fix[k]}/{with_fix[k]} |")
    print(f"| **all** | | {sum(hit.values())}/{sum(total.values())} | "
          f"**{result['recall_all']:.2f}** | {sum(with_fix.values())} | "
          f"{sum(right_fix.values())}/{sum(with_fix.values())} |\n")
    print("| rule | flags on the clean notes | per note | on injected copies: on the error / all |")
    print("|---|---:|---:|---:|")
    for r in rules:
        print(f"| `{r}` | {clean_flags[r]} | {clean_flags[r] / clean_n:.3f} | "
              f"{on_target[r]}/{on_target[r] + off_target[r]} |")
    print(f"| **all** | {sum(clean_flags.values())} | **{result['clean_flags_per_note']:.3f}** "
          f"(target <= 0.05) | |")


if __name__ == "__main__":
    main()

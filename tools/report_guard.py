"""Guard for refactors: the full JSON reports of every bundled draft, before and after.

    python tools/report_guard.py --save /tmp/before.jsonl    # on the old code
    python tools/report_guard.py --compare /tmp/before.jsonl # on the new code

Drafts: the 300 generated bench drafts (``bench/bench_check.drafts``), every
``data/eval/**/*.jsonl`` set, ``data/examples``, and ``../shared/data/drafts/dev.jsonl`` when
present.  Each draft is checked as thank-you, as follow-up and with its kind inferred, so
every kind-dependent path is covered.  Prints the number of reports and a sha256 of them all;
``--compare`` lists the drafts whose report changed (exit 1 if any did).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def drafts() -> list[tuple[str, str]]:
    from bench_check import drafts as bench_drafts

    out = [(f"bench:{i}", t) for i, t in enumerate(bench_drafts(300))]
    files = sorted((ROOT / "data" / "eval").rglob("*.jsonl"))
    dev = ROOT.parent / "shared" / "data" / "drafts" / "dev.jsonl"
    if dev.is_file():
        files.append(dev)
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((f"{f.name}:{row['id']}", row["text"]))
    for f in sorted((ROOT / "data" / "examples").glob("*.txt")):
        out.append((f"examples:{f.name}", f.read_text(encoding="utf-8")))
    return out


def reports() -> list[tuple[str, str]]:
    from checker import check_many

    items = drafts()
    out = []
    for kind in ("auto", "thank_you", "follow_up"):
        reps = check_many([(t, {"kind": None if kind == "auto" else kind}) for _, t in items])
        for (name, _), rep in zip(items, reps):
            out.append(
                (f"{name}:{kind}", json.dumps(rep.to_dict(), sort_keys=True, ensure_ascii=False))
            )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--save", metavar="FILE")
    g.add_argument("--compare", metavar="FILE")
    args = ap.parse_args()
    rows = reports()
    digest = hashlib.sha256("\n".join(r for _, r in rows).encode()).hexdigest()
    print(f"{len(rows)} reports, sha256 {digest[:16]}")
    if args.save:
        Path(args.save).write_text(
            "".join(json.dumps([n, r]) + "\n" for n, r in rows), encoding="utf-8"
        )
    if args.compare:
        before = dict(json.loads(line) for line in Path(args.compare).read_text().splitlines())
        changed = [n for n, r in rows if n in before and before[n] != r]
        missing = sorted(set(before) - {n for n, _ in rows})
        for n in changed[:20]:
            print("changed:", n)
        print(f"{len(changed)} changed, {len(missing)} missing")
        return 1 if changed or missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

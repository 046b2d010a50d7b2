"""Score the check on labelled draft sets and print the accuracy table.

    python tools/eval_drafts.py data/eval/real/tune.jsonl data/eval/tune*.jsonl
    python tools/eval_drafts.py --kind auto --misses data/eval/real/tune.jsonl

Never point it at a holdout while tuning: holdouts are scored once, at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checker.evaluation import read_jsonl, score, table  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--kind", choices=("given", "auto"), default="auto")
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    named = []
    for f in args.files:
        res = score(read_jsonl(f), kind=args.kind)
        named.append(
            (
                Path(f).parent.name + "/" + Path(f).name if "real" in f else Path(f).name,
                res.summary(),
            )
        )
        if args.misses:
            print(f"## {f}")
            for m in res.misses:
                print("  ", m)
    print(json.dumps(dict(named), indent=1) if args.json else table(named))
    return 0


if __name__ == "__main__":
    sys.exit(main())

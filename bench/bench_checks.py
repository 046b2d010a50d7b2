"""Time each check on its own: milliseconds a draft, on pre-parsed drafts.

The drafts are the 1,000 generated bench drafts plus the real tuning messages
(``data/eval/real/tune.jsonl``); each is parsed once, then every check module runs over all
of them in turn (checks that read earlier sections get them from a first full pass).  Prints
the median of --rounds rounds per check, and the hostility check's share with and without
its learned tone model.

Usage: python bench/bench_checks.py [--rounds 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_check import drafts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    from checker import api, textprep
    from checker.config import Config
    from checker.nlp import get_nlp

    texts = drafts(1000) + [json.loads(line)["text"] for line in
                            (ROOT / "data" / "eval" / "real" / "tune.jsonl").read_text(
                                encoding="utf-8").splitlines() if line.strip()]
    nlp = get_nlp()
    docs = list(nlp.pipe(api.for_parser(t) for t in texts))
    config = Config()
    checks = api._checks()
    contexts = []
    for text, doc in zip(texts, docs):
        ctx = api.Context(text=text, doc=doc, kind=textprep.infer_kind(text), config=config,
                          layout=textprep.layout(text))
        for module in checks:   # a first full pass: sections later checks read, warm caches
            section = module.run(ctx)
            if section is not None:
                ctx.sections[module.__name__.split(".")[-2]] = section
        contexts.append(ctx)
    timings: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for module in checks:
            name = module.__name__.split(".")[-2]
            t0 = time.perf_counter()
            for ctx in contexts:
                ctx.findings = []
                module.run(ctx)
            timings.setdefault(name, []).append((time.perf_counter() - t0) * 1000 / len(texts))
    print(f"{len(texts)} drafts ({len(texts) - 1000} real), median of {args.rounds} rounds, "
          "ms a draft:")
    for name, values in timings.items():
        print(f"  {name:12s} {statistics.median(values):6.3f}")
    print(f"  {'all checks':12s} {sum(statistics.median(v) for v in timings.values()):6.3f}")


if __name__ == "__main__":
    main()

"""Time each check on its own: CPU milliseconds a draft, on pre-parsed drafts.

The drafts are the 1,000 generated bench drafts plus the real tuning messages
(``data/eval/real/tune.jsonl``); each is parsed once, then every check module runs over all
of them in turn (checks that read earlier sections get them from a first full pass).  Each
round starts with empty per-draft caches (``ctx.cache``), as a fresh ``check`` does, so a
check that fills the cache (desperation's tone features, the token columns of
``checker.learned.doc_columns``) pays for it and the next (hostility) reuses it.  Times are CPU time (``time.process_time``: other processes on a
shared machine do not count), the minimum of --rounds rounds per check.

Usage: python bench/bench_checks.py [--rounds 5] [--profile CHECK] [--json] [--ratio N]
  --profile CHECK: also print a cProfile of one round of that check (top 30 by cumulative).
  --ratio N: instead, ``bench_check.py``'s throughput ratio in CPU time: ``check_many`` and
  a bare full-pipeline ``nlp.pipe`` over the first N bench drafts, alternated, minimum of
  --rounds rounds each (wall time on a shared machine swings by a third).
"""

from __future__ import annotations

import argparse
import json
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
    ap.add_argument("--profile", metavar="CHECK")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--ratio", type=int, metavar="N")
    args = ap.parse_args()
    if args.ratio:
        ratio(args.ratio, args.rounds, args.json)
        return

    from checker import api, textprep
    from checker.config import Config
    from checker.nlp import get_nlp

    texts = drafts(1000) + [
        json.loads(line)["text"]
        for line in (ROOT / "data" / "eval" / "real" / "tune.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    nlp = get_nlp()
    docs = list(nlp.pipe(api.for_parser(t) for t in texts))
    config = Config()
    checks = api._checks()
    contexts = []
    for text, doc in zip(texts, docs):
        ctx = api.Context(
            text=text,
            doc=doc,
            kind=textprep.infer_kind(text),
            config=config,
            layout=textprep.layout(text),
        )
        for module in checks:  # a first full pass: sections later checks read, warm caches
            section = module.run(ctx)
            if section is not None:
                ctx.sections[module.__name__.split(".")[-2]] = section
        contexts.append(ctx)

    def one_round(module) -> float:
        t0 = time.process_time()
        for ctx in contexts:
            ctx.findings = []
            module.run(ctx)
        return (time.process_time() - t0) * 1000 / len(texts)

    timings: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for ctx in contexts:
            ctx.cache.clear()
            ctx.doc.user_data.pop("followup.learned.columns", None)
        for module in checks:
            timings.setdefault(module.__name__.split(".")[-2], []).append(one_round(module))
    best = {name: min(values) for name, values in timings.items()}
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in best.items()}))
    else:
        print(
            f"{len(texts)} drafts ({len(texts) - 1000} real), min of {args.rounds} rounds, "
            "CPU ms a draft:"
        )
        for name, value in best.items():
            print(f"  {name:12s} {value:6.3f}")
        print(f"  {'all checks':12s} {sum(best.values()):6.3f}")
    if args.profile:
        import cProfile
        import pstats

        for ctx in contexts:
            ctx.cache.clear()
            ctx.doc.user_data.pop("followup.learned.columns", None)
        prof = cProfile.Profile()
        for module in checks:
            if module.__name__.split(".")[-2] == args.profile:
                prof.enable()
            one_round(module)
            prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


def ratio(n: int, rounds: int, as_json: bool) -> None:
    import spacy

    import checker
    from checker.nlp import MODEL

    texts = drafts(n)
    full = spacy.load(MODEL)
    list(full.pipe(texts[:50]))
    list(checker.check_many(texts[:50]))
    bare, ours = [], []
    for _ in range(rounds):
        t0 = time.process_time()
        for _ in full.pipe(texts, batch_size=64):
            pass
        bare.append((time.process_time() - t0) * 1000 / n)
        t0 = time.process_time()
        for _ in checker.check_many(texts):
            pass
        ours.append((time.process_time() - t0) * 1000 / n)
    result = {
        "bare_nlp_pipe_cpu_ms": round(min(bare), 3),
        "check_many_cpu_ms": round(min(ours), 3),
        "throughput_ratio": round(min(bare) / min(ours), 3),
    }
    if as_json:
        print(json.dumps(result))
    else:
        print(
            f"{n} drafts, min of {rounds} alternated rounds, CPU ms a draft: bare full nlp.pipe "
            f"{min(bare):.3f}, check_many {min(ours):.3f}; throughput ratio "
            f"{min(bare) / min(ours):.2f}x"
        )


if __name__ == "__main__":
    main()

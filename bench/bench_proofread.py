"""Benchmark the proofread check alone, warm: milliseconds per draft of
``checker.checks.proofread.check.run`` (every proofread rule and the fixes for earlier
findings), after the other checks ran as usual.

Drafts: the bench drafts (``bench_check.drafts``) and the notes of the proofread evaluation set
(``data/eval/proofread/set.jsonl``, clean and with injected errors).  Each is parsed once; the
proofread check then runs ``--rounds`` times on it and the best round counts (the least
disturbed by other work on the machine).  Also timed with a contact log (``to`` + ``db``: an
SQLite read per draft) and the first (cold) load of the dictionary.

Usage: python bench/bench_proofread.py [--drafts 300] [--rounds 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _contexts(texts, options):
    import checker.api as api
    from checker import textprep
    from checker.config import Config
    from checker.nlp import get_nlp

    nlp = get_nlp()
    config = Config()
    others = [m for m in api._checks() if not m.__name__.endswith("proofread.check")]
    out = []
    for text, doc in zip(texts, nlp.pipe([api.for_parser(t) for t in texts], batch_size=64)):
        ctx = api.Context(text=text, doc=doc, kind=api._resolve_kind(None, text), config=config,
                          layout=textprep.layout(text), options=dict(options))
        for module in others:
            section = module.run(ctx)
            if section is not None:
                ctx.sections[module.__name__.split(".")[-2]] = section
        out.append(ctx)
    return out


def _time(ctxs, rounds: int) -> list[float]:
    from checker.checks.proofread import check as proofread

    best = [float("inf")] * len(ctxs)
    for _ in range(rounds):
        for i, ctx in enumerate(ctxs):
            keep = list(ctx.findings)
            t0 = time.perf_counter()
            proofread.run(ctx)
            best[i] = min(best[i], time.perf_counter() - t0)
            ctx.findings[:] = keep
    return [b * 1000 for b in best]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drafts", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from bench_check import drafts

    texts = drafts(args.drafts)
    eval_set = ROOT / "data" / "eval" / "proofread" / "set.jsonl"
    texts += [json.loads(line)["text"] for line in eval_set.read_text(encoding="utf-8").splitlines()
              if line.strip()]

    from checker.checks.proofread import speller

    t0 = time.perf_counter()
    speller.get_speller()
    load = time.perf_counter() - t0

    plain = _time(_contexts(texts, {}), args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        from checker.contacts import add_employer, connect

        db = str(Path(tmp) / "log.db")
        conn = connect(db)
        add_employer(conn, "Globex", person="Dana Whitfield", role="Data Analyst")
        add_employer(conn, "Initech")
        conn.close()
        logged = _time(_contexts(texts, {"to": "Globex", "db": db}), args.rounds)

    def stats(ms):
        ms = sorted(ms)
        return {"mean_ms": round(statistics.mean(ms), 3), "median_ms": round(ms[len(ms) // 2], 3),
                "p95_ms": round(ms[int(len(ms) * 0.95)], 3)}

    result = {"drafts": len(texts), "dictionary_load_s": round(load, 3),
              "no_log": stats(plain), "with_log": stats(logged)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"dictionary load (first spelling check)  {load:.3f} s")
    for name, key in (("proofread, no contact log", "no_log"),
                      ("proofread, --to with a log", "with_log")):
        s = result[key]
        print(f"{name:<28} mean {s['mean_ms']:.3f} ms  median {s['median_ms']:.3f} ms  "
              f"p95 {s['p95_ms']:.3f} ms per draft  ({len(texts)} drafts, best of {args.rounds})")


if __name__ == "__main__":
    main()

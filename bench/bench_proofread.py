"""Benchmark the proofread check alone, warm: milliseconds per draft of
``checker.checks.proofread.check.run`` (every proofread rule and the fixes for earlier
findings), after the other checks ran as usual.

Drafts: the bench drafts (``bench_check.drafts``) and the notes of the proofread evaluation set
(``data/eval/proofread/set.jsonl``, clean and with injected errors).  Each is parsed once; the
proofread check then runs ``--rounds`` times on it and the best round counts (the least
disturbed by other work on the machine; a misspelt word's suggestion is cached after the first
round, so the first round is reported too, for correct drafts and for drafts with an error).  Also timed with a contact log (``to`` + ``db``: an
SQLite read per draft) and the first (cold) load of the dictionary.

Two more figures put it in proportion, each measured so that background load hits both sides
alike:

- its share of ``check_many``: the time spent inside the proofread check while
  ``check_many`` runs the bench drafts, against the whole (medians of ``--rounds`` rounds);
- its share of a cold start: fresh processes that import the proofread check and read the
  dictionary's lookup part, next to the cold ``followup check`` of ``bench_cold``.

Usage: python bench/bench_proofread.py [--drafts 300] [--rounds 5] [--cold-runs 5]
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
        ctx = api.Context(
            text=text,
            doc=doc,
            kind=api._resolve_kind(None, text),
            config=config,
            layout=textprep.layout(text),
            options=dict(options),
        )
        for module in others:
            section = module.run(ctx)
            if section is not None:
                ctx.sections[module.__name__.split(".")[-2]] = section
        out.append(ctx)
    return out


def _time(ctxs, rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds per draft: the best of ``rounds`` rounds, and the first round (each
    misspelt word's suggestion computed for the first time)."""
    from checker.checks.proofread import check as proofread

    best = [float("inf")] * len(ctxs)
    first = []
    for r in range(rounds):
        for i, ctx in enumerate(ctxs):
            keep = list(ctx.findings)
            t0 = time.perf_counter()
            proofread.run(ctx)
            took = time.perf_counter() - t0
            best[i] = min(best[i], took)
            if r == 0:
                first.append(took * 1000)
            ctx.findings[:] = keep
    return [b * 1000 for b in best], first


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drafts", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from bench_check import drafts

    bench = drafts(args.drafts)
    eval_set = ROOT / "data" / "eval" / "proofread" / "set.jsonl"
    rows = [
        json.loads(line)
        for line in eval_set.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    clean = [r["text"] for r in rows if r["injected"] is None]
    typos = [r["text"] for r in rows if r["injected"] is not None]
    texts = bench + clean + typos

    from checker.checks.proofread import speller

    t0 = time.perf_counter()
    speller.get_speller()
    load = time.perf_counter() - t0

    plain, first = _time(_contexts(texts, {}), args.rounds)
    n = len(bench) + len(clean)
    fresh = speller.Speller(speller._read(speller.WORDS_FILE))
    t0 = time.perf_counter()
    fresh.correct("recieve", 100.0, 8)
    library = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        from checker.contacts import add_employer, connect

        db = str(Path(tmp) / "log.db")
        conn = connect(db)
        add_employer(conn, "Globex", person="Dana Whitfield", role="Data Analyst")
        add_employer(conn, "Initech")
        conn.close()
        logged, _ = _time(_contexts(texts, {"to": "Globex", "db": db}), args.rounds)

    def stats(ms):
        ms = sorted(ms)
        return {
            "mean_ms": round(statistics.mean(ms), 3),
            "median_ms": round(ms[len(ms) // 2], 3),
            "p95_ms": round(ms[int(len(ms) * 0.95)], 3),
        }

    share = _share(bench, args.rounds)
    cold = _cold(args.cold_runs)
    result = {
        "drafts": len(texts),
        "dictionary_load_s": round(load, 3),
        "library_build_s": round(library, 3),
        "no_log": stats(plain),
        "with_log": stats(logged),
        "correct_drafts_first_round": stats(first[:n]),
        "injected_error_drafts_first_round": stats(first[n:]),
        **share,
        **cold,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"dictionary lookups ready (first spelling check)  {load:.3f} s")
    print(f"building the library for suggestions (first misspelt word)  {library:.3f} s")
    for name, key in (
        ("proofread, no contact log", "no_log"),
        ("proofread, --to with a log", "with_log"),
        ("first round, correct drafts", "correct_drafts_first_round"),
        ("first round, drafts with an injected error", "injected_error_drafts_first_round"),
    ):
        s = result[key]
        print(
            f"{name:<44} mean {s['mean_ms']:.3f} ms  median {s['median_ms']:.3f} ms  "
            f"p95 {s['p95_ms']:.3f} ms per draft  ({len(texts)} drafts, best of {args.rounds})"
        )
    print(
        f"inside check_many (bench drafts): {result['in_check_many_ms']:.3f} ms per draft, "
        f"{result['share_pct']:.1f}% of the time (per round "
        f"{', '.join(f'{r:.1f}' for r in result['round_pct'])})"
    )
    print(
        f"cold: importing proofread + reading the lookups {result['cold_proofread_s']:.3f} s "
        f"next to a cold followup check of {result['cold_check_s']:.2f} s "
        f"({result['cold_share_pct']:.1f}%; medians of {args.cold_runs})"
    )


def _share(texts, rounds: int) -> dict:
    """Time spent inside the proofread check during ``check_many`` of the bench drafts, as
    milliseconds per draft and as a share of the whole (both measured in the same run, so
    background load hits them alike; medians of ``rounds`` rounds)."""
    from checker import check_many
    from checker.checks.proofread import check as proofread

    list(check_many(texts[:50]))
    run = proofread.run
    spent = [0.0]

    def timed(ctx):
        t0 = time.perf_counter()
        try:
            return run(ctx)
        finally:
            spent[0] += time.perf_counter() - t0

    shares, per = [], []
    proofread.run = timed
    try:
        for _ in range(rounds):
            spent[0] = 0.0
            t0 = time.perf_counter()
            for _ in check_many(texts):
                pass
            total = time.perf_counter() - t0
            shares.append(100 * spent[0] / total)
            per.append(1000 * spent[0] / len(texts))
    finally:
        proofread.run = run
    return {
        "in_check_many_ms": round(statistics.median(per), 3),
        "share_pct": round(statistics.median(shares), 2),
        "round_pct": [round(p, 2) for p in sorted(shares)],
    }


def _cold(runs: int) -> dict:
    import subprocess

    from bench_cold import commands

    code = (
        "import time, checker.api, checker.checks.hygiene.check; t = time.perf_counter(); "
        "from checker.checks.proofread import check, speller; speller.get_speller(); "
        "print(time.perf_counter() - t)"
    )
    check_cmd = commands(sys.executable)["followup check"]
    ours, checks = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        ours.append(float(out or "nan"))
        t0 = time.perf_counter()
        subprocess.run(check_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        checks.append(time.perf_counter() - t0)
    ours_m, check_m = statistics.median(ours), statistics.median(checks)
    return {
        "cold_proofread_s": round(ours_m, 3),
        "cold_check_s": round(check_m, 3),
        "cold_share_pct": round(100 * ours_m / check_m, 1),
    }


if __name__ == "__main__":
    main()

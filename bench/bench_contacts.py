"""Contact-log numbers: single-event writes, CSV import, next step and evaluate on a big log.

.venv/bin/python bench/bench_contacts.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from checker import contacts
from checker.contacts import csvio, db
from checker.contacts.policy import evaluate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--adds", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.db"
        t = time.perf_counter()
        conn = db.connect(path)
        print(f"connect (create + migrate): {1000 * (time.perf_counter() - t):.1f} ms")
        t = time.perf_counter()
        for i in range(args.adds):
            db.add_event(
                conn,
                f"Co {i % 50}",
                dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
                "email",
                "sent",
                "other",
                f"n{i}",
            )
        el = time.perf_counter() - t
        print(f"add_event, one transaction each: {args.adds / el:,.0f} events/s")
        rows = ["date,company,channel,direction,kind,note"] + [
            f"2026-{1 + i % 12:02d}-{1 + i % 28:02d},Import {i % 500},email,sent,other,r{i}"
            for i in range(args.rows)
        ]
        t = time.perf_counter()
        r = csvio.import_csv(conn, io.StringIO("\n".join(rows) + "\n", newline=""))
        el = time.perf_counter() - t
        print(f"import_csv {r.added:,} rows: {el:.2f} s ({r.added / el:,.0f} rows/s)")
        t = time.perf_counter()
        n = 200
        for i in range(n):
            contacts.next_step(conn, f"Import {i}", today=dt.date(2026, 12, 31))
        print(
            f"next_step on a {db.count_events(conn):,}-event log: "
            f"{1000 * (time.perf_counter() - t) / n:.2f} ms per employer"
        )
        evs = db.list_events(conn, "Import 1")
        t = time.perf_counter()
        for _ in range(1000):
            evaluate(evs, send_on=dt.date(2026, 12, 31))
        print(f"evaluate over {len(evs)} events: {(time.perf_counter() - t):.3f} ms per call")
        t = time.perf_counter()
        out = io.StringIO()
        csvio.export_csv(conn, out)
        print(f"export_csv: {time.perf_counter() - t:.2f} s, {len(out.getvalue()) / 1e6:.1f} MB")
        conn.close()
        t = time.perf_counter()
        db.connect(path).close()
        print(
            f"connect existing ({path.stat().st_size / 1e6:.1f} MB, quick_check): "
            f"{1000 * (time.perf_counter() - t):.1f} ms"
        )


if __name__ == "__main__":
    main()

"""Benchmark class mode: a room of students submitting at once to ``followup serve``.

Creates a class with ``followup class create``, starts ``followup serve --port 0`` (its
default workers and threads unless given), then ``--students`` threads (default 40), each a
student with a keep-alive connection and a session cookie, wait at one barrier and then each
sends ``--versions`` versions (default 3) as fast as the server answers: open the student
link, send version 1 with a name, follow the redirect to the feedback page, send version 2,
and so on.  Every draft is different (the bundled example drafts with the student's name and
the version in them).

It prints the errors (any answer but the redirect and a feedback page naming the version),
the latency of "send to feedback shown" (the POST and the GET of the page it redirects to)
as p50 / p95 / max, of the POST alone, the wall time of the whole room and the CPU the
server's processes got in it (on a shared machine, fewer cores than it has), and then
counts the rows stored in the class database: every student must have versions 1..N,
nothing lost, nothing doubled.  Exit status 1 when there was an error or a row is missing.

    .venv/bin/python bench/bench_class.py                       # 40 students x 3 versions
    .venv/bin/python bench/bench_class.py --students 80 --versions 2 --workers 2 --threads 8
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_web import pct, run_all, server_cpu, start_server, stop_server  # noqa: E402

EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.txt"))


def draft(i: int, version: int) -> str:
    base = EXAMPLES[(i + version) % len(EXAMPLES)].read_text(encoding="utf-8")
    return (
        base.rstrip() + f"\n\nP.S. Student {i}, revision {version}: I would be glad to "
        f"send the portfolio piece we discussed ({i * 7 + version} pages).\n"
    )


class Student(threading.Thread):
    def __init__(
        self, i: int, host: str, port: int, path: str, versions: int, barrier: threading.Barrier
    ):
        super().__init__(daemon=True)
        self.i, self.host, self.port, self.path = i, host, port, path
        self.versions, self.barrier = versions, barrier
        self.cookie = ""
        self.feedback: list[float] = []  # POST + GET of the feedback page
        self.posts: list[float] = []  # POST alone
        self.errors: list[str] = []

    def _conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def _request(self, conn, method, path, body=None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", "replace")
        for value in resp.headers.get_all("Set-Cookie") or []:
            self.cookie = value.split(";", 1)[0]
        return resp, data

    def run(self) -> None:
        from urllib.parse import urlencode

        conn = self._conn()
        try:
            resp, page = self._request(conn, "GET", self.path)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        except Exception as exc:
            self.errors.append(f"open: {type(exc).__name__}: {exc}")
            return
        self.barrier.wait()
        for v in range(1, self.versions + 1):
            fields = {"csrf_token": token, "text": draft(self.i, v)}
            if v == 1:
                fields["name"] = f"Student {self.i:03d}"
            t0 = time.perf_counter()
            try:
                resp, body = self._request(conn, "POST", self.path, urlencode(fields))
                t1 = time.perf_counter()
                if resp.status != 303:
                    raise RuntimeError(
                        f"HTTP {resp.status}: {re.sub(r'<[^>]+>', ' ', body)[-200:].split()}"
                    )
                location = resp.headers["Location"].split("#")[0]
                resp, page = self._request(conn, "GET", location)
                t2 = time.perf_counter()
                if resp.status != 200 or f"Feedback on your version {v}" not in page:
                    raise RuntimeError(f"feedback page: HTTP {resp.status}")
            except Exception as exc:
                self.errors.append(f"version {v}: {type(exc).__name__}: {str(exc)[:200]}")
                conn.close()
                conn = self._conn()
                continue
            self.posts.append(t1 - t0)
            self.feedback.append(t2 - t0)
        conn.close()


def run_cli(env, *argv) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "checker.cli", *argv],
        env=env,
        cwd=str(ROOT),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"followup {' '.join(argv)} failed: {proc.stderr}")
    return proc.stdout


def wait_ready(host, port, workers, timeout=180) -> None:
    """Until the server answers and (as far as it can tell) every worker has its pipeline."""
    deadline = time.time() + timeout
    seen: set[int] = set()
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=10)
            conn.request("GET", "/api/v1/health")
            data = json.loads(conn.getresponse().read())
            conn.close()
            if data.get("model_loaded"):
                seen.add(data.get("worker"))
            if len(seen) >= workers:
                return
        except (OSError, ValueError, http.client.HTTPException):
            pass
        time.sleep(0.2)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--versions", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None, help="server workers (default: serve's)")
    ap.add_argument(
        "--threads", type=int, default=None, help="threads per worker (default: serve's)"
    )
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = ap.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="bench-class-")
    env = dict(
        os.environ,
        XDG_DATA_HOME=tmp,
        FOLLOWUP_DB=os.path.join(tmp, "contacts.db"),
        OMP_NUM_THREADS="1",
    )
    env.pop("FOLLOWUP_CLASSES_DB", None)
    made = json.loads(
        run_cli(
            env,
            "class",
            "create",
            "--title",
            "Bench class",
            "--kind",
            "thank_you",
            "--due",
            "tomorrow",
            "--format",
            "json",
        )
    )
    path = re.sub(r"^https?://[^/]+", "", made["student_url"])
    proc, host, port, workers = start_server(args.workers, args.threads, env)
    try:
        wait_ready(host, port, workers)
        barrier = threading.Barrier(args.students)
        students = [
            Student(i, host, port, path, args.versions, barrier) for i in range(args.students)
        ]
        load0 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        cpu0 = server_cpu(proc.pid)
        wall = run_all(students)
        cores = (server_cpu(proc.pid) - cpu0) / wall
    finally:
        stop_server(proc, timeout=15)

    sys.path.insert(0, str(ROOT))
    from checker.classes import db

    conn = db.connect(os.path.join(tmp, "classes.db"), create=False)
    stored = db.count_submissions(conn, made["id"])
    per = {r["name"]: r["versions"] for r in db.roster(conn, made["id"])}
    complete = [n for n, v in per.items() if v == args.versions]
    seqs = conn.execute(
        "SELECT student_id, group_concat(version) FROM (SELECT student_id, version "
        "FROM submissions ORDER BY student_id, version) GROUP BY student_id"
    ).fetchall()
    conn.close()
    shutil.rmtree(tmp, ignore_errors=True)  # the class database held the bench's drafts only
    want = ",".join(str(v) for v in range(1, args.versions + 1))
    gapless = sum(1 for _, s in seqs if s == want)

    feedback = [t for s in students for t in s.feedback]
    posts = [t for s in students for t in s.posts]
    errors = [e for s in students for e in s.errors]
    expected = args.students * args.versions
    print(
        f"followup serve: {workers} worker(s){f', {args.threads} threads each' if args.threads else ''}; "
        f"{args.students} students x {args.versions} versions, all released at once "
        f"(load average before: {load0:.1f}; {os.cpu_count()} CPUs)"
    )
    print(f"errors: {len(errors)}")
    for e in errors[:10]:
        print(f"  {e}")
    print(
        f"send -> feedback shown (POST + GET): p50 {pct(feedback, 50) * 1000:.0f} ms, "
        f"p95 {pct(feedback, 95) * 1000:.0f} ms, max {max(feedback, default=float('nan')) * 1000:.0f} ms "
        f"({len(feedback)} submissions)"
    )
    print(
        f"POST alone (check + store):     p50 {pct(posts, 50) * 1000:.0f} ms, "
        f"p95 {pct(posts, 95) * 1000:.0f} ms"
    )
    print(
        f"whole room: {wall:.1f} s, {len(feedback) / wall:.1f} submissions/s; the server used "
        f"{cores:.2f} cores ({1000 * cores * wall / max(1, len(feedback)):.0f} ms of CPU a "
        f"submission, both requests)"
    )
    print(
        f"rows stored: {stored}/{expected}; students with all {args.versions} versions: "
        f"{len(complete)}/{args.students}; version numbers 1..{args.versions} without gaps: "
        f"{gapless}/{args.students}"
    )
    ok = not errors and stored == expected and gapless == args.students
    if args.json:
        print(
            json.dumps(
                {
                    "students": args.students,
                    "versions": args.versions,
                    "workers": workers,
                    "errors": len(errors),
                    "p50_ms": pct(feedback, 50) * 1000,
                    "p95_ms": pct(feedback, 95) * 1000,
                    "post_p50_ms": pct(posts, 50) * 1000,
                    "post_p95_ms": pct(posts, 95) * 1000,
                    "wall_s": wall,
                    "server_cores": cores,
                    "rows_stored": stored,
                    "rows_expected": expected,
                }
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

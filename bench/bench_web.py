"""Benchmark ``POST /api/v1/check`` on the production server (``followup serve``, waitress).

Starts ``followup serve --port 0`` in a subprocess, then for 1, 4 and 8 concurrent clients
(threads with keep-alive connections) posts the same draft for ``--seconds`` each and prints
p50 / p95 latency, requests per second and errors, next to the in-process ``check()``
latency of the same draft (measured first, with the server not yet running).  A last
"paired" phase alternates one request with one in-process ``check()`` so that the p50 ratio
compares both under the same background load (this machine is shared).  "cores" is the CPU
time the server's processes used per second of the phase (2.0 = both cores of a 2-core
machine), "load" the 1-minute load average when the phase began and "split" how the
keep-alive connections fell on the worker processes: on a shared machine the
8-client throughput is bounded by the cores the other processes leave free.

Targets (2-core machine): 0 errors; p50 at 1 client <= 1.2x in-process check();
throughput at 8 clients >= 1.6x the 1-client throughput.

The server checks in its check processes with the time budget, as ``followup serve`` does by
default (``--check-budget S`` passes another budget; 0 checks inside the web workers, as
before the budget).  ``--budget-overhead`` measures only what the budget costs: it starts
two servers, one with the budget and one without, and alternates one request to each.

    .venv/bin/python bench/bench_web.py                 # 60 s per client count
    .venv/bin/python bench/bench_web.py --seconds 10    # quicker
    .venv/bin/python bench/bench_web.py --budget-overhead --seconds 30
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DRAFT = ROOT / "data" / "examples" / "good-thank-you.txt"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def in_process(text: str, seconds: float) -> dict:
    import checker

    for _ in range(20):
        checker.check(text)  # warm: pipeline loaded, caches filled
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        checker.check(text).to_dict()
        times.append(time.perf_counter() - t)
    return {
        "n": len(times),
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "mean": statistics.fmean(times),
    }


def start_server(
    workers: int | None, threads: int | None, env: dict, budget: float | None = None
) -> tuple[subprocess.Popen, str, int]:
    cmd = [sys.executable, "-m", "checker.cli", "serve", "--port", "0"]
    if budget is not None:
        cmd += ["--check-budget", str(budget)]
    if workers:
        cmd += ["--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT)
    )
    line = proc.stdout.readline()
    m = re.search(r"http://([^:/]+|\[[^\]]+\]):(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r} {proc.stderr.read()}")
    n = re.search(r"\((\d+) worker", line)
    return proc, m.group(1), int(m.group(2)), int(n.group(1)) if n else 1


def stop_server(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server started by ``start_server`` (killed if it has not exited in time)."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def run_all(threads) -> float:
    """Start every thread, then wait for them all; returns the seconds that took."""
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server's processes (Linux): the server,
    its workers and their check processes."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    if not Path(f"/proc/{pid}").exists():
        return float("nan")
    for child in _descendants(pid):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            todo += map(int, Path(f"/proc/{p}/task/{p}/children").read_text().split())
        except OSError:
            pass
    return out


def wait_ready(host, port, body, clients) -> None:
    """Wait until every worker has its pipeline loaded and answers, then warm them."""
    deadline = time.time() + 120
    while time.time() < deadline:
        r = load(host, port, body, clients, 1.0)
        if r["requests"] and not r["errors"]:
            break
        time.sleep(0.5)
    load(host, port, body, clients, 2.0)


def budget_overhead(args, text: str, body: bytes, env: dict) -> int:
    """One request to a server without the budget (``--check-budget 0``), one to a server
    with it, alternately, on one connection each: the p50 of each and their ratio."""
    servers = {}
    try:
        for name, budget in (("in-process", 0), ("budget", args.check_budget or 5)):
            proc, host, port, _ = start_server(1, args.threads, env, budget)
            servers[name] = (proc, host, port)
            wait_ready(host, port, body, 2)
        conns = {
            name: http.client.HTTPConnection(h, p, timeout=30)
            for name, (_, h, p) in servers.items()
        }
        times: dict[str, list[float]] = {name: [] for name in servers}
        errors = 0
        end = time.perf_counter() + args.seconds
        while time.perf_counter() < end:
            for name, conn in conns.items():
                t = time.perf_counter()
                conn.request(
                    "POST", "/api/v1/check", body=body, headers={"Content-Type": "application/json"}
                )
                resp = conn.getresponse()
                resp.read()
                errors += resp.status != 200
                times[name].append(time.perf_counter() - t)
        a, b = (pct(times["in-process"], 50), pct(times["budget"], 50))
        print(
            f"draft: {args.draft.name} ({len(text.split())} words); 1 worker each; "
            f"{len(times['budget'])} pairs in {args.seconds:g} s"
        )
        for name, ts in times.items():
            print(f"{name:>10}: p50 {pct(ts, 50) * 1000:.1f} ms, p95 {pct(ts, 95) * 1000:.1f} ms")
        print(f"budget overhead: p50 {1000 * (b - a):+.1f} ms = {b / a:.2f}x; errors {errors}")
    finally:
        for proc, _, _ in servers.values():
            stop_server(proc)
    return 0


class Client(threading.Thread):
    def __init__(self, host, port, body, stop_at):
        super().__init__(daemon=True)
        self.host, self.port, self.body, self.stop_at = host, port, body, stop_at
        self.times: list[float] = []
        self.errors = 0
        self.error_kinds: dict[str, int] = {}

    def _conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def run(self):
        conn = self._conn()
        headers = {"Content-Type": "application/json"}
        self.worker = None
        try:  # which worker process this keep-alive connection landed on
            conn.request("GET", "/api/v1/health")
            resp = conn.getresponse()
            self.worker = json.loads(resp.read()).get("worker")
        except Exception:
            conn.close()
            conn = self._conn()
        while time.perf_counter() < self.stop_at:
            t = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/check", body=self.body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                ok = resp.status == 200 and data.startswith(b'{"schema"')
                if not ok:
                    raise RuntimeError(f"HTTP {resp.status}")
            except Exception as exc:  # count, reconnect, go on
                self.errors += 1
                key = type(exc).__name__ + ": " + str(exc)[:60]
                self.error_kinds[key] = self.error_kinds.get(key, 0) + 1
                conn.close()
                conn = self._conn()
                continue
            self.times.append(time.perf_counter() - t)
        conn.close()


def paired(host, port, body, text, seconds) -> dict:
    """One HTTP request, then one in-process check(), alternately: both latencies under the
    same background load (the machine may be shared), for the p50 ratio."""
    import checker

    conn = http.client.HTTPConnection(host, port, timeout=30)
    web, local, errors = [], [], 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        try:
            conn.request(
                "POST", "/api/v1/check", body=body, headers={"Content-Type": "application/json"}
            )
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise RuntimeError(resp.status)
            web.append(time.perf_counter() - t)
        except Exception as exc:
            errors += 1
            if errors == 1:
                print(f"paired: first error: {type(exc).__name__}: {exc}", file=sys.stderr)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        t = time.perf_counter()
        checker.check(text).to_dict()
        local.append(time.perf_counter() - t)
    conn.close()
    return {
        "n": len(web),
        "errors": errors,
        "web_p50": pct(web, 50),
        "web_p95": pct(web, 95),
        "check_p50": pct(local, 50),
        "check_p95": pct(local, 95),
    }


def load(host, port, body, clients, seconds) -> dict:
    stop_at = time.perf_counter() + seconds
    pool = [Client(host, port, body, stop_at) for _ in range(clients)]
    elapsed = run_all(pool)
    times = [t for c in pool for t in c.times]
    kinds: dict[str, int] = {}
    for c in pool:
        for k, v in c.error_kinds.items():
            kinds[k] = kinds.get(k, 0) + v
    split: dict = {}
    for c in pool:
        split[c.worker] = split.get(c.worker, 0) + 1
    return {
        "clients": clients,
        "requests": len(times),
        "errors": sum(c.errors for c in pool),
        "connections_per_worker": sorted(split.values(), reverse=True),
        "rps": len(times) / elapsed,
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "error_kinds": kinds,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="per client count (default 60)")
    ap.add_argument("--clients", default="1,4,8", help="comma-separated (default 1,4,8)")
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server worker processes (default: followup serve's default, one per CPU)",
    )
    ap.add_argument("--threads", type=int, default=None, help="threads per worker")
    ap.add_argument("--draft", type=Path, default=DEFAULT_DRAFT)
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    ap.add_argument(
        "--check-budget",
        type=float,
        default=None,
        help="the server's --check-budget (default: its own, 5 s; 0: no budget)",
    )
    ap.add_argument(
        "--budget-overhead",
        action="store_true",
        help="only compare a server with the budget and one without",
    )
    args = ap.parse_args(argv)
    text = args.draft.read_text(encoding="utf-8")
    body = json.dumps({"text": text}).encode("utf-8")
    counts = [int(c) for c in args.clients.split(",") if c.strip()]
    tmp = tempfile.mkdtemp(prefix="bench-web-")
    env = dict(os.environ, XDG_DATA_HOME=tmp, FOLLOWUP_DB=os.path.join(tmp, "contacts.db"))
    if args.budget_overhead:
        return budget_overhead(args, text, body, env)

    base = in_process(text, min(args.seconds, 20.0))
    print(f"draft: {args.draft.name} ({len(text.split())} words); cpus: {os.cpu_count()}")
    print(
        f"in-process check(): p50 {base['p50'] * 1000:.1f} ms, p95 {base['p95'] * 1000:.1f} ms "
        f"({base['n']} runs, {1 / base['mean']:.1f}/s on one core)"
    )

    proc, host, port, workers = start_server(args.workers, args.threads, env, args.check_budget)
    results = []
    try:
        wait_ready(host, port, body, max(counts))
        print(
            f"server: followup serve, {workers} worker process(es), waitress; "
            f"{args.seconds:g} s per client count"
        )
        print(
            f"{'clients':>7} {'requests':>9} {'errors':>6} {'req/s':>8} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'p50/check':>9} {'x 1-client':>10} {'cores':>6} {'ms cpu/req':>10} "
            f"{'load':>5} {'split':>6}"
        )
        for n in counts:
            load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            cpu0, t0 = server_cpu(proc.pid), time.perf_counter()
            r = load(host, port, body, n, args.seconds)
            cpu = server_cpu(proc.pid) - cpu0
            r["server_cores"] = cpu / (time.perf_counter() - t0)
            r["server_cpu_ms_per_request"] = 1000 * cpu / max(1, r["requests"])
            r["load_average"] = load_avg
            results.append(r)
            one = results[0]["rps"] if results[0]["clients"] == 1 else float("nan")
            print(
                f"{n:>7} {r['requests']:>9} {r['errors']:>6} {r['rps']:>8.1f} "
                f"{r['p50'] * 1000:>8.1f} {r['p95'] * 1000:>8.1f} "
                f"{r['p50'] / base['p50']:>8.2f}x {r['rps'] / one:>9.2f}x "
                f"{r['server_cores']:>6.2f} {r['server_cpu_ms_per_request']:>10.1f} "
                f"{load_avg:>5.1f} {'/'.join(map(str, r['connections_per_worker'])):>6}",
                flush=True,
            )
            for k, v in r["error_kinds"].items():
                print(f"        {v} x {k}")
        pair = paired(host, port, body, text, max(5.0, args.seconds / 2))
        print(
            f"paired (1 request, then 1 in-process check(), alternately, {pair['n']} pairs): "
            f"web p50 {pair['web_p50'] * 1000:.1f} ms vs check() p50 "
            f"{pair['check_p50'] * 1000:.1f} ms = {pair['web_p50'] / pair['check_p50']:.2f}x; "
            f"errors {pair['errors']}"
        )
    finally:
        stop_server(proc)
    by = {r["clients"]: r for r in results}
    errors = sum(r["errors"] for r in results) + pair["errors"]
    verdicts = [f"errors {errors}"]
    ratio = pair["web_p50"] / pair["check_p50"]
    verdicts.append(
        f"p50 web/check (paired) = {ratio:.2f}x (target <= 1.2x: "
        f"{'met' if ratio <= 1.2 else 'missed'})"
    )
    if 1 in by and 8 in by:
        ratio = by[8]["rps"] / by[1]["rps"]
        verdicts.append(
            f"throughput 8/1 clients = {ratio:.2f}x (target >= 1.6x: "
            f"{'met' if ratio >= 1.6 else 'missed'})"
        )
    print("; ".join(verdicts))
    if args.json:
        print(
            json.dumps(
                {
                    "in_process": base,
                    "paired": pair,
                    "workers": workers,
                    "seconds": args.seconds,
                    "results": results,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

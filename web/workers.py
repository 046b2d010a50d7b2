"""Checks with a time budget: a small pool of long-lived check processes that can be killed.

A check is CPU-bound Python and C (spaCy, regular expressions).  A regular expression that
backtracks holds the GIL, so a thread cannot be stopped, and while it runs the other threads
of its process (health checks included) stall too.  So with a budget the web app does not
check in its own process: ``CheckPool`` keeps ``size`` child processes (``python -m
checker.web.workers``), each of which loads the language pipeline once at start and then checks one
draft at a time, sent and answered as one line of JSON on its stdin / stdout (no pickles).
A check that runs past the budget gets ``CheckTimeout`` (503): its process is killed
(SIGKILL) and a new one is started in its place, which the next check waits for if no other
process is free.  Nothing of the draft is written anywhere on the way: pipes only.

The pool is per web process (``followup serve`` forks its workers first, then each starts
its own pool), created on first use; ``close()`` ends its processes, and a check process
also ends when its stdin closes (its web process went away).
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import select
import subprocess
import sys
import threading
import time
from typing import Any

from checker.errors import InputError

from .errors import CheckTimeout, CheckUnavailable

#: Seconds a new check process may take to load the pipeline and answer "ready".
START_TIMEOUT = 120.0
#: A draft holding this, with ``test_delay`` set (the ``CHECK_TEST_DELAY`` config key, for
#: tests only), makes its check sleep that long first: a check slow on purpose.
TEST_SLOW_MARKER = "[[followup-test: slow check]]"


class _Process:
    """One check process and the reading end of its answers."""

    def __init__(self, config_path: str | None):
        cmd = [sys.executable, "-m", "checker.web.workers"]
        if config_path:
            cmd += ["--config", str(config_path)]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
        )
        self.ready = False
        self._buf = b""

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode("ascii") + b"\n")
        self.proc.stdin.flush()

    def receive(self, timeout: float) -> dict[str, Any] | None:
        """The next answer, or None when ``timeout`` seconds pass first.  Raises EOFError
        when the process has gone."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            readable, _, _ = select.select([fd], [], [], left)
            if not readable:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise EOFError("the check process stopped")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        answer = self.receive(timeout)
        if not answer or not answer.get("ready"):
            raise EOFError("the check process did not start")
        self.ready = True

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:  # pragma: no cover - already gone
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:  # pragma: no cover
                pass


class CheckPool:
    """``size`` check processes; ``run(message)`` gives the answer of one of them within
    ``budget`` seconds, or raises ``CheckTimeout`` (and replaces that process)."""

    def __init__(
        self,
        size: int,
        budget: float,
        config_path: str | None = None,
        start_timeout: float = START_TIMEOUT,
    ):
        self.size = max(1, int(size))
        self.budget = float(budget)
        self.config_path = config_path
        self.start_timeout = start_timeout
        self.pid = os.getpid()
        self._idle: queue.Queue[_Process] = queue.Queue()
        self._all: set[_Process] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._add()
        atexit.register(self.close)

    def _add(self) -> None:
        process = _Process(self.config_path)
        with self._lock:
            self._all.add(process)
        self._idle.put(process)

    def _replace(self, process: _Process) -> None:
        process.kill()
        with self._lock:
            self._all.discard(process)
        if not self._closed:
            self._add()

    def wait_ready(self) -> None:
        """Wait until every process has loaded its pipeline (``followup serve`` at start)."""
        taken = [self._idle.get(timeout=self.start_timeout) for _ in range(self.size)]
        try:
            for process in taken:
                process.wait_ready(self.start_timeout)
        finally:
            for process in taken:
                self._idle.put(process)

    def ready(self) -> bool:
        """Whether some check process has loaded its pipeline."""
        with self._lock:
            return any(p.ready for p in self._all)

    def run(self, message: dict[str, Any]) -> dict[str, Any]:
        # Waiting for a free process is bounded: each check ahead takes at most the budget.
        try:
            process = self._idle.get(timeout=self.start_timeout + self.budget * 4)
        except queue.Empty:
            raise CheckUnavailable("the checker is busy; try again in a moment") from None
        try:
            process.wait_ready(self.start_timeout)
            process.send(message)
            answer = process.receive(self.budget)
        except (EOFError, OSError, ValueError):
            self._replace(process)
            raise CheckUnavailable("the check stopped unexpectedly; try again") from None
        if answer is None:
            self._replace(process)
            raise CheckTimeout(
                f"this draft took longer than {self.budget:g} s to check, so "
                "the check was stopped; shorten the draft or split it"
            )
        self._idle.put(process)
        return answer

    def close(self) -> None:
        self._closed = True
        if os.getpid() != self.pid:  # a forked copy: the processes are not ours
            return
        with self._lock:
            processes, self._all = list(self._all), set()
        for process in processes:
            process.kill()


# -- the check process ------------------------------------------------------------------------


def _serve(config_path: str | None) -> int:  # pragma: no cover - runs in the check process
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    # Answers go to the original stdout; anything else printed goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    from checker.config import ConfigError, resolve

    from . import checking

    try:
        config = resolve(config_path)
    except ConfigError as exc:
        print(f"followup serve: check process: {exc}", file=sys.stderr)
        return 2
    checking.warm_up()

    def answer(message: dict[str, Any]) -> None:
        out.write(json.dumps(message).encode("ascii") + b"\n")
        out.flush()

    answer({"ready": True})
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            answer(checking.handle(request, config))
        except InputError as exc:
            answer({"error": exc.message, "status": exc.status, "code": exc.code})
        except Exception as exc:  # noqa: BLE001 - reported to the web process, which logs it
            answer(
                {"crash": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}
            )
    return 0


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - the check process
    import argparse

    parser = argparse.ArgumentParser(prog="python -m checker.web.workers")
    parser.add_argument("--config", default=None)
    args = parser.parse_args(argv)
    return _serve(args.config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

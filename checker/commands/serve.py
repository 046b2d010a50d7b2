"""``followup serve``: run the web app on waitress, on localhost by default.

The checks are CPU-bound Python (spaCy), so one process uses one core however many threads
it has.  With ``--workers N`` (default: one per CPU, at most 4) the command opens the
listening socket once and forks N worker processes that all serve it, each with its own
language pipeline; the parent only watches them (and restarts one that dies).  Where fork is
not available (Windows) it serves from one process.

Each worker checks drafts in its own check process(es) (``checker.checker.web.workers``, ``--check-processes``),
so a check past ``--check-budget`` seconds can be stopped (503) and the worker serves on.
Waitress refuses bodies over the largest one a route takes as soon as it sees the headers and
keeps smaller ones in memory (``server_options``).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

from ..cli import UsageError
from .options import add_config, add_db

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _default_workers() -> int:
    if not hasattr(os, "fork"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


def add_arguments(p) -> None:
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST}, this computer only; "
        "0.0.0.0 opens it to your network)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port (default: {DEFAULT_PORT}; 0 picks a free one)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: one per CPU, at most 4)",
    )
    p.add_argument("--threads", type=int, default=4, help="threads per worker (default: 4)")
    p.add_argument(
        "--check-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop a check that takes longer (default: 5, or the app's "
        "CHECK_BUDGET; 0 checks inside the worker with no budget)",
    )
    p.add_argument(
        "--check-processes",
        type=int,
        default=None,
        metavar="N",
        help="check processes per worker, each with its own language pipeline (default: 1)",
    )
    add_db(p, "contact log database (default: as `followup log`)")
    add_config(p, "checker config TOML (default: discovered)")
    p.add_argument(
        "--classes-db",
        metavar="PATH",
        help="class-mode database (default: classes.db beside the contact log)",
    )
    p.add_argument(
        "--classes-only",
        action="store_true",
        help="serve only class mode (students' and facilitators' links): the check "
        "page, contact log, batch page and API are off; for a room network",
    )


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _allowed_hosts(host: str) -> list[str] | None:
    """On a loopback address only localhost names may appear in ``Host`` (a web page cannot
    then reach the app through DNS rebinding); on other addresses any name may."""
    if host.lower() in LOOPBACK or host.startswith("127."):
        return sorted(LOOPBACK | {host.lower()})
    return None


def _listen(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"cannot use host {host!r}: {exc.strerror}") from None
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            + ("; is another server running? try --port" if exc.errno == 98 else "")
        ) from None
    sock.listen(1024)
    return sock


def _url(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


#: Seconds a connection may stay silent (waitress's ``channel_timeout``; its default is 120)
#: and how often waitress looks for such connections (``cleanup_interval``, default 30).
CHANNEL_TIMEOUT = 30
CLEANUP_INTERVAL = 5


def body_limit(app) -> int:
    """The largest request body any route takes (the batch upload's, else the app's)."""
    return max(
        int(app.config.get("MAX_CONTENT_LENGTH") or 0), int(app.config.get("BATCH_MAX_UPLOAD") or 0)
    )


def server_options(app) -> dict:
    """Waitress's limits for ``app``.  A request whose ``Content-Length`` is over the largest
    body a route takes is answered 413 and closed as soon as its headers are read (and a
    chunked one once that much has arrived), not read to the end first; a body up to that
    size is kept in memory, never spooled to a temporary file (``inbuf_overflow``), and so is
    a response (``outbuf_overflow``): the drafts in them never reach the disk."""
    limit = body_limit(app)
    # waitress refuses a body of max_request_body_size bytes or more; the app takes `limit`.
    return {
        "max_request_body_size": limit + 1,
        "inbuf_overflow": limit + 2,
        "outbuf_overflow": 1 << 30,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
    }


def _serve_forever(app, sock: socket.socket, threads: int) -> None:
    from waitress import serve

    from checker.web.checking import warm_up

    warm_up(app)  # load the language pipeline (in the check processes) before taking requests
    serve(
        app,
        sockets=[sock],
        threads=threads,
        ident="followup-checker",
        clear_untrusted_proxy_headers=True,
        _quiet=True,
        **server_options(app),
    )


def _fork_worker(app, sock: socket.socket, threads: int) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        code = 0
        try:
            _serve_forever(app, sock, threads)
        except KeyboardInterrupt:
            pass
        except BaseException as exc:
            print(f"followup serve: worker {os.getpid()} failed: {exc}", file=sys.stderr)
            code = 1
        finally:
            os._exit(code)
    return pid


def _supervise(app, sock: socket.socket, workers: int, threads: int) -> int:
    children = {_fork_worker(app, sock, threads) for _ in range(workers)}
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    restarts: list[float] = []
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:  # pragma: no cover
            continue
        children.discard(pid)
        if stopping:
            continue
        now = time.monotonic()
        restarts = [t for t in restarts if now - t < 60] + [now]
        if len(restarts) > 5 * workers:
            print("followup serve: workers keep failing; stopping", file=sys.stderr)
            stop(None, None)
            return 1
        print(f"followup serve: worker {pid} exited ({status}); starting another", file=sys.stderr)
        children.add(_fork_worker(app, sock, threads))
    return 0


def run(args) -> int:
    if not (0 <= args.port <= 65535):
        raise UsageError(f"--port must be 0-65535, not {args.port}")
    workers = _default_workers() if args.workers is None else args.workers
    if workers < 1 or args.threads < 1:
        raise UsageError("--workers and --threads must be at least 1")
    if args.check_budget is not None and not args.check_budget >= 0:
        raise UsageError("--check-budget must be 0 (no budget) or more seconds")
    if args.check_processes is not None and args.check_processes < 1:
        raise UsageError("--check-processes must be at least 1")
    if workers > 1 and not hasattr(os, "fork"):
        print("followup serve: one worker only on this platform", file=sys.stderr)
        workers = 1
    # One worker per core: keep numeric libraries from starting thread pools of their own.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")

    from checker.web import create_app

    try:
        config = {
            "DB": args.db,
            "CHECK_CONFIG": args.config,
            "ALLOWED_HOSTS": _allowed_hosts(args.host),
        }
        if args.classes_db:
            config["CLASSES_DB"] = args.classes_db
        if args.classes_only:
            config["CLASSES_ONLY"] = True
        # Checks run in check processes that a check past the budget is killed with.
        config["CHECK_PROCESSES"] = args.check_processes or 1
        if args.check_budget is not None:
            config["CHECK_BUDGET"] = args.check_budget
        app = create_app(config)
    except RuntimeError as exc:  # a bad checker config
        raise UsageError(str(exc)) from None
    sock = _listen(args.host, args.port)
    url = _url(sock, args.host)
    if _allowed_hosts(args.host) is None:
        print(
            f"followup serve: warning: listening on {args.host}; other computers on your "
            "network can reach this page",
            file=sys.stderr,
        )
    print(
        f"followup serve: open {url} in your browser "
        f"({workers} worker{'s' if workers > 1 else ''}; Ctrl+C stops)",
        flush=True,
    )
    try:
        if workers == 1:
            _serve_forever(app, sock, args.threads)
            return 0
        return _supervise(app, sock, workers, args.threads)
    except KeyboardInterrupt:
        return 0
    finally:
        sock.close()

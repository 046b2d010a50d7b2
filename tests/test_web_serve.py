"""``followup serve``: options, the URL it prints, and a real pre-fork waitress server."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.cli import UsageError, build_parser
from checker.commands import serve

ROOT = Path(__file__).resolve().parents[1]


def parse(*argv):
    return build_parser("serve").parse_args(["serve", *argv])


def test_defaults_are_localhost_8000():
    args = parse()
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert args.workers is None and args.threads == 4


def test_url_shown_for_wildcard_hosts():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        assert serve._url(s, "0.0.0.0") == f"http://127.0.0.1:{port}/"
        assert serve._url(s, "127.0.0.1") == f"http://127.0.0.1:{port}/"


def test_bad_port_and_workers_are_usage_errors():
    with pytest.raises(UsageError, match="--port"):
        serve.run(parse("--port", "70000"))
    with pytest.raises(UsageError, match="at least 1"):
        serve.run(parse("--workers", "0"))


def test_port_in_use_is_a_usage_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        with pytest.raises(UsageError, match="cannot listen"):
            serve._listen("127.0.0.1", s.getsockname()[1])


def test_default_workers_bounded():
    assert 1 <= serve._default_workers() <= 4


def _request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


def _start_serve(env, *options):
    """``followup serve --port 0 --workers 2 OPTIONS`` from the checkout, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "serve", "--port", "0", "--workers", "2", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_health(port, seconds, ready=lambda health: True):
    """Asks ``/api/v1/health`` until it answers and ``ready`` holds of its JSON; fails the
    test after ``seconds``. Returns the last answer (response, body)."""
    deadline = time.time() + seconds
    while True:
        try:
            resp, data = _request(port, "GET", "/api/v1/health")
            if ready(json.loads(data)):
                return resp, data
        except OSError:
            pass
        if time.time() > deadline:
            pytest.fail("followup serve did not come up")
        time.sleep(0.3)


def _stop(proc, timeout):
    """SIGTERM to ``followup serve``; fails the test when it does not stop within ``timeout``."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("followup serve did not stop on SIGTERM")


@pytest.mark.slow
def test_serve_two_workers_end_to_end(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path), FOLLOWUP_DB=str(tmp_path / "c.db"))
    env.pop("FOLLOWUP_SECRET_KEY", None)
    proc = _start_serve(env, "--threads", "2")
    try:
        line = proc.stdout.readline()
        m = re.match(
            r"followup serve: open http://127\.0\.0\.1:(\d+)/ in your browser \(2 workers", line
        )
        assert m, line
        port = int(m.group(1))
        resp, data = _wait_for_health(port, 90)
        assert resp.status == 200 and json.loads(data)["status"] == "ok"
        text = (ROOT / "data" / "examples" / "good-thank-you.txt").read_text(encoding="utf-8")
        for _ in range(4):
            resp, data = _request(port, "POST", "/api/v1/check", {"text": text})
            assert resp.status == 200
            assert json.loads(data)["schema"] == "followup-checker/report/1"
        assert resp.getheader("Server") == "followup-checker"
        resp, data = _request(port, "GET", "/")
        assert resp.status == 200 and b"Check your thank-you note" in data
        assert resp.getheader("X-Content-Type-Options") == "nosniff"
        key = tmp_path / "web-secret-key"  # next to the contact log
        assert key.exists() and (key.stat().st_mode & 0o777) == 0o600
    finally:
        _stop(proc, timeout=20)
    assert proc.returncode == 0
    # no worker left behind
    assert _children(proc.pid) == []


def test_loopback_serve_allows_only_localhost_names():
    assert set(serve._allowed_hosts("127.0.0.1")) == {"127.0.0.1", "localhost", "::1"}
    assert "localhost" in serve._allowed_hosts("localhost")
    assert serve._allowed_hosts("0.0.0.0") is None
    assert serve._allowed_hosts("192.168.1.5") is None


# -- issue 16: bodies refused early, the check budget on a real server -----------------------


def test_server_options_refuse_large_bodies_and_never_spool():
    from checker.web import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "k"})
    opts = serve.server_options(app)
    largest = max(app.config["MAX_CONTENT_LENGTH"], app.config["BATCH_MAX_UPLOAD"])
    assert opts["max_request_body_size"] == largest + 1  # waitress refuses >= this
    assert opts["inbuf_overflow"] > opts["max_request_body_size"]  # bodies stay in memory
    assert opts["outbuf_overflow"] >= 1 << 30
    assert opts["channel_timeout"] <= 30


def test_bad_check_budget_is_a_usage_error():
    with pytest.raises(UsageError, match="--check-budget"):
        serve.run(parse("--check-budget", "-1"))
    with pytest.raises(UsageError, match="--check-processes"):
        serve.run(parse("--check-processes", "0"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real ``followup serve`` (2 workers) whose check budget is 2 s and whose drafts
    holding ``TEST_SLOW_MARKER`` sleep 600 s in their check process."""
    tmp = tmp_path_factory.mktemp("serve")
    env = dict(
        os.environ,
        XDG_DATA_HOME=str(tmp),
        FOLLOWUP_DB=str(tmp / "c.db"),
        FOLLOWUP_WEB_CHECK_TEST_DELAY="600",
    )
    proc = _start_serve(env, "--threads", "3", "--check-budget", "2")
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + proc.stderr.read()
        proc.port = int(m.group(1))
        _wait_for_health(proc.port, 120, ready=lambda health: health["model_loaded"])
        yield proc
    finally:
        workers = _children(proc.pid)
        checkers = [c for w in workers for c in _children(w)]
        _stop(proc, timeout=30)
        # the check processes end with their worker (their stdin closes)
        for pid in checkers:
            for _ in range(100):
                if not Path(f"/proc/{pid}").exists() or _zombie(pid):
                    break
                time.sleep(0.1)
            else:
                pytest.fail(f"check process {pid} outlived followup serve")


def _children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


def _zombie(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def _raw(port, head: bytes, body_bytes: int, chunk: int = 64 * 1024):
    """Send ``head`` and then up to ``body_bytes`` of body, as fast as the server takes it,
    until it answers or closes.  Returns (bytes of body sent, the answer's first line).
    The send buffer is kept small (128 KB), so what was sent is what the server took, not
    what this side's kernel queued (a loopback send buffer grows to megabytes)."""
    import select

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 128 * 1024)
    sock.settimeout(60)
    sock.connect(("127.0.0.1", port))
    sock.sendall(head)
    sent, answer = 0, b""
    block = b"x" * chunk
    sock.setblocking(False)
    try:
        while sent < body_bytes:
            readable, writable, _ = select.select([sock], [sock], [], 60)
            if not readable and not writable:
                break  # the server neither reads nor answers: the caller's asserts fail
            if readable:
                try:
                    answer = sock.recv(4096)
                except (ConnectionResetError, BlockingIOError):
                    pass
                break
            try:
                sent += sock.send(block[: body_bytes - sent])
            except (BrokenPipeError, ConnectionResetError):
                break
            except BlockingIOError:
                continue
        if not answer:
            sock.setblocking(True)
            sock.settimeout(60)
            try:
                answer = sock.recv(4096)
            except (TimeoutError, ConnectionResetError):
                pass
    finally:
        sock.close()
    return sent, answer.split(b"\r\n", 1)[0]


@pytest.mark.slow
def test_a_300_mb_post_is_refused_after_at_most_2_mb(server):
    head = (
        b"POST /api/v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n"
    )
    sent, status = _raw(server.port, head, 300_000_000)
    assert sent <= 2 * 1024 * 1024, f"{sent:,} bytes of body were taken"
    assert status in (b"", b"HTTP/1.1 413 Request Entity Too Large"), status


@pytest.mark.slow
def test_a_lying_content_length_is_answered_at_once(server):
    head = (
        b"POST /api/v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{}"
    )
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    try:
        sock.sendall(head)
        answer = sock.recv(4096)  # no body follows: only an answer that needs none comes
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer


@pytest.mark.slow
def test_a_batch_sized_body_is_still_taken(server):
    # The largest legitimate body (the batch upload's 10 MiB) reaches the app: its 413 or
    # 400 is the app's own (JSON), not waitress's.
    body = b'{"text": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("POST", "/api/v1/check", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = json.loads(resp.read())
    conn.close()
    assert resp.status == 413 and data["status"] == 413


@pytest.mark.slow
def test_serve_stops_a_slow_check_and_serves_again(server):
    import threading

    from checker.web.workers import TEST_SLOW_MARKER

    text = (ROOT / "data" / "examples" / "good-thank-you.txt").read_text(encoding="utf-8")
    slow = text + "\n" + TEST_SLOW_MARKER
    answers = {}

    def post_slow():
        answers["slow"] = _request(server.port, "POST", "/api/v1/check", {"text": slow})

    t = threading.Thread(target=post_slow)
    t.start()
    # While it runs, the workers still answer (the check holds a check process, not them).
    for _ in range(4):
        resp, data = _request(server.port, "GET", "/api/v1/health")
        assert resp.status == 200
    t.join(timeout=120)
    assert not t.is_alive()
    resp, data = answers["slow"]
    assert resp.status == 503
    err = json.loads(data)
    assert err["status"] == 503 and "longer than 2 s" in err["error"]
    for _ in range(4):  # both workers answer checks again
        resp, data = _request(server.port, "POST", "/api/v1/check", {"text": text})
        assert resp.status == 200 and json.loads(data)["schema"] == "followup-checker/report/1"

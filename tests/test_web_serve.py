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


@pytest.mark.slow
def test_serve_two_workers_end_to_end(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path), FOLLOWUP_DB=str(tmp_path / "c.db"))
    env.pop("FOLLOWUP_SECRET_KEY", None)
    proc = subprocess.Popen([sys.executable, "-m", "checker.cli", "serve", "--port", "0",
                             "--workers", "2", "--threads", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.match(r"followup serve: open http://127\.0\.0\.1:(\d+)/ in your browser \(2 workers", line)
        assert m, line
        port = int(m.group(1))
        deadline = time.time() + 90
        while True:
            try:
                resp, data = _request(port, "GET", "/api/v1/health")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
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
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("followup serve did not stop on SIGTERM")
    assert proc.returncode == 0
    # no worker left behind
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True)
    assert out.stdout.strip() == ""


def test_loopback_serve_allows_only_localhost_names():
    assert set(serve._allowed_hosts("127.0.0.1")) == {"127.0.0.1", "localhost", "::1"}
    assert "localhost" in serve._allowed_hosts("localhost")
    assert serve._allowed_hosts("0.0.0.0") is None
    assert serve._allowed_hosts("192.168.1.5") is None

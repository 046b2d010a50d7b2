"""The web's time budget (issue 16): checks in killable check processes (``web.workers``).

A check made slow on purpose (the ``CHECK_TEST_DELAY`` hook and ``TEST_SLOW_MARKER``) gets
the 503 error, the event is logged with the draft's size and not its text, and the next
request is answered by a fresh check process.  No wall-clock limits: the budget is a config
value, and the slow check sleeps far longer than it.
"""

import json
import logging
import re
from pathlib import Path

import pytest
from conftest import make_app

import checker
from checker.web.workers import TEST_SLOW_MARKER

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
GOOD = (EXAMPLES / "good-thank-you.txt").read_text(encoding="utf-8")
NEEDY = (EXAMPLES / "needy-follow-up.txt").read_text(encoding="utf-8")
SLOW = GOOD + "\n" + TEST_SLOW_MARKER
SECRET_WORDS = "Thank you for meeting"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("budget")
    app = make_app(tmp, CHECK_PROCESSES=1, CHECK_BUDGET=1.5, CHECK_TEST_DELAY=600)
    yield app
    pool = app.extensions.get("followup_check_pool")
    if pool is not None:
        pool.close()


def pids(app):
    pool = app.extensions["followup_check_pool"]
    return {p.proc.pid for p in pool._all}


def test_pool_reports_equal_in_process_reports(client):
    for text in (GOOD, NEEDY):
        d = client.post("/api/v1/check", json={"text": text}).get_json()
        assert d == checker.check(text).to_dict()
    assert client.get("/api/v1/health").get_json()["model_loaded"] is True


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", ["auto", "thank_you", "follow_up"])
def test_pool_answers_are_byte_identical_to_in_process(client, tmp_path, path, kind):
    plain = make_app(tmp_path).test_client()
    body = {"text": path.read_text(encoding="utf-8"), "kind": kind}
    a = client.post("/api/v1/check", json=body)
    b = plain.post("/api/v1/check", json=body)
    assert a.status_code == b.status_code == 200
    assert a.get_data() == b.get_data()


def test_slow_check_is_stopped_and_the_next_request_succeeds(app, client, caplog):
    client.post("/api/v1/check", json={"text": GOOD})  # the pool is up
    before = pids(app)
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        r = client.post("/api/v1/check", json={"text": SLOW})
    assert r.status_code == 503
    err = r.get_json()
    assert err["status"] == 503 and "longer than 1.5 s" in err["error"]
    assert "\n" not in err["error"]
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert f"{len(SLOW)} characters" in logged and "budget" in logged
    assert SECRET_WORDS not in logged
    # the slow process was killed and replaced; the next check is answered
    after = pids(app)
    assert after and not (after & before)
    r = client.post("/api/v1/check", json={"text": GOOD})
    assert r.status_code == 200
    assert r.get_json() == checker.check(GOOD).to_dict()


def test_slow_check_on_the_form_is_a_clear_page(client):
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post(
        "/check", data={"text": SLOW, "kind": "auto", "company": "", "csrf_token": token}
    )
    assert r.status_code == 503
    assert "longer than 1.5 s to check" in r.get_data(as_text=True)
    r = client.post(
        "/check", data={"text": GOOD, "kind": "auto", "company": "", "csrf_token": token}
    )
    assert r.status_code == 200


def test_slow_apply_is_stopped_too(client):
    r = client.post("/api/v1/check", json={"text": SLOW, "apply": []})
    assert r.status_code == 503
    assert client.post("/api/v1/check", json={"text": GOOD, "apply": []}).status_code == 200


def test_input_errors_come_back_from_the_check_process(client):
    r = client.post("/api/v1/check", json={"text": NEEDY, "apply": ["nope:1-2"], "hash": "x"})
    assert r.status_code == 409
    assert json.loads(r.get_data())["status"] == 409


def test_crlf_and_apply_through_the_pool(client):
    d = client.post("/api/v1/check", json={"text": NEEDY.replace("\n", "\r\n")}).get_json()
    assert d["source"]["text"] == NEEDY
    fixable = [f["id"] for f in d["findings"] if "fix" in f]
    r = client.post(
        "/api/v1/check",
        json={"text": NEEDY, "apply": fixable, "hash": d["proofread"]["text_sha256"]},
    )
    assert r.status_code == 200
    out = r.get_json()
    assert out["report"] == checker.check(out["text"]).to_dict()


def test_without_check_processes_the_app_checks_in_process(tmp_path):
    app = make_app(tmp_path)
    r = app.test_client().post("/api/v1/check", json={"text": GOOD})
    assert r.status_code == 200
    assert "followup_check_pool" not in app.extensions

"""The Flask app through its test client: every route, errors, escaping, CSRF, headers."""

import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import make_app

from checker.web import create_app
from checker.web.security import CSP

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
OPENAPI = ROOT / "web" / "static" / "openapi.json"
NEEDY = (EXAMPLES / "needy-follow-up.txt").read_text(encoding="utf-8")
XSS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(2)</script>",
    "javascript:alert(3)",
    "{{ 7*7 }}",
]


def token(client, path="/"):
    r = client.get(path)
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.get_data(as_text=True))
    assert m, "no CSRF field on " + path
    return m.group(1)


def check_form(client, text, **extra):
    data = {"csrf_token": token(client), "text": text, "kind": "auto", "company": ""}
    data.update(extra)
    return client.post("/check", data=data)


def assert_no_raw_markup(html):
    for bad in ("<script>alert", "<img src=x", "<svg onload", "onerror=alert(1)>"):
        assert bad not in html, bad


class Labels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels, self.controls, self.ids = set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)


def assert_labelled(html):
    p = Labels()
    p.feed(html)
    for c in p.controls:
        assert c.get("id") in p.labels or c.get("aria-label"), c
    assert len(p.ids) == len(set(p.ids)), "duplicate ids"


# --- pages ------------------------------------------------------------------------------


def test_index_form_is_labelled_and_has_csrf(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'name="csrf_token"' in html and 'for="text"' in html
    assert_labelled(html)
    assert "<script>" not in html  # only external scripts
    assert re.search(r'<script src="/static/app.js" defer></script>', html)


def test_index_prefills_company_escaped(client):
    html = client.get("/?company=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E").get_data(
        as_text=True
    )
    assert_no_raw_markup(html)
    assert "&#34;&gt;&lt;img" in html or "&quot;&gt;&lt;img" in html


def test_check_page_shows_highlights_checklist_and_gauges(client):
    r = check_form(client, NEEDY)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="result"' in html
    assert "The four elements" in html and "Reading grade" in html
    assert '<meter id="g-len"' in html
    assert NEEDY.splitlines()[0] in html
    # the draft goes back into the textarea, escaped
    assert "I&#39;m sorry" in html or "I&#x27;m sorry" in html
    assert_labelled(html)


def test_check_page_highlight_has_message(client):
    """The draft is highlighted where it is written (the layer behind the textarea) and
    every finding is explained beside it, with "show in draft" pointing at its words."""
    import checker

    d = checker.check(NEEDY).to_dict()
    html = check_form(client, NEEDY).get_data(as_text=True)
    spans = [f for f in d["findings"] if f["end"] > f["start"]]
    layer = html.split('id="hl-layer"', 1)[1].split("</div>", 1)[0]
    assert layer.count('<mark class="hl') >= 1
    assert 'id="highlighted"' not in html  # one draft: no second, read-only copy
    from markupsafe import escape

    assert str(escape(spans[0]["message"])) in html
    assert f'class="show" href="#text" data-start16="{spans[0]["start"]}"' in html
    # the verdict takes focus after a check, and says what to do
    assert 'id="verdict" tabindex="-1" autofocus' in html
    assert "Don&#39;t send this" in html or "Don&#x27;t send this" in html


@pytest.mark.parametrize("evil", XSS)
def test_drafts_are_escaped_on_the_page(client, evil):
    text = f"Dear Ms Lee,\n\nThank you {evil} for the interview. I enjoyed it.\n\nBest,\nSam"
    for path in ("/check", "/check/fragment"):
        data = {"csrf_token": token(client), "text": text, "kind": "auto", "company": evil}
        r = client.post(path, data=data)
        assert r.status_code == 200
        assert_no_raw_markup(r.get_data(as_text=True))
        assert "</textarea><script>" not in r.get_data(as_text=True)


def test_fragment_returns_only_the_result(client):
    r = client.post("/check/fragment", data={"csrf_token": token(client), "text": NEEDY})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<html" not in html and "verdict" in html


@pytest.mark.parametrize(
    "text,status,words",
    [
        ("   \n ", 400, "empty draft"),
        ("x" * 20001, 413, "draft too long"),
        ("bin\x00ary", 400, "binary"),
    ],
)
def test_check_page_bad_input(client, text, status, words):
    r = check_form(client, text)
    assert r.status_code == status
    assert words in r.get_data(as_text=True)
    r = client.post("/check/fragment", data={"csrf_token": token(client), "text": text})
    assert r.status_code == status and words in r.get_data(as_text=True)


def test_check_page_unknown_kind(client):
    r = check_form(client, NEEDY, kind="<b>bogus</b>")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "unknown kind" in html and "<b>bogus" not in html


def test_check_input_errors_are_the_checkers(app):
    from checker.errors import EmptyInput, InputError, TooLong
    from checker.web.checking import CheckInputError, run_check

    assert issubclass(CheckInputError, InputError) and CheckInputError("x").status == 400
    with app.test_request_context():
        for text, error in (("  ", EmptyInput), ("x" * 20001, TooLong)):
            with pytest.raises(error) as info:
                run_check(text)
            assert info.value.status == (413 if error is TooLong else 400)
        with pytest.raises(CheckInputError, match="must be a string"):
            run_check(42)


def test_get_check_redirects_to_form(client):
    r = client.get("/check")
    assert r.status_code == 302 and r.headers["Location"].endswith("/")


def test_crlf_from_browsers_is_normalised(client):
    html = check_form(client, NEEDY.replace("\n", "\r\n")).get_data(as_text=True)
    assert "\r" not in html.split('id="hl-layer"', 1)[1].split("</div>", 1)[0]


def test_highlight_css_is_the_renderer_stylesheet(client):
    from checker.highlight import STYLESHEET

    r = client.get("/highlight.css")
    assert r.status_code == 200 and r.mimetype == "text/css"
    assert r.get_data(as_text=True) == STYLESHEET


def test_static_files(client):
    for name in ("style.css", "app.js", "openapi.json"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200
        r.close()


# --- CSRF -------------------------------------------------------------------------------


def test_csrf_missing_or_wrong_is_refused(client):
    client.get("/")
    r = client.post("/check", data={"text": NEEDY})
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)
    r = client.post("/check", data={"text": NEEDY, "csrf_token": "forged"})
    assert r.status_code == 400
    r = client.post("/check/fragment", data={"text": NEEDY})
    assert r.status_code == 400


def test_csrf_token_from_another_session_is_refused(app):
    a, b = app.test_client(), app.test_client()
    tok_a = token(a)
    token(b)
    r = b.post("/check", data={"csrf_token": tok_a, "text": NEEDY})
    assert r.status_code == 400


def test_csrf_header_is_accepted(client):
    tok = token(client)
    r = client.post("/check/fragment", data={"text": NEEDY}, headers={"X-CSRF-Token": tok})
    assert r.status_code == 200


def test_api_needs_no_csrf_and_sets_no_cookie(client):
    r = client.post("/api/v1/check", json={"text": NEEDY})
    assert r.status_code == 200
    assert "Set-Cookie" not in r.headers


def test_session_cookie_flags(client):
    r = client.get("/")
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/"),
        ("get", "/api/v1/health"),
        ("get", "/nope"),
        ("get", "/static/style.css"),
        ("post", "/api/v1/check"),
        ("get", "/log/"),
    ],
)
def test_security_headers_everywhere(client, method, path):
    r = getattr(client, method)(path)
    assert r.headers["Content-Security-Policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP
    assert "unsafe-inline" not in CSP
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    r.close()


def test_pages_are_not_cached(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    r = client.post("/api/v1/check", json={"text": NEEDY})
    assert r.headers["Cache-Control"] == "no-store"


# --- JSON API ---------------------------------------------------------------------------


def test_health(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    d = r.get_json()
    assert d["status"] == "ok" and d["schema"] == "followup-checker/report/1"


def test_health_says_the_pipeline_is_loaded_after_a_check(client):
    assert client.post("/api/v1/check", json={"text": NEEDY}).status_code == 200
    assert client.get("/api/v1/health").get_json()["model_loaded"] is True


def test_checker_config_is_public_on_the_app(tmp_path):
    from checker.config import Config
    from checker.web.checking import CONFIG_EXTENSION, check_config

    cfg = tmp_path / "c.toml"
    cfg.write_text('[severity]\n"elements.call_heads_up" = "suggestion"\n', encoding="utf-8")
    app = make_app(tmp_path, CHECK_CONFIG=str(cfg))
    with app.app_context():
        assert isinstance(check_config(), Config)
        assert check_config() is app.extensions[CONFIG_EXTENSION]
        assert check_config().severity == {"elements.call_heads_up": "suggestion"}


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_api_returns_exactly_the_cli_json(client, capsys, name):
    from checker.cli import main

    path = EXAMPLES / name
    assert main(["check", "--format", "json", "--fail-on", "never", str(path)]) == 0
    cli = json.loads(capsys.readouterr().out)
    r = client.post("/api/v1/check", json={"text": path.read_text(encoding="utf-8")})
    assert r.status_code == 200
    assert r.get_json() == cli
    # same key order as the CLI prints
    assert list(json.loads(r.get_data(as_text=True))) == list(cli)


def test_api_kind_is_passed_through(client):
    for kind in ("thank_you", "follow_up"):
        assert (
            client.post("/api/v1/check", json={"text": NEEDY, "kind": kind}).get_json()["kind"]
            == kind
        )
    assert client.post("/api/v1/check", json={"text": NEEDY, "kind": "auto"}).status_code == 200
    assert client.post("/api/v1/check", json={"text": NEEDY, "kind": None}).status_code == 200


@pytest.mark.parametrize("evil", XSS)
def test_api_json_is_not_html(client, evil):
    r = client.post("/api/v1/check", json={"text": f"Dear Ms Lee, thank you {evil}. Best, Sam"})
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "body,kwargs,status,words",
    [
        (
            None,
            {"data": "text=hello", "content_type": "application/x-www-form-urlencoded"},
            415,
            "application/json",
        ),
        (None, {"data": "{not json", "content_type": "application/json"}, 400, "JSON object"),
        ([1, 2], {}, 400, "JSON object"),
        ({}, {}, 400, "missing `text`"),
        ({"text": 42}, {}, 400, "must be a string"),
        ({"text": "hello", "kind": "memo"}, {}, 400, "unknown kind"),
        ({"text": "hello", "company": 7}, {}, 400, "`company` must be a string"),
        ({"text": "hello", "colour": "red"}, {}, 400, "unknown field"),
        ({"text": "  "}, {}, 400, "empty draft"),
        ({"text": "a\x00b"}, {}, 400, "binary"),
        ({"text": "word " * 5000}, {}, 413, "draft too long"),
    ],
)
def test_api_errors(client, body, kwargs, status, words):
    if body is not None:
        kwargs = {"json": body}
    r = client.post("/api/v1/check", **kwargs)
    assert r.status_code == status
    d = r.get_json()
    assert d["status"] == status and words in d["error"]


def test_api_405_with_allow(client):
    r = client.get("/api/v1/check")
    assert r.status_code == 405
    assert r.get_json()["status"] == 405
    assert "POST" in r.headers["Allow"]
    r = client.post("/api/v1/health")
    assert r.status_code == 405


def test_html_405(client):
    r = client.delete("/")
    assert r.status_code == 405 and "<html" in r.get_data(as_text=True)


def test_404_json_under_api_html_elsewhere(client):
    r = client.get("/api/v1/nope")
    assert r.status_code == 404 and r.get_json()["status"] == 404
    r = client.get("/nope/<script>alert(1)</script>")
    assert r.status_code == 404 and "<html" in r.get_data(as_text=True)
    assert_no_raw_markup(r.get_data(as_text=True))


def test_413_request_too_large(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=4096)
    c = app.test_client()
    r = c.post("/api/v1/check", json={"text": "x" * 10000})
    assert r.status_code == 413
    assert "4 KB" in r.get_json()["error"]
    tok = token(c)
    r = c.post("/check", data={"csrf_token": tok, "text": "x" * 10000})
    assert r.status_code == 413
    html = r.get_data(as_text=True)
    assert "too large" in html and "4 KB" in html


def test_500_is_friendly(app, client, monkeypatch):
    import checker

    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(checker, "check", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    r = client.post("/api/v1/check", json={"text": NEEDY})
    assert r.status_code == 500
    assert "secret internals" not in r.get_data(as_text=True)


def test_company_without_a_log_still_checks(client):
    r = client.post("/api/v1/check", json={"text": NEEDY, "company": "Acme"})
    assert r.status_code in (200, 400)
    assert r.is_json


def test_openapi_served_is_the_one_in_the_repository(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    served = r.get_json()
    r.close()
    doc = json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert served == doc
    assert not (ROOT / "docs" / "openapi.json").exists()  # one copy, the one served
    assert served["openapi"].startswith("3.")
    assert {"/check", "/health", "/openapi.json"} <= set(served["paths"])
    assert set(served["paths"]["/check"]["post"]["responses"]) >= {"200", "400", "413", "415"}


def test_openapi_lists_every_api_route(app):
    doc = json.loads(OPENAPI.read_text(encoding="utf-8"))
    api_rules = {
        r.rule[len("/api/v1") :] for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")
    }
    assert api_rules == set(doc["paths"])


# --- app factory ------------------------------------------------------------------------


def test_secret_key_generated_once_per_install(tmp_path, monkeypatch):
    monkeypatch.delenv("FOLLOWUP_SECRET_KEY", raising=False)
    cfg = {"DB": str(tmp_path / "c.db"), "DATA_DIR": str(tmp_path / "data")}
    a = create_app(dict(cfg))
    key_file = tmp_path / "data" / "web-secret-key"
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(a.config["SECRET_KEY"]) >= 32
    assert create_app(dict(cfg)).config["SECRET_KEY"] == a.config["SECRET_KEY"]
    other = create_app({"DB": str(tmp_path / "o.db"), "DATA_DIR": str(tmp_path / "other")})
    assert other.config["SECRET_KEY"] != a.config["SECRET_KEY"]


def test_secret_key_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_SECRET_KEY", "from-env-key")
    app = create_app({"DB": str(tmp_path / "c.db")})
    assert app.config["SECRET_KEY"] == "from-env-key"
    assert not (tmp_path / "web-secret-key").exists()


def test_db_default_follows_cli_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("FOLLOWUP_SECRET_KEY", "k")
    from checker.contacts.db import default_db_path  # the one resolution, the CLI's

    assert str(default_db_path()) == str(tmp_path / "env.db")
    assert create_app().config["DB"] == str(tmp_path / "env.db")
    assert create_app({"DB": "~/x/c.db"}).config["DB"] == os.path.expanduser("~/x/c.db")


def test_every_blueprint_is_registered(app):
    assert set(app.blueprints) == {"pages", "api", "log", "batch", "classes"}


def test_every_route_is_covered(app):
    """Guard: a new route must get a test here (or in test_web_log.py; class mode's in
    test_classes_web.py)."""
    known = {
        "/",
        "/check",
        "/check/fragment",
        "/check/apply",
        "/highlight.css",
        "/api/v1/health",
        "/api/v1/check",
        "/api/v1/openapi.json",
        "/static/<path:filename>",
    }
    rules = {
        r.rule
        for r in app.url_map.iter_rules()
        if not r.rule.startswith(("/log", "/batch", "/classes", "/s/"))
    }
    assert rules == known


def test_check_apply_needs_the_csrf_token_and_escapes(client):
    """``/check/apply`` (its fixes are tested in test_proofread.py) is a form post like
    ``/check``: refused without the session's token, and the draft is escaped."""
    text = "Dear Ms. Lee,\n\nThank you for the the interview.\n\nBest regards,\nSam"
    r = client.post(
        "/check/apply", data={"text": text, "kind": "auto", "company": "", "apply": "all"}
    )
    assert r.status_code == 400
    evil = text + "\n" + XSS[0]
    r = client.post(
        "/check/apply",
        data={
            "csrf_token": token(client),
            "text": evil,
            "kind": "auto",
            "company": "",
            "apply": "all",
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Applied 1 fix." in html
    assert_no_raw_markup(html)


def test_allowed_hosts_refuse_other_host_names(tmp_path):
    app = make_app(tmp_path, ALLOWED_HOSTS=["127.0.0.1", "localhost", "::1"])
    c = app.test_client()
    assert c.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert c.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert c.get("/", headers={"Host": "[::1]:8000"}).status_code == 200
    r = c.get("/log/export.json", headers={"Host": "evil.example:8000"})
    assert r.status_code == 400 and "Unknown host" in r.get_data(as_text=True)
    r = c.post("/api/v1/check", json={"text": NEEDY}, headers={"Host": "evil.example"})
    assert r.status_code == 400 and "Unknown host" in r.get_json()["error"]


def test_errors_for_fetch_are_fragments(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=2048)
    c = app.test_client()
    tok = token(c)
    r = c.post(
        "/check/fragment",
        data={"csrf_token": tok, "text": "x" * 5000},
        headers={"X-Requested-With": "fetch"},
    )
    assert r.status_code == 413
    html = r.get_data(as_text=True)
    assert "<html" not in html and "too large" in html and 'role="alert"' in html
    r = c.post("/check/fragment", data={"text": "hi"}, headers={"X-Requested-With": "fetch"})
    assert r.status_code == 400 and "<html" not in r.get_data(as_text=True)


def test_result_lists_what_moved_the_politeness_score(client):
    resp = check_form(
        client,
        "Dear Ms. Lee,\n\nThank you so much for your time. Could you please "
        "let me know the timeline?\n\nBest,\nAmy",
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'aria-label="What moved the politeness score"' in body
    assert "makes it more polite" in body


def test_no_rule_id_without_its_label(client):
    """Every rule the result names comes with its plain label (the id is small print)."""
    from test_class_report import assert_ids_labelled

    for text in (NEEDY, "Hi [Name],\n\nthx for the chat!!! lmk.\n\nSam"):
        html = check_form(client, text).get_data(as_text=True)
        assert "hygiene." in html or "desperation." in html
        assert_ids_labelled(html)


# -- issue 16: deeply nested JSON, CRLF drafts -------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"text": "Dear Ms Lee", "kind": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}",
    ],
)
def test_api_deeply_nested_json_is_400_not_500(client, body):
    r = client.post("/api/v1/check", data=body, content_type="application/json")
    assert r.status_code == 400
    err = r.get_json()
    assert err["status"] == 400 and "\n" not in err["error"]


def test_app_json_loads_refuses_deep_nesting_as_value_error(app):
    # Every JSON endpoint reads through the app's provider (request.get_json).
    with app.test_request_context(
        "/api/v1/check", method="POST", data="[" * 100_000, content_type="application/json"
    ):
        from flask import request

        assert request.get_json(silent=True) is None
        with pytest.raises(ValueError):
            app.json.loads("[" * 100_000)


def test_api_crlf_draft_reports_the_text_its_offsets_refer_to(client):
    sent = NEEDY.replace("\n", "\r\n")
    r = client.post("/api/v1/check", json={"text": sent})
    assert r.status_code == 200
    d = r.get_json()
    assert d["source"]["text"] == NEEDY
    assert d["source"]["line_breaks"] == "normalised"
    assert d["findings"]
    for f in d["findings"]:
        assert d["source"]["text"][f["start"] : f["end"]] == f["text"]
    # Everything else is the report of the LF draft.
    lf = client.post("/api/v1/check", json={"text": NEEDY}).get_json()
    assert {k: v for k, v in d.items() if k != "source"} == lf


def test_api_lf_draft_report_is_unchanged(client):
    import checker

    d = client.post("/api/v1/check", json={"text": NEEDY}).get_json()
    assert "source" not in d
    assert d == checker.check(NEEDY).to_dict()


def test_api_lone_cr_draft_gets_source_text(client):
    sent = NEEDY.replace("\n", "\r")
    d = client.post("/api/v1/check", json={"text": sent}).get_json()
    assert d["source"]["text"] == NEEDY


def test_uploaded_files_stay_in_memory(app):
    # Werkzeug would spool a file over 500 KB to a temporary file; drafts never reach disk.
    import io

    from flask import request

    data = {"file": (io.BytesIO(b"text,kind\n" + b"x" * 700_000), "class.csv")}
    with app.test_request_context(
        "/batch/", method="POST", data=data, content_type="multipart/form-data"
    ):
        stream = request.files["file"].stream
        assert isinstance(stream, io.BytesIO)
        assert len(stream.getvalue()) > 700_000


def test_api_html_with_crlf_keeps_the_html_source_and_says_line_breaks(client):
    html = "<p>Dear Ms Lee,</p>\r\n<p>Thank you for the interview today.</p>\r\n<p>Best,<br>Sam</p>"
    d = client.post("/api/v1/check", json={"text": html}).get_json()
    assert d["source"]["html"] is True and d["source"]["line_breaks"] == "normalised"
    for f in d["findings"]:
        assert d["source"]["text"][f["start"] : f["end"]] == f["text"]

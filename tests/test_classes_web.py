"""Class mode through the Flask test client: create, submit, revise, the dashboard and its
polling, exports, management, and the abuse cases (guessed tokens, a student link at the
dashboard, closed classes, CSRF, escaping, CSV injection, rate limits, size limits)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import make_app

from checker.classes import db
from checker.classes.model import report_from_dict

ROOT = Path(__file__).resolve().parents[1]
NEEDY = (ROOT / "data" / "examples" / "needy-follow-up.txt").read_text(encoding="utf-8")
GOOD = (ROOT / "data" / "examples" / "good-thank-you.txt").read_text(encoding="utf-8")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'
FAR = (dt.date.today() + dt.timedelta(days=30)).isoformat()


@pytest.fixture
def fac(app):
    return app.test_client()


def csrf(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def create(client, roster: bytes | None = None, **fields):
    data = {
        "csrf_token": csrf(client, "/classes/new"),
        "title": "Spring workshop",
        "kind": "thank_you",
        "due": FAR,
        "retention": "30",
    }
    data.update(fields)
    if roster is not None:
        data["roster"] = (io.BytesIO(roster), "roster.csv")
    r = client.post("/classes/new", data=data, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    if r.status_code != 200:
        return r, None, None
    student = re.search(r'id="student-link" readonly value="([^"]+)"', html).group(1)
    facilitator = re.search(r'id="facilitator-link" readonly value="([^"]+)"', html).group(1)
    return r, path_of(student), path_of(facilitator)


@pytest.fixture
def links(fac):
    r, student, facilitator = create(fac)
    assert r.status_code == 200
    return student, facilitator


def submit(client, student_path, text, name=None, token=None):
    data = {"csrf_token": token or csrf(client, student_path), "text": text}
    if name is not None:
        data["name"] = name
    return client.post(student_path, data=data)


def rows(app):
    c = db.connect(app.config["CLASSES_DB"])
    try:
        return db.count_submissions(c)
    finally:
        c.close()


# -- creating ---------------------------------------------------------------------------------------


def test_create_shows_two_full_links_once(fac, links, app):
    student, facilitator = links
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{22,}", student)
    assert re.fullmatch(r"/classes/[A-Za-z0-9_-]{22,}/", facilitator)
    page = fac.get(facilitator).get_data(as_text=True)
    # the dashboard cannot show the student link again (only its hash is stored)
    assert student.split("/")[-1] not in page
    assert Path(app.config["CLASSES_DB"]).parent == Path(app.config["DB"]).parent


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "needs a title"),
        ({"kind": "poem"}, "Kind: pick"),
        ({"due": "2020-01-01"}, "has passed"),
        ({"due": "03/04/2030"}, "Due date"),
        ({"retention": "0"}, "etention must be 1 to"),
    ],
)
def test_create_refuses_bad_fields(fac, fields, message):
    r, _, _ = create(fac, **fields)
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)


def test_create_refuses_a_bad_roster(fac):
    r, _, _ = create(fac, roster=b"who,when\nAnn,now\n")
    assert r.status_code == 400 and "needs a name column" in r.get_data(as_text=True)


def test_create_needs_csrf(fac):
    r = fac.post("/classes/new", data={"title": "x", "kind": "thank_you", "due": FAR})
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)


# -- students ----------------------------------------------------------------------------------------


def test_submit_see_feedback_revise_and_see_only_your_own(app, links):
    student, facilitator = links
    ann, bo = app.test_client(), app.test_client()
    page = ann.get(student).get_data(as_text=True)
    assert 'name="name"' in page and "thank-you note" in page
    assert 'aria-label="Main"' not in page  # no site navigation for students
    assert 'href="/"' not in page and 'href="/log/' not in page
    r = submit(ann, student, NEEDY, name="Ann Lee")
    assert r.status_code == 303 and r.headers["Location"].endswith("#result")
    page = ann.get(student).get_data(as_text=True)
    assert "Version 1 received" in page and "Feedback on your version 1" in page
    assert 'id="highlighted"' in page and "mark" in page  # the check page's result
    assert "Sending as <strong" in page and "Ann Lee" in page
    assert "Drafts sent to this class are stored" in page
    assert submit(ann, student, GOOD).status_code == 303  # a revision: no name needed
    page = ann.get(student).get_data(as_text=True)
    assert "Feedback on your version 2 of 2" in page
    assert re.search(r'<textarea[^>]*>Dear', page)  # latest draft to revise
    old = ann.get(student + "?v=1").get_data(as_text=True)
    assert "Feedback on your version 1 of 2" in old

    # another student sees none of it, even asking for version 1
    other = bo.get(student + "?v=1").get_data(as_text=True)
    assert "Ann Lee" not in other and "Feedback on" not in other
    assert submit(bo, student, GOOD, name="Bo").status_code == 303
    page = bo.get(student).get_data(as_text=True)
    assert "Feedback on your version 1," in page and "Ann Lee" not in page
    assert rows(app) == 3


def test_a_taken_name_is_refused_from_another_browser(app, links):
    student, _ = links
    assert submit(app.test_client(), student, GOOD, name="Ann").status_code == 303
    r = submit(app.test_client(), student, NEEDY, name="  ann ")
    assert r.status_code == 409
    assert "already submitted as Ann" in r.get_data(as_text=True)
    assert rows(app) == 1


def test_personal_link_and_not_you(app, links):
    student, _ = links
    ann = app.test_client()
    submit(ann, student, GOOD, name="Ann")
    page = ann.get(student).get_data(as_text=True)
    personal = path_of(re.search(r'id="personal-link" value="([^"]+)"', page).group(1))
    assert personal.startswith("/s/me/")
    # on another browser the personal link shows Ann's page and takes her next version
    phone = app.test_client()
    page = phone.get(personal).get_data(as_text=True)
    assert "Feedback on your version 1," in page and "Not you?" not in page
    assert submit(phone, personal, NEEDY).status_code == 303
    assert "version 2 of 2" in phone.get(personal).get_data(as_text=True)
    # "Not you?" forgets Ann in this browser; her versions stay
    tok = csrf(ann, student)
    assert ann.post(student + "/leave", data={"csrf_token": tok}).status_code == 303
    assert "Feedback on" not in ann.get(student).get_data(as_text=True)
    assert rows(app) == 2
    assert app.test_client().get("/s/me/" + "A" * 32).status_code == 404


def test_roster_class_offers_its_names(app, fac):
    r, student, _ = create(fac, roster=b"name,email\nAnn Lee,ann@example.org\nBo Diddley,\n")
    page = app.test_client().get(student).get_data(as_text=True)
    assert '<option value="Ann Lee">' in page and "ann@example.org" not in page
    c = app.test_client()
    r = submit(c, student, GOOD, name="Mallory")
    assert r.status_code == 400 and "Pick your name" in r.get_data(as_text=True)
    assert submit(c, student, GOOD, name="Bo Diddley").status_code == 303


def test_input_errors_keep_the_draft(app, links):
    student, _ = links
    c = app.test_client()
    r = submit(c, student, "   ", name="Ann")
    assert r.status_code == 400 and "empty draft" in r.get_data(as_text=True)
    r = submit(c, student, "x" * 20_001, name="Ann")
    assert r.status_code == 413 and "draft too long" in r.get_data(as_text=True)
    r = submit(c, student, GOOD, name="")
    assert r.status_code == 400 and "Enter your name" in r.get_data(as_text=True)
    assert "Dear" in r.get_data(as_text=True)
    r = c.post(
        student, data={"csrf_token": csrf(c, student), "name": "A", "text": "x" * (2 * 1024 * 1024)}
    )
    assert r.status_code == 413
    assert rows(app) == 0


def test_submit_needs_csrf(app, links):
    student, _ = links
    c = app.test_client()
    c.get(student)
    r = c.post(student, data={"name": "Ann", "text": GOOD})
    assert r.status_code == 400 and rows(app) == 0


def test_closed_class_refuses_with_a_clear_message(app, fac, links):
    student, facilitator = links
    ann = app.test_client()
    submit(ann, student, GOOD, name="Ann")
    assert (
        fac.post(facilitator + "close", data={"csrf_token": csrf(fac, facilitator)}).status_code
        == 303
    )
    page = ann.get(student).get_data(as_text=True)
    assert "the facilitator closed the class" in page and 'id="class-form"' not in page
    assert "Feedback on your version 1," in page  # feedback stays readable
    r = submit(ann, student, NEEDY, token=csrf(ann, "/classes/new"))  # the closed page has no form
    assert r.status_code == 403 and "Submissions to Spring workshop are closed" in r.get_data(
        as_text=True
    )
    assert rows(app) == 1
    # reopened: accepted again
    assert (
        fac.post(facilitator + "reopen", data={"csrf_token": csrf(fac, facilitator)}).status_code
        == 303
    )
    assert submit(ann, student, NEEDY).status_code == 303


def test_past_due_class_refuses(app, fac, links):
    student, facilitator = links
    c = db.connect(app.config["CLASSES_DB"])
    c.execute("UPDATE classes SET due = ?", ((dt.date.today() - dt.timedelta(days=1)).isoformat(),))
    c.close()
    c = app.test_client()
    r = submit(c, student, GOOD, name="Ann", token=csrf(c, "/classes/new"))
    assert r.status_code == 403 and "the due date" in r.get_data(as_text=True)
    page = fac.get(facilitator).get_data(as_text=True)
    assert "past due" in page
    # reopening a past-due class needs a new date
    fac.post(facilitator + "reopen", data={"csrf_token": csrf(fac, facilitator)})
    assert "give a new one" in fac.get(facilitator).get_data(as_text=True)
    fac.post(facilitator + "reopen", data={"csrf_token": csrf(fac, facilitator), "due": FAR})
    assert submit(app.test_client(), student, GOOD, name="Ann").status_code == 303


# -- tokens: 404s, never a hint ---------------------------------------------------------------------------


def test_guessed_tokens_get_the_plain_404(app, fac, links):
    student, facilitator = links
    ftoken = facilitator.strip("/").split("/")[-1]
    _, gone_student, gone_facilitator = create(fac, title="Deleted")
    fac.post(
        gone_facilitator + "delete",
        data={"csrf_token": csrf(fac, gone_facilitator), "confirm": "yes"},
    )
    # Whatever the token (random, malformed, another role's, a deleted class's), the answer
    # is the same 404 page: nothing tells whether a class exists.
    families = {
        "student": ["/s/" + "A" * 22, "/s/short", "/s/%3Cscript%3E", "/s/" + ftoken, gone_student],
        "dashboard": [
            "/classes/" + "B" * 32 + "/",
            "/classes/x/",
            "/classes/" + student.split("/")[-1] + "/",
            gone_facilitator,
        ],
        "export": [
            "/classes/" + "B" * 32 + "/export.csv",
            gone_facilitator + "export.csv",
            "/classes/" + student.split("/")[-1] + "/export.csv",
        ],
        "personal": ["/s/me/" + "C" * 32, "/s/me/x", "/s/me/" + ftoken],
    }
    for paths in families.values():
        bodies = set()
        for g in paths:
            r = app.test_client().get(g)
            assert r.status_code == 404, g
            bodies.add(r.get_data())
        assert len(bodies) == 1, paths
    assert b"<h1>404 Not Found</h1>" in next(iter(bodies))
    c = app.test_client()
    r = c.post("/s/" + "A" * 22, data={"csrf_token": csrf(c, student), "text": GOOD, "name": "x"})
    assert r.status_code == 404


def test_a_student_link_never_reaches_the_dashboard(app, links):
    student, facilitator = links
    token = student.split("/")[-1]
    c = app.test_client()
    tok = csrf(c, student)
    for suffix in (
        "",
        "roster",
        "summary",
        "export.csv",
        "export.html",
        "export.jsonl",
        "handouts.zip",
        "students/1",
    ):
        assert c.get(f"/classes/{token}/{suffix}").status_code == 404, suffix
    for suffix in ("close", "reopen", "delete", "student-link", "retention", "login"):
        assert c.post(f"/classes/{token}/{suffix}", data={"csrf_token": tok}).status_code == 404
    # and a facilitator link is no student link
    assert c.get("/s/" + facilitator.strip("/").split("/")[-1]).status_code == 404


# -- the dashboard ---------------------------------------------------------------------------------------


def test_dashboard_roster_counts_and_polling(app, fac, links):
    student, facilitator = links
    r = create(fac, roster=None)  # a second class: its students never show here
    other_student = r[1]
    submit(app.test_client(), other_student, GOOD, name="Elsewhere")
    ann = app.test_client()
    submit(ann, student, NEEDY, name="Ann")
    submit(ann, student, GOOD)
    submit(app.test_client(), student, NEEDY, name="Bo")
    page = fac.get(facilitator).get_data(as_text=True)
    assert 'data-name="Ann" data-versions="2"' in page
    assert 'data-name="Bo" data-versions="1"' in page
    assert "Elsewhere" not in page
    poll = fac.get(facilitator + "roster")
    etag = poll.headers["ETag"]
    assert poll.status_code == 200 and "<table" in poll.get_data(as_text=True)
    assert fac.get(facilitator + "roster", headers={"If-None-Match": etag}).status_code == 304
    submit(app.test_client(), student, GOOD, name="Cy")
    again = fac.get(facilitator + "roster", headers={"If-None-Match": etag})
    assert again.status_code == 200 and 'data-name="Cy" data-versions="1"' in again.get_data(
        as_text=True
    )


def test_dashboard_sorts_filters_and_shows_who_has_not_submitted(app, fac):
    _, student, facilitator = create(fac, roster=b"name\nAnn\nBo\nCy\n")
    submit(app.test_client(), student, NEEDY, name="Ann")
    submit(app.test_client(), student, GOOD, name="Bo")
    html = fac.get(facilitator + "roster?show=waiting").get_data(as_text=True)
    assert re.findall(r'data-name="([^"]+)"', html) == ["Cy"]
    assert "not submitted yet" in html and 'id="waiting-count">1<' in html
    html = fac.get(facilitator + "roster?sort=errors&order=desc").get_data(as_text=True)
    assert re.findall(r'data-name="([^"]+)"', html)[0] == "Ann"
    html = fac.get(facilitator + "roster?show=ready").get_data(as_text=True)
    assert re.findall(r'data-name="([^"]+)"', html) == ["Bo"]
    html = fac.get(facilitator + "?q=cy").get_data(as_text=True)
    assert re.findall(r'data-name="([^"]+)"', html) == ["Cy"]
    assert fac.get(facilitator + "roster?sort=nonsense&show=%3Cx%3E").status_code == 200


def test_dashboard_reads_the_hostility_section_when_a_report_has_one(app, fac, links):
    student, facilitator = links
    submit(app.test_client(), student, GOOD, name="Old report")
    c = db.connect(app.config["CLASSES_DB"])
    info = db.list_classes(c)[0]
    s, _ = db.claim_student(c, info.id, "Hostile")
    data = json.loads(c.execute("SELECT report FROM submissions").fetchone()[0])
    data = copy.deepcopy(data)
    data["hostility"] = {
        "detected": True,
        "level": "high",
        "score": 4.0,
        "signals": [{"rule": "hostility.x", "start": 0, "end": 4, "text": "Dear"}],
    }
    db.add_submission(c, info.id, s.id, GOOD, report_from_dict(data, GOOD))
    # A report stored before the check had a hostility section.
    legacy, _ = db.claim_student(c, info.id, "Legacy")
    old = copy.deepcopy(data)
    del old["hostility"]
    db.add_submission(c, info.id, legacy.id, GOOD, report_from_dict(old, GOOD))
    c.close()
    html = fac.get(facilitator + "roster?sort=hostility&order=desc").get_data(as_text=True)
    assert re.search(r'data-name="Hostile".*?level-high">high<', html, re.S)
    assert re.search(r'data-name="Old report".*?level-none">none<', html, re.S)
    assert re.search(r'data-name="Legacy".*?level-na"[^>]*>n/a<', html, re.S)


def test_versions_side_by_side_with_fixed_and_added(app, fac, links):
    student, facilitator = links
    ann = app.test_client()
    submit(ann, student, NEEDY, name="Ann")
    submit(ann, student, GOOD)
    sid = re.search(
        r'href="[^"]*/students/(\d+)"', fac.get(facilitator).get_data(as_text=True)
    ).group(1)
    html = fac.get(f"{facilitator}students/{sid}").get_data(as_text=True)
    assert html.count('class="version-col"') == 2
    assert "Since version 1:" in html and 'class="tag fixed"' in html
    assert re.search(r"since the first, <strong>\d+</strong> findings? fixed", html)
    assert fac.get(f"{facilitator}students/99999").status_code == 404


def test_summary_exports_and_escaping(app, fac, links):
    student, facilitator = links
    submit(app.test_client(), student, NEEDY, name=XSS)
    submit(app.test_client(), student, GOOD, name=FORMULA)
    pages = [
        fac.get(facilitator).get_data(as_text=True),
        fac.get(facilitator + "roster").get_data(as_text=True),
        fac.get(facilitator + "summary").get_data(as_text=True),
        fac.get(facilitator + "export.html").get_data(as_text=True),
    ]
    sid = re.search(r'href="[^"]*/students/(\d+)"', pages[0]).group(1)
    pages.append(fac.get(f"{facilitator}students/{sid}").get_data(as_text=True))
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in pages[0]
    summary = pages[2]
    assert "First versions" in summary and "Latest versions" in summary
    assert summary.count('<svg class="chart"') >= 6

    r = fac.get(facilitator + "export.csv")
    assert r.headers["Content-Disposition"].startswith("attachment")
    text = r.get_data(as_text=True)
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    ids = {row["id"] for row in table}
    assert "'" + FORMULA in ids and XSS in ids  # the CSV holds text; formulas are quoted

    r = fac.get(facilitator + "export.html")
    assert r.headers["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert (
        fac.get(facilitator + "export.html?download=1")
        .headers["Content-Disposition"]
        .startswith("attachment")
    )
    lines = fac.get(facilitator + "export.jsonl").get_data(as_text=True).splitlines()
    assert len(lines) == 2 and {json.loads(x)["version"] for x in lines} == {1}
    with zipfile.ZipFile(io.BytesIO(fac.get(facilitator + "handouts.zip").data)) as zf:
        assert len(zf.namelist()) == 2
        assert all("<script>alert" not in zf.read(n).decode() for n in zf.namelist())


def test_pages_keep_the_apps_security_headers(app, fac, links):
    student, facilitator = links
    for client, path in ((fac, facilitator), (app.test_client(), student), (fac, "/classes/new")):
        r = client.get(path)
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert r.headers["Cache-Control"] == "no-store"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "<script>" not in r.get_data(as_text=True).replace("<script src=", "")
        assert ' style="' not in r.get_data(as_text=True)
    assert app.test_client().get("/classes/static/classes.js").status_code == 200


# -- management -------------------------------------------------------------------------------------------


def test_password_protects_the_dashboard(app):
    owner = app.test_client()
    _, student, facilitator = create(owner, password="correct horse")
    assert 'id="roster-live"' in owner.get(facilitator).get_data(as_text=True)  # the creator is in
    other = app.test_client()
    page = other.get(facilitator).get_data(as_text=True)
    assert "protected by a password" in page and 'id="roster-live"' not in page
    assert other.get(facilitator + "export.csv").status_code == 303
    assert other.get(facilitator + "roster").status_code == 403
    tok = csrf(other, facilitator)
    r = other.post(facilitator + "login", data={"csrf_token": tok, "password": "wrong"})
    assert r.status_code == 403 and "Wrong password" in r.get_data(as_text=True)
    r = other.post(facilitator + "login", data={"csrf_token": tok, "password": "correct horse"})
    assert r.status_code == 303
    assert 'id="roster-live"' in other.get(facilitator).get_data(as_text=True)


def test_password_tries_are_limited(tmp_path):
    app = make_app(tmp_path, CLASS_LOGIN_LIMIT=(2, 600))
    _, _, facilitator = create(app.test_client(), password="pw")
    c = app.test_client()
    tok = csrf(c, facilitator)
    codes = [
        c.post(facilitator + "login", data={"csrf_token": tok, "password": "x"}).status_code
        for _ in range(3)
    ]
    assert codes == [403, 403, 429]
    r = c.post(facilitator + "login", data={"csrf_token": tok, "password": "pw"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0


def test_delete_student_class_and_new_links(app, fac, links):
    student, facilitator = links
    submit(app.test_client(), student, NEEDY, name="Ann")
    submit(app.test_client(), student, GOOD, name="Bo")
    page = fac.get(facilitator).get_data(as_text=True)
    ann_id = re.search(r'href="[^"]*/students/(\d+)">Ann<', page).group(1)
    tok = csrf(fac, facilitator)
    # unconfirmed: nothing happens
    fac.post(f"{facilitator}students/{ann_id}/delete", data={"csrf_token": tok})
    assert rows(app) == 2
    fac.post(f"{facilitator}students/{ann_id}/delete", data={"csrf_token": tok, "confirm": "yes"})
    assert rows(app) == 1 and 'data-name="Ann"' not in fac.get(facilitator).get_data(as_text=True)
    # a new student link: the old one is gone
    html = fac.post(facilitator + "student-link", data={"csrf_token": tok}).get_data(as_text=True)
    new = path_of(re.search(r'id="new-link" readonly value="([^"]+)"', html).group(1))
    assert app.test_client().get(student).status_code == 404
    assert app.test_client().get(new).status_code == 200
    # retention
    fac.post(facilitator + "retention", data={"csrf_token": tok, "days": "7"})
    assert "removed on" in fac.get(facilitator).get_data(as_text=True)
    # delete the class: every link is a 404 afterwards, nothing is left
    fac.post(facilitator + "delete", data={"csrf_token": tok})
    assert fac.get(facilitator).status_code == 200
    r = fac.post(facilitator + "delete", data={"csrf_token": tok, "confirm": "yes"})
    assert r.status_code == 200 and "Class deleted" in r.get_data(as_text=True)
    assert fac.get(facilitator).status_code == 404 and app.test_client().get(new).status_code == 404
    assert rows(app) == 0


def test_facilitator_makes_a_new_personal_link(app, fac, links):
    student, facilitator = links
    submit(app.test_client(), student, GOOD, name="Ann")
    sid = re.search(
        r'href="[^"]*/students/(\d+)"', fac.get(facilitator).get_data(as_text=True)
    ).group(1)
    html = fac.post(
        f"{facilitator}students/{sid}/key", data={"csrf_token": csrf(fac, facilitator)}
    ).get_data(as_text=True)
    personal = path_of(re.search(r'id="new-link" readonly value="([^"]+)"', html).group(1))
    page = app.test_client().get(personal).get_data(as_text=True)
    assert "Sending as" in page and "Ann" in page and "Feedback on your version 1," in page


# -- limits -----------------------------------------------------------------------------------------------


def test_a_flood_from_one_link_is_limited_and_loses_nothing_accepted(tmp_path):
    app = make_app(tmp_path, CLASS_SUBMIT_LIMIT=(6, 600), CLASS_STUDENT_LIMIT=(3, 600))
    _, student, _ = create(app.test_client())
    ann = app.test_client()
    codes = [
        submit(ann, student, GOOD + "\n" + "!" * i, name="Ann" if i == 0 else None).status_code
        for i in range(5)
    ]
    assert codes == [303, 303, 303, 429, 429]  # per student: 3
    r = submit(app.test_client(), student, GOOD, name="Bo")
    assert r.status_code == 303  # the link's 6th attempt
    r = submit(app.test_client(), student, GOOD, name="Cy")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "Your earlier versions are saved" in r.get_data(as_text=True)
    assert rows(app) == 4


def test_requests_per_link_are_limited(tmp_path):
    app = make_app(tmp_path, CLASS_REQUEST_LIMIT=(3, 600))
    owner = app.test_client()
    _, student, facilitator = create(owner)
    codes = [app.test_client().get(student).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert owner.get(facilitator).status_code == 200  # the facilitator link counts apart


# -- classes-only mode ------------------------------------------------------------------------------------


def test_classes_only_serves_class_mode_and_nothing_else(tmp_path):
    app = make_app(tmp_path, CLASSES_ONLY=True)
    c = app.test_client()
    assert c.get("/log/").status_code == 404
    assert c.get("/batch/").status_code == 404
    assert c.post("/api/v1/check", json={"text": "x"}).status_code == 404
    assert c.get("/").status_code == 302 and c.get("/").headers["Location"].endswith("/classes/")
    assert c.get("/api/v1/health").status_code == 200
    _, student, facilitator = create(c)
    assert c.get(student).status_code == 200 and c.get(facilitator).status_code == 200
    assert submit(app.test_client(), student, GOOD, name="Ann").status_code == 303


def test_every_class_route_is_covered(app):
    """Guard: a new class-mode route must get a test in this file."""
    known = {
        "/classes/",
        "/classes/new",
        "/classes/static/<path:filename>",
        "/classes/<token>/",
        "/classes/<token>/login",
        "/classes/<token>/roster",
        "/classes/<token>/students/<int:student_id>",
        "/classes/<token>/summary",
        "/classes/<token>/export.csv",
        "/classes/<token>/export.jsonl",
        "/classes/<token>/export.html",
        "/classes/<token>/handouts.zip",
        "/classes/<token>/close",
        "/classes/<token>/reopen",
        "/classes/<token>/retention",
        "/classes/<token>/student-link",
        "/classes/<token>/students/<int:student_id>/key",
        "/classes/<token>/students/<int:student_id>/delete",
        "/classes/<token>/delete",
        "/s/<token>",
        "/s/<token>/leave",
        "/s/me/<key>",
    }
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("classes.")}
    assert rules == known
    assert app.test_client().get("/classes/").status_code == 200


def test_links_use_the_public_url_behind_a_proxy(tmp_path):
    app = make_app(tmp_path, CLASS_PUBLIC_URL="https://workshop.example.org/")
    c = app.test_client()
    data = {
        "csrf_token": csrf(c, "/classes/new"),
        "title": "T",
        "kind": "thank_you",
        "due": FAR,
        "retention": "30",
    }
    html = c.post("/classes/new", data=data).get_data(as_text=True)
    assert re.search(r'value="https://workshop\.example\.org/s/[A-Za-z0-9_-]+"', html)
    assert re.search(r'value="https://workshop\.example\.org/classes/[A-Za-z0-9_-]+/"', html)

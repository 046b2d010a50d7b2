"""``followup class``: create prints full links that the web app answers, list, export,
handouts and management, with one-line errors (exit 2)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, timedelta

import pytest

from checker.cli import main
from checker.web import create_app

FAR = (date.today() + timedelta(days=20)).isoformat()
GOOD = (
    "Dear Ms Lee,\n\nThank you for meeting with me yesterday. I enjoyed hearing about the "
    "team's plans for the new clinic. Please let me know if I can send anything else, such "
    "as references. I will call you next Tuesday to follow up.\n\nBest regards,\nSam"
)
# ``followup class create`` of a thank-you class titled T; the due date comes next.
CREATE_T = ["class", "create", "--title", "T", "--kind", "thank_you", "--due"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "contacts.db"))
    monkeypatch.delenv("FOLLOWUP_CLASSES_DB", raising=False)
    monkeypatch.delenv("FOLLOWUP_BASE_URL", raising=False)
    return tmp_path


def run(capsys, *argv, stdin=None, monkeypatch=None):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_create_prints_full_links_that_work(env, capsys):
    (env / "roster.csv").write_text("name,email\nAnn Lee,ann@example.org\nBo,\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "class",
        "create",
        "--title",
        "Spring workshop",
        "--kind",
        "thank_you",
        "--due",
        FAR,
        "--roster",
        str(env / "roster.csv"),
        "--url",
        "http://192.168.1.20:8000/",
    )
    assert code == 0, err
    assert "2 students on the roster" in out and "shown again" in err
    student = re.search(r"Student link: +(\S+)", out).group(1)
    facilitator = re.search(r"Facilitator link: +(\S+)", out).group(1)
    assert re.fullmatch(r"http://192\.168\.1\.20:8000/s/[A-Za-z0-9_-]{22,}", student)
    assert re.fullmatch(r"http://192\.168\.1\.20:8000/classes/[A-Za-z0-9_-]{32,}/", facilitator)
    assert (env / "classes.db").exists()  # beside the contact log
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATA_DIR": str(env)})
    c = app.test_client()
    path = lambda url: re.sub(r"^http://[^/]+", "", url)  # noqa: E731
    assert '<option value="Ann Lee">' in c.get(path(student)).get_data(as_text=True)
    assert "Spring workshop" in c.get(path(facilitator)).get_data(as_text=True)
    assert c.get(path(student).replace("/s/", "/classes/") + "/").status_code == 404


def test_list_export_and_manage(env, capsys, tmp_path):
    code, out, _ = run(
        capsys,
        "class",
        "create",
        "--title",
        "=Evil <b>",
        "--kind",
        "follow_up",
        "--due",
        FAR,
        "--format",
        "json",
    )
    made = json.loads(out)
    assert made["id"] == 1 and made["student_url"].startswith("http://127.0.0.1:8000/s/")
    # a student submits through the web app
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATA_DIR": str(env)})
    c = app.test_client()
    student = made["student_url"].replace("http://127.0.0.1:8000", "")
    tok = re.search(
        r'name="csrf_token" value="([^"]+)"', c.get(student).get_data(as_text=True)
    ).group(1)
    assert c.post(student, data={"csrf_token": tok, "name": "Ann", "text": GOOD}).status_code == 303
    assert (
        c.post(student, data={"csrf_token": tok, "text": GOOD + "\nThanks again."}).status_code
        == 303
    )

    code, out, _ = run(capsys, "class", "list")
    assert code == 0 and re.search(
        r"^\s+1\s+open\s+\d{1,2} [A-Z][a-z]{2}(?: \d{4})?\s+2\s+1/1\s+=Evil <b>$", out, re.M
    )
    code, out, _ = run(capsys, "class", "list", "--format", "json")
    assert json.loads(out)[0]["submissions"] == 2

    code, out, _ = run(capsys, "class", "export", "1", "--format", "jsonl")
    assert [json.loads(x)["version"] for x in out.splitlines()] == [1, 2]
    code, out, _ = run(capsys, "class", "export", "1", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(out)))[0]["versions"] == "2"
    html = tmp_path / "report.html"
    code, _, _ = run(capsys, "class", "export", "1", "--out", str(html))
    assert code == 0 and "=Evil &lt;b&gt;" in html.read_text(encoding="utf-8")
    assert oct(html.stat().st_mode & 0o777) == "0o600"
    gradebook = tmp_path / "g.csv"
    run(capsys, "class", "export", "1", "--out", str(gradebook))
    assert gradebook.read_bytes().startswith(b"\xef\xbb\xbf")
    handouts = tmp_path / "h.zip"
    code, _, err = run(capsys, "class", "handouts", "1", "--out", str(handouts))
    assert code == 0 and "1 handout" in err and len(zipfile.ZipFile(handouts).namelist()) == 1

    code, out, _ = run(capsys, "class", "close", "1")
    assert code == 0 and "closed" in out
    assert run(capsys, "class", "list")[1].count("closed") == 1
    code, out, _ = run(capsys, "class", "reopen", "1")
    assert code == 0 and "open until" in out
    code, out, _ = run(capsys, "class", "retention", "1", "7")
    assert code == 0 and "removed on" in out
    code, out, _ = run(capsys, "class", "new-links", "1", "--url", "http://10.0.0.5:8000")
    assert code == 0 and "http://10.0.0.5:8000/s/" in out
    assert app.test_client().get(student).status_code == 404  # the old link is gone

    code, _, err = run(capsys, "class", "delete-student", "1", "ann")
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "class", "delete-student", "1", "ann", "--yes")
    assert code == 0 and "Deleted Ann" in out
    code, _, err = run(capsys, "class", "delete", "1")
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "class", "delete", "1", "--yes")
    assert code == 0
    assert "No classes yet" in run(capsys, "class", "list")[1]


@pytest.mark.parametrize(
    "argv, message",
    [
        ([*CREATE_T, "2020-01-01"], "has passed"),
        ([*CREATE_T, "03/04/2031"], "--due"),
        ([*CREATE_T, FAR, "--roster", "nope.csv"], "no such file"),
        ([*CREATE_T, FAR, "--url", "10.0.0.5"], "full address"),
        (["class", "create", "--title", " ", "--kind", "thank_you", "--due", FAR], "title"),
        (["class", "export", "42"], "no class 42"),
        (["class"], "give an action"),
    ],
)
def test_errors_are_one_line_exit_2(env, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_password_from_stdin(env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("hunter2 hunter2\n"))
    code, out, _ = run(capsys, *CREATE_T, FAR, "--password", "--format", "json")
    assert code == 0 and json.loads(out)["password"] is True

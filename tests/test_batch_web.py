"""The class-review page (``web.batch``): uploads of every form, zip safety, size limits,
CSRF, the downloads; and the page in headless chromium."""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import threading
import zipfile
from pathlib import Path

import pytest

from web import create_app

FIX = Path(__file__).parent / "fixtures" / "batch"
GOOD = ("Dear Ms. Lee,\n\nThank you for your time today. I enjoyed meeting the team and learning "
        "about the mentoring programme. I would be glad to send references.\n\nBest regards,\nSam")


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "test-key-" + "x" * 32,
                       "DB": str(tmp_path / "c.db"), "DATA_DIR": str(tmp_path)})


@pytest.fixture
def client(app):
    return app.test_client()


def token(client) -> str:
    html = client.get("/batch/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post(client, files: list[tuple[bytes, str]], **fields):
    data = {"csrf_token": token(client), "kind": "auto", "title": "", **fields,
            "files": [(io.BytesIO(b), name) for b, name in files]}
    return client.post("/batch/", data=data, content_type="multipart/form-data")


def downloads(html: str) -> tuple[str, str]:
    def grab(i):
        m = re.search(rf'id="download-{i}" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', html)
        assert m, f"no {i} download"
        return base64.b64decode(m.group(1)).decode("utf-8-sig")
    return grab("csv"), grab("html")


def zip_bytes(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_form(client):
    r = client.get("/batch/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html and "multiple" in html
    assert 'name="csrf_token"' in html and ".zip" in html
    assert client.get("/batch/report.css").mimetype == "text/css"


def test_post_without_csrf_is_refused(client):
    r = client.post("/batch/", data={"files": [(io.BytesIO(b"id,text\na,hi\n"), "a.csv")]},
                    content_type="multipart/form-data")
    assert r.status_code == 400


def test_csv_upload_shows_the_report_and_offers_downloads(client):
    r = post(client, [((FIX / "drafts.csv").read_bytes(), "drafts.csv")], title="Spring 2027")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="summary"' in html and html.count('class="card"') == 3
    assert "empty draft" in html  # Cleo's empty row is listed with the reason
    assert "<script" not in html.split("</main>")[0].split('<main')[1]
    gradebook, report = downloads(html)
    rows = list(csv.DictReader(io.StringIO(gradebook)))
    assert [r["id"] for r in rows] == ["Ana Ruiz", "Ben, Jr.", "Cleo", "'=HYPERLINK(1)"]
    assert rows[2]["status"] == "unreadable"
    assert report.startswith("<!doctype html>") and "<title>Spring 2027" in report
    assert 'download="spring-2027.csv"' in html


def test_several_files_student_is_the_file_name(client):
    import docx

    d = docx.Document()
    for p in GOOD.split("\n\n"):
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    files = [(GOOD.encode(), "Amy Ng.txt"), (buf.getvalue(), "Bo Li.docx"),
             ((FIX / "class" / "chris.eml").read_bytes(), "chris.eml"),
             (b"\x00\x01binary", "dan.txt"), (b"%PDF", "eve.pdf")]
    r = post(client, files)
    html = r.get_data(as_text=True)
    gradebook, _ = downloads(html)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(gradebook))}
    assert list(rows) == ["Amy Ng", "Bo Li", "chris", "dan", "eve"]
    assert [rows[k]["status"] for k in rows] == ["checked"] * 3 + ["unreadable"] * 2
    assert "binary data" in rows["dan"]["error"] and "unsupported" in rows["eve"]["error"]


def test_zip_upload(client):
    z = zip_bytes({"class/amy.txt": GOOD.encode(), "class/bo.md": GOOD.encode(),
                   "class/.DS_Store": b"\x00", "__MACOSX/class/._amy.txt": b"\x00\x05",
                   "class/sub/": b"", "class/extra.csv": b"id,text\ncy,Dear Cy, thank you.\n"})
    r = post(client, [(z, "drafts.zip")])
    assert r.status_code == 200
    gradebook, _ = downloads(r.get_data(as_text=True))
    ids = [row["id"] for row in csv.DictReader(io.StringIO(gradebook))]
    assert ids == ["class/amy", "class/bo", "cy"]


@pytest.mark.parametrize("bad", ["../evil.txt", "class/../../evil.txt", "/etc/cron.d/evil",
                                 "C:\\Windows\\evil.txt"])
def test_zip_with_path_traversal_is_refused(client, bad):
    z = zip_bytes({"ok.txt": GOOD.encode(), bad: GOOD.encode()})
    r = post(client, [(z, "class.zip")])
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "zip refused" in html and ("path traversal" in html or "absolute path" in html)
    assert 'id="summary"' not in html


def test_zip_bomb_is_refused(client):
    z = zip_bytes({"a.txt": GOOD.encode(), "bomb.txt": b"\x00" * (20 * 1024 * 1024)})
    assert len(z) < 100_000
    r = post(client, [(z, "class.zip")])
    assert r.status_code == 400 and "zip bomb" in r.get_data(as_text=True)


def test_zip_with_too_many_entries_is_refused(app, client):
    app.config["BATCH_MAX_FILES"] = 5
    z = zip_bytes({f"s{i}.txt": GOOD.encode() for i in range(11)})
    r = post(client, [(z, "class.zip")])
    assert r.status_code == 400 and "too many entries" in r.get_data(as_text=True)


def test_not_a_zip(client):
    r = post(client, [(b"hello", "class.zip")])
    assert r.status_code == 400 and "not a zip file" in r.get_data(as_text=True)


def test_upload_size_limit(app, client):
    app.config["BATCH_MAX_UPLOAD"] = 50_000
    r = post(client, [(b"x" * 60_000, "big.txt")])
    assert r.status_code == 413
    html = r.get_data(as_text=True)
    assert "upload is too large" in html and "49 KB" in html


def test_batch_limit_is_this_page_only(app, client):
    # 1.5 MB is over the app's 1 MiB limit but under the class-review page's limit.
    big = b"id,text\n" + b"".join(f"s{i},{GOOD!r}\n".encode() for i in range(1)) + b"#" * 1_500_000
    r = post(client, [(big, "big.csv")])
    assert r.status_code == 200
    assert client.post("/check", data={"text": "x" * 1_500_000}).status_code == 413


def test_too_many_drafts(app, client):
    app.config["BATCH_MAX_DRAFTS"] = 3
    lines = "".join(json.dumps({"id": i, "text": GOOD}) + "\n" for i in range(5))
    r = post(client, [(lines.encode(), "d.jsonl")])
    assert r.status_code == 413 and "More than 3 drafts" in r.get_data(as_text=True)


def test_upload_errors_are_typed_input_errors():
    from checker.errors import InputError
    from web.batch import TooManyDrafts, UploadError

    assert issubclass(UploadError, InputError) and issubclass(TooManyDrafts, UploadError)
    assert (UploadError("x").status, TooManyDrafts("x").status) == (400, 413)


def test_no_files(client):
    r = client.post("/batch/", data={"csrf_token": token(client)}, content_type="multipart/form-data")
    assert r.status_code == 400 and "Choose a CSV" in r.get_data(as_text=True)


def test_names_are_escaped(client):
    evil = '<img src=x onerror=alert(1)>'
    r = post(client, [(json.dumps({"id": evil, "text": GOOD + evil}).encode() + b"\n", "d.jsonl"),
                      (GOOD.encode(), '"><script>alert(1)</script>.txt')])
    html = r.get_data(as_text=True)
    assert "<img src=x" not in html and "<script>alert" not in html


# -- in a real browser --------------------------------------------------------------------------



@pytest.fixture(scope="module")
def live_url(tmp_path_factory):
    from waitress.server import create_server

    tmp = tmp_path_factory.mktemp("batchweb")
    app = create_app({"SECRET_KEY": "k" * 40, "DB": str(tmp / "c.db"), "DATA_DIR": str(tmp)})
    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()




@pytest.mark.browser
def test_upload_in_chromium(browser, live_url, tmp_path, artifacts_dir):
    z = tmp_path / "class.zip"
    z.write_bytes(zip_bytes({name.name: name.read_bytes() for name in (FIX / "class").iterdir()}))
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_url + "/batch/")
    page.set_input_files("#files", [str(z), str(FIX / "drafts.csv")])
    page.fill("#title", "Workshop 3")
    page.click("button[type=submit]")
    page.wait_for_selector("#summary")
    assert page.locator("details.card").count() >= 7
    assert page.locator("#unreadable").is_visible()
    # the report's stylesheet applied under the site's CSP (no inline styles needed)
    assert page.locator(".br .card").first.evaluate("e => getComputedStyle(e).borderRadius") == "8px"
    with page.expect_download() as dl:
        page.click("#download-csv")
    path = dl.value.path()
    assert dl.value.suggested_filename == "workshop-3.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
    assert len(rows) >= 12 and rows[0]["id"] == "alex"
    with page.expect_download() as dl:
        page.click("#download-html")
    assert open(dl.value.path(), encoding="utf-8").read().startswith("<!doctype html>")
    page.screenshot(path=str(artifacts_dir / "batch-web.png"), full_page=True)
    assert errors == []
    context.close()


def test_handouts_zip_and_compare_with_an_earlier_round(client):
    first = "\n".join(json.dumps({"id": n, "text": t}) for n, t in (
        ("sam", GOOD.replace("Thank you", "thx")), ("kim", GOOD + "\nPlease please!!!")))
    html = post(client, [(first.encode(), "round1.jsonl")]).get_data(as_text=True)
    m = re.search(r'id="download-handouts" href="data:application/zip;base64,([^"]+)"', html)
    assert m
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(m.group(1)))) as zf:
        assert sorted(zf.namelist()) == ["kim.html", "sam.html"]
        page = zf.read("sam.html").decode("utf-8")
        assert "<script" not in page.lower() and "sam" in page
    m = re.search(r'id="download-jsonl" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', html)
    reports = base64.b64decode(m.group(1))
    second = "\n".join(json.dumps({"id": n, "text": GOOD}) for n in ("sam", "kim"))
    data = {"csrf_token": token(client), "kind": "auto", "title": "Round 2",
            "files": [(io.BytesIO(second.encode()), "round2.jsonl")],
            "compare": (io.BytesIO(reports), "round1-reports.jsonl")}
    html = client.post("/batch/", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="since"' in html and "2 students in both rounds" in html
    assert "Since round 1" in html.split('id="roster-table"', 1)[1].split("</table>")[0]
    # a compare file that is not reports: said, nothing checked
    data = {"csrf_token": token(client), "kind": "auto", "title": "",
            "files": [(io.BytesIO(second.encode()), "round2.jsonl")],
            "compare": (io.BytesIO(b"hello"), "notes.jsonl")}
    r = client.post("/batch/", data=data, content_type="multipart/form-data")
    assert r.status_code == 400 and "Compare: notes.jsonl: line 1 is not JSON" in r.get_data(as_text=True)

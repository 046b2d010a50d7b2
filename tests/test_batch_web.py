"""The class-review page (``web.batch``): uploads of every form, zip safety, size limits,
CSRF, the downloads; and the page in headless chromium."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import app_config, make_app, served

FIX = Path(__file__).parent / "fixtures" / "batch"
GOOD = (
    "Dear Ms. Lee,\n\nThank you for your time today. I enjoyed meeting the team and learning "
    "about the mentoring programme. I would be glad to send references.\n\nBest regards,\nSam"
)


def token(client) -> str:
    html = client.get("/batch/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def start(client, files: list[tuple[bytes, str]], **fields):
    """POST the upload: a redirect to the new job's page (or the form with an error)."""
    data = {
        "csrf_token": token(client),
        "kind": "auto",
        "title": "",
        **fields,
        "files": [(io.BytesIO(b), name) for b, name in files],
    }
    return client.post("/batch/", data=data, content_type="multipart/form-data")


def wait(client, job_url: str) -> dict:
    """Poll the job's status until it has ended; its last status."""
    while True:
        st = client.get(job_url + "/status").get_json()
        if st["state"] not in ("queued", "running"):
            return st
        time.sleep(0.05)


def post(client, files: list[tuple[bytes, str]], **fields):
    """Upload, follow the job to its end, and return its page (the report), as the page
    answered before reviews ran as jobs; an upload refused at once is returned as it is."""
    r = start(client, files, **fields)
    if r.status_code != 303:
        return r
    wait(client, r.headers["Location"])
    return client.get(r.headers["Location"])


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
    r = client.post(
        "/batch/",
        data={"files": [(io.BytesIO(b"id,text\na,hi\n"), "a.csv")]},
        content_type="multipart/form-data",
    )
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
    files = [
        (GOOD.encode(), "Amy Ng.txt"),
        (buf.getvalue(), "Bo Li.docx"),
        ((FIX / "class" / "chris.eml").read_bytes(), "chris.eml"),
        (b"\x00\x01binary", "dan.txt"),
        (b"%PDF", "eve.pdf"),
    ]
    r = post(client, files)
    html = r.get_data(as_text=True)
    gradebook, _ = downloads(html)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(gradebook))}
    assert list(rows) == ["Amy Ng", "Bo Li", "chris", "dan", "eve"]
    assert [rows[k]["status"] for k in rows] == ["checked"] * 3 + ["unreadable"] * 2
    assert "binary data" in rows["dan"]["error"] and "unsupported" in rows["eve"]["error"]


def test_zip_upload(client):
    z = zip_bytes(
        {
            "class/amy.txt": GOOD.encode(),
            "class/bo.md": GOOD.encode(),
            "class/.DS_Store": b"\x00",
            "__MACOSX/class/._amy.txt": b"\x00\x05",
            "class/sub/": b"",
            "class/extra.csv": b"id,text\ncy,Dear Cy, thank you.\n",
        }
    )
    r = post(client, [(z, "drafts.zip")])
    assert r.status_code == 200
    gradebook, _ = downloads(r.get_data(as_text=True))
    ids = [row["id"] for row in csv.DictReader(io.StringIO(gradebook))]
    assert ids == ["class/amy", "class/bo", "cy"]


@pytest.mark.parametrize(
    "bad", ["../evil.txt", "class/../../evil.txt", "/etc/cron.d/evil", "C:\\Windows\\evil.txt"]
)
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
    from checker.web.batch import TooManyDrafts, UploadError

    assert issubclass(UploadError, InputError) and issubclass(TooManyDrafts, UploadError)
    assert (UploadError("x").status, TooManyDrafts("x").status) == (400, 413)


def test_no_files(client):
    r = client.post(
        "/batch/", data={"csrf_token": token(client)}, content_type="multipart/form-data"
    )
    assert r.status_code == 400 and "Choose a CSV" in r.get_data(as_text=True)


def test_names_are_escaped(client):
    evil = '<img src=x onerror=alert(1)>'
    r = post(
        client,
        [
            (json.dumps({"id": evil, "text": GOOD + evil}).encode() + b"\n", "d.jsonl"),
            (GOOD.encode(), '"><script>alert(1)</script>.txt'),
        ],
    )
    html = r.get_data(as_text=True)
    assert "<img src=x" not in html and "<script>alert" not in html


# -- in a real browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batchweb")
    with served(app_config(tmp), threads=2) as url:
        yield url


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
    assert (
        page.locator(".br .card").first.evaluate("e => getComputedStyle(e).borderRadius") == "8px"
    )
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
    first = "\n".join(
        json.dumps({"id": n, "text": t})
        for n, t in (
            ("sam", GOOD.replace("Thank you", "thx")),
            ("kim", GOOD + "\nPlease please!!!"),
        )
    )
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
    data = {
        "csrf_token": token(client),
        "kind": "auto",
        "title": "Round 2",
        "files": [(io.BytesIO(second.encode()), "round2.jsonl")],
        "compare": (io.BytesIO(reports), "round1-reports.jsonl"),
    }
    r = client.post("/batch/", data=data, content_type="multipart/form-data")
    assert r.status_code == 303
    wait(client, r.headers["Location"])
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'id="since"' in html and "2 students in both rounds" in html
    assert "Since round 1" in html.split('id="roster-table"', 1)[1].split("</table>")[0]
    # a compare file that is not reports: said, nothing checked
    data = {
        "csrf_token": token(client),
        "kind": "auto",
        "title": "",
        "files": [(io.BytesIO(second.encode()), "round2.jsonl")],
        "compare": (io.BytesIO(b"hello"), "notes.jsonl"),
    }
    r = client.post("/batch/", data=data, content_type="multipart/form-data")
    assert r.status_code == 400 and "Compare: notes.jsonl: line 1 is not JSON" in r.get_data(
        as_text=True
    )


# -- reviews run as jobs: progress, cancel, the same report ------------------------------------


def _jsonl_download(html: str) -> list[dict]:
    m = re.search(r'id="download-jsonl" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', html)
    assert m, "no JSONL download"
    return [json.loads(line) for line in base64.b64decode(m.group(1)).decode().splitlines()]


@pytest.fixture
def gate(monkeypatch):
    """Hold each checked draft of a job until the test releases it (``gate.release()``)."""
    import checker.batch

    real = checker.batch.process
    sem = threading.Semaphore(0)

    def gated(*args, **kwargs):
        for result in real(*args, **kwargs):
            sem.acquire()
            yield result

    monkeypatch.setattr(checker.batch, "process", gated)
    yield sem
    sem.release(1000)  # never leave a job's thread waiting


def _wait_for(client, job_url: str, **expected) -> dict:
    while True:
        st = client.get(job_url + "/status").get_json()
        if all(st[k] == v for k, v in expected.items()):
            return st
        time.sleep(0.02)


FIVE = "\n".join(
    json.dumps({"id": f"s{i}", "text": GOOD.replace("Sam", f"Sam {i}")}) for i in range(5)
).encode()


def test_upload_starts_a_job_and_answers_at_once(client, gate):
    r = start(client, [(FIVE, "five.jsonl")])
    assert r.status_code == 303
    url = r.headers["Location"]
    assert re.fullmatch(r"/batch/jobs/[A-Za-z0-9_-]{20,}", url)
    # Nothing is checked yet (the gate holds the first draft): the page shows the progress.
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="batch-job"' in html and 'id="job-progress"' in html
    assert f'data-status-url="{url}/status"' in html
    assert 'http-equiv="refresh"' in html  # without JavaScript, the page refreshes itself
    assert re.search(
        r'<form id="job-cancel-form" method="post" action="'
        + re.escape(url)
        + r'/cancel">\s*<input type="hidden" name="csrf_token"',
        html,
    )
    assert "<script>" not in html and "onclick" not in html  # CSP: no inline script
    gate.release(5)
    assert wait(client, url)["state"] == "done"


def test_status_shows_progress(client, gate):
    url = start(client, [(FIVE, "five.jsonl")]).headers["Location"]
    st = client.get(url + "/status").get_json()
    assert st["total"] == 5 and st["done"] == 0 and st["state"] in ("queued", "running")
    assert st["url"] == url
    for n in (1, 2, 3):
        gate.release()
        st = _wait_for(client, url, done=n)
        assert st["state"] == "running" and st["total"] == 5
    html = client.get(url).get_data(as_text=True)
    assert '<span id="job-done">3</span> of <span id="job-total">5</span>' in html
    gate.release(2)
    st = wait(client, url)
    assert (st["state"], st["done"], st["total"]) == ("done", 5, 5)


def test_a_job_gives_the_same_report_as_the_command(client, tmp_path):
    from checker.batch import iter_inputs, review

    path = FIX / "drafts.csv"
    html = post(client, [(path.read_bytes(), "drafts.csv")]).get_data(as_text=True)
    out = io.StringIO()
    review(iter_inputs([str(path)]), out, "jsonl")
    cli = [json.loads(line) for line in out.getvalue().splitlines()]
    web = _jsonl_download(html)
    for row in cli + web:
        row.pop("input", None)  # the web names the upload, the CLI the path
    assert web == cli and len(web) >= 3
    assert 'id="summary"' in html and "download-csv" in html


def test_cancel_stops_the_job(client, gate):
    url = start(client, [(FIVE, "five.jsonl")]).headers["Location"]
    gate.release()
    _wait_for(client, url, done=1)
    # The cancel form needs the CSRF token, like every form.
    assert client.post(url + "/cancel").status_code == 400
    assert client.get(url + "/status").get_json()["state"] == "running"
    r = client.post(url + "/cancel", data={"csrf_token": token(client)})
    assert r.status_code == 303 and r.headers["Location"] == url
    gate.release(5)  # the draft in hand is finished, then the job stops
    st = wait(client, url)
    assert st["state"] == "cancelled" and st["done"] < 5
    html = client.get(url).get_data(as_text=True)
    assert "The review was cancelled" in html and "download-csv" not in html
    assert 'http-equiv="refresh"' not in html


def test_a_job_is_only_its_owners(app, client, gate):
    url = start(client, [(FIVE, "five.jsonl")]).headers["Location"]
    other = app.test_client()
    other.get("/batch/")
    assert other.get(url).status_code == 404
    assert other.get(url + "/status").status_code == 404
    assert other.post(url + "/cancel", data={"csrf_token": token(other)}).status_code == 404
    assert client.get("/batch/jobs/not-a-job/status").status_code == 404
    gate.release(5)
    assert wait(client, url)["state"] == "done"


def test_jobs_are_bounded(app, client, gate):
    app.config.update(BATCH_MAX_JOBS=2, BATCH_MAX_RUNNING=1)
    first = start(client, [(FIVE, "a.jsonl")]).headers["Location"]
    second = start(client, [(FIVE, "b.jsonl")]).headers["Location"]
    _wait_for(client, first, state="running")
    # One runs, the other waits its turn; a third is refused.
    assert client.get(second + "/status").get_json()["state"] == "queued"
    html = client.get(second).get_data(as_text=True)
    assert "Waiting for another class review to finish" in html
    r = start(client, [(FIVE, "c.jsonl")])
    assert r.status_code == 503 and "busy" in r.get_data(as_text=True)
    gate.release(5)
    assert wait(client, first)["state"] == "done"
    _wait_for(client, second, state="running")
    gate.release(5)
    assert wait(client, second)["state"] == "done"


def test_a_queued_job_can_be_cancelled(app, client, gate):
    app.config.update(BATCH_MAX_RUNNING=1)
    first = start(client, [(FIVE, "a.jsonl")]).headers["Location"]
    second = start(client, [(FIVE, "b.jsonl")]).headers["Location"]
    _wait_for(client, first, state="running")
    client.post(second + "/cancel", data={"csrf_token": token(client)})
    assert client.get(second + "/status").get_json() == {
        "state": "cancelled",
        "done": 0,
        "total": 5,
        "error": None,
        "url": second,
    }
    gate.release(5)
    assert wait(client, first)["state"] == "done"


def test_finished_jobs_expire(app, client):
    app.config.update(BATCH_JOB_TTL=0)
    r = start(client, [(FIVE, "five.jsonl")])
    url = r.headers["Location"]
    while True:  # poll until it is gone: ended and forgotten at once with a TTL of 0
        st = client.get(url + "/status")
        if st.status_code == 404:
            break
        assert st.get_json()["state"] in ("queued", "running")
        time.sleep(0.05)
    assert client.get(url).status_code == 404


def test_a_failing_job_says_so_in_one_line(client, monkeypatch):
    from checker.web import batch as web_batch

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(web_batch, "run_review", boom)
    url = start(client, [(FIVE, "five.jsonl")]).headers["Location"]
    st = wait(client, url)
    assert st["state"] == "failed" and st["error"] == "The review failed: RuntimeError."
    assert "The review failed: RuntimeError." in client.get(url).get_data(as_text=True)


def test_jobs_shared_by_worker_processes(tmp_path):
    """``followup serve --workers N`` forks the app: the job table lives in a manager process,
    so a worker other than the one that started the job answers its status and result."""
    import multiprocessing

    app = make_app(tmp_path, BATCH_JOBS="shared")
    store = app.extensions["batch_jobs"]
    try:
        assert store.shared
        client = app.test_client()
        url = start(client, [(FIVE, "five.jsonl")]).headers["Location"]
        job_id = url.rsplit("/", 1)[1]
        wait(client, url)

        def read(q):  # in a forked process, as a worker is
            q.put((store.get(job_id, 3600)["state"], len(store.result(job_id)["report_html"])))

        q = multiprocessing.get_context("fork").Queue()
        p = multiprocessing.get_context("fork").Process(target=read, args=(q,))
        p.start()
        state, size = q.get()
        p.join()
        assert state == "done" and size > 1000
        assert "download-csv" in client.get(url).get_data(as_text=True)
    finally:
        store.close()


@pytest.mark.browser
def test_job_progress_and_cancel_in_chromium(browser, live_url, gate, tmp_path, artifacts_dir):
    """The job page's script (no inline script under the CSP) moves the progress bar as drafts
    are checked, and its cancel button stops the review."""
    drafts = tmp_path / "five.jsonl"
    drafts.write_bytes(FIVE)
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_url + "/batch/")
    page.set_input_files("#files", [str(drafts)])
    page.click("button[type=submit]")
    page.wait_for_selector("#job-progress")
    assert "/batch/jobs/" in page.url
    gate.release(2)
    from playwright.sync_api import expect

    expect(page.locator("#job-done")).to_have_text("2")  # polled by batch.js, no reload
    assert page.locator("#job-progress").evaluate("e => [e.value, e.max]") == [2, 5]
    assert page.locator("#job-total").inner_text() == "5"
    page.screenshot(path=str(artifacts_dir / "batch-job-progress.png"))
    page.click("#job-cancel")
    gate.release(5)
    expect(page.locator("#job-status")).to_contain_text("The review was cancelled")
    assert errors == []
    page.close()

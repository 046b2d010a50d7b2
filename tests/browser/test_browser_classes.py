"""Class mode in a real browser (headless Debian chromium via Playwright, against waitress).

A facilitator creates a class; three students, each in a browser context of their own,
submit (one of them twice) and see their feedback; the dashboard, never reloaded, shows all
three with the right version counts; sorting works without a reload; the versions page, the
class summary and the exports open; a student link is refused at the dashboard URL.  No CSP
violation or script error on any page.  Screenshots go to ``test-artifacts/class-*.png``
(``docs/images/`` holds copies for docs/class-mode.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import app_config, need_browser, served

ROOT = Path(__file__).resolve().parents[2]
NEEDY = (ROOT / "data" / "examples" / "needy-follow-up.txt").read_text(encoding="utf-8")
GOOD = (ROOT / "data" / "examples" / "good-thank-you.txt").read_text(encoding="utf-8")
SHORT = (
    "Hi Mr Ortiz,\n\nThanks for the interview today, I really enjoyed meeting the team. "
    "Please please let me know soon, I really need this job!!!\n\nCy"
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    tmp = tmp_path_factory.mktemp("classes")
    with served(app_config(tmp, PRELOAD=True, CLASS_POLL_MS=600), threads=6) as url:
        yield url


def new_page(browser, problems: list, **kw):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **kw)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.on(
        "console", lambda m: problems.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    return context, page


def submit_as(page, student_url: str, name: str | None, draft: str, version: int) -> None:
    if name is not None:
        page.goto(student_url)
        page.get_by_label("Your name").fill(name)
    page.get_by_label("Your thank-you note").fill(draft)
    button = "Send and see my feedback" if version == 1 else f"Send version {version}"
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"#result$"))
    line = page.locator("#shown-h")
    line.wait_for()
    assert f"Feedback on your version {version}" in line.inner_text()
    assert page.locator("#result .verdict").is_visible()  # the check page's result
    assert page.locator("#result .checklist li").count() == 4


def test_a_class_in_chromium(browser, server, artifacts_dir):
    problems: list[str] = []
    due = (dt.date.today() + dt.timedelta(days=14)).isoformat()

    # -- the facilitator creates a class -----------------------------------------------------
    fac_ctx, fac = new_page(browser, problems, accept_downloads=True)
    fac.goto(server + "/classes/")
    fac.locator("#create-class").click()
    fac.get_by_label("Title").fill("Spring workshop")
    fac.get_by_label("Students write a").select_option("thank_you")
    fac.get_by_label("Due date").fill(due)
    fac.screenshot(path=str(artifacts_dir / "class-new.png"), full_page=True)
    fac.get_by_role("button", name="Create the class").click()
    student_url = fac.locator("#student-link").input_value()
    dashboard_url = fac.locator("#facilitator-link").input_value()
    assert re.fullmatch(re.escape(server) + r"/s/[A-Za-z0-9_-]{22,}", student_url)
    assert re.fullmatch(re.escape(server) + r"/classes/[A-Za-z0-9_-]{32,}/", dashboard_url)
    fac.screenshot(path=str(artifacts_dir / "class-created.png"), full_page=True)
    fac.locator("#open-dashboard").click()
    fac.locator("#roster-live").wait_for()
    assert "Nobody has submitted yet" in fac.locator("#roster-live").inner_text()
    fac.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

    # -- three students, three browser contexts; Ann sends twice -------------------------------
    students = []
    for name, drafts in (("Ann Lee", [NEEDY, GOOD]), ("Bo Diddley", [GOOD]), ("Cy Young", [SHORT])):
        ctx, page = new_page(browser, problems)
        for n, draft in enumerate(drafts, 1):
            submit_as(page, student_url, name if n == 1 else None, draft, n)
        assert page.locator("#student-name").inner_text() == name
        assert page.locator(".my-versions li").count() == len(drafts)
        students.append((name, ctx, page))
    ann_page = students[0][2]
    ann_page.locator("#result").scroll_into_view_if_needed()
    ann_page.screenshot(path=str(artifacts_dir / "class-student.png"), full_page=True)
    # Bo sees only his own version
    bo_page = students[1][2]
    assert "Ann Lee" not in bo_page.content() and bo_page.locator(".my-versions li").count() == 1

    # -- the dashboard shows all three, with the right counts, without a reload ---------------
    fac.wait_for_function(
        "() => document.querySelectorAll('#roster tr[data-name]').length === 3", timeout=20000
    )
    counts = fac.evaluate("""() => Object.fromEntries(Array.from(
        document.querySelectorAll('#roster tr[data-name]'),
        tr => [tr.dataset.name, tr.querySelector('td.versions').textContent.trim()]))""")
    assert counts == {"Ann Lee": "2", "Bo Diddley": "1", "Cy Young": "1"}
    assert fac.evaluate("window.__sameDocument") is True
    fac.screenshot(path=str(artifacts_dir / "class-dashboard.png"), full_page=True)
    # sorting by errors, most first, without a reload
    fac.locator("#roster th a.sort", has_text="Errors").click()
    fac.wait_for_function(
        "() => document.querySelector('#roster th[aria-sort]') && "
        "document.querySelector('#roster th[aria-sort]').textContent.includes('Errors')"
    )
    fac.locator("#roster th a.sort", has_text="Errors").click()
    fac.wait_for_function(
        "() => document.querySelector('#roster th[aria-sort]')"
        ".getAttribute('aria-sort') === 'descending'"
    )
    errors = fac.evaluate("""() => Array.from(document.querySelectorAll('#roster tbody tr'),
        tr => Number(tr.querySelectorAll('td')[2].textContent))""")
    assert errors == sorted(errors, reverse=True)
    assert fac.evaluate("window.__sameDocument") is True

    # -- one student's versions side by side ---------------------------------------------------
    fac.locator("#roster a", has_text="Ann Lee").click()
    fac.locator(".version-col").first.wait_for()
    assert fac.locator(".version-col").count() == 2
    assert "Since version 1" in fac.locator(".version-col").nth(1).inner_text()
    boxes = fac.locator(".version-col").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().left)"
    )
    assert boxes[1] > boxes[0]  # side by side
    fac.screenshot(path=str(artifacts_dir / "class-versions.png"))  # the top: side by side

    # -- the class summary: the batch report's charts, first and latest --------------------------
    fac.get_by_role("link", name="Class summary").click()
    fac.locator("#summary-latest").wait_for()
    widths = fac.locator("svg.chart").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert len(widths) >= 6 and min(widths) > 100
    fac.screenshot(path=str(artifacts_dir / "class-summary.png"))

    # -- exports open ---------------------------------------------------------------------------
    fac.goto(dashboard_url)
    with fac.expect_download() as dl:
        fac.locator("#export-csv").click()
    table = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
    assert {r["id"]: r["versions"] for r in table} == {
        "Ann Lee": "2",
        "Bo Diddley": "1",
        "Cy Young": "1",
    }
    with fac.expect_download() as dl:
        fac.locator("#export-handouts").click()
    assert len(zipfile.ZipFile(dl.value.path()).namelist()) == 3
    with fac.expect_download() as dl:
        fac.locator("#export-jsonl").click()
    assert len(Path(dl.value.path()).read_text(encoding="utf-8").splitlines()) == 4
    fac.locator("#export-html").click()
    fac.wait_for_load_state("load")
    assert fac.title().startswith("Spring workshop")
    assert fac.locator("details.card").count() == 3
    fac.screenshot(path=str(artifacts_dir / "class-report.png"))

    assert not problems, problems

    # -- a student link is refused at the dashboard URL --------------------------------------------
    student_token = student_url.rsplit("/", 1)[1]
    for path in ("/", "/roster", "/export.csv", "/summary"):
        response = bo_page.goto(f"{server}/classes/{student_token}{path}")
        assert response.status == 404, path
        assert "Not Found" in bo_page.content() and "Spring workshop" not in bo_page.content()
    bo_page.screenshot(path=str(artifacts_dir / "class-refused.png"))

    for _, ctx, _ in students:
        ctx.close()
    fac_ctx.close()

"""The class report for 30 students in chromium: on the web page the roster is at the top
(at most 3,000 px before the first student card), sorts and filters in place, opens a card
from its row, and the handouts come as a zip; saved, the report is a plain table with no
script; at 390 px nothing is wider than the phone and a tooltip stays on screen.
Screenshots in ``test-artifacts/``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import app_config, class_of, need_browser, served, write_jsonl

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_url(tmp_path_factory):
    need_browser()
    tmp = tmp_path_factory.mktemp("classreport")
    with served(app_config(tmp), threads=2) as url:
        yield url


def roster_column(page, index: int) -> list[str]:
    return page.locator("#roster-table tbody tr").evaluate_all(
        f"rows => rows.filter(r => !r.hidden).map(r => r.cells[{index}] ? "
        f"(r.cells[{index}].dataset.sort ?? r.cells[{index}].innerText) : '')"
    )


def test_thirty_students_roster_sort_filter_and_handouts(
    browser, live_url, tmp_path, artifacts_dir
):
    drafts = write_jsonl(tmp_path / "class.jsonl", class_of())
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60000)
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(live_url + "/batch/")
    page.set_input_files("#files", str(drafts))
    page.fill("#title", "Spring cohort")
    page.click("button[type=submit]")
    page.wait_for_selector("#roster-table")
    rows = page.locator("#roster-table tbody tr")
    assert rows.count() == 30
    # the roster is at the top and the first student card starts within 3,000 px of the page
    top = page.evaluate("""() => { const y = e => e.getBoundingClientRect().top + window.scrollY;
        return {roster: y(document.getElementById('roster')), card: y(document.querySelector('details.card')),
                summary: y(document.getElementById('summary'))}; }""")
    assert top["roster"] < top["card"] < top["summary"] and top["card"] <= 3000, top
    assert page.locator("details.card[open]").count() == 0  # the cards are folded
    page.screenshot(path=str(artifacts_dir / "class-report-roster.png"))
    # sort by errors, most first, in place (no reload)
    errors_head = page.get_by_role("button", name="Sort by errors")
    errors_head.click()
    values = [float(v) for v in roster_column(page, 2)]
    assert values == sorted(values)
    errors_head.click()
    values = [float(v) for v in roster_column(page, 2)]
    assert values == sorted(values, reverse=True)
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Errors")
    # filter by verdict and by name
    page.select_option("#roster-show", "dont_send")
    shown = page.locator("#roster-table tbody tr:not([hidden])")
    assert all(v == "dont_send" for v in shown.evaluate_all("rs => rs.map(r => r.dataset.verdict)"))
    page.select_option("#roster-show", "")
    page.fill("#roster-find", "student 07")
    assert shown.count() == 1
    assert page.locator("#roster-count").inner_text() == "Showing 1 of 30."
    page.screenshot(path=str(artifacts_dir / "class-report-sorted.png"))
    # a name opens that student's card
    shown.first.locator("a").click()
    card = page.locator("details.card[open]")
    card.wait_for()
    assert card.locator("h3").inner_text() == "Student 07" and card.locator(".hl-text").is_visible()
    # the handouts: one page a student, zipped
    with page.expect_download() as dl:
        page.click("#download-handouts")
    assert dl.value.suggested_filename == "spring-cohort-handouts.zip"
    with zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes())) as zf:
        names = zf.namelist()
        assert len(names) == 30 and "student-07.html" in names
        # a handout with a highlight in its draft, for the tooltip below
        marked = next(n for n in sorted(names) if b'<mark id="' in zf.read(n))
        (tmp_path / "handout.html").write_bytes(zf.read(marked))
    # the saved report: the same roster, a plain table, no script
    with page.expect_download() as dl:
        page.click("#download-html")
    saved = tmp_path / "saved.html"
    saved.write_bytes(Path(dl.value.path()).read_bytes())
    assert problems == []
    context.close()

    for size in ((1280, 800), (390, 844)):
        pg = browser.new_page(viewport={"width": size[0], "height": size[1]})
        pg.goto(saved.as_uri())
        assert pg.locator("script").count() == 0
        assert pg.locator("#roster-table tbody tr").count() == 30
        assert not pg.locator("#roster .roster-tools").is_visible()  # no tools without script
        first_card = pg.evaluate(
            "document.querySelector('details.card').getBoundingClientRect().top + scrollY"
        )
        assert first_card <= 3000 or size[0] < 1000, first_card
        wide = pg.evaluate("""() => { const w = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')].filter(e => {
              for (let p = e.parentElement; p; p = p.parentElement)
                if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return false;
              const r = e.getBoundingClientRect(); return r.width && r.right > w + 1; })
              .map(e => e.tagName + '.' + e.className).slice(0, 5); }""")
        assert wide == [] and pg.evaluate("document.documentElement.scrollWidth") <= size[0], wide
        pg.screenshot(path=str(artifacts_dir / f"class-report-saved-{size[0]}.png"))
        pg.close()

    # a handout at 390 px: nothing overflows, and a highlight's tooltip stays on the screen
    pg = browser.new_page(viewport={"width": 390, "height": 844})
    pg.goto((tmp_path / "handout.html").as_uri())
    marks = pg.locator("mark.hl")
    for i in (0, marks.count() - 1):
        marks.nth(i).focus()
        tip = pg.locator("#" + marks.nth(i).get_attribute("aria-describedby"))
        assert tip.is_visible()
        box = tip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.screenshot(path=str(artifacts_dir / "class-handout-390.png"), full_page=True)
    pg.close()

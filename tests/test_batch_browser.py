"""The HTML class report in a real browser (headless chromium): it renders, needs nothing
from the network, the roster comes first, the charts have size, and it prints with every
card open."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main

FIX = Path(__file__).parent / "fixtures" / "batch"

pytestmark = pytest.mark.browser


def test_html_report_in_chromium(browser, tmp_path, artifacts_dir, capsys):
    report = tmp_path / "class.html"
    main(
        [
            "batch",
            str(FIX / "class"),
            str(FIX / "drafts.csv"),
            str(FIX / "drafts.jsonl"),
            "--out",
            str(report),
            "--quiet",
            "--title",
            "Spring workshop",
        ]
    )
    capsys.readouterr()
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    # nothing but the file itself was fetched, and nothing complained
    assert [u for u in requests if not u.startswith("file://")] == []
    assert errors == []
    assert page.title().startswith("Spring workshop")
    # the roster comes first, then unreadable inputs, the cards, the class summary
    tops = page.evaluate("""() => ['roster', 'unreadable', 'students', 'summary'].map(
        id => document.getElementById(id).getBoundingClientRect().top)""")
    assert tops == sorted(tops)
    cards = page.locator("details.card")
    assert cards.count() >= 8
    # charts are drawn with real size
    boxes = page.locator("svg.chart").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert len(boxes) >= 3 and min(boxes) > 100
    # a link from the roster or the summary opens its card (no script: the browser unfolds
    # a closed <details> to show a target inside it); the card shows the draft text
    first = cards.first
    page.locator("#roster-table a").first.click()
    assert first.get_attribute("open") is not None
    assert "Dear Ms. Alvarez" in first.locator(".hl-text").inner_text()
    links = page.locator("ol.attention a")
    if links.count():
        target = links.first.get_attribute("href")
        assert page.locator(target).count() == 1
    # keyboard focus on a highlight shows its tooltip (no JavaScript in the report)
    marks = first.locator("mark.hl")
    if marks.count():
        marks.first.focus()
        tip_id = marks.first.get_attribute("aria-describedby")
        assert page.locator(f"#{tip_id}").is_visible()
    page.screenshot(path=str(artifacts_dir / "batch-report.png"), full_page=True)
    # print: tooltips hidden, the students start on a new page, folded cards print whole;
    # a PDF comes out
    page.emulate_media(media="print")
    assert (
        page.evaluate("getComputedStyle(document.getElementById('students')).breakBefore") == "page"
    )
    closed = page.locator("details.card:not([open]) .card-body").first
    assert closed.is_visible()
    page.screenshot(path=str(artifacts_dir / "batch-report-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    (artifacts_dir / "batch-report.pdf").write_bytes(pdf)
    page.close()

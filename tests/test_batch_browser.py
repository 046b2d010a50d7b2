"""The HTML class report in a real browser (headless chromium): it renders, needs nothing
from the network, the summary comes first, the charts have size, and it prints."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.cli import main

FIX = Path(__file__).parent / "fixtures" / "batch"

pytestmark = pytest.mark.browser




def test_html_report_in_chromium(browser, tmp_path, artifacts_dir, capsys):
    report = tmp_path / "class.html"
    main(["batch", str(FIX / "class"), str(FIX / "drafts.csv"), str(FIX / "drafts.jsonl"),
          "--out", str(report), "--quiet", "--title", "Spring workshop"])
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
    # the summary comes first, then unreadable inputs, then the cards
    tops = page.evaluate("""() => ['summary', 'unreadable', 'students'].map(
        id => document.getElementById(id).getBoundingClientRect().top)""")
    assert tops == sorted(tops)
    cards = page.locator("article.card")
    assert cards.count() >= 8
    # charts are drawn with real size
    boxes = page.locator("svg.chart").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert len(boxes) >= 3 and min(boxes) > 100
    # the first card shows the draft text, and links from the summary reach cards
    first = cards.first
    assert "Dear Ms. Alvarez" in first.locator(".hl-text").inner_text()
    links = page.locator("ol.attention a")
    if links.count():
        target = links.first.get_attribute("href")
        assert page.locator(target).count() == 1
    # keyboard focus on a highlight shows its tooltip (no JavaScript in the report)
    marks = page.locator("mark.hl")
    if marks.count():
        marks.first.focus()
        tip_id = marks.first.get_attribute("aria-describedby")
        assert page.locator(f"#{tip_id}").is_visible()
    page.screenshot(path=str(artifacts_dir / "batch-report.png"), full_page=True)
    # print: tooltips hidden, the students start on a new page; a PDF comes out
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.getElementById('students')).breakBefore") == "page"
    page.screenshot(path=str(artifacts_dir / "batch-report-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    (artifacts_dir / "batch-report.pdf").write_bytes(pdf)
    page.close()

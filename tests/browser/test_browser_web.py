"""Real-browser tests: headless Debian chromium driven by Playwright against waitress.

Paste a draft, check it, see a highlight with its message (hover and keyboard focus), re-check
as you type, the no-JavaScript flow, add a log entry, import a CSV, a keyboard-only pass, and
no CSP violations.  Screenshots go to ``test-artifacts/``.  Skipped when /usr/bin/chromium is
absent, unless FOLLOWUP_REQUIRE_SHARED=1 or CI is set (then that is a failure).
"""
import os
import re
import threading
from pathlib import Path

import pytest

from conftest import need_browser

ROOT = Path(__file__).resolve().parents[2]
NEEDY = (ROOT / "data" / "examples" / "needy-follow-up.txt").read_text(encoding="utf-8")
CSV = ("date,company,channel,direction,kind,note\n"
       "2026-11-16,Initech,in_person,received,interview,panel of three\n"
       "2026-11-17,Initech,email,sent,thank_you,\n"
       "2026-11-18,Hooli,call,received,interview,phone screen\n")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    need_browser()
    from waitress.server import create_server

    from web import create_app

    tmp = tmp_path_factory.mktemp("web")
    app = create_app({"SECRET_KEY": "browser-tests", "DB": str(tmp / "contacts.db"),
                      "DATA_DIR": str(tmp), "PRELOAD": True})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()




@pytest.fixture
def page(browser, request, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20000)
    problems = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.problems = problems
    yield pg
    pg.screenshot(path=str(artifacts_dir / f"web-{request.node.name}-end.png"), full_page=True)
    context.close()


def accessible_description(page, selector):
    """The accessible description Chromium computes for the first element matching selector."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    cdp.detach()
    return (ax["nodes"][0].get("description") or {}).get("value", "")


def shot(page, artifacts_dir, name):
    page.screenshot(path=str(artifacts_dir / f"web-{name}.png"), full_page=True)


def test_paste_check_and_see_a_highlight_with_its_message(page, base_url, artifacts_dir):
    page.goto(base_url + "/")
    page.get_by_label("Your draft", exact=True).fill(NEEDY)
    page.get_by_label("Kind of message").select_option("follow_up")
    page.get_by_role("button", name="Check draft").click()
    page.wait_for_url(re.compile(r"/check$"))
    mark = page.locator("#highlighted mark.hl").first
    mark.wait_for()
    assert page.locator("#highlighted mark.hl").count() >= 1
    tip = page.locator("#" + mark.get_attribute("aria-describedby"))
    assert not tip.is_visible()
    mark.hover()
    tip.wait_for(state="visible")
    assert len(tip.inner_text()) > 10
    assert "Suggestion" in tip.inner_text() or tip.locator(".hl-tip-rule").count() == 1
    assert page.locator(".checklist li").count() == 4
    assert page.get_by_text("Reading grade").is_visible()
    shot(page, artifacts_dir, "check-hover")
    # the draft (not a copy of it in storage) is back in the textarea
    assert page.get_by_label("Your draft", exact=True).input_value().startswith("Hi,")
    assert not page.problems, page.problems


def tab_until(page, target: str, limit: int) -> list[str]:
    """Press Tab until the focused element (its id, else its text, else its tag) is
    ``target``, at most ``limit`` times; the elements passed, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || "
                                  "document.activeElement.textContent.trim() || "
                                  "document.activeElement.tagName"))
        if seen[-1] == target:
            break
    return seen


def test_keyboard_only_pass(page, base_url, artifacts_dir):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # skip to main content
    seen = tab_until(page, "text", 12)
    assert seen[-1] == "text", seen
    page.keyboard.type("Dear Ms Lee,\n\nThank you for the interview. Please please tell me "
                       "if I got the job!!! I really need this job.\n\nSam")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "kind"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "company"
    for _ in range(3):  # past the help link to the contact log, when there is one
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Check draft":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Check draft"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/check$"))
    page.locator("#highlighted mark.hl").first.wait_for()
    # tab on to the first highlight: its tooltip shows on focus, Escape hides it
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.hl')"):
            break
    assert page.evaluate("document.activeElement.matches('mark.hl')")
    tip_id = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    tip = page.locator("#" + tip_id)
    assert tip.is_visible()
    assert len(tip.inner_text()) > 10
    shot(page, artifacts_dir, "keyboard-focus-tooltip")
    # screen readers get the same message and suggestion as the description of the mark
    mark_id = page.evaluate("document.activeElement.id")
    description = accessible_description(page, f"#{mark_id}")
    assert description.split()[0].lower() in ("error", "warning", "suggestion")
    message = tip.locator(".hl-tip-item").first.inner_text().split("\n")[0]
    assert message.split(None, 1)[1] in description, (message, description)
    assert "Suggestion:" in description
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    # focus is always visible: the focused mark has an outline
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert not page.problems, page.problems


def test_recheck_as_you_type(page, base_url, artifacts_dir):
    page.goto(base_url + "/")
    page.locator("#live").wait_for(state="visible")  # JS revealed the option
    assert page.locator("#result .verdict").count() == 0
    page.get_by_label("Your draft", exact=True).type("Hi, any update?? I really need this job!!!", delay=5)
    page.locator("#result .verdict").wait_for()
    assert page.url.rstrip("/") == base_url  # no page load
    assert "Checked" in page.locator("#check-status").inner_text()
    shot(page, artifacts_dir, "live-recheck")
    assert not page.problems, page.problems


def test_works_without_javascript(browser, base_url, artifacts_dir):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(base_url + "/")
    assert not pg.locator("#live").is_visible()
    pg.get_by_label("Your draft", exact=True).fill(NEEDY)
    pg.get_by_role("button", name="Check draft").click()
    pg.locator("#result .verdict").wait_for()
    assert pg.locator("#highlighted mark.hl").count() >= 1
    pg.locator("#highlighted mark.hl").first.focus()
    tip = pg.locator("#" + pg.locator("#highlighted mark.hl").first.get_attribute("aria-describedby"))
    assert tip.is_visible()  # CSS only
    pg.screenshot(path=str(artifacts_dir / "web-no-js.png"), full_page=True)
    context.close()


def test_xss_in_draft_does_not_run(page, base_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "/")
    page.get_by_label("Your draft", exact=True).fill(
        'Dear Ms Lee, thank you <script>alert(1)</script> "><img src=x onerror=alert(2)> '
        "for the interview. I enjoyed it and will call next week.\n\nBest,\nSam")
    page.get_by_role("button", name="Check draft").click()
    page.locator("#result .verdict").wait_for()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("#highlighted img, #highlighted script").count() == 0


def test_add_a_log_entry_and_import_a_csv(page, base_url, artifacts_dir, tmp_path):
    page.goto(base_url + "/log/")
    page.get_by_label("Company").fill("Globex")
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_label("What").select_option("interview")
    page.get_by_label("How").select_option("in_person")
    page.get_by_label("Direction").select_option("received")
    page.get_by_label("Note (optional)").fill('<img src=x onerror=alert(1)> met the team')
    page.get_by_role("button", name="Add to log").click()
    page.get_by_text("Logged: interview (in_person, received) with Globex").wait_for()
    assert page.locator("table.log tbody tr").count() == 1
    assert page.locator("table.log img").count() == 0
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import CSV").click()
    page.get_by_text("Imported 3 events").wait_for()
    assert page.locator("table.log tbody tr").count() == 4
    assert page.locator(".card h3").all_inner_texts() == ["Globex", "Hooli", "Initech"]
    shot(page, artifacts_dir, "log")
    # the logged employers are offered on the check page
    page.get_by_role("link", name="Check a draft to Hooli").click()
    assert page.get_by_label("Employer (from your contact log)").input_value() == "Hooli"
    page.get_by_label("Your draft", exact=True).fill(
        "Dear Mr Park,\n\nThank you for the phone screen on Wednesday. I enjoyed hearing how "
        "your team ships features, and I would be glad to send code samples if useful. I will "
        "call you next Thursday.\n\nBest regards,\nSam")
    page.get_by_role("button", name="Check draft").click()
    page.get_by_role("heading", name="Timing for Hooli").wait_for()
    shot(page, artifacts_dir, "check-with-timing")
    page.get_by_role("button", name="I sent it today: add to my log").click()
    page.get_by_text("with Hooli on").wait_for()
    assert page.locator("table.log tbody tr").count() == 5
    assert not page.problems, page.problems


def test_bad_csv_shows_the_reason(page, base_url, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,company\n2026-01-01,X\n", encoding="utf-8")
    page.goto(base_url + "/log/")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import CSV").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "missing columns" in alert.inner_text()


def test_keyboard_only_log_entry(page, base_url, artifacts_dir):
    page.goto(base_url + "/log/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link
    assert tab_until(page, "log-company", 30)[-1] == "log-company"
    page.keyboard.type("Umbrella Corp")
    order = tab_until(page, "Add to log", 15)
    assert order[-1] == "Add to log", order
    # every field of the form is reachable, in reading order (a date input has a tab stop
    # per part: month, day, year)
    fields = [x for i, x in enumerate(order) if x.startswith("log-") and (i == 0 or order[i - 1] != x)]
    assert fields == ["log-date", "log-kind", "log-channel",
                                                          "log-direction", "log-note"]
    page.keyboard.press("Enter")
    page.get_by_text("with Umbrella Corp on").wait_for()
    shot(page, artifacts_dir, "keyboard-log-entry")
    assert not page.problems, page.problems

"""Real-browser tests: headless Debian chromium driven by Playwright against waitress.

The check page as the editor (highlights behind the textarea, "show in draft" selects the
words, "apply", the three verdicts, focus on the verdict and the first finding three Tabs
on), re-check as you type, the no-JavaScript flow, the contact log (add, import, edit, delete,
"I sent it today" keeps the draft), nothing wider than a 390 px phone or a 1280 px window,
and no CSP violations.  Screenshots go to ``test-artifacts/``.  Skipped when /usr/bin/chromium
is absent, unless FOLLOWUP_REQUIRE_SHARED=1 or CI is set (then that is a failure).
"""

import re
from pathlib import Path

import pytest
from conftest import app_config, need_browser, served

ROOT = Path(__file__).resolve().parents[2]
NEEDY = (ROOT / "data" / "examples" / "needy-follow-up.txt").read_text(encoding="utf-8")
GOOD = (ROOT / "data" / "examples" / "good-thank-you.txt").read_text(encoding="utf-8")
TEMPLATE = (ROOT / "data" / "examples" / "template-left-in.txt").read_text(encoding="utf-8")
# The good note without its call heads-up: one warning, nothing worse.
# The good note to the test log's Acme Dental, whose contact is Ms Lee (proofread compares the
# greeting's name with the logged contact: to "Ms. Okafor" it would be an error).
GOOD_TO_ACME = GOOD.replace("Dear Ms. Okafor,", "Dear Ms. Lee,")
WARNING_ONLY = GOOD.replace(
    "I will give you a call early next week to see whether you need anything else from me.\n\n", ""
)
CSV = (
    "date,company,channel,direction,kind,note\n"
    "2026-11-16,Initech,in_person,received,interview,panel of three\n"
    "2026-11-17,Initech,email,sent,thank_you,\n"
    "2026-11-18,Hooli,call,received,interview,phone screen\n"
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    need_browser()
    from checker.contacts import db

    tmp = tmp_path_factory.mktemp("web")
    config = app_config(tmp, PRELOAD=True)
    conn = db.connect(config["DB"])  # an employer with a contact person to fill in
    db.add_employer(conn, "Acme Dental", person="Ms Lee")
    db.add_event(
        conn,
        "Acme Dental",
        __import__("datetime").date.today(),
        "in_person",
        "received",
        "interview",
    )
    conn.close()
    with served(config) as url:
        yield url


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


def layer_marks(page):
    return page.locator("#hl-layer mark.hl")


def check(page, text, kind=None):
    """Type a draft into the editor and press Check draft (the result comes without a page
    load); returns the verdict heading."""
    page.get_by_label("Your draft", exact=True).fill(text)
    if kind:
        page.get_by_label("Kind of message").select_option(kind)
    before = page.locator("#verdict").count() and page.locator("#verdict").inner_text()
    page.get_by_role("button", name="Check draft").click()
    page.wait_for_function(
        """(before) => { const v = document.querySelector('#verdict');
        return v && document.activeElement === v && (!before || v.innerText !== before ||
        !document.querySelector('#editor.stale')); }""",
        arg=before or "",
    )
    return page.locator("#verdict")


def test_editor_highlights_where_it_is_written(page, base_url, artifacts_dir):
    page.goto(base_url + "/")
    verdict = check(page, NEEDY, "follow_up")
    assert "Don't send this" in verdict.inner_text()
    # one draft: the highlights are behind the textarea's own words, no read-only copy
    assert page.locator("#highlighted").count() == 0
    assert layer_marks(page).count() >= 5
    box = page.locator("#text").bounding_box()
    for i in range(layer_marks(page).count()):
        m = layer_marks(page).nth(i).bounding_box()
        assert box["x"] <= m["x"] and m["x"] + m["width"] <= box["x"] + box["width"] + 1
        assert box["y"] <= m["y"] and m["y"] + m["height"] <= box["y"] + box["height"] + 1
    assert page.evaluate("""() => document.getElementById('hl-layer').textContent
        .replace(/ $/, '') === document.getElementById('text').value""")
    # the words of a mark are the words of the textarea at the same offsets
    same = page.evaluate("""() => { const t = document.getElementById('text').value;
        return [...document.querySelectorAll('#hl-layer mark')].every(m => {
          const s = t.indexOf(m.textContent); return s >= 0; }); }""")
    assert same
    # "show in draft" selects the words in the editor; what they are is said under it
    first = page.locator("li.finding a.show", has_text="show in draft").first
    li = first.locator("xpath=ancestor::li[1]")
    start, end = int(li.get_attribute("data-start16")), int(li.get_attribute("data-end16"))
    first.click()
    assert page.evaluate("document.activeElement.id") == "text"
    assert page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    ) == [start, end]
    page.locator("#at-cursor").wait_for(state="visible")
    assert li.locator(".label").inner_text() in page.locator("#at-cursor").inner_text()
    shot(page, artifacts_dir, "editor-show-in-draft")
    assert page.evaluate("document.activeElement.value") == NEEDY  # the draft is untouched
    assert not page.problems, page.problems


def test_three_verdicts(page, base_url, artifacts_dir):
    page.goto(base_url + "/")
    for text, title, css in (
        (GOOD, "Ready to send", "verdict-ready"),
        (WARNING_ONLY, "Revise before sending", "verdict-revise"),
        (NEEDY, "Don't send this", "verdict-dont_send"),
    ):
        verdict = check(page, text)
        page.wait_for_function(
            "t => document.querySelector('#verdict').innerText.includes(t)", arg=title
        )
        assert css in verdict.get_attribute("class")
        shot(page, artifacts_dir, f"verdict-{css}")
    assert "Why:" in page.locator(".verdict-box").inner_text()
    assert not page.problems, page.problems


def test_apply_fixes_in_place(page, base_url, artifacts_dir):
    page.goto(base_url + "/?company=Acme+Dental")
    check(page, TEMPLATE, "thank_you")
    apply = page.locator("button.apply", has_text="Thanks")
    apply.first.wait_for()
    # "apply" goes through the core: the API applies the finding's fix by id, with the hash
    with page.expect_request(
        lambda r: r.url.endswith("/api/v1/check") and r.method == "POST"
    ) as sent:
        apply.first.click()
    body = sent.value.post_data_json
    assert body["apply"] == [apply.first.get_attribute("value")] and len(body["hash"]) == 64
    page.wait_for_function(
        "() => document.getElementById('text').value.includes('Thanks for the interview')"
    )
    page.wait_for_function(
        "() => !document.querySelector('#editor.stale') && "
        "document.getElementById('check-status').textContent.includes('Applied')"
    )
    # the placeholder is filled from the log's contact person
    page.locator("button.apply", has_text="Ms Lee").click()
    page.wait_for_function("() => document.getElementById('text').value.startsWith('Hi Ms Lee,')")
    page.wait_for_function("() => !document.querySelector('#editor.stale')")
    value = page.locator("#text").input_value()
    assert "thx" not in value and "[Hiring Manager]" not in value
    rules = page.locator("li.finding").evaluate_all("els => els.map(e => e.dataset.fid)")
    assert not any(r.startswith("hygiene.text_speak:22") for r in rules)
    shot(page, artifacts_dir, "editor-applied")
    assert not page.problems, page.problems


TYPOS = (
    "Dear Ms Lee,\n\nThank you for the the interview today. I enjoyed meeting the team, "
    "and I will recieve the brief tomorow. I will call you next week.\n\nBest regards,\nSam"
)


def test_apply_a_proofread_fix_in_the_editor(page, base_url, artifacts_dir):
    """A misspelt word gets the core's fix; "apply" makes it in the editor (through the API),
    the draft is checked again, and "apply all" takes the rest."""
    page.goto(base_url + "/")
    check(page, TYPOS, "thank_you")
    spelling = page.locator("li.finding[data-fid^='proofread.spelling:']", has_text="recieve")
    spelling.locator("button.apply", has_text="receive").click()
    page.wait_for_function(
        "() => document.getElementById('text').value.includes('will receive the brief')"
    )
    page.wait_for_function(
        "() => !document.querySelector('#editor.stale') && "
        "document.getElementById('check-status').textContent.includes('Applied 1 fix')"
    )
    value = page.locator("#text").input_value()
    assert value == TYPOS.replace("recieve", "receive")  # only that word changed
    assert page.locator("li.finding", has_text="recieve").count() == 0
    # the highlights follow the new text
    assert page.evaluate("""() => document.getElementById('hl-layer').textContent
        .replace(/ $/, '') === document.getElementById('text').value""")
    shot(page, artifacts_dir, "editor-proofread-applied")
    page.locator("button.apply-all").click()
    page.wait_for_function("() => !document.getElementById('text').value.includes('tomorow')")
    page.wait_for_function(
        "() => !document.querySelector('#editor.stale') && "
        "document.getElementById('check-status').textContent.includes('Applied')"
    )
    assert page.locator("#text").input_value() == (
        TYPOS.replace("recieve", "receive").replace("tomorow", "tomorrow").replace("the the", "the")
    )
    assert page.locator("li.finding[data-fid^='proofread.']").count() == 0
    assert page.locator("button.apply").count() == 0
    # a draft edited after its check is checked again, not patched with the old offsets
    check(page, TYPOS, "thank_you")
    page.locator("#live").uncheck()
    page.locator("#text").press("Control+Home")
    page.keyboard.type("Hello. ")
    page.locator("li.finding button.apply", has_text="receive").click()
    page.wait_for_function("() => !document.querySelector('#result.stale')")
    assert page.locator("#text").input_value() == "Hello. " + TYPOS
    assert not page.problems, page.problems


def tab_until(page, target: str, limit: int) -> list[str]:
    """Press Tab until the focused element (its id, else its text, else its tag) is
    ``target``, at most ``limit`` times; the elements passed, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "document.activeElement.id || "
                "document.activeElement.textContent.trim() || "
                "document.activeElement.tagName"
            )
        )
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
    page.keyboard.type(
        "Dear Ms Lee,\n\nThank you for the interview. Please please tell me "
        "if I got the job!!! I really need this job.\n\nSam"
    )
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
    # after the check, focus is on the verdict; the first finding is at most 3 Tabs on
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'verdict'"
    )
    assert "Don't send this" in page.evaluate("document.activeElement.innerText")
    for tabs in range(1, 4):  # noqa: B007  (read after the loop)
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('ol.finding-list > li:first-child')"):
            break
    assert page.evaluate("!!document.activeElement.closest('ol.finding-list > li:first-child')"), (
        tabs
    )
    shot(page, artifacts_dir, "keyboard-first-finding")
    # Enter on it selects the finding's words in the editor
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "text"
    # focus is always visible
    assert (
        page.evaluate("getComputedStyle(document.getElementById('editor')).outlineStyle") != "none"
    )
    assert not page.problems, page.problems


def test_recheck_as_you_type(page, base_url, artifacts_dir):
    page.goto(base_url + "/")
    page.locator("#live").wait_for(state="visible")  # JS revealed the option
    assert page.locator("#result .verdict").count() == 0
    page.get_by_label("Your draft", exact=True).type(
        "Hi, any update?? I really need this job!!!", delay=5
    )
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
    pg.get_by_label("Your draft", exact=True).fill(TEMPLATE)
    pg.get_by_role("button", name="Check draft").click()
    pg.locator("#result .verdict").wait_for()
    assert pg.locator("#hl-layer mark.hl").count() >= 1  # drawn by the server
    # autofocus (applied by the browser after the page is shown: wait for it, under load too)
    pg.wait_for_function("() => document.activeElement && document.activeElement.id === 'verdict'")
    # "apply" is a form post: the page comes back with the text fixed and checked again
    pg.locator("button.apply", has_text="Thanks").first.click()
    pg.locator("#notice").wait_for()
    assert "Thanks for the interview" in pg.locator("#text").input_value()
    assert "\u201cthx\u201d" in pg.locator("#notice").inner_text()
    # "apply all": one post, every fix the core has for this draft
    pg.locator("button.apply-all").click()
    pg.locator("#notice").wait_for()
    assert "Applied" in pg.locator("#notice").inner_text()
    value = pg.locator("#text").input_value()
    assert "lmk" not in value and " u " not in value  # no employer picked: {{company}} stays
    pg.screenshot(path=str(artifacts_dir / "web-no-js.png"), full_page=True)
    context.close()


def test_xss_in_draft_does_not_run(page, base_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "/")
    page.get_by_label("Your draft", exact=True).fill(
        'Dear Ms Lee, thank you <script>alert(1)</script> "><img src=x onerror=alert(2)> '
        "for the interview. I enjoyed it and will call next week.\n\nBest,\nSam"
    )
    page.get_by_role("button", name="Check draft").click()
    page.locator("#result .verdict").wait_for()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("#hl-layer img, #hl-layer script, #result img, #result script").count() == 0


def test_add_a_log_entry_and_import_a_csv(page, base_url, artifacts_dir, tmp_path):
    page.goto(base_url + "/log/")
    rows = page.locator("table.log tbody tr").count()
    page.get_by_label("Company").fill("Globex")
    page.get_by_label("Date", exact=True).fill("2026-11-20")
    page.get_by_label("What").select_option("interview")
    page.get_by_label("How").select_option("in_person")
    page.get_by_label("Direction").select_option("received")
    page.get_by_label("Note (optional)").fill('<img src=x onerror=alert(1)> met the team')
    page.get_by_role("button", name="Add to log").click()
    page.get_by_text("Logged: received interview (in person) with Globex").wait_for()
    assert page.locator("table.log tbody tr").count() == rows + 1
    assert page.locator("table.log img").count() == 0
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import CSV").click()
    page.get_by_text("Imported 3 events").wait_for()
    assert page.locator("table.log tbody tr").count() == rows + 4
    assert {"Globex", "Hooli", "Initech"} <= set(page.locator(".card h3").all_inner_texts())
    # the employer's decision date
    card = page.locator("article.card", has=page.get_by_role("heading", name="Initech"))
    card.locator("summary").click()
    card.get_by_label("They said they would decide by").fill("2026-12-10")
    card.get_by_role("button", name="Save Initech").click()
    page.get_by_text("Saved Initech: they decide by 10 Dec").wait_for()
    shot(page, artifacts_dir, "log")
    # edit an entry, then delete one (it asks first)
    page.get_by_role("link", name=re.compile(r"^Edit the interview of .* with Globex")).click()
    page.get_by_label("Note (optional)").fill("met the whole team")
    page.get_by_label("Yes, I said I would call").check()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved: received interview (in person) with Globex").wait_for()
    assert page.get_by_text("met the whole team").count() == 1
    page.get_by_role("link", name=re.compile(r"^Delete the interview of .* with Hooli")).click()
    page.get_by_role("button", name="Delete it").click()
    page.get_by_text("Deleted: received interview (call) with Hooli").wait_for()
    assert page.locator("table.log tbody tr").count() == rows + 3
    assert not page.problems, page.problems


def test_draft_is_kept_after_logging_it_as_sent(page, base_url, artifacts_dir):
    page.goto(base_url + "/?company=Acme+Dental")
    check(page, GOOD_TO_ACME, "thank_you")
    page.get_by_role("heading", name="Timing for Acme Dental").wait_for()
    assert "Ready to send" in page.locator("#verdict").inner_text()
    page.get_by_role("button", name="I sent it today: add to my log").click()
    page.locator("#notice").wait_for()
    assert (
        "Logged: sent thank-you note (email) to Acme Dental" in page.locator("#notice").inner_text()
    )
    assert page.locator("#text").input_value() == GOOD_TO_ACME  # the draft is still there
    shot(page, artifacts_dir, "logged-draft-kept")
    page.goto(base_url + "/log/")
    assert page.get_by_text("logged from the check page").count() >= 1
    # checked again now, the same note would be a second one: don't send, no logging offered
    page.goto(base_url + "/?company=Acme+Dental")
    verdict = check(page, GOOD_TO_ACME, "thank_you")
    assert "Don't send this" in verdict.inner_text()
    assert page.get_by_role("button", name="I sent it today: add to my log").count() == 0
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
    fields = [
        x for i, x in enumerate(order) if x.startswith("log-") and (i == 0 or order[i - 1] != x)
    ]
    assert fields == [
        "log-date",
        "log-kind",
        "log-channel",
        "log-direction",
        "log-announced",
        "log-announced-date",
        "log-note",
    ]
    page.keyboard.press("Enter")
    page.get_by_text("with Umbrella Corp on").wait_for()
    shot(page, artifacts_dir, "keyboard-log-entry")
    assert not page.problems, page.problems


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (!r.width || getComputedStyle(e).visibility === 'hidden') { return false; }
    // inside a box that scrolls sideways (a wide chart), an element may be wider
    for (let p = e.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) { return false; }
    }
    return r.width > width + 1 || r.right > width + 1;
  });
  return {width, scroll: document.documentElement.scrollWidth,
          wide: wide.slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))};
}"""


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_nothing_is_wider_than_the_window(browser, base_url, artifacts_dir, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = context.new_page()
    pg.set_default_timeout(20000)
    pg.goto(base_url + "/?company=Acme+Dental")
    check(pg, NEEDY, "follow_up")
    pg.get_by_role("heading", name="Timing for Acme Dental").wait_for()
    pages = {"check": None, "log": "/log/", "batch": "/batch/"}
    for name, path in pages.items():
        if path:
            pg.goto(base_url + path)
        if name == "batch":  # a class report on the page: roster, charts, cards
            pg.set_input_files("#files", str(ROOT / "tests" / "fixtures" / "batch" / "drafts.csv"))
            pg.get_by_role("button", name="Review drafts").click()
            pg.locator("#roster-table").wait_for()
        found = pg.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"] and not found["wide"], (name, found)
        pg.screenshot(path=str(artifacts_dir / f"web-{name}-{size[0]}.png"), full_page=True)
    # the keyboard walk holds on a phone too
    pg.goto(base_url + "/")
    check(pg, NEEDY)
    pg.keyboard.press("Tab")
    assert pg.evaluate("!!document.activeElement.closest('ol.finding-list > li:first-child')")
    context.close()

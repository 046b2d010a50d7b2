"""The contact-log page through the Flask test client: list, add, import, export, escaping."""

import csv
import io
import json
import re

import pytest
from conftest import make_app

XSS_COMPANY = 'Acme"><img src=x onerror=alert(1)>'
XSS_NOTE = "<script>alert('note')</script>"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "log" / "contacts.db"


@pytest.fixture
def app(tmp_path, db_path):
    return make_app(tmp_path, DB=str(db_path))


def token(client):
    html = client.get("/log/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def add(client, **fields):
    data = {
        "csrf_token": token(client),
        "company": "Globex",
        "date": "2026-11-20",
        "channel": "email",
        "direction": "sent",
        "kind": "thank_you",
        "note": "",
    }
    data.update(fields)
    return client.post("/log/add", data=data)


def add_interview(client, company: str, date: str):
    """Log an in-person interview with ``company`` on ``date`` through the add form."""
    return add(
        client,
        company=company,
        kind="interview",
        channel="in_person",
        direction="received",
        date=date,
    )


def upload(client, content, name="contacts.csv", tok=None):
    body = content if isinstance(content, bytes) else content.encode("utf-8")
    return client.post(
        "/log/import",
        data={"csrf_token": tok or token(client), "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )


CSV = (
    "date,company,channel,direction,kind,note\n"
    "2026-11-16,Initech,in_person,received,interview,panel of three\n"
    "2026-11-17,Initech,email,sent,thank_you,\n"
    "2026-11-18,Hooli,call,received,interview,phone screen\n"
)


def test_empty_log_page_does_not_create_the_db(client, db_path):
    r = client.get("/log/")
    assert r.status_code == 200
    assert "No employers yet" in r.get_data(as_text=True)
    assert not db_path.exists()


def test_log_form_fields_are_labelled(client):
    from test_web import assert_labelled

    assert_labelled(client.get("/log/").get_data(as_text=True))


def test_add_then_listed_with_flash(client, db_path):
    r = add(client, note="sent by email")
    assert r.status_code == 303 and r.headers["Location"].endswith("/log/")
    assert db_path.exists()
    html = client.get("/log/").get_data(as_text=True)
    from checker.contacts.dates import human

    assert f"Logged: sent thank-you note (email) with Globex on {human('2026-11-20')}." in html
    assert "sent by email" in html and "<h3" in html and "Globex" in html
    # the flash is shown once
    assert "Logged:" not in client.get("/log/").get_data(as_text=True)


@pytest.mark.parametrize(
    "fields,words",
    [
        ({"company": "  "}, "Company: enter"),
        ({"date": "not a date"}, "Date:"),
        ({"channel": "pigeon"}, "channel must be one of"),
        ({"direction": "sideways"}, "direction must be one of"),
        ({"kind": "<b>x</b>"}, "kind must be one of"),
        ({"note": "x" * 10001}, "Note: at most 10,000 characters"),  # as `followup log add`
        ({"announced_date": "soon"}, "Announced call: cannot read the date"),
    ],
)
def test_add_invalid_is_400_and_writes_nothing(client, fields, words):
    r = add(client, **fields)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert words in html and "<b>x</b>" not in html
    assert "Nothing logged yet." in html


def test_add_keeps_form_values_on_error(client):
    html = add(client, company="Umbrella", date="31/31/2026").get_data(as_text=True)
    assert 'value="Umbrella"' in html


def test_add_without_csrf_is_refused(client, db_path):
    r = client.post(
        "/log/add",
        data={
            "company": "Globex",
            "date": "2026-11-20",
            "channel": "email",
            "direction": "sent",
            "kind": "thank_you",
        },
    )
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)
    assert not db_path.exists()
    r = upload(client, CSV, tok="wrong")
    assert r.status_code == 400


def test_company_and_note_are_escaped(client):
    assert add(client, company=XSS_COMPANY, note=XSS_NOTE).status_code == 303
    for path in ("/log/", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "<img src=x" not in html and "<script>alert" not in html
    html = client.get("/log/").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in html


def test_import_then_export_round_trip(client):
    r = upload(client, CSV)
    assert r.status_code == 303
    html = client.get("/log/").get_data(as_text=True)
    assert "Imported 3 events (0 already in the log) for 2 employers." in html
    assert "Initech" in html and "Hooli" in html and "panel of three" in html
    # importing again skips everything
    upload(client, CSV)
    assert "Imported 0 events (3 already in the log)" in client.get("/log/").get_data(as_text=True)
    r = client.get("/log/export.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [(x["date"], x["company"], x["kind"]) for x in rows] == [
        ("2026-11-16", "Initech", "interview"),
        ("2026-11-17", "Initech", "thank_you"),
        ("2026-11-18", "Hooli", "interview"),
    ]
    r = client.get("/log/export.json")
    d = json.loads(r.get_data(as_text=True))
    assert len(d["events"]) == 3 and {e["company"] for e in d["employers"]} == {"Initech", "Hooli"}


def test_import_with_a_bad_row_writes_nothing(client):
    bad = CSV + "2026-13-45,Hooli,email,sent,follow_up,\n"
    r = upload(client, bad, name="bad.csv")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "bad.csv: import rejected, nothing was written." in html
    assert "line 5" in html
    assert "Nothing logged yet." in html


@pytest.mark.parametrize(
    "content,words",
    [
        (
            b"date,company,channel,direction,kind\n2026-11-16,\xff\xfe,email,sent,thank_you\n",
            "not UTF-8",
        ),
        ("date,company\n2026-11-16,X\n", "missing columns"),
        ("date,company,channel,direction,kind\n", "no rows"),
        (
            'date,company,channel,direction,kind,note\n2026-11-16,X,email,sent,thank_you,"<script>alert(1)</script>\n',
            "import rejected",
        ),
    ],
)
def test_import_errors_are_clear(client, content, words):
    r = upload(client, content)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert words in html
    assert "<script>alert(1)" not in html


def test_import_without_a_file(client):
    r = client.post(
        "/log/import", data={"csrf_token": token(client)}, content_type="multipart/form-data"
    )
    assert r.status_code == 400 and "Choose a CSV file" in r.get_data(as_text=True)


def test_import_too_large_is_413(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=2048)
    c = app.test_client()
    r = upload(c, CSV * 100)
    assert r.status_code == 413
    assert "too large" in r.get_data(as_text=True)


def test_exports_of_an_empty_log(client, db_path):
    r = client.get("/log/export.csv")
    assert r.status_code == 200
    assert r.get_data(as_text=True).startswith("date,company,channel,direction,kind")
    assert client.get("/log/export.json").get_json()["events"] == []
    assert not db_path.exists()


def test_log_routes_methods(client):
    assert client.get("/log/add").status_code == 405
    assert client.get("/log/import").status_code == 405
    assert client.post("/log/export.csv").status_code == 405
    assert client.get("/log").status_code in (301, 308)


def test_check_page_offers_logged_companies(client):
    add(client, company="Globex")
    add(client, company="Initech")
    html = client.get("/").get_data(as_text=True)
    assert '<option value="Globex">Globex</option>' in html
    assert '<option value="Initech">Initech</option>' in html
    html = client.get("/?company=Initech").get_data(as_text=True)
    assert '<option value="Initech" selected>' in html


def test_check_with_company_gives_frequency_or_a_note(client):
    add_interview(client, "Globex", "2026-11-02")
    text = (
        "Dear Ms Lee,\n\nI am following up on my interview on 2 November for the analyst "
        "role. I remain very interested and would be glad to send more samples of my work. "
        "I will call you next Tuesday to ask about the timeline.\n\nBest regards,\nSam"
    )
    r = client.post("/api/v1/check", json={"text": text, "company": "Globex"})
    assert r.status_code == 200
    d = r.get_json()
    assert d["frequency"]["company"] == "Globex"
    tok = token(client)
    html = client.post(
        "/check", data={"csrf_token": tok, "text": text, "company": "Globex"}
    ).get_data(as_text=True)
    assert 'id="result"' in html and "Timing for Globex" in html
    assert 'class="freq-verdict' in html
    # the log's plan is another step (the thank-you note is still missing): said, with its date
    assert "Your log plans:" in html


def test_unknown_company_is_said(client):
    text = (
        "Dear Ms Lee,\n\nThank you for meeting me today about the analyst role. I enjoyed "
        "hearing about the team and will gladly send more samples of my work.\n\nBest,\nSam"
    )
    html = client.post(
        "/check", data={"csrf_token": token(client), "text": text, "company": "Nowhere Ltd"}
    ).get_data(as_text=True)
    assert "Timing for Nowhere Ltd" in html
    assert "not in your contact log yet" in html


def test_next_step_and_date_per_employer(client):
    add_interview(client, "Globex", "2026-11-02")
    add(client, company="Globex", kind="thank_you", date="2026-11-03")
    html = client.get("/log/").get_data(as_text=True)
    step = re.search(r'class="next-step"><strong>Next step:</strong> (.*?)</p>', html, re.S)
    assert step and step.group(1).strip()
    # one date a step, written as everywhere else
    assert re.search(
        r'<strong>When:</strong> <time datetime="\d{4}-\d\d-\d\d">(by|on or after) '
        r'\d{1,2} [A-Z][a-z]{2}( \d{4})?</time>',
        html,
    )


def test_step_view_accepts_several_shapes():
    from checker.web.log import _step_view

    assert _step_view(None) is None
    v = _step_view({"step": "Send a follow-up", "date": "2026-11-27", "why": "a week passed"})
    assert (v["step"], v["date"], v["why"]) == ("Send a follow-up", "2026-11-27", "a week passed")
    from checker.contacts.dates import human

    v = _step_view({"action": "call", "earliest": "2026-12-01"})
    assert (v["step"], v["date"], v["date_label"]) == (
        "call",
        "2026-12-01",
        "on or after " + human("2026-12-01"),
    )
    # a step with a deadline shows the deadline, the date its sentence gives
    v = _step_view(
        {
            "action": "thank_you",
            "step": "Send a thank-you note by 4 Dec.",
            "earliest": "2026-12-02",
            "due": "2026-12-04",
        }
    )
    assert (v["date"], v["date_label"]) == ("2026-12-04", "by " + human("2026-12-04"))


def test_record_from_the_check_result_keeps_the_draft(client):
    add_interview(client, "Globex", "2026-11-02")
    text = (
        "Dear Ms Lee,\n\nThank you for meeting me about the analyst role. I enjoyed hearing "
        "about the team and will gladly send more samples of my work. I will call you on "
        "Tuesday next week.\n\nBest,\nSam"
    )
    tok = token(client)
    html = client.post(
        "/check", data={"csrf_token": tok, "text": text, "company": "Globex"}
    ).get_data(as_text=True)
    # the button submits the editor's form to the log (the draft goes along, to come back)
    assert re.search(r'<button type="submit" form="check-form" formaction="/log/record"', html)
    extra = dict(
        re.findall(r'<input type="hidden" form="check-form" name="([^"]+)" value="([^"]*)"', html)
    )
    assert extra["record_kind"] in ("thank_you", "follow_up")
    data = {"csrf_token": tok, "text": text, "kind": "auto", "company": "Globex", **extra}
    r = client.post("/log/record", data=data)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "Logged: sent " in page and "Your draft is still here" in page
    assert re.search(r'<textarea id="text"[^>]*>\s*Dear Ms Lee,', page)  # kept
    rows = client.get("/log/export.json").get_json()["events"]
    assert rows[-1]["company"] == "Globex" and rows[-1]["direction"] == "sent"
    assert rows[-1]["kind"] == extra["record_kind"]
    assert rows[-1]["note"] == "logged from the check page"
    assert text not in json.dumps(rows)  # not stored
    # a form without the draft (an older page) still logs, then shows the log
    r = client.post(
        "/log/record", data={"csrf_token": tok, "company": "Globex", "kind": "follow_up"}
    )
    assert r.status_code == 303


def test_no_logging_offered_on_dont_send(client):
    add_interview(client, "Globex", "2026-11-02")
    add(client, company="Globex", kind="thank_you", date="2026-11-03")
    text = (
        "Dear Ms Lee,\n\nThank you again for the interview. I enjoyed meeting the team and "
        "would be glad to send samples of my work.\n\nBest,\nSam"
    )
    html = client.post(
        "/check",
        data={"csrf_token": token(client), "text": text, "kind": "thank_you", "company": "Globex"},
    ).get_data(as_text=True)
    assert "verdict-dont_send" in html and "you already sent a thank-you note" in html
    assert "I sent it today" not in html
    assert "anyway" not in html  # no "send it today anyway" next to that error


@pytest.mark.parametrize(
    "fields,status",
    [
        ({"company": ""}, 400),
        ({"kind": "memo"}, 400),
        ({"announced_call": "soon"}, 400),
    ],
)
def test_record_rejects_bad_fields(client, fields, status):
    data = {
        "csrf_token": token(client),
        "company": "Globex",
        "kind": "thank_you",
        "announced_call": "",
    }
    data.update(fields)
    assert client.post("/log/record", data=data).status_code == status
    assert (
        client.post(
            "/log/record", data={k: v for k, v in data.items() if k != "csrf_token"}
        ).status_code
        == 400
    )


def test_unreadable_log_is_explained_and_check_still_works(tmp_path):
    bad = tmp_path / "contacts.db"
    bad.write_bytes(b"this is not a database" * 100)
    app = make_app(tmp_path, DB=str(bad))
    c = app.test_client()
    r = c.get("/log/")
    assert r.status_code == 500
    assert "contacts.db" in r.get_data(as_text=True) and "Traceback" not in r.get_data(as_text=True)
    assert c.get("/").status_code == 200  # the check page does without the log
    r = c.post(
        "/api/v1/check",
        json={"text": "Dear Ms Lee, thank you for your time today. Best, Sam", "company": "Globex"},
    )
    assert r.status_code == 400 and "contacts.db" in r.get_json()["error"]
    assert bad.read_bytes() == b"this is not a database" * 100  # left untouched


def _event_id(client):
    return client.get("/log/export.json").get_json()["events"][-1]["id"]


def test_edit_an_entry(client):
    add(client, company="Globex", kind="thank_you", date="2026-11-20", note="first")
    eid = _event_id(client)
    page = client.get(f"/log/{eid}/edit").get_data(as_text=True)
    assert 'value="Globex"' in page and ">first</textarea>" in page
    tok = token(client)
    form = {
        "csrf_token": tok,
        "company": "Globex",
        "date": "2026-11-21",
        "channel": "letter",
        "direction": "sent",
        "kind": "thank_you",
        "note": "by hand",
        "announced": "yes",
        "announced_date": "2026-12-01",
    }
    r = client.post(f"/log/{eid}/edit", data=form)
    assert r.status_code == 303
    row = client.get("/log/export.json").get_json()["events"][-1]
    assert (row["date"], row["channel"], row["note"], row["announced_call"]) == (
        "2026-11-21",
        "letter",
        "by hand",
        "2026-12-01",
    )
    html = client.get("/log/").get_data(as_text=True)
    assert "Saved: sent thank-you note (letter) with Globex" in html
    assert "call announced for" in html
    # the same validation as `followup log add`: a bad date is refused, nothing changes
    r = client.post(f"/log/{eid}/edit", data=dict(form, date="31/31/2026", note="changed"))
    assert r.status_code == 400 and "Date:" in r.get_data(as_text=True)
    assert client.get("/log/export.json").get_json()["events"][-1]["note"] == "by hand"
    # without the form's token: refused
    assert client.post(f"/log/{eid}/edit", data=dict(form, csrf_token="")).status_code == 400
    assert client.get("/log/999/edit").status_code == 404
    assert client.post("/log/999/edit", data=form).status_code == 404


def test_delete_an_entry_asks_first(client):
    add(client, company="Globex", kind="thank_you", date="2026-11-20")
    eid = _event_id(client)
    page = client.get(f"/log/{eid}/delete").get_data(as_text=True)
    assert "Delete this contact?" in page
    assert len(client.get("/log/export.json").get_json()["events"]) == 1  # not yet
    assert client.post(f"/log/{eid}/delete", data={}).status_code == 400  # no CSRF token
    r = client.post(f"/log/{eid}/delete", data={"csrf_token": token(client)})
    assert r.status_code == 303
    assert client.get("/log/export.json").get_json()["events"] == []
    assert "Deleted: sent thank-you note (email) with Globex" in client.get("/log/").get_data(
        as_text=True
    )
    assert client.post(f"/log/{eid}/delete", data={"csrf_token": token(client)}).status_code == 404


def test_announced_call_and_decision_date(client):
    add_interview(client, "Globex", "2026-11-02")
    add(client, company="Globex", kind="thank_you", date="2026-11-03", announced="yes")
    assert client.get("/log/export.json").get_json()["events"][-1]["announced_call"] == "yes"
    html = client.get("/log/").get_data(as_text=True)
    assert "in person" in html and "in_person" not in html.split("<table", 1)[1].split("</table>")[
        0
    ].replace('value="in_person"', "")
    tok = token(client)
    r = client.post(
        "/log/employer",
        data={
            "csrf_token": tok,
            "company": "globex",
            "decision_date": "2026-12-10",
            "person": "Ms Lee",
        },
    )
    assert r.status_code == 303
    data = client.get("/log/export.json").get_json()
    emp = data["employers"][0]
    assert (emp["decision_date"], emp["person"]) == ("2026-12-10", "Ms Lee")
    html = client.get("/log/").get_data(as_text=True)
    assert "They said they would decide by" in html
    # the same date rules as the CLI: an ambiguous date is explained, nothing is saved
    r = client.post(
        "/log/employer",
        data={"csrf_token": tok, "company": "Globex", "decision_date": "03/04/2027"},
    )
    assert r.status_code == 400 and "ambiguous date" in r.get_data(as_text=True)
    r = client.post(
        "/log/employer", data={"csrf_token": tok, "company": "Globex", "clear_decision": "1"}
    )
    assert r.status_code == 303
    assert client.get("/log/export.json").get_json()["employers"][0]["decision_date"] is None
    assert (
        client.post("/log/employer", data={"csrf_token": tok, "company": "Nobody"}).status_code
        == 404
    )
    assert client.post("/log/employer", data={"company": "Globex"}).status_code == 400


# -- a paged log: employers 50 a page with a search, contacts 50 a page ----------------------


@pytest.fixture
def big_log(client, db_path):
    """120 employers (Employer 000 ... 119) with one contact each, Employer 007 with 60 more."""
    import datetime as dt

    from checker.contacts import db

    conn = db.connect(str(db_path), create=True)
    for i in range(120):
        db.add_event(
            conn,
            f"Employer {i:03d}",
            dt.date(2026, 1, 1) + dt.timedelta(days=i),
            "email",
            "sent",
            "thank_you",
            f"note {i}",
        )
    for j in range(60):
        db.add_event(
            conn,
            "Employer 007",
            dt.date(2026, 6, 1) + dt.timedelta(days=j),
            "call",
            "received",
            "other",
            f"reply {j}",
        )
    conn.close()
    return client


def _cards(html: str) -> list[str]:
    return re.findall(r'<h3 id="emp-\d+">([^<]+)</h3>', html)


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr id="event-(\d+)">', html)


def test_employers_are_paged_fifty_at_a_time(big_log):
    html = big_log.get("/log/").get_data(as_text=True)
    assert _cards(html) == [f"Employer {i:03d}" for i in range(50)]
    assert "Employers 1–50 of 120" in html
    nxt = re.search(r'<a rel="next" href="([^"#]+)#employers-h"', html).group(1)
    assert nxt == "/log/?page=2"
    html = big_log.get("/log/?page=3").get_data(as_text=True)
    assert _cards(html) == [f"Employer {i:03d}" for i in range(100, 120)]
    assert 'rel="next"' not in html.split('aria-label="Employer pages"')[1].split("</nav>")[0]
    assert 'href="/log/?page=2#employers-h"' in html  # previous
    # Past the end or not a number: the last page, the first page.
    assert _cards(big_log.get("/log/?page=99").get_data(as_text=True))[0] == "Employer 100"
    assert _cards(big_log.get("/log/?page=x").get_data(as_text=True))[0] == "Employer 000"


def test_an_employer_card_counts_all_its_contacts_and_shows_the_last(big_log):
    html = big_log.get("/log/").get_data(as_text=True)
    card = html.split('<h3 id="emp-8">Employer 007</h3>')[1].split("</article>")[0]
    assert "61 contacts" in card
    assert re.search(r"last: [^<]+ on 30 Jul", card)  # the newest of them (1 Jun + 59 days)


def test_search_filters_employers_and_pages_keep_it(big_log):
    html = big_log.get("/log/?q=employer 1").get_data(as_text=True)
    assert _cards(html) == [f"Employer {i:03d}" for i in range(100, 120)]
    assert "20 employers matching “employer 1”" in html
    html = big_log.get("/log/?q=EMPLOYER%20%2000").get_data(as_text=True)  # case, spaces
    assert len(_cards(html)) == 10
    html = big_log.get("/log/?q=nobody").get_data(as_text=True)
    assert _cards(html) == [] and "No employer matches “nobody”." in html
    html = big_log.get("/log/?q=%25").get_data(as_text=True)  # LIKE wildcards are literal
    assert _cards(html) == []
    html = big_log.get("/log/?q=employer&page=2").get_data(as_text=True)
    assert 'href="/log/?q=employer&amp;page=3#employers-h"' in html


def test_contacts_are_paged_newest_first(big_log):
    html = big_log.get("/log/").get_data(as_text=True)
    assert "All contacts (180)" in html and "Newest first: 1–50 of 180." in html
    first = _rows(html)
    assert len(first) == 50
    assert "reply 59" in html and "note 0<" not in html
    older = re.search(r'<a rel="next" href="([^"#]+)#events-h">Older', html).group(1)
    assert older == "/log/?events=2"
    rest = []
    for n in (2, 3, 4):
        rest += _rows(big_log.get(f"/log/?events={n}").get_data(as_text=True))
    assert len(rest) == 130 and not set(rest) & set(first)


def test_contacts_of_one_employer(big_log):
    html = big_log.get("/log/?of=employer 007").get_data(as_text=True)
    assert "Contacts with employer 007 (61)" in html
    table = html.split('id="events-h"')[1]
    assert "Employer 007" in table and "Employer 008" not in table
    assert 'href="/log/?of=Employer+007#events-h"' in big_log.get("/log/").get_data(as_text=True)


def test_a_big_log_page_stays_small(big_log):
    # 120 employers and 180 contacts: one page of each, not the whole log.
    html = big_log.get("/log/").get_data(as_text=True)
    assert len(_cards(html)) == 50 and len(_rows(html)) == 50
    assert html.count("<option value=\"Employer") <= 50  # the add form's company list

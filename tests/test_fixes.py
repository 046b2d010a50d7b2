"""The fixes the editor's "apply" offers come from the core: a finding's ``fix`` and ``id``
(placeholders filled from the contact log, text-speak, "!!!"), applied by ``checker.fixes``
(the proofread fixes themselves are tested in test_proofread.py)."""

from __future__ import annotations

import datetime as dt

import pytest

import checker
from checker import fixes
from checker.report import Fix


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    from checker.contacts import db

    path = tmp_path_factory.mktemp("log") / "contacts.db"
    conn = db.connect(path)
    db.add_employer(conn, "Acme Dental", person="Ms Lee")
    db.add_event(conn, "Acme Dental", dt.date.today(), "in_person", "received", "interview")
    conn.close()
    return str(path)


def fix_of(report, words):
    """The fix of the finding on ``words`` (None when it has none)."""
    d = report.to_dict()
    found = [f for f in d["findings"] if f["text"] == words]
    assert found, (words, [f["text"] for f in d["findings"]])
    return found[0].get("fix")


@pytest.mark.parametrize(
    "text, word, expected",
    [
        (
            "Dear [Hiring Manager],\n\nThank you for the interview today.\n\nSam",
            "[Hiring Manager]",
            "Dear Ms Lee,",
        ),
        (
            "Dear Ms Lee,\n\nThank you for the interview at {{company}} today.\n\nSam",
            "{{company}}",
            "the interview at Acme Dental today.",
        ),
        (
            "Dear Ms Lee,\n\nThank you for the interview at <Company Name>.\n\nSam",
            "<Company Name>",
            "the interview at Acme Dental.",
        ),
    ],
)
def test_placeholders_filled_from_the_log(log, text, word, expected):
    report = checker.check(text, to="Acme Dental", db=log)
    fix = fix_of(report, word)
    assert fix is not None
    assert fixes.apply(text, None, to="Acme Dental", db=log).text.count(expected) == 1


def test_placeholders_the_log_cannot_fill_get_no_fix(log):
    text = "Dear [Hiring Manager],\n\nThank you for the [Role] interview.\n\nBest,\n<Your Name>"
    without_log = checker.check(text)
    assert fix_of(without_log, "[Hiring Manager]") is None
    with_log = checker.check(text, to="Acme Dental", db=log)
    assert fix_of(with_log, "[Role]") is None  # no role logged
    assert fix_of(with_log, "<Your Name>") is None  # the writer's own


@pytest.mark.parametrize(
    "text, word, replacement",
    [
        ("Hi Tom,\n\nIt was great, thx again.\n\nAmy", "thx", "thanks"),
        ("Hi Tom,\n\nGreat to meet u today.\n\nAmy", "u", "you"),
        ("Hi Tom,\n\nThanks. Pls tell me more.\n\nAmy", "Pls", "Please"),
        # a sentence or a line starts with a capital, whatever the case it was typed in
        ("Hi Tom,\n\nthx for the chat.\n\nAmy", "thx", "Thanks"),
        ("Hi Tom,\n\nIt was great. lmk if you need more.\n\nAmy", "lmk", "Let me know"),
        ("Hi Tom, thx for the chat.\n\nAmy", "thx", "thanks"),
    ],
)
def test_text_speak(text, word, replacement):
    assert fix_of(checker.check(text), word)["replacement"] == replacement


def test_a_run_of_exclamation_marks_becomes_one():
    text = "Hi Tom,\n\nThank you for the chat!!! I enjoyed it.\n\nAmy"
    assert fix_of(checker.check(text), "!!!")["replacement"] == "!"


def test_ids_name_findings_and_apply_takes_them():
    text = "Hi Tom,\n\nthx a lot for the chat. It was great to meet u.\n\nAmy"
    report = checker.check(text)
    d = report.to_dict()
    ids = [f["id"] for f in d["findings"]]
    assert len(set(ids)) == len(ids)
    speak = [f for f in d["findings"] if f["rule"] == "hygiene.text_speak"]
    assert speak[0]["id"] == f"hygiene.text_speak:{speak[0]['start']}-{speak[0]['end']}"
    done = fixes.apply(text, [speak[1]["id"]], expected_hash=report.proofread["text_sha256"])
    assert done.text == text.replace("meet u.", "meet you.")
    assert [a["id"] for a in done.applied] == [speak[1]["id"]]


def test_apply_many_and_overlaps():
    text = "thx u!!!"
    out, applied, skipped = fixes.apply_fixes(
        text,
        [
            ("a", Fix(0, 3, "Thanks")),
            ("b", Fix(4, 5, "you")),
            ("c", Fix(5, 8, "!")),
            ("d", Fix(4, 8, "X")),
        ],
    )
    assert out == "Thanks you!" and applied == ["a", "b", "c"] and skipped == ["d"]


def test_utf16_offsets():
    text = "\U0001f600 thx"
    assert fixes.utf16(text, text.index("thx")) == 3

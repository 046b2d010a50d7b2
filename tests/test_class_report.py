"""The class report for a class of 30: the roster first, folded cards, plain labels, phrases
in the students' own words, handouts, a second round compared with the first, unreadable
files explained so a student can fix them, and three verdicts in every output."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import class_of, write_jsonl

from checker.cli import main
from checker.rules import catalogue, label_for

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "batch"


def round_one(rows: list[dict]) -> list[dict]:
    """The same class a week earlier: text-speak and "!!!" the second round fixed."""
    return [
        dict(r, text=r["text"].replace(".", "!!!", 1).replace("Thank you", "thx", 1)) for r in rows
    ]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["batch", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def visible_text(html: str) -> str:
    html = re.sub(r"<(style|script|title)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def assert_ids_labelled(html: str) -> None:
    """No rule id is shown without its plain label close before it."""
    text = visible_text(html)
    for rule in catalogue():
        for m in re.finditer(re.escape(rule) + r"\b", text):
            assert label_for(rule) in text[max(0, m.start() - 400) : m.start()], (
                rule,
                text[m.start() - 120 : m.end()],
            )


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("class")
    rows = class_of()
    return (
        tmp,
        write_jsonl(tmp / "round1-drafts.jsonl", round_one(rows)),
        write_jsonl(tmp / "round2-drafts.jsonl", rows),
    )


def test_roster_first_cards_folded_labels(rounds, capsys):
    tmp, _, drafts = rounds
    out = tmp / "class.html"
    code, _, err = run(capsys, drafts, "--out", out)
    assert code in (0, 1) and "30 drafts, 30 checked" in err
    html = out.read_text(encoding="utf-8")
    # the roster comes first, then the cards, then the class summary
    pos = [html.index(s) for s in ('id="roster"', 'id="students"', 'id="summary"')]
    assert pos == sorted(pos)
    roster = html.split('id="roster-table"', 1)[1].split("</table>", 1)[0]
    assert roster.count("<tr data-verdict=") == 30
    heads = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', roster)
    assert heads == [
        "Student",
        "Verdict",
        "Errors",
        "Warnings",
        "Missing elements",
        "Desperation",
        "Hostility",
        "Politeness",
        "Words",
    ]
    assert set(re.findall(r'data-verdict="(\w+)"', roster)) <= {"ready", "revise", "dont_send"}
    # every roster name links to its card's body, which is inside a folded card
    for n in range(1, 31):
        assert f'href="#card-{n}-body"' in roster
        assert re.search(rf'<details class="card" id="card-{n}"[^>]*><summary>', html)
    assert "<details class=\"card\" id=\"card-1\" aria-labelledby=\"card-1-h\" open" not in html
    assert_ids_labelled(html)
    assert "<script" not in html.lower()


def test_phrases_grouped_in_the_students_casing(tmp_path, capsys):
    rows = [
        {
            "id": "a",
            "text": "Dear Ms Lee,\n\nThank you for the interview. Please, PLEASE give "
            "me a chance, I really need this job!!!\n\nBest,\nAl",
        },
        {
            "id": "b",
            "text": "Dear Ms Lee,\n\nThanks for your time. I Really Need This Job. "
            "Frankly your process was a joke and a waste of my time.\n\nBo",
        },
    ]
    out = tmp_path / "r.html"
    run(capsys, write_jsonl(tmp_path / "d.jsonl", rows), "--out", out)
    html = out.read_text(encoding="utf-8")
    table = html.split('class="phrase-groups"', 1)[1].split("</table>", 1)[0]
    groups = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert groups and all(g.startswith(("Desperation: ", "Hostility: ")) for g in groups)
    assert "Desperation: Neediness" in groups
    # desperation groups come before hostility ones; the first spelling is the student's own
    kinds = [g.split(":")[0] for g in groups]
    assert kinds == sorted(kinds, key=("Desperation", "Hostility").index)
    assert "I really need this job" in table and "i really need this job" not in table


def test_three_verdicts_in_the_gradebook_and_jsonl(rounds, capsys):
    tmp, _, drafts = rounds
    code, out, _ = run(capsys, drafts, "--format", "csv", "--quiet")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["send_verdict"] for r in rows} <= {"ready", "revise", "dont_send"}
    for r in rows:
        assert r["verdict"] == ("ready" if r["send_verdict"] == "ready" else "revise")
        # rule ids come with their plain labels in the "problems" column
        assert (
            r["problems"].split("; ") == [label_for(x) for x in r["rules"].split()]
            or not r["rules"]
        )
    code, out, _ = run(capsys, drafts, "--quiet")
    lines = [json.loads(x) for x in out.splitlines()]
    assert all(x["send_verdict"] in ("ready", "revise", "dont_send") for x in lines)


def test_handouts_one_page_a_student(rounds, capsys):
    tmp, _, drafts = rounds
    folder = tmp / "handouts"
    code, _, err = run(capsys, drafts, "--format", "handouts", "--out", folder)
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == 30 and code in (0, 1) and f"-> {folder}" in err
    assert pages[0].name == "student-01.html"
    page = pages[0].read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<script" not in page.lower()
    assert "Content-Security-Policy" in page and "Student 01" in page
    assert re.search(r'<details class="card"[^>]* open>', page)  # the card is open
    assert re.search(
        r"<h2 class=\"verdict-line\">(Ready to send|Revise before sending|Don&#x27;t send this|Don't send this)",
        page,
    )
    assert_ids_labelled(page)


def test_handouts_need_a_folder(tmp_path, capsys):
    code, _, err = run(capsys, FIX / "class", "--format", "handouts")
    assert code == 2 and "--format handouts needs --out DIR" in err
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, FIX / "class", "--format", "handouts", "--out", tmp_path / "file")
    assert code == 2 and "is a file" in err


def test_unreadable_files_get_a_handout_that_says_what_to_do(tmp_path, capsys):
    folder = tmp_path / "h"
    run(capsys, FIX / "class", "--format", "handouts", "--out", folder)
    eli = (folder / "eli.html").read_text(encoding="utf-8")
    assert "We could not read your draft" in eli and "Plain Text (.txt)" in eli


def test_second_round_compared_with_the_first(rounds, capsys):
    tmp, first, second = rounds
    r1 = tmp / "round1.jsonl"
    assert run(capsys, first, "--out", r1, "--quiet")[0] in (0, 1)
    out = tmp / "round2.html"
    run(capsys, second, "--out", out, "--compare", r1, "--quiet")
    html = out.read_text(encoding="utf-8")
    pos = [html.index(s) for s in ('id="roster"', 'id="since"', 'id="students"')]
    assert pos == sorted(pos)
    since = visible_text(html.split('id="since"', 1)[1].split("</section>", 1)[0])
    assert re.search(r"30 students in both rounds: \d+ better", since)
    assert "round 1" in since and "now" in since  # the chart's legend
    better = int(re.search(r"(\d+) better", since).group(1))
    assert better >= 20  # text-speak and "!!!" fixed
    roster = html.split('id="roster-table"', 1)[1].split("</table>", 1)[0]
    assert "Since round 1" in roster and re.search(r"\d+ fixed, \d+ new problems?", roster)
    # the gradebook gets each student's change
    _, csv_out, _ = run(capsys, second, "--format", "csv", "--compare", r1, "--quiet")
    rows = list(csv.DictReader(io.StringIO(csv_out)))
    assert sum(int(r["fixed"] or 0) for r in rows) >= 30
    assert all(r["previous_verdict"] in ("ready", "revise", "dont_send") for r in rows)
    # handouts say what changed
    folder = tmp / "h2"
    run(capsys, second, "--format", "handouts", "--out", folder, "--compare", r1, "--quiet")
    assert "Since round 1:" in (folder / "student-01.html").read_text(encoding="utf-8")


def test_compare_needs_a_batch_jsonl(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    code, _, err = run(capsys, FIX / "class", "--compare", bad)
    assert code == 2 and "line 1 is not JSON" in err
    code, _, err = run(capsys, FIX / "class", "--compare", tmp_path / "missing.jsonl")
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize(
    "name, data, words",
    [
        (
            "old.txt",
            "Caf\u00e9 d\u00e9j\u00e0 vu".encode("cp1252"),
            ["not UTF-8 text", "old encoding", "\u201c\u00e9\u201d", "in Word choose Save As"],
        ),
        (
            "note.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
            ["Word 97-2003", "Save As, Word Document (.docx)"],
        ),
        ("note.docx", b"%PDF-1.7 rest", ["a PDF with a .docx name"]),
        ("note.docx", b"hello, plain text", ["not a Word document, though named .docx"]),
        ("note.pdf", b"%PDF-1.7", ["unsupported file type .pdf", "copy the note"]),
        ("note.doc", b"\xd0\xcf\x11\xe0", ["old Word document", "Word Document (.docx)"]),
        ("blank.txt", b"  \n", ["empty draft", "paste the text of your note"]),
        (
            "pic.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0",
            ["binary data, not text", "save the note as .txt or .docx"],
        ),
    ],
)
def test_unreadable_reasons_a_student_can_act_on(tmp_path, capsys, name, data, words):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(data)
    code, out, _ = run(capsys, folder, "--format", "csv", "--quiet")
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["status"] == "unreadable" and code == 3
    for w in words:
        assert w in row["error"], (w, row["error"])
    assert "invalid byte" not in row["error"] and "offset" not in row["error"]

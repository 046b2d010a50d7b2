"""Issue 16: crafted input gets bounded work and the documented errors.

Lone UTF-16 surrogates (library, CLI, web, batch), the call heads-up ``when`` span, and long
runs without spaces (the parser sees them cut into pieces; offsets still point into the
original text, and the desperation rules still see "!!!!!!").
"""

from __future__ import annotations

import json

import pytest
from conftest import make_app

import checker
from checker.batch import process
from checker.batch.readers import Item
from checker.cli import main
from checker.errors import EncodingError, InputError
from checker.textprep import problem

NOTE = (
    "Dear Ms. Lee,\n\nThank you for meeting with me today about the analyst role. I enjoyed "
    "learning how your team plans its quarterly reviews.\n\nBest regards,\nAmy Chen"
)
BROKEN = "Dear Ms. Lee,\n\nThank you for meeting with me \ud800 today.\n\nBest,\nAmy"


# -- lone surrogates ---------------------------------------------------------------------------


def test_problem_names_a_lone_surrogate_as_an_encoding_error():
    why = problem(BROKEN)
    assert isinstance(why, EncodingError) and isinstance(why, InputError)
    assert why.code == "input.encoding"
    assert "\n" not in why.message and "surrogate" in why.message
    assert problem(NOTE) is None
    assert problem("Thanks \U0001f600 for the tour.") is None  # a real emoji is fine


@pytest.mark.parametrize("text", [BROKEN, "\udcff", "Thanks \udfff!", "\ud83d alone"])
def test_check_reports_input_encoding_instead_of_crashing(text):
    report = checker.check(text)
    assert [f.rule for f in report.findings] == ["input.encoding"]
    json.dumps(report.to_dict())


def test_check_many_reports_input_encoding_in_order():
    reports = list(checker.check_many([NOTE, BROKEN, NOTE]))
    assert [r.findings[0].rule == "input.encoding" for r in reports] == [False, True, False]
    assert reports[0].to_dict() == checker.check(NOTE).to_dict()


def test_cli_exit_2_one_line_for_a_utf16_file_with_a_lone_surrogate(tmp_path, capsys):
    path = tmp_path / "note.txt"
    path.write_bytes(
        b"\xff\xfe"
        + "Thank you ".encode("utf-16-le")
        + b"\x00\xd8"
        + "for the chat.".encode("utf-16-le")
    )
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "UTF-16" in err and "Traceback" not in err


def test_web_api_answers_400_with_the_plain_message(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    body = '{"text": "Dear Ms. Lee,\\n\\nThank you \\ud800 for the chat.\\n\\nBest,\\nAmy"}'
    r = client.post("/api/v1/check", data=body, content_type="application/json")
    assert r.status_code == 400
    message = json.dumps(r.get_json())
    assert "surrogate" in message and "UnicodeEncodeError" not in message
    ok = client.post("/api/v1/check", json={"text": NOTE})  # the worker still serves
    assert ok.status_code == 200


def test_batch_gives_the_draft_a_row_error():
    results = list(process([Item("a", NOTE), Item("b", BROKEN), Item("c", NOTE)]))
    assert [r.ok for r in results] == [True, False, True]
    assert "surrogate" in results[1].error


# -- the call heads-up's `when` --------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,pieces",
    [
        ("I will call you tomorrow, and again next week, to follow up.", ["tomorrow", "next week"]),
        ("I plan to call you next week or on Friday.", ["next week", "Friday"]),
        ("I will give you a call tomorrow.", ["tomorrow"]),
    ],
)
def test_call_heads_up_when_span_covers_its_text(sentence, pieces):
    text = NOTE.replace("quarterly reviews.", "quarterly reviews. " + sentence)
    when = checker.check(text).to_dict()["elements"]["call_heads_up"]["when"]
    assert when is not None
    covered = text[when["start"] : when["end"]]
    for piece in when["text"].split(", "):
        assert piece in covered
    assert [p for p in pieces if p in when["text"]] == pieces


# -- long runs without spaces ----------------------------------------------------------------


def test_long_runs_reach_the_parser_cut_and_the_text_is_unchanged():
    from checker.nlp import get_nlp
    from checker.textprep import max_run

    limit = max_run()
    text = "Thank you" + "!" * 1000 + " and (" + "\U0001f600" * 300 + ")\n" + "A-" * 400
    doc = get_nlp()(text)
    assert doc.text == text
    assert max(len(t.text) for t in doc) == limit
    assert len(doc) < 100  # was one token a character
    short = "Thank you!!!!!! See you (soon)."
    assert [t.text for t in get_nlp()(short)] == [
        t.text for t in get_nlp().tokenizer.tokenizer(short)
    ]


def test_offsets_point_into_the_original_text_and_the_exclamations_are_seen():
    run = "!" * 5000
    text = NOTE.replace("quarterly reviews.", "quarterly reviews" + run)
    report = checker.check(text)
    marks = [f for f in report.findings if f.rule == "desperation.punctuation"]
    assert marks and text[marks[0].start : marks[0].end] == run
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)
    json.dumps(report.to_dict())
    six = checker.check(NOTE.replace("quarterly reviews.", "quarterly reviews!!!!!!"))
    assert any(f.rule == "desperation.punctuation" for f in six.findings)


# -- the size limit in pieces ------------------------------------------------------------------


def test_a_draft_of_one_letter_lines_is_too_long_in_pieces():
    # 20,000 characters of one-letter lines are ~18,000 parser tokens: refused like a draft
    # over the character limit, with a one-line reason and the documented code.
    text = ("a\r\nb\rc\u2028d\n" * 3000)[:20000]
    why = problem(text)
    assert why is not None and why.code == "input.too_long" and "\n" not in why.message
    assert "words and line breaks" in why.message
    report = checker.check(text).to_dict()
    assert [f["rule"] for f in report["findings"]] == ["input.too_long"]


@pytest.mark.parametrize(
    "text",
    [
        ("Thank you for meeting with me today about the analyst role. " * 400)[:20000],
        "! " * 10000,  # 10,000 pieces: under the limit
        "Dear Ms. Lee," + "\n" * 19000,  # a run of line breaks is one piece
        ("line\u2028" * 5000)[:20000],
    ],
)
def test_long_drafts_under_the_piece_limit_are_checked(text):
    assert problem(text) is None

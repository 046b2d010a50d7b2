"""The proofread check beyond its rule examples: log facts, fixes (core, CLI, API, web), the
config's word list, the speller, and a property test that every fix keeps offsets valid."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker
from checker import fixes
from checker.config import Config, ConfigError
from checker.contacts import add_employer, connect
from checker.errors import NotFixable, StaleReport
from checker.report import Fix

NOTE = (
    "Dear Ms. Whitfield,\n\nThank you for meeting with me yesterday about the analyst role "
    "at Globex. I enjoyed hearing how your team plans its quarter, and I would be glad to "
    "send samples of my reports.\n\nBest regards,\nSam Okafor"
)


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "contacts.db"
    conn = connect(path)
    add_employer(conn, "Globex", person="Dana Whitfield", role="Data Analyst")
    add_employer(conn, "Initech")
    conn.close()
    return str(path)


def rules(report, prefix="proofread."):
    return sorted(f.rule for f in report.findings if f.rule.startswith(prefix))


def test_a_correct_note_has_no_proofread_finding(log):
    report = checker.check(NOTE, to="Globex", db=log)
    assert rules(report) == []
    section = report.proofread
    assert section["addressee"] == {
        "company": "Globex",
        "person": "Dana Whitfield",
        "role": "Data Analyst",
    }
    assert section["text_sha256"] == fixes.text_hash(NOTE)


def test_the_issue_example(log):
    text = NOTE.replace("Whitfield", "Whitfeld").replace("at Globex", "at Initech")
    report = checker.check(text, to="Globex", db=log)
    found = {
        (f.rule, text[f.start : f.end], f.fix.replacement if f.fix else None)
        for f in report.findings
        if f.rule.startswith("proofread.")
    }
    assert ("proofread.name_mismatch", "Whitfeld", "Whitfield") in found
    assert ("proofread.wrong_company", "Initech", "Globex") in found
    assert all(
        f.severity == "error"
        for f in report.findings
        if f.rule in ("proofread.name_mismatch", "proofread.wrong_company")
    )


def test_without_a_log_or_person_the_name_rules_say_nothing(tmp_path):
    text = NOTE.replace("Whitfield", "Whitfeld").replace("at Globex", "at Initech")
    assert "proofread.name_mismatch" not in rules(checker.check(text))
    missing = str(tmp_path / "none.db")
    report = checker.check(text, to="Globex", db=missing)
    assert "proofread.name_mismatch" not in rules(report)
    # --person on the check is enough for the name.
    report = checker.check(text, person="Dana Whitfield")
    assert "proofread.name_mismatch" in rules(report)


def test_placeholders_the_log_can_fill_get_fixes(log):
    text = (
        "Dear [Interviewer's Name],\n\nThank you for the interview for the [Position] role "
        "at [Company]. I enjoyed it.\n\nBest regards,\n[Your Name]"
    )
    report = checker.check(text, to="Globex", db=log)
    fills = {
        text[f.start : f.end]: f.fix.replacement
        for f in report.findings
        if f.rule == "hygiene.placeholder" and f.fix
    }
    assert fills == {
        "[Interviewer's Name]": "Dana Whitfield",
        "[Position]": "Data Analyst",
        "[Company]": "Globex",
    }


def test_text_speak_and_exclamations_get_fixes():
    text = "Hi Tom,\n\nthx for the chat!!! It was great to meet u.\n\nAmy"
    report = checker.check(text)
    fixed = {text[f.start : f.end]: f.fix.replacement for f in report.findings if f.fix}
    assert fixed == {"thx": "Thanks", "!!!": "!", "u": "you"}  # a sentence starts with a capital


def test_findings_have_stable_ids_and_fix_json():
    text = "Hi Tom,\n\nThank you for the the chat. I recieve it.\n\nAmy"
    d1, d2 = checker.check(text).to_dict(), checker.check(text).to_dict()
    ids = [f["id"] for f in d1["findings"]]
    assert ids == [f["id"] for f in d2["findings"]] and len(set(ids)) == len(ids)
    spell = next(f for f in d1["findings"] if f["rule"] == "proofread.spelling")
    assert spell["fix"] == {"start": spell["start"], "end": spell["end"], "replacement": "receive"}
    assert all("fix" not in f for f in d1["findings"] if f["rule"].startswith("elements."))


def test_apply_refuses_a_changed_text_and_unknown_ids():
    text = "Hi Tom,\n\nThank you for the the chat. I recieve it.\n\nAmy"
    report = checker.check(text)
    fid = next(fid for fid, f in fixes.fixable(report) if f.rule == "proofread.spelling")
    with pytest.raises(StaleReport):
        fixes.apply(text + " More.", [fid], expected_hash=report.proofread["text_sha256"])
    with pytest.raises(StaleReport):
        fixes.apply(text, ["proofread.spelling:1-2"])
    unfixable = next(f["id"] for f in report.to_dict()["findings"] if "fix" not in f)
    with pytest.raises(NotFixable):
        fixes.apply(text, [unfixable])
    done = fixes.apply(text, [fid], expected_hash=report.proofread["text_sha256"])
    assert "receive" in done.text and "the the" in done.text
    assert [a["id"] for a in done.applied] == [fid]


def test_apply_fixes_skips_overlaps_and_keeps_order():
    text = "abcdef"
    out, applied, skipped = fixes.apply_fixes(
        text, [("a", Fix(0, 2, "X")), ("b", Fix(1, 3, "Y")), ("c", Fix(4, 6, ""))]
    )
    assert out == "Xcd" and applied == ["a", "c"] and skipped == ["b"]


def test_config_words_are_accepted_and_validated():
    text = "Hi Tom,\n\nThank you for the chat about the zorbling pipeline.\n\nAmy"
    assert "proofread.spelling" in rules(checker.check(text))
    config = Config.from_dict({"proofread": {"words": ["zorbling"]}})
    assert "proofread.spelling" not in rules(checker.check(text, config=config))
    for bad in (
        {"proofread": {"words": "zorbling"}},
        {"proofread": {"word": ["x"]}},
        {"proofread": {"words": [3]}},
        {"proofread": []},
    ):
        with pytest.raises(ConfigError, match=r"\[proofread\]"):
            Config.from_dict(bad)


def test_rule_turned_off_never_loads_the_dictionary_for_it():
    config = Config.from_dict({"rules": {"proofread.spelling": False}})
    text = "Hi Tom,\n\nThank you for the chat. I recieve it.\n\nAmy"
    assert "proofread.spelling" not in rules(checker.check(text, config=config))


def test_speller_accepts_both_varieties_and_tags_them():
    from checker.checks.proofread.speller import get_speller

    sp = get_speller()
    for word in ("colour", "color", "organise", "organize", "centre", "center", "travelled"):
        assert sp.known(word), word
    assert sp.variant("colour") == "uk" and sp.variant("color") == "us"
    assert sp.variant("organize") is None  # Oxford British English uses -ize too
    assert not sp.known("recieve") and sp.correct("recieve", 20, 8).word == "receive"
    assert sp.known("café") and sp.known("Onboarding") and sp.known("unshelled")  # a rare form
    assert sp.common("interview") and not sp.common("unshelled")


def test_binary_search_finds_every_line_and_nothing_else():
    from checker.checks.proofread.speller import Speller

    words = "aa\nab\nb\nba\nzz\n\nab\nzz\n\nthe\n\ncafé\n\ncolor\n\ncolour".encode()
    sp = Speller(words, counts=lambda: "about\n\nthe 5\nab 3\nzz 2")
    for w in ("aa", "ab", "b", "ba", "zz", "the", "café"):
        assert sp.known(w), w
    for w in ("a", "abc", "bb", "z", "zzz", "", "naïve", "th"):
        assert not sp.known(w), w
    assert sp.common("ab") and sp.common("the") and not sp.common("aa")
    assert sp.variant("colour") == "uk" and sp.count("ab") == 3 and sp.count("ba") == 1


# ---- the CLI ----------------------------------------------------------------------------


def test_cli_fix_rewrites_the_file_and_reports_what_is_left(tmp_path, capsys):
    from checker.cli import main

    note = tmp_path / "note.txt"
    note.write_text(
        "Hi Tom,\n\nThank you for the the chat!!! I recieve the plan tomorow.\n\nAmy\n",
        encoding="utf-8",
    )
    code = main(["check", "--fix", "--fail-on", "never", "--color", "never", str(note)])
    out, err = capsys.readouterr()
    assert code == 0
    assert note.read_text(encoding="utf-8") == (
        "Hi Tom,\n\nThank you for the chat! I receive the plan tomorrow.\n\nAmy\n"
    )
    assert "4 fixed" in err and 'fixed proofread.spelling (Spelling): "recieve" -> "receive"' in err
    assert "proofread." not in out and "revise" in out or "ready" in out


def test_cli_fix_stdin_prints_the_fixed_draft(monkeypatch, capsys):
    import io

    from checker.cli import main

    class _Stdin:
        buffer = io.BytesIO(b"Hi Tom,\n\nthx for the the chat.\n\nAmy\n")

    monkeypatch.setattr(sys, "stdin", _Stdin)
    code = main(["check", "--fix", "--fail-on", "never", "-"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == "Hi Tom,\n\nThanks for the chat.\n\nAmy\n"
    assert "2 fixed" in err


def test_cli_person_option(capsys):
    import tempfile
    from pathlib import Path

    from checker.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "n.txt"
        p.write_text(
            "Dear Ms. Whitfeld,\n\nThank you for the interview.\n\nSam\n", encoding="utf-8"
        )
        main(
            [
                "check",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--person",
                "Dana Whitfield",
                str(p),
            ]
        )
    out, _ = capsys.readouterr()
    assert '"proofread.name_mismatch"' in out and '"replacement": "Whitfield"' in out


# ---- the web ----------------------------------------------------------------------------


TYPO = "Dear Ms. Lee,\n\nThank you for the the interview. I recieve the plan tomorow.\n\nBest regards,\nSam"


def test_api_apply_returns_the_new_text_and_report(client):
    d = client.post("/api/v1/check", json={"text": TYPO}).get_json()
    ids = [f["id"] for f in d["findings"] if "fix" in f]
    r = client.post(
        "/api/v1/check", json={"text": TYPO, "apply": ids, "hash": d["proofread"]["text_sha256"]}
    )
    assert r.status_code == 200
    body = r.get_json()
    assert body["text"] == TYPO.replace("the the", "the").replace("recieve", "receive").replace(
        "tomorow", "tomorrow"
    )
    assert body["report"]["schema"] == "followup-checker/report/1"
    assert {a["id"] for a in body["applied"]} == set(ids) and body["skipped"] == []
    assert not [f for f in body["report"]["findings"] if f["rule"].startswith("proofread.")]


def test_api_apply_refuses_a_changed_draft(client):
    d = client.post("/api/v1/check", json={"text": TYPO}).get_json()
    ids = [f["id"] for f in d["findings"] if "fix" in f]
    r = client.post(
        "/api/v1/check",
        json={"text": TYPO + "\nP.S. hi", "apply": ids, "hash": d["proofread"]["text_sha256"]},
    )
    assert r.status_code == 409 and "changed" in r.get_json()["error"]
    r = client.post("/api/v1/check", json={"text": TYPO, "apply": "all"})
    assert r.status_code == 400


def _csrf(client):
    html = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_page_offers_apply_and_apply_all(client):
    token = _csrf(client)
    html = client.post(
        "/check", data={"csrf_token": token, "text": TYPO, "kind": "auto", "company": ""}
    ).get_data(as_text=True)
    assert "Apply all 3 fixes" in html and 'formaction="/check/apply"' in html
    assert html.count('class="apply small"') == 3
    digest = re.search(r'name="hash" form="check-form" value="([0-9a-f]+)"', html).group(1)
    one = re.search(r'name="apply" value="(proofread\.spelling:[0-9-]+)"', html).group(1)

    def apply(text, which):
        form = {"text": text, "kind": "auto", "company": "", "hash": digest, "apply": which}
        return client.post("/check/apply", data={"csrf_token": token, **form})

    r = apply(TYPO, one)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Applied 1 fix." in page and "I receive the plan" in page
    r = apply(TYPO, "all")
    page = r.get_data(as_text=True)
    assert "Applied 3 fixes." in page and "tomorrow." in page
    r = apply(TYPO + " More.", "all")
    assert r.status_code == 409 and "changed since" in r.get_data(as_text=True)


# ---- every fix keeps the offsets valid ------------------------------------------------------

BASE = (
    "Dear Ms. Whitfield,\n\nThank you for meeting with me on Monday about the analyst role at "
    "Globex. I enjoyed hearing how your team plans its quarter and their new office. It is "
    "more exciting than I expected. I would be glad to send samples of my reports and to "
    "receive any questions tomorrow.\n\nBest regards,\nSam Okafor"
)
SLIPS = [
    ("Whitfield", "Whitfeld"),
    ("at Globex", "at Initech"),
    ("your team", "you're team"),
    ("its quarter", "it's quarter"),
    ("their new", "there new"),
    ("than I", "then I"),
    ("receive", "recieve"),
    ("tomorrow", "tomorow"),
    ("samples", "smaples"),
    ("the analyst", "the the analyst"),
    ("expected.", "expected!!!"),
    ("I would", "Im sure I would"),
    ("for meeting", "thx for meeting"),
    ("glad", "gald"),
    ("questions", "quesitons"),
]


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(range(len(SLIPS))), min_size=1, max_size=6, unique=True))
def test_applying_every_fix_leaves_nothing_it_meant_to_remove(log, picks):
    text = BASE
    for k in picks:
        old, new = SLIPS[k]
        text = text.replace(old, new, 1)
    report = checker.check(text, to="Globex", db=log)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)
        if f.fix:
            assert 0 <= f.fix.start <= f.fix.end <= len(text)
    result = fixes.apply(text, None, to="Globex", db=log)
    assert not result.skipped
    after = result.report
    for f in after.findings:  # the new report's offsets are valid for the new text
        assert 0 <= f.start <= f.end <= len(result.text)
    # No finding a fix was meant to remove is left: the same rule on the replaced words.
    shift = 0
    spans = []
    for a in sorted(result.applied, key=lambda a: a["start"]):
        start = a["start"] + shift
        spans.append((a["rule"], start, start + len(a["replacement"])))
        shift += len(a["replacement"]) - (a["end"] - a["start"])
    for rule, s, e in spans:
        left = [
            f
            for f in after.findings
            if f.rule == rule and f.start <= e and s <= f.end and f.fix is not None
        ]
        assert not left, (rule, result.text[s:e], left)


def test_a_changed_log_is_read_again(log):
    text = "Dear Ms. Whitfeld,\n\nThank you for the interview.\n\nBest regards,\nSam"
    assert "proofread.name_mismatch" in rules(checker.check(text, to="Globex", db=log))
    conn = connect(log)
    add_employer(conn, "Globex", person="Pat Whitfeld")
    conn.close()
    assert "proofread.name_mismatch" not in rules(checker.check(text, to="Globex", db=log))


def test_spelling_fixes_only_for_slips_of_the_fingers():
    from checker.checks.proofread.speller import get_speller, slip

    assert slip("recieve", "receive") and slip("keeen", "keen") and slip("woek", "work")
    assert not slip("lookbook", "cookbook") and not slip("casitas", "caritas")
    assert not get_speller().correct("lookbook", 100.0, 8).confident


def test_your_after_a_preposition_is_you():
    text = (
        "Dear Ms. Lee,\n\nThanks for the chance to meet with your in person.\n\nBest regards,\nSam"
    )
    (f,) = [f for f in checker.check(text).findings if f.rule == "proofread.confusable"]
    assert f.fix.replacement == "you"


def test_cli_fix_refuses_an_html_draft(tmp_path, capsys):
    from checker.cli import main

    note = tmp_path / "note.html"
    html = "<p>Dear Ms. Lee,</p><p>Thank you for the the interview.</p><p>Best,<br>Sam</p>"
    note.write_text(html, encoding="utf-8")
    assert main(["check", "--fix", str(note)]) == 2
    assert "plain-text" in capsys.readouterr().err
    assert note.read_text(encoding="utf-8") == html

"""``followup batch``: every input form through the checker, every output form, bad rows,
exit codes, CSV round trip.  Assertions are about the batch contract, not about what each
check finds (the checks have their own tests)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_docx

from checker.batch import COLUMNS, Summary, facts, process
from checker.batch.readers import Item, iter_inputs
from checker.cli import main

FIX = Path(__file__).parent / "fixtures" / "batch"
ROOT = Path(__file__).resolve().parents[1]

GOOD = (
    "Dear Ms. Lee,\n\nThank you for your time today. I enjoyed meeting the team and learning "
    "about the mentoring programme. I would be glad to send references.\n\nBest regards,\nSam"
)

CHECK_NAMES = ("length", "elements", "desperation", "politeness", "hygiene", "frequency", "input")
ALL_OFF = "[rules]\n" + "".join(f'"{c}" = false\n' for c in CHECK_NAMES)
ONLY_LENGTH = "[rules]\n" + "".join(f'"{c}" = {str(c == "length").lower()}\n' for c in CHECK_NAMES)
LONG = (
    "Dear Ms. Lee,\n\nThank you for taking the time to meet with me on Tuesday about the analyst "
    "role. I enjoyed learning how your team uses customer research to shape the roadmap, and "
    "our conversation made me even more excited about the position. If there is anything else "
    "I can provide, such as work samples or references, please let me know. I will give you a "
    "call next Friday.\n\nBest regards,\nSam Patel"
)
SHORT_IS_ERROR = '[severity]\n"length.too_short" = "error"\n'


@pytest.fixture
def cfg(tmp_path):
    def write(text: str) -> str:
        p = tmp_path / f"cfg{abs(hash(text))}.toml"
        p.write_text(text, encoding="utf-8")
        return str(p)

    return write


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["batch", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# -- the runner ------------------------------------------------------------------------------


def test_results_keep_input_order_with_bad_items_between():
    items = [
        Item("bad0", error="nope"),
        Item("a", GOOD),
        Item("bad1", error="no"),
        Item("bad2", error="no"),
        Item("b", GOOD + " Thanks again."),
        Item("empty", "  \n"),
        Item("k", GOOD, kind="letter"),
        Item("c", GOOD, kind="Follow-up"),
        Item("bad3", error="no"),
    ]
    results = list(process(iter(items)))
    assert [r.id for r in results] == [it.id for it in items]
    ok = {r.id: r for r in results if r.ok}
    assert set(ok) == {"a", "b", "c"}
    assert ok["c"].report.kind == "follow_up"
    bad = {r.id: r.error for r in results if not r.ok}
    assert bad["empty"].startswith("empty draft")
    assert "unknown kind 'letter'" in bad["k"]


@pytest.fixture
def exploding_check(monkeypatch):
    """The length check raises ZeroDivisionError("boom") on a draft containing EXPLODE."""
    import checker.checks.length.check as length

    real = length.run

    def flaky(ctx):
        if "EXPLODE" in ctx.text:
            raise ZeroDivisionError("boom")
        return real(ctx)

    monkeypatch.setattr(length, "run", flaky)


def test_a_check_that_raises_fails_one_draft_only(exploding_check):
    items = [Item(i, GOOD + (" EXPLODE" if i in (2, 5) else "")) for i in range(8)]
    results = list(process(items, batch_size=2))
    assert [r.id for r in results] == list(range(8))
    assert [r.ok for r in results] == [i not in (2, 5) for i in range(8)]
    assert results[2].error == "internal error while checking: ZeroDivisionError: boom"


@pytest.mark.slow
def test_parallel_mode_keeps_order_and_reports_a_failing_draft(monkeypatch, exploding_check):
    import multiprocessing

    from checker.batch import runner

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork to carry the patched check into the workers")
    monkeypatch.setattr(runner, "CHUNK", 3)  # several chunks in flight
    items = [Item(i, GOOD + (" EXPLODE" if i in (2, 7) else "")) for i in range(10)]
    items.insert(4, Item("bad", error="unreadable"))
    items += [Item("x", error="a"), Item("y", error="b"), Item("z", error="c")]  # an all-bad chunk
    results = list(process(items, jobs=2))
    assert [r.id for r in results] == [it.id for it in items]
    assert [r.id for r in results if not r.ok] == [2, "bad", 7, "x", "y", "z"]
    assert results[2].error == "internal error while checking: ZeroDivisionError: boom"
    ok = [r for r in results if r.ok]
    assert all(r.data()["schema"] and r.text.startswith("Dear Ms. Lee") for r in ok)


def test_kind_option_applies_when_the_item_has_none():
    items = [Item("a", GOOD), Item("b", GOOD, kind="thank_you")]
    kinds = [r.report.kind for r in process(items, kind="follow_up")]
    assert kinds == ["follow_up", "thank_you"]


# -- output forms ----------------------------------------------------------------------------


def test_jsonl_output_is_the_report_json_plus_id(capsys):
    code, out, err = run_cli(capsys, str(FIX / "drafts.jsonl"), "--format", "jsonl")
    rows = jsonl(out)
    assert [r["id"] for r in rows] == [
        "s1",
        "s2",
        "s3",
        "s4",
        f"{FIX / 'drafts.jsonl'}:5",
        5,
        f"{FIX / 'drafts.jsonl'}:7",
        "s7",
    ]
    for r in rows:
        assert next(iter(r)) == "id"  # "id" comes first
    good = [r for r in rows if "error" not in r]
    assert [r["id"] for r in good] == ["s1", "s2", 5]
    for r in good:
        assert r["schema"] == "followup-checker/report/1"
        assert r["verdict"] in ("ready", "revise") and "findings" in r and "counts" in r
    bad = {str(r["id"]): r["error"] for r in rows if "error" in r}
    assert bad["s3"].startswith("empty draft") and "unknown kind" in bad["s4"]
    assert 'no "text" field' in bad["s7"]
    assert sum("malformed" in e for e in bad.values()) == 3
    assert code == 3  # some inputs unreadable
    assert "8 drafts" in err


def test_jsonl_report_equals_check_of_the_same_text(capsys):
    import checker

    code, out, _ = run_cli(capsys, str(FIX / "class" / "alex.txt"))
    (row,) = jsonl(out)
    text = (FIX / "class" / "alex.txt").read_text(encoding="utf-8")
    assert row == {"id": "alex", **checker.check(text).to_dict()}


def test_every_input_form_in_one_run(tmp_path, capsys):
    folder = tmp_path / "class"
    shutil.copytree(FIX / "class", folder)
    make_docx(
        folder / "ivy.docx",
        ["Dear Ms. Stone,", "Thank you for your time on Monday.", "Best regards,", "Ivy Chen"],
    )
    code, out, _ = run_cli(
        capsys, str(folder), str(FIX / "drafts.csv"), str(FIX / "drafts.jsonl"), "--quiet"
    )
    rows = jsonl(out)
    ids = [str(r["id"]) for r in rows]
    assert ids[:9] == ["alex", "bea", "chris", "dana", "eli", "fay", "gus", "hana", "ivy"]
    assert ids[9:13] == ["Ana Ruiz", "Ben, Jr.", "Cleo", "=HYPERLINK(1)"]
    by = {str(r["id"]): r for r in rows}
    for checked in ("alex", "bea", "chris", "dana", "ivy", "Ana Ruiz", "Ben, Jr.", "s1"):
        assert "error" not in by[checked], by[checked]
    for bad, why in (
        ("eli", "not UTF-8"),
        ("fay", "binary"),
        ("gus", "empty"),
        ("hana", "unsupported"),
        ("Cleo", "empty"),
    ):
        assert why in by[bad]["error"]
    # the HTML e-mail body was stripped; offsets refer to the plain text
    assert "<p>" not in json.dumps(by["dana"].get("findings"))
    assert code == 3


def test_csv_gradebook_round_trip(tmp_path, capsys):
    out_path = tmp_path / "grades.csv"
    code, out, err = run_cli(
        capsys, str(FIX / "drafts.jsonl"), str(FIX / "drafts.csv"), "--out", str(out_path)
    )  # format from the suffix
    assert out == "" and str(out_path) in err and code == 3
    raw = out_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so spreadsheets read UTF-8
    with open(out_path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == COLUMNS
    # one row per student, in input order, unreadable inputs included with the reason
    assert [r["id"] for r in rows][:4] == ["s1", "s2", "s3", "s4"]
    assert [r["id"] for r in rows][-4:] == ["Ana Ruiz", "Ben, Jr.", "Cleo", "'=HYPERLINK(1)"]
    status = {r["id"]: (r["status"], r["error"]) for r in rows}
    assert status["s3"][0] == "unreadable" and status["s3"][1].startswith("empty draft")
    assert status["s1"] == ("checked", "")
    # the values are the report's, read back
    reports = {
        str(r["id"]): r for r in jsonl(_jsonl_of(capsys, FIX / "drafts.jsonl", FIX / "drafts.csv"))
    }
    for row in rows:
        if row["status"] != "checked":
            continue
        f = facts(reports[row["id"].lstrip("'")])
        assert row["verdict"] == f["verdict"] and row["kind"] == f["kind"]
        assert int(row["errors"]) == f["errors"] and int(row["warnings"]) == f["warnings"]
        assert int(row["findings"]) == f["findings"]
        if f["words"] is not None:
            assert float(row["words"]) == f["words"] and float(row["grade"]) == pytest.approx(
                f["grade"]
            )
        for key in ("thanks", "enjoyed", "offer_info", "call_heads_up"):
            assert row[key] == ("" if f[key] is None else str(int(f[key])))
        rules = {x["rule"] for x in reports[row["id"].lstrip("'")]["findings"]}
        assert set(row["rules"].split()) == rules
    # and the gradebook itself reads back as a CSV of drafts' ids (no text column: refused)
    (item,) = iter_inputs([str(out_path)])
    assert "CSV without the needed columns" in item.error


def _jsonl_of(capsys, *paths) -> str:
    main(["batch", *map(str, paths), "--quiet"])
    return capsys.readouterr().out


def test_csv_input_round_trips_through_jsonl_ids(tmp_path, capsys):
    """A CSV written with awkward cells (quotes, commas, newlines, unicode) reads back exactly."""
    drafts = {
        "Zoë \"Z\" O'Neil": GOOD.replace("Sam", "Zoë"),
        "Li, Wei": GOOD + "\n\n\u8c22\u8c22",
        "Ola": GOOD.replace("\n", "\r\n"),
    }
    path = tmp_path / "in.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "text"])
        for k, v in drafts.items():
            w.writerow([k, v])
    code, out, _ = run_cli(capsys, str(path), "--quiet")
    rows = jsonl(out)
    assert [r["id"] for r in rows] == list(drafts)
    import checker

    for r in rows:
        text = drafts[r["id"]].replace("\r\n", "\n")
        assert r["findings"] == checker.check(text).to_dict()["findings"]


def test_html_report(tmp_path, capsys):
    out_path = tmp_path / "class.html"
    code, _, _ = run_cli(
        capsys, str(FIX / "class"), str(FIX / "drafts.jsonl"), "--out", str(out_path), "--quiet"
    )
    html = out_path.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    # the roster first, then unreadable inputs, the (folded) cards, the class summary
    pos = [
        html.index(s) for s in ('id="roster"', 'id="unreadable"', 'id="students"', 'id="summary"')
    ]
    assert pos == sorted(pos)
    for heading in (
        "Missing elements",
        "Distributions",
        "Phrases in the students&rsquo; own words",
        "Drafts needing most attention",
    ):
        assert heading in html
    assert html.count('<details class="card"') == 4 + 3  # checked drafts
    roster = html.split('id="roster-table"', 1)[1].split("</table>", 1)[0]
    total = int(re.search(r'<p class="meta">([\d,]+) drafts', html).group(1))
    assert roster.count("<tr data-verdict=") == total  # every input, unreadable ones too
    assert roster.count('data-verdict="unreadable"') == html.count("Could not be read:")
    assert "<svg" in html and "@media print" in html
    # self-contained: no scripts, no external assets
    low = html.lower()
    assert "<script" not in low and "<link" not in low and "src=" not in low
    assert "http://" not in low.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in low
    assert "Content-Security-Policy" in html
    # unreadable inputs are listed with the reason
    assert "binary data, not text" in html and "unsupported file type .pdf" in html
    assert code == 3


def test_html_escapes_student_names_and_drafts(tmp_path, capsys):
    data = tmp_path / "x.jsonl"
    evil = "<script>alert(1)</script>"
    data.write_text(
        json.dumps({"id": evil, "text": GOOD + "\n" + evil})
        + "\n"
        + json.dumps({"id": "<img src=x>", "text": ""})
        + "\n",
        encoding="utf-8",
    )
    out_path = tmp_path / "r.html"
    run_cli(capsys, str(data), "--out", str(out_path), "--quiet")
    html = out_path.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_summary_memory_is_bounded():
    from checker.batch import summary as summ
    from checker.batch.runner import Result

    s = Summary()
    for i in range(summ.PHRASE_CAPACITY * 2 + 10):
        r = Result(Item(i))
        r._data = {
            "id": i,
            "verdict": "revise",
            "kind": "thank_you",
            "counts": {"error": i % 3},
            "desperation": {"level": "some", "signals": [{"text": f"phrase {i}"}]},
            "findings": [],
        }
        s.add(r)
    assert len(s.phrases) <= summ.PHRASE_CAPACITY
    assert len(s.attention()) == summ.TOP_ATTENTION
    assert s.checked == summ.PHRASE_CAPACITY * 2 + 10


def test_absent_sections_do_not_crash():
    f = facts({"verdict": "ready", "kind": "thank_you", "findings": [], "counts": {}})
    assert f["words"] is None and f["thanks"] is None and f["errors"] == 0
    from checker.batch.htmlreport import render_card, render_summary
    from checker.batch.runner import Result

    r = Result(Item("x"))
    r._data = {"id": "x", "verdict": "ready", "kind": "thank_you", "findings": [], "counts": {}}
    s = Summary()
    s.add(r)
    assert "Class summary" in render_summary(s)
    assert 'class="card"' in render_card(r, 1)


# -- exit codes and usage --------------------------------------------------------------------


def test_exit_0_when_all_good(tmp_path, capsys, cfg):
    p = tmp_path / "ok.jsonl"
    p.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, str(p), "--config", cfg(ALL_OFF))
    assert code == 0 and jsonl(out)[0]["counts"]["error"] == 0


def test_exit_1_when_a_draft_has_errors(tmp_path, capsys, cfg):
    p = tmp_path / "short.jsonl"
    p.write_text(
        json.dumps({"id": "a", "text": LONG})
        + "\n"
        + json.dumps({"id": "b", "text": "Dear Jo,\n\nThanks.\n\nAl"})
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, str(p), "--config", cfg(ONLY_LENGTH + SHORT_IS_ERROR))
    assert code == 1
    assert [r["counts"]["error"] > 0 for r in jsonl(out)] == [False, True]


def test_exit_3_beats_1(tmp_path, capsys, cfg):
    p = tmp_path / "mixed.jsonl"
    p.write_text(
        json.dumps({"id": "b", "text": "Dear Jo,\n\nThanks.\n\nAl"}) + "\n{oops\n", encoding="utf-8"
    )
    code, _, _ = run_cli(capsys, str(p), "--config", cfg(SHORT_IS_ERROR))
    assert code == 3


@pytest.mark.parametrize(
    "argv, message",
    [
        (["nowhere.jsonl"], "no such file or folder"),
        (["{fix}", "--jobs", "0"], "--jobs must be 1 or more"),
        (["{fix}", "--out", "/no/such/folder/x.csv"], "does not exist"),
        (["-", "-"], "only once"),
    ],
)
def test_usage_errors_exit_2(capsys, argv, message):
    argv = [a.replace("{fix}", str(FIX / "drafts.jsonl")) for a in argv]
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and message in err and out == ""


def test_bad_format_is_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(FIX / "drafts.jsonl"), "--format", "pdf"])
    assert exc.value.code == 2


def test_out_is_written_atomically_and_not_read_as_input(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "amy.txt").write_text(GOOD, encoding="utf-8")
    out_path = folder / "report.jsonl"
    run_cli(capsys, str(folder), "--out", str(out_path), "--quiet")
    rows = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["amy"]
    run_cli(capsys, str(folder), "--out", str(out_path), "--quiet")  # again: still only amy
    assert [
        json.loads(line)["id"] for line in out_path.read_text(encoding="utf-8").splitlines()
    ] == ["amy"]
    assert not [p for p in os.listdir(folder) if p.startswith(".followup-batch-")]


# -- the evaluation contract, as a real process -------------------------------------------------


def _followup() -> list[str]:
    exe = Path(sys.executable).with_name("followup")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "checker.cli"]


def test_contract_followup_batch_jsonl_to_stdout(tmp_path):
    drafts = tmp_path / "drafts.jsonl"
    shutil.copy(FIX / "drafts.jsonl", drafts)
    proc = subprocess.run(
        _followup() + ["batch", "drafts.jsonl", "--format", "jsonl"],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 3, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(rows) == 8 and all("id" in r for r in rows)
    assert all(("error" in r) != ("schema" in r) for r in rows)
    assert b"\x1b[" not in proc.stderr  # no progress bar when stderr is not a terminal


def test_stdin_jsonl(tmp_path):
    line = json.dumps({"id": "in", "text": GOOD}) + "\n"
    proc = subprocess.run(
        _followup() + ["batch", "-", "--quiet"],
        input=line.encode(),
        capture_output=True,
        timeout=300,
    )
    assert proc.stderr == b""
    (row,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert row["id"] == "in" and row["schema"]


@pytest.mark.slow
def test_jobs_2_gives_the_same_report(capsys):
    _, one, _ = run_cli(capsys, str(FIX / "drafts.jsonl"), str(FIX / "class"), "--quiet")
    _, two, _ = run_cli(
        capsys, str(FIX / "drafts.jsonl"), str(FIX / "class"), "--quiet", "--jobs", "2"
    )
    assert jsonl(one) == jsonl(two)

"""``followup log ...`` and ``followup next`` through ``checker.cli.main`` (in-process)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from checker.cli import main
from checker.contacts import db


def log_acme(run, dbp: str, kind: str, day: str, *more: str):
    """``followup log add`` of a ``kind`` event with Acme on ``day``."""
    return run("log", "add", "--db", dbp, "--to", "Acme", "--kind", kind, "--date", day, *more)


def log_interview(run, dbp: str, day: str, *more: str):
    """``followup log add`` of an in-person interview at Acme on ``day``."""
    return log_acme(
        run, dbp, "interview", day, "--channel", "in_person", "--direction", "received", *more
    )


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "env" / "contacts.db"))
    monkeypatch.chdir(tmp_path)  # no project config is discovered

    def _run(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_add_list_next_rm(run, tmp_path):
    dbp = str(tmp_path / "c.db")
    code, out, _ = run(
        "log",
        "add",
        "--to",
        "Acme",
        "--kind",
        "interview",
        "--channel",
        "in_person",
        "--direction",
        "received",
        "--date",
        "2026-11-16",
        "--style",
        "traditional",
        "--person",
        "Ms Lee",
        "--db",
        dbp,
    )
    assert (
        code == 0 and out.strip() == "logged #1: received interview (in person) with Acme on 16 Nov"
    )
    code, out, _ = run("next", "--to", "acme", "--today", "2026-11-17", "--db", dbp)
    assert code == 0 and out.startswith("Acme: Send a thank-you note by 19 Nov")
    assert "handwritten note, mailed, is best" in out
    run(
        "log",
        "--db",
        dbp,
        "add",
        "--to",
        "Acme",
        "--kind",
        "thank_you",
        "--channel",
        "letter",
        "--date",
        "17 Nov 2026",
        "--announced-call",
        "2026-11-27",
    )
    code, out, _ = run("next", "--to", "Acme", "--today", "2026-11-18", "--db", dbp)
    assert out.strip() == "Acme: Call once, on or after 27 Nov; your note announced it."
    code, out, _ = run(
        "next", "--to", "Acme", "--today", "2026-11-18", "--db", dbp, "--format", "json"
    )
    step = json.loads(out)
    assert step["action"] == "call" and step["earliest"] == "2026-11-27"
    code, out, _ = run("log", "list", "--db", dbp, "--to", "ACME")
    assert out.splitlines()[0].split() == [
        "ID",
        "DATE",
        "COMPANY",
        "CHANNEL",
        "DIR",
        "KIND",
        "NOTE",
    ]
    assert "[call announced: 27 Nov]" in out
    code, out, _ = run("log", "rm", "1", "--db", dbp)
    assert code == 0 and out.startswith("deleted #1: received interview (in person)")
    code, _, err = run("log", "rm", "1", "--db", dbp)
    assert (
        code == 2
        and err.strip() == "followup log: error: no event #1 in the log (see followup log list)"
    )


def test_default_db_is_followup_db_env(run, tmp_path):
    run("log", "add", "--to", "Acme", "--kind", "other")
    assert (tmp_path / "env" / "contacts.db").exists()
    code, out, _ = run("log", "list", "--format", "json")
    (ev,) = json.loads(out)
    assert ev["date"] == dt.date.today().isoformat() and ev["direction"] == "sent"


def test_employer_details(run, tmp_path):
    code, out, _ = run(
        "log", "employer", "--to", "Acme", "--style", "modern", "--decision-by", "2026-12-10"
    )
    assert code == 0 and out.strip() == "Acme: style modern, decision date 2026-12-10"


def test_import_export(run, tmp_path):
    csvp = tmp_path / "in.csv"
    csvp.write_text(
        "date,company,channel,direction,kind,note\n"
        "2026-11-16,Initech,in_person,received,interview,panel\n"
        "2026-11-17,Initech,email,sent,thank_you,\n",
        encoding="utf-8",
    )
    code, out, _ = run("log", "import", str(csvp))
    assert code == 0 and out.strip() == "imported 2 events for 1 employer"
    code, out, _ = run("log", "import", str(csvp))
    assert out.strip() == "imported 0 events for 1 employer (2 already in the log, skipped)"
    code, out, _ = run("log", "export")
    assert out.splitlines() == [
        "date,company,channel,direction,kind,note,announced_call",
        "2026-11-16,Initech,in_person,received,interview,panel,",
        "2026-11-17,Initech,email,sent,thank_you,,",
    ]
    code, out, _ = run("log", "export", "--format", "json")
    assert len(json.loads(out)["events"]) == 2


def test_import_rejects_with_lines_and_changes_nothing(run, tmp_path):
    csvp = tmp_path / "bad.csv"
    csvp.write_text(
        "date,company,channel,direction,kind\n"
        + "".join(f"0{m}/0{m + 1}/2026,A,email,sent,other\n" for m in range(1, 6)),
        encoding="utf-8",
    )
    code, out, err = run("log", "import", str(csvp))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("  line 2: ambiguous date '01/02/2026'")
    assert lines[-1].startswith(
        f"followup log: error: {csvp}: import rejected, nothing was written"
    )
    assert (
        not (tmp_path / "env" / "contacts.db").exists()
        or db.count_events(db.connect(tmp_path / "env" / "contacts.db")) == 0
    )
    code, out, _ = run("log", "import", str(csvp), "--date-format", "%m/%d/%Y")
    assert code == 0 and out.startswith("imported 5 events")


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["log"], "say what to do"),
        (
            ["log", "add", "--to", "A", "--kind", "other", "--date", "03/04/2026"],
            "--date: ambiguous date",
        ),
        (["log", "add", "--to", "  ", "--kind", "other"], "--to: enter the employer's name"),
        (
            ["log", "add", "--to", "A", "--kind", "other", "--announced-call", "soon"],
            "--announced-call: cannot read the date 'soon'",
        ),
        (["log", "rm", "abc"], "event id must be a number"),
        (["log", "import", "nope.csv"], "nope.csv: no such file"),
        (["next", "--today", "soon"], "--today: cannot read the date"),
    ],
)
def test_usage_errors_are_one_line_exit_2(run, argv, fragment):
    code, out, err = run(*argv)
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_corrupt_db_is_one_line_and_untouched(run, tmp_path):
    p = tmp_path / "bad.db"
    p.write_bytes(b"\x00garbage" * 512)
    for argv in (
        ["log", "list"],
        ["log", "add", "--to", "A", "--kind", "other"],
        ["log", "export"],
        ["next", "--to", "A"],
        ["log", "import", str(p)],
    ):
        code, out, err = run(*argv, "--db", str(p))
        assert code == 2 and len(err.strip().splitlines()) == 1, (argv, err)
        assert "Traceback" not in err
    assert p.read_bytes() == b"\x00garbage" * 512


def test_reading_commands_do_not_create_the_db(run, tmp_path):
    for argv in (["log", "list"], ["log", "export"], ["next"], ["next", "--to", "Acme"]):
        code, _, _ = run(*argv)
        assert code == 0
    assert not (tmp_path / "env").exists()


def test_add_notes_what_the_policy_says(run, tmp_path):
    dbp = str(tmp_path / "c.db")
    log_interview(run, dbp, "2026-11-16")
    log_acme(run, dbp, "thank_you", "2026-11-17")
    code, out, err = log_acme(run, dbp, "follow_up", "2026-11-19", "--channel", "call")
    assert code == 0 and out.startswith("logged #3")
    assert err.strip() == (
        "followup log: note: too soon: your note went out 2 days ago; wait until 24 Nov"
    )
    code, out, err = log_acme(run, dbp, "follow_up", "2026-12-01", "--channel", "call")
    assert "you already called once, on 19 Nov" in err


def test_add_with_a_config_it_cannot_use_logs_and_says_so(run, tmp_path):
    (tmp_path / ".followup.toml").write_text("[cadence]\nmax_calls = 0\n", encoding="utf-8")
    dbp = str(tmp_path / "c.db")
    log_interview(run, dbp, "2026-11-16")
    code, out, err = log_acme(run, dbp, "thank_you", "2026-11-17")
    assert code == 0 and out.startswith("logged #2: sent thank-you note")
    assert err.strip() == (
        f"followup log: note: {tmp_path / '.followup.toml'}: [cadence] "
        "max_calls must be at least 1; judged with the packaged cadence policy"
    )


def test_next_mentions_the_decision_date(run, tmp_path):
    dbp = str(tmp_path / "c.db")
    log_interview(run, dbp, "2026-11-16", "--decision-by", "2026-11-27")
    log_acme(run, dbp, "thank_you", "2026-11-17")
    code, out, _ = run("next", "--db", dbp, "--to", "Acme", "--today", "2026-11-18")
    assert out.strip() == (
        "Acme: Send one short follow-up email on or after 30 Nov (your note "
        "did not announce a call, so email rather than phone); they said "
        "they would decide by 27 Nov."
    )


def test_log_employer_role(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("followup"))
    db_path = str(tmp_path / "log.db")
    out = subprocess.run(
        [
            exe,
            "log",
            "employer",
            "--db",
            db_path,
            "--to",
            "Globex",
            "--person",
            "Dana Whitfield",
            "--role",
            "Data Analyst",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "role Data Analyst" in out.stdout and "person Dana Whitfield" in out.stdout


# -- control characters from imported notes --------------------------------------------------

HOSTILE = "retitle \x1b]0;pwned\x07 clear \x1b[2J csi \x9b31m done"


def _hostile_log(run, tmp_path):
    dbp = str(tmp_path / "c.db")
    src = tmp_path / "in.csv"
    src.write_text(
        "date,company,channel,direction,kind,note\n"
        f'2026-11-17,Acme\x1b[5m,email,sent,thank_you,"{HOSTILE}"\n',
        encoding="utf-8",
    )
    code, _, err = run("log", "--db", dbp, "import", str(src))
    assert code == 0, err
    return dbp


def test_log_list_shows_control_characters_as_escapes(run, tmp_path):
    dbp = _hostile_log(run, tmp_path)
    code, out, _ = run("log", "--db", dbp, "list")
    assert code == 0
    assert not any(c in out for c in "\x1b\x07\x9b")
    assert r"retitle \x1b]0;pwned\x07 clear \x1b[2J csi \x9b31m done" in out
    assert r"Acme\x1b[5m" in out
    code, out, _ = run("log", "--db", dbp, "list", "--format", "json")
    assert not any(c in out for c in "\x1b\x07\x9b")
    assert json.loads(out)[0]["note"] == HOSTILE  # the JSON still holds the data


def test_log_export_is_faithful_when_piped_and_escaped_on_a_terminal(run, tmp_path, monkeypatch):
    import io
    import sys

    from checker.contacts import csvio

    dbp = _hostile_log(run, tmp_path)
    code, out, _ = run("log", "--db", dbp, "export")  # captured: not a terminal
    assert code == 0 and HOSTILE in out  # imports back unchanged
    conn = db.connect(tmp_path / "again.db")
    csvio.import_csv(conn, io.StringIO(out, newline=""))
    assert [e.note for e in db.list_events(conn)] == [HOSTILE]
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    code, out, _ = run("log", "--db", dbp, "export")
    assert not any(c in out for c in "\x1b\x07\x9b") and r"\x1b]0;pwned\x07" in out
    code, out, _ = run("log", "--db", dbp, "export", "--format", "json")
    assert not any(c in out for c in "\x1b\x07\x9b")
    assert json.loads(out)["events"][0]["note"] == HOSTILE


def test_next_and_check_record_name_an_imported_company_safely(run, tmp_path):
    dbp = _hostile_log(run, tmp_path)
    code, out, _ = run("next", "--db", dbp)
    assert code == 0 and r"Acme\x1b[5m" in out
    assert not any(c in out for c in "\x1b\x07\x9b")
    code, out, _ = run("next", "--db", dbp, "--format", "json")
    assert code == 0 and not any(c in out for c in "\x1b\x9b")
    assert json.loads(out)[0]["company"] == "Acme\x1b[5m"  # the JSON still holds the name
    draft = tmp_path / "d.txt"
    draft.write_text(
        "Dear Ms. Lee,\n\nThank you for your time on Monday. I enjoyed learning about the team, "
        "and I am happy to send references.\n\nBest regards,\nSam",
        encoding="utf-8",
    )
    code, out, err = run(
        "check", "--db", dbp, "--to", "Acme\x1b[5m", "--record", "--fail-on", "never", str(draft)
    )
    assert "logged #" in err and r"Acme\x1b[5m" in err, err
    assert not any(c in out + err for c in "\x1b\x07\x9b")


def test_log_rm_and_employer_name_an_imported_company_safely(run, tmp_path):
    dbp = _hostile_log(run, tmp_path)
    code, out, _ = run("log", "--db", dbp, "employer", "--to", "Acme\x1b[5m", "--style", "modern")
    assert code == 0 and out.startswith(r"Acme\x1b[5m: style modern")
    code, out, _ = run("log", "--db", dbp, "rm", "1")
    assert code == 0 and r"with Acme\x1b[5m on" in out and "\x1b" not in out

"""The CLI's text report for people: wrapped to a terminal's width, whole when piped; right
plurals; the three-level verdict; rule labels next to ids; one date format; human labels."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from checker import termwrap
from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
NEEDY = ROOT / "data" / "examples" / "needy-follow-up.txt"
GOOD = ROOT / "data" / "examples" / "good-thank-you.txt"
FOLLOWUP = [sys.executable, "-m", "checker.cli"]


def test_wrap_folds_at_spaces_and_ignores_colour_codes():
    line = "note.txt:3:1: \x1b[33mwarning\x1b[0m " + "word " * 30
    parts = termwrap.wrap(line.strip(), 40, "    ")
    assert len(parts) > 2
    assert all(termwrap.visible(p) <= 40 for p in parts)
    assert all(p.startswith("    ") for p in parts[1:])
    # a word longer than the line is not broken
    assert termwrap.wrap("x" * 50, 40) == ["x" * 50]
    assert termwrap.wrap("short line", None) == ["short line"]


def test_check_wraps_to_the_terminal_width(capsys, monkeypatch):
    monkeypatch.setattr(termwrap, "width", lambda stream=None: 60)
    assert main(["check", "--color", "always", "--fail-on", "never", str(NEEDY)]) == 0
    out = capsys.readouterr().out
    assert max(termwrap.visible(line) for line in out.splitlines()) <= 60
    # the checklist folds between items, never inside one
    assert "[ ]\x1b[0m offer of more information" in out


def test_a_real_terminal_wraps_and_a_pipe_does_not(tmp_path):
    env = dict(os.environ, COLUMNS="72", LINES="40", NO_COLOR="1")
    leader, follower = pty.openpty()
    proc = subprocess.run(
        FOLLOWUP + ["check", "--fail-on", "never", str(NEEDY)],
        cwd=ROOT,
        env=env,
        stdout=follower,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    tty_lines = b"".join(chunks).decode().replace("\r\n", "\n").splitlines()
    assert proc.returncode == 0 and tty_lines
    assert max(len(line) for line in tty_lines) <= 72
    piped = subprocess.run(
        FOLLOWUP + ["check", "--fail-on", "never", str(NEEDY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert max(len(line) for line in piped.stdout.splitlines()) > 100  # one finding a line
    assert len(piped.stdout.splitlines()) < len(tty_lines)


@pytest.mark.parametrize(
    "text, counts",
    [
        (
            "Dear Ms. Lee,\n\nThank you for meeting with me today about the [Role] position. I "
            "enjoyed hearing about the team and the new clinic. Please let me know if I can send "
            "anything else, such as references. I will give you a call in a week or two to check "
            "in.\n\nBest regards,\nSam Okafor",
            "1 error, ",
        ),
    ],
)
def test_singular_counts_and_dont_send(capsys, tmp_path, text, counts):
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    code = main(["check", "--color", "never", str(path)])
    out = capsys.readouterr().out
    last = out.splitlines()[-1]
    assert code == 1 and last.startswith(f"{path}: don't send: {counts}"), last
    assert "1 errors" not in out and "1 warnings" not in out
    # the rule id comes with its plain label
    assert "hygiene.placeholder (Template placeholder left in)" in out


def test_good_note_reads_ready(capsys):
    assert main(["check", "--color", "never", str(GOOD)]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .endswith(": ready: 0 errors, 0 warnings, 0 suggestions")
    )

"""The pre-send CLI: linter lines, JSON, exit codes, bad input, golden output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
GOLDEN = Path(__file__).parent / "golden"
GOOD = EXAMPLES / "good-thank-you.txt"


def run_cli(capsys, *argv, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        import io

        class _Stdin:
            buffer = io.BytesIO(stdin)

        monkeypatch.setattr(sys, "stdin", _Stdin)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_golden_text_output(capsys, name):
    code, out, _ = run_cli(
        capsys, "check", "--color", "never", "--fail-on", "never", str(EXAMPLES / name)
    )
    out = out.replace(str(EXAMPLES) + os.sep, "")
    golden = GOLDEN / (name + ".out")
    if os.environ.get("FOLLOWUP_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with FOLLOWUP_UPDATE_GOLDEN=1"
    assert out == golden.read_text(encoding="utf-8")
    assert code == 0


def test_linter_line_format(capsys):
    code, out, _ = run_cli(
        capsys, "check", "--color", "never", str(EXAMPLES / "template-left-in.txt")
    )
    first = out.splitlines()[0]
    path, line, col, rest = first.split(":", 3)
    assert path.endswith("template-left-in.txt") and line.isdigit() and col.isdigit()
    severity, rule = rest.split()[:2]
    assert severity in ("error", "warning", "suggestion") and "." in rule
    assert code == 1  # placeholders are errors


def test_json_report_schema(capsys):
    code, out, _ = run_cli(capsys, "check", "--format", "json", str(GOOD))
    d = json.loads(out)
    assert d["schema"] == "followup-checker/report/1"
    assert d["verdict"] in ("ready", "revise") and d["kind"] in ("thank_you", "follow_up")
    assert set(d["length"]) >= {"words", "sentences", "grade", "verdict"}
    assert set(d["politeness"]) >= {"score", "label", "strategies"}
    assert set(d["desperation"]) >= {"detected", "level", "signals"}
    for name in ("thanks", "enjoyed", "offer_info", "call_heads_up"):
        assert "present" in d["elements"][name]
    text = GOOD.read_text(encoding="utf-8")
    for f in d["findings"]:
        assert set(f) >= {
            "rule",
            "category",
            "severity",
            "message",
            "start",
            "end",
            "line",
            "column",
            "suggestion",
        }
        assert text[f["start"] : f["end"]] == f["text"]
    for el in d["elements"].values():
        if el["present"]:
            assert text[el["start"] : el["end"]] == el["text"]
    assert code == 0


def test_exit_codes_follow_fail_on(capsys):
    needy = str(EXAMPLES / "needy-follow-up.txt")
    assert run_cli(capsys, "check", needy)[0] == 1
    assert run_cli(capsys, "check", "--fail-on", "never", needy)[0] == 0
    assert run_cli(capsys, "check", "--fail-on", "suggestion", str(GOOD))[0] in (0, 1)
    assert run_cli(capsys, "check", "--fail-on", "error", str(GOOD))[0] == 0


def test_stdin(capsys, monkeypatch):
    code, out, _ = run_cli(
        capsys, "check", "--format", "json", "-", monkeypatch=monkeypatch, stdin=GOOD.read_bytes()
    )
    assert json.loads(out)["elements"]["thanks"]["present"] is True
    assert code == 0


def test_any_input_error_a_command_lets_through_is_one_line_and_exit_2(capsys, monkeypatch):
    from checker.commands import rules
    from checker.errors import TooLong
    from checker.kinds import KindError

    for exc in (TooLong("draft too long: 9 characters"), KindError("unknown kind 'memo'")):

        def boom(args, exc=exc):
            raise exc

        monkeypatch.setattr(rules, "run", boom)
        code, out, err = run_cli(capsys, "rules")
        assert (code, out) == (2, "") and err == f"followup rules: error: {exc}\n"


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"", "empty"),
        (b"   \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 th\u00e9".encode("latin-1"), "not UTF-8"),
        (b"Thank you. " * 3000, "too long"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, monkeypatch, data, needle):
    code, out, err = run_cli(capsys, "check", "-", monkeypatch=monkeypatch, stdin=data)
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_file_and_folder(capsys, tmp_path):
    code, _, err = run_cli(capsys, "check", str(tmp_path / "nope.txt"))
    assert code == 2 and "no such file" in err
    code, _, err = run_cli(capsys, "check", str(tmp_path))
    assert code == 2 and "folder" in err


def test_html_body_is_stripped(capsys, tmp_path):
    page = tmp_path / "mail.html"
    page.write_text(
        "<html><body><p>Dear Ms. Lee,</p><p>Thank you for your time on "
        "Monday &amp; for the tour.</p><p>Best,<br>Amy</p></body></html>",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "check", "--format", "json", str(page))
    d = json.loads(out)
    assert d["source"]["html"] is True
    plain = d["source"]["text"]
    assert "<p>" not in plain and "& for the tour" in plain
    assert d["elements"]["thanks"]["present"]
    for f in d["findings"]:
        assert plain[f["start"] : f["end"]] == f["text"]


def test_bad_config_is_usage_error(capsys, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[severity]\n'elements' = 'fatal'\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", "--config", str(cfg), str(GOOD))
    assert code == 2 and "severity" in err
    cfg.write_text("not = [toml", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", "--config", str(cfg), str(GOOD))
    assert code == 2 and "invalid TOML" in err


def test_config_turns_rules_off_and_changes_severity(capsys, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[rules]\n"hygiene" = false\n[severity]\n"elements.call_heads_up" = "error"\n',
        encoding="utf-8",
    )
    code, out, _ = run_cli(
        capsys,
        "check",
        "--format",
        "json",
        "--config",
        str(cfg),
        str(EXAMPLES / "template-left-in.txt"),
    )
    d = json.loads(out)
    rules = {f["rule"]: f["severity"] for f in d["findings"]}
    assert not any(r.startswith("hygiene.") for r in rules)
    assert rules["elements.call_heads_up"] == "error"
    assert code == 1


def test_colour_only_when_asked(capsys):
    _, out, _ = run_cli(
        capsys, "check", "--fail-on", "never", str(EXAMPLES / "needy-follow-up.txt")
    )
    assert "\033[" not in out  # captured output is not a terminal
    _, out, _ = run_cli(
        capsys,
        "check",
        "--color",
        "always",
        "--fail-on",
        "never",
        str(EXAMPLES / "needy-follow-up.txt"),
    )
    assert "\033[" in out


def test_usage_errors_exit_2():
    proc = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", "--format", "yaml"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_rules_command_lists_catalogue(capsys):
    code, out, _ = run_cli(capsys, "rules", "--format", "json")
    ids = {r["id"] for r in json.loads(out)}
    assert {"elements.thanks", "desperation.begging", "hygiene.placeholder"} <= ids
    assert code == 0


@pytest.mark.parametrize(
    "toml, message",
    [
        (
            '[thresholds.desperation.tone]\nthreshold = "high"\n',
            "[thresholds.desperation.tone] threshold must be a number, not 'high'",
        ),
        (
            "[thresholds.length.thank_you]\nmax_words = [150]\n",
            "[thresholds.length.thank_you] max_words must be a number",
        ),
        (
            '[thresholds.politeness]\nlabels = "strict"\n',
            "[thresholds.politeness.labels] must be a table",
        ),
    ],
)
def test_threshold_of_the_wrong_type_is_a_one_line_usage_error(capsys, tmp_path, toml, message):
    """Read and rejected before any draft is checked, by check and by batch alike."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml, encoding="utf-8")
    for argv in (
        ["check", "--config", str(cfg), str(GOOD)],
        ["batch", "--config", str(cfg), str(GOOD)],
    ):
        code, out, err = run_cli(capsys, *argv)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1, (argv, err)
        assert out == ""


def test_thresholds_of_the_right_type_apply(capsys, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        "[thresholds.length.thank_you]\nmin_words = 400\nmax_words = 500\n", encoding="utf-8"
    )
    code, out, _ = run_cli(capsys, "check", "--format", "json", "--config", str(cfg), str(GOOD))
    assert "length.too_short" in {f["rule"] for f in json.loads(out)["findings"]}


# -- reads are capped like batch's: at most the cap + 1 bytes, then "draft too long" ----------


def _capped_run(path: str) -> subprocess.CompletedProcess:
    """``followup check PATH`` in a process whose address space is capped at 2 GiB, so an
    unbounded read ends in a MemoryError instead of filling the machine."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [str(Path(sys.executable).parent / "followup"), "check", path],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        cwd=ROOT,
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_file_is_too_long_in_one_line(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    proc = _capped_run(device)
    assert proc.returncode == 2, proc.stderr[-500:]
    assert proc.stderr.count("\n") == 1 and "draft too long" in proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert proc.stdout == ""


def test_huge_stdin_is_read_only_up_to_the_cap(capsys, monkeypatch):
    from checker.textprep import max_bytes

    asked: list = []

    class Endless:
        """A stdin that never ends: it gives as many bytes of a real note as are asked for."""

        @staticmethod
        def read(n=-1):
            asked.append(n)
            assert n is not None and 0 <= n <= max_bytes() + 1, "stdin read without a cap"
            return (b"Thank you for your time. " * (n // 25 + 1))[:n]

    class _Stdin:
        buffer = Endless

    monkeypatch.setattr(sys, "stdin", _Stdin)
    code = main(["check", "-"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "<stdin>: draft too long" in err and "80,000 bytes" in err
    assert sum(asked) <= max_bytes() + 1


def test_a_file_at_the_cap_is_read_whole(capsys, tmp_path):
    from checker.textprep import max_bytes

    note = tmp_path / "long.txt"
    note.write_bytes(b"Thanks. " * (max_bytes() // 8))  # exactly the cap
    code, out, err = run_cli(capsys, "check", str(note))
    # Read to the end: the size limit counts its 80,000 characters.
    assert code == 2 and "draft too long: 80,000 characters" in err

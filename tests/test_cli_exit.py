"""The ``followup`` console script (``checker.cli.entry``): ``followup check`` ends its process
without tearing the interpreter down, and nothing it writes is lost on the way out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
FOLLOWUP = Path(sys.executable).parent / "followup"

pytestmark = pytest.mark.skipif(not FOLLOWUP.exists(), reason="no followup console script")


def _script(*argv: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(FOLLOWUP), *argv], capture_output=True, cwd=ROOT, **kw)


def _module(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from checker import cli; sys.exit(cli.main())", *argv],
        capture_output=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check", *sorted(str(p) for p in EXAMPLES.glob("*.txt"))],  # findings: exit 1
        ["check", "--fail-on", "never", "--format", "json", str(EXAMPLES / "good-thank-you.txt")],
        ["check", str(ROOT / "no-such-draft.txt")],  # usage error: exit 2, one line
    ],
)
def test_check_writes_every_byte_and_the_same_exit_code_as_main(argv):
    fast, plain = _script(*argv), _module(*argv)
    assert fast.returncode == plain.returncode
    assert fast.stdout == plain.stdout and fast.stderr == plain.stderr
    assert fast.stdout or fast.stderr


def test_large_json_output_is_flushed_whole():
    """Many drafts' JSON reports (well over a pipe buffer) arrive complete and parse."""
    drafts = sorted(str(p) for p in EXAMPLES.glob("*.txt")) * 8
    proc = _script("check", "--format", "json", "--fail-on", "never", *drafts)
    assert proc.returncode == 0, proc.stderr[-300:]
    assert len(proc.stdout) > 65536
    body = json.loads(proc.stdout)
    assert isinstance(body, list) and len(body) == len(drafts)
    assert [r["path"] for r in body] == drafts


def test_a_reader_that_goes_away_gets_no_traceback():
    """``followup check ... | head -c 10``: the rest is dropped quietly."""
    drafts = sorted(str(p) for p in EXAMPLES.glob("*.txt")) * 8
    proc = subprocess.Popen(
        [str(FOLLOWUP), "check", "--format", "json", *drafts],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert len(proc.stdout.read(10)) == 10
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err[-500:]


def test_other_commands_exit_as_usual():
    proc = _script("rules", "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)

"""An installed copy works from any folder: rule data and model weights ship in the wheel."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_rule_data_and_weights(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("followup_checker-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [f for pattern in ("*.toml", "*.txt") for f in (ROOT / "checker").rglob(pattern)]
    assert len(data) >= 10   # every concept's rules.toml, the lexicons, textprep and calltime
    for rule_file in data:
        assert rule_file.relative_to(ROOT).as_posix() in names, rule_file
    for asset in list((ROOT / "web" / "templates").rglob("*.html")) + list((ROOT / "web" / "static").glob("*")):
        assert asset.relative_to(ROOT).as_posix() in names, asset
    for weights in (ROOT / "models").rglob("*.json"):
        assert weights.relative_to(ROOT).as_posix() in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_cli_runs_outside_the_project(tmp_path):
    draft = tmp_path / "note.txt"
    draft.write_text("Dear Ms. Lee,\n\nThank you for your time today.\n\nBest,\nAmy", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "check", "--fail-on", "never",
                           "note.txt"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "note.txt" in proc.stdout


def test_textstat_imports_offline():
    """textstat 0.7.9+ downloads cmudict through nltk at import; the pinned one must not."""
    code = ("import socket\n"
            "def deny(*a, **k):\n    raise OSError('network disabled in test')\n"
            "socket.socket.connect = deny\nsocket.create_connection = deny\n"
            "import textstat\nprint(textstat.syllable_count('interview'))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) == 3

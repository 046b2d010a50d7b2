"""An installed copy works from any folder: rule data and model weights ship in the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_rule_data_and_weights(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("followup_checker-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [f for pattern in ("*.toml", "*.txt") for f in (ROOT / "checker").rglob(pattern)]
    assert len(data) >= 10  # every concept's rules.toml, the lexicons, textprep and calltime
    for rule_file in data:
        assert rule_file.relative_to(ROOT).as_posix() in names, rule_file
    # web/ and models/ install as checker/web and checker/models
    for asset in [
        f for f in (ROOT / "web").rglob("*") if f.is_file() and "__pycache__" not in f.parts
    ]:
        assert "checker/" + asset.relative_to(ROOT).as_posix() in names, asset
    for weights in (ROOT / "models").rglob("*.json"):
        assert "checker/" + weights.relative_to(ROOT).as_posix() in names
    assert any(n.endswith("entry_points.txt") for n in names)
    # One top-level name in site-packages, not the generic `web` and `models`.
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"checker"}, top


def test_every_package_folder_is_listed_for_the_wheel():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = set()
    for top in ("checker", "models", "web"):
        for init in (ROOT / top).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT).parts
            found.add(".".join(parts if top == "checker" else ("checker", *parts)))
    assert found == listed


def test_cli_runs_outside_the_project(tmp_path):
    draft = tmp_path / "note.txt"
    draft.write_text(
        "Dear Ms. Lee,\n\nThank you for your time today.\n\nBest,\nAmy", encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", "--fail-on", "never", "note.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "note.txt" in proc.stdout


def test_textstat_imports_offline():
    """textstat 0.7.9+ downloads cmudict through nltk at import; the pinned one must not."""
    code = (
        "import socket\n"
        "def deny(*a, **k):\n    raise OSError('network disabled in test')\n"
        "socket.socket.connect = deny\nsocket.create_connection = deny\n"
        "import textstat\nprint(textstat.syllable_count('interview'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) == 3

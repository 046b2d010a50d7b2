"""Class mode on the real pre-fork server: a small room submits at once to ``followup serve
--workers 2`` and every version is stored once (the bench's students, fewer of them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_room_on_two_workers_loses_nothing(capsys):
    spec = importlib.util.spec_from_file_location("bench_class", ROOT / "bench" / "bench_class.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    code = bench.main(["--students", "12", "--versions", "2", "--workers", "2", "--threads", "3"])
    out = capsys.readouterr().out
    assert "errors: 0" in out, out
    assert "rows stored: 24/24" in out and "without gaps: 12/12" in out, out
    assert code == 0

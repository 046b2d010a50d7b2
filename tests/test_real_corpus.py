"""The real-message corpus (data/eval/real): well-formed, split by page, and never adapted
from a page reserved for independent evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "eval" / "real"
FIELDS = {
    "id",
    "source_url",
    "source_type",
    "kind",
    "english",
    "text",
    "elements",
    "rejection_elements",
    "desperate",
    "desperate_phrases",
    "hostile",
    "hostile_phrases",
    "politeness",
    "notes",
}


def _rows(name: str) -> list[dict]:
    return [
        json.loads(line)
        for line in (REAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _norm(url: str) -> str:
    """An address for comparison: no scheme, no "www.", no trailing slash, and a GitHub
    blob address without its commit (the reserved list names files, not versions)."""
    url = url.strip().lower().split("://", 1)[-1].removeprefix("www.").rstrip("/")
    parts = url.split("/")
    if parts[0] == "github.com" and len(parts) > 4 and parts[3] in ("blob", "tree", "raw"):
        url = "/".join(parts[:3] + parts[5:])
    return url


@pytest.mark.parametrize("name", ["tune", "holdout"])
def test_records_are_well_formed(name):
    rows = _rows(name)
    assert len(rows) >= (280 if name == "tune" else 120)
    for r in rows:
        assert set(r) == FIELDS, r["id"]
        assert r["kind"] in ("thank_you", "follow_up", "rejection_reply")
        assert r["politeness"] in ("polite", "neutral", "impolite")
        for label in ("desperate", "hostile"):
            phrases = r[f"{label}_phrases"]
            assert all(p in r["text"] for p in phrases), r["id"]
            assert bool(phrases) == r[label], r["id"]
        assert (r["rejection_elements"] is not None) == (r["kind"] == "rejection_reply")


def test_ids_are_unique_and_pages_never_straddle_the_split():
    tune, holdout = _rows("tune"), _rows("holdout")
    ids = [r["id"] for r in tune + holdout]
    assert len(ids) == len(set(ids))
    assert not {_norm(r["source_url"]) for r in tune} & {_norm(r["source_url"]) for r in holdout}


def test_no_source_is_a_reserved_page(shared_dir):
    reserved = {
        _norm(line)
        for line in (shared_dir / "data" / "reserved-sources.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    }
    used = {_norm(r["source_url"]) for r in _rows("tune") + _rows("holdout")}
    assert not used & reserved

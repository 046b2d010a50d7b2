import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FOLLOWUP_SHARED", ROOT.parent / "shared"))
REQUIRE_SHARED = os.environ.get("FOLLOWUP_REQUIRE_SHARED") == "1"


def _need_shared(path: Path) -> Path:
    if not path.exists():
        msg = f"{path} is absent (../shared is not part of a fresh clone)"
        if REQUIRE_SHARED:
            pytest.fail(msg + " and FOLLOWUP_REQUIRE_SHARED=1")
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _need_shared(SHARED)


@pytest.fixture(scope="session")
def dev_drafts(shared_dir) -> list[dict]:
    path = _need_shared(shared_dir / "data" / "drafts" / "dev.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def politeness_corpus_dir(shared_dir) -> Path:
    return _need_shared(shared_dir / "data" / "politeness")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path

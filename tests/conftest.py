import contextlib
import datetime as dt
import json
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FOLLOWUP_SHARED", ROOT.parent / "shared"))
REQUIRE_SHARED = os.environ.get("FOLLOWUP_REQUIRE_SHARED") == "1"
CHROMIUM = Path(os.environ.get("FOLLOWUP_CHROMIUM", "/usr/bin/chromium"))
# Debian's chromium, headless, with no background traffic (this machine has no network).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="session")
def politeness_corpus_dir(shared_dir) -> Path:
    return _need_shared(shared_dir / "data" / "politeness")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def need_browser() -> None:
    """Skip without chromium, or fail when CI says the browser tests must run."""
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} is absent (install Debian's chromium)"
        if REQUIRE_SHARED or os.environ.get("CI"):
            pytest.fail(msg + "; CI must run the browser tests")
        pytest.skip(msg)


def app_config(data_dir: Path, **settings) -> dict:
    """A web app's config for a test: the secret key "k", the contact log ``c.db`` and the
    app's own files in ``data_dir``; ``settings`` add to these or override them."""
    return {"SECRET_KEY": "k", "DB": str(data_dir / "c.db"), "DATA_DIR": str(data_dir), **settings}


def make_app(data_dir: Path, **settings):
    """The web app in Flask's testing mode, made from ``app_config(data_dir, **settings)``."""
    from checker.web import create_app

    return create_app({"TESTING": True, **app_config(data_dir, **settings)})


@pytest.fixture
def app(tmp_path):
    """The web app in testing mode, its files in the test's ``tmp_path`` (a test file may
    override it with an app of its own settings)."""
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    """A Flask test client of ``app``."""
    return app.test_client()


@contextlib.contextmanager
def served(config: dict, threads: int = 4):
    """The web app made from ``config``, served by waitress on a free local port, in a thread;
    yields its base URL and closes the server afterwards."""
    from waitress.server import create_server

    from checker.web import create_app

    server = create_server(create_app(config), host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole run (Playwright driving Debian's chromium)."""
    need_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def interview_log(tmp_path):
    """Makes a contact log holding one in-person interview at Acme on the day given."""
    from checker.contacts import db

    def make(day: dt.date) -> Path:
        path = tmp_path / "contacts.db"
        conn = db.connect(path)
        db.add_event(conn, "Acme", day, "in_person", "received", "interview")
        conn.close()
        return path

    return make


@pytest.fixture(scope="session", autouse=True)
def _no_repository_names():
    """`web/` and `models/` install as `checker.web` and `checker.models`; from a checkout the
    bare names would still import, as second copies of the modules (a monkeypatch on one
    would miss the other). The run fails if any test or module imported them."""
    yield
    stray = sorted(m for m in sys.modules if m.split(".")[0] in ("web", "models"))
    assert not stray, f"imported by their repository names instead of checker.*: {stray[:5]}"


# -- test data shared by several files ---------------------------------------------------------


def class_of(n: int = 30) -> list[dict]:
    """The first ``n`` drafts of the holdout set as a class: ids "Student 01", "Student 02", ..."""
    rows = [
        json.loads(line)
        for line in (ROOT / "data" / "eval" / "holdout.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    return [{"id": f"Student {i + 1:02d}", "text": r["text"]} for i, r in enumerate(rows[:n])]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    """A .docx at ``path`` holding one paragraph a string."""
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))
    return path

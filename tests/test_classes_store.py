"""Class mode's store (checker.classes): tokens, schema, versions, retention, several
processes writing at once, the roster CSV, findings fixed and added, exports."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hmac
import io
import json
import multiprocessing
import sqlite3
import zipfile

import pytest

from checker.classes import (
    ClassClosed,
    ClassError,
    LimitReached,
    NameTaken,
    StoreError,
    db,
    exports,
    tokens,
)
from checker.classes.compare import changes
from checker.classes.model import report_from_dict
from checker.classes.roster import read_roster

FAR = dt.date(2099, 12, 31)

# A stored report: what `Report.to_dict()` gives (kept small; no language pipeline needed).
REPORT = {
    "schema": "followup-checker/report/1",
    "verdict": "revise",
    "kind": "thank_you",
    "length": {
        "words": 60,
        "sentences": 5,
        "grade": 6.0,
        "verdict": "ok",
        "limits": {"min_words": 50, "max_words": 150, "max_grade": 10.0},
    },
    "elements": {
        "thanks": {"present": True, "start": 0, "end": 5, "text": "Thank"},
        "enjoyed": {"present": False},
        "offer_info": {"present": False},
        "call_heads_up": {"present": True, "start": 6, "end": 10, "text": "call"},
    },
    "desperation": {
        "detected": True,
        "level": "some",
        "score": 1.0,
        "signals": [{"rule": "desperation.begging", "start": 11, "end": 17, "text": "please"}],
    },
    "findings": [
        {
            "rule": "desperation.begging",
            "category": "desperation",
            "severity": "warning",
            "message": "begging",
            "start": 11,
            "end": 17,
            "text": "please",
            "line": 1,
            "column": 12,
            "suggestion": "Drop it.",
        },
        {
            "rule": "elements.enjoyed",
            "category": "elements",
            "severity": "warning",
            "message": "no enjoyed",
            "start": 0,
            "end": 0,
            "text": "",
            "line": 1,
            "column": 1,
            "suggestion": "",
        },
    ],
    "counts": {"suggestion": 0, "warning": 2, "error": 0},
}
TEXT = "Thank call please, and more words here."


def report(data=None, text=TEXT):
    return report_from_dict(copy.deepcopy(data or REPORT), text)


@pytest.fixture
def conn(tmp_path):
    c = db.connect(tmp_path / "classes.db")
    yield c
    c.close()


def make_class(conn, **kw):
    kw.setdefault("due", FAR)
    due = kw.pop("due")
    return db.create_class(conn, kw.pop("title", "Spring"), kw.pop("kind", "thank_you"), due, **kw)


# -- tokens --------------------------------------------------------------------------------------


def test_tokens_have_128_bits_or_more_and_only_hashes_are_stored(conn, tmp_path):
    info, student, facilitator = make_class(conn, password="s3cret pass")
    assert tokens.STUDENT_LINK_BYTES >= 16 and tokens.FACILITATOR_LINK_BYTES >= 16
    assert len(student) >= 22 and len(facilitator) >= 22 and student != facilitator
    s, key = db.claim_student(conn, info.id, "Ann")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (tmp_path / "classes.db").read_bytes()
    for secret in (student, facilitator, key, "s3cret pass"):
        assert secret.encode() not in raw
    assert tokens.token_hash(student).encode() in raw


def test_each_link_finds_only_its_own_role(conn):
    info, student, facilitator = make_class(conn)
    assert db.class_for_student_link(conn, student).id == info.id
    assert db.class_for_facilitator_link(conn, facilitator).id == info.id
    assert (
        db.class_for_facilitator_link(conn, student) is None
    )  # a student link never opens the dashboard
    assert db.class_for_student_link(conn, facilitator) is None
    for bad in (
        "",
        "x",
        student[:-1] + ("A" if student[-1] != "A" else "B"),
        "../" * 10,
        None,
        42,
        "a" * 500,
    ):
        assert db.class_for_student_link(conn, bad) is None
        assert db.class_for_facilitator_link(conn, bad) is None


def test_hashes_are_compared_in_constant_time(conn, monkeypatch):
    info, student, _ = make_class(conn)
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(tokens.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    assert db.class_for_student_link(conn, student) is not None
    assert calls


def test_passwords_are_salted_scrypt():
    h1, h2 = tokens.hash_password("pw"), tokens.hash_password("pw")
    assert h1 != h2 and h1.startswith("scrypt$")
    assert tokens.check_password(h1, "pw") and not tokens.check_password(h1, "PW")
    assert not tokens.check_password(None, "pw") and not tokens.check_password("garbage", "pw")
    with pytest.raises(ValueError):
        tokens.hash_password("x" * 500)


# -- schema ----------------------------------------------------------------------------------------


def test_new_file_is_private_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "sub" / "classes.db"
    c = db.connect(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    assert c.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    c.close()


def test_foreign_newer_or_damaged_files_are_refused_untouched(tmp_path):
    foreign = tmp_path / "other.db"
    s = sqlite3.connect(foreign)
    s.execute("CREATE TABLE t (x)")
    s.commit()
    s.close()
    before = foreign.read_bytes()
    with pytest.raises(StoreError, match="not a followup-checker class database"):
        db.connect(foreign)
    assert foreign.read_bytes() == before
    newer = tmp_path / "newer.db"
    db.connect(newer).close()
    s = sqlite3.connect(newer)
    s.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    s.commit()
    s.close()
    with pytest.raises(StoreError, match="newer"):
        db.connect(newer)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        db.connect(junk)
    assert junk.read_bytes() == b"this is not sqlite at all" * 100
    with pytest.raises(StoreError, match="no class database"):
        db.connect(tmp_path / "absent.db", create=False)


def test_default_path_is_beside_the_contact_log(tmp_path, monkeypatch):
    monkeypatch.delenv("FOLLOWUP_CLASSES_DB", raising=False)
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "log" / "contacts.db"))
    assert db.default_db_path() == tmp_path / "log" / "classes.db"
    assert db.resolve_db_path(None, beside=tmp_path / "x" / "c.db") == tmp_path / "x" / "classes.db"
    monkeypatch.setenv("FOLLOWUP_CLASSES_DB", str(tmp_path / "elsewhere.db"))
    assert db.resolve_db_path(None, beside=tmp_path / "x" / "c.db") == tmp_path / "elsewhere.db"
    assert db.resolve_db_path(tmp_path / "given.db") == tmp_path / "given.db"


def test_deleting_a_class_deletes_everything_in_it(conn):
    info, _, _ = make_class(conn, roster=[("Ann", "ann@example.org")])
    s, _ = db.claim_student(conn, info.id, "Ann")
    db.add_submission(conn, info.id, s.id, TEXT, report())
    other, _, _ = make_class(conn, title="Other")
    o, _ = db.claim_student(conn, other.id, "Bo")
    db.add_submission(conn, other.id, o.id, TEXT, report())
    assert db.delete_class(conn, info.id)
    assert (
        conn.execute("SELECT count(*) FROM students WHERE class_id = ?", (info.id,)).fetchone()[0]
        == 0
    )
    assert db.count_submissions(conn) == 1
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced
        conn.execute(
            "INSERT INTO submissions (class_id, student_id, version, draft, report, created_at) "
            "VALUES (999, 999, 1, 'x', '{}', 'now')"
        )


def test_ids_are_never_reused(conn):
    info, _, _ = make_class(conn)
    db.delete_class(conn, info.id)
    again, _, _ = make_class(conn)
    assert again.id > info.id


def test_deleted_drafts_do_not_linger_in_the_file(tmp_path):
    path = tmp_path / "classes.db"
    c = db.connect(path)
    info, _, _ = make_class(c)
    s, _ = db.claim_student(c, info.id, "Zed Unique-Name")
    secret = "My very particular draft about the Quokka-7781 project."
    db.add_submission(c, info.id, s.id, secret, report(text=secret))
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert secret.encode() in path.read_bytes()
    assert db.delete_student(c, info.id, s.id)
    c.close()
    data = (
        path.read_bytes() + (tmp_path / "classes.db-wal").read_bytes()
        if (tmp_path / "classes.db-wal").exists()
        else path.read_bytes()
    )
    assert b"Quokka-7781" not in data and b"Zed Unique-Name" not in data


# -- students and versions ----------------------------------------------------------------------------


def test_versions_are_numbered_per_student_and_round_trip(conn):
    info, _, _ = make_class(conn)
    a, key_a = db.claim_student(conn, info.id, "Ann Lee")
    b, _ = db.claim_student(conn, info.id, "Bo")
    for n in range(3):
        sub = db.add_submission(conn, info.id, a.id, TEXT + "!" * n, report())
        assert sub.version == n + 1
    assert db.add_submission(conn, info.id, b.id, TEXT, report()).version == 1
    subs = db.versions(conn, info.id, a.id)
    assert [s.version for s in subs] == [1, 2, 3]
    assert subs[0].report().to_dict() == report().to_dict()
    assert subs[2].draft == TEXT + "!!"
    assert db.student_for_key(conn, info.id, key_a).id == a.id
    assert db.student_for_key(conn, info.id, "x" * 32) is None
    rows = {r["name"]: r for r in db.roster(conn, info.id)}
    assert rows["Ann Lee"]["versions"] == 3 and rows["Bo"]["versions"] == 1
    assert rows["Ann Lee"]["missing"] == ["enjoyed", "offer_info"]
    assert rows["Ann Lee"]["desperation"] == "some" and rows["Ann Lee"]["hostility"] is None


def test_a_claimed_name_is_refused_to_another_browser(conn):
    info, _, _ = make_class(conn)
    db.claim_student(conn, info.id, "Ann  Lee")
    with pytest.raises(NameTaken, match="already submitted as Ann Lee"):
        db.claim_student(conn, info.id, "ann lee")


def test_roster_classes_take_roster_names_only(conn):
    info, _, _ = make_class(conn, roster=[("Ann", None), ("Bo", "bo@example.org")])
    assert db.has_roster(conn, info.id)
    s, _ = db.claim_student(conn, info.id, "ann", roster_only=True)
    assert s.name == "Ann" and s.on_roster
    with pytest.raises(ClassError, match="Pick your name"):
        db.claim_student(conn, info.id, "Mallory", roster_only=True)


def test_limits_on_students_and_versions(conn):
    info, _, _ = make_class(conn)
    s, _ = db.claim_student(conn, info.id, "A", max_students=2)
    db.claim_student(conn, info.id, "B", max_students=2)
    with pytest.raises(LimitReached):
        db.claim_student(conn, info.id, "C", max_students=2)
    for _ in range(2):
        db.add_submission(conn, info.id, s.id, TEXT, report(), max_versions=2)
    with pytest.raises(LimitReached):
        db.add_submission(conn, info.id, s.id, TEXT, report(), max_versions=2)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 81, "a\x00b"])
def test_bad_names(conn, bad):
    info, _, _ = make_class(conn)
    with pytest.raises(ClassError):
        db.claim_student(conn, info.id, bad)


def test_closed_or_past_due_classes_refuse_submissions(conn):
    info, _, _ = make_class(conn, due=dt.date.today())
    s, _ = db.claim_student(conn, info.id, "Ann")
    db.add_submission(conn, info.id, s.id, TEXT, report())
    tomorrow = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    with pytest.raises(ClassClosed, match="closed at the end of"):
        db.add_submission(conn, info.id, s.id, TEXT, report(), now=tomorrow)
    db.set_closed(conn, info.id, True)
    with pytest.raises(ClassClosed, match="the facilitator closed"):
        db.add_submission(conn, info.id, s.id, TEXT, report())
    info = db.set_closed(conn, info.id, False, due=FAR)
    assert info.is_open() and info.due == FAR
    assert db.add_submission(conn, info.id, s.id, TEXT, report()).version == 2


def test_retention_removes_classes_after_the_due_date(conn):
    info, student, facilitator = make_class(conn, due=dt.date(2026, 1, 10), retention_days=5)
    assert info.remove_on == dt.date(2026, 1, 16)
    before = dt.datetime(2026, 1, 15, 12, tzinfo=dt.timezone.utc).astimezone()
    after = dt.datetime(2026, 1, 16, 12, tzinfo=dt.timezone.utc).astimezone()
    assert db.class_for_facilitator_link(conn, facilitator, now=before) is not None
    assert db.purge_expired(conn, now=before) == []
    # Past its retention a class is gone for its links at once, even before a purge runs.
    assert db.class_for_facilitator_link(conn, facilitator, now=after) is None
    assert db.class_for_student_link(conn, student, now=after) is None
    assert [c.id for c in db.purge_expired(conn, now=after)] == [info.id]
    assert db.get_class(conn, info.id) is None
    with pytest.raises(ClassError):
        db.set_retention(conn, 1, 0)


def test_rate_windows():
    c = db.connect(":memory:")
    assert [db.rate_hit(c, "b", 2, 60, 120.0 + i) for i in range(3)] == [0, 0, 58]
    assert db.rate_hit(c, "b", 2, 60, 180.0) == 0  # a new window
    assert db.rate_hit(c, "other", 2, 60, 181.0) == 0
    db.purge_expired(c, now=dt.datetime.fromtimestamp(10_000, dt.timezone.utc))
    assert c.execute("SELECT count(*) FROM rate_windows").fetchone()[0] == 0


# -- several processes at once ---------------------------------------------------------------------


def _writer(path: str, class_id: int, name: str, n: int, q) -> None:
    c = db.connect(path)
    s, _ = db.claim_student(c, class_id, name)
    versions = [
        db.add_submission(c, class_id, s.id, f"{TEXT} {name} {i}", report()).version
        for i in range(n)
    ]
    q.put((name, versions))
    c.close()


def test_several_processes_lose_nothing(tmp_path):
    path = str(tmp_path / "classes.db")
    c = db.connect(path)
    info, _, _ = make_class(c)
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(path, info.id, f"student {i}", 8, q)) for i in range(6)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    got = dict(q.get(timeout=5) for _ in procs)
    assert all(v == list(range(1, 9)) for v in got.values())
    assert db.count_submissions(c, info.id) == 48
    assert (
        c.execute(
            "SELECT count(DISTINCT student_id || '.' || version) FROM submissions"
        ).fetchone()[0]
        == 48
    )


# -- roster CSV ------------------------------------------------------------------------------------------


def test_roster_csv_forms():
    assert read_roster(b"\xef\xbb\xbfName;E-mail\nAnn Lee;ann@x.org\n\n ann  lee ;dup\nBo;\n") == [
        ("Ann Lee", "ann@x.org"),
        ("Bo", None),
    ]
    assert read_roster("Student\tEmail\nÉlodie\té@x.fr\n".encode("utf-16")) == [
        ("Élodie", "é@x.fr")
    ]
    assert read_roster(b"Ann\nBo\n") == [("Ann", None), ("Bo", None)]
    with pytest.raises(ClassError, match="needs a name column"):
        read_roster(b"who,when\nAnn,today\n")
    with pytest.raises(ClassError, match="line 3: name longer"):
        read_roster(b"name\nAnn\n" + b"x" * 100 + b"\n")
    with pytest.raises(ClassError, match="not UTF-8"):
        read_roster(b"name\n\xe9\n")
    with pytest.raises(ClassError, match="empty"):
        read_roster(b"  \n")


# -- findings fixed and added -----------------------------------------------------------------------------


def test_changes_between_versions():
    later = copy.deepcopy(REPORT)
    later["findings"] = [
        dict(REPORT["findings"][1], start=5, end=5),  # moved, still there
        {
            "rule": "hygiene.text_speak",
            "category": "hygiene",
            "severity": "suggestion",
            "message": "text speak",
            "start": 3,
            "end": 4,
            "text": "u",
            "line": 1,
            "column": 4,
            "suggestion": "",
        },
    ]
    ch = changes(REPORT, later)
    assert [f["rule"] for f in ch.fixed] == ["desperation.begging"]
    assert [f["rule"] for f in ch.added] == ["hygiene.text_speak"]
    assert ch.kept == 1
    assert changes(REPORT, REPORT).to_dict() == {"fixed": [], "added": [], "kept": 2}


# -- exports ------------------------------------------------------------------------------------------


def test_exports_use_the_batch_formats(conn):
    info, _, _ = make_class(
        conn, roster=[("=HYPERLINK(\"http://evil\")", "-2+3@x.org"), ("Zoe", None)]
    )
    s, _ = db.claim_student(conn, info.id, "Ann <b>")
    db.add_submission(conn, info.id, s.id, TEXT, report())
    fixed = copy.deepcopy(REPORT)
    fixed["findings"] = fixed["findings"][1:]
    fixed["counts"] = {"suggestion": 0, "warning": 1, "error": 0}
    fixed["hostility"] = {"detected": True, "level": "high", "score": 3.0, "signals": []}
    db.add_submission(conn, info.id, s.id, TEXT, report(fixed))

    out = io.StringIO()
    assert exports.write_jsonl(conn, info, out) == 2
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [list(x)[:4] for x in lines] == [["id", "version", "submitted_at", "schema"]] * 2
    assert [x["version"] for x in lines] == [1, 2] and lines[0]["id"] == "Ann <b>"

    out = io.StringIO()
    exports.write_csv(conn, info, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    by = {r["id"]: r for r in rows}
    assert by["Ann <b>"]["versions"] == "2" and by["Ann <b>"]["status"] == "checked"
    assert by["Ann <b>"]["hostility_level"] == "high" and by["Ann <b>"]["input"] == "version 2"
    assert by["Zoe"]["status"] == "not submitted"
    assert "'=HYPERLINK(\"http://evil\")" in by  # formula injection guarded
    assert by["'=HYPERLINK(\"http://evil\")"]["email"] == "'-2+3@x.org"

    out = io.StringIO()
    exports.write_html(conn, info, out)
    html = out.getvalue()
    assert "Ann &lt;b&gt;" in html and "Ann <b>" not in html
    assert "default-src 'none'" in html

    with zipfile.ZipFile(io.BytesIO(exports.handouts_bytes(conn, info))) as zf:
        names = zf.namelist()
        assert names == [f"ann-b-{s.id}.html"]
        page = zf.read(names[0]).decode()
    assert "1 fixed" in page and "Ann &lt;b&gt;" in page

    first, latest, order = exports.summaries(conn, info.id)
    assert (
        order == [s.id]
        and first.severity_totals["warning"] == 2
        and latest.severity_totals["warning"] == 1
    )

"""Batch input readers and the zip guard: no spaCy needed, fast."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import make_docx

from checker.batch import readers, safezip
from checker.batch.readers import iter_inputs, read_blob, read_csv, read_jsonl

FIX = Path(__file__).parent / "fixtures" / "batch"


@pytest.fixture
def class_dir(tmp_path) -> Path:
    root = tmp_path / "class"
    shutil.copytree(FIX / "class", root)
    make_docx(
        root / "ivy.docx",
        ["Dear Ms. Stone,", "Thank you for your time on Monday.", "Best regards,", "Ivy Chen"],
    )
    (root / "jon.docx").write_bytes(b"PK\x03\x04 this is not really a docx")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "~$ivy.docx").write_bytes(b"lock")
    sub = root / "section-b"
    sub.mkdir()
    (sub / "kim.txt").write_text("Dear Kim,\n\nThanks!\n", encoding="utf-8")
    (root / "lee.txt").write_text("Dear A,\n\nThank you.\n", encoding="utf-8")
    (root / "lee.md").write_text("Dear B,\n\nThank you.\n", encoding="utf-8")
    return root


def by_id(items):
    return {it.id: it for it in items}


def test_folder_of_drafts(class_dir):
    items = list(iter_inputs([str(class_dir)]))
    got = by_id(items)
    # Every file is one item, in sorted order; hidden files and Office lock files are skipped.
    assert [it.id for it in items] == [
        "alex",
        "bea",
        "chris",
        "dana",
        "eli",
        "fay",
        "gus",
        "hana",
        "ivy",
        "jon",
        "lee.md",
        "lee.txt",
        "section-b/kim",
    ]
    assert (
        got["alex"].text.startswith("Dear Ms. Alvarez,\n\nThank you") and got["alex"].error is None
    )
    assert got["bea"].text.startswith("Hi Tom,")
    # .eml: the text/plain part, decoded, CRLF normalised
    assert (
        got["chris"].text.startswith("Dear Mr. Park,\n\nThank you")
        and "\r" not in got["chris"].text
    )
    assert "Lyon \u2014 it" in got["chris"].text
    # .eml with only an HTML part: markup stripped
    assert got["dana"].text.startswith("Dear [Hiring Manager],") and "<p>" not in got["dana"].text
    # .docx paragraphs become lines
    assert got["ivy"].text.splitlines()[0] == "Dear Ms. Stone,"
    assert "Thank you for your time on Monday." in got["ivy"].text
    # bad files are items with a reason, not exceptions
    assert "not UTF-8" in got["eli"].error
    assert got["fay"].error.startswith("binary data, not text")
    assert "unsupported file type .pdf" in got["hana"].error
    assert "unreadable .docx" in got["jon"].error
    # the empty draft is readable; the core reports it as empty later
    assert got["gus"].error is None and not got["gus"].text.strip()
    assert got["section-b/kim"].text.startswith("Dear Kim")


def test_too_big_file(tmp_path):
    big = tmp_path / "huge.txt"
    big.write_text("word " * (readers.max_text_bytes() // 5 + 10), encoding="utf-8")
    (item,) = iter_inputs([str(big)])
    assert item.id == "huge" and item.error.startswith("file too big")


def test_docx_zip_bomb_is_refused(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "bomb.docx", ["hello"])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/padding.xml", b"\x00" * (3 * 1024 * 1024))
    (item,) = iter_inputs([str(path)])
    assert item.error and "zip bomb" in item.error


def test_top_level_file_of_unknown_type_is_text(tmp_path):
    p = tmp_path / "draft"
    p.write_text("Dear Jo,\n\nThank you.\n", encoding="utf-8")
    (item,) = iter_inputs([str(p)])
    assert item.error is None and item.id == "draft"


def test_csv_reader():
    items = list(iter_inputs([str(FIX / "drafts.csv")]))
    assert [it.id for it in items] == ["Ana Ruiz", "Ben, Jr.", "Cleo", "=HYPERLINK(1)"]
    ana = items[0]
    assert ana.kind == "thank_you" and ana.text.count("\n") >= 4  # quoted newlines kept
    assert ana.where.endswith("drafts.csv:2")
    assert items[1].kind is None and items[2].text == "" and items[2].kind == "follow-up"


@pytest.mark.parametrize(
    "data",
    [
        b"name;message\nAmy;Dear Bo, thank you.\n",
        b"\xef\xbb\xbfid,text\r\nAmy,\"Dear Bo, thank you.\"\r\n",
        "student\ttext\nAmy\tDear Bo, thank you.\n".encode("utf-16"),
    ],
)
def test_csv_dialects_and_encodings(data):
    (item,) = read_csv(io.BytesIO(data), "x.csv")
    assert item.id == "Amy" and item.text.startswith("Dear Bo") and item.error is None


def test_csv_without_needed_columns():
    (item,) = read_csv(io.BytesIO(b"who,when\nAmy,Monday\n"), "grades.csv")
    assert "CSV without the needed columns" in item.error and "a text column" in item.error
    assert "who, when" in item.error


def test_csv_bad_rows_are_listed_and_the_rest_read():
    data = b"id,text\nAmy,Dear Bo\nBen,Caf\xe9 na\xefve\n,no id here\nCal,Dear Cy\n"
    items = list(read_csv(io.BytesIO(data), "x.csv"))
    assert [it.id for it in items] == ["Amy", "Ben", "row 4", "Cal"]
    assert "not UTF-8" in items[1].error and items[1].where == "x.csv:3"
    assert items[2].error is None and items[3].error is None


def test_empty_csv():
    (item,) = read_csv(io.BytesIO(b""), "empty.csv")
    assert item.error == "empty CSV file"


def test_jsonl_reader():
    items = list(iter_inputs([str(FIX / "drafts.jsonl")]))
    ids = [it.id for it in items]
    assert ids[:4] == ["s1", "s2", "s3", "s4"]
    assert ids[5] == 5  # the id keeps its JSON type
    errors = {it.where.rsplit(":", 1)[1]: it.error for it in items if it.error}
    assert errors["5"].startswith("malformed JSON line")
    assert "not a JSON object" in errors["7"]
    assert 'no "text" field' in errors["8"]
    assert items[3].kind == "letter"  # validated later, by the runner


def test_jsonl_bad_encoding_and_long_line(monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 200)
    data = (
        b'\xef\xbb\xbf{"id": "a", "text": "ok"}\n'
        b'{"id": "b", "text": "caf\xe9"}\n'
        + json.dumps({"id": "c", "text": "x" * 500}).encode()
        + b"\n"
        + b'\n{"id": "d", "text": "after"}\n'
    )
    items = list(read_jsonl(io.BytesIO(data), "in.jsonl"))
    assert [it.id for it in items] == ["a", "in.jsonl:2", "in.jsonl:3", "d"]
    assert items[0].error is None
    assert "not UTF-8" in items[1].error
    assert "too big" in items[2].error
    assert items[3].text == "after" and items[3].where == "in.jsonl:5"


def test_read_blob_dispatches_by_extension():
    assert next(read_blob("a.txt", b"Dear A")).text == "Dear A"
    assert next(read_blob("t.csv", b"id,text\nx,Dear X\n")).id == "x"
    assert next(read_blob("t.jsonl", b'{"id": "y", "text": "Dear Y"}\n')).id == "y"
    assert "unsupported" in next(read_blob("a.exe", b"MZ")).error


# -- the zip guard ------------------------------------------------------------------------


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    buf.seek(0)
    return zipfile.ZipFile(buf)


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/passwd", "C:/x.txt", "..\\evil.txt"]
)
def test_zip_path_traversal_refused(name):
    with pytest.raises(safezip.UnsafeZip, match="path traversal|absolute"):
        safezip.inspect(_zip({"ok.txt": b"fine", name: b"evil"}))


def test_zip_limits():
    safezip.inspect(_zip({"a.txt": b"x", "dir/b.txt": b"y"}))
    with pytest.raises(safezip.UnsafeZip, match="too many entries"):
        safezip.inspect(
            _zip({f"{i}.txt": b"x" for i in range(5)}), safezip.ZipLimits(max_entries=4)
        )
    with pytest.raises(safezip.UnsafeZip, match="zip bomb"):
        safezip.inspect(_zip({"bomb.txt": b"\x00" * (5 * 1024 * 1024)}))
    with pytest.raises(safezip.UnsafeZip, match="unpacks to"):
        safezip.inspect(
            _zip({"a.txt": b"x" * 3000, "b.txt": b"y" * 3000}, zipfile.ZIP_STORED),
            safezip.ZipLimits(max_total_bytes=5000),
        )

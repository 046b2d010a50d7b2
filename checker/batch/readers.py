"""Input readers: every input form becomes a stream of ``Item`` (one per draft), in order.

* a folder of ``.txt`` / ``.md`` / ``.eml`` / ``.docx`` files, one draft each; the student is
  the file name (its path inside the folder, without the extension);
* a CSV with an id (or student / name) column and a text (or draft / body / message) column,
  and an optional kind column;
* JSONL, one object a line with ``id`` and ``text`` (and an optional ``kind``);
* a single draft file.

Readers never raise for bad input: an unreadable file, row or line becomes an ``Item`` with
``error`` set (a one-line reason), and reading goes on.  CSV and JSONL are read row by row,
so memory does not grow with the number of drafts.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import os
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from .. import textprep
from . import safezip

DRAFT_EXTS = (".txt", ".md", ".markdown", ".text", ".eml", ".docx")
TABLE_EXTS = (".csv", ".jsonl", ".ndjson")
# Files a folder may hold that are not drafts and not worth a line in the report.
IGNORED_NAMES = {"thumbs.db", "desktop.ini", "__macosx"}

MAX_DOC_BYTES = 10 * 1024 * 1024  # a .docx or .eml file
MAX_LINE_BYTES = 1024 * 1024  # one JSONL line

ID_COLUMNS = ("id", "student", "student_id", "student_name", "name")
TEXT_COLUMNS = ("text", "draft", "body", "message", "note", "email")
KIND_COLUMNS = ("kind", "type")

UTF8_HINT = "save it as UTF-8 (in Excel: CSV UTF-8)"


@dataclass
class Item:
    """One draft to check, or one input that could not be read (``error`` set)."""

    id: Any
    text: str | None = None
    kind: str | None = None
    error: str | None = None
    where: str = ""


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def max_text_bytes() -> int:
    return textprep.max_bytes()


def extension(name: str) -> str:
    """The file name's extension, lower-case, with its dot (".docx"); "" when it has none."""
    base = os.path.basename(name).lower()
    return os.path.splitext(base)[1]


def size_limit(name: str) -> int:
    return MAX_DOC_BYTES if extension(name) in (".docx", ".eml") else max_text_bytes()


# -- single drafts -----------------------------------------------------------------------

#: What a file named .docx really is, by its first bytes, and how to make it a .docx.
_NOT_DOCX = (
    (
        b"\xd0\xcf\x11\xe0",
        "it is an old Word 97-2003 document (.doc) with a .docx name; open it "
        "in Word and choose Save As, Word Document (.docx)",
    ),
    (
        b"%PDF",
        "it is a PDF with a .docx name; copy the note into a Word document and save it "
        "as Word Document (.docx)",
    ),
    (
        b"{\\rtf",
        "it is a Rich Text (.rtf) file with a .docx name; open it in Word and choose "
        "Save As, Word Document (.docx)",
    ),
)


def _not_docx(data: bytes) -> str:
    for magic, why in _NOT_DOCX:
        if data.startswith(magic):
            return why
    return (
        "not a Word document, though named .docx; open it in Word and choose Save As, "
        "Word Document (.docx), or save the note as Plain Text (.txt)"
    )


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word document as plain text.  Raises ValueError (one line)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            safezip.inspect(zf, safezip.DOCX_LIMITS)
    except zipfile.BadZipFile:
        raise ValueError(f"unreadable .docx: {_not_docx(data)}") from None
    except safezip.UnsafeZip as exc:
        raise ValueError(f"unreadable .docx: {exc}") from None
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        paras = [p.text for p in document.paragraphs]
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise ValueError(
            f"unreadable .docx: damaged or not a Word document ({type(exc).__name__}); "
            "open it in Word and choose Save As, Word Document (.docx), or copy "
            "the note into a new document"
        ) from None
    # One paragraph is one line; a document without blank paragraphs gets blank lines
    # between paragraphs, as an email would have.
    sep = "\n" if any(not p.strip() for p in paras) else "\n\n"
    return sep.join(p.rstrip() for p in paras).strip("\n")


def eml_text(data: bytes) -> str:
    """The body of an email file: its text/plain part, else its text/html part without markup."""
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain", "html"))
        if part is None:
            raise ValueError("email without a text body")
        content = part.get_content()
    except ValueError:
        raise
    except (LookupError, UnicodeError):
        raise ValueError("email in an unknown character set") from None
    except Exception as exc:
        raise ValueError(f"unreadable email ({type(exc).__name__})") from None
    if not isinstance(content, str):
        raise ValueError("email without a text body")
    content = textprep.normalise_newlines(content)
    if part.get_content_subtype() == "html":
        content = textprep.strip_html(content)
    return content.strip("\n")


def draft_item(name: str, data: bytes, id: Any = None, where: str | None = None) -> Item:
    """One draft from a file's bytes (``name`` gives the format by its extension)."""
    id = id if id is not None else student_id(name)
    where = where or name
    limit = size_limit(name)
    if len(data) > limit:
        return Item(
            id, error=f"file too big: {_size(len(data))} (limit {_size(limit)})", where=where
        )
    ext = extension(name)
    try:
        if ext == ".docx":
            text = docx_text(data)
        elif ext == ".eml":
            text = eml_text(data)
        else:
            text = textprep.decode(data)
    except textprep.BinaryInput as exc:
        return Item(
            id,
            error=f"{exc}: this file is not a note in text form (a picture, a PDF "
            f"or a program?); save the note as .txt or .docx",
            where=where,
        )
    except ValueError as exc:
        return Item(id, error=str(exc).splitlines()[0], where=where)
    return Item(id, text=text, where=where)


def student_id(name: str) -> str:
    """The student a file is about: its name without folder and extension."""
    base = os.path.basename(name.replace("\\", "/").rstrip("/"))
    stem, ext = os.path.splitext(base)
    return stem if ext and stem else base


# -- tables ------------------------------------------------------------------------------


def _norm_col(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _pick(header: list[str], names: tuple[str, ...]) -> int | None:
    cols = [_norm_col(h) for h in header]
    for name in names:
        if name in cols:
            return cols.index(name)
    return None


def _has_surrogates(s: str) -> bool:
    """True when decoding left undecodable bytes in ``s`` (as lone surrogates)."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_csv(stream: BinaryIO, name: str) -> Iterator[Item]:
    """Drafts from a CSV (a seekable byte stream): a header row, then one row per student."""
    head = stream.read(2)
    stream.seek(0)
    utf16 = head in (b"\xff\xfe", b"\xfe\xff")
    # Bytes that are not UTF-8 survive decoding as surrogates, so one bad row is reported
    # as that row instead of stopping the whole file.
    text = io.TextIOWrapper(
        stream,
        encoding="utf-16" if utf16 else "utf-8-sig",
        errors="replace" if utf16 else "surrogateescape",
        newline="",
    )
    try:
        sample = text.read(16384)
        text.seek(0)
        if not sample.strip():
            yield Item(student_id(name), error="empty CSV file", where=name)
            return
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from _csv_rows(csv.reader(text, dialect), name)
    finally:
        text.detach()


def _csv_rows(rows, name: str) -> Iterator[Item]:
    try:
        header = next(rows)
    except (StopIteration, csv.Error):
        yield Item(student_id(name), error="no header row in the CSV", where=name)
        return
    id_col, text_col, kind_col = (
        _pick(header, ID_COLUMNS),
        _pick(header, TEXT_COLUMNS),
        _pick(header, KIND_COLUMNS),
    )
    if id_col is None or text_col is None:
        missing = " and ".join(
            what
            for what, col in (("an id or student column", id_col), ("a text column", text_col))
            if col is None
        )
        found = ", ".join(h.strip() for h in header if h.strip())[:200] or "none"
        yield Item(
            student_id(name),
            where=f"{name}:1",
            error=f"CSV without the needed columns: needs {missing} (found: {found})",
        )
        return
    n = 1  # rows so far, counting the header
    line = rows.line_num  # a row is reported at the line it starts on
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            n += 1
            where, line = f"{name}:{line + 1}", rows.line_num
            yield Item(f"row {n}", where=where, error=f"malformed CSV row: {exc}")
            continue
        n += 1
        where, line = f"{name}:{line + 1}", rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        ident = (row[id_col].strip() if id_col < len(row) else "") or f"row {n}"
        draft = row[text_col] if text_col < len(row) else ""
        kind = row[kind_col].strip() if kind_col is not None and kind_col < len(row) else ""
        if any(_has_surrogates(s) for s in (ident, draft, kind)):
            yield Item(
                f"row {n}" if _has_surrogates(ident) else ident,
                where=where,
                error=f"not UTF-8 text; {UTF8_HINT}",
            )
            continue
        yield Item(
            ident,
            text=textprep.normalise_newlines(draft),
            kind=kind or None,
            where=where,
        )


def read_jsonl(stream: BinaryIO, name: str) -> Iterator[Item]:
    """Drafts from JSON Lines: ``{"id": ..., "text": ..., "kind": ...}`` per line."""
    n = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        n += 1
        where = f"{name}:{n}"
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:  # skip the rest of the line without holding it
                chunk = stream.readline(MAX_LINE_BYTES)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield Item(where, where=where, error=f"line too big (limit {_size(MAX_LINE_BYTES)})")
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Item(
                where,
                where=where,
                error=f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} "
                f"at column {exc.start + 1}); save the file as UTF-8",
            )
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(
                where, where=where, error=f"malformed JSON line: {exc.msg} (column {exc.colno})"
            )
            continue
        if not isinstance(obj, dict):
            yield Item(where, where=where, error="malformed JSONL line: not a JSON object")
            continue
        ident = obj.get("id", obj.get("student"))
        if ident is None or isinstance(ident, (dict, list, bool)) or ident == "":
            ident = where
        text = obj.get("text")
        kind = obj.get("kind")
        if not isinstance(kind, str):
            kind = None
        if not isinstance(text, str):
            why = 'no "text" field' if text is None else '"text" is not a string'
            yield Item(ident, where=where, error=f"malformed JSONL line: {why}")
            continue
        yield Item(ident, text=textprep.normalise_newlines(text), kind=kind, where=where)


# -- files and folders -------------------------------------------------------------------


def read_blob(name: str, data: bytes, id: Any = None) -> Iterator[Item]:
    """Items from one file's bytes (an upload, a zip entry): a table or one draft."""
    ext = extension(name)
    if ext == ".csv":
        yield from read_csv(io.BytesIO(data), name)
    elif ext in (".jsonl", ".ndjson"):
        yield from read_jsonl(io.BytesIO(data), name)
    elif ext in DRAFT_EXTS:
        yield draft_item(name, data, id=id)
    else:
        yield unsupported(name, id)


#: How to turn a file of another type into one the review reads.
_CONVERT = {
    ".doc": "an old Word document: open it in Word and choose Save As, Word Document (.docx)",
    ".rtf": "open it in Word and choose Save As, Word Document (.docx)",
    ".odt": "in LibreOffice choose Save As, Word 2007-365 (.docx)",
    ".pages": "in Pages choose File, Export To, Word (.docx)",
    ".pdf": "copy the note into a Word document or a text file and save it as .docx or .txt",
}


def unsupported(name: str, id: Any = None) -> Item:
    ext = extension(name) or "(no extension)"
    how = _CONVERT.get(ext, "save the note as .txt or .docx")
    return Item(
        id if id is not None else student_id(name),
        where=name,
        error=f"unsupported file type {ext}: {how} (the review reads .txt, .md, .eml and .docx)",
    )


def read_file(path: str, id: Any = None, *, in_folder: bool = False) -> Iterator[Item]:
    """Items from a file on disk.  A top-level file of unknown type is read as plain text."""
    ext = extension(path)
    ident = id if id is not None else student_id(path)
    try:
        if ext in (".csv", ".jsonl", ".ndjson"):
            with open(path, "rb") as fh:
                reader = read_csv if ext == ".csv" else read_jsonl
                yield from reader(fh, path)
            return
        if in_folder and ext not in DRAFT_EXTS:
            yield unsupported(path, ident)
            return
        limit = size_limit(path)
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        yield Item(ident, where=path, error=f"cannot read: {exc.strerror or exc}")
        return
    yield draft_item(path, data, id=ident, where=path)


def ignored(name: str) -> bool:
    base = os.path.basename(name.rstrip("/"))
    return not base or base.startswith((".", "~$")) or base.lower() in IGNORED_NAMES


def folder_files(root: str, exclude: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``(path, student id)`` of the files under ``root``, sorted; ids are unique."""
    skip = {os.path.realpath(p) for p in exclude}
    found: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not ignored(d))
        for fn in sorted(filenames):
            path = os.path.join(dirpath, fn)
            if ignored(fn) or os.path.realpath(path) in skip:
                continue
            found.append((path, os.path.relpath(path, root).replace(os.sep, "/")))
    return with_ids(found)


def with_ids(files: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pair each file with its student id: its relative path without the extension, or with
    it when two files would otherwise share an id (``sam.txt`` and ``sam.docx``)."""

    def stem(rel: str) -> str:
        head, base = os.path.split(rel)
        s = student_id(base)
        return f"{head}/{s}" if head else s

    counts: dict[str, int] = {}
    for _, rel in files:
        counts[stem(rel)] = counts.get(stem(rel), 0) + 1
    return [(path, stem(rel) if counts[stem(rel)] == 1 else rel) for path, rel in files]


def read_folder(root: str, exclude: Iterable[str] = ()) -> Iterator[Item]:
    for path, ident in folder_files(root, exclude):
        yield from read_file(path, ident, in_folder=True)


def iter_inputs(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Item]:
    """Items from command-line inputs: folders, CSV, JSONL, draft files, ``-`` (JSONL on stdin)."""
    for path in paths:
        if path == "-":
            yield from read_jsonl(sys.stdin.buffer, "<stdin>")
        elif os.path.isdir(path):
            yield from read_folder(path, exclude)
        else:
            yield from read_file(path)

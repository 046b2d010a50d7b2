"""Class review page: upload a class's drafts, see the class report, download CSV and HTML.

``GET /batch/`` shows the upload form; ``POST /batch/`` takes a CSV or JSONL file, several
draft files (.txt / .md / .eml / .docx), or a .zip of them, checks every draft (the same
``checker.batch`` code as ``followup batch``) and shows the report with two downloads: the
CSV gradebook, the standalone HTML report, the handouts (one page a student, zipped) and the
JSONL reports (to compare the next round with: the optional "compare" upload).  Nothing is
stored: the downloads are ``data:`` links in the page itself, so they work with any number of
server processes.

Limits (config keys): ``BATCH_MAX_UPLOAD`` bytes per request (default 10 MiB; this route
only, the rest of the app keeps ``MAX_CONTENT_LENGTH``), ``BATCH_MAX_DRAFTS`` drafts per
upload (default 500), ``BATCH_MAX_FILES`` files per upload (default 500).  A zip is refused
whole when an entry would escape the folder (``../``, absolute paths, drive letters) or
when it looks like a zip bomb (entry count, total unpacked size, compression ratio:
``checker.batch.safezip``).
"""
from __future__ import annotations

import base64
import io
import os
import zipfile
from typing import Any, Iterator

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from checker.batch import readers, safezip
from checker.batch.readers import Item
from checker.kinds import AUTO, TITLE, parse_kind

from .errors import InputError, size_text

bp = Blueprint("batch", __name__, url_prefix="/batch")

DEFAULTS = {"BATCH_MAX_UPLOAD": 10 * 1024 * 1024, "BATCH_MAX_DRAFTS": 500, "BATCH_MAX_FILES": 500}
#: The kind selector: the kind for drafts that do not give one (value -> label).
KIND_LABELS = {AUTO: "Work it out from each draft", **TITLE}
ACCEPT = ".csv,.jsonl,.txt,.md,.eml,.docx,.zip"


class UploadError(InputError):
    """An upload the class review cannot take."""


class TooManyDrafts(UploadError):
    """More drafts in one upload than ``BATCH_MAX_DRAFTS``."""
    status = 413


def _conf(key: str) -> Any:
    return current_app.config.get(key, DEFAULTS[key])


@bp.record_once
def _install(state) -> None:
    for key, value in DEFAULTS.items():
        state.app.config.setdefault(key, value)
    # This page takes bigger requests than the rest of the app.  The limit must be in place
    # before anything reads the body (the app's CSRF check reads the form), so this runs
    # first among the app's before-request functions.
    state.app.before_request_funcs.setdefault(None, []).insert(0, _upload_limit)


def _upload_limit() -> None:
    if request.blueprint == bp.name and request.method == "POST":
        request.max_content_length = int(_conf("BATCH_MAX_UPLOAD"))


# -- reading the upload -----------------------------------------------------------------------

def _base(name: str) -> str:
    return os.path.basename((name or "").replace("\\", "/")) or "upload"


def _zip_items(name: str, data: bytes) -> Iterator[Item]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise UploadError(f"{name}: not a zip file") from None
    with zf:
        try:
            infos = safezip.inspect(zf, safezip.ZipLimits(
                max_entries=int(_conf("BATCH_MAX_FILES")) * 2,
                max_total_bytes=int(_conf("BATCH_MAX_UPLOAD")) * 5))
        except safezip.UnsafeZip as exc:
            raise UploadError(f"{name}: {exc}") from None
        entries = []
        for info in infos:
            rel = safezip.safe_name(info.filename)
            if any(readers.ignored(part) for part in rel.split("/")):
                continue
            entries.append((info, rel))
        entries.sort(key=lambda e: e[1])  # as a folder is read: sorted by path
        for (info, rel), (_, ident) in zip(entries, readers.with_ids(entries)):
            try:
                data = safezip.read_entry(zf, info)
            except (safezip.UnsafeZip, zipfile.BadZipFile, OSError, RuntimeError) as exc:
                yield Item(ident, where=f"{name}/{rel}", error=f"unreadable zip entry: {exc}")
                continue
            if readers.extension(rel) == ".zip":
                yield Item(ident, where=f"{name}/{rel}", error="a zip inside the zip is not read")
                continue
            for item in readers.read_blob(f"{name}/{rel}", data, id=ident):
                yield item


def upload_items(files) -> list[Item]:
    """Items from the uploaded files, in upload order.  Raises UploadError."""
    files = [f for f in files if f and f.filename]
    if not files:
        raise UploadError("Choose a CSV or JSONL file, some drafts, or a .zip of drafts.")
    if len(files) > int(_conf("BATCH_MAX_FILES")):
        raise UploadError(f"Too many files: {len(files)} (limit {_conf('BATCH_MAX_FILES')}); "
                          "put them in a .zip or use `followup batch`.")
    items: list[Item] = []
    limit = int(_conf("BATCH_MAX_DRAFTS"))
    names = [_base(f.filename) for f in files]
    drafts = [(f, n) for f, n in zip(files, names) if readers.extension(n) not in (".zip", ".csv", ".jsonl", ".ndjson")]
    ids = dict(readers.with_ids([(id(f), n) for f, n in drafts]))
    for f, name in zip(files, names):
        data = f.read()
        ext = readers.extension(name)
        new = _zip_items(name, data) if ext == ".zip" else readers.read_blob(name, data, id=ids.get(id(f)))
        for item in new:
            items.append(item)
            if len(items) > limit:
                raise TooManyDrafts(f"More than {limit:,} drafts in one upload; split the "
                                    "class or use `followup batch` on the command line.")
    return items


# -- the page ---------------------------------------------------------------------------------

def _form() -> dict[str, str]:
    kind = request.form.get("kind", AUTO)
    title = " ".join((request.form.get("title") or "").split())[:120]
    return {"kind": kind if kind in KIND_LABELS else AUTO, "title": title}


def _page(status: int = 200, **context: Any):
    context.setdefault("form", {"kind": AUTO, "title": ""})
    context.setdefault("error", None)
    context.setdefault("review", None)
    return render_template("batch/index.html", kinds=KIND_LABELS, accept=ACCEPT,
                           max_upload=size_text(int(_conf("BATCH_MAX_UPLOAD"))),
                           max_drafts=int(_conf("BATCH_MAX_DRAFTS")), **context), status


def _data_uri(mime: str, text: str, bom: bool = False) -> str:
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    return f"data:{mime};charset=utf-8;base64,{base64.b64encode(data).decode('ascii')}"


def run_review(items: list[Item], kind: str, title: str, baseline=None) -> dict[str, Any]:
    """Check the items once; return the page fragment, the downloads (the CSV gradebook, the
    HTML report, the handouts zip, the JSONL reports for comparing the next round) and the
    summary.  ``baseline``: a first round's reports (``checker.batch.compare.Baseline``)."""
    import zipfile

    from checker.batch import Summary, process
    from checker.batch.handouts import HandoutWriter
    from checker.batch.htmlreport import HtmlWriter
    from checker.batch.writers import CsvWriter, JsonlWriter

    from .checking import check_config

    config = check_config()
    summary = Summary()
    csv_out, html_out, fragment = io.StringIO(newline=""), io.StringIO(), io.StringIO()
    jsonl_out, zip_out = io.StringIO(), io.BytesIO()
    sources = sorted({i.where.split(":")[0].split("/")[0] for i in items if i.where})
    title = title or "Class review"
    with zipfile.ZipFile(zip_out, "w", zipfile.ZIP_DEFLATED) as zf:
        writers = [CsvWriter(csv_out, baseline=baseline),
                   HtmlWriter(html_out, summary, title=title, inputs=sources, baseline=baseline),
                   HandoutWriter(zf, title=title, baseline=baseline), JsonlWriter(jsonl_out)]
        for result in process(items, jobs=1, config=config, kind=parse_kind(kind)):
            summary.add(result)
            for w in writers:
                w.write(result)
        writers[1].body_to(fragment)
        for w in writers:
            w.close()
    return {"summary": summary, "report_html": fragment.getvalue(),
            "csv_uri": _data_uri("text/csv", csv_out.getvalue(), bom=True),
            "html_uri": _data_uri("text/html", html_out.getvalue()),
            "handouts_uri": "data:application/zip;base64,"
                            + base64.b64encode(zip_out.getvalue()).decode("ascii"),
            "jsonl_uri": _data_uri("application/x-ndjson", jsonl_out.getvalue()),
            "filename": _filename(title)}


def read_baseline(upload):
    """The optional first round's reports (the "compare" file); None when none was sent."""
    from checker.batch.compare import Baseline, BaselineError

    if upload is None or not upload.filename:
        return None
    name = _base(upload.filename)
    try:
        return Baseline.parse(io.BytesIO(upload.read()), name)
    except BaselineError as exc:
        raise UploadError(str(exc).replace("--compare ", "Compare: ")) from None


def _filename(title: str) -> str:
    stem = "".join(ch if ch.isalnum() else "-" for ch in (title or "class-review").lower())
    stem = "-".join(p for p in stem.split("-") if p)[:60] or "class-review"
    return stem


@bp.get("/")
def index():
    return _page()


@bp.post("/")
def review():
    form = _form()
    try:
        baseline = read_baseline(request.files.get("compare"))
        items = upload_items(request.files.getlist("files"))
        result = run_review(items, form["kind"], form["title"], baseline)
    except InputError as exc:
        return _page(exc.status, form=form, error=exc.message)
    return _page(200, form=form, review=result)


@bp.get("/report.css")
def report_css():
    from checker.batch.htmlreport import stylesheet

    resp = Response(stylesheet(), mimetype="text/css")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    return _page(413, error=f"The upload is too large: the limit is "
                            f"{size_text(int(_conf('BATCH_MAX_UPLOAD')))} per upload. Split the class "
                            "into smaller uploads, or use `followup batch` on the command line.")

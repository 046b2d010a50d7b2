"""Class review page: upload a class's drafts, see the class report, download CSV and HTML.

``GET /batch/`` shows the upload form; ``POST /batch/`` takes a CSV or JSONL file, several
draft files (.txt / .md / .eml / .docx), or a .zip of them, checks every draft (the same
``checker.batch`` code as ``followup batch``) and shows the report with two downloads: the
CSV gradebook, the standalone HTML report, the handouts (one page a student, zipped) and the
JSONL reports (to compare the next round with: the optional "compare" upload).  Nothing is
stored: the downloads are ``data:`` links in the page itself, so they work with any number of
server processes.

The checking runs as a job (``Jobs``): the POST reads and validates the upload, starts the job
in a background thread and answers at once with a redirect to the job's page
(``/batch/jobs/<id>``), which shows the progress (``/batch/jobs/<id>/status``, JSON, polled by
``static/batch.js``; without JavaScript the page refreshes itself), a cancel button (a POST
form with the CSRF token) and, when done, the report.  Jobs live in memory only (the drafts
are never written to disk), belong to the session that started them, and are forgotten
``BATCH_JOB_TTL`` seconds after they end.  At most ``BATCH_MAX_RUNNING`` jobs check at once
(the others wait their turn) and at most ``BATCH_MAX_JOBS`` are waiting or running (then the
upload is refused with 503).  Under ``followup serve --workers N`` the workers share one job
table through a ``multiprocessing`` manager process started with the app, so any worker can
answer a job's status, cancel or result (``BATCH_JOBS``: ``shared``, ``local`` or ``auto``,
which is shared unless the app is testing).

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
import secrets
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from checker.batch import readers, safezip
from checker.batch.readers import Item
from checker.kinds import AUTO, TITLE, parse_kind

from .errors import InputError, size_text
from .security import csrf_token

bp = Blueprint("batch", __name__, url_prefix="/batch")

DEFAULTS = {
    "BATCH_MAX_UPLOAD": 10 * 1024 * 1024,
    "BATCH_MAX_DRAFTS": 500,
    "BATCH_MAX_FILES": 500,
    "BATCH_MAX_RUNNING": 2,
    "BATCH_MAX_JOBS": 8,
    "BATCH_JOB_TTL": 3600,
    "BATCH_JOBS": "auto",
}
#: The kind selector: the kind for drafts that do not give one (value -> label).
KIND_LABELS = {AUTO: "Work it out from each draft", **TITLE}
ACCEPT = ".csv,.jsonl,.txt,.md,.eml,.docx,.zip"


class UploadError(InputError):
    """An upload the class review cannot take."""


class TooManyDrafts(UploadError):
    """More drafts in one upload than ``BATCH_MAX_DRAFTS``."""

    status = 413


class Busy(UploadError):
    """``BATCH_MAX_JOBS`` reviews are already waiting or running."""

    status = 503


class Cancelled(Exception):
    """The job was cancelled while it ran."""


def _conf(key: str) -> Any:
    return current_app.config.get(key, DEFAULTS[key])


@bp.record_once
def _install(state) -> None:
    for key, value in DEFAULTS.items():
        state.app.config.setdefault(key, value)
    mode = state.app.config["BATCH_JOBS"]
    shared = mode == "shared" or (mode == "auto" and not state.app.testing)
    state.app.extensions["batch_jobs"] = Jobs(shared=shared)
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
            infos = safezip.inspect(
                zf,
                safezip.ZipLimits(
                    max_entries=int(_conf("BATCH_MAX_FILES")) * 2,
                    max_total_bytes=int(_conf("BATCH_MAX_UPLOAD")) * 5,
                ),
            )
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
            yield from readers.read_blob(f"{name}/{rel}", data, id=ident)


def upload_items(files) -> list[Item]:
    """Items from the uploaded files, in upload order.  Raises UploadError."""
    files = [f for f in files if f and f.filename]
    if not files:
        raise UploadError("Choose a CSV or JSONL file, some drafts, or a .zip of drafts.")
    if len(files) > int(_conf("BATCH_MAX_FILES")):
        raise UploadError(
            f"Too many files: {len(files)} (limit {_conf('BATCH_MAX_FILES')}); "
            "put them in a .zip or use `followup batch`."
        )
    items: list[Item] = []
    limit = int(_conf("BATCH_MAX_DRAFTS"))
    names = [_base(f.filename) for f in files]
    drafts = [
        (f, n)
        for f, n in zip(files, names)
        if readers.extension(n) not in (".zip", ".csv", ".jsonl", ".ndjson")
    ]
    ids = dict(readers.with_ids([(id(f), n) for f, n in drafts]))
    for f, name in zip(files, names):
        data = f.read()
        ext = readers.extension(name)
        new = (
            _zip_items(name, data)
            if ext == ".zip"
            else readers.read_blob(name, data, id=ids.get(id(f)))
        )
        for item in new:
            items.append(item)
            if len(items) > limit:
                raise TooManyDrafts(
                    f"More than {limit:,} drafts in one upload; split the "
                    "class or use `followup batch` on the command line."
                )
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
    return render_template(
        "batch/index.html",
        kinds=KIND_LABELS,
        accept=ACCEPT,
        max_upload=size_text(int(_conf("BATCH_MAX_UPLOAD"))),
        max_drafts=int(_conf("BATCH_MAX_DRAFTS")),
        **context,
    ), status


def _data_uri(mime: str, text: str, bom: bool = False) -> str:
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    return f"data:{mime};charset=utf-8;base64,{base64.b64encode(data).decode('ascii')}"


def run_review(
    items: list[Item],
    kind: str,
    title: str,
    baseline=None,
    progress: Callable[[int], bool] | None = None,
) -> dict[str, Any]:
    """Check the items once; return the page fragment, the downloads (the CSV gradebook, the
    HTML report, the handouts zip, the JSONL reports for comparing the next round) and the
    summary line.  ``baseline``: a first round's reports (``checker.batch.compare.Baseline``).
    ``progress(done)`` is called after each draft; when it returns True the review stops
    (``Cancelled``)."""
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
        writers = [
            CsvWriter(csv_out, baseline=baseline),
            HtmlWriter(html_out, summary, title=title, inputs=sources, baseline=baseline),
            HandoutWriter(zf, title=title, baseline=baseline),
            JsonlWriter(jsonl_out),
        ]
        for done, result in enumerate(
            process(items, jobs=1, config=config, kind=parse_kind(kind)), 1
        ):
            summary.add(result)
            for w in writers:
                w.write(result)
            if progress is not None and progress(done):
                raise Cancelled()
        writers[1].body_to(fragment)
        for w in writers:
            w.close()
    return {
        "summary_line": summary.line(),
        "report_html": fragment.getvalue(),
        "csv_uri": _data_uri("text/csv", csv_out.getvalue(), bom=True),
        "html_uri": _data_uri("text/html", html_out.getvalue()),
        "handouts_uri": "data:application/zip;base64,"
        + base64.b64encode(zip_out.getvalue()).decode("ascii"),
        "jsonl_uri": _data_uri("application/x-ndjson", jsonl_out.getvalue()),
        "filename": _filename(title),
    }


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
    """Read and check the upload, then start its job and go to the job's page."""
    form = _form()
    try:
        baseline = read_baseline(request.files.get("compare"))
        items = upload_items(request.files.getlist("files"))
        job_id = start_job(items, form["kind"], form["title"], baseline)
    except InputError as exc:
        return _page(exc.status, form=form, error=exc.message)
    return redirect(url_for("batch.job", job_id=job_id), code=303)


@bp.get("/report.css")
def report_css():
    from checker.batch.htmlreport import stylesheet

    resp = Response(stylesheet(), mimetype="text/css")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    return _page(
        413,
        error=f"The upload is too large: the limit is "
        f"{size_text(int(_conf('BATCH_MAX_UPLOAD')))} per upload. Split the class "
        "into smaller uploads, or use `followup batch` on the command line.",
    )


# -- jobs ---------------------------------------------------------------------------------------

ACTIVE = ("queued", "running")


class Jobs:
    """The review jobs of this app, by id: a small status each (``state``: queued, running,
    done, cancelled or failed; ``done`` and ``total`` drafts; the owner; times; a cancel flag)
    and the result once done.  In memory only: plain dicts, or a ``multiprocessing``
    manager's when the app's worker processes share them (``shared``)."""

    def __init__(self, shared: bool = False):
        self.shared = shared
        self._manager = None
        if shared:
            import multiprocessing

            # Spawned, not forked: a forked manager would keep every file the app's process
            # has open (a listening socket, a browser driver's pipes) open as long as it runs.
            # The proxies connect on first use, so worker processes forked after this (the
            # app never uses them before it forks) each open their own connections.
            self._manager = multiprocessing.get_context("spawn").Manager()
            self._status, self._results = self._manager.dict(), self._manager.dict()
            self._lock = self._manager.Lock()
        else:
            self._status, self._results, self._lock = {}, {}, threading.Lock()

    def _purge(self, ttl: float) -> None:
        now = time.time()
        for job_id, st in list(self._status.items()):
            if st["finished"] is not None and now - st["finished"] > ttl:
                self._status.pop(job_id, None)
                self._results.pop(job_id, None)

    def create(self, owner: str, total: int, *, max_jobs: int, ttl: float) -> str | None:
        """A new queued job's id; None when ``max_jobs`` jobs are waiting or running."""
        with self._lock:
            self._purge(ttl)
            if sum(st["state"] in ACTIVE for st in self._status.values()) >= max_jobs:
                return None
            job_id = secrets.token_urlsafe(18)
            self._status[job_id] = {
                "state": "queued",
                "done": 0,
                "total": total,
                "owner": owner,
                "created": time.time(),
                "finished": None,
                "cancel": False,
                "error": None,
            }
            return job_id

    def _update(self, job_id: str, **fields: Any) -> dict[str, Any] | None:
        st = self._status.get(job_id)
        if st is None:
            return None
        st = {**st, **fields}
        self._status[job_id] = st
        return st

    def claim(self, job_id: str, max_running: int) -> bool:
        """Start a queued job when fewer than ``max_running`` run; False to wait."""
        with self._lock:
            if sum(st["state"] == "running" for st in self._status.values()) >= max_running:
                return False
            return self._update(job_id, state="running") is not None

    def progress(self, job_id: str, done: int) -> bool:
        """Record ``done`` drafts; True when the job was cancelled (or forgotten)."""
        with self._lock:
            st = self._update(job_id, done=done)
            return st is None or st["cancel"]

    def cancelled(self, job_id: str) -> bool:
        st = self._status.get(job_id)
        return st is None or st["cancel"]

    def finish(
        self,
        job_id: str,
        state: str,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        with self._lock:
            if result is not None:
                self._results[job_id] = result
            self._update(job_id, state=state, error=error, finished=time.time())

    def cancel(self, job_id: str) -> None:
        with self._lock:
            st = self._update(job_id, cancel=True)
            if st is not None and st["state"] == "queued":
                self._update(job_id, state="cancelled", finished=time.time())

    def get(self, job_id: str, ttl: float) -> dict[str, Any] | None:
        with self._lock:
            self._purge(ttl)
            st = self._status.get(job_id)
            return dict(st) if st is not None else None

    def result(self, job_id: str) -> dict[str, Any] | None:
        return self._results.get(job_id)

    def close(self) -> None:
        if self._manager is not None:
            self._manager.shutdown()
            self._manager = None


def jobs() -> Jobs:
    return current_app.extensions["batch_jobs"]


def _owner() -> str:
    """Who started a job: this browser's session, named by its CSRF token (which the form
    that started the job already carried)."""
    return csrf_token()


def start_job(items: list[Item], kind: str, title: str, baseline=None) -> str:
    """Start checking ``items`` in a background thread; returns the job's id.  Raises
    ``Busy`` when ``BATCH_MAX_JOBS`` jobs are already waiting or running."""
    store = jobs()
    job_id = store.create(
        _owner(),
        len(items),
        max_jobs=int(_conf("BATCH_MAX_JOBS")),
        ttl=float(_conf("BATCH_JOB_TTL")),
    )
    if job_id is None:
        raise Busy(
            "The server is busy with other class reviews; try again in a minute, or "
            "use `followup batch` on the command line."
        )
    app = current_app._get_current_object()
    threading.Thread(
        target=_run_job,
        args=(app, store, job_id, items, kind, title, baseline),
        name=f"batch-job-{job_id[:6]}",
        daemon=True,
    ).start()
    return job_id


def _run_job(
    app, store: Jobs, job_id: str, items: list[Item], kind: str, title: str, baseline
) -> None:
    """The job's thread: wait for a free slot, review, keep the result (or the reason)."""
    with app.app_context():
        max_running = int(_conf("BATCH_MAX_RUNNING"))
        while not store.claim(job_id, max_running):
            if store.cancelled(job_id):
                store.finish(job_id, "cancelled")
                return
            time.sleep(0.2)
        try:
            result = run_review(
                items, kind, title, baseline, progress=lambda done: store.progress(job_id, done)
            )
        except Cancelled:
            store.finish(job_id, "cancelled")
        except Exception as exc:  # one line for the page; the details for the server log
            app.logger.exception("class review job failed")
            store.finish(job_id, "failed", error=f"The review failed: {type(exc).__name__}.")
        else:
            store.finish(job_id, "done", result=result)
        finally:
            items.clear()  # the drafts are dropped as soon as the job ends


def _job_or_404(job_id: str) -> dict[str, Any]:
    st = jobs().get(job_id, float(_conf("BATCH_JOB_TTL")))
    if st is None or st["owner"] != _owner():
        abort(
            404,
            description="No such class review: it ended more than an hour ago, or it "
            "was started in another browser.",
        )
    return st


def _status_json(job_id: str, st: dict[str, Any]) -> dict[str, Any]:
    return {
        "state": st["state"],
        "done": st["done"],
        "total": st["total"],
        "error": st["error"],
        "url": url_for("batch.job", job_id=job_id),
    }


@bp.get("/jobs/<job_id>")
def job(job_id: str):
    """The job's page: its progress and a cancel button while it runs; the report when done."""
    st = _job_or_404(job_id)
    if st["state"] == "done":
        result = jobs().result(job_id)
        if result is not None:
            return _page(200, review=result)
    return render_template(
        "batch/job.html",
        job_id=job_id,
        job=st,
        status_url=url_for("batch.job_status", job_id=job_id),
    ), 200


@bp.get("/jobs/<job_id>/status")
def job_status(job_id: str):
    """``{"state", "done", "total", "error", "url"}``, for the page's progress bar."""
    return jsonify(_status_json(job_id, _job_or_404(job_id)))


@bp.post("/jobs/<job_id>/cancel")
def job_cancel(job_id: str):
    _job_or_404(job_id)
    jobs().cancel(job_id)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(_status_json(job_id, _job_or_404(job_id)))
    return redirect(url_for("batch.job", job_id=job_id), code=303)

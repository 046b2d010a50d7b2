"""Class mode on the web: students submit by link, see their feedback at once and revise; the
facilitator watches one dashboard that updates itself.

Facilitator (``/classes/``): ``GET/POST /classes/new`` creates a class and shows its two
links once (only their hashes are stored).  The facilitator link ``/classes/<token>/`` opens
the dashboard (a password first, when the class has one); under it: ``roster`` (the table
alone, for the dashboard's polling, with an ETag), ``students/<id>`` (one student's
versions side by side), ``summary`` (the batch report's charts for first and latest
versions), ``export.csv`` / ``export.html`` / ``export.jsonl`` / ``handouts.zip`` and the
management forms (close, reopen, retention, a new student link, a student's new personal
link, delete a student, delete the class).

Students (``/s/<token>``): the check page in the class's kind with a name field (or a pick
from the roster); each submission is stored with its report and shown at once; the browser
keeps the student's key in the signed session cookie, so a student sees their own versions
and nobody else's (``/s/me/<key>`` is their personal link, for another browser).

A token that is not a class's (guessed, mistyped, a student link at a facilitator URL, a
class past its retention) is a plain 404.  Requests are rate-limited per link, submissions
per link and per student, password tries per class; the counters are in the class database,
so the limits hold across ``followup serve``'s worker processes.  All SQL is in
``checker.classes.db``; checking goes through ``web.checking.run_check`` (the check page's
limits); the result is rendered by the check page's own ``_result.html``.

Config keys (``DEFAULTS``): ``CLASSES_DB`` (default ``classes.db`` beside ``DB``),
``CLASSES_ONLY`` (serve only class mode and its assets: for a room network),
``CLASS_REQUEST_LIMIT`` / ``CLASS_SUBMIT_LIMIT`` / ``CLASS_STUDENT_LIMIT`` /
``CLASS_LOGIN_LIMIT`` / ``CLASS_CREATE_LIMIT`` as ``(count, seconds)``,
``CLASS_MAX_STUDENTS``, ``CLASS_MAX_VERSIONS``, ``CLASS_POLL_MS``,
``CLASS_DEFAULT_RETENTION`` (days after the due date), ``CLASS_PUBLIC_URL`` (the address the
links are shown with, behind a reverse proxy; default: the address of the request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import sqlite3
import threading
import time
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import InternalServerError, ServiceUnavailable, TooManyRequests

from checker.batch.htmlreport import CSP as REPORT_CSP
from checker.batch.htmlreport import render_card, render_summary
from checker.classes import db, exports, tokens
from checker.classes.compare import changes
from checker.classes.model import ClassError, ClassInfo, StoreError, local_date, now_utc
from checker.classes.roster import read_roster
from checker.contacts.dates import DateError, human, parse_date
from checker.kinds import KINDS, NOUN, TITLE
from checker.report import ELEMENTS, VERDICT_RANK, VERDICTS

from .checking import normalise_text, run_check
from .errors import InputError, size_text

bp = Blueprint(
    "classes", __name__, static_folder="classes_static", static_url_path="/classes/static"
)

DEFAULTS: dict[str, Any] = {
    "CLASSES_DB": None,
    "CLASSES_ONLY": False,
    "CLASS_REQUEST_LIMIT": (1200, 60),  # requests per link (student or facilitator)
    "CLASS_SUBMIT_LIMIT": (300, 60),  # submissions per student link
    "CLASS_STUDENT_LIMIT": (10, 60),  # submissions per student
    "CLASS_LOGIN_LIMIT": (10, 600),  # password tries per class
    "CLASS_CREATE_LIMIT": (60, 3600),  # classes created on this server
    "CLASS_MAX_STUDENTS": 500,
    "CLASS_MAX_VERSIONS": 50,
    "CLASS_POLL_MS": 3000,
    "CLASS_DEFAULT_RETENTION": 30,
    "CLASS_PUBLIC_URL": None,  # e.g. https://workshop.example.org behind a proxy
}
SESSION_KEYS = "class_keys"  # class id -> this browser's student key
SESSION_AUTH = "class_auth"  # facilitator links whose password this browser gave
SESSION_MAX = 20
ELEMENT_SHORT = {e.key: e.short for e in ELEMENTS}
LEVELS = ("none", "some", "high")

#: Dashboard columns: key -> heading.
COLUMNS = {
    "name": "Student",
    "versions": "Versions",
    "verdict": "Latest verdict",
    "errors": "Errors",
    "warnings": "Warnings",
    "missing": "Missing elements",
    "pressure": "Pressure",
    "hostility": "Hostility",
    "last": "Last sent",
}
FILTERS = {
    "all": "Everyone",
    "submitted": "Submitted",
    "waiting": "Not submitted yet",
    "dont_send": VERDICTS["dont_send"].title,
    "revise": VERDICTS["revise"].title,
    "ready": VERDICTS["ready"].title,
    "errors": "With errors",
}


# -- set-up ------------------------------------------------------------------------------------


@bp.record_once
def _install(state) -> None:
    app = state.app
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if not app.config.get("CLASSES_DB"):
        app.config["CLASSES_DB"] = str(db.resolve_db_path(None, beside=app.config["DB"]))
    app.before_request(_classes_only)


#: What a server in ``CLASSES_ONLY`` mode still answers besides class mode.
_ALWAYS = {"static", "pages.highlight_css", "batch.report_css", "api.health"}


def _classes_only():
    if not current_app.config.get("CLASSES_ONLY"):
        return None
    endpoint = request.endpoint or ""
    if endpoint.startswith("classes.") or endpoint in _ALWAYS:
        return None
    if endpoint == "pages.index":
        return redirect(url_for("classes.index"))
    abort(404)


def _conf(key: str) -> Any:
    return current_app.config.get(key, DEFAULTS[key])


_local = threading.local()
_KEEP = 4  # class databases one thread keeps open (one in a server; tests make many apps)
_INHERITED: list = []  # connections a forked child must neither use nor close


def conn():
    """The class database connection of this server thread.

    Each thread keeps its connection open between requests: opening a SQLite file costs a
    few pragmas, and closing the last connection to it checkpoints and deletes the
    write-ahead log, which costs more than a request.  Connections are never shared between
    threads, nor inherited across ``followup serve``'s fork (keyed by process id)."""
    path = current_app.config["CLASSES_DB"]
    key = (os.getpid(), path)
    cache = getattr(_local, "conns", None)
    if cache is None or getattr(_local, "pid", None) != os.getpid():
        if cache:
            # Opened before a fork: closing it here could checkpoint the parent's log.
            _INHERITED.append(cache)
        cache = _local.conns = {}
        _local.pid = os.getpid()
    c = cache.pop(key, None)
    if c is None:
        try:
            c = db.connect(path)
        except ClassError as exc:
            abort(exc.status, description=exc.message)
        while len(cache) >= _KEEP:
            cache.pop(next(iter(cache))).close()
    cache[key] = c  # most recently used last
    g.classes_conn = c
    return c


@bp.errorhandler(StoreError)
@bp.errorhandler(sqlite3.Error)
def _storage_fault(exc: Exception):
    """A fault of the class database (read-only, disk full, busy, damaged) where no form is
    shown again: the error page, one line naming the file and the fault."""
    if isinstance(exc, sqlite3.Error):
        exc = db.fault(exc, current_app.config["CLASSES_DB"])
    if exc.status == 503:
        return current_app.handle_http_exception(ServiceUnavailable(exc.message, retry_after=5))
    return current_app.handle_http_exception(InternalServerError(exc.message))


@bp.teardown_app_request
def _finish(exc=None):
    c = g.pop("classes_conn", None)
    if c is not None and c.in_transaction:  # never carry a transaction into another request
        c.rollback()


_last_purge = 0.0


def _purge() -> None:
    """Retention: remove expired classes (at most every 10 minutes per process)."""
    global _last_purge
    if time.monotonic() - _last_purge < 600:
        return
    _last_purge = time.monotonic()
    try:
        gone = db.purge_expired(conn())
    except Exception as exc:  # retention must never break a page
        current_app.logger.warning("class retention purge failed: %s", exc)
        return
    for c in gone:
        current_app.logger.info("class %s removed: past its retention", c.id)


# -- rate limits -------------------------------------------------------------------------------


def _wait(bucket: str, key: str) -> int:
    count, period = _conf(key)
    return db.rate_hit(conn(), bucket, int(count), int(period), time.time())


def _limit(bucket: str, key: str, what: str) -> None:
    wait = _wait(bucket, key)
    if wait:
        raise TooManyRequests(
            description=f"Too many {what}; wait {wait} seconds and try again.", retry_after=wait
        )


@bp.errorhandler(TooManyRequests)
def _too_many(exc: TooManyRequests):
    response = current_app.make_response(
        (render_template("error.html", code=429, name=exc.name, description=exc.description), 429)
    )
    if exc.retry_after:
        response.headers["Retry-After"] = str(
            int(exc.retry_after.timestamp() - time.time() + 0.5)
            if isinstance(exc.retry_after, dt.datetime)
            else exc.retry_after
        )
    return response


# -- finding a class by its link ---------------------------------------------------------------


def _student_class(token: str) -> ClassInfo:
    info = db.class_for_student_link(conn(), token)
    if info is None:
        abort(404)
    _limit(f"class:{info.id}:student-link", "CLASS_REQUEST_LIMIT", "requests from this class link")
    return info


def _auth_mark(token: str) -> str:
    return tokens.token_hash(token)[:32]


def _authed(info: ClassInfo, token: str) -> bool:
    return not info.has_password or _auth_mark(token) in (session.get(SESSION_AUTH) or [])


def _facilitator_class(token: str, *, allow_login: bool = False) -> ClassInfo:
    info = db.class_for_facilitator_link(conn(), token)
    if info is None:
        abort(404)
    _limit(
        f"class:{info.id}:facilitator-link",
        "CLASS_REQUEST_LIMIT",
        "requests from this facilitator link",
    )
    if not allow_login and not _authed(info, token):
        if request.endpoint == "classes.roster":  # the dashboard's polling
            abort(403, description="Give the class password on the dashboard first.")
        abort(redirect(url_for("classes.dashboard", token=token), code=303))
    return info


# -- student identity (the signed session cookie) ------------------------------------------------


def _keys() -> dict[str, str]:
    keys = session.get(SESSION_KEYS)
    return dict(keys) if isinstance(keys, dict) else {}


def _identity(info: ClassInfo):
    key = _keys().get(str(info.id))
    return db.student_for_key(conn(), info.id, key) if key else None


def _remember(info: ClassInfo, key: str) -> None:
    keys = _keys()
    keys.pop(str(info.id), None)
    keys[str(info.id)] = key
    while len(keys) > SESSION_MAX:
        keys.pop(next(iter(keys)))
    session[SESSION_KEYS] = keys


def _forget(info: ClassInfo) -> None:
    keys = _keys()
    if keys.pop(str(info.id), None) is not None:
        session[SESSION_KEYS] = keys


# -- helpers for templates ---------------------------------------------------------------------


def when(stamp: str | None) -> str:
    """A stored UTC time as the server's local "27 Nov 14:05" (``checker.contacts.dates.human``,
    the app's one date format)."""
    return human(stamp)


@bp.app_template_filter("class_when")
def _when_filter(stamp):
    return when(stamp)


def external(endpoint: str, **values: Any) -> str:
    """The full URL of a link to hand out: ``CLASS_PUBLIC_URL`` (behind a reverse proxy the
    request's own address may be an internal one) or the address of this request."""
    base = _conf("CLASS_PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _day(d: dt.date) -> str:
    return human(d)


def _common(info: ClassInfo) -> dict[str, Any]:
    return {
        "cls": info,
        "kind_noun": NOUN.get(info.kind, info.kind),
        "kind_title": TITLE.get(info.kind, info.kind),
        "due": _day(info.due),
        "remove_on": _day(info.remove_on),
        "state": info.state(),
        "is_open": info.is_open(),
    }


# -- creating a class --------------------------------------------------------------------------


@bp.get("/classes/")
def index():
    return render_template("classes/index.html")


def _new_form() -> dict[str, Any]:
    today = local_date(now_utc())
    return {
        "title": "",
        "kind": KINDS[0],
        "due": (today + dt.timedelta(days=7)).isoformat(),
        "retention": _conf("CLASS_DEFAULT_RETENTION"),
    }


def _new_page(form=None, errors=None, status=200):
    return render_template(
        "classes/new.html",
        form=form or _new_form(),
        errors=errors or [],
        kinds=TITLE,
        max_upload=size_text(int(current_app.config.get("MAX_CONTENT_LENGTH") or 0)),
    ), status


@bp.get("/classes/new")
def new():
    return _new_page()


def parse_due(value: str, today: dt.date) -> dt.date:
    try:
        due = parse_date(value)
    except DateError as exc:
        raise ClassError(f"Due date: {exc}") from None
    due = due.date() if isinstance(due, dt.datetime) else due
    if due < today:
        raise ClassError(f"Due date: {due.isoformat()} has passed; pick today or a later day.")
    return due


@bp.post("/classes/new")
def create():
    form = {k: (request.form.get(k) or "").strip() for k in ("title", "kind", "due", "retention")}
    password = request.form.get("password") or ""
    errors: list[str] = []
    today = local_date(now_utc())
    due = None
    if form["kind"] not in KINDS:
        errors.append("Kind: pick the kind of message the class writes.")
    try:
        due = parse_due(form["due"], today)
    except ClassError as exc:
        errors.append(exc.message)
    roster: list[tuple[str, str | None]] = []
    upload = request.files.get("roster")
    if upload is not None and upload.filename:
        try:
            roster = read_roster(upload.read(), upload.filename)
        except ClassError as exc:
            errors.append(f"Roster: {exc.message}")
    try:
        db.clean_title(form["title"])
        db.clean_retention(form["retention"] or _conf("CLASS_DEFAULT_RETENTION"))
        if len(password) > tokens.MAX_PASSWORD:
            raise ClassError(f"the password is too long (limit {tokens.MAX_PASSWORD} characters)")
    except ClassError as exc:
        errors.append(exc.message[:1].upper() + exc.message[1:] + ".")
    if errors:
        return _new_page(form, errors, 400)
    _limit("server:create", "CLASS_CREATE_LIMIT", "classes created on this server")
    info, student_token, facilitator_token = db.create_class(
        conn(),
        form["title"],
        form["kind"],
        due,
        retention_days=int(form["retention"] or _conf("CLASS_DEFAULT_RETENTION")),
        password=password or None,
        roster=roster,
    )
    # The creator's browser may open the dashboard without typing the password again.
    if info.has_password:
        _grant(facilitator_token)
    return render_template(
        "classes/created.html",
        **_common(info),
        student_url=external("classes.student", token=student_token),
        facilitator_url=external("classes.dashboard", token=facilitator_token),
        roster=len(roster),
    )


def _grant(token: str) -> None:
    marks = [m for m in (session.get(SESSION_AUTH) or []) if m != _auth_mark(token)]
    session[SESSION_AUTH] = (marks + [_auth_mark(token)])[-SESSION_MAX:]


# -- students ----------------------------------------------------------------------------------
#
# A student reaches their page two ways: the class's student link (``/s/<token>``; the
# browser's session says who they are once they have submitted) or their personal link
# (``/s/me/<key>``; the key says who they are).  Both show and take the same things.


def _student_page(
    info: ClassInfo,
    me,
    *,
    here: str,
    key: str | None,
    form=None,
    error=None,
    status=200,
    version: int | None = None,
    personal=False,
):
    from .pages import result_view

    subs = db.versions(conn(), info.id, me.id) if me else []
    shown = None
    if subs:
        shown = next((s for s in subs if s.version == version), subs[-1])
    form = form or {"name": "", "text": subs[-1].draft if subs else ""}
    roster = (
        [s.name for s in db.list_students(conn(), info.id) if s.on_roster] if me is None else []
    )
    return render_template(
        "classes/student.html",
        **_common(info),
        here=here,
        student=me,
        versions=subs,
        shown=shown,
        result=result_view(shown.report()) if shown else None,
        form=form,
        error=error,
        roster=roster,
        personal=personal,
        personal_url=external("classes.personal", key=key) if me and key else None,
        closed_message=None if info.is_open() else db.closed_message(info),
        messages=get_flashed_messages(),
        next_version=(subs[-1].version + 1) if subs else 1,
    ), status


def _submit(info: ClassInfo, me, *, here: str, key: str | None):
    """Check the posted draft and store it as the student's next version."""
    form = {"name": request.form.get("name", ""), "text": request.form.get("text", "")}
    page = {
        "here": here,
        "key": key,
        "form": form,
        "personal": me is not None
        and key is not None
        and request.endpoint == "classes.personal_submit",
    }
    if not info.is_open():
        return _student_page(info, me, error=db.closed_message(info), status=403, **page)
    wait = _wait(f"class:{info.id}:submit", "CLASS_SUBMIT_LIMIT")
    if not wait and me is not None:
        wait = _wait(f"class:{info.id}:student:{me.id}", "CLASS_STUDENT_LIMIT")
    if wait:
        body, status = _student_page(
            info,
            me,
            status=429,
            **page,
            error=f"Too many submissions right now; wait {wait} seconds and send again. "
            "Your earlier versions are saved.",
        )
        response = current_app.make_response((body, status))
        response.headers["Retry-After"] = str(wait)
        return response
    c = conn()
    try:
        report = run_check(form["text"], info.kind)
        if me is None:
            me, key = db.claim_student(
                c,
                info.id,
                form["name"],
                roster_only=db.has_roster(c, info.id),
                max_students=int(_conf("CLASS_MAX_STUDENTS")),
            )
            _remember(info, key)
            _wait(f"class:{info.id}:student:{me.id}", "CLASS_STUDENT_LIMIT")  # counts this one
        sub = db.add_submission(
            c,
            info.id,
            me.id,
            normalise_text(form["text"]),
            report,
            max_versions=int(_conf("CLASS_MAX_VERSIONS")),
        )
    except InputError as exc:
        return _student_page(info, me, error=exc.message, status=exc.status, **page)
    flash(f"Version {sub.version} received; your feedback is below.")
    return redirect(here + "#result", code=303)


@bp.get("/s/<token>")
def student(token: str):
    info = _student_class(token)
    _purge()
    key = _keys().get(str(info.id))
    return _student_page(
        info,
        _identity(info),
        here=url_for("classes.student", token=token),
        key=key,
        version=request.args.get("v", type=int),
    )


@bp.post("/s/<token>")
def submit(token: str):
    info = _student_class(token)
    me = _identity(info)
    return _submit(
        info, me, here=url_for("classes.student", token=token), key=_keys().get(str(info.id))
    )


@bp.post("/s/<token>/leave")
def leave(token: str):
    """ "Not you?": this browser forgets who it submitted as (the versions stay)."""
    info = _student_class(token)
    _forget(info)
    return redirect(url_for("classes.student", token=token), code=303)


def _personal_class(key: str):
    found = db.class_for_student_key(conn(), key)
    if found is None:
        abort(404)
    info, me = found
    _limit(f"class:{info.id}:student-link", "CLASS_REQUEST_LIMIT", "requests from this class link")
    return info, me


@bp.get("/s/me/<key>")
def personal(key: str):
    """A student's personal link: their page, from any browser (which then remembers them)."""
    info, me = _personal_class(key)
    _remember(info, key)
    return _student_page(
        info,
        me,
        here=url_for("classes.personal", key=key),
        key=key,
        version=request.args.get("v", type=int),
        personal=True,
    )


@bp.post("/s/me/<key>")
def personal_submit(key: str):
    info, me = _personal_class(key)
    return _submit(info, me, here=url_for("classes.personal", key=key), key=key)


# -- the dashboard -----------------------------------------------------------------------------


def _level_rank(level: str | None) -> int:
    return LEVELS.index(level) + 1 if level in LEVELS else 0


_SORT_KEYS = {
    "name": lambda r: (r["name"].casefold(),),
    "versions": lambda r: (r["versions"],),
    # worst first: don't send, revise, ready (a version stored before three verdicts: revise)
    "verdict": lambda r: (VERDICT_RANK.get(r["verdict"], -1) if r["versions"] else 9,),
    "errors": lambda r: (-1 if r["errors"] is None else r["errors"],),
    "warnings": lambda r: (-1 if r["warnings"] is None else r["warnings"],),
    "missing": lambda r: (len(r["missing"]) if r["versions"] else -1,),
    "pressure": lambda r: (_level_rank(r["desperation"]),),
    "hostility": lambda r: (_level_rank(r["hostility"]),),
    "last": lambda r: (r["last_at"] or "",),
}
_FILTER = {
    "all": lambda r: True,
    "submitted": lambda r: r["versions"] > 0,
    "waiting": lambda r: r["versions"] == 0,
    "dont_send": lambda r: r["verdict"] == "dont_send",
    "revise": lambda r: r["verdict"] == "revise",
    "ready": lambda r: r["verdict"] == "ready",
    "errors": lambda r: bool(r["errors"]),
}


def _view_args() -> dict[str, str]:
    sort = request.args.get("sort", "name")
    order = request.args.get("order", "asc")
    show = request.args.get("show", "all")
    q = " ".join((request.args.get("q") or "").split())[:80]
    return {
        "sort": sort if sort in _SORT_KEYS else "name",
        "order": order if order in ("asc", "desc") else "asc",
        "show": show if show in _FILTER else "all",
        "q": q,
    }


def roster_view(info: ClassInfo, args: dict[str, str]) -> dict[str, Any]:
    rows = db.roster(conn(), info.id)
    total = len(rows)
    submitted = sum(1 for r in rows if r["versions"])
    versions = sum(r["versions"] for r in rows)
    shown = [r for r in rows if _FILTER[args["show"]](r)]
    if args["q"]:
        needle = args["q"].casefold()
        shown = [r for r in shown if needle in r["name"].casefold()]
    shown.sort(
        key=lambda r: (*_SORT_KEYS[args["sort"]](r), r["name"].casefold()),
        reverse=args["order"] == "desc",
    )
    for r in shown:
        r["missing_labels"] = [ELEMENT_SHORT.get(k, k.replace("_", " ")) for k in r["missing"]]
        r["verdict_label"] = VERDICTS[r["verdict"]].short if r["verdict"] in VERDICTS else None
    return {
        "rows": shown,
        "total": total,
        "submitted": submitted,
        "waiting": total - submitted,
        "versions": versions,
        "args": args,
        "columns": COLUMNS,
        "filters": FILTERS,
    }


def _etag(info: ClassInfo, args: dict[str, str]) -> str:
    stamp = f"{db.change_stamp(conn(), info.id)}|{info.state()}|{sorted(args.items())}"
    return hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:32]


@bp.get("/classes/<token>/")
def dashboard(token: str):
    info = _facilitator_class(token, allow_login=True)
    _purge()
    if not _authed(info, token):
        return render_template("classes/login.html", **_common(info), token=token, error=None)
    args = _view_args()
    return render_template(
        "classes/dashboard.html",
        **_common(info),
        token=token,
        roster=roster_view(info, args),
        etag=_etag(info, args),
        poll_ms=int(_conf("CLASS_POLL_MS")),
        messages=get_flashed_messages(),
    )


@bp.post("/classes/<token>/login")
def login(token: str):
    info = _facilitator_class(token, allow_login=True)
    if _authed(info, token):
        return redirect(url_for("classes.dashboard", token=token), code=303)
    _limit(f"class:{info.id}:login", "CLASS_LOGIN_LIMIT", "password attempts for this class")
    if not tokens.check_password(
        db.password_hash(conn(), info.id), request.form.get("password") or ""
    ):
        return render_template(
            "classes/login.html", **_common(info), token=token, error="Wrong password."
        ), 403
    _grant(token)
    return redirect(url_for("classes.dashboard", token=token), code=303)


@bp.get("/classes/<token>/roster")
def roster(token: str):
    """The roster table alone, for the dashboard's polling (304 when nothing changed)."""
    info = _facilitator_class(token)
    args = _view_args()
    response = current_app.make_response(
        render_template(
            "classes/_roster.html", **_common(info), token=token, roster=roster_view(info, args)
        )
    )
    response.set_etag(_etag(info, args))
    return response.make_conditional(request)


@bp.get("/classes/<token>/students/<int:student_id>")
def versions(token: str, student_id: int):
    info = _facilitator_class(token)
    student_row = db.get_student(conn(), info.id, student_id)
    if student_row is None:
        abort(404)
    subs = db.versions(conn(), info.id, student_id)
    columns = []
    for i, sub in enumerate(subs):
        columns.append(
            {
                "sub": sub,
                "card": render_card(exports.result_for(sub), sub.version, open=True),
                "changes": changes(subs[i - 1].data, sub.data) if i else None,
            }
        )
    overall = changes(subs[0].data, subs[-1].data) if len(subs) > 1 else None
    return render_template(
        "classes/versions.html",
        **_common(info),
        token=token,
        student=student_row,
        columns=columns,
        overall=overall,
        messages=get_flashed_messages(),
    )


@bp.get("/classes/<token>/summary")
def summary(token: str):
    info = _facilitator_class(token)
    first, latest, order = exports.summaries(conn(), info.id)

    def link(entry: dict[str, Any]) -> str:
        return url_for("classes.versions", token=token, student_id=order[entry["seq"] - 1])

    return render_template(
        "classes/summary.html",
        **_common(info),
        token=token,
        students=len(order),
        first_html=render_summary(
            first, section_id="summary-first", heading="First versions", link=link
        ),
        latest_html=render_summary(
            latest, section_id="summary-latest", heading="Latest versions", link=link
        ),
    )


# -- exports -----------------------------------------------------------------------------------


def _download(body, mimetype: str, filename: str, inline: bool = False) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="{filename}"'
    )
    return response


@bp.get("/classes/<token>/export.csv")
def export_csv(token: str):
    info = _facilitator_class(token)
    buf = io.StringIO(newline="")
    exports.write_csv(conn(), info, buf)
    # A BOM, so spreadsheet programs read names with accents correctly (as `followup batch`).
    return _download(
        "\ufeff" + buf.getvalue(), "text/csv", f"{exports.slug(info.title)}-gradebook.csv"
    )


@bp.get("/classes/<token>/export.jsonl")
def export_jsonl(token: str):
    info = _facilitator_class(token)
    buf = io.StringIO()
    exports.write_jsonl(conn(), info, buf)
    return _download(
        buf.getvalue(), "application/jsonl", f"{exports.slug(info.title)}-versions.jsonl"
    )


@bp.get("/classes/<token>/export.html")
def export_html(token: str):
    info = _facilitator_class(token)
    buf = io.StringIO()
    exports.write_html(conn(), info, buf)
    response = _download(
        buf.getvalue(),
        "text/html",
        f"{exports.slug(info.title)}-report.html",
        inline=not request.args.get("download"),
    )
    # The report is self-contained (inline CSS, no scripts): its own policy, as a file.
    response.headers["Content-Security-Policy"] = REPORT_CSP + "; frame-ancestors 'none'"
    return response


@bp.get("/classes/<token>/handouts.zip")
def export_handouts(token: str):
    info = _facilitator_class(token)
    return _download(
        exports.handouts_bytes(conn(), info),
        "application/zip",
        f"{exports.slug(info.title)}-handouts.zip",
    )


# -- management --------------------------------------------------------------------------------


def _back(token: str, message: str):
    flash(message)
    return redirect(url_for("classes.dashboard", token=token) + "#manage", code=303)


@bp.post("/classes/<token>/close")
def close(token: str):
    info = _facilitator_class(token)
    db.set_closed(conn(), info.id, True)
    return _back(token, "The class is closed: students can read their feedback but not submit.")


@bp.post("/classes/<token>/reopen")
def reopen(token: str):
    info = _facilitator_class(token)
    today = local_date(now_utc())
    raw = (request.form.get("due") or "").strip()
    try:
        due = parse_due(raw, today) if raw else None
    except ClassError as exc:
        return _back(token, exc.message)
    if due is None and info.due < today:
        return _back(token, "The due date has passed: give a new one to reopen the class.")
    info = db.set_closed(conn(), info.id, False, due=due)
    return _back(token, f"The class is open for submissions until the end of {_day(info.due)}.")


@bp.post("/classes/<token>/retention")
def retention(token: str):
    info = _facilitator_class(token)
    try:
        info = db.set_retention(conn(), info.id, request.form.get("days"))
    except ClassError as exc:
        return _back(token, exc.message[:1].upper() + exc.message[1:] + ".")
    return _back(
        token,
        f"The class and all its data will be removed on {_day(info.remove_on)} "
        f"({info.retention_days} days after the due date).",
    )


@bp.post("/classes/<token>/student-link")
def student_link(token: str):
    info = _facilitator_class(token)
    new = db.new_student_link(conn(), info.id)
    return render_template(
        "classes/new_link.html",
        **_common(info),
        token=token,
        what="student link",
        name=None,
        url=external("classes.student", token=new),
    )


def _facilitator_student(token: str, student_id: int):
    """The class a facilitator link opens and one of its students (404 when either is not)."""
    info = _facilitator_class(token)
    found = db.get_student(conn(), info.id, student_id)
    if found is None:
        abort(404)
    return info, found


@bp.post("/classes/<token>/students/<int:student_id>/key")
def student_key(token: str, student_id: int):
    info, found = _facilitator_student(token, student_id)
    key = db.new_student_key(conn(), info.id, student_id)
    return render_template(
        "classes/new_link.html",
        **_common(info),
        token=token,
        what="personal link",
        name=found.name,
        url=external("classes.personal", key=key),
    )


@bp.post("/classes/<token>/students/<int:student_id>/delete")
def delete_student(token: str, student_id: int):
    info, found = _facilitator_student(token, student_id)
    if request.form.get("confirm") != "yes":
        return _back(token, "Tick the box to confirm, then delete.")
    db.delete_student(conn(), info.id, student_id)
    return _back(token, f"Deleted {found.name} and every version they sent.")


@bp.post("/classes/<token>/delete")
def delete_class(token: str):
    info = _facilitator_class(token)
    if request.form.get("confirm") != "yes":
        return _back(token, "Tick the box to confirm, then delete the class.")
    db.delete_class(conn(), info.id)
    session[SESSION_AUTH] = [m for m in (session.get(SESSION_AUTH) or []) if m != _auth_mark(token)]
    return render_template("classes/deleted.html", title=info.title)

"""The contact-log page: list, add, import CSV, export; per employer the next step and when.

All SQL lives in ``checker.contacts``; this module only adapts it to Flask: one connection
per request in ``g`` (closed on teardown), opened on the ``DB`` path of the app config.
Pages that only read never create the database file.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import InternalServerError, ServiceUnavailable

from checker.contacts import csvio, db
from checker.contacts.dates import human, parse_date
from checker.contacts.model import (
    CHANNEL_LABELS,
    CHANNELS,
    DIRECTIONS,
    KIND_LABELS,
    KINDS,
    STYLES,
    ContactLogError,
    NoDatabase,
    StorageFault,
    iso,
)
from checker.contacts.next import next_step as contacts_next_step
from checker.contacts.policy import load_policy, plan
from checker.contacts.service import log_entry, parse_announced, parse_entry, record_sent
from checker.kinds import KindError, parse_kind

bp = Blueprint("log", __name__, url_prefix="/log")


def get_conn(create: bool = False):
    """This request's connection to the log; None when it does not exist yet (and not create)."""
    if "contacts_conn" in g and (g.contacts_conn is not None or not create):
        return g.contacts_conn
    try:
        conn = db.connect(current_app.config["DB"], create=create)
    except NoDatabase:
        conn = None
    except ContactLogError as exc:
        abort(_status(exc, 500), description=str(exc))
    g.contacts_conn = conn
    return conn


def _status(exc: Exception, other: int = 400) -> int:
    """A storage fault of the log's file: 503 while busy (try again), else 500; anything else
    (a mistake in the form): ``other``."""
    if isinstance(exc, StorageFault):
        return 503 if exc.fault == "busy" else 500
    return other


@bp.errorhandler(ContactLogError)
@bp.errorhandler(sqlite3.Error)
def _storage_fault(exc: Exception):
    """A fault of the log's file met where no form is shown again: the error page, one line
    naming the file and the fault (``checker.contacts.db.storage_error``)."""
    if isinstance(exc, sqlite3.Error):
        exc = db.storage_error(exc, current_app.config["DB"])
    status = _status(exc, 500)
    if status == 503:
        return current_app.handle_http_exception(ServiceUnavailable(str(exc), retry_after=5))
    return current_app.handle_http_exception(InternalServerError(str(exc)))


@bp.teardown_app_request
def _close(exc=None):
    conn = g.pop("contacts_conn", None)
    if conn is not None:
        conn.close()


def company_names() -> list[str]:
    """Employers in the log (for the check page's company picker); [] without a log."""
    conn = get_conn()
    if conn is None:
        return []
    return [e.company for e in db.list_employers(conn)]


def next_step(conn, company: str, today: dt.date) -> dict[str, Any] | None:
    """The next appropriate step with ``company`` (``checker.contacts.next_step``), as
    ``{"step", "date", "why", "action", "channel"}``; None when it cannot be worked out."""
    return _advice(company, lambda: contacts_next_step(conn, company, today=today))


def _advice(company: str, work: Callable[[], Any]) -> dict[str, Any] | None:
    """``_step_view(work())``, or None when the step cannot be worked out."""
    try:
        return _step_view(work())
    except Exception as exc:  # advice is a bonus; the log still lists
        current_app.logger.warning("next step for %r failed: %s", company, exc)
        return None


def next_step_for(company: str) -> dict[str, Any] | None:
    """The next step with ``company`` from the app's log (None without a log or employer)."""
    conn = get_conn()
    if conn is None or db.get_employer(conn, company) is None:
        return None
    return next_step(conn, company, dt.date.today())


def _step_view(result: Any) -> dict[str, Any] | None:
    if result is None:
        return None
    if not isinstance(result, dict):
        result = result.to_dict() if hasattr(result, "to_dict") else vars(result)
    step = result.get("sentence") or result.get("step") or result.get("action") or ""
    # One date a step: the deadline of a step that has one ("by 4 Dec"), else its first day.
    due = result.get("due")
    when = due or result.get("earliest") or result.get("date")
    why = result.get("why") or "; ".join(result.get("reasons") or [])
    label = None
    if when:
        label = ("by " if due else "on or after ") + human(str(when))
    return {
        "step": str(step),
        "date": str(when) if when else None,
        "date_label": label,
        "why": str(why),
        "action": result.get("action"),
        "channel": result.get("channel"),
    }


def _form_options():
    return {
        "channels": CHANNELS,
        "directions": DIRECTIONS,
        "kinds": KINDS,
        "channel_labels": CHANNEL_LABELS,
        "kind_labels": KIND_LABELS,
    }


_FIELDS = ("company", "date", "channel", "direction", "kind", "note", "announced", "announced_date")


def _blank_form(company: str = "") -> dict[str, str]:
    return {
        "company": company,
        "date": dt.date.today().isoformat(),
        "channel": "email",
        "direction": "sent",
        "kind": "thank_you",
        "note": "",
        "announced": "",
        "announced_date": "",
    }


def _event_form(event) -> dict[str, str]:
    announced = event.announced_call or ""
    return {
        "company": event.company,
        "date": iso(event.when),
        "channel": event.channel,
        "direction": event.direction,
        "kind": event.kind,
        "note": event.note,
        "announced": "yes" if announced else "",
        "announced_date": announced if announced not in ("", "yes") else "",
    }


def _posted() -> dict[str, str]:
    return {k: (request.form.get(k) or "").strip() for k in _FIELDS}


def _entry(form: dict[str, str]):
    """The posted contact, checked as ``followup log add`` checks it
    (``checker.contacts.service.parse_entry``); raises ``ContactLogError``."""
    announced = form["announced_date"] or ("yes" if form["announced"] else None)
    return parse_entry(
        form["company"],
        form["date"],
        form["channel"],
        form["direction"],
        form["kind"],
        form["note"],
        announced,
    )


def _error_text(exc: Exception) -> str:
    field, sep, why = str(exc).partition(": ")
    if sep and field in ("company", "date", "note", "announced call"):
        return f"{field[:1].upper()}{field[1:]}: {why}."
    return str(exc)


#: Employers (cards) and contacts (table rows) on one page of the log; the rest is paged, so
#: the page costs the same with 60,000 contacts as with 60 (bench/bench_log_page.py).
EMPLOYERS_PER_PAGE = 50
EVENTS_PER_PAGE = 50


def _page_number(name: str) -> int:
    try:
        return max(1, int(request.args.get(name, "1")))
    except ValueError:
        return 1


def _pager(name: str, number: int, total: int, per_page: int) -> dict[str, Any]:
    """Where this page is (``first``-``last`` of ``total``) and the links to its neighbours,
    keeping the page's other query arguments."""
    pages = max(1, -(-total // per_page))
    number = min(number, pages)
    args = {k: v for k, v in request.args.items() if k != name and v}

    def link(n: int) -> str:
        return url_for("log.index", **args, **({name: n} if n > 1 else {}))

    return {
        "number": number,
        "pages": pages,
        "total": total,
        "first": (number - 1) * per_page + 1 if total else 0,
        "last": min(total, number * per_page),
        "offset": (number - 1) * per_page,
        "prev": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < pages else None,
    }


def _page(
    status: int = 200,
    form: dict[str, str] | None = None,
    errors: list[str] | None = None,
    import_errors: list[str] | None = None,
):
    conn = get_conn()
    today = dt.date.today()
    query = " ".join((request.args.get("q") or "").split())[:200]
    of = " ".join((request.args.get("of") or "").split())[:200]
    employers: list[dict[str, Any]] = []
    events: list = []
    emp_pager = _pager("page", _page_number("page"), 0, EMPLOYERS_PER_PAGE)
    ev_pager = _pager("events", _page_number("events"), 0, EVENTS_PER_PAGE)
    if conn is not None:
        emp_pager = _pager(
            "page",
            _page_number("page"),
            db.count_employers_matching(conn, query),
            EMPLOYERS_PER_PAGE,
        )
        page = db.list_employers(
            conn, query=query, limit=EMPLOYERS_PER_PAGE, offset=emp_pager["offset"]
        )
        # The page's events in one query; each employer's next step planned from them (as
        # ``contacts.next_step`` would after reading them again), under one policy.
        logged = db.events_by_employer(conn, [emp.id for emp in page])
        policy = load_policy()
        for emp in page:
            evs = logged[emp.id]
            employers.append(
                {
                    "company": emp.company,
                    "person": emp.person,
                    "role": emp.role,
                    "events": len(evs),
                    "style": emp.style,
                    "decision_date": emp.decision_date,
                    "last": evs[-1] if evs else None,
                    "next": _advice(
                        emp.company,
                        lambda emp=emp, evs=evs: plan(
                            evs, today=today, employer=emp, company=emp.company, policy=policy
                        ),
                    ),
                }
            )
        total = db.count_events(conn, of or None)
        ev_pager = _pager("events", _page_number("events"), total, EVENTS_PER_PAGE)
        events = db.list_events(
            conn, of or None, newest_first=True, limit=EVENTS_PER_PAGE, offset=ev_pager["offset"]
        )
    form = form or _blank_form(request.args.get("company", ""))
    return render_template(
        "log.html",
        events=events,
        employers=employers,
        emp_pager=emp_pager,
        ev_pager=ev_pager,
        query=query,
        of=of,
        form=form,
        errors=errors or [],
        import_errors=import_errors or [],
        today=today,
        styles=STYLES,
        **_form_options(),
    ), status


@bp.get("/")
def index():
    return _page()


@bp.post("/add")
def add():
    form = _posted()
    try:
        entry = _entry(form)
        conn = get_conn(create=True)
        event = log_entry(conn, entry)
    except ContactLogError as exc:
        return _page(_status(exc), form=form, errors=[_error_text(exc)])
    flash(f"Logged: {event.describe()} with {event.company} on {human(event.when)}.")
    return redirect(url_for("log.index"), code=303)


def _event_or_404(event_id: int):
    conn = get_conn()
    event = db.get_event(conn, event_id) if conn is not None else None
    if event is None:
        abort(404, description=f"No contact #{event_id} in the log.")
    return event


def _edit_page(event, form: dict[str, str], errors: list[str] | None = None, status: int = 200):
    return render_template(
        "log_edit.html", event=event, form=form, errors=errors or [], **_form_options()
    ), status


@bp.get("/<int:event_id>/edit")
def edit(event_id: int):
    event = _event_or_404(event_id)
    return _edit_page(event, _event_form(event))


@bp.post("/<int:event_id>/edit")
def update(event_id: int):
    event = _event_or_404(event_id)
    form = _posted()
    try:
        entry = _entry(form)
        new = db.update_event(get_conn(), event_id, *entry.event_args())
    except ContactLogError as exc:
        return _edit_page(event, form, [_error_text(exc)], _status(exc))
    if new is None:  # deleted meanwhile
        abort(404, description=f"No contact #{event_id} in the log.")
    flash(f"Saved: {new.describe()} with {new.company} on {human(new.when)}.")
    return redirect(url_for("log.index") + f"#event-{new.id}", code=303)


@bp.get("/<int:event_id>/delete")
def confirm_delete(event_id: int):
    """Deleting asks first (a plain page, so it works without JavaScript)."""
    return render_template("log_delete.html", event=_event_or_404(event_id))


@bp.post("/<int:event_id>/delete")
def delete(event_id: int):
    event = _event_or_404(event_id)
    db.delete_event(get_conn(), event_id)
    flash(f"Deleted: {event.describe()} with {event.company} on {human(event.when)}.")
    return redirect(url_for("log.index"), code=303)


@bp.post("/employer")
def employer():
    """An employer's details: the date they said they would decide by, the contact person,
    their style.  Checked as ``followup log employer``."""
    company = " ".join((request.form.get("company") or "").split())
    conn = get_conn()
    if not company or conn is None or db.get_employer(conn, company) is None:
        abort(404, description="No such employer in the log; add a contact with them first.")
    fields: dict[str, Any] = {}
    errors = []
    decision = (request.form.get("decision_date") or "").strip()
    if decision:
        try:
            day = parse_date(decision, relative=True)
            fields["decision_date"] = day.date() if isinstance(day, dt.datetime) else day
        except ContactLogError as exc:
            errors.append(f"Decision date: {exc}.")
    person = " ".join((request.form.get("person") or "").split())
    if person:
        if len(person) > 200:
            errors.append("Contact person: at most 200 characters.")
        fields["person"] = person[:200]
    style = request.form.get("style") or ""
    if style:
        if style not in STYLES:
            errors.append(f"Style: one of {', '.join(STYLES)}.")
        fields["style"] = style
    if errors:
        return _page(400, errors=errors)
    try:
        emp = db.set_employer(
            conn, company, clear_decision=request.form.get("clear_decision") == "1", **fields
        )
    except ContactLogError as exc:
        return _page(_status(exc), errors=[str(exc)])
    said = f"they decide by {human(emp.decision_date)}" if emp.decision_date else "no decision date"
    flash(f"Saved {emp.company}: {said}" + (f", contact {emp.person}" if emp.person else "") + ".")
    return redirect(url_for("log.index"), code=303)


@bp.post("/record")
def record():
    """Log the message just checked as sent today (from the check page's result; the draft
    itself is not sent here and not stored)."""
    company = (request.form.get("company") or "").strip()
    if not company:
        abort(400, description="Pick an employer before logging the message.")
    try:
        # From the check page's form: the kind the check read ("record_kind"); the form's own
        # "kind" is the selector, possibly "auto".
        kind = (
            parse_kind(request.form.get("record_kind") or request.form.get("kind")) or "follow_up"
        )
    except KindError as exc:
        abort(400, description=exc.message)
    try:
        announced = parse_announced((request.form.get("announced_call") or "").strip())
        event = record_sent(
            company,
            kind=kind,
            channel="email",
            announced_call=announced,
            note="logged from the check page",
            conn=get_conn(create=True),
        ).event
    except ContactLogError as exc:
        abort(_status(exc), description=str(exc))
    logged = (
        f"Logged: {event.describe()} to {event.company} on {human(event.day)}. "
        f"Your draft is still here to copy; it was not stored."
    )
    if "text" not in request.form:  # an older form without the draft: go to the log
        flash(logged)
        return redirect(url_for("log.index"), code=303)
    # The check page again, with the draft in the editor (it was posted, never stored).
    from .pages import page

    form = {
        "text": request.form.get("text", ""),
        "kind": request.form.get("kind", "auto"),
        "company": company,
    }
    return page(form, notice=logged)


@bp.post("/import")
def import_csv():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(400, import_errors=["Choose a CSV file to import."])
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _page(
            400,
            import_errors=[
                f"{upload.filename}: not UTF-8 text (byte {exc.start}); "
                "save the file as CSV UTF-8 and try again."
            ],
        )
    try:
        result = csvio.import_csv(
            get_conn(create=True), io.StringIO(text, newline=""), source=upload.filename
        )
    except csvio.CSVImportError as exc:
        return _page(
            400,
            import_errors=[f"{upload.filename}: import rejected, nothing was written."]
            + exc.details(),
        )
    except ContactLogError as exc:
        return _page(_status(exc), import_errors=[str(exc)])
    flash(
        f"Imported {result.added} event{'s' if result.added != 1 else ''} "
        f"({result.skipped} already in the log) for {len(result.companies)} "
        f"employer{'s' if len(result.companies) != 1 else ''}."
    )
    return redirect(url_for("log.index"), code=303)


@bp.get("/export.csv")
def export_csv():
    buf = io.StringIO()
    conn = get_conn()
    if conn is None:
        buf.write(",".join(csvio.COLUMNS) + "\n")
    else:
        csvio.export_csv(conn, buf)
    return Response(
        buf.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="contacts.csv"'},
    )


@bp.get("/export.json")
def export_json():
    conn = get_conn()
    data = (
        csvio.export_json(conn)
        if conn is not None
        else {
            "schema": "followup-checker/contacts/1",
            "exported": dt.date.today().isoformat(),
            "employers": [],
            "events": [],
        }
    )
    response = current_app.json.response(data)
    response.headers["Content-Disposition"] = 'attachment; filename="contacts.json"'
    return response

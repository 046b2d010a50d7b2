"""The contact-log page: list, add, import CSV, export; per employer the next step and when.

All SQL lives in ``checker.contacts``; this module only adapts it to Flask: one connection
per request in ``g`` (closed on teardown), opened on the ``DB`` path of the app config.
Pages that only read never create the database file.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect,
                   render_template, request, url_for)

from checker.contacts import csvio, db
from checker.contacts.dates import parse_date
from checker.contacts.model import (CHANNELS, DIRECTIONS, KINDS, ContactLogError,
                                    NoDatabase)
from checker.contacts.next import next_step as contacts_next_step
from checker.contacts.service import parse_announced, record_sent
from checker.kinds import KindError, parse_kind

bp = Blueprint("log", __name__, url_prefix="/log")

MAX_NOTE = 2000


def get_conn(create: bool = False):
    """This request's connection to the log; None when it does not exist yet (and not create)."""
    if "contacts_conn" in g and (g.contacts_conn is not None or not create):
        return g.contacts_conn
    try:
        conn = db.connect(current_app.config["DB"], create=create)
    except NoDatabase:
        conn = None
    except ContactLogError as exc:
        abort(500, description=str(exc))
    g.contacts_conn = conn
    return conn


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
    try:
        return _step_view(contacts_next_step(conn, company, today=today))
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
    when = result.get("earliest") or result.get("date")
    why = result.get("why") or "; ".join(result.get("reasons") or [])
    label = str(when) if when else None
    if when:
        try:
            label = dt.date.fromisoformat(str(when)[:10]).strftime("%A %-d %B %Y")
        except ValueError:
            pass
    return {"step": str(step), "date": str(when) if when else None, "date_label": label,
            "why": str(why),
            "action": result.get("action"), "channel": result.get("channel")}


def _form_options():
    return {"channels": CHANNELS, "directions": DIRECTIONS, "kinds": KINDS}


def _page(status: int = 200, form: dict[str, str] | None = None,
          errors: list[str] | None = None, import_errors: list[str] | None = None):
    conn = get_conn()
    today = dt.date.today()
    events, employers = [], []
    if conn is not None:
        events = db.list_events(conn)
        for emp in db.list_employers(conn):
            mine = [e for e in events if e.employer_id == emp.id]
            employers.append({
                "company": emp.company, "person": emp.person, "role": emp.role,
                "events": len(mine),
                "last": mine[-1] if mine else None,
                "next": next_step(conn, emp.company, today),
            })
    form = form or {"company": request.args.get("company", ""), "date": today.isoformat(),
                    "channel": "email", "direction": "sent", "kind": "thank_you", "note": ""}
    return render_template("log.html", events=list(reversed(events)), employers=employers,
                           form=form, errors=errors or [], import_errors=import_errors or [],
                           today=today, **_form_options()), status


@bp.get("/")
def index():
    return _page()


@bp.post("/add")
def add():
    form = {k: (request.form.get(k) or "").strip() for k in
            ("company", "date", "channel", "direction", "kind", "note")}
    errors = []
    when = None
    if not form["company"]:
        errors.append("Company: enter the employer's name.")
    try:
        when = parse_date(form["date"] or dt.date.today().isoformat())
    except ContactLogError as exc:
        errors.append(f"Date: {exc}")
    if len(form["note"]) > MAX_NOTE:
        errors.append(f"Note: at most {MAX_NOTE:,} characters.")
    if not errors:
        try:
            db.validate_event(form["channel"], form["direction"], form["kind"])
            event = db.add_event(get_conn(create=True), form["company"], when, form["channel"],
                                 form["direction"], form["kind"], form["note"])
        except ContactLogError as exc:
            errors.append(str(exc))
        else:
            flash(f"Logged: {event.kind.replace('_', ' ')} ({event.channel}, {event.direction}) "
                  f"with {event.company} on {event.day.isoformat()}.")
            return redirect(url_for("log.index"), code=303)
    return _page(400, form=form, errors=errors)


@bp.post("/record")
def record():
    """Log the message just checked as sent today (from the check page's result; the draft
    itself is not sent here and not stored)."""
    company = (request.form.get("company") or "").strip()
    if not company:
        abort(400, description="Pick an employer before logging the message.")
    try:
        kind = parse_kind(request.form.get("kind")) or "follow_up"
    except KindError as exc:
        abort(400, description=exc.message)
    try:
        announced = parse_announced((request.form.get("announced_call") or "").strip())
        event = record_sent(company, kind=kind, channel="email", announced_call=announced,
                            note="logged from the check page", conn=get_conn(create=True)).event
    except ContactLogError as exc:
        abort(400, description=str(exc))
    flash(f"Logged: {event.kind.replace('_', ' ')} (email, sent) with {event.company} on "
          f"{event.day.isoformat()}.")
    return redirect(url_for("log.index"), code=303)


@bp.post("/import")
def import_csv():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(400, import_errors=["Choose a CSV file to import."])
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _page(400, import_errors=[f"{upload.filename}: not UTF-8 text (byte {exc.start}); "
                                         "save the file as CSV UTF-8 and try again."])
    try:
        result = csvio.import_csv(get_conn(create=True), io.StringIO(text, newline=""),
                                  source=upload.filename)
    except csvio.CSVImportError as exc:
        return _page(400, import_errors=[f"{upload.filename}: import rejected, nothing was "
                                         "written."] + exc.details())
    except ContactLogError as exc:
        return _page(400, import_errors=[str(exc)])
    flash(f"Imported {result.added} event{'s' if result.added != 1 else ''} "
          f"({result.skipped} already in the log) for {len(result.companies)} "
          f"employer{'s' if len(result.companies) != 1 else ''}.")
    return redirect(url_for("log.index"), code=303)


@bp.get("/export.csv")
def export_csv():
    buf = io.StringIO()
    conn = get_conn()
    if conn is None:
        buf.write(",".join(csvio.COLUMNS) + "\n")
    else:
        csvio.export_csv(conn, buf)
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="contacts.csv"'})


@bp.get("/export.json")
def export_json():
    conn = get_conn()
    data = (csvio.export_json(conn) if conn is not None else
            {"schema": "followup-checker/contacts/1", "exported": dt.date.today().isoformat(),
             "employers": [], "events": []})
    response = current_app.json.response(data)
    response.headers["Content-Disposition"] = 'attachment; filename="contacts.json"'
    return response

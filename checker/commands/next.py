"""``followup next --to COMPANY``: the next appropriate step with an employer, and when.

Without ``--to`` it lists the next step for every employer in the log.
"""

from __future__ import annotations

import datetime as dt
import json

from ..cli import UsageError
from .options import add_config, add_db


def add_arguments(p) -> None:
    p.add_argument(
        "--to", metavar="COMPANY", help="the employer (default: every employer in the log)"
    )
    p.add_argument("--today", metavar="DATE", help="pretend today is DATE (default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_config(p, "TOML config ([cadence] overrides the policy)")
    add_db(p)


def run(args) -> int:
    from ..config import ConfigError, resolve
    from ..contacts import db
    from ..contacts.dates import DateError, parse_date
    from ..contacts.model import ContactLogError, NoDatabase, day_of, json_visible, visible
    from ..contacts.next import next_step

    try:
        config = resolve(args.config)
        today = day_of(parse_date(args.today, relative=True)) if args.today else dt.date.today()
    except DateError as exc:
        raise UsageError(f"--today: {exc}") from None
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    try:
        conn = db.connect(args.db, create=False)
    except NoDatabase:
        conn = None
    except ContactLogError as exc:
        raise UsageError(str(exc)) from None
    try:
        if conn is None:
            companies = [args.to] if args.to else []
            steps = [_no_log(args.to)] if args.to else []
        else:
            companies = [args.to] if args.to else [e.company for e in db.list_employers(conn)]
            steps = [next_step(conn, c, today=today, config=config) for c in companies]
    except ContactLogError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if conn is not None:
            conn.close()
    if args.format == "json":
        out = [s.to_dict() for s in steps]
        print(json_visible(json.dumps(out[0] if args.to else out, ensure_ascii=False, indent=2)))
        return 0
    if not steps:
        print(
            "no employers in the contact log yet; start with: followup log add --to COMPANY "
            "--kind interview --channel in_person --direction received --date YYYY-MM-DD"
        )
        return 0
    for step in steps:
        print(visible(f"{step.company}: {step.sentence}"))  # names from the log: no escapes
    return 0


def _no_log(company: str):
    from ..contacts.policy import plan

    return plan([], today=dt.date.today(), company=" ".join(company.split()))

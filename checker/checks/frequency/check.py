"""Contact-frequency check: is sending this now too soon, too often, one too many?

Runs only when the caller names an employer (``to=``).  Options: ``to`` (company),
``send_on`` (date or date string; default today), ``channel`` (email / call / text; default
email), ``db`` (contact-log path; None = the default resolution).  Judges the message against
the contact log with the cadence policy (``checker.contacts.policy``), and the call the draft
announces (read from the elements check's ``call_heads_up`` sentence) against the same policy.
The section holds ``allowed`` (this message may go out on ``send_on`` as written),
``earliest`` (the first date its timing is fine; null when never, e.g. a second call),
``reasons`` (every frequency finding's message) and the facts they rest on.  Findings about the timing point at
no text (offset 0, empty span); findings about the announced call point at its sentence.
"""

from __future__ import annotations

import datetime as dt


def _call_sentence(ctx) -> tuple[str, int, int] | None:
    """The sentence(s) of the elements check's call heads-up, and the evidence span."""
    call = (ctx.sections.get("elements") or {}).get("call_heads_up") or {}
    if not call.get("present") or call.get("start") is None:
        return None
    start, end = int(call["start"]), int(call.get("end", call["start"]))
    sents = [
        s
        for s in (ctx.sents if ctx.doc is not None else [])
        if s.start_char < end and s.end_char > start
    ]
    if sents:
        return (
            ctx.text[min(s.start_char for s in sents) : max(s.end_char for s in sents)],
            start,
            end,
        )
    return ctx.text[start:end], start, end


def _announced(ctx, send_on: dt.date):
    """The call time the call heads-up announces, dated from ``send_on``, and its span."""
    from ...contacts.policy import read_call_time

    found = _call_sentence(ctx)
    if found is None:
        return None, None
    sentence, start, end = found
    return read_call_time(sentence, send_on), (start, end)


def _announced_without_log(ctx) -> None:
    """Without a contact log the send date is unknown, but some announced calls are wrong
    whenever the note goes out: more than one call ("every day"), and, in a thank-you note,
    a call sooner than the policy allows ("tomorrow").  Calls on a named day ("next
    Thursday", "the 14th") need the send date, so they are judged only with ``to=``."""
    from ... import calltime

    found = _call_sentence(ctx)
    if found is None:
        return
    sentence, start, end = found
    when = calltime.read(sentence)
    if when is None or (
        not when.repeat and (when.weekday is not None or when.day_of_month is not None)
    ):
        return
    from ...contacts.policy import announced_call, judge_announced_call, load_policy

    today = dt.date.today()
    keep = {"frequency.call_repeat"} | (
        {"frequency.call_too_soon"} if ctx.kind == "thank_you" else set()
    )
    for reason in judge_announced_call(
        announced_call(when, today), [], today, load_policy(ctx.config)
    ):
        if reason.rule in keep:
            ctx.emit(reason.rule, start, end, **reason.fmt)


def run(ctx):
    company = ctx.options.get("to")
    if not company:
        _announced_without_log(ctx)
        return None
    from ...contacts.dates import parse_date
    from ...contacts.model import day_of
    from ...contacts.policy import PROPOSAL_CHANNELS, judge_announced_call, load_policy
    from ...contacts.service import judge

    today = dt.date.today()
    raw = ctx.options.get("send_on")
    send_on = (
        day_of(
            parse_date(raw, relative=True, today=today, date_format=ctx.options.get("date_format"))
        )
        if raw
        else today
    )
    channel = ctx.options.get("channel") or "email"
    if channel not in PROPOSAL_CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(PROPOSAL_CHANNELS)}, not {channel!r}")
    policy = load_policy(ctx.config)
    kind = ctx.kind if ctx.kind in ("thank_you", "follow_up") else "follow_up"
    j = judge(
        company,
        send_on=send_on,
        channel=channel,
        kind=kind,
        policy=policy,
        db=ctx.options.get("db"),
    )
    verdict, events, employer, name = j.verdict, j.events, j.employer, j.company
    for reason in verdict.reasons:
        ctx.emit(reason.rule, 0, 0, **reason.fmt)

    call, span = _announced(ctx, send_on)
    call_reasons = []
    if call is not None and span is not None:
        call_reasons = judge_announced_call(call, events, send_on, policy, company=name)
        for reason in call_reasons:
            ctx.emit(reason.rule, span[0], span[1], **reason.fmt)

    section = verdict.to_dict()
    # As written, a note that promises more than one call (or another call) is not fit to send.
    section["allowed"] = verdict.allowed and not any(r.blocking for r in call_reasons)
    section["reasons"] = [r.message for r in verdict.reasons + call_reasons]
    section["rules"] = [r.to_dict() for r in verdict.reasons + call_reasons]
    section = {
        "company": name,
        "known": employer is not None,
        **section,
        "announced_call": call.to_dict() if call else None,
    }
    return section

"""``followup check [FILE|-]...``: the pre-send check, as linter lines or the report JSON."""

from __future__ import annotations

import json
import os
import sys

from ..cli import EXIT_FINDINGS, EXIT_OK, UsageError, open_input
from ..kinds import parse_kind
from ..report import ELEMENTS, SEVERITIES, clip
from .options import add_config, add_db, add_kind

COLOURS = {"error": "31", "warning": "33", "suggestion": "36"}
VERDICT_COLOURS = {"ready": "32", "revise": "33", "dont_send": "31"}


def add_arguments(p) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="draft files; - or none reads stdin")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--fail-on",
        choices=(*SEVERITIES, "never"),
        default="error",
        help="exit 1 when a finding is at or above this severity (default: error)",
    )
    add_kind(p, "message kind (default: inferred from the text)")
    add_config(p)
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument(
        "--fix",
        action="store_true",
        help="apply every certain fix: rewrite each FILE in place (- prints the fixed "
        "draft to stdout and the report to stderr), then report what is left",
    )
    g = p.add_argument_group("contact log (frequency and proofread checks)")
    g.add_argument(
        "--to", metavar="COMPANY", help="check against your log of contacts with COMPANY"
    )
    g.add_argument("--send-on", metavar="DATE", help="when you plan to send (default: today)")
    g.add_argument(
        "--date-format",
        metavar="FMT",
        help="how to read an ambiguous --send-on date, e.g. %%d/%%m/%%Y",
    )
    g.add_argument("--channel", choices=("email", "call", "text"), default=None)
    add_db(g)
    g.add_argument(
        "--record",
        action="store_true",
        help="log the message in the contact log when the check passes (needs --to)",
    )
    g.add_argument(
        "--person",
        metavar="NAME",
        help="who the note goes to (default: the contact person logged for --to)",
    )
    g.add_argument(
        "--role",
        metavar="ROLE",
        help="the role you interviewed for (default: the role logged for --to)",
    )


def _read(path: str) -> tuple[str, str]:
    """Read at most ``max_bytes() + 1`` bytes: a bigger input (``/dev/zero``, a huge stdin)
    is refused as too long without being read to the end."""
    from ..errors import InputError
    from ..textprep import decode, max_bytes, max_chars

    cap = max_bytes()
    if path == "-":  # read here, not through open_input, which reads stdin whole
        name = "<stdin>"
        try:
            data = sys.stdin.buffer.read(cap + 1)
        except OSError as exc:
            raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
    else:
        name, fh = open_input(path, folder_hint="use `followup batch` for many drafts", mode="rb")
        try:
            with fh:
                data = fh.read(cap + 1)
        except OSError as exc:
            raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(data) > cap:
        raise UsageError(
            f"{name}: draft too long: more than {cap:,} bytes (limit {max_chars():,} characters)"
        )
    try:
        return name, decode(data)
    except InputError as exc:
        raise UsageError(f"{name}: {exc}") from None


def _use_colour(mode: str) -> bool:
    if mode != "auto":
        return mode == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _paint(text: str, code: str, on: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if on else text


def render_text(name: str, report, colour: bool, width: int | None = None) -> str:
    """The text report: one line a finding (``FILE:LINE:COL: severity rule (label) message``)
    with its suggestion, then the summary.  ``width`` wraps the lines to a terminal's width
    (None: lines stay whole, as when the output is piped)."""
    from ..advice import timing_text
    from ..contacts.model import visible
    from ..report import VERDICTS, counts_text
    from ..rules import label_for
    from ..termwrap import fill, items

    d = report.to_dict()
    # Words from the draft, the log or the command line are printed with their control
    # characters as escapes (``\x1b``): only this renderer's own colours reach the terminal.
    out: list = []  # (line, indent of its continuation lines), or lines already folded
    for f in d["findings"]:
        sev = _paint(f["severity"], COLOURS[f["severity"]], colour)
        quoted = (
            f' "{visible(clip(f["text"]))}"'
            if f["text"] and f["end"] - f["start"] <= 80 and f["text"] not in f["message"]
            else ""
        )
        out.append(
            (
                f'{name}:{f["line"]}:{f["column"]}: {sev} {f["rule"]} '
                f'({label_for(f["rule"])}) {visible(f["message"])}{quoted}',
                "    ",
            )
        )
        if f["suggestion"]:
            out.append((f"    suggestion: {visible(f['suggestion'])}", "      "))
    for note in report.notes:
        out.append((f"{name}: note: {visible(note)}", "    "))
    ln, pol, des = report.length, report.politeness, report.desperation
    if ln is not None:
        summary = [
            f"{name}: {report.kind.replace('_', '-')} — {ln['words']} words "
            f"({ln['verdict'].replace('_', ' ')}), grade {ln['grade']:.1f}"
        ]
        if pol:
            summary.append(f"politeness {pol['score']:.2f} ({pol['label']})")
        if des:
            summary.append(f"desperation {des['level']}")
        host = report.hostility
        if host and host.get("detected"):
            summary.append(f"hostility {host['level']}")
        out.append((", ".join(summary), "    "))
        why = [
            f["explanation"]
            for f in (pol["top_features"][:3] if pol else [])
            if f.get("explanation")
        ]
        if why:
            out.append(("  politeness: " + "; ".join(why), "    "))
        els = report.elements
        if els:
            marks = []
            for label in ELEMENTS:
                tick = (
                    _paint("[x]", "32", colour)
                    if els[label.key]["present"]
                    else _paint("[ ]", "31", colour)
                )
                marks.append(f"{tick} {label.short}")
            out.append(items("  ", marks, "  ", width))
        timing = timing_text(report.frequency)
        if timing:
            out.append((f"  timing: {visible(timing)}", "    "))
    verdict = d["send_verdict"]
    word = _paint(VERDICTS[verdict].short, VERDICT_COLOURS[verdict], colour)
    out.append((f"{name}: {word}: {counts_text(d['counts'])}", "    "))
    return fill(out, width)


def record_line(args, report, path: str) -> str:
    """``--record``: log the message just checked as sent (``contacts.service.record_sent``)
    unless the report fails ``--fail-on``; returns the line for stderr."""
    import datetime as dt

    from ..contacts.dates import short
    from ..contacts.model import visible
    from ..contacts.service import record_sent
    from ..kinds import NOUN

    if report.fails(getattr(args, "fail_on", None) or "error"):
        return f"not logged: {path} did not pass the check"
    today = dt.date.today()
    channel = args.channel or "email"
    rec = record_sent(
        args.to,
        report=report,
        when=args.send_on,
        channel=channel,
        date_format=getattr(args, "date_format", None),
        today=today,
        note=f"checked {path}",
        db=args.db,
    )
    event, announced = rec.event, rec.announced_call
    extra = ""
    if announced and announced != "yes":
        extra = f"; announced call around {short(dt.date.fromisoformat(announced), event.when)}"
    return (
        f"logged #{event.id}: {channel} {NOUN.get(event.kind, 'message')} to "
        f"{visible(event.company)} on {short(event.day, today)}{extra} "
        f"(undo: followup log rm {event.id})"
    )


def run(args) -> int:
    import checker

    from ..config import ConfigError, resolve

    try:
        config = resolve(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if args.record and not args.to:
        raise UsageError("--record needs --to COMPANY")
    files = args.files or ["-"]
    if files.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    inputs = [_read(path) for path in files]
    from ..textprep import problem

    for name, text in inputs:
        why = problem(text)
        if why:
            raise UsageError(f"{name}: {why}")
    context = {}
    if args.to:
        context = {
            "to": args.to,
            "send_on": args.send_on,
            "channel": args.channel or "email",
            "db": args.db,
            "date_format": args.date_format,
        }
    context.update({k: v for k, v in (("person", args.person), ("role", args.role)) if v})
    kind = parse_kind(args.kind)
    colour = _use_colour(args.color)
    from ..termwrap import width as terminal_width

    width = terminal_width()
    failed = False
    results = []
    out = sys.stderr if args.fix and "-" in files else sys.stdout
    for name, text in inputs:
        try:
            if args.fix:
                report = fix_file(name, text, kind=kind, config=config, **context)
            else:
                report = checker.check(text, kind=kind, config=config, **context)
        except (ValueError, OSError) as exc:  # bad --send-on date, unreadable log ...
            raise UsageError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        failed = failed or report.fails(args.fail_on)
        results.append((name, report))
        if args.record and not report.fails(args.fail_on):
            print(record_line(args, report, name), file=sys.stderr)
    if args.format == "json":
        from ..contacts.model import json_visible  # DEL and C1 as \u escapes too

        data = (
            results[0][1].to_dict()
            if len(results) == 1
            else [dict(path=n, **r.to_dict()) for n, r in results]
        )
        print(json_visible(json.dumps(data, ensure_ascii=False, indent=2)), file=out)
    else:
        print("\n\n".join(render_text(n, r, colour, width) for n, r in results), file=out)
    return EXIT_FINDINGS if failed else EXIT_OK


def fix_file(name: str, text: str, **options):
    """``--fix``: apply every certain fix (``checker.fixes.fix_all``), write the file back
    (stdin: print the fixed draft), say on stderr what changed; returns the report of the
    fixed draft, which lists what is left."""
    from ..fixes import fix_all

    result = fix_all(text, **options)
    if result.before.source.get("html"):
        raise UsageError(f"{name}: --fix works on plain-text drafts; this one is HTML")
    if name == "<stdin>":
        sys.stdout.write(result.text)
        sys.stdout.flush()
    elif result.changed:
        try:
            with open(name, "w", encoding="utf-8", newline="") as fh:
                fh.write(result.text)
        except OSError as exc:
            raise UsageError(
                f"{name}: cannot write the fixed draft: {exc.strerror or exc}"
            ) from None
    from ..rules import label_for

    for a in result.applied:
        print(
            f'{name}: fixed {a["rule"]} ({label_for(a["rule"])}): "{clip(a["text"], 40)}" -> '
            f'"{clip(a["replacement"], 40)}"',
            file=sys.stderr,
        )
    left = len(result.report.findings)
    print(f"{name}: {len(result.applied)} fixed, {left} left", file=sys.stderr)
    return result.report

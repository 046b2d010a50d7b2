"""``followup batch INPUT...``: review a class's drafts; per-student and class reports.

INPUT is a folder of drafts (.txt / .md / .eml / .docx), a CSV (id or student column, text
column), a JSONL file (``id``, ``text``, optional ``kind``), a single draft file, or ``-``
(JSONL on stdin).  The report goes to ``--out`` or stdout: ``jsonl`` (one report JSON per line
with its ``"id"``), ``csv`` (a gradebook row per student), ``html`` (the roster, a folded card
per student, the class summary) or ``handouts`` (one printable page per student, in the folder
``--out DIR``).  ``--compare round1.jsonl`` adds each student's change since that round.
Exit codes: 0 all good, 1 some drafts have error-level findings, 3 some inputs were unreadable
(listed in the report), 2 usage.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile

from ..cli import UsageError
from ..kinds import parse_kind
from .options import add_config, add_kind

FORMAT_BY_SUFFIX = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}
EXIT_UNREADABLE = 3


def add_arguments(p) -> None:
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="folder of drafts, CSV, JSONL, draft file, or - (JSONL on stdin)",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "csv", "html", "handouts"),
        default=None,
        help="report format (default: from the --out suffix, else jsonl); handouts: "
        "one page per student in the folder --out DIR",
    )
    p.add_argument("--out", metavar="PATH", help="write the report here (default: stdout)")
    p.add_argument(
        "--compare",
        metavar="ROUND1.jsonl",
        help="a first round's JSONL report (followup batch --format jsonl): show "
        "each student's change and the class before and after",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="check with N worker processes (default 1: one process)",
    )
    add_kind(p, "message kind for drafts that do not give one (default: inferred)")
    add_config(p)
    p.add_argument("--title", default="Class review", help="title of the HTML report")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary line")


def _format(args) -> str:
    if args.format:
        return args.format
    if args.out:
        return FORMAT_BY_SUFFIX.get(os.path.splitext(args.out)[1].lower(), "jsonl")
    return "jsonl"


def _check_inputs(args, fmt: str) -> None:
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.inputs.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    for path in args.inputs:
        if path != "-" and not os.path.exists(path):
            raise UsageError(f"{path}: no such file or folder")
    if args.compare and not os.path.isfile(args.compare):
        raise UsageError(f"--compare {args.compare}: no such file")
    if fmt == "handouts":
        if not args.out:
            raise UsageError("--format handouts needs --out DIR: the folder for the pages")
        parent = os.path.dirname(os.path.abspath(args.out))
        if not os.path.isdir(parent):
            raise UsageError(f"--out {args.out}: folder {parent} does not exist")
        if os.path.exists(args.out) and not os.path.isdir(args.out):
            raise UsageError(f"--out {args.out}: is a file; give a folder for the handouts")
        return
    if args.out:
        parent = os.path.dirname(os.path.abspath(args.out))
        if not os.path.isdir(parent):
            raise UsageError(f"--out {args.out}: folder {parent} does not exist")
        if os.path.isdir(args.out):
            raise UsageError(f"--out {args.out}: is a folder; give a file name")
        if any(
            p != "-" and os.path.isfile(p) and os.path.realpath(p) == os.path.realpath(args.out)
            for p in args.inputs
        ):
            raise UsageError(f"--out {args.out}: is also an input")


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency of spaCy
        return None
    tqdm.monitor_interval = 0  # no monitor thread (worker processes may be forked)
    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns
    except OSError:
        width = 0
    # A terminal that reports no width (some pseudo-terminals) still gets an 80-column bar.
    sizing = {"dynamic_ncols": True} if width > 0 else {"ncols": 80}
    return lambda results: tqdm(
        results, unit=" drafts", file=sys.stderr, mininterval=0.5, leave=False, **sizing
    )


def _stdout(fmt: str):
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:  # an in-memory stdout (tests): write to it as is
        return sys.stdout, False
    sys.stdout.flush()
    return io.TextIOWrapper(
        buf, encoding="utf-8", newline="" if fmt == "csv" else None, write_through=False
    ), True


def run(args) -> int:
    from ..batch import iter_inputs, review
    from ..batch.runner import BatchStopped
    from ..config import ConfigError, resolve
    from ..nlp import ModelMissing

    fmt = _format(args)
    _check_inputs(args, fmt)
    try:
        config = resolve(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    exclude = [args.out] if args.out else []
    items = iter_inputs(args.inputs, exclude=exclude)
    options: dict = (
        {"title": args.title, "inputs": args.inputs} if fmt in ("html", "handouts") else {}
    )
    if args.compare:
        from ..batch.compare import Baseline, BaselineError

        try:
            options["baseline"] = Baseline.read(args.compare)
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
    progress = _progress(args.quiet)

    def go(out):
        return review(
            items,
            out,
            fmt,
            jobs=args.jobs,
            config=config,
            kind=parse_kind(args.kind),
            progress=progress,
            **options,
        )

    try:
        if fmt == "handouts":
            summary = go(args.out)
        elif args.out:
            folder = os.path.dirname(os.path.abspath(args.out))
            fd, tmp = tempfile.mkstemp(prefix=".followup-batch-", suffix=".tmp", dir=folder)
            try:
                # A BOM lets spreadsheet programs see the gradebook is UTF-8.
                with open(
                    fd,
                    "w",
                    encoding="utf-8-sig" if fmt == "csv" else "utf-8",
                    newline="" if fmt == "csv" else None,
                ) as out:
                    summary = go(out)
                os.chmod(tmp, 0o644 & ~_umask())
                os.replace(tmp, args.out)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        else:
            out, wrapped = _stdout(fmt)
            try:
                summary = go(out)
            finally:
                if wrapped:
                    try:
                        out.flush()
                    finally:
                        out.detach()
    except (BatchStopped, ModelMissing) as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    if not args.quiet:
        dest = f" -> {args.out}" if args.out else ""
        print(f"followup batch: {summary.line()}{dest}", file=sys.stderr)
    return summary.exit_code()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

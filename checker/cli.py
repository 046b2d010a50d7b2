"""The ``followup`` command.  Sub-commands are thin modules in ``checker.commands``.

Each command module exposes ``add_arguments(parser)`` and ``run(args) -> int``; it is imported
only when that command runs, so ``followup check`` never imports Flask or scikit-learn.
Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input error
(``followup batch`` also uses 3: some inputs unreadable).  A ``UsageError`` or any
``checker.errors.InputError`` a command lets through is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys

from . import __version__
from .errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("checker.commands.check", "check drafts before sending (text or JSON report)"),
    "batch": ("checker.commands.batch", "review a class's drafts: per-student and class reports"),
    "class": (
        "checker.commands.classes",
        "class mode: students submit by link, you watch one dashboard",
    ),
    "log": ("checker.commands.log", "keep the log of contacts with each employer"),
    "next": ("checker.commands.next", "the next appropriate step with an employer, and when"),
    "train": ("checker.commands.train", "train a model (politeness) from its corpus"),
    "eval": (
        "checker.commands.evaluate",
        "evaluate a model (politeness) with the paper's protocol",
    ),
    "serve": ("checker.commands.serve", "run the web app on a production WSGI server"),
    "rules": ("checker.commands.rules", "list every rule id with its category and severity"),
}


class UsageError(Exception):
    """A problem with the command line or its input; printed as one line, exit 2."""


def require_extra(extra: str, *modules: str) -> None:
    """A one-line usage error when an optional dependency group is not installed."""
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(
            f"this command needs {', '.join(missing)}: pip install 'followup-checker[{extra}]'"
        )


def open_input(path: str, *, folder_hint: str, **open_kwargs):
    """Open a command's input file ("-" is stdin); problems become one-line UsageErrors."""
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            if "b" in open_kwargs.get("mode", ""):
                return name, io.BytesIO(sys.stdin.buffer.read())
            return name, open(0, closefd=False, **open_kwargs)
        return name, open(path, **open_kwargs)
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a folder; {folder_hint}") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="followup",
        description="Tone and etiquette checker for post-interview thank-you notes and follow-ups.",
    )
    parser.add_argument("--version", action="version", version=f"followup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module).add_arguments(p)
    return parser


def _command(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word that is not an option), if it is one."""
    command = next((a for a in argv if not a.startswith("-")), None)
    return command if command in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command(argv)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except (UsageError, InputError) as exc:
        print(f"followup {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


# One-shot commands that leave nothing open when ``main`` returns (their files are read and
# their log connections closed by then): the process ends without tearing the interpreter
# down, which would free the parsing pipeline's and the models' objects one by one (~50 ms
# of a check), as mypy's ``hard_exit`` does.  The output streams are flushed first.
HARD_EXIT = frozenset({"check"})


def entry() -> None:
    """The ``followup`` console script: ``main``, then the exit."""
    code = main()
    if _command(sys.argv[1:]) in HARD_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or a stream is closed
            pass
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()

"""Lines for a terminal: wrapped to its width when the output is one, left whole when piped.

``width()`` is the terminal's width when stdout is a terminal, else None (piped or
redirected output keeps one finding a line, for grep and editors).  ``wrap(line, width)``
folds one line at spaces, continuation lines indented to ``indent``; ANSI colour codes take
no width.  Nothing here imports more than the standard library (the ``check`` path).
"""

from __future__ import annotations

import re
import shutil
import sys

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
MIN_WIDTH = 40


def width(stream=None) -> int | None:
    """The terminal's columns when ``stream`` (default stdout) is a terminal, else None."""
    stream = stream or sys.stdout
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


def visible(text: str) -> int:
    return len(_ANSI.sub("", text))


def wrap(line: str, width: int | None, indent: str = "    ") -> list[str]:
    """``line`` folded at spaces to ``width`` columns (None: as it is); words longer than a
    line are not broken (a path or a URL stays whole)."""
    if width is None or visible(line) <= width:
        return [line]
    lead = line[: len(line) - len(line.lstrip(" "))]
    words = line[len(lead) :].split(" ")
    out: list[str] = []
    current = lead
    empty = True
    for word in words:
        if not empty and visible(current) + 1 + visible(word) > width:
            out.append(current)
            current, empty = indent, True
        current = current + word if empty else current + " " + word
        empty = False
    out.append(current)
    return out


def items(lead: str, parts: list[str], sep: str, width: int | None) -> list[str]:
    """``parts`` joined by ``sep`` after ``lead``, folded between parts (never inside one)."""
    line = lead + sep.join(parts)
    if width is None or visible(line) <= width:
        return [line]
    out, current = [], lead
    for part in parts:
        if current != lead and visible(current) + len(sep) + visible(part) > width:
            out.append(current)
            current = lead
        current = current + part if current == lead else current + sep + part
    out.append(current)
    return out


def fill(lines: list[tuple[str, str] | list[str]], width: int | None) -> str:
    """``(line, continuation indent)`` pairs, each wrapped, and lists of lines already
    folded (``items``); joined with newlines."""
    out: list[str] = []
    for entry in lines:
        if isinstance(entry, list):
            out.extend(entry)
        else:
            out.extend(wrap(entry[0], width, entry[1]))
    return "\n".join(out)

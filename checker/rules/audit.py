"""Every regular expression the checker runs, for the linear-time test and the bench.

``rule_patterns()`` reads them from the rule data (every ``checker/**/*.toml``: the lists a
phrase engine compiles, the kind cues, the call-time patterns, the header pattern) and from
the engine's word templates filled with each rule's words; ``module_patterns()`` is a small
audit of the compiled patterns the package's modules keep at module level (and the ones
built by a function, such as the date patterns).  Each entry is a ``Pattern`` with where it
comes from, so a slow one can be named.  Nothing here runs during a check.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import load_toml, rule_files

#: Keys of the rule data whose strings (or lists of strings) are regular expressions.
PATTERN_KEYS = ("patterns", "strong", "phrases", "unless", "re", "pattern", "repeat_joiners")
#: Rule files that are not a concept's ``rules.toml``.
EXTRA_FILES = ("calltime.toml",)
#: Module patterns the code only ever uses with ``match`` (anchored where the call says, on one
#: value such as a date typed on the command line), so the test times them that way.
MATCH_ONLY = (
    "checker.contacts.dates._ISO",
    "checker.contacts.dates._DMY_NAME",
    "checker.contacts.dates._MDY_NAME",
    "checker.contacts.dates._NUMERIC",
    "checker.rules.phrases._BOUND",
    "checker.checks.proofread.names.FIRST_LINE_NAME",
    "checker.checks.proofread.names.GREETING",
)
#: Modules the audit does not import: shells and training code (Flask, scikit-learn).
SKIP_MODULES = ("checker.commands", "checker.classes", "checker.batch", "checker.__main__")


@dataclass(frozen=True)
class Pattern:
    where: str  # "checks/hygiene/rules.toml: rules.hygiene.placeholder.patterns[0]"
    regex: re.Pattern[str]
    match_only: bool = False  # the code calls ``match``, never a search


def _walk(node: Any, path: str, key: str | None) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k), k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}[{i}]", key)
    elif isinstance(node, str) and key in PATTERN_KEYS:
        yield path, node


def rule_patterns() -> list[Pattern]:
    """The patterns of the rule data, compiled as the checks compile them (case-insensitive),
    and the engine's word templates filled with each rule's words."""
    from .engine import REPEAT_TEMPLATE, WORD_TEMPLATE
    from .phrases import word_alternation

    out: list[Pattern] = []
    for path in [*rule_files().values(), *EXTRA_FILES]:
        data = load_toml(path)
        for where, source in _walk(data, "", None):
            out.append(Pattern(f"{path}: {where}", re.compile(source, re.IGNORECASE)))
        for rule_id, meta in data.get("rules", {}).items():
            words = meta.get("words")
            if not words:
                continue
            template = {"repetition": REPEAT_TEMPLATE, "substitution": WORD_TEMPLATE}.get(
                meta.get("engine")
            )
            if template:
                out.append(
                    Pattern(
                        f"{path}: rules.{rule_id}.words", word_alternation(tuple(words), template)
                    )
                )
    return out


def module_patterns() -> list[Pattern]:
    """Compiled patterns kept at module level by the package's modules (the shells and the
    training code aside), and the ones a module builds in a function."""
    import checker

    out: list[Pattern] = []
    seen: set[int] = set()
    for info in pkgutil.walk_packages(checker.__path__, "checker."):
        if info.name.startswith(SKIP_MODULES):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional dependency the audit can do without
            continue
        for name, value in vars(module).items():
            candidates = value if isinstance(value, (tuple, list)) else (value,)
            for i, item in enumerate(candidates):
                rx = item[1] if isinstance(item, tuple) and len(item) == 2 else item
                if (
                    isinstance(rx, re.Pattern)
                    and isinstance(rx.pattern, str)
                    and id(rx) not in seen
                ):
                    seen.add(id(rx))
                    suffix = f"[{i}]" if candidates is value else ""
                    where = f"{info.name}.{name}{suffix}"
                    out.append(Pattern(where, rx, where in MATCH_ONLY))
    from .. import textprep
    from ..checks.proofread import dates

    for i, rx in enumerate(dates._patterns()):
        out.append(Pattern(f"checker.checks.proofread.dates._patterns()[{i}]", rx))
    out.append(Pattern("checker.textprep._html_re()", textprep._html_re()))
    return out


def all_patterns() -> list[Pattern]:
    return rule_patterns() + module_patterns()


# -- adversarial input ----------------------------------------------------------------------
# Strings built from a pattern's own character classes: runs of one of its characters, runs
# of a letter and one of its separators ("A-A-A-", "A'A'A'"), after the literal a match has
# to start with ("[", "<", "thank you "), and the literal words it repeats ("really ").

#: What a class escape stands for in the strings.
ESCAPES = {"w": "a_1\u00e9", "W": "-", "s": " \n\t", "S": "x", "d": "1", "D": "x", "b": "", "B": ""}
#: Always part of the alphabet: the characters of the runs the red team found.
BASE = "aA1 .'-!?\n"
#: Letters paired with each separator of the alphabet.
PAIR_LETTERS = "aA1_"
#: The runs found by the red team (issue 16), as (prefix, unit).
KNOWN = (
    ("[", "A-"),
    ("<", "A'"),
    ("Thank you [Name", "."),
    ("", "!"),
    ("", "?!"),
    ("", "("),
    ("", '"'),
    ("", "_"),
    ("", "[]"),
    ("", "\U0001f600"),
    ("", "please, "),
    ("", "well-"),
    ("", "I A "),
    ("", "a, "),
    ("", "<b "),
    ("", "line\r\n"),
    ("", "line\u2028"),
)


def _class_chars(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
            continue
        if ch == "-" and out and i + 1 < len(body):  # a range: its ends
            out.append(body[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def alphabet(source: str) -> str:
    """The characters a pattern's literals and classes name, with the ``BASE`` ones."""
    chars, i = [BASE], 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            chars.append(ESCAPES.get(source[i + 1], source[i + 1]))
            i += 2
        elif ch == "[":
            j = i + 1 + (source[i + 1 : i + 2] == "^")
            j += source[j : j + 1] == "]"
            while j < len(source) and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            chars.append(_class_chars(source[i + 1 : j].lstrip("^")))
            i = j + 1
        elif ch == ".":
            chars.append("x")
            i += 1
        else:
            if ch not in "()|?*+{},^$":
                chars.append(ch)
            i += 1
    return "".join(sorted(set("".join(chars))))


def _lead(source: str) -> str:
    """The literal a match starts with, as far as a plain scan sees it ("[", "thank you ")."""
    out, i = [], 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            if source[i + 1] in ESCAPES:
                if source[i + 1] in "bB":
                    i += 2
                    continue
                break
            out.append(source[i + 1])
            i += 2
        elif ch in "^" and not out:
            i += 1
        elif ch.isalnum() or ch in " ,'-!\"#%&/:;<=>@_`~":
            out.append(ch)
            i += 1
        else:
            break
    if out and i < len(source) and source[i] in "?*{":  # the last one is optional
        out.pop()
    return "".join(out)


def _words(source: str) -> list[str]:
    """The literal words of a pattern, each with the character after it ("really ")."""
    return sorted({m.group(0) for m in re.finditer(r"[A-Za-z']{2,}[ ,.-]?", source)})


def units(source: str) -> list[tuple[str, str]]:
    """(prefix, unit) pairs whose repetition makes the adversarial strings of a pattern."""
    alpha = alphabet(source)
    seps = [c for c in alpha if not c.isalnum()]
    out = {(p, u) for p, u in KNOWN}
    out.update(("", c) for c in alpha)
    out.update(("", a + s) for a in PAIR_LETTERS for s in seps)
    out.update(("", w) for w in _words(source))
    lead = _lead(source)
    if lead:
        out.update((lead, c) for c in alpha)
        out.update((lead, a + s) for a in PAIR_LETTERS for s in seps)
        out.update((lead, w) for w in _words(source))
    return sorted(out)


def build(prefix: str, unit: str, n: int) -> str:
    """``prefix`` and ``unit`` repeated to ``n`` characters."""
    body = unit * (max(0, n - len(prefix)) // len(unit) + 1)
    return (prefix + body)[:n]


#: Plain text for the baseline: what a note is made of.
PLAIN = (
    "Thank you for taking the time to meet with me today about the analyst role. "
    "I enjoyed learning how your team plans its quarterly reviews, and I would be glad "
    "to send work samples. "
)
#: The lengths a string grows through, so a blow-up shows before it takes long.
STAGES = (16, 32, 64, 128, 256)


def _run(rx: re.Pattern[str], text: str, match_only: bool = False) -> float:
    t0 = time.perf_counter()
    if match_only:
        rx.match(text)
    else:
        for _ in rx.finditer(text):
            pass
    return time.perf_counter() - t0


def _best(rx: re.Pattern[str], text: str, repeat: int = 3, match_only: bool = False) -> float:
    return min(_run(rx, text, match_only) for _ in range(repeat))


#: The floor: a word or one other character at a time, the least any pattern does.
_SCAN = re.compile(r"\w+|\W")


@functools.cache
def floor(n: int) -> float:
    """The time of a plain linear scan over ``n`` characters of ``PLAIN``: the baseline's
    floor (a pattern with a rare first character skips plain text faster than that)."""
    return _best(_SCAN, build("", PLAIN, n), 7)


def baseline(rx: re.Pattern[str], n: int, match_only: bool = False) -> float:
    """The time of ``rx`` over a plain string of ``n`` characters (at least ``floor(n)``)."""
    return max(_best(rx, build("", PLAIN, n), match_only=match_only), floor(n))


def worst(pattern: Pattern, n: int = 2000, limit: float = 100.0) -> tuple[float, str]:
    """The largest ratio (time over ``baseline``) of ``pattern`` on its adversarial strings
    of ``n`` characters, and the string's description.  Each string grows through ``STAGES``
    first and stops at the first length whose ratio passes ``limit`` (so an exponential
    pattern fails in milliseconds instead of running for hours)."""
    rx, mo = pattern.regex, pattern.match_only
    base = {k: baseline(rx, k, mo) for k in (*STAGES, n)}
    top, what = 0.0, ""
    for prefix, unit in units(rx.pattern):
        for k in (*STAGES, n):
            text = build(prefix, unit, k)
            ratio = _run(rx, text, mo) / base[k]
            if ratio > limit:  # measure both again before believing it (a busy machine)
                plain = build("", PLAIN, k)
                again = max(_best(rx, plain, 5, mo), _best(_SCAN, plain, 5))
                ratio = _best(rx, text, 5, mo) / again
            if ratio > top:
                top, what = ratio, f"{prefix!r} + {unit!r} * ~{k // len(unit)} ({k} chars)"
            if ratio > limit:
                return top, what
    return top, what

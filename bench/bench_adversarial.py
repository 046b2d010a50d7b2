"""Benchmark crafted input through ``checker.check`` (issue 16): bounded work for every input.

Every case of the issue (the placeholder blow-ups, the long runs without spaces, the "dozen
shapes"), plus runs of each ASCII punctuation character, emoji, brackets and each rule file's
pattern alphabet (``checker.rules.audit``), at 200, 2,000 and 20,000 characters (the size
limit, ``textprep.max_chars``).  Each is compared with a realistic note of the same length
(the paragraphs of ``data/examples`` repeated).  Prints a table, the worst case per length and
whether the targets hold: at the limit, the worst case at most 3x the realistic note; at 200
characters, nothing over 50 ms.

    .venv/bin/python bench/bench_adversarial.py                  # every case, three lengths
    .venv/bin/python bench/bench_adversarial.py --sizes 2000     # one length
    .venv/bin/python bench/bench_adversarial.py --only '!'       # cases whose name has '!'
"""

from __future__ import annotations

import argparse
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import checker  # noqa: E402
from checker import textprep  # noqa: E402
from checker.rules import audit, rule_files  # noqa: E402

EMOJI = (
    "\U0001f600",
    "\U0001f44d\U0001f3fd",
    "\u2764\ufe0f",
    "\U0001f1fa\U0001f1f8",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
)
BRACKETS = ("()", "[]", "{}", "<>", ")(", "][", "\u201c\u201d", "\u00ab\u00bb")


def realistic(n: int) -> str:
    """A note of ``n`` characters: the example drafts' paragraphs, repeated."""
    paras = []
    for path in sorted((ROOT / "data" / "examples").glob("*.txt")):
        paras += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    out = ""
    i = 0
    while len(out) < n:
        out += paras[i % len(paras)] + "\n\n"
        i += 1
    return out[:n]


def cases() -> list[tuple[str, str, str]]:
    """(name, prefix, unit): the text is ``prefix`` then ``unit`` repeated."""
    out = [(f"issue {p!r}+{u!r}*", p, u) for p, u in audit.KNOWN]
    out += [
        ("issue CRLF lines", "", "Thank you for the interview.\r\n"),
        ("issue U+2028 lines", "", "Thank you for the interview.\u2028"),
        ("'<b ' then text", "", "<b Thank you "),
    ]
    out += [(f"run {c!r}", "", c) for c in string.punctuation]
    out += [(f"emoji {e!r}", "", e) for e in EMOJI]
    out += [(f"brackets {b!r}", "", b) for b in BRACKETS]
    out += [(f"spaced {c!r}", "", c + " ") for c in "!?.(-*"]
    out += [("newlines", "Dear Ms. Lee,", "\n"), ("mixed newlines", "", "a\r\nb\rc\u2028d\n")]
    for concept, path in sorted(rule_files().items()):
        alpha = "".join(
            sorted(
                {
                    c
                    for p in audit.rule_patterns()
                    if p.where.startswith(path)
                    for c in audit.alphabet(p.regex.pattern)
                }
            )
        )
        if not alpha:
            continue
        out.append((f"alphabet {concept}", "", alpha))
        out.append((f"alphabet {concept} spaced", "", " ".join(alpha) + " "))
    for p in audit.rule_patterns():  # placeholders and other patterns that start with a literal
        lead = audit._lead(p.regex.pattern)
        if lead and not lead[0].isalnum():
            out.append((f"lead {lead!r} {p.where.split(': ')[-1]}", lead, "A-.'/ "))
    seen, uniq = set(), []
    for name, prefix, unit in out:
        if (prefix, unit) not in seen:
            seen.add((prefix, unit))
            uniq.append((name, prefix, unit))
    return uniq


def timed(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        checker.check(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=f"200,2000,{textprep.max_chars()}")
    ap.add_argument("--only", default="", help="run only the cases whose name contains this")
    ap.add_argument(
        "--repeat",
        type=int,
        default=0,
        help="runs per case (median); default 5 at 200 chars, 3 at 2,000, 1 above",
    )
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    todo = [c for c in cases() if args.only in c[0]]
    checker.check(realistic(2000))  # load the pipeline and the models
    ok = True
    for n in sizes:
        repeat = args.repeat or (5 if n <= 200 else 3 if n <= 2000 else 1)
        base = timed(realistic(n), max(repeat, 3))
        rows = []
        for name, prefix, unit in todo:
            text = audit.build(prefix, unit, n)
            rows.append((timed(text, repeat), name))
        rows.sort(reverse=True)
        print(
            f"\n== {n:,} characters: realistic note {base * 1e3:.1f} ms; "
            f"{len(rows)} cases, slowest first =="
        )
        print(f"{'ms':>9}  {'x note':>6}  case")
        for t, name in rows:
            print(f"{t * 1e3:9.1f}  {t / base:6.2f}  {name}")
        worst_t, worst_name = rows[0]
        print(
            f"worst at {n:,}: {worst_name} {worst_t * 1e3:.1f} ms = {worst_t / base:.2f}x "
            f"the realistic note ({base * 1e3:.1f} ms)"
        )
        if n >= textprep.max_chars() and worst_t > 3 * base:
            ok = False
            print(f"TARGET MISSED: worst case over 3x the realistic note at {n:,}")
        if n <= 200:
            over = [(t, name) for t, name in rows if t > 0.050]
            if over:
                ok = False
                print(f"TARGET MISSED: {len(over)} case(s) over 50 ms at {n}")
    print("\ntargets:", "met" if ok else "missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

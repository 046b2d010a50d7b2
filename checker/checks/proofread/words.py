"""Words of the draft for the proofread rules: where they are, which to leave alone.

``scan(ctx)`` lists every word (letters with inner apostrophes; a hyphen splits) with its
offsets, whether it starts a sentence, the parser's token at that offset, and whether it lies
in a part the speller skips: e-mail addresses, URLs, code, placeholders.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Parts of a draft that are not prose: addresses, links, code, file names, placeholders.  Each
# is looked for only when a character it needs is in the text.  Each runs in linear time
# (tests/rules/test_pattern_time.py): an address starts where its run of non-spaces starts
# (the same match as "\S+@\S+", read once); a host name or path starts where its run of
# "[\w.-]" starts, after at most three "." or "-" (``_RUN_START``), not at every "\b" inside
# it ("1-1-1-..." was tried from each of its positions: quadratic); a domain or file name at
# the start of any of its labels (so "google.com" in "mail.google.com" is skipped).
_RUN_START = (
    r"(?:(?<![\w.-])|(?<=(?<![\w.-])[.-])|(?<=(?<![\w.-])[.-][.-])"
    r"|(?<=(?<![\w.-])[.-][.-][.-]))\b"
)
SKIPS = (
    ("@", re.compile(r"(?<!\S)\S[^\s@]*@\S+")),  # e-mail addresses
    ("/", re.compile(r"(?:https?://|www\.)\S+|" + _RUN_START + r"[\w-]+(?:\.[\w-]+)+/\S*")),  # URLs
    ("www", re.compile(r"www\.\S+")),
    (
        ".",
        re.compile(
            # a name starts after a space or a ".", never after "-" or inside a word (as
            # "\b" would): every label of "mail.google.com" is tried once, "1-1-1-..." once
            r"(?<![\w-])-*\b[\w-]+\.(?:com|org|net|io|co|uk|edu|gov|ai|dev|app|me|us|ca|au|de|fr|py|js"
            r"|ts|md|txt|pdf|docx?|xlsx?|csv|html?)\b",
            re.IGNORECASE,
        ),
    ),  # domains, files
    ("`", re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)),  # code
    ("[", re.compile(r"\[[^\]\n]{0,60}\]")),  # placeholders
    ("<", re.compile(r"<[^>\n]{0,60}>")),
    ("{", re.compile(r"\{\{?[^}\n]{0,60}\}\}?")),
)
#: A word touching one of these is part of an identifier, a hashtag or a handle ("utils_v2").
GLUE = set("0123456789_#@")
SENTENCE_END = ".!?\n:;\u2014\"(\u201c"


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    lower: str  # lower case, curly apostrophes straightened
    capitalised: bool
    sent_start: bool  # only worked out for capitalised words (False for the others)
    doc: Any  # the parse
    index: int | None  # the index of the token that starts at ``start`` (or None)
    skip: bool

    @property
    def token(self) -> Any:
        return None if self.index is None else self.doc[self.index]

    @property
    def propn(self) -> bool:
        return self.index is not None and self.doc[self.index].pos_ == "PROPN"


_SETS: dict[int, tuple[list, frozenset]] = {}


def as_set(words: list[str]) -> frozenset[str]:
    """A word list of the rule data as a lower-case set, built once (the data is read once
    and kept; the list is kept here too, so its id is never reused)."""
    hit = _SETS.get(id(words))
    if hit is None or hit[0] is not words:
        hit = _SETS[id(words)] = (words, frozenset(w.lower() for w in words))
    return hit[1]


def _skip_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for needle, rx in SKIPS if needle in text for m in rx.finditer(text)]
    return sorted(spans)


TITLE_BEFORE = re.compile(
    r"(?:^|\W)(?:mr|mrs|ms|dr|prof|st|mt|messrs|mme|jr|sr|no|vs|etc)\.$", re.IGNORECASE
)


def _sent_start(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in " \t\u00a0\"'\u2018\u201c(*-\u2022":
        i -= 1
    if i >= 0 and text[i] == "." and TITLE_BEFORE.search(text[max(0, i - 8) : i + 1]):
        return False  # "Ms. Kapoor": the full stop ends a title, not a sentence
    return i < 0 or text[i] in SENTENCE_END


def scan(ctx, plain: frozenset[str] = frozenset()) -> list[Word]:
    """The words of ``ctx.text`` in order, less the lower-case words in ``plain`` (common
    words no rule needs to look at twice)."""
    text = ctx.text
    skips = _skip_spans(text)
    doc = ctx.doc
    # Token offsets in one call (iterating the Doc would build a Token object for each).
    starts = doc.to_array("IDX").tolist() if doc is not None and len(doc) else []
    out = []
    k = 0
    for m in WORD.finditer(text):
        word = m.group()
        if word in plain:
            continue
        s, e = m.span()
        while k < len(skips) and skips[k][1] <= s:
            k += 1
        skip = (
            k < len(skips)
            and skips[k][0] < e
            or s > 0
            and text[s - 1] in GLUE
            or e < len(text)
            and text[e] in GLUE
        )
        cap = word[0].isupper()
        i = bisect_left(starts, s)
        out.append(
            Word(
                s,
                e,
                word,
                word.lower().replace("\u2019", "'"),
                cap,
                cap and _sent_start(text, s),
                doc,
                i if i < len(starts) and starts[i] == s else None,
                skip,
            )
        )
    return out


def edits(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance of ``a`` and ``b`` (optimal string alignment), cut
    off at ``limit + 1``."""
    return _osa(a, b, limit)


@functools.lru_cache(maxsize=4096)
def _osa(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[len(b)], limit + 1)


def match_case(template: str, word: str) -> str:
    """``word`` in the case pattern of ``template`` (lower, Capitalised or UPPER)."""
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word

"""Words of the draft for the proofread rules: where they are, which to leave alone.

``scan(ctx)`` lists every word (letters with inner apostrophes; a hyphen splits) with its
offsets, whether it starts a sentence, the parser's token at that offset, and whether it lies
in a part the speller skips: e-mail addresses, URLs, code, placeholders.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Parts of a draft that are not prose: addresses, links, code, file names, placeholders.
SKIP = re.compile(
    r"\S+@\S+"                                   # e-mail addresses
    r"|(?:https?://|www\.)\S+"                   # URLs
    r"|\b[\w-]+(?:\.[\w-]+)+/\S*"                # domain/path
    r"|\b[\w-]+\.(?:com|org|net|io|co|uk|edu|gov|ai|dev|app|me|us|ca|au|de|fr|py|js|ts|md|txt|pdf|docx?|xlsx?|csv|html?)\b"
    r"|`[^`\n]*`"                                # inline code
    r"|```.*?```"                                # code blocks
    r"|\[[^\]\n]{0,60}\]|<[^>\n]{0,60}>|\{\{?[^}\n]{0,60}\}\}?"   # placeholders
    r"|#\w+|@\w+"                                # hashtags, handles
    r"|\b\w*[_\d]\w*\b",                         # identifiers, words with digits
    re.DOTALL)
SENTENCE_END = ".!?\n:;\u2014\"(\u201c"


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    sent_start: bool
    doc: Any            # the parse
    index: int | None   # the index of the token that starts at ``start`` (or None)
    skip: bool

    @property
    def token(self) -> Any:
        return None if self.index is None else self.doc[self.index]

    @property
    def lower(self) -> str:
        return self.text.lower().replace("\u2019", "'")

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def propn(self) -> bool:
        return self.index is not None and self.doc[self.index].pos_ == "PROPN"


def _skip_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in SKIP.finditer(text)]


TITLE_BEFORE = re.compile(r"(?:^|\W)(?:mr|mrs|ms|dr|prof|st|mt|messrs|mme|jr|sr|no|vs|etc)\.$",
                          re.IGNORECASE)


def _sent_start(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in " \t\u00a0\"'\u2018\u201c(*-\u2022":
        i -= 1
    if i >= 0 and text[i] == "." and TITLE_BEFORE.search(text[max(0, i - 8):i + 1]):
        return False     # "Ms. Kapoor": the full stop ends a title, not a sentence
    return i < 0 or text[i] in SENTENCE_END


def scan(ctx) -> list[Word]:
    """The words of ``ctx.text`` in order."""
    text = ctx.text
    skips = _skip_spans(text)
    doc = ctx.doc
    # Token offsets in one call (iterating the Doc would build a Token object for each).
    tokens = dict(zip(doc.to_array("IDX").tolist(), range(len(doc)))) if doc is not None else {}
    out = []
    k = 0
    for m in WORD.finditer(text):
        s, e = m.span()
        while k < len(skips) and skips[k][1] <= s:
            k += 1
        skip = k < len(skips) and skips[k][0] < e
        out.append(Word(s, e, m.group(), _sent_start(text, s), doc, tokens.get(s), skip))
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

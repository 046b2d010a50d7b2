"""Input handling before any analysis: validation, HTML bodies, greeting / body / sign-off.

``problem(text)`` names what makes a text uncheckable (one line), for the CLI's exit-2 errors
and the API's graceful reports alike.  ``strip_html`` turns an HTML email body into plain text;
offsets in a report then refer to that plain text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from .errors import BinaryInput, EmptyInput, EncodingError, InputError, TooLong
from .kinds import KINDS
from .rules import load_toml
from .rules.phrases import PhraseSet, fold, normalise_quotes


def _data() -> dict:
    return load_toml("textprep.toml")


def max_chars() -> int:
    return int(_data()["input"]["max_chars"])


def max_bytes() -> int:
    """The most bytes a draft file or stream may hold (``followup check``, ``followup batch``)."""
    return max_chars() * int(_data()["input"]["bytes_per_char"])


def batch_chars() -> int:
    """The most characters ``check_many`` hands the parser at a time."""
    return int(_data()["parse"]["batch_chars"])


def max_run() -> int:
    """The longest run without whitespace the parser gets as spaCy tokenizes it
    (``checker.nlp.BoundedTokenizer``)."""
    return int(_data()["parse"]["max_run"])


def problem(text: str) -> InputError | None:
    """Why the text cannot be checked (a typed error with a one-line message), or None."""
    if not text.strip():
        return EmptyInput("empty draft: nothing to check")
    bad = lone_surrogate(text)
    if bad is not None:
        return EncodingError(
            f"not valid text: a broken character (lone UTF-16 surrogate U+{ord(text[bad]):04X}) "
            f"at character {bad + 1}; copy the note again from where you wrote it"
        )
    if len(text) > max_chars():
        return TooLong(f"draft too long: {len(text):,} characters (limit {max_chars():,})")
    limit = int(_data()["input"]["max_pieces"])
    if len(text) > limit and (n := pieces(text)) > limit:
        return TooLong(f"draft too long: {n:,} words and line breaks (limit {limit:,})")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if "\x00" in text or controls > max(
        2, len(text) * float(_data()["input"]["max_control_share"])
    ):
        return BinaryInput("binary data, not text")
    return None


_GAP = re.compile(r"\s+")


def pieces(text: str) -> int:
    """What the parser's work grows with: the words (runs without whitespace) and the gaps
    between them that are more than one space (a line break is a token of its own; a single
    space is not)."""
    return len(text.split()) + sum(1 for gap in _GAP.findall(text) if gap != " ")


def lone_surrogate(text: str) -> int | None:
    """The index of the first lone UTF-16 surrogate in ``text`` (U+D800-U+DFFF, which no
    valid text holds and the parser cannot hash), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def encoding_advice(data: bytes, at: int) -> str:
    """Why bytes are not UTF-8, for the person who saved them: the character where it
    goes wrong (read the old Windows way) and how to save the file again."""
    ch = data[at : at + 1].decode("cp1252", errors="replace")
    seen = f"\u201c{ch}\u201d at byte {at}" if ch.isprintable() and ch != "\ufffd" else f"byte {at}"
    return (
        f"not UTF-8 text: it was saved in an old encoding ({seen}); in Word choose Save As, "
        f"then Plain Text (.txt) and Unicode (UTF-8); in Notepad choose Save As and set "
        f"Encoding to UTF-8"
    )


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR line breaks as LF (files from Windows, browsers' form fields)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-8 (BOM allowed).  Raises ``InputError`` (one line)."""
    if b"\x00" in data[:8192]:
        # UTF-16 with BOM is still text; anything else with NULs is binary.
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"not valid UTF-16 text: a broken character at byte {exc.start}; save the "
                    f"note again as UTF-8"
                ) from None
        raise BinaryInput("binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(encoding_advice(data, exc.start)) from None
    return normalise_newlines(text)


@functools.lru_cache(maxsize=1)
def _html_re() -> re.Pattern[str]:
    tags = "|".join(_data()["html"]["tags"])
    return re.compile(rf"</?(?:{tags})(?:\s[^<>]*)?/?>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when the text has a real HTML tag (from the data's list), not just "<Name>"."""
    return bool(_html_re().search(text))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        data = _data()["html"]
        self.block = set(data["block_tags"])
        self.skip = set(data["skip_tags"])
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.skip:
            self._skipping += 1
        elif tag in self.block:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.skip:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.block:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def strip_html(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    out = "".join(parser.parts).replace("\xa0", " ")
    lines = [line.strip() for line in out.split("\n")]
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip()


def line_breaks(text: str) -> list[tuple[int, str]]:
    """Offsets of the lines that must start a new sentence, whatever the parser thinks:
    after a blank line, after a short line ending in "," or ":" (a greeting or a sign-off
    shape: broader than ``layout``'s lists, since a split costs nothing there), after a line
    that ends a sentence, and at a bullet.  Each is ``(offset, why)``, ``why`` one of
    "line" or "bullet" (a bullet counts only when the token there is the bullet alone).
    The pipeline's line component (``checker.nlp``) marks the tokens at these offsets, so
    greetings never merge into the first sentence of the body."""
    out = []
    pos = text.find("\n")
    while pos != -1:
        line_start = text.rfind("\n", 0, pos) + 1
        before = text[line_start:pos].strip()
        nxt = pos + 1
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt >= len(text):
            break
        blank = "\n" in text[pos + 1 : nxt]
        if (
            blank
            or (before.endswith((",", ":")) and len(before.split()) <= 8)
            or before.endswith((".", "!", "?"))
        ):
            out.append((nxt, "line"))
        elif text[nxt] in BULLETS:
            out.append((nxt, "bullet"))
        pos = text.find("\n", nxt)
    return out


BULLETS = ("-", "*", "\u2022")


@dataclass(frozen=True)
class Layout:
    """Where the greeting, body and sign-off of a message are (character offsets)."""

    greeting: tuple[int, int] | None
    body: tuple[int, int]
    signoff: tuple[int, int] | None  # the closing phrase line ("Best regards,")
    signature: tuple[int, int] | None  # the closing phrase and everything after it


def _norm_line(line: str) -> str:
    return re.sub(r"[\s,.:;!\-\u2014]+$", "", line.strip().lower())


def layout(text: str) -> Layout:
    data = _data()
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    content = [(s, e) for s, e in lines if text[s:e].strip()]
    greeting = None
    body_start = 0
    # A pasted "Subject: ..." / "Re: ..." line is a header, not part of the message.
    header = re.compile(data["header"]["pattern"], re.IGNORECASE)
    while content and header.match(text[content[0][0] : content[0][1]].strip()):
        body_start = content[0][1]
        content = content[1:]
    if content:
        s, e = content[0]
        first = text[s:e].strip()
        low = first.lower()
        openers = data["greeting"]["openers"]
        words = len(first.split())
        if words <= data["greeting"]["max_words"] and any(
            low == o
            or low.startswith(o + " ")
            or low.startswith(o + ",")
            or low.startswith(o + ":")
            for o in openers
        ):
            # A greeting line should end the line, not start a long sentence.
            if first.endswith((",", ":", "!", "\u2014", "-")) or words <= 4:
                ls = s + (len(text[s:e]) - len(text[s:e].lstrip()))
                greeting = (ls, ls + len(first))
                body_start = e
    closers = set(data["signoff"]["closers"])
    signoff = signature = None
    body_end = len(text)
    tail = content[-(data["signoff"]["max_trailing_lines"] + 1) :]
    for s, e in tail:
        if greeting and s < greeting[1]:
            continue
        line = text[s:e]
        norm = _norm_line(line)
        if norm in closers and (len(line.strip()) <= 40):
            ls = s + (len(line) - len(line.lstrip()))
            signoff = (ls, ls + len(line.strip()))
            signature = (ls, len(text.rstrip()))
            body_end = s
            break
    if signoff is None and len(content) >= 2:
        # A bare name on the last line ("Jordan") after the body is a signature too.
        s, e = content[-1]
        last = text[s:e].strip()
        if (
            1 <= len(last.split()) <= 3
            and not re.search(r"[.?!:;]$", last)
            and all(w[:1].isupper() for w in last.split() if w[:1].isalpha())
            and s >= body_start
        ):
            ls = s + (len(text[s:e]) - len(text[s:e].lstrip()))
            signature = (ls, ls + len(last))
            body_end = s
    if body_end < body_start:
        body_end = body_start
    return Layout(
        greeting=greeting, body=(body_start, body_end), signoff=signoff, signature=signature
    )


@functools.lru_cache(maxsize=1)
def _kind_cues() -> dict[str, tuple[PhraseSet, tuple[float, ...]]]:
    data = _data()["kind"]
    return {
        kind: (
            PhraseSet(tuple(c["re"] for c in data[kind])),
            tuple(float(c["w"]) for c in data[kind]),
        )
        for kind in KINDS
    }


def kind_scores(text: str) -> dict[str, float]:
    text = normalise_quotes(text)
    folded = fold(text)
    return {
        kind: sum(weights[k] for k in cues.which(text, folded))
        for kind, (cues, weights) in _kind_cues().items()
    }


def infer_kind(text: str) -> str:
    """The kind whose cues weigh most: ``rejection_reply`` when its cues reach the data's
    minimum and outweigh the others', else ``follow_up`` when its cues outweigh the
    thank-you cues, else ``thank_you`` (the first message after an interview)."""
    scores = kind_scores(text)
    rejection = scores["rejection_reply"]
    if (
        rejection >= _data()["kind"]["rejection_reply_min"]
        and rejection > scores["follow_up"]
        and rejection >= scores["thank_you"]
    ):
        return "rejection_reply"
    return "follow_up" if scores["follow_up"] > scores["thank_you"] else "thank_you"

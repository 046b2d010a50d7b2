"""Names and employers: the note against the employer it goes to.

The facts come from the check's options (``to``, ``person``, ``role``) and the contact log
(``checker.contacts.service.addressee``: the employer's person and role, the other employers).
Without them these rules say nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...report import Fix
from .words import Word, as_set, edits

SUFFIXES = {
    "inc",
    "ltd",
    "llc",
    "corp",
    "corporation",
    "co",
    "plc",
    "group",
    "the",
    "gmbh",
    "limited",
    "company",
    "&",
}
# A company or person name in the text: up to four capitalised words.
NAME = r"([A-Z][\w&'\u2019-]*(?:[ \t]+(?:&[ \t]+)?[A-Z][\w&'\u2019-]*){0,3})"
FRAMES = re.compile(
    r"\b(?:join(?:ing)?(?:[ \t]+(?:the|your)[ \t]+team[ \t]+(?:at|of)|[ \t]+you[ \t]+at)?"
    r"|(?:role|position|job|opportunity|vacancy|internship|post|career|future|team|everyone|culture|mission)[ \t]+at"
    r"|(?:role|position|job|opportunity|career|future)[ \t]+with"
    r"|work(?:ing)?[ \t]+(?:at|for)|interest[ \t]+in[ \t]+joining)[ \t]+" + NAME
)
ROLE_FRAMES = re.compile(
    r"\b(?:the|this|your)[ \t]+((?:[A-Za-z][\w&/-]*[ \t]+){0,4}?[A-Za-z][\w&/-]*)[ \t]+"
    r"(?:role|position|job|post|opening|vacancy)\b"
    r"|\b(?:position|role|post)[ \t]+of[ \t]+(?:an?[ \t]+)?((?:[A-Z][\w&/-]*[ \t]*){1,5})"
)
ROLE_STOP = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "&",
    "for",
    "in",
    "at",
    "to",
    "senior",
    "junior",
    "sr",
    "jr",
    "lead",
    "i",
    "ii",
    "iii",
    "level",
    "entry",
    "full",
    "part",
    "time",
    "full-time",
    "part-time",
    "permanent",
    "temporary",
    "contract",
}


@dataclass
class Person:
    raw: str
    title: str | None = None
    first: str | None = None
    last: str | None = None

    @property
    def parts(self) -> list[str]:
        return [p for p in (self.first, self.last) if p]


def parse_person(raw: str | None, titles: set[str]) -> Person | None:
    if not raw or not raw.strip():
        return None
    tokens = [t for t in re.split(r"[\s.,]+", raw.strip()) if t]
    title = None
    if tokens and tokens[0].lower() in titles:
        title = tokens.pop(0)
    if not tokens:
        return None
    if len(tokens) == 1:
        return Person(raw, title, None if title else tokens[0], tokens[0] if title else None)
    return Person(raw, title, tokens[0], tokens[-1])


@dataclass
class Facts:
    company: str | None = None  # the employer the note goes to, as logged or given
    person: Person | None = None
    role: str | None = None
    others: list[str] = field(default_factory=list)  # other logged employers
    names: set[str] = field(default_factory=set)  # every logged name, lower case


def facts(ctx, titles: set[str]) -> Facts:
    opts = ctx.options
    company = (opts.get("to") or "").strip() or None
    person_raw = opts.get("person")
    role = opts.get("role")
    others: list[str] = []
    if company:
        known = _addressee(company, opts.get("db"))
        if known is not None:
            if known.employer is not None:
                company = known.employer.company
                person_raw = person_raw or known.employer.person
                role = role or known.employer.role
            others = [e.company for e in known.others]
    f = Facts(
        company=company,
        person=parse_person(person_raw, titles),
        role=" ".join(role.split()) if role else None,
        others=others,
    )
    for name in [company, person_raw, *others]:
        if name:
            f.names.update(w.lower() for w in re.findall(r"[^\W\d_]+", name))
    return f


_CACHE: dict[tuple, object] = {}


def _addressee(company: str, db):
    """``contacts.service.addressee``, remembered while the log file is unchanged (its and
    its WAL file's size and time): opening and checking the SQLite file costs more than
    all the proofread rules together."""
    import os

    from ...contacts.db import resolve_db_path
    from ...contacts.model import ContactLogError, company_key
    from ...contacts.service import addressee

    path = resolve_db_path(db)
    stamp = []
    for p in (str(path), f"{path}-wal"):
        try:
            st = os.stat(p)
            stamp.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            stamp.append(None)
    key = (str(path), tuple(stamp), company_key(company))
    if key not in _CACHE:
        try:
            known = addressee(company, db=db)
        except ContactLogError:
            known = None
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = known
    return _CACHE[key]


def _core(name: str) -> list[str]:
    return [w for w in re.findall(r"[\w&]+", name.casefold()) if w not in SUFFIXES]


def same_company(a: str, b: str) -> bool:
    ca, cb = _core(a), _core(b)
    if not ca or not cb:
        return False
    return ca == cb or set(ca) <= set(cb) or set(cb) <= set(ca)


def near(a: str, b: str) -> bool:
    """A misspelling of ``b``: one edit (two for long names), not the same word."""
    a, b = a.lower(), b.lower()
    if a == b or len(b) < 4:
        return False
    return edits(a, b, 2) <= (2 if len(b) >= 8 else 1)


def check_names(ctx, f: Facts, words: list[Word], data: dict, flagged: set) -> None:
    """proofread.name_mismatch, proofread.wrong_company and proofread.role."""
    text = ctx.text
    if f.person:
        _greeting(ctx, f, words, data, flagged)
        for w in words:
            if w.skip or not w.capitalised or (w.start, w.end) in flagged or len(w.text) < 4:
                continue
            for part in f.person.parts:
                if near(w.text, part) and not _is_other_name(w.text, f):
                    _emit_name(ctx, w.start, w.end, f, part, flagged)
                    break
    if f.company:
        for other in f.others:
            if same_company(other, f.company):
                continue
            for m in re.finditer(
                r"(?<![\w&])" + re.escape(other) + r"(?![\w&])", text, re.IGNORECASE
            ):
                if m.group()[:1].isupper() and m.span() not in flagged:
                    _emit_company(ctx, m.start(), m.end(), f, flagged)
        skip = as_set(data["not_companies"])
        for m in FRAMES.finditer(text):
            s, e = m.span(1)
            name = m.group(1)
            first = name.split()[0].lower()
            if (
                first in skip
                or (f.person and first in {p.lower() for p in f.person.parts})
                or any(s < b and a < e for a, b in flagged)
            ):
                continue
            if not same_company(name, f.company):
                _emit_company(ctx, s, e, f, flagged)
        core = _core(f.company)
        if len(core) == 1 and len(core[0]) >= 5:
            for w in words:
                if (
                    w.capitalised
                    and not w.skip
                    and (w.start, w.end) not in flagged
                    and near(w.text, core[0])
                    and w.lower not in f.names
                ):
                    _emit_company(ctx, w.start, w.end, f, flagged)
    if f.role:
        _role(ctx, f, flagged)


def _is_other_name(word: str, f: Facts) -> bool:
    return word.lower() in f.names and word.lower() not in {p.lower() for p in f.person.parts}


def _emit_name(ctx, s: int, e: int, f: Facts, right: str, flagged: set, fix: bool = True) -> None:
    flagged.add((s, e))
    ctx.emit(
        "proofread.name_mismatch",
        s,
        e,
        text=ctx.text[s:e],
        person=f.person.raw,
        right=right,
        fix=Fix(s, e, right) if fix else None,
    )


def _emit_company(ctx, s: int, e: int, f: Facts, flagged: set) -> None:
    flagged.add((s, e))
    ctx.emit(
        "proofread.wrong_company",
        s,
        e,
        text=ctx.text[s:e],
        company=f.company,
        fix=Fix(s, e, f.company),
    )


# Both are used with ``match`` at a line's start; the lookbehind keeps a search linear too.
GREETING = re.compile(
    r"(?<![ \t])[ \t]*(?:dear|hi|hello|hey|hiya|good (?:morning|afternoon|evening))\b[^\n]*",
    re.IGNORECASE,
)


# One to three capitalised words, each after spaces (a word never splits two ways).
FIRST_LINE_NAME = re.compile(
    r"(?<![ \t])[ \t]*[A-Z][\w'\u2019.-]*(?:[ \t]+[A-Z][\w'\u2019.-]*){0,2}[ \t]*,[ \t]*(?=\n|$)"
)


def greeting_span(ctx) -> tuple[int, int] | None:
    """The greeting line: the layout's, else a greeting among the first lines (after a
    "Subject:" line or an address block the layout does not take as the greeting), else a
    first line that is only a name and a comma ("Okafor,")."""
    if ctx.layout.greeting:
        return ctx.layout.greeting
    m = FIRST_LINE_NAME.match(ctx.text)
    if m:
        return m.start(), m.end()
    pos = 0
    for n, line in enumerate(ctx.text.split("\n")):
        if n > 12:
            break
        m = GREETING.match(line)
        if m and len(line.split()) <= 6:
            return pos, pos + len(line.rstrip())
        pos += len(line) + 1
    return None


def _greeting(ctx, f: Facts, words: list[Word], data: dict, flagged: set) -> None:
    g = greeting_span(ctx)
    if not g:
        return
    skip = as_set(data["greeting_words"])
    titles = as_set(data["titles"])
    person = f.person
    parts = {p.lower() for p in person.parts}
    names = []
    after_title = False
    for w in words:
        if w.start < g[0] or w.end > g[1]:
            continue
        low = w.lower
        if low in titles:
            after_title = True
            continue
        if low in skip or not w.capitalised:
            after_title = False
            continue
        names.append((w, after_title))
        after_title = False
    if not names:
        return
    if any(w.lower in parts for w, _ in names):
        # Right name (maybe with a second addressee): only near misses are wrong.
        for w, _ in names:
            for part in person.parts:
                if near(w.text, part):
                    _emit_name(ctx, w.start, w.end, f, part, flagged)
        return
    titled_names = [w for w, t in names if t]
    w, titled = (titled_names[0], True) if titled_names else (names[0][0], False)
    if len(w.text) == 1:  # an initial: "Dear D. Whitfield"
        return
    target = None
    for part in person.parts:
        if near(w.text, part):
            target = part
    if target is None:
        target = person.last if titled and person.last else person.first if not titled else None
    if target is None and person.last and not person.first:
        target = person.last
    if target and w.lower not in f.names:
        _emit_name(ctx, w.start, w.end, f, target, flagged)


def _role(ctx, f: Facts, flagged: set) -> None:
    role_tokens = [t for t in re.findall(r"[\w&/-]+", f.role.lower()) if t not in ROLE_STOP]
    if not role_tokens:
        return
    tokens = {t.idx: t for t in ctx.doc} if ctx.doc is not None else {}
    for m in ROLE_FRAMES.finditer(ctx.text):
        group = 1 if m.group(1) else 2
        s, e = m.span(group)
        # Leading adjectives ("the exciting Data Analyst role") are not part of the role.
        for piece in re.finditer(r"[\w&/-]+", ctx.text[s:e]):
            tok = tokens.get(s + piece.start())
            if (
                tok is not None
                and tok.pos_ in ("ADJ", "DET", "PRON", "NUM", "ADV", "VERB")
                and piece.group().lower() not in role_tokens
            ):
                continue
            s = s + piece.start()
            break
        else:
            continue
        x = [t for t in re.findall(r"[\w&/-]+", ctx.text[s:e].lower()) if t not in ROLE_STOP]
        if not x:
            continue
        head = tokens.get(e - len(ctx.text[s:e].split()[-1]))
        if head is not None and head.pos_ not in ("NOUN", "PROPN"):
            continue
        if set(x) <= set(role_tokens) or set(role_tokens) <= set(x) or x[-1] == role_tokens[-1]:
            continue
        if any(s < b and a < e for a, b in flagged):
            continue
        flagged.add((s, e))
        ctx.emit("proofread.role", s, e, text=ctx.text[s:e], role=f.role)


def inconsistent(ctx, f: Facts, words: list[Word], common, flagged: set) -> None:
    """proofread.inconsistent_name: a name (capitalised, not a dictionary word) spelt two
    ways; the rarer spelling is flagged, with the log's or the commoner spelling as fix."""
    spellings: dict[str, list[Word]] = {}
    for w in words:
        if (
            w.skip
            or not w.capitalised
            or len(w.text) < 4
            or not w.text[1:].islower()
            or (w.sent_start and not w.propn)
        ):
            continue
        if common(w.lower) and w.lower not in f.names:
            continue
        spellings.setdefault(w.text, []).append(w)
    names = sorted(spellings)
    logged = {p for p in ([*f.person.parts] if f.person else [])}
    logged |= {w for c in [f.company or "", *f.others] for w in re.findall(r"[^\W\d_]+", c)}
    done = set()
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if not near(a, b) or (a, b) in done:
                continue
            done.add((a, b))
            na, nb = len(spellings[a]), len(spellings[b])
            if a in logged and b not in logged:
                wrong, right = b, a
            elif b in logged and a not in logged:
                wrong, right = a, b
            elif na != nb:
                wrong, right = (a, b) if na < nb else (b, a)
            else:
                wrong = a if spellings[a][0].start > spellings[b][0].start else b
                right = None
            for w in spellings[wrong]:
                if (w.start, w.end) in flagged:
                    continue
                flagged.add((w.start, w.end))
                other = right or (b if wrong == a else a)
                ctx.emit(
                    "proofread.inconsistent_name",
                    w.start,
                    w.end,
                    text=w.text,
                    other=other,
                    right=right or f"{a} or {b}",
                    fix=Fix(w.start, w.end, right) if right else None,
                )

"""Build the proofread evaluation set: correct real notes, and copies with one injected error.

    .venv/bin/python data/eval/proofread/make_set.py      # writes set.jsonl next to this file

Source: ``data/eval/real/tune.jsonl`` only (the holdout file is reserved for a final
independent scoring and is never read here).  The good notes are the ones labelled polite,
not desperate and not hostile, less three that hold real errors (``NOT_CORRECT``).  Each becomes

- one **clean** item: the original text, with the context a user would give (``to``: the
  company the note names, ``person``: the name its greeting uses, a contact log holding that
  employer and two others, and a ``send_on`` date that fits any "weekday, date" it mentions);
- up to eight **injected** items, each the same note with one realistic error, and where it
  is: a keyboard-adjacent typo, a dropped letter, a doubled letter (each a non-word: checked
  against the spelling rule's word file), a confusable (your -> you're, their -> there,
  than -> then, it's <-> its, you're -> your, lose -> loose), a word typed twice, the company
  replaced by another employer from the log, the interviewer's name misspelt in the greeting,
  and a wrong weekday next to a date.

Deterministic (seeded).  ``evaluate.py`` scores the checker on the set.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SOURCE = ROOT / "data" / "eval" / "real" / "tune.jsonl"
OUT = HERE / "set.jsonl"
WORDS = ROOT / "checker" / "checks" / "proofread"
SEED = 13
# Good notes that are not correct after all (read by hand after a first scoring): they hold
# real errors, so they cannot serve as clean originals.
NOT_CORRECT = {
    "ra032": "\"the chance to meet with your in person\" (you)",
    "ra050": "bussy, interveiw, reciptionist, intrested, postion",
    "ra092": "discus, beleive, experiance, relavant, foward, proccess",
}

OTHER_COMPANIES = ["Initech", "Globex", "Hooli", "Vandelay Industries", "Umbrella Health",
                   "Wayne Logistics", "Soylent Foods", "Stark Analytics", "Cyberdyne Systems",
                   "Tyrell Partners"]
ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
CONFUSE = [(r"\byour\b", "you're"), (r"\btheir\b", "there"), (r"\bthan\b", "then"),
           (r"\bit's\b", "its"), (r"\bits\b", "it's"), (r"\byou're\b", "your"),
           (r"\blose\b", "loose")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "mx"}
NOT_NAMES = {"hiring", "manager", "team", "all", "everyone", "there", "sir", "madam", "recruiter",
             "recruitment", "hr", "whom", "panel", "committee", "colleagues", "again", "the"}
STOP = {"the", "a", "an", "your", "you", "our", "my", "this", "i", "we", "me", "us", "it"}
STOP |= {d.lower() for d in DAYS} | {m.lower() for m in MONTHS}


def words_known() -> set[str]:
    """Every word the spelling rule's dictionary holds (a typo must not be one)."""
    plain, _ranked, _top, other, _us, _uk = (WORDS / "words.txt").read_text(
        encoding="utf-8").split("\n\n")
    return set(plain.split()) | set(other.split())


def adjacent(ch: str) -> str:
    for r, row in enumerate(ROWS):
        i = row.find(ch)
        if i >= 0:
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(ROWS):
                    near += [ROWS[rr][j] for j in (i - 1, i) if 0 <= j < len(ROWS[rr])]
            return "".join(near)
    return ""


def greeting(text: str) -> tuple[int, int, str] | None:
    """The greeting line among the first three lines: (start, end, line)."""
    pos = 0
    for n, line in enumerate(text.split("\n")):
        if n > 3:
            break
        if re.match(r"\s*(dear|hi|hello|hey|good (morning|afternoon|evening))\b", line, re.I) \
                and len(line.split()) <= 6:
            return pos, pos + len(line), line
        pos += len(line) + 1
    return None


def person_in(text: str) -> tuple[str, int, int] | None:
    """The name the greeting uses, with the offsets of its last word."""
    g = greeting(text)
    if not g:
        return None
    start, _end, line = g
    words = list(re.finditer(r"[A-Za-z][A-Za-z'\-]*\.?", line))[1:]
    names = []
    for m in words:
        w = m.group().rstrip(".")
        if w.lower() in NOT_NAMES or w.lower() in {"morning", "afternoon", "evening"}:
            return None
        if w[:1].isupper():
            names.append((w, start + m.start(), start + m.start() + len(w)))
    if not names or all(w.lower() in TITLES for w, _, _ in names):
        return None
    person = " ".join(w + ("." if w.lower() in TITLES and f"{w}." in line else "")
                      for w, _, _ in names)
    last = [n for n in names if n[0].lower() not in TITLES][-1]
    return person, last[1], last[2]


def company_in(text: str) -> str | None:
    """The employer a note names: capitalised words after "at", "join", "with", "for", "in"."""
    found: dict[str, int] = {}
    rx = re.compile(r"\b(?:at|join|joining|with|for|in)\s+((?:[A-Z][\w&'-]*)(?:\s+(?:&\s+)?[A-Z][\w&'-]*){0,3})")
    for m in rx.finditer(text):
        name = m.group(1)
        if name.split()[0].lower() in STOP or len(name) < 3:
            continue
        found[name] = found.get(name, 0) + 1
    person = person_in(text)
    for name in sorted(found, key=lambda n: (-found[n], -len(n.split()))):
        if person and any(w in person[0].split() for w in name.split()):
            continue
        if name.isupper() and len(name) <= 4:
            continue
        return name
    return None


def weekday_dates(text: str) -> list[re.Match]:
    days = "|".join(DAYS)
    months = "|".join(MONTHS)
    rx = re.compile(rf"\b({days}),?\s+(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({months})|({months})\s+(\d{{1,2}})(?:st|nd|rd|th)?)\b")
    return list(rx.finditer(text))


def send_on_for(text: str, today: dt.date) -> str | None:
    """A send date that fits every "weekday, date" the note mentions (the latest year at or
    before this one in which the weekday is right), a few days before the first one."""
    for m in weekday_dates(text):
        day = int(m.group(2) or m.group(5))
        month = MONTHS.index(m.group(3) or m.group(4)) + 1
        for year in range(today.year + 1, today.year - 15, -1):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                break
            if d.weekday() == DAYS.index(m.group(1)) and d <= today + dt.timedelta(days=200):
                return (d - dt.timedelta(days=3)).isoformat()
    return None


def body_words(text: str, known: set[str]) -> list[re.Match]:
    g = greeting(text)
    lo = g[1] if g else 0
    out = []
    for m in re.finditer(r"(?<![\w@/.'-])[a-z]{4,}(?![\w@/'-])", text):
        if m.start() > lo and m.group() in known:
            out.append(m)
    return out


def typo(word: str, how: str, rnd: random.Random, known: set[str]) -> str | None:
    for _ in range(20):
        i = rnd.randrange(1, len(word))
        if how == "adjacent":
            near = adjacent(word[i])
            if not near:
                continue
            new = word[:i] + rnd.choice(near) + word[i + 1:]
        elif how == "dropped":
            new = word[:i] + word[i + 1:]
        else:
            new = word[:i] + word[i] + word[i:]
        if new != word and new not in known:
            return new
    return None


def item(row, n, kind, text, ctx, log, injected=None):
    return {"id": f"{row['id']}-{n}", "source": row["id"], "type": kind, "text": text,
            "context": ctx, "log": log, "injected": injected}


def main() -> None:
    if "holdout" in str(SOURCE):
        sys.exit("the holdout file is reserved")
    rnd = random.Random(SEED)
    known = words_known()
    today = dt.date(2026, 12, 2)
    rows = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    good = [r for r in rows if r["politeness"] == "polite" and not r["desperate"]
            and not r["hostile"] and r["id"] not in NOT_CORRECT]
    out = []
    for row in good:
        text = row["text"]
        company = company_in(text)
        person = person_in(text)
        others = rnd.sample([c for c in OTHER_COMPANIES if not company or c not in company], 2)
        ctx = {"to": company or "Northwind Traders"}
        if person:
            ctx["person"] = person[0]
        send_on = send_on_for(text, today)
        if send_on:
            ctx["send_on"] = send_on
        log = [{"company": ctx["to"]}] + [{"company": c} for c in others]
        out.append(item(row, 0, "clean", text, ctx, log))

        def inject(kind, s, e, new, rule):
            t = text[:s] + new + text[e:]
            out.append(item(row, len([o for o in out if o["source"] == row["id"]]), kind, t, ctx,
                            log, {"rule": rule, "start": s, "end": s + len(new),
                                  "original": text[s:e], "replacement": new}))

        cands = body_words(text, known)
        rnd.shuffle(cands)
        used = set()
        for how in ("adjacent", "dropped", "doubled"):
            for m in cands:
                if m.start() in used:
                    continue
                new = typo(m.group(), how, rnd, known)
                if new:
                    used.add(m.start())
                    inject(f"typo_{how}", m.start(), m.end(), new, "proofread.spelling")
                    break
        doubles = [m for m in re.finditer(r"(?<![\w'])(the|a|to|and|of|I|for|in|you|with)(?= )", text)
                   if not (greeting(text) and m.start() < greeting(text)[1])]
        if doubles:
            m = rnd.choice(doubles)
            inject("repeated_word", m.start(), m.end(), f"{m.group()} {m.group()}",
                   "proofread.repeated_word")
        spots = [(m, right) for rx, right in CONFUSE for m in re.finditer(rx, text)
                 if not (greeting(text) and m.start() < greeting(text)[1])]
        if spots:
            m, right = rnd.choice(spots)
            new = right[0].upper() + right[1:] if m.group()[0].isupper() else right
            inject("confusable", m.start(), m.end(), new, "proofread.confusable")
        if company:
            spans = [m.span() for m in re.finditer(re.escape(company), text)]
            s, e = rnd.choice(spans)
            inject("wrong_company", s, e, others[0], "proofread.wrong_company")
        if person:
            _, s, e = person
            name = text[s:e]
            for _ in range(10):
                how = rnd.choice(["adjacent", "dropped", "doubled", "swap"])
                if how == "swap" and len(name) > 3:
                    i = rnd.randrange(1, len(name) - 1)
                    new = name[:i] + name[i + 1] + name[i] + name[i + 2:]
                else:
                    new = typo(name, "adjacent" if how == "swap" else how, rnd, set())
                if new and new != name and len(name) >= 4:
                    inject("name_misspelt", s, e, new, "proofread.name_mismatch")
                    break
        dates = weekday_dates(text)
        if dates and send_on:
            m = rnd.choice(dates)
            right = DAYS.index(m.group(1))
            wrong = DAYS[(right + rnd.choice([1, 2, 5, 6])) % 7]
            inject("wrong_weekday", m.start(1), m.end(1), wrong, "proofread.date")
        elif not dates:
            # No "weekday, date" to change: date a weekday the note names, wrongly.
            mentions = list(re.finditer(r"\bon (" + "|".join(DAYS) + r")\b", text))
            if mentions:
                m = rnd.choice(mentions)
                ref = dt.date.fromisoformat(ctx.get("send_on") or today.isoformat())
                said = DAYS.index(m.group(1))
                d = ref + dt.timedelta(days=rnd.randint(2, 9))
                while d.weekday() == said:
                    d += dt.timedelta(days=1)
                new = f"{m.group(1)}, {d.day} {MONTHS[d.month - 1]}"
                inject("wrong_weekday", m.start(1), m.end(1), new, "proofread.date")
    with OUT.open("w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for o in out:
        kinds[o["type"]] = kinds.get(o["type"], 0) + 1
    print(f"{OUT.relative_to(ROOT)}: {len(out)} items from {len(good)} notes: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()

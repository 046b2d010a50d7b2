"""Build ``checker/checks/proofread/words.txt`` and ``common.txt.gz``, the compact dictionary
of the spelling rule (looked up directly, and given to pyspellchecker for suggestions;
docs/spelling.md says why this shape).

Run only when the word lists change; the output is committed.  Needs, at build time only:
Debian's ``hunspell-en-us``, ``hunspell-en-gb``, ``hunspell-tools`` (``unmunch``),
``wamerican-large`` and ``wbritish-large``, and the PyPI packages ``spylls`` (to keep only the
forms Hunspell itself accepts) and ``symspellpy`` (its MIT frequency list ranks suggestions).

Output, two files next to the proofread check:

- ``words.txt`` (UTF-8, not compressed: the check reads it as bytes and parses almost nothing,
  so a cold ``followup check`` pays next to nothing for it), six blocks separated by an empty
  line:
  1. every plain (a-z and apostrophe) form of Hunspell en_US + en_GB, lower-cased, sorted, one
     a line: binary-searched;
  2. the plain words SymSpell's frequency list ranks, sorted: binary-searched ("a common
     word", not a rare form, name or acronym);
  3. the ``TOP`` most frequent of those, most frequent first: a set in memory, where most
     words of a draft are found;
  4. the forms with other characters ("café", "naïve"): accepted, never suggested;
  5. / 6. spellings only American / only British English uses, from SCOWL's size-70 lists
     (the Hunspell dictionaries differ in coverage, not only in spelling); ``-ize`` / ``-ise``
     forms are left out (Oxford British English uses ``-ize`` too).
- ``common.txt.gz``: a line about the sources, an empty line, then ``word count`` lines for the
  ranked words (Google Books count / 1000, most frequent first): read only when a first word
  needs a suggestion, to rank the candidates.

    python tools/build_spelling_words.py   # with a Python that has spylls and symspellpy
"""

from __future__ import annotations

import gzip
import importlib.resources
import re
import subprocess
from pathlib import Path

HUNSPELL = "/usr/share/hunspell"
SCOWL = {
    "us": "/usr/share/dict/american-english-large",
    "uk": "/usr/share/dict/british-english-large",
}
OUT = Path(__file__).resolve().parents[1] / "checker" / "checks" / "proofread"
ABOUT = (
    "Hunspell en_US (SCOWL, permissive) + en_GB (LibreOffice, LGPL-2.1+; see "
    "words.NOTICE.md) forms, lower-cased; counts from SymSpell (MIT); US/UK blocks from "
    "SCOWL-70. Built by tools/build_spelling_words.py."
)
IZE = re.compile(r"i[sz](?:e|es|ed|ing|ation|ations|er|ers|able)$")


def unmunch(lang: str) -> set[str]:
    """Every form of a Hunspell dictionary that Hunspell itself accepts (unmunch stacks
    affixes Hunspell would not)."""
    from spylls.hunspell import Dictionary

    out = subprocess.run(
        ["unmunch", f"{HUNSPELL}/{lang}.dic", f"{HUNSPELL}/{lang}.aff"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    d = Dictionary.from_files(f"{HUNSPELL}/{lang}")
    words: set[str] = set()
    for line in out.splitlines():
        w = line.split("\t")[0].strip().replace("\u2019", "'")
        if w and not any(ch.isdigit() for ch in w) and w not in words and d.lookup(w):
            words.add(w)
    return words


def counts() -> dict[str, int]:
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0].lower()] = max(1, int(parts[1]) // 1000)
    return out


def scowl(path: str) -> set[str]:
    with open(path, encoding="utf-8") as f:
        return {line.strip().replace("\u2019", "'") for line in f if line.strip()}


def main() -> None:
    forms = {w.lower() for w in unmunch("en_US") | unmunch("en_GB")}
    freq = counts()
    words = {w: freq.get(w, 1) for w in sorted(forms)}
    us, uk = scowl(SCOWL["us"]), scowl(SCOWL["uk"])
    only = {}
    for name, mine, other in (("us", us, uk), ("uk", uk, us)):
        only[name] = sorted(
            w for w in mine - other if w.islower() and "'" not in w and not IZE.search(w)
        )
    write(words, only["us"], only["uk"])


PLAIN = re.compile(r"[a-z]+(?:'[a-z]+)*")


TOP = 20_000


def write(words: dict[str, int], us: list[str], uk: list[str], out: Path = OUT) -> None:
    plain = {w for w in words if PLAIN.fullmatch(w)}
    ranked = sorted((w for w in plain if words[w] > 1), key=lambda w: (-words[w], w))
    other = sorted(w for w in words if w not in plain)
    blocks = [sorted(plain), sorted(ranked), ranked[:TOP], other, us, uk]
    (out / "words.txt").write_text(
        "\n\n".join("\n".join(b) for b in blocks) + "\n", encoding="utf-8"
    )
    with gzip.open(out / "common.txt.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(ABOUT + "\n\n" + "\n".join(f"{w} {words[w]}" for w in ranked) + "\n")
    print(
        f"{out}: {len(words)} words ({len(plain)} plain, {len(ranked)} ranked, "
        f"{len(other)} other), {len(us)} US-only, {len(uk)} UK-only"
    )


if __name__ == "__main__":
    main()

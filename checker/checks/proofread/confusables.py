"""proofread.confusable: words a speller accepts in the wrong place, decided from the parse.

Each test reads the tokens around the word (part-of-speech tags, the next and previous
words): "you're team was" has a noun after "you're" and a verb after the noun, so it is
"your"; "it's mission is" likewise "its"; "more then" follows a comparative, so "than".
The word lists the tests use live in ``rules.toml`` ``[confusables]``.
"""

from __future__ import annotations

from ...report import Fix
from .words import as_set, match_case

VERBISH = {"VBD", "VBZ", "VBP", "MD"}
CLAUSE_END = {".", ",", ":", "CC", "IN", "HYPH", "-RRB-", "NFP", "''", "``", "_SP"}


class _Strings(list):
    """A token attribute as strings, looked up from its hashes only when read."""

    def __init__(self, hashes: list[int], strings):
        super().__init__(hashes)
        self._strings = strings

    def __getitem__(self, i):
        return self._strings[list.__getitem__(self, i)]


class _Seq:
    """The tags and lower-case forms of a parse (one ``Doc.to_array`` call: iterating the
    Doc would build a Token object, and two strings, for every token)."""

    def __init__(self, doc):
        self.doc = doc
        arr = doc.to_array(["LOWER", "TAG"]) if len(doc) else [[], []]
        lows, tags = (arr[:, 0].tolist(), arr[:, 1].tolist()) if len(doc) else ([], [])
        self.low_hashes = lows
        self.lows = _Strings(lows, doc.vocab.strings)
        self.tags = _Strings(tags, doc.vocab.strings)

    def __len__(self) -> int:
        return len(self.low_hashes)

    def __getitem__(self, i: int):
        return self.doc[i]


def _tag(doc, i: int) -> str:
    return doc.tags[i] if 0 <= i < len(doc.tags) else "."


def _low(doc, i: int) -> str:
    return doc.lows[i] if 0 <= i < len(doc.lows) else ""


def _noun_then_break(doc, i: int, ok: set[str]) -> bool:
    """Token ``i`` is a noun (not one of ``ok``) that ends its phrase: a verb, a
    preposition, a conjunction or punctuation (or the end) follows."""
    if _tag(doc, i) not in ("NN", "NNS") or _low(doc, i) in ok:
        return False
    nxt = _tag(doc, i + 1)
    return nxt in VERBISH or nxt in CLAUSE_END or i + 1 >= len(doc)


# A superlative stands for its noun ("your worst is ..."); a quotation is a noun phrase.
NOUNISH = {"NN", "NNS", "NNP", "NNPS", "CD", "FW", "ADD", "XX", "JJS", "``", "''"}
MODIFIER = {"JJ", "JJR", "RB", "RBR", "RBS", "VBN", "HYPH", "POS"}


def _no_noun_after(doc, i: int, progressive: set[str]) -> bool:
    """A possessive ("your", "their") at ``i`` with no noun after it: the next words are
    modifiers at most, then a verb, preposition, pronoun or punctuation ("your well.",
    "your able to", "their going to").  A gerund counts as a noun ("your sourcing in"),
    except the few that are verbs after "you're" ("going", "doing")."""
    for j in range(i + 1, min(len(doc), i + 5)):
        tag, low = doc.tags[j], doc.lows[j]
        if low == "own":
            return False
        if tag in NOUNISH or tag == "VBG" and low not in progressive:
            return False
        if tag in MODIFIER:
            continue
        return not doc[j].is_space
    return False


def _predicate_after(doc, i: int, predicates: set[str]) -> bool:
    """ "your well.", "your able to", "their willing": a predicate word, then no noun."""
    if _low(doc, i + 1) not in predicates:
        return False
    after = _tag(doc, i + 2)
    return after not in NOUNISH and after != "HYPH" and after not in ("JJ", "VBG")


def _after_comparison(doc, i: int, comparatives: set[str]) -> bool:
    """A comparative ("more exciting", "better", "rather") within the three words before."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if doc[j].is_punct or doc[j].is_space:
            return False
        if doc.tags[j] in ("JJR", "RBR") or doc.lows[j] in comparatives:
            return True
    return False


#: The words a test below starts from; every other token is skipped at once.
TRIGGERS = frozenset(
    {
        "your",
        "you",
        "they",
        "it",
        "its",
        "there",
        "their",
        "then",
        "than",
        "loose",
        "affect",
        "effect",
        "principle",
        "principal",
        "of",
        "weather",
        "advice",
        "advise",
        "to",
    }
)


_HASHES: dict[int, frozenset[int]] = {}


def _trigger_hashes(strings) -> frozenset[int]:
    key = id(strings)
    if key not in _HASHES:
        _HASHES[key] = frozenset(strings.add(w) for w in TRIGGERS)
    return _HASHES[key]


def check(ctx, data: dict, flagged: set) -> None:
    doc = _Seq(ctx.doc)
    text = ctx.text
    its_ok, youre_ok = as_set(data["its_ok"]), as_set(data["youre_ok"])
    be = as_set(data["be_forms"])
    titles = as_set(data["title_nouns"])
    modal_of = as_set(data["modal_of"])
    comparatives = as_set(data["comparatives"])
    before_then = as_set(data["before_then"])
    after_there_ok = as_set(data["there_not_possessive_before"])
    time_nouns = as_set(data["time_nouns"])
    progressive = as_set(data["progressive"])
    predicates = as_set(data["predicates"])
    subordinators = as_set(data["subordinators"])
    clause_verbs = as_set(data["clause_verbs"])
    hits: list[tuple[int, int, str, str]] = []

    def hit(i: int, j: int, right: str, why: str) -> None:
        s, e = doc[i].idx, doc[j].idx + len(doc[j].text)
        hits.append((s, e, right, why))

    triggers = _trigger_hashes(ctx.doc.vocab.strings)
    for i, h in enumerate(doc.low_hashes):
        if h not in triggers:
            continue
        low = doc.lows[i]
        tok = doc[i]
        nxt, nxt_tag = _low(doc, i + 1), _tag(doc, i + 1)
        prev, prev_tag = _low(doc, i - 1), _tag(doc, i - 1)
        if low == "your":
            if _no_noun_after(doc, i, progressive) or _predicate_after(doc, i, predicates):
                if prev_tag == "IN" and prev not in subordinators:
                    # "meet with your in person": after a preposition, the object.
                    hit(i, i, "you", "After a preposition it is \"you\".")
                else:
                    hit(i, i, "you're", "\"You're\" is \"you are\"; \"your\" is the possessive.")
        elif (
            low in ("you", "they")
            and nxt == "'re"
            and (
                _tag(doc, i + 2) in ("NN", "NNS", "NNP", "NNPS")
                and _low(doc, i + 2) not in youre_ok
                or _tag(doc, i + 2) == "JJ"
                and _tag(doc, i + 3) in ("NN", "NNS")
                or prev_tag == "IN"
                and prev not in subordinators
            )
        ):
            right = "your" if low == "you" else "their"
            hit(i, i + 1, right, f"\"{right}\" is the possessive; \"{low}'re\" is \"{low} are\".")
        elif (
            low == "it"
            and nxt == "'s"
            and (
                _noun_then_break(doc, i + 2, its_ok)
                and not doc[i + 2].text[:1].isupper()
                and _low(doc, i + 3) not in ("to", "that")
                or i > 0
                and (
                    prev_tag == "IN"
                    and prev not in subordinators
                    or prev_tag.startswith("VB")
                    and prev not in clause_verbs
                )
                and _tag(doc, i + 2) in ("JJ", "NN", "NNS")
            )
        ):
            hit(i, i + 1, "its", "\"Its\" is the possessive; \"it's\" is \"it is\".")
        elif low == "its" and (
            nxt
            in (
                "a",
                "an",
                "the",
                "not",
                "been",
                "being",
                "so",
                "very",
                "really",
                "such",
                "too",
                "just",
                "always",
                "never",
            )
            or nxt_tag == "JJ"
            and _tag(doc, i + 2) in ("TO", ".", ",", "CC", "IN")
            and _low(doc, i + 2) != "'s"
            or nxt_tag == "VBG"
            and _tag(doc, i + 2) in ("TO", "IN", "DT", "PRP")
            or nxt_tag in ("NNP", "NNPS")
            and (i == 0 or prev_tag in (",", ":") or doc[i].is_sent_start)
        ):
            hit(i, i, "it's", "\"It's\" is \"it is\" or \"it has\"; \"its\" is the possessive.")
        elif low == "there" and (
            nxt_tag in ("NN", "NNS")
            and nxt not in be
            and nxt not in time_nouns
            and prev not in after_there_ok
            or nxt == "own"
        ):
            hit(i, i, "their", "\"Their\" is the possessive; \"there\" is a place.")
        elif low == "their" and (
            nxt in be or _no_noun_after(doc, i, progressive) or _predicate_after(doc, i, predicates)
        ):
            right = "there" if nxt in be else "they're"
            hit(i, i, right, f"\"{right}\" fits here; \"their\" is the possessive.")
        elif low == "then" and _after_comparison(doc, i, comparatives):
            hit(i, i, "than", "After a comparison it is \"than\"; \"then\" is about time.")
        elif (
            low == "than"
            and prev_tag not in ("JJR", "RBR")
            and prev not in comparatives
            and (prev in before_then or i == 0 or doc[i].is_sent_start)
        ):
            hit(i, i, "then", "\"Then\" is about time; \"than\" compares.")
        elif low == "loose" and (prev_tag in ("TO", "MD") or prev in ("not", "never", "n't")):
            hit(i, i, "lose", "The verb is \"lose\"; \"loose\" means not tight.")
        elif (
            low == "affect"
            and prev_tag in ("DT", "JJ", "PRP$")
            and tok.tag_ in ("NN", "VB", "VBP")
            and nxt_tag in (".", ",", "IN", "CC", "TO")
            and prev not in ("to",)
        ):
            hit(i, i, "effect", "The noun is \"effect\"; \"affect\" is the verb.")
        elif (
            low == "effect"
            and (prev_tag in ("TO", "MD") or prev in ("not", "n't"))
            and nxt_tag in ("DT", "PRP$", "PRP", "NNS")
            and nxt not in ("change", "changes")
        ):
            hit(i, i, "affect", "The verb is \"affect\"; \"effect\" is the noun.")
        elif low == "principle" and nxt in titles:
            hit(
                i,
                i,
                "principal",
                "A job title is \"principal\" (chief); a \"principle\" is a rule.",
            )
        elif low == "principal" and prev in ("in", "on") and nxt_tag in (".", ",", "CC"):
            hit(i, i, "principle", "\"In principle\": a \"principle\" is a rule.")
        elif low == "of" and prev in modal_of and nxt != "course":
            hit(i, i, "have", "\"Could have\" sounds like \"could of\", but is written \"have\".")
        elif low == "weather" and nxt == "or" and _low(doc, i + 2) == "not":
            hit(i, i, "whether", "\"Whether or not\"; the weather is rain or sun.")
        elif low == "advice" and (
            prev_tag in ("PRP", "TO", "MD")
            and prev not in ("it", "me", "you", "him", "her", "us", "them")
        ):
            hit(i, i, "advise", "The verb is \"advise\"; \"advice\" is the noun.")
        elif low == "advise" and prev_tag in ("DT", "JJ", "PRP$") and prev not in ("that", "this"):
            hit(i, i, "advice", "The noun is \"advice\"; \"advise\" is the verb.")
        elif (
            low == "to"
            and prev in ("me", "you", "us", "it", "that", "this")
            and (nxt_tag in (".", ",", ":") or i + 1 >= len(doc) or nxt == "\n")
        ):
            hit(i, i, "too", "\"Too\" means \"also\"; \"to\" is the preposition.")
    for s, e, right, why in hits:
        if any(s < b and a < e for a, b in flagged):
            continue
        flagged.add((s, e))
        word = text[s:e]
        ctx.emit(
            "proofread.confusable",
            s,
            e,
            text=word,
            right=match_case(word, right),
            why=why,
            fix=Fix(s, e, match_case(word, right)),
        )

"""The politeness strategies of Danescu-Niculescu-Mizil et al. (ACL 2013) and Yeomans et al.
(2018), found on spaCy's parse one sentence at a time.

The phrase lists and word lists are data (``rules.toml``, ``positive.txt`` and
``negative.txt`` beside this module); this module only knows the kinds
of match: a phrase anywhere, a phrase at a sentence start, a phrase anywhere but the start,
a sentiment word with negation scope, a bare command (base-form verb root without a subject
at the start), and a demanding direct question.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ...learned import doc_columns
from ...rules import concept_data, read_text


@dataclass(frozen=True)
class Match:
    name: str
    start: int  # character offsets into the Doc's text
    end: int
    text: str
    i: int = 0  # token indices in the Doc
    j: int = 0


def tokenize_phrase(phrase: str) -> tuple[str, ...]:
    """Token sequence of a data phrase, split like spaCy splits English contractions."""
    out: list[str] = []
    for w in phrase.lower().replace("\u2019", "'").split():
        for suffix in ("n't", "'m", "'s", "'d", "'re", "'ve", "'ll"):
            if w.endswith(suffix) and len(w) > len(suffix):
                out.extend((w[: -len(suffix)], suffix))
                break
        else:
            if w.endswith("?") and len(w) > 1:
                out.extend((w[:-1], "?"))
            else:
                out.append(w)
    return tuple(out)


@functools.cache
def _words(name: str) -> frozenset[str]:
    return frozenset(
        line.strip().lower()
        for line in read_text(name).splitlines()
        if line.strip() and not line.startswith("#")
    )


@dataclass(frozen=True)
class Lexicon:
    phrases: dict  # name -> {first token: [token tuples, longest first]}
    start_only: frozenset
    not_start: frozenset
    skip: frozenset
    exempt_verbs: frozenset
    command_leads: frozenset
    deference_not_before: frozenset
    softeners: tuple
    demanding: tuple
    negators: frozenset
    scope: int
    positive: frozenset
    negative: frozenset
    words: frozenset = frozenset()  # every word of every list (kept in pattern n-grams)
    # first token -> the strategy names with a phrase starting with it (one pass per sentence)
    first_words: dict = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = concept_data("politeness")
    phrases: dict[str, dict[str, list[tuple[str, ...]]]] = {}
    for name, items in data["strategies"].items():
        target = "deference" if name == "deference_phrases" else name
        index = phrases.setdefault(target, {})
        for p in items:
            toks = tokenize_phrase(p)
            index.setdefault(toks[0], []).append(toks)
    for index in phrases.values():
        for first in index:
            index[first].sort(key=len, reverse=True)
    start = data["start_words"]
    deference_words = frozenset(tokenize_phrase(p)[0] for p in data["strategies"]["deference"])
    words = {
        w for index in phrases.values() for seqs in index.values() for seq in seqs for w in seq
    }
    first_words: dict[str, tuple[str, ...]] = {}
    for name, index in phrases.items():
        for first in index:
            first_words[first] = first_words.get(first, ()) + (name,)
    return (
        Lexicon(
            first_words=first_words,
            words=frozenset(words)
            | _words("checks/politeness/positive.txt")
            | _words("checks/politeness/negative.txt"),
            phrases=phrases,
            start_only=frozenset(start["start_only"]),
            not_start=frozenset(start["not_start"]),
            skip=frozenset(start["skip"]),
            exempt_verbs=frozenset(data["commands"]["exempt_verbs"]),
            command_leads=frozenset(data["commands"]["lead_words"]),
            deference_not_before=frozenset(start["deference_not_before"]),
            softeners=tuple(tokenize_phrase(p) for p in data["commands"]["softeners"]),
            demanding=tuple(tuple(q) for q in data["questions"]["demanding"]),
            negators=frozenset(data["sentiment"]["negators"]),
            scope=int(data["sentiment"]["scope"]),
            positive=_words("checks/politeness/positive.txt"),
            negative=_words("checks/politeness/negative.txt"),
        )
        if deference_words is not None
        else None
    )  # pragma: no branch


def _is_word(tok) -> bool:
    return not (tok.is_punct or tok.is_space or tok.is_quote or tok.is_bracket)


def sentence_start(toks: list, norms: list[str], lex: Lexicon) -> int:
    """Index (into ``toks``) of the first word that opens the sentence."""
    k = 0
    while k < len(toks) and (not _is_word(toks[k]) or norms[k] in lex.skip):
        k += 1
    return k


def _seq_at(norms: list[str], k: int, seq: tuple[str, ...]) -> bool:
    return tuple(norms[k : k + len(seq)]) == seq


def _span_match(name: str, toks: list, a: int, b: int) -> Match:
    first, last = toks[a], toks[b - 1]
    # Span.text joins just these tokens; Doc.text would rebuild the whole text every call.
    return Match(
        name,
        first.idx,
        last.idx + len(last.text),
        first.doc[first.i : last.i + 1].text,
        first.i,
        last.i + 1,
    )


def sentence_strategies(sent, lex: Lexicon | None = None) -> list[Match]:
    """Strategies in one sentence (a spaCy Span, or a Doc treated as one sentence)."""
    lex = lex or lexicon()
    toks = [t for t in sent if not t.is_space]
    if not toks:
        return []
    doc_norms, _, doc_lemmas = doc_columns(toks[0].doc)
    idxs = [t.i for t in toks]
    norms = list(map(doc_norms.__getitem__, idxs))  # = norm(t) for each token
    start = sentence_start(toks, norms, lex)
    out: list[Match] = []
    # Phrase strategies: the positions where a phrase of each strategy could start, found in
    # one pass; per strategy, matches do not overlap (the next one starts after the last).
    starts: dict[str, list[int]] = {}
    for k, w in enumerate(norms):
        for name in lex.first_words.get(w, ()):
            starts.setdefault(name, []).append(k)
    for name, index in lex.phrases.items():
        after = 0
        for k in starts.get(name, ()):
            if k < after:
                continue
            hit = next((seq for seq in index[norms[k]] if _seq_at(norms, k, seq)), None)
            if hit is None:
                continue
            at_start = k == start
            multi_deference = name == "deference" and len(hit) > 1  # "good point" anywhere
            if (name in lex.start_only and not at_start and not multi_deference) or (
                name in lex.not_start and at_start
            ):
                continue
            if (
                name == "deference"
                and len(hit) == 1
                and k + 1 < len(toks)
                and norms[k + 1] in lex.deference_not_before
            ):
                continue
            out.append(_span_match(name, toks, k, k + len(hit)))
            after = k + len(hit)
    # Sentiment words with negation scope.
    for k, w in enumerate(norms):
        lemma = doc_lemmas[idxs[k]]
        pol = (
            1
            if (w in lex.positive or lemma in lex.positive)
            else -1
            if (w in lex.negative or lemma in lex.negative)
            else 0
        )
        if not pol:
            continue
        if any(norms[m] in lex.negators for m in range(max(0, k - lex.scope), k)):
            pol = -pol
        out.append(_span_match("positive" if pol > 0 else "negative", toks, k, k + 1))
    # A bare command: base-form verb at the start that heads the sentence, with no subject.
    k = start
    while k < len(toks) and norms[k] in lex.command_leads:
        k += 1
    if k < len(toks):
        verb = toks[k]
        if (
            verb.tag_ == "VB"
            and verb.dep_ == "ROOT"
            and norms[k] not in lex.exempt_verbs
            and verb.lemma_.lower() not in lex.exempt_verbs
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
            and norms[-1] != "?"
        ):
            end = len(toks)
            while end > k + 1 and not _is_word(toks[end - 1]):
                end -= 1
            out.append(_span_match("bare_command", toks, k, end))
    # A demanding direct question.
    if "?" in "".join(norms[-3:]):
        for seq in lex.demanding:
            if _seq_at(norms, start, seq):
                end = len(toks)
                out.append(_span_match("demanding_question", toks, start, end))
                break
    out.sort(key=lambda m: (m.start, m.end, m.name))
    return out


def strategies(doc_or_span, lex: Lexicon | None = None) -> list[Match]:
    """Strategies sentence by sentence over a Doc or a Span."""
    lex = lex or lexicon()
    out: list[Match] = []
    for sent in doc_or_span.sents:
        out.extend(sentence_strategies(sent, lex))
    return out


def softened(sent, lex: Lexicon | None = None) -> bool:
    """True when a sentence carries a softener (please, when you have a chance ...)."""
    lex = lex or lexicon()
    doc_norms = doc_columns(getattr(sent, "doc", sent))[0]
    norms = [doc_norms[t.i] for t in sent if not t.is_space]
    return any(_seq_at(norms, k, seq) for seq in lex.softeners for k in range(len(norms)))

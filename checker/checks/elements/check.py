"""Required elements: thanks, enjoyed meeting them, offer of more information, call heads-up.

Each element is found by meaning: dependency frames over the parsed sentences (lemmas,
subjects, modality, negation), filled from the word lists in ``rules.toml`` beside this module, plus
the regular-expression phrases listed there.  A present element reports its evidence span
(the sentence that carries it); a missing required one is a finding with a suggested sentence.
"""

from __future__ import annotations

import functools

from ... import calltime
from ...rules import concept_data
from ...rules.phrases import fold, normalise_quotes, phrase_set, trim

PAST_TAGS = {"VBD", "VBN"}
CONDITIONAL_AUX = {"would", "'d", "could", "might", "should"}


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in concept_data("elements")["words"].items()}


def _negated(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or any(
        c.dep_ == "neg" for c in tok.head.children if tok.dep_ in ("xcomp", "acomp")
    )


def _subject(tok):
    """The subject of a verb or predicate adjective, following xcomp/acomp/conj chains up."""
    if tok.dep_ == "aux" and tok.head is not tok:  # "I enjoyed meeting": enjoyed read as aux
        own = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if own:
            return own[0]
        tok = tok.head
    start = tok
    seen = 0
    while seen < 6:
        for c in tok.children:
            if c.dep_ in ("nsubj", "nsubjpass", "expl"):
                return c
        for aux in tok.children:  # the small model sometimes hangs the subject on the aux
            if aux.dep_ in ("aux", "auxpass"):
                for c in aux.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        return c
        if (
            tok.dep_
            in (
                "xcomp",
                "acomp",
                "conj",
                "ccomp",
                "advcl",
                "attr",
                "oprd",
                "acl",
                "dobj",
                "pobj",
                "prep",
            )
            and tok.head is not tok
        ):
            tok = tok.head
            seen += 1
        else:
            break
    # A verb coordinated deep inside a sentence ("... and enjoyed hearing") shares the
    # subject of the sentence's root when it has none of its own.
    if start.dep_ == "conj":
        root = start.sent.root
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


def _first_person(tok) -> bool:
    if tok.dep_ == "xcomp" and any(
        c.dep_ in ("dobj", "dative") and c.lower_ == "you" for c in tok.head.children
    ):
        return False  # "I would request you to share feedback": you share, not I
    subj = _subject(tok)
    return subj is not None and subj.lower_ in _words()["first_person"]


def _chain(tok):
    """The token and the verbs it hangs from through xcomp/acomp/conj (for aux lookups)."""
    out = [tok]
    while (
        tok.dep_ in ("xcomp", "acomp", "conj", "attr", "oprd")
        and tok.head is not tok
        and len(out) < 5
    ):
        tok = tok.head
        out.append(tok)
    return out


def _auxes(tok) -> set[str]:
    return {
        normalise_quotes(c.lower_)
        for t in _chain(tok)
        for c in t.children
        if c.dep_ in ("aux", "auxpass")
    }


def _dropped_subject(tok) -> bool:
    """Casual notes drop the "I": "Really enjoyed the tour", "Happy to send more", "Will ring
    you on the 9th".  True when the clause has no subject, starts its sentence or follows a
    dash, semicolon or colon, and the sentence is not a question.  Callers add the tense or
    mood that rules out an imperative."""
    if _subject(tok) is not None or _is_question(tok.sent):
        return False
    head = tok.head if tok.dep_ in ("acomp", "aux") else tok
    start = head.left_edge  # includes leading adverbs: "Really enjoyed ..."
    if start.i <= tok.sent.start:
        return True
    before = tok.doc[start.i - 1]
    return before.is_space or before.text in (";", ":", "\u2014", "\u2013", "-", "(", ",")


def _lemma(tok) -> str:
    """The lemma, mended where the small model leaves an inflected form ("enjoyed" as AUX)."""
    lemma = tok.lemma_.lower()
    if lemma == tok.lower_ and tok.pos_ in ("AUX", "VERB") and len(lemma) > 4:
        for suffix, repl in (("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
            if lemma.endswith(suffix):
                return (
                    lemma[: -len(suffix)] + repl
                    if lemma[: -len(suffix)] + repl in _words()["enjoy"]
                    else lemma
                )
    return lemma


def _window(tok, n: int) -> list[str]:
    """Up to n lower-cased tokens after ``tok`` on the same line and in the same sentence
    by punctuation (the parser sometimes splits "Thank you SO much for ..." in two)."""
    out = []
    doc = tok.doc
    for t in doc[tok.i + 1 : tok.i + 1 + n]:
        if (t.is_space and "\n" in t.text) or t.text in (".", "!", "?"):
            break
        out.append(t.lower_)
    return out


def _is_question(sent) -> bool:
    """The sentence ends with "?" (checked on its last token: Span.text rebuilds the text)."""
    for tok in reversed(sent):
        if not tok.is_space:
            return tok.text.endswith("?")
    return False


# ---- frames -------------------------------------------------------------------------------


def _thanks(sent, w) -> bool:
    for tok in sent:
        low = tok.lower_
        if low in w["thank"] or tok.lemma_ == "thank":
            tail = _window(tok, 12)
            # "Thank you for ...", "Thanks again for ...", "thank you and the panel for ..."
            # but not "thanks in advance for any news" (thanks for a favour not yet done).
            if "for" in tail and "advance" not in tail[: tail.index("for") + 3]:
                if tail[tail.index("for") + 1 : tail.index("for") + 2] not in (
                    ["nothing"],
                    ["now"],
                ):
                    return True
        if tok.lemma_ in w["grateful"] and not _negated(tok):
            if any(
                c.dep_ in ("prep", "xcomp", "ccomp", "advcl") for c in tok.children
            ) or tok.dep_ in ("amod",):
                return True
        if tok.lemma_ in w["appreciate"] and tok.pos_ == "VERB" and not _negated(tok):
            aux = _auxes(tok)
            objs = [
                c
                for c in tok.children
                if c.dep_ in ("dobj", "ccomp", "xcomp", "nsubj")
                and c.lower_ not in w["first_person"]
            ]
            if aux & CONDITIONAL_AUX or _is_question(sent):
                continue  # "I would appreciate an update" is a request
            if objs and not (objs[0].lower_ == "it" and any(t.lower_ == "if" for t in sent)):
                if _first_person(tok) or _subject(tok) is None:
                    return True
        if tok.lemma_ in w["appreciation"] and any(c.lower_ in ("for", "of") for c in tok.children):
            return True
        # "I value the hour you spent with me"
        if (
            tok.lemma_ in w["value"]
            and tok.pos_ == "VERB"
            and _first_person(tok)
            and not _negated(tok)
        ):
            if any(
                c.dep_ == "dobj" and c.lemma_.lower() in w["value_objects"] for c in tok.children
            ):
                return True
    return False


def _enjoyed(sent, w) -> bool:
    meet = w["meet_verbs"] | w["meet_nouns"]
    for tok in sent:
        lemma = _lemma(tok)
        # "I enjoyed our conversation", "I loved meeting everyone", "I liked hearing ..."
        if (
            lemma in w["enjoy"]
            and tok.pos_ in ("VERB", "AUX")
            and not _negated(tok)
            and (_first_person(tok) or (_dropped_subject(tok) and tok.tag_ in PAST_TAGS))
        ):
            if _auxes(tok) & CONDITIONAL_AUX:
                continue  # "I'd love to join the team" is a wish
            objs = [c for c in tok.children if c.dep_ in ("dobj", "xcomp", "ccomp", "pcomp")]
            if tok.dep_ == "aux":  # the small model reads "enjoyed meeting" as aux + verb
                objs.append(tok.head)
            if tok.tag_ in PAST_TAGS or any(
                o.lemma_.lower() in meet or o.lower_ in meet for o in objs
            ):
                return True
        # "I was delighted to learn", "I was glad to meet", "I was impressed by"
        if lemma in w["pleased"] and tok.pos_ == "ADJ" and not _negated(tok) and _first_person(tok):
            if _auxes(tok) & (CONDITIONAL_AUX | w["future_aux"]):
                continue  # "I would be glad to hear where things stand" is a wish
            for c in tok.children:
                if c.dep_ == "xcomp" and c.lemma_.lower() in w["meet_verbs"]:
                    if any(g.dep_ == "ccomp" for g in c.children):
                        continue  # "glad to hear you will keep my CV" is news, not the meeting
                    return True
                if (
                    c.dep_ in ("prep", "agent")
                    and c.lower_ in ("by", "with")
                    and lemma in w["impressed_adj"]
                ):
                    return True
        # "I was impressed by how the crew works" (passive verb + agent)
        if (
            lemma in w["impressed"]
            and tok.pos_ == "VERB"
            and not _negated(tok)
            and _first_person(tok)
        ):
            if any(
                c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "with") for c in tok.children
            ):
                return True
        # "a wonderful conversation", "a great chat"
        if (
            lemma in w["pleasure"]
            and tok.dep_ == "amod"
            and tok.head.lemma_.lower() in w["event_nouns"]
        ):
            noun = tok.head
            if noun.lemma_.lower() in w["time_nouns"] and (
                tok.i == tok.sent.start or noun.head.lemma_ == "have"
            ):
                continue  # "Good afternoon, Ma", "Have a lovely afternoon": a greeting or a wish
            return True
        # "Our conversation was fascinating", "Meeting the team was a lot of fun"
        if tok.lemma_ == "be":
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
            pred = [c for c in tok.children if c.dep_ in ("acomp", "attr")]
            if subj and pred and not _negated(tok):
                s = subj[0]
                experience = (
                    s.tag_ == "VBG"
                    or s.lemma_.lower() in w["meet_verbs"]
                    or s.lemma_.lower() in meet
                )
                if experience and any(
                    p.lemma_.lower() in w["pleasure"]
                    or any(g.lemma_.lower() in w["pleasure"] for g in p.subtree)
                    for p in pred
                ):
                    if s.lower_ not in ("it", "this", "that", "you"):
                        return True
    return False


def _offer(sent, w) -> bool:
    for tok in sent:
        lemma = tok.lemma_.lower()
        # "I'd be happy to provide", "I am glad to send", "I'm available to come in"
        if (
            lemma in w["offer_adj"]
            and (_first_person(tok) or _dropped_subject(tok))
            and not _negated(tok)
        ):
            for c in tok.children:
                if (
                    c.dep_ == "xcomp"
                    and c.lemma_.lower() in w["offer_verbs"]
                    and not _courtesy(c, w)
                ):
                    return True
        # "I can send additional references", "I could provide a list of projects"
        if (
            lemma in w["offer_verbs"]
            and tok.pos_ in ("VERB", "ADV")
            and not _negated(tok)
            and (_first_person(tok) or _dropped_subject(tok))
        ):
            aux = _auxes(tok)
            if aux & w["offer_aux"] and not _is_question(sent) and not _courtesy(tok, w):
                objs = [c for c in tok.subtree if c.dep_ in ("dobj", "pobj", "attr", "compound")]
                if lemma in w["offer_verbs_any_object"] or any(
                    o.lemma_.lower() in w["info_nouns"] or o.lower_ in w["info_nouns"] for o in objs
                ):
                    return True
        # "would welcome the chance to answer any further questions"
        if lemma == "welcome" and _first_person(tok):
            for c in tok.subtree:
                if c.dep_ in ("acl", "xcomp", "relcl") and c.lemma_.lower() in w["offer_verbs"]:
                    if _subject(c) is not None and _subject(c).lower_ not in w["first_person"]:
                        continue  # "I'd welcome any update you're able to share": theirs
                    return True
    return False


def _quoted(tok) -> bool:
    """The token sits inside quotation marks opened earlier in its sentence."""
    before = tok.doc.text[tok.sent.start_char : tok.idx]
    return (before.count('"') + before.count("\u201c") - before.count("\u201d")) % 2 == 1


def _courtesy(verb, w) -> bool:
    """ "send my apologies / best wishes": a courtesy, not an offer of information."""
    return any(c.dep_ == "dobj" and c.lower_ in w["courtesy_objects"] for c in verb.children)


def _call(sent, w) -> bool:
    if _is_question(sent):
        return False
    for tok in sent:
        lemma = tok.lemma_.lower()
        key = None
        if lemma in w["call_verbs"] and tok.pos_ == "VERB":
            if any(
                c.dep_ in ("dobj", "dative", "iobj") and c.lower_ in ("me", "us")
                for c in tok.children
            ):
                continue  # "call me" invites their call
            if any(c.dep_ == "auxpass" for c in tok.children) or _quoted(tok):
                continue  # "I will be called", "they said 'we will call you'"
            if any(
                c.dep_ in ("prt", "prep", "advmod", "oprd")
                and c.lower_ in w["visit_particles"]
                and c.i == tok.i + 1
                for c in tok.children
            ):
                continue  # "I'll call in at the branch" is a visit
            key = tok
        elif lemma == "give" and any(
            c.dep_ in ("dobj", "dative", "attr", "npadvmod") and c.lemma_.lower() in w["call_nouns"]
            for c in tok.children
        ):
            key = tok
        elif lemma in w["contact_verbs"] and any(
            c.dep_ == "prep"
            and c.lower_ in w["phone_preps"]
            and any(g.lemma_.lower() in w["phone_words"] for g in c.subtree)
            for c in tok.children
        ):
            key = tok
        if key is None or _negated(key):
            continue
        if not _first_person(key):
            # "Calling again at 3", "Will ring you Tuesday": a dropped subject with a time.
            if not (
                _dropped_subject(key)
                and (key.tag_ == "VBG" or _auxes(key) & w["future_aux"])
                and calltime.read(sent.text)
            ):
                continue
        aux = _auxes(key)
        chain = _chain(key)
        when = calltime.read(sent.text)
        future = (
            bool(aux & w["future_aux"])
            or any(t.lemma_.lower() in w["intent_verbs"] and t is not key for t in chain)
            or ("going" in {t.lower_ for t in chain})
            or bool(aux & w["offer_call_aux"] and when)
        )
        # "I'm calling you on Friday" announces a call; "I'm calling to see where things
        # stand" is the call itself (a voicemail), so the present needs a time.
        progressive = key.tag_ == "VBG" and aux & {"am", "'m"} and when is not None
        past = (key.tag_ in PAST_TAGS and not future) or any(
            t.tag_ == "VBD" for t in chain if t is not key
        )
        if (future or progressive) and not past and not (aux & {"have", "'ve", "has", "had"}):
            return True
    return False


# The dependency frames element rules name (``frame`` in their data).
FRAMES = {"thanks": _thanks, "enjoyed": _enjoyed, "offer": _offer, "call": _call}


def element_rules(kind: str | None = None) -> dict[str, dict]:
    """Element key -> its rule's data, in the order the report lists elements: those of every
    kind, and those a rule keeps to ``kind`` (``kinds`` in its data)."""
    return {
        meta["element"]: meta
        for meta in concept_data("elements")["rules"].values()
        if "element" in meta and (kind is None or kind in meta.get("kinds", (kind,)))
    }


def _sentences(ctx):
    g = ctx.layout.greeting
    for sent in ctx.sents:
        if g and sent.end_char <= g[1]:
            continue
        if not sent.text.strip():
            continue
        yield sent


def run(ctx):
    data = concept_data("elements")
    w = _words()
    elements = element_rules(ctx.kind)
    text = normalise_quotes(ctx.text)
    # Patterns whose literal is nowhere in the draft need no test in any sentence.
    folded = fold(text)
    found = {name: phrase_set(tuple(meta.get("phrases", ()))) for name, meta in elements.items()}
    among = {name: ps.may_match(folded) for name, ps in found.items()}
    unless = {
        name: phrase_set(tuple(meta["unless"]))
        for name, meta in elements.items()
        if meta.get("unless")
    }
    among_unless = {name: ps.may_match(folded) for name, ps in unless.items()}
    # The evidence quoted is the first sentence that carries the element and that no earlier
    # element already quotes (one sentence is rarely the best evidence of two elements), else
    # the first sentence that carries it.  Sentences are tested in order, element by
    # element, and only as far as needed.
    sents = [(sent, text[sent.start_char : sent.end_char]) for sent in _sentences(ctx)]
    folded_sents: dict[int, str] = {}
    section: dict[str, dict] = {}
    quoted: set[tuple[int, int]] = set()
    for name, meta in elements.items():
        frame = FRAMES.get(meta.get("frame", ""))
        first = chosen = None
        for k, (sent, s_text) in enumerate(sents):
            s_folded = folded_sents.get(k)
            if s_folded is None:
                s_folded = folded_sents[k] = fold(s_text)
            if among_unless.get(name) and unless[name].search(
                s_text, s_folded, among=among_unless[name]
            ):
                continue
            span = trim(ctx.text, sent.start_char, sent.end_char)
            if first is not None and span in quoted:
                continue  # it could only be a fallback, and the first one is already that
            hit = frame is not None and frame(sent, w)
            if not hit:
                hit = bool(among[name]) and found[name].search(s_text, s_folded, among=among[name])
            if not hit:
                continue
            first = first or span
            if span not in quoted:
                chosen = span
                break
        if first is None:
            section[name] = {"present": False}
            continue
        s, e = chosen or first
        quoted.add((s, e))
        section[name] = {"present": True, "start": s, "end": e, "text": ctx.text[s:e]}
    call = section["call_heads_up"]
    if call["present"]:
        when = calltime.read(ctx.text, call["start"], call["end"])
        call["when"] = when.to_dict() if when else None
        if when is None:
            ctx.emit("elements.call_time", call["start"], call["end"])
    bs, be = ctx.body
    body_start, body_end = trim(ctx.text, bs, be) if be > bs else (bs, be)
    for name in data["required"][ctx.kind]:
        if not section[name]["present"]:
            at = body_start if elements[name]["missing_at"] == "start" else body_end
            ctx.emit(f"elements.{name}", at, at)
    return section

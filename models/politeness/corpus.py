"""The Stanford Politeness Corpus: reading and validating the CSVs, and parsing them once.

The corpus lives outside the project (``../shared/data/politeness`` by default) and is never
copied in.  Parses are cached as spaCy ``DocBin`` files (msgpack, not pickle) under
``$FOLLOWUP_CACHE`` or ``~/.cache/followup-checker``, keyed by the file hash and the spaCy
model, so evaluation runs do not re-parse 11,000 requests.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

FILES = {"wiki": "wikipedia.annotated.csv", "se": "stack-exchange.annotated.csv"}
NAMES = {"wiki": "Wikipedia", "se": "Stack Exchange"}
REQUIRED = ("Request", "Normalized Score")


class CorpusError(ValueError):
    """A missing or malformed corpus; the message is one line naming the path."""


def default_dir() -> Path:
    env = os.environ.get("FOLLOWUP_POLITENESS_CORPUS")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[2]
    return root.parent / "shared" / "data" / "politeness"


def cache_dir() -> Path:
    env = os.environ.get("FOLLOWUP_CACHE")
    base = (
        Path(env)
        if env
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "followup-checker"
    )
    return base / "politeness"


@dataclass
class Corpus:
    name: str  # "wiki" | "se"
    path: Path
    sha256: str
    texts: list[str]
    scores: list[float]  # Normalized Score
    docs: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)


def read_csv(path: Path, name: str) -> Corpus:
    if not path.exists():
        raise CorpusError(f"{path}: no such file (politeness corpus; pass --corpus DIR)")
    if path.is_dir():
        raise CorpusError(f"{path}: is a folder, expected a CSV file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    cols = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise CorpusError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}"
            f" (found {', '.join(cols) or 'none'})"
        )
    texts, scores = [], []
    for lineno, row in enumerate(reader, 2):
        req = (row.get("Request") or "").strip()
        raw = (row.get("Normalized Score") or "").strip()
        try:
            score = float(raw)
        except ValueError:
            raise CorpusError(
                f"{path}:{lineno}: 'Normalized Score' is not a number: {raw!r}"
            ) from None
        if not req:
            raise CorpusError(f"{path}:{lineno}: empty 'Request'")
        texts.append(req)
        scores.append(score)
    if len(texts) < 8:
        raise CorpusError(
            f"{path}: {'empty' if not texts else f'only {len(texts)} rows'};"
            " need at least 8 annotated requests"
        )
    return Corpus(name, path, hashlib.sha256(data).hexdigest(), texts, scores)


def load(corpus_dir: Path | str | None = None, names=("wiki", "se")) -> dict[str, Corpus]:
    d = Path(corpus_dir) if corpus_dir else default_dir()
    if not d.exists():
        raise CorpusError(f"{d}: no such folder (politeness corpus; pass --corpus DIR)")
    if not d.is_dir():
        raise CorpusError(f"{d}: not a folder (expected the folder holding {FILES['wiki']})")
    return {n: read_csv(d / FILES[n], n) for n in names}


def parse(corpus: Corpus, use_cache: bool = True, batch_size: int = 128) -> list:
    """spaCy Docs of the requests, through the process's one pipeline (cached on disk)."""
    from spacy.tokens import DocBin

    from checker.nlp import MODEL, get_nlp

    nlp = get_nlp()
    key = hashlib.sha256(
        f"{corpus.sha256}|{MODEL}|{nlp.meta.get('version')}|{','.join(nlp.pipe_names)}".encode()
    ).hexdigest()[:20]
    path = cache_dir() / f"{corpus.name}-{key}.spacy"
    if use_cache and path.exists():
        try:
            docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
            if len(docs) == len(corpus.texts):
                corpus.docs = docs
                return docs
        except Exception:  # a damaged cache file is just re-built
            pass
    docs = list(nlp.pipe(corpus.texts, batch_size=batch_size))
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            DocBin(store_user_data=False, docs=docs).to_disk(tmp)
            os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
        except OSError:
            pass
    corpus.docs = docs
    return docs


def quartile_labels(scores) -> list[int | None]:
    """The paper's binary task: top quartile 1 (polite), bottom quartile 0, middle None."""
    import numpy as np

    s = np.asarray(scores, dtype=float)
    lo, hi = np.percentile(s, 25), np.percentile(s, 75)
    return [1 if v >= hi else 0 if v <= lo else None for v in s]

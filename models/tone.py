"""Training recipe shared by the sentence tone models (scikit-learn; never imported by the
check): ``desperation`` and ``hostility`` each define a ``Task`` (which labelled phrases make
a sentence positive, which sets they learn from, their model class) and call these.

Data: the tuning sets in ``data/eval``: the real-message set ``real/tune.jsonl`` and, where
the task uses them, the written ``tune*.jsonl`` sets as a supplement (``data/eval/README.md``).
Each body sentence of a draft, as the check splits it, is one example: positive when it
overlaps a labelled phrase of the task, negative otherwise.  Holdouts and ``../shared`` dev
are never trained on.  Features: ``checker.learned.extract`` with the recipe's config (word
n-grams and the "care in writing" flags); learner: logistic regression with balanced class
weights; weights written as JSON through the politeness recipe's export.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "eval"


#: The recipe both tone models ship with (each task may use its own).
RECIPE = {
    "config": {
        "word_ngrams": [1, 2],
        "char_ngrams": None,
        "pattern_ngrams": None,
        "form": True,
        "strategies": False,
    },
    "blocks": {
        "w": {"weight": 1.0, "sublinear": True, "norm": "l2"},
        "s": {"weight": 0.3, "binary": True, "norm": "none", "idf": False},
    },
    "min_df": 2,
    "C": 3.0,
}


class DataError(ValueError):
    """Missing or malformed training drafts; one line naming the file."""


@dataclass(frozen=True)
class Task:
    name: str  # "desperation": the model's folder under models/
    label: str  # "desperate": rows carry `<label>_phrases`
    globs: tuple[str, ...]  # training sets under data/eval, e.g. ("real/tune.jsonl",)
    model_class: type
    recipe: dict
    out_dir: Path
    #: Sample weight of each set by its name's first part ("real": 1.0, "tune": 0.5).
    set_weights: dict[str, float] = field(default_factory=dict)
    threshold_section: str = ""  # "desperation.tone": where the check's threshold lives

    @property
    def phrases(self) -> str:
        return f"{self.label}_phrases"


@dataclass
class Example:
    set: str
    id: str
    text: str
    start: int
    end: int
    label: bool
    positive_draft: bool
    counts: dict
    #: What cross-validation keeps together: the source page of a real message (pages give
    #: several), else empty (the draft).
    page: str = ""


def set_names(task: Task, base: Path) -> list[str]:
    names = []
    for pattern in task.globs:
        names += sorted(str(p.relative_to(base))[: -len(".jsonl")] for p in base.glob(pattern))
    return names


def read_sets(task: Task, names=None, data_dir: Path | str | None = None) -> dict[str, list[dict]]:
    """Drafts by set name (a path under ``data_dir`` without ``.jsonl``): ``names``, or every
    set the task's globs find."""
    base = Path(data_dir) if data_dir else DATA
    if names is None:
        if not base.is_dir():
            raise DataError(f"{base}: no such folder")
        names = set_names(task, base)
        if not names:
            raise DataError(f"{base}: no {', '.join(task.globs)} files to train on")
    out = {}
    for name in names:
        path = base / f"{name}.jsonl"
        rows = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise DataError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{path}: cannot be read ({exc})") from None
        for k, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, phrases = row["text"], row.get(task.phrases, [])
                if not isinstance(text, str) or not all(p in text for p in phrases):
                    raise ValueError("text is not a string or a phrase is not in it")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise DataError(f"{path}:{k}: bad draft ({exc})") from None
            rows.append(row)
        if not rows:
            raise DataError(f"{path}: no drafts")
        out[name] = rows
    return out


def examples(task: Task, sets: dict[str, list[dict]], config=None) -> list[Example]:
    """One example per body sentence, split and parsed as the check does."""
    from checker import textprep
    from checker.api import Context, for_parser
    from checker.config import Config
    from checker.learned import extract
    from checker.nlp import get_nlp
    from checker.rules.signals import tone_sentences

    config = config or task.recipe["config"]
    flat = [(name, row) for name, rows in sets.items() for row in rows]
    docs = get_nlp().pipe(for_parser(row["text"]) for _, row in flat)
    out = []
    for (name, row), doc in zip(flat, docs):
        text = row["text"]
        ctx = Context(
            text=text, doc=doc, kind="follow_up", config=Config(), layout=textprep.layout(text)
        )
        spans = [(text.find(p), text.find(p) + len(p)) for p in row.get(task.phrases, [])]
        for sent in tone_sentences(ctx):
            a, b = sent.start_char, sent.end_char
            out.append(
                Example(
                    name,
                    str(row.get("id", "")),
                    sent.text,
                    a,
                    b,
                    any(x < b and a < y for x, y in spans),
                    bool(row.get(task.label)),
                    extract([sent], config).counts,
                    str(row.get("source_url", "")),
                )
            )
    return out


def message_examples(task: Task, sets: dict[str, list[dict]], config=None) -> list[Example]:
    """One example per draft: its body sentences' feature counts summed, as the check sums
    them (``checker.rules.signals.sum_counts``); positive when the draft carries the
    task's label."""
    from checker.rules.signals import sum_counts

    by: dict[tuple[str, str], list[Example]] = {}
    for e in examples(task, sets, config or task.recipe["config"]):
        by.setdefault((e.set, e.id), []).append(e)
    return [
        Example(
            name,
            rid,
            "",
            0,
            0,
            ex[0].positive_draft,
            ex[0].positive_draft,
            sum_counts([x.counts for x in ex]),
            ex[0].page,
        )
        for (name, rid), ex in by.items()
    ]


def weights_of(task: Task, exs: list[Example]) -> np.ndarray:
    return np.array(
        [task.set_weights.get(e.set.split("/")[0].rstrip("0123456789"), 1.0) for e in exs]
    )


def fit(task: Task, exs: list[Example], recipe=None):
    """Fit on examples; returns (featurizer, coef, bias)."""
    from sklearn.linear_model import LogisticRegression

    from checker.models.politeness.train import CountMatrix, Featurizer

    recipe = recipe or task.recipe
    cm = CountMatrix.build([e.counts for e in exs])
    idx = np.arange(len(exs))
    fz = Featurizer(recipe["blocks"], recipe["min_df"]).fit(cm, idx)
    X = fz.transform(cm, idx)
    lr = LogisticRegression(C=recipe["C"], max_iter=5000, class_weight="balanced")
    lr.fit(X, np.array([e.label for e in exs]), sample_weight=weights_of(task, exs))
    return fz, lr.coef_.ravel(), float(lr.intercept_[0])


def train(task: Task, exs: list[Example], recipe=None, meta=None):
    from checker.models.politeness.train import export

    recipe = recipe or task.recipe
    fz, coef, bias = fit(task, exs, recipe)
    # Logistic regression is calibrated already: the probability is sigmoid(raw).
    return export(task.model_class, fz, coef, bias, (1.0, 0.0), recipe, meta)


def cross_validate(
    task: Task, exs: list[Example], recipe=None, folds: int = 5, seed: int = 0
) -> np.ndarray:
    """Out-of-fold probabilities, folds grouped by source page where a draft has one, else by
    draft (a draft's sentences, and a page's drafts, stay together)."""
    from sklearn.model_selection import GroupKFold

    groups = [e.page or f"{e.set}/{e.id}" for e in exs]
    gid = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    order = np.random.default_rng(seed).permutation(len(gid))
    g = np.array([order[gid[x]] for x in groups])
    p = np.zeros(len(exs))
    for tr, te in GroupKFold(folds).split(exs, groups=g):
        model = train(task, [exs[i] for i in tr], recipe)
        p[te] = [model.score_counts(exs[i].counts) for i in te]
    return p


def cv_figures(task: Task, exs: list[Example], recipe=None, folds: int = 5) -> dict:
    """Grouped cross-validation figures for the card, overall and on the real sentences."""
    from sklearn.metrics import roc_auc_score

    from checker.rules import threshold_defaults

    p = cross_validate(task, exs, recipe, folds)
    y = np.array([e.label for e in exs])
    t = threshold_defaults()[task.threshold_section]["threshold"]

    def figures(mask: np.ndarray) -> dict[str, Any]:
        yy, pp = y[mask], p[mask]
        flag = pp >= t
        out: dict[str, Any] = {"sentences": int(mask.sum()), "positive": int(yy.sum())}
        if 0 < yy.sum() < len(yy):
            out["auc"] = round(float(roc_auc_score(yy, pp)), 4)
        out[f"precision_at_{t}"] = round(float((flag & yy).sum() / max(1, flag.sum())), 4)
        out[f"recall_at_{t}"] = round(float((flag & yy).sum() / max(1, yy.sum())), 4)
        return out

    real = np.array([e.set.startswith("real/") for e in exs])
    result = {
        "folds": folds,
        "grouped_by": "source page (written drafts: draft)",
        **figures(np.ones(len(y), bool)),
    }
    if real.any() and not real.all():
        result["real"] = figures(real)
        result["written"] = figures(~real)
    return result


def _save(task: Task, model, out_dir, name: str) -> tuple[Path, Path]:
    """Write ``model`` as ``name`` in ``out_dir`` (default: the task's folder); returns the
    folder and the file."""
    out = Path(out_dir) if out_dir else task.out_dir
    out.mkdir(parents=True, exist_ok=True)
    weights = out / name
    model.save(weights)
    return out, weights


def _model_facts(model, weights: Path) -> dict[str, Any]:
    """What a card says of a saved model: its recipe, features and weights file."""
    return {
        "recipe": model.meta["recipe"],
        "features": {"count": len(model.vectorizer.idf), "nonzero_weights": len(model.weights)},
        "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        "weights_bytes": weights.stat().st_size,
    }


def build(
    task: Task,
    data_dir=None,
    out_dir=None,
    sets=None,
    evaluate_too=True,
    say: Callable[[str], None] = print,
) -> dict:
    """Train on the task's sets, write ``weights.json`` and ``card.json`` (with grouped
    cross-validation figures)."""
    import sklearn
    import spacy

    base = Path(data_dir) if data_dir else DATA
    rows = read_sets(task, sets, base)
    say(f"parsing {sum(len(r) for r in rows.values())} drafts from {base}")
    exs = examples(task, rows)
    files = {
        n: {
            "file": f"{n}.jsonl",
            "drafts": len(r),
            "sha256": hashlib.sha256((base / f"{n}.jsonl").read_bytes()).hexdigest(),
        }
        for n, r in rows.items()
    }
    say(f"training on {len(exs)} sentences")
    model = train(task, exs, meta={"data": files})
    out, weights = _save(task, model, out_dir, "weights.json")
    card = {
        "name": f"followup-checker {task.name} tone (linear, JSON weights)",
        "task": f"P(sentence overlaps a labelled {task.label} phrase | body sentence of a draft)",
        "trained": model.meta["trained"],
        "data": files,
        "set_weights": task.set_weights,
        "versions": {
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "scikit-learn": sklearn.__version__,
        },
        **_model_facts(model, weights),
    }
    if evaluate_too:
        say("5-fold cross-validation grouped by page")
        card["cross_validation"] = cv_figures(task, exs)
    card_path = out / "card.json"
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return {"weights": weights, "card": card_path, "model": model}


def build_message(
    task: Task,
    data_dir=None,
    out_dir=None,
    sets=None,
    evaluate_too=True,
    say: Callable[[str], None] = print,
) -> dict:
    """Train the whole-message model of ``task`` (one example a draft), write
    ``message.json`` and add its facts under ``message`` in ``card.json``."""
    base = Path(data_dir) if data_dir else DATA
    rows = read_sets(task, sets, base)
    exs = message_examples(task, rows)
    say(f"training the whole-message model on {len(exs)} drafts")
    model = train(task, exs)
    out, weights = _save(task, model, out_dir, "message.json")
    card_path = out / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}
    card["message"] = {
        "task": f"P(draft is labelled {task.label} | its body sentences' features together)",
        "drafts": len(exs),
        "positive": sum(e.label for e in exs),
        **_model_facts(model, weights),
    }
    if evaluate_too:
        say("5-fold cross-validation of the whole-message model, grouped by page")
        card["message"]["cross_validation"] = cv_figures(task, exs)
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return {"weights": weights, "card": card_path, "model": model}


def build_with_message(task: Task, message_task: Task, *args, **kwargs) -> dict:
    """The sentence tone model (``weights.json``), then the whole-message model
    (``message.json``); both described in ``card.json``.  The other arguments are
    ``build``'s (and ``build_message``'s)."""
    result = build(task, *args, **kwargs)
    message = build_message(message_task, *args, **kwargs)
    return {**result, "message_weights": message["weights"], "message_model": message["model"]}

"""Entry points behind ``followup train politeness`` and ``followup eval politeness``."""

from __future__ import annotations

import datetime as _dt
import json
import platform
from pathlib import Path

from . import corpus as _corpus
from .evaluate import KEYS, evaluate
from .train import RECIPE, doc_counts, train

TARGETS = {"wiki_in": 0.86, "se_in": 0.69, "wiki_to_se": 0.65, "se_to_wiki": 0.78}
HERE = Path(__file__).resolve().parent


def versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn
    import spacy

    from checker.nlp import MODEL, get_nlp

    return {
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "spacy_model": f"{MODEL}=={get_nlp().meta.get('version')}",
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }


def load_parsed(corpus_dir=None, use_cache=True, say=print):
    corpora = _corpus.load(corpus_dir)
    for c in corpora.values():
        say(f"parsing {c.path} ({len(c)} requests)")
        _corpus.parse(c, use_cache=use_cache)
    return corpora


def evaluate_corpus(
    corpus_dir=None, folds=10, seed=0, use_cache=True, say=print, corpora=None, recipe=RECIPE
) -> dict:
    corpora = corpora or load_parsed(corpus_dir, use_cache, say)
    counts = {n: doc_counts(c.docs, recipe["config"]) for n, c in corpora.items()}
    scores = evaluate(corpora, recipe, folds=folds, seed=seed, counts=counts, progress=say)
    n = {
        name: sum(1 for v in _corpus.quartile_labels(c.scores) if v is not None)
        for name, c in corpora.items()
    }
    return {"scores": scores, "n": n, "targets": TARGETS, "folds": folds, "seed": seed}


def build(
    corpus_dir=None,
    out_dir=None,
    evaluate_too=False,
    folds=10,
    use_cache=True,
    say=print,
    recipe=RECIPE,
) -> dict:
    """Train on all rows of both corpora; write weights.json and card.json."""
    corpora = load_parsed(corpus_dir, use_cache, say)
    counts = {n: doc_counts(c.docs, recipe["config"]) for n, c in corpora.items()}
    say("training")
    meta = {
        "corpus": {
            n: {"file": c.path.name, "sha256": c.sha256, "rows": len(c)} for n, c in corpora.items()
        },
        "versions": versions(),
    }
    model = train(corpora, recipe, meta=meta, counts=counts)
    out = Path(out_dir) if out_dir else HERE
    out.mkdir(parents=True, exist_ok=True)
    weights = out / "weights.json"
    model.save(weights)
    card_path = out / "card.json"
    card = {}
    if card_path.exists():
        try:
            card = json.loads(card_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            card = {}
    card.update(
        {
            "name": "followup-checker politeness (linear, JSON weights)",
            "task": "P(top quartile of Normalized Score | request), Stanford Politeness Corpus",
            "trained": model.meta["trained"],
            "corpus": meta["corpus"],
            "versions": meta["versions"],
            "recipe": model.meta["recipe"],
            "features": {"count": len(model.vectorizer.idf), "nonzero_weights": len(model.weights)},
            "calibration": {
                "method": "Platt scaling on out-of-fold ridge outputs (quartile rows)",
                "a": model.calibration[0],
                "b": model.calibration[1],
                "oof_accuracy": round(model.meta["oof_accuracy"], 4),
            },
            "weights_sha256": __import__("hashlib").sha256(weights.read_bytes()).hexdigest(),
            "weights_bytes": weights.stat().st_size,
        }
    )
    if evaluate_too:
        res = evaluate_corpus(folds=folds, corpora=corpora, say=say, recipe=recipe)
        card["evaluation"] = {
            "protocol": "Danescu-Niculescu-Mizil et al. 2013 quartile task; "
            f"{folds}-fold stratified CV in-domain, train-all/test-other cross-domain; "
            "bag-of-words baseline (unigram+bigram counts, logistic regression) "
            "fitted in the same run",
            "command": f"followup eval politeness --folds {folds} --json",
            "date": _dt.date.today().isoformat(),
            "scores": res["scores"],
            "n": res["n"],
            "targets": TARGETS,
        }
    card_path.write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return {"weights": weights, "card": card_path, "model": model}


__all__ = ["build", "evaluate_corpus", "KEYS", "TARGETS"]

"""Entry point behind ``followup train desperation``: train on the blind tuning drafts, write
``weights.json`` and ``card.json`` (with grouped cross-validation figures)."""
from __future__ import annotations

import hashlib
import json
import platform
from pathlib import Path

import numpy as np

from .train import DATA, RECIPE, cross_validate, examples, read_sets, train

HERE = Path(__file__).resolve().parent


def cv_figures(exs, recipe=RECIPE, folds: int = 5) -> dict:
    from sklearn.metrics import roc_auc_score

    from checker.rules import threshold_defaults

    p = cross_validate(exs, recipe, folds)
    y = np.array([e.label for e in exs])
    t = threshold_defaults()["desperation.tone"]["threshold"]
    flag = p >= t
    return {"folds": folds, "grouped_by": "draft", "sentences": int(len(y)),
            "positive": int(y.sum()), "auc": round(float(roc_auc_score(y, p)), 4),
            f"precision_at_{t}": round(float((flag & y).sum() / max(1, flag.sum())), 4),
            f"recall_at_{t}": round(float((flag & y).sum() / max(1, y.sum())), 4)}


def build(data_dir=None, out_dir=None, sets=None, evaluate_too=True, say=print) -> dict:
    import sklearn
    import spacy

    base = Path(data_dir) if data_dir else DATA
    rows = read_sets(sets, base)
    say(f"parsing {sum(len(r) for r in rows.values())} drafts from {base}")
    exs = examples(rows, RECIPE["config"])
    files = {n: {"file": f"{n}.jsonl", "drafts": len(r),
                 "sha256": hashlib.sha256((base / f"{n}.jsonl").read_bytes()).hexdigest()}
             for n, r in rows.items()}
    say(f"training on {len(exs)} sentences")
    model = train(exs, RECIPE, meta={"data": files})
    out = Path(out_dir) if out_dir else HERE
    out.mkdir(parents=True, exist_ok=True)
    weights = out / "weights.json"
    model.save(weights)
    card = {
        "name": "followup-checker desperation tone (linear, JSON weights)",
        "task": "P(sentence overlaps a labelled desperate phrase | body sentence of a draft)",
        "trained": model.meta["trained"], "data": files,
        "versions": {"python": platform.python_version(), "spacy": spacy.__version__,
                     "scikit-learn": sklearn.__version__},
        "recipe": model.meta["recipe"],
        "features": {"count": len(model.vectorizer.idf), "nonzero_weights": len(model.weights)},
        "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        "weights_bytes": weights.stat().st_size,
    }
    if evaluate_too:
        say("5-fold cross-validation grouped by draft")
        card["cross_validation"] = cv_figures(exs)
    card_path = out / "card.json"
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return {"weights": weights, "card": card_path, "model": model}

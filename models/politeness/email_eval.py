"""How to score a whole email with a model trained on single requests: numbers on the
development drafts (``../shared/data/drafts/dev.jsonl``, labels polite / neutral / impolite).

Run: ``python -m checker.models.politeness.email_eval [--drafts PATH] [--json]``.  Methods compared:

- ``whole_text``: the whole message as one request, greeting and sign-off included;
- ``body``: the body only (greeting, sign-off and inline "Hi Mark," left out), one request;
- ``mean``: the mean of per-sentence log-odds over the body;
- ``min``: the least polite body sentence;
- ``mean_min``: half the mean plus half the least polite sentence.

Reported: polite-vs-impolite agreement (drafts labelled polite or impolite; calibrated
probability >= 0.5 means polite), the rank AUC for the same pairs, and three-way agreement
with the label thresholds of ``checker/rules/politeness.toml``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

METHODS = ("whole_text", "body", "mean", "min", "mean_min")


def default_drafts() -> Path:
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "drafts" / "dev.jsonl"


def _auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def score_drafts(drafts: list[dict], methods=METHODS) -> list[dict]:
    from checker import api, textprep
    from checker.api import Context
    from checker.checks.politeness.check import score_body
    from checker.checks.politeness.model import load
    from checker.config import Config
    from checker.nlp import get_nlp

    model = load()
    nlp = get_nlp()
    out = []
    prep = getattr(api, "for_parser", lambda t: t)  # what check() hands the parser
    for d, doc in zip(drafts, nlp.pipe([prep(d["text"]) for d in drafts])):
        text = d["text"]
        ctx = Context(
            text=text,
            doc=doc,
            kind=d.get("kind", "thank_you"),
            config=Config(),
            layout=textprep.layout(text),
        )
        row = {"id": d.get("id"), "label": d.get("politeness")}
        for m in methods:
            if m == "whole_text":
                row[m] = model.score_sents(list(doc.sents), spans=False).probability
            else:
                row[m] = score_body(ctx, model, method=m)["score"]
        out.append(row)
    return out


def agreement(rows: list[dict], methods=METHODS, polite_min=None, impolite_max=None) -> dict:
    from checker.checks.politeness.check import label_for
    from checker.rules import threshold_defaults

    labels = threshold_defaults()["politeness.labels"]
    if polite_min is not None:
        labels = dict(labels, polite_min=polite_min)
    if impolite_max is not None:
        labels = dict(labels, impolite_max=impolite_max)
    res = {}
    for m in methods:
        pi = [r for r in rows if r["label"] in ("polite", "impolite")]
        binary = sum((r[m] >= 0.5) == (r["label"] == "polite") for r in pi) / max(1, len(pi))
        three = sum(label_for(r[m], labels) == r["label"] for r in rows) / max(1, len(rows))
        imp = [r for r in rows if r["label"] == "impolite"]
        res[m] = {
            "polite_vs_impolite": round(binary, 3),
            "auc": round(
                _auc([r[m] for r in rows if r["label"] == "polite"], [r[m] for r in imp]), 3
            ),
            "three_way": round(three, 3),
            "impolite_recall": round(
                sum(label_for(r[m], labels) == "impolite" for r in imp) / max(1, len(imp)), 3
            ),
            "polite_flagged_impolite": sum(
                label_for(r[m], labels) == "impolite" for r in rows if r["label"] == "polite"
            ),
        }
    return {
        "n": {k: sum(r["label"] == k for r in rows) for k in ("polite", "neutral", "impolite")},
        "thresholds": {"polite_min": labels["polite_min"], "impolite_max": labels["impolite_max"]},
        "methods": res,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--drafts", default=str(default_drafts()))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--rows", action="store_true", help="print every draft's scores")
    args = ap.parse_args(argv)
    path = Path(args.drafts)
    if not path.exists():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    drafts = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = score_drafts(drafts)
    res = agreement(rows)
    if args.rows:
        for r in rows:
            print(r["id"], f"{r['label']:9}", " ".join(f"{m}={r[m]:.2f}" for m in METHODS))
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print(f"dev drafts: {res['n']}; thresholds {res['thresholds']}")
        print(
            f"{'method':12} {'pol-vs-imp':>10} {'AUC':>6} {'3-way':>6} {'imp recall':>10} {'polite->imp':>11}"
        )
        for m, v in res["methods"].items():
            print(
                f"{m:12} {v['polite_vs_impolite']:10.3f} {v['auc']:6.3f} {v['three_way']:6.3f} "
                f"{v['impolite_recall']:10.3f} {v['polite_flagged_impolite']:11d}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

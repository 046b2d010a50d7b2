"""Operating points of the hostility tone model, chosen by cross-validation on top of the rules.

The phrase rules were written from the real tuning pages, so on that set they are in-sample;
what a change to the learned layer is worth is what it adds on top of them.  This script:

1. splits ``data/eval/real/tune.jsonl`` into the folds of ``tools/cv_real.py`` (by page);
2. runs the check on each left-out fold with the desperation tone model retrained without it
   and the rule ``hostility.tone`` (and the whole-message models) turned off (the "rules" decision: which drafts already get
   an error, which sentences a hostility phrase signal covers, the politeness label);
3. gives every body sentence an out-of-fold hostility probability (model retrained per fold
   with the recipe under test);
4. replays the check's decision for a grid of operating points (sentence ``threshold``,
   ``min_alone``, the tone rule's ``weight`` against the level's ``high``, and
   ``min_model_probability`` for the politeness label) and prints, for each, bad stopped and
   good with an error, hostile F1 and the politeness figures.

    python tools/cv_tone_ops.py [--recipe words|chars|...] [--top 15]

The rules' pass is cached under /tmp (keyed by the data and rule files), so trying a recipe
costs only the training.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from cv_real import REAL, folds_of  # noqa: E402

from checker.evaluation import bad, good, read_jsonl  # noqa: E402

RULE_FILES = sorted((ROOT / "checker" / "checks").glob("*/rules.toml"))


def _key() -> str:
    h = hashlib.sha256(REAL.read_bytes())
    for f in RULE_FILES + [ROOT / "models" / "desperation" / "train.py"]:
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def rules_pass(rows, folds, off: str = "hostility.tone"):
    """Per draft: the rules' decision with ``off`` (a rule id or a category) turned off, the
    desperation tone model out of fold."""
    cache = Path(f"/tmp/followup_cv_tone_ops_{_key()}_{off}_nomsg.json")
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    import checker.checks.desperation.tone as dtone
    from checker import check_many
    from checker.config import Config
    from checker.models import tone
    from checker.models.desperation.train import TASK as DTASK

    written = {n: r for n, r in tone.read_sets(DTASK).items() if not n.startswith("real/")}
    d_written = tone.examples(DTASK, written)
    # The whole-message models are off too (they would be in-sample here): this replays the
    # sentence tone model over the rules and the desperation tone model.
    config = Config.from_dict(
        {"rules": {off: False, "hostility.message": False, "desperation.message": False}}
    )
    out = {}
    for test in folds:
        ids = {r["id"] for r in test}
        train_rows = {"real/tune": [r for r in rows if r["id"] not in ids]}
        d_model = tone.train(DTASK, d_written + tone.examples(DTASK, train_rows))
        saved = dtone.load
        dtone.load = lambda m=d_model: m
        try:
            reports = check_many([(r["text"], {}) for r in test], config=config)
        finally:
            dtone.load = saved
        for row, rep in zip(test, reports):
            d = rep.to_dict()
            errors = [
                f
                for f in d["findings"]
                if f["severity"] == "error" and f["rule"] != "hygiene.placeholder"
            ]
            h = d.get("hostility") or {}
            out[row["id"]] = {
                "error": bool(errors),
                "host_spans": [(s["start"], s["end"]) for s in h.get("signals", [])],
                "host_score": h.get("score", 0.0),
                "polite_label": (d.get("politeness") or {}).get("label"),
            }
    cache.write_text(json.dumps(out), encoding="utf-8")
    return out


RECIPES = {
    "words": {},
    "words_c1": {"C": 1.0},
    "words_c10": {"C": 10.0},
    "words13": {"config": {"word_ngrams": [1, 3]}},
    "chars": {
        "config": {"char_ngrams": [3, 5]},
        "blocks": {"c": {"weight": 1.0, "sublinear": True, "norm": "l2"}},
    },
}


def recipe_of(name: str) -> dict:
    from checker.config import deep_merge
    from checker.models import tone

    return deep_merge(tone.RECIPE, RECIPES[name])


def oof_probabilities(rows, folds, recipe_name: str):
    """Out-of-fold hostility probability of every body sentence: id -> [(start, end, p)]."""
    from checker.models import tone
    from checker.models.hostility.train import TASK as HTASK

    recipe = recipe_of(recipe_name)
    exs = tone.examples(HTASK, {"real/tune": rows}, config=recipe["config"])
    out: dict[str, list] = {r["id"]: [] for r in rows}
    for test in folds:
        ids = {r["id"] for r in test}
        model = tone.train(HTASK, [e for e in exs if e.id not in ids], recipe)
        for e in exs:
            if e.id in ids:
                out[e.id].append((e.start, e.end, model.score_counts(e.counts)))
    return out, exs


def shipped() -> dict:
    """The operating point and level settings the rule data ships (hostility's tone and level
    thresholds, the tone rule's weight and severity, politeness's ``min_model_probability``),
    as ``replay``'s keywords."""
    from checker.config import Config
    from checker.rules import concept_data

    config = Config()
    tone_t, level = config.threshold("hostility.tone"), config.threshold("hostility.level")
    rule = concept_data("hostility")["rules"]["hostility.tone"]
    return {
        "t": tone_t["threshold"],
        "min_alone": tone_t["min_alone"],
        "k": level["high"] / rule["weight"],
        "m": config.threshold("politeness.labels")["min_model_probability"],
        "severity": rule["severity"],
        "high": level["high"],
        "cap": level["cap"],
    }


def replay(rows, base, probs, t, min_alone, k, m, severity, high, cap):
    """The check's decision with the tone model at one operating point.  ``k``: tone signals
    that alone reach the level ``high`` (weight = high / k)."""
    weight = high / k
    tally = {"bad": [0, 0], "good": [0, 0], "host": [0, 0, 0], "imp": [0, 0], "pol": [0, 0]}
    for row in rows:
        b = base[row["id"]]
        spans = b["host_spans"]
        sig = [
            p
            for s, e, p in probs[row["id"]]
            if p >= t and not any(s < y and x < e for x, y in spans)
        ]
        if not spans and len(sig) < min_alone:
            sig = []
        score = b["host_score"] + min(cap, weight * len(sig))
        pulled = any(p >= m for p in sig)
        error = b["error"] or (sig and (score >= high or severity == "error")) or pulled
        label = "impolite" if pulled else b["polite_label"]
        if bad(row):
            tally["bad"][0] += bool(error)
            tally["bad"][1] += 1
        if good(row):
            tally["good"][0] += bool(error)
            tally["good"][1] += 1
        pred, gold = bool(spans or sig), bool(row.get("hostile"))
        tally["host"][0] += pred and gold
        tally["host"][1] += pred and not gold
        tally["host"][2] += gold and not pred
        if row.get("politeness") == "impolite":
            tally["imp"][0] += label == "impolite"
            tally["imp"][1] += 1
        if row.get("politeness") == "polite":
            tally["pol"][0] += label == "impolite"
            tally["pol"][1] += 1
    tp, fp, fn = tally["host"]
    return {
        "bad_stopped": tally["bad"][0] / tally["bad"][1],
        "good_with_error": tally["good"][0] / tally["good"][1],
        "f1_hostile": 2 * tp / max(1, 2 * tp + fp + fn),
        "impolite_imp": tally["imp"][0] / tally["imp"][1],
        "polite_imp": tally["pol"][0] / tally["pol"][1],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--recipe", default="words", choices=sorted(RECIPES))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--max-good", type=float, default=0.025)
    args = ap.parse_args()
    from sklearn.metrics import roc_auc_score

    rows = read_jsonl(REAL)
    folds = folds_of(rows, args.folds)
    base = rules_pass(rows, folds)
    alone = rules_pass(rows, folds, "hostility")
    probs, exs = oof_probabilities(rows, folds, args.recipe)
    p = [pp for r in rows for _, _, pp in probs[r["id"]]]
    by_id: dict[str, list] = {}
    for e in exs:
        by_id.setdefault(e.id, []).append(e)
    y = [e.label for r in rows for e in by_id.get(r["id"], [])]
    print(f"recipe {args.recipe}: sentence AUC by page folds {roc_auc_score(y, p):.3f}")

    def fmt(name, f):
        return (
            f"| {name} | {f['bad_stopped']:.3f} | {f['good_with_error']:.3f} | "
            f"{f['f1_hostile']:.3f} | {f['impolite_imp']:.3f} | {f['polite_imp']:.3f} |"
        )

    print(
        "| operating point | bad stopped | good w/ error | hostile F1 | impolite→imp | polite→imp |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    both = {"on top of the rules": base, "hostility rules off": alone}
    ship = shipped()
    for what, b in both.items():
        off = {**ship, "t": 2, "min_alone": 1, "k": 2, "m": 2}
        print(fmt(f"{what}: tone off", replay(rows, b, probs, **off)))
        print(
            fmt(
                f"{what}: shipped (t {ship['t']}, alone {ship['min_alone']}, {ship['k']:g} to "
                f"high, impolite at {ship['m']})",
                replay(rows, b, probs, **ship),
            )
        )
    grid = []
    for t, min_alone, k, m in itertools.product(
        (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85),
        (1, 2),
        (1, 2, 3),
        (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 2),
    ):
        if m < t:
            continue
        point = {**ship, "t": t, "min_alone": min_alone, "k": k, "m": m}
        f = replay(rows, base, probs, **point)
        g = replay(rows, alone, probs, **point)
        grid.append(((t, min_alone, k, m), f, g))
    # Kept: good with an error within the limit both on top of the rules and alone; ranked by
    # bad stopped on top of the rules, then alone.
    ok = [x for x in grid if max(x[1]["good_with_error"], x[2]["good_with_error"]) <= args.max_good]
    ok.sort(
        key=lambda x: (
            -round(x[1]["bad_stopped"], 3),
            -x[2]["bad_stopped"],
            x[1]["good_with_error"],
            -x[1]["f1_hostile"],
        )
    )
    print(f"best {args.top} with good w/ error <= {args.max_good} (each: on top / alone)")
    for (t, a, k, m), f, g in ok[: args.top]:
        print(fmt(f"t {t}, alone {a}, {k} to high, impolite at {m}", f))
        print(fmt("  same, hostility rules off", g))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``followup eval politeness [--corpus DIR] [--folds 10] [--json]``: the paper's protocol.

Top / bottom quartile of ``Normalized Score`` within each corpus; stratified k-fold accuracy
in-domain (Wikipedia, Stack Exchange) and cross-domain, each next to a bag-of-words baseline
fitted in the same run.  ``--json`` prints one object with the keys ``wiki_in``, ``se_in``,
``wiki_to_se``, ``se_to_wiki`` and their ``bow_`` twins (accuracies in 0..1).
"""

from __future__ import annotations

import json
import sys

from ..cli import UsageError, require_extra

ROWS = (
    ("wiki_in", "Wikipedia (in-domain)"),
    ("se_in", "Stack Exchange (in-domain)"),
    ("wiki_to_se", "Wikipedia -> Stack Exchange"),
    ("se_to_wiki", "Stack Exchange -> Wikipedia"),
)


def add_arguments(p) -> None:
    p.add_argument("model", choices=("politeness",), help="the model to evaluate")
    p.add_argument(
        "--corpus",
        metavar="DIR",
        help="folder with the annotated CSVs (default: ../shared/data/politeness)",
    )
    p.add_argument("--folds", type=int, default=10, help="cross-validation folds (default 10)")
    p.add_argument("--seed", type=int, default=0, help="fold shuffling seed (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--no-cache", action="store_true", help="re-parse the corpus (no parse cache)")


def run(args) -> int:
    require_extra("train", "sklearn", "numpy", "scipy")
    from checker.models.politeness import recipe
    from checker.models.politeness.corpus import CorpusError

    if args.folds < 2:
        raise UsageError("--folds must be at least 2")
    say = (lambda msg: None) if args.json else (lambda msg: print(msg, file=sys.stderr))
    try:
        res = recipe.evaluate_corpus(
            corpus_dir=args.corpus,
            folds=args.folds,
            seed=args.seed,
            use_cache=not args.no_cache,
            say=say,
        )
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:  # e.g. too few rows of a class for the folds
        raise UsageError(f"cannot evaluate: {str(exc).splitlines()[0]}") from None
    if args.json:
        print(json.dumps(res["scores"], sort_keys=False))
        return 0
    targets = res["targets"]
    print(
        f"politeness, {args.folds}-fold CV, quartile task "
        f"(Wikipedia n={res['n']['wiki']}, Stack Exchange n={res['n']['se']})"
    )
    print(f"{'':32} {'model':>7} {'bag-of-words':>13} {'target':>7}")
    for key, label in ROWS:
        s = res["scores"]
        print(
            f"{label:32} {s[key]:7.3f} {s['bow_' + key]:13.3f} {targets.get(key, float('nan')):7.2f}"
        )
    return 0

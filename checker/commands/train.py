"""``followup train politeness [--corpus DIR]``: train the politeness model from its corpus.
``followup train desperation [--data DIR]`` / ``followup train hostility [--data DIR]``: train a
sentence tone model from the labelled tuning drafts (``data/eval/real/tune.jsonl``, and for
desperation the written ``data/eval/tune*.jsonl`` as a supplement).

Each writes ``weights.json`` and ``card.json`` into ``models/<model>`` (or ``--out DIR``).
The recipes live in ``models/<model>/train.py``; scikit-learn is imported only here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..cli import UsageError, require_extra


def add_arguments(p) -> None:
    p.add_argument(
        "model", choices=("politeness", "desperation", "hostility"), help="the model to train"
    )
    p.add_argument(
        "--corpus",
        metavar="DIR",
        help="folder with wikipedia.annotated.csv and stack-exchange.annotated.csv "
        "(default: ../shared/data/politeness)",
    )
    p.add_argument(
        "--data",
        metavar="DIR",
        help="desperation, hostility: folder with the tuning drafts (default: data/eval)",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="where to write weights.json and card.json (default: the models/<model> package)",
    )
    p.add_argument(
        "--evaluate",
        action="store_true",
        help="also run the 10-fold evaluation and record it in card.json",
    )
    p.add_argument("--folds", type=int, default=10, help="folds for --evaluate (default 10)")
    p.add_argument("--no-cache", action="store_true", help="re-parse the corpus (no parse cache)")
    p.add_argument("--quiet", action="store_true")


def run(args) -> int:
    require_extra("train", "sklearn", "numpy", "scipy")
    say = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"{out}: not a folder")
    if args.model in ("desperation", "hostility"):
        import importlib

        from checker.models.tone import DataError as BadInput

        recipe = importlib.import_module(f"checker.models.{args.model}.recipe")

        def build():
            return recipe.build(data_dir=args.data, out_dir=out, say=say)
    else:
        if args.folds < 2:
            raise UsageError("--folds must be at least 2")
        from checker.models.politeness import recipe
        from checker.models.politeness.corpus import CorpusError as BadInput

        def build():
            return recipe.build(
                corpus_dir=args.corpus,
                out_dir=out,
                evaluate_too=args.evaluate,
                folds=args.folds,
                use_cache=not args.no_cache,
                say=say,
            )

    t0 = time.time()
    try:
        result = build()
    except BadInput as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write the model: {exc}") from None
    say(f"wrote {result['weights']} and {result['card']} in {time.time() - t0:.0f} s")
    return 0

"""Honest figures on the real-message tuning set while tuning: k-fold by source page.

The tone models are trained on the real tuning set, so scoring the check on that set with
the shipped models is in-sample.  This script retrains the tone models (desperation and
hostility sentences, the whole-message models) k times, each time
without one fold of the real tuning drafts (grouped by ``source_url``; the written tuning
sets stay in the desperation model's data), scores the check on the left-out fold, and
prints the pooled table.  The phrase rules are the same in every fold: figures for them are
in-sample as far as the rules were tuned on these drafts.

    python tools/cv_real.py [--folds 5] [--misses] [--no-phrase-rules hostility]

``--no-phrase-rules CONCEPT`` turns off the concept's phrase rules (the learned models stay):
the rules are in-sample here, so this shows what the learned layer carries on its own, closer
to messages whose wording no rule lists.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.evaluation import Result, read_jsonl, score, table  # noqa: E402

REAL = ROOT / "data" / "eval" / "real" / "tune.jsonl"


def folds_of(rows: list[dict], k: int, seed: int = 0) -> list[list[dict]]:
    sources = sorted({r["source_url"] for r in rows})
    random.Random(seed).shuffle(sources)
    fold_of = {s: i % k for i, s in enumerate(sources)}
    return [[r for r in rows if fold_of[r["source_url"]] == i] for i in range(k)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--kind", choices=("given", "auto"), default="auto")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--no-phrase-rules", action="append", default=[], metavar="CONCEPT")
    ap.add_argument(
        "--real",
        action="append",
        default=[],
        metavar="FILE",
        help="real-message files pooled for the folds (default: real/tune.jsonl)",
    )
    args = ap.parse_args()

    from checker.config import Config
    from checker.rules import concept_data
    from checker.rules.engine import phrase_rules

    off = {
        rule: False
        for concept in args.no_phrase_rules
        for rule, _ in phrase_rules(concept_data(concept)["rules"])
    }
    config = Config.from_dict({"rules": off}) if off else None

    import checker.checks.desperation.tone as dtone
    import checker.checks.hostility.tone as htone
    from checker.models import tone
    from checker.models.desperation.train import MESSAGE_TASK as DMTASK
    from checker.models.desperation.train import TASK as DTASK
    from checker.models.hostility.train import MESSAGE_TASK as MTASK
    from checker.models.hostility.train import TASK as HTASK

    rows = [r for f in (args.real or [REAL]) for r in read_jsonl(f)]
    written = {n: r for n, r in tone.read_sets(DTASK).items() if not n.startswith("real/")}
    d_written = tone.examples(DTASK, written)
    dm_written = tone.message_examples(DMTASK, written)
    total = Result()
    for i, test in enumerate(folds_of(rows, args.folds)):
        ids = {r["id"] for r in test}
        train_rows = {"real/tune": [r for r in rows if r["id"] not in ids]}
        d_model = tone.train(DTASK, d_written + tone.examples(DTASK, train_rows))
        h_model = tone.train(HTASK, tone.examples(HTASK, train_rows))
        m_model = tone.train(MTASK, tone.message_examples(MTASK, train_rows))
        dm_model = tone.train(DMTASK, dm_written + tone.message_examples(DMTASK, train_rows))
        saved = dtone.load, htone.load, htone.load_message, dtone.load_message
        dtone.load, htone.load, htone.load_message, dtone.load_message = (
            (lambda m=d_model: m),
            (lambda m=h_model: m),
            (lambda m=m_model: m),
            (lambda m=dm_model: m),
        )
        try:
            res = score(test, kind=args.kind, config=config)
        finally:
            dtone.load, htone.load, htone.load_message, dtone.load_message = saved
        print(f"fold {i + 1}/{args.folds}: {len(test)} drafts", file=sys.stderr)
        total.n += res.n
        for key, t in res.tallies.items():
            tt = total.tally(key)
            tt.tp, tt.fp, tt.fn, tt.tn = tt.tp + t.tp, tt.fp + t.fp, tt.fn + t.fn, tt.tn + t.tn
        for key, s in res.shares.items():
            ss = total.share(key)
            ss.hit, ss.total = ss.hit + s.hit, ss.total + s.total
        total.misses += res.misses
    if args.misses:
        for m in total.misses:
            print("  ", m)
    name = f"real/tune, {args.folds}-fold" + "".join(
        f", no {c} phrase rules" for c in args.no_phrase_rules
    )
    print(table([(name, total.summary())]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

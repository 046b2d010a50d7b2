"""Politeness numbers: weights load time and size, and per-draft scoring time.

Run: ``.venv/bin/python bench/bench_politeness.py``.  Prints numbers; asserts nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOAD = (
    "import time, json; t0 = time.perf_counter(); "
    "from checker.checks.politeness import model as m; t1 = time.perf_counter(); "
    "m.load(); t2 = time.perf_counter(); "
    "print(json.dumps({'import_s': t1 - t0, 'load_s': t2 - t1}))"
)


def main() -> int:
    from checker.checks.politeness.model import weights_path

    path = weights_path()
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", LOAD], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout
        )
        for _ in range(5)
    ]
    load = sorted(r["load_s"] for r in runs)[len(runs) // 2]
    print(
        f"weights: {path.stat().st_size / 1e6:.1f} MB; cold load (median of 5 processes): "
        f"{load * 1000:.0f} ms"
    )

    from checker import textprep
    from checker.api import Context
    from checker.checks import politeness
    from checker.config import Config
    from checker.nlp import get_nlp

    drafts_path = ROOT.parent / "shared" / "data" / "drafts" / "dev.jsonl"
    if drafts_path.exists():
        texts = [json.loads(x)["text"] for x in drafts_path.read_text().splitlines() if x.strip()]
    else:
        texts = [(ROOT / "data" / "examples" / "good-thank-you.txt").read_text()] * 50
    docs = list(get_nlp().pipe(texts))
    politeness.run(Context(texts[0], docs[0], "thank_you", Config(), textprep.layout(texts[0])))
    t = time.perf_counter()
    reps = 5
    for _ in range(reps):
        for text, doc in zip(texts, docs):
            politeness.run(Context(text, doc, "thank_you", Config(), textprep.layout(text)))
    per = (time.perf_counter() - t) / (reps * len(texts))
    print(
        f"politeness check on parsed drafts: {per * 1000:.2f} ms per draft "
        f"({len(texts)} drafts x {reps})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

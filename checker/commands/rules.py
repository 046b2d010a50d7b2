"""``followup rules``: the rule catalogue (id, plain label, default severity, description)."""

from __future__ import annotations

import json


def add_arguments(p) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("prefix", nargs="?", default="", help="only rules whose id starts with this")


def run(args) -> int:
    from ..rules import catalogue

    rules = [r for r in catalogue().values() if r.id.startswith(args.prefix)]
    if args.format == "json":
        print(json.dumps([r.__dict__ for r in rules], indent=2, ensure_ascii=False))
        return 0
    width = max((len(r.id) for r in rules), default=10)
    lw = max((len(r.label) for r in rules), default=10)
    for r in sorted(rules, key=lambda r: r.id):
        print(f"{r.id:<{width}}  {r.label:<{lw}}  {r.severity:<10}  {r.description or r.message}")
    return 0

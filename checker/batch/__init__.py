"""Batch review: a class's drafts in, per-student and class reports out.

    items = readers.iter_inputs(["class-drafts/"])          # Item per draft (or per bad input)
    for result in runner.process(items, jobs=2):             # through checker.check_many
        ...                                                  # Result: report or error, in order

``review(items, out, fmt)`` does the whole run: read, check, write (``jsonl`` / ``csv`` /
``html``) and return the ``Summary`` (its ``exit_code()`` is the CLI's).  Everything streams:
memory does not grow with the number of drafts.  See ``docs/batch.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .readers import Item, iter_inputs, read_blob, read_csv, read_jsonl
from .runner import Result, process
from .summary import Summary, facts
from .writers import COLUMNS, FORMATS, writer_for

__all__ = [
    "Item",
    "Result",
    "Summary",
    "COLUMNS",
    "FORMATS",
    "iter_inputs",
    "read_blob",
    "read_csv",
    "read_jsonl",
    "process",
    "review",
    "facts",
    "writer_for",
]


def review(
    items: Iterable[Item],
    out: Any,
    fmt: str = "jsonl",
    *,
    jobs: int = 1,
    config=None,
    kind: str | None = None,
    progress: Callable[[Iterator[Result]], Iterator[Result]] | None = None,
    **writer_options: Any,
) -> Summary:
    """Check every item and write the report in ``fmt`` to ``out`` (a text stream; the
    folder for ``handouts``); return the summary.  ``writer_options``: ``title``, ``inputs``,
    ``baseline`` (a ``compare.Baseline``: ``--compare``)."""
    summary = Summary()
    writer = writer_for(fmt, out, summary, **writer_options)
    results = process(items, jobs=jobs, config=config, kind=kind)
    if progress is not None:
        results = progress(results)
    for result in results:
        summary.add(result)
        writer.write(result)
    writer.close()
    return summary

"""Stream items through ``checker.check_many`` and yield one ``Result`` per item, in order.

Unreadable items skip the pipeline but keep their place; drafts the core could not analyse
(empty, binary, too long) become unreadable results too, with the core's reason.  If a check
raises on one draft, that draft is reported (``internal error``) and the rest go on.

``jobs=1``: one ``check_many`` stream in this process.  ``jobs=N>1``: N worker processes,
each with its own pipeline running its own ``check_many`` over chunks of the stream, so the
checks run in parallel as well as the parse (with ``nlp.pipe(n_process=N)`` alone the checks
stay in one process and cap the rate near the one-process rate).  Chunks in flight are
bounded, results come back in input order, and memory stays flat.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..kinds import KindError, parse_kind
from ..report import Report
from .readers import Item

MAX_CONSECUTIVE_FAILURES = 20
CHUNK = 32  # drafts per task in parallel mode
IN_FLIGHT_PER_JOB = 3  # tasks queued or running per worker


class BatchStopped(RuntimeError):
    """The checker failed on many drafts in a row (a broken install, not a bad draft)."""


@dataclass
class Result:
    item: Item
    report: Report | None = None
    error: str | None = None
    _data: dict[str, Any] | None = None
    _text: str | None = None  # the checked text, when the report stayed in a worker

    @property
    def text(self) -> str:
        """The text the report's offsets refer to (empty for an unreadable input)."""
        if self.report is not None:
            return self.report.text
        return self._text or ""

    @property
    def id(self) -> Any:
        return self.item.id

    @property
    def ok(self) -> bool:
        return self.error is None

    def data(self) -> dict[str, Any]:
        """The report JSON (``Report.to_dict()``) with ``"id"`` first; computed once."""
        if self._data is None:
            if self.report is None:
                self._data = {"id": self.item.id, "error": self.error, "input": self.item.where}
            else:
                self._data = {"id": self.item.id, **self.report.to_dict()}
        return self._data


def _unchecked_reason(report: Report) -> str | None:
    """The reason when the core reported the text as uncheckable (input.* finding, no analysis)."""
    if report.sections:
        return None
    for f in report.findings:
        if f.rule.startswith("input."):
            reason = report.notes[0] if report.notes else f.message
            # what to do about it, for the student whose file it is
            return (
                f"{reason}; {f.suggestion[:1].lower()}{f.suggestion[1:]}"
                if f.suggestion
                else reason
            )
    return None


def process(
    items: Iterable[Item],
    *,
    jobs: int = 1,
    config=None,
    kind: str | None = None,
    batch_size: int = 64,
) -> Iterator[Result]:
    """Check every readable item through ``check_many``; yield a ``Result`` each, in order."""
    if jobs > 1:
        yield from _process_parallel(
            items, jobs=jobs, config=config, kind=kind, batch_size=batch_size
        )
        return
    from ..api import check_many

    default_kind = parse_kind(kind, lenient=True)
    source: Iterator[Item] = iter(items)
    pending: deque[Item] = deque()  # items handed to the pipe, not yet reported

    def feed():
        for item in source:
            if item.error is None:
                try:
                    # Spreadsheets spell kinds many ways ("Thank-you note", "follow up").
                    item.kind = parse_kind(item.kind, lenient=True) or default_kind
                except KindError as exc:
                    item.error = str(exc)
            pending.append(item)
            if item.error is None:
                yield item.text, {"kind": item.kind}

    failures = 0
    while True:
        try:
            for report in check_many(feed(), n_process=jobs, config=config, batch_size=batch_size):
                while pending[0].error is not None:
                    bad = pending.popleft()
                    yield Result(bad, error=bad.error)
                item = pending.popleft()
                why = _unchecked_reason(report)
                item.text = None  # the report holds the text now
                yield Result(item, error=why) if why else Result(item, report=report)
                failures = 0
        except Exception as exc:  # a check raised on one draft: report it, go on
            if isinstance(exc, (ImportError, MemoryError)) or type(exc).__name__ == "ModelMissing":
                raise
            failed = _fail_next(pending, exc)
            failures += 1
            if failed is None:
                raise
            if failures > MAX_CONSECUTIVE_FAILURES:
                raise BatchStopped(
                    f"the checker failed on {failures} drafts in a row: {type(exc).__name__}: {exc}"
                ) from exc
        else:
            break
        # Report the draft that failed, then restart the pipe on the rest.
        yield from failed
        source = itertools.chain(list(pending), source)
        pending.clear()
    while pending:
        bad = pending.popleft()
        yield Result(bad, error=bad.error)


def _fail_next(pending: deque, exc: Exception) -> list[Result] | None:
    out = []
    while pending and pending[0].error is not None:
        bad = pending.popleft()
        out.append(Result(bad, error=bad.error))
    if not pending:
        return None
    item = pending.popleft()
    item.text = None
    msg = str(exc).splitlines()[0][:200] if str(exc) else ""
    out.append(
        Result(
            item,
            error=f"internal error while checking: {type(exc).__name__}"
            + (f": {msg}" if msg else ""),
        )
    )
    return out


# -- parallel mode ------------------------------------------------------------------------------

_worker_config = None


def _init_worker(config) -> None:
    global _worker_config
    _worker_config = config


def _check_chunk(chunk: list[Item], kind: str | None, batch_size: int) -> list[tuple]:
    """In a worker: check a chunk; return picklable rows (item, data, error, text)."""
    out = []
    for r in process(chunk, jobs=1, config=_worker_config, kind=kind, batch_size=batch_size):
        if r.ok:
            out.append((r.item, r.data(), None, r.report.text))
        else:
            out.append((r.item, None, r.error, None))
    return out


def _rows_to_results(rows: list[tuple]) -> Iterator[Result]:
    for item, data, error, text in rows:
        yield Result(item, error=error, _data=data, _text=text)


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _process_parallel(
    items: Iterable[Item], *, jobs: int, config, kind: str | None, batch_size: int
) -> Iterator[Result]:
    from concurrent.futures.process import BrokenProcessPool

    default_kind = parse_kind(kind, lenient=True)
    inflight: deque[Future | list[tuple]] = deque()
    limit = jobs * IN_FLIGHT_PER_JOB

    def chunks() -> Iterator[list[Item]]:
        chunk: list[Item] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    try:
        with ProcessPoolExecutor(
            jobs, mp_context=_context(), initializer=_init_worker, initargs=(config,)
        ) as pool:
            for chunk in chunks():
                if all(it.error is not None for it in chunk):
                    inflight.append([(it, None, it.error, None) for it in chunk])
                else:
                    inflight.append(pool.submit(_check_chunk, chunk, default_kind, batch_size))
                while len(inflight) >= limit:
                    yield from _rows_to_results(_rows(inflight.popleft()))
            while inflight:
                yield from _rows_to_results(_rows(inflight.popleft()))
    except BrokenProcessPool as exc:
        raise BatchStopped(f"a worker process died: {exc}") from None


def _rows(entry) -> list[tuple]:
    return entry if isinstance(entry, list) else entry.result()

"""Batch by characters: ``check_many`` never hands the parser more than its character budget
at once (one longer draft alone), and the reports are those of ``check``.

The memory itself is measured by ``bench/bench_batch.py --long`` (64 drafts at the size
limit), not here."""

from __future__ import annotations

from pathlib import Path

import pytest

import checker
from checker import api

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "examples").glob("*.txt"))


def _long_draft(n_chars: int, seed: int) -> str:
    """A realistic long draft: the bundled example notes' bodies repeated."""
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    out, i = [], seed
    while sum(len(t) + 2 for t in out) < n_chars:
        out.append(texts[i % len(texts)])
        i += 1
    return "\n\n".join(out)[:n_chars]


@pytest.fixture
def pipe_calls(monkeypatch):
    """Record the characters and the number of drafts of every ``nlp.pipe`` batch."""
    from checker.nlp import get_nlp

    nlp = get_nlp()
    cls = type(nlp)
    original = cls.pipe
    calls: list[tuple[int, int, int]] = []  # (drafts, characters, batch_size)

    def spy(self, texts, *args, **kwargs):
        if kwargs.get("as_tuples"):  # check_many's call, not spaCy's own inner one
            texts = list(texts)
            calls.append((len(texts), sum(len(t) for t, _ in texts), kwargs.get("batch_size")))
        return original(self, texts, *args, **kwargs)

    monkeypatch.setattr(cls, "pipe", spy)
    return calls


def test_groups_are_bounded_by_count_and_characters_and_keep_order():
    items = [("x" * n, i) for i, n in enumerate([10, 10, 10, 50, 5, 5, 100, 1, 1, 1, 1, 1])]
    groups = list(api._groups(iter(items), size=3, chars=30))
    assert [m for g in groups for _, m in g] == list(range(len(items)))
    for g in groups:
        assert len(g) <= 3
        assert len(g) == 1 or sum(len(t) for t, _ in g) <= 30
    # A draft longer than the budget is a group of its own; short ones fill up to the count.
    assert [len(g) for g in groups] == [3, 1, 2, 1, 3, 2]


def test_check_many_batches_long_drafts_by_characters(pipe_calls):
    long = [_long_draft(6_000, seed) for seed in range(4)]
    short = [p.read_text(encoding="utf-8") for p in EXAMPLES[:6]]
    texts = [short[0], long[0], long[1], short[1], short[2], long[2], long[3], *short[3:]]
    many = [r.to_dict() for r in checker.check_many(texts, batch_chars=10_000)]
    assert many == [checker.check(t).to_dict() for t in texts]
    assert sum(n for n, _, _ in pipe_calls) == len(texts)
    for drafts, chars, batch_size in pipe_calls:
        assert drafts == 1 or chars <= 10_000
        assert batch_size == drafts  # the group is the parser's batch
    # Two long drafts (12,000 characters) never share a batch; short ones join them.
    assert [n for n, _, _ in pipe_calls] == [2, 3, 1, 1]


def test_short_drafts_still_go_in_batches_of_the_full_count(pipe_calls):
    texts = [EXAMPLES[i % len(EXAMPLES)].read_text(encoding="utf-8") for i in range(10)]
    reports = list(checker.check_many(texts, batch_size=4))
    assert len(reports) == 10
    assert [n for n, _, _ in pipe_calls] == [4, 4, 2]


def test_worker_processes_get_batches_that_fit_the_budget(pipe_calls):
    texts = [EXAMPLES[0].read_text(encoding="utf-8")] * 3
    reports = [r.to_dict() for r in checker.check_many(texts, n_process=2)]
    assert reports == [checker.check(texts[0]).to_dict()] * 3
    # One pipe over the whole stream, in batches of at most budget / size limit drafts.
    (call,) = pipe_calls
    assert call[2] == checker.textprep.batch_chars() // checker.textprep.max_chars()

"""The class summary (checker/batch/summary.py): facts of one report and the folded
aggregates, in constant memory."""

from __future__ import annotations

import checker
from checker.batch.runner import Result
from checker.batch.summary import Summary, facts
from checker.report import ELEMENT_KEYS

GOOD = (
    "Dear Ms. Lee,\n\nThank you for meeting me on Monday. I enjoyed hearing about the depot. "
    "I can send references if useful, and I will call you in a week or two.\n\nBest,\nAmy"
)
NEEDY = "Hi Sam,\n\nI really need this job!!! Please, please hire me.\n\nLee"


def _result(i: int, text: str):
    from checker.batch.readers import Item

    return Result(Item(str(i), text, f"draft {i}"), checker.check(text), None)


def test_facts_of_a_report():
    f = facts(checker.check(GOOD).to_dict())
    assert f["verdict"] in ("ready", "revise") and f["words"] > 20
    assert all(f[k] is not None for k in ELEMENT_KEYS)
    assert f["desperation_level"] == "none" and f["errors"] == 0


def test_facts_of_an_unchecked_report_are_none_not_errors():
    f = facts(checker.check("").to_dict())
    assert f["words"] is None and f["politeness_score"] is None
    assert all(f[k] is None for k in ELEMENT_KEYS)


def test_summary_folds_results_and_ranks_attention():
    s = Summary()
    for i, text in enumerate([GOOD, NEEDY, GOOD]):
        s.add(_result(i, text))
    assert (s.total, s.checked, s.unreadable) == (3, 3, 0)
    assert s.with_errors == 1 and s.exit_code() == 1
    assert s.attention()[0]["id"] == "1"
    assert s.desperation_levels["high"] == 1
    assert sum(s.words.counts) == 3
    assert "3 drafts" in s.line()

"""Property test (issue 16): over text with long runs of punctuation and emoji and mixed
newlines (\\r\\n, \\r, U+2028), every finding's span lies within the text and the report is
JSON-serialisable.  2,000 short examples a run, through the one loaded pipeline."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker

PUNCT = list("!?.,;:()[]{}<>\"'_-*/#@&%$") + [
    "?!",
    "\U0001f600",
    "\U0001f44d\U0001f3fd",
    "\u2764\ufe0f",
    "\u2026",
    "\u2014",
]
NEWLINES = ["\n", "\r\n", "\r", "\u2028", "\n\n", " \r\n\r\n"]
WORDS = [
    "Thank",
    "you",
    "for",
    "the",
    "interview",
    "I",
    "really",
    "need",
    "this",
    "job",
    "Dear",
    "Ms.",
    "Lee,",
    "[Name",
    "<Company>",
    "{{first_name}}",
    "___",
    "please",
    "call",
    "tomorrow",
    "next",
    "week",
    "Best",
    "regards,",
    "Amy",
    "well-",
    "a,",
    "A",
]

runs = st.builds(lambda ch, n: ch * n, st.sampled_from(PUNCT), st.integers(2, 120))
pieces = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(NEWLINES), runs, st.just(" "), st.text(max_size=3)
)
drafts = st.lists(pieces, min_size=1, max_size=25).map(" ".join)


@settings(
    max_examples=2000,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drafts)
def test_findings_stay_in_the_text_and_the_report_is_json(text):
    report = checker.check(text)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(report.text), (f.rule, f.start, f.end)
        if f.fix is not None:
            assert 0 <= f.fix.start <= f.fix.end <= len(report.text)
    data = report.to_dict()
    json.loads(json.dumps(data))
    when = ((data.get("elements") or {}).get("call_heads_up") or {}).get("when")
    if when:
        assert 0 <= when["start"] <= when["end"] <= len(report.text)

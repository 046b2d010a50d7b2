"""checker.highlight: inline highlights as escaped HTML (used by the web app and batch report)."""

import re
from html.parser import HTMLParser

import pytest

from checker import highlight
from checker.report import Finding


def F(
    start,
    end,
    rule="desperation.begging",
    category=None,
    severity="warning",
    message="msg",
    suggestion="sugg",
):
    return {
        "start": start,
        "end": end,
        "rule": rule,
        "category": category or rule.split(".")[0],
        "severity": severity,
        "message": message,
        "suggestion": suggestion,
    }


class _Collect(HTMLParser):
    """Collects the marks and the visible text (tooltips excluded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks, self.text, self.tips = [], [], {}
        self._stack, self._in_mark, self._tip = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._stack.append((tag, a))
        if tag == "mark":
            self._in_mark = {"attrs": a, "text": ""}
            self.marks.append(self._in_mark)
        if "hl-tip" == a.get("class"):
            self._tip = a["id"]
            self.tips[self._tip] = ""

    def handle_endtag(self, tag):
        t, a = self._stack.pop()
        assert t == tag, (t, tag)
        if tag == "mark":
            self._in_mark = None
        if a.get("class") == "hl-tip":
            self._tip = None

    def handle_data(self, data):
        if self._tip:
            self.tips[self._tip] += data
            return
        self.text.append(data)
        if self._in_mark is not None:
            self._in_mark["text"] += data


def parse(html):
    p = _Collect()
    p.feed(html)
    p.close()
    assert not p._stack, "unbalanced tags"
    return p


def test_no_findings_is_escaped_text():
    assert highlight.render("a < b & c", []) == "a &lt; b &amp; c"


def test_one_mark_per_finding_and_text_preserved():
    text = "Please please give me the job.\nThanks"
    html = highlight.render(text, [F(0, 13)])
    p = parse(html)
    assert "".join(p.text) == text
    assert len(p.marks) == 1
    m = p.marks[0]
    assert m["text"] == "Please please"
    assert m["attrs"]["tabindex"] == "0"
    assert "hl-c-desperation" in m["attrs"]["class"].split()
    tip = p.tips[m["attrs"]["aria-describedby"]]
    assert "msg" in tip and "Suggestion: sugg" in tip


def test_overlaps_are_split_at_boundaries():
    text = "0123456789"
    fs = [
        F(2, 6, rule="politeness.x", severity="suggestion", message="A"),
        F(4, 8, rule="desperation.y", severity="error", message="B"),
    ]
    segs = highlight.segments(text, fs)
    assert [(s.start, s.end, s.findings) for s in segs] == [
        (2, 4, (0,)),
        (4, 6, (0, 1)),
        (6, 8, (1,)),
    ]
    p = parse(highlight.render(text, fs))
    assert [m["text"] for m in p.marks] == ["23", "45", "67"]
    assert "".join(p.text) == text
    middle = p.marks[1]["attrs"]
    # the most severe finding gives the colour; both are described
    assert "hl-c-desperation" in middle["class"] and "hl-s-error" in middle["class"]
    assert "hl-multi" in middle["class"]
    tip = p.tips[middle["aria-describedby"]]
    assert "A" in tip and "B" in tip
    assert middle["data-rules"].split() == ["desperation.y", "politeness.x"]


def test_nested_and_identical_spans():
    fs = [
        F(0, 10, message="outer"),
        F(3, 5, rule="hygiene.z", message="inner"),
        F(3, 5, message="dup"),
    ]
    p = parse(highlight.render("abcdefghijkl", fs))
    assert [m["text"] for m in p.marks] == ["abc", "de", "fghij"]
    tip = p.tips[p.marks[1]["attrs"]["aria-describedby"]]
    assert "outer" in tip and "inner" in tip and "dup" in tip


@pytest.mark.parametrize(
    "evil",
    [
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        "' onmouseover='alert(1)",
        "&lt;b&gt;",
    ],
)
def test_everything_is_escaped(evil):
    text = f"Hi {evil} there"
    fs = [
        F(
            3,
            3 + len(evil),
            rule=f'x.{evil}',
            category=evil,
            severity=evil,
            message=evil,
            suggestion=evil,
        )
    ]
    html = highlight.render(text, fs, id_prefix=evil)
    assert "<script" not in html and "<img" not in html
    p = parse(html)
    assert "".join(p.text) == text
    assert p.marks[0]["text"] == evil
    for key in ("id", "class", "aria-describedby"):
        assert re.fullmatch(r"[A-Za-z0-9_ -]+", p.marks[0]["attrs"][key])


def test_zero_width_and_out_of_range_spans():
    fs = [F(0, 0, rule="elements.thanks"), F(5, 99), F(-4, 2), F(7, 3)]
    text = "abcdefg"
    p = parse(highlight.render(text, fs))
    assert "".join(p.text) == text
    assert [m["text"] for m in p.marks] == ["ab", "fg"]
    assert [f["rule"] for f in highlight.unanchored(fs)] == [
        "elements.thanks",
        "desperation.begging",
    ]


def test_accepts_finding_objects_and_missing_fields():
    f = Finding("hygiene.placeholder", "hygiene", "error", "Placeholder left in", 3, 12, "Fill it")
    p = parse(highlight.render("Hi [Company] x", [f, {"start": 0, "end": 2}]))
    assert [m["text"] for m in p.marks] == ["Hi", "[Company]"]
    assert "hl-c-hygiene" in p.marks[1]["attrs"]["class"]
    assert "hl-c-other" in p.marks[0]["attrs"]["class"]


def test_ids_unique_with_prefix_and_block_wrapper():
    html = highlight.render_text_block("ab cd", [F(0, 2), F(3, 5)], id_prefix="draft7")
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 4
    assert all(i.startswith("draft7-") for i in ids)
    assert html.startswith('<div class="hl-text"')


def test_describe_and_stylesheet():
    assert (
        highlight.describe(F(0, 1, severity="error", message="M", suggestion="S"))
        == "error: Begging: M Suggestion: S (desperation.begging)"
    )
    css = highlight.STYLESHEET
    for cat in highlight.CATEGORY_COLOURS:
        assert f".{highlight.css_class(cat)}" in css
    assert "mark.hl:focus + .hl-tip" in css


def test_real_report_round_trip():
    import checker

    text = "Dear Ms Lee,\n\nThank you for meeting me. I enjoyed it.\n\nBest,\nSam"
    d = checker.check(text).to_dict()
    p = parse(highlight.render(text, d["findings"]))
    assert "".join(p.text) == text


def test_first_marks_point_at_rendered_ids():
    fs = [F(4, 8), F(0, 0), F(2, 6), F(9, 10)]
    html = highlight.render("0123456789x", fs, id_prefix="p")
    ids = highlight.first_marks("0123456789x", fs, id_prefix="p")
    assert ids == ["p-1", None, "p-0", "p-3"]
    for i in filter(None, ids):
        assert f'id="{i}"' in html


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:

    @settings(max_examples=200, deadline=None)
    @given(
        text=st.text(max_size=80),
        spans=st.lists(
            st.tuples(
                st.integers(-5, 90),
                st.integers(-5, 90),
                st.sampled_from(["error", "warning", "suggestion", "<x>"]),
                st.text(max_size=10),
            ),
            max_size=6,
        ),
    )
    def test_property_text_survives_and_html_is_balanced(text, spans):
        fs = [F(a, b, severity=sev, message=msg, suggestion=msg) for a, b, sev, msg in spans]
        html = highlight.render(text, fs)
        p = parse(html)
        assert "".join(p.text) == text.replace("\r\n", "\n").replace("\r", "\n") or "".join(
            p.text
        ).replace("\r", "\n") == text.replace("\r", "\n")
        assert len(p.marks) == len(highlight.segments(text, fs))


def test_whole_body_measures_are_not_painted():
    """'Too short' spans the whole body; painting it would drown the real highlights."""
    text = "Thx for the chat."
    fs = [F(0, len(text), rule="length.too_short"), F(0, 3, rule="hygiene.text_speak")]
    assert not highlight.inline(fs[0]) and highlight.inline(fs[1])
    p = parse(highlight.render(text, fs))
    assert [m["text"] for m in p.marks] == ["Thx"]
    assert highlight.first_marks(text, fs) == [None, "hl-0"]


def test_layer_has_the_same_text_and_plain_marks():
    text = "Thx <b> u\n"
    layer = highlight.render_layer(
        text, [F(0, 3, rule="hygiene.text_speak"), F(8, 9, rule="hygiene.text_speak")]
    )
    p = parse(layer)
    # the text, plus one space so the layer is as tall as the textarea's last empty line
    assert "".join(p.text) == text + " "
    assert [m["text"] for m in p.marks] == ["Thx", "u"]
    assert all("id" not in m["attrs"] and "tabindex" not in m["attrs"] for m in p.marks)
    assert p.marks[1]["attrs"]["data-start"] == "8"

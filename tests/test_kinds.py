"""``checker.kinds``: the one list of message kinds, their labels, and ``parse_kind``, which
the CLI (``--kind``), the web forms and API, and the batch inputs all call."""

from __future__ import annotations

import pytest

from checker.errors import InputError
from checker.kinds import AUTO, KINDS, NOUN, TITLE, KindError, parse_kind


def test_every_kind_has_its_labels():
    assert set(NOUN) == set(TITLE) == set(KINDS)
    assert NOUN["thank_you"] == "thank-you note" and TITLE["follow_up"] == "Follow-up"


@pytest.mark.parametrize("value", [None, "", AUTO])
@pytest.mark.parametrize("lenient", [False, True])
def test_work_it_out_from_the_text(value, lenient):
    assert parse_kind(value, lenient=lenient) is None


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_reads_as_itself(kind):
    assert parse_kind(kind) == kind == parse_kind(kind, lenient=True)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("Thank-you", "thank_you"),
        ("thank you", "thank_you"),
        ("Thank-you note", "thank_you"),
        ("THANKS", "thank_you"),
        ("thankyou", "thank_you"),
        (" thank_you_email ", "thank_you"),
        ("Follow-up", "follow_up"),
        ("follow up", "follow_up"),
        ("followup", "follow_up"),
        ("Follow-up email", "follow_up"),
        ("  Auto ", None),
        ("   ", None),
    ],
)
def test_lenient_reads_spreadsheet_spellings(value, expected):
    assert parse_kind(value, lenient=True) == expected


@pytest.mark.parametrize("value", ["Thank-you", "follow up", "THANK_YOU", "Auto"])
def test_strict_takes_only_the_exact_names(value):
    with pytest.raises(KindError):
        parse_kind(value)


@pytest.mark.parametrize("lenient", [False, True])
def test_unknown_kind_is_a_one_line_input_error(lenient):
    with pytest.raises(KindError) as info:
        parse_kind("letter", lenient=lenient)
    err = info.value
    assert isinstance(err, InputError) and isinstance(err, ValueError)
    assert (
        str(err)
        == err.message
        == ("unknown kind 'letter'; use thank_you, follow_up, rejection_reply or auto")
    )
    assert (err.code, err.status) == ("input.kind", 400)


def test_long_values_are_cut_in_the_message():
    with pytest.raises(KindError) as info:
        parse_kind("x" * 500, lenient=True)
    assert "x" * 41 not in str(info.value) and "x" * 40 in str(info.value)
    assert len(str(info.value)) < 120 and "\n" not in str(info.value)


@pytest.mark.parametrize("value", [5, ["thank_you"], {"kind": "thank_you"}, True])
def test_non_strings_are_refused(value):
    with pytest.raises(KindError, match="kind must be a string"):
        parse_kind(value, lenient=True)

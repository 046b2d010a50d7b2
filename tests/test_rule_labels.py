"""Every rule has a plain-language label, so no page or report shows a bare rule id."""

from checker.rules import catalogue, label_for


def test_every_rule_has_a_label():
    missing = [rule_id for rule_id, meta in catalogue().items() if not meta.label.strip()]
    assert missing == []
    labels = [meta.label for meta in catalogue().values()]
    assert all(
        label[0].isupper() and "_" not in label and "." not in label.rstrip(".") for label in labels
    )


def test_label_for_known_and_unknown_rules():
    assert label_for("elements.call_heads_up") == "Heads-up about your call"
    assert label_for("hostility.sarcasm") == "Sarcasm"
    # a rule a stored report names but this version does not know still reads as words
    assert label_for("elements.some_new_rule") == "Some new rule"

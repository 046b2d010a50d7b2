"""The learned politeness model: train -> save -> load round trip, the eval command on a
300-row sample, corpus and weights errors, sanity pairs, and the check's section."""

from __future__ import annotations

import csv
import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

import checker
from checker.checks.politeness import model as pmodel
from checker.cli import main
from checker.models.politeness import corpus as pcorpus
from checker.nlp import get_nlp

FILES = pcorpus.FILES


def _sample_dir(src: Path, dst: Path, rows: int) -> Path:
    """A small corpus folder: the first ``rows`` requests of each file."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in FILES.values():
        with open(src / name, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            head = next(reader)
            body = [r for _, r in zip(range(rows), reader)]
        with open(dst / name, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(head)
            w.writerows(body)
    return dst


def _run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def small(politeness_corpus_dir, tmp_path_factory):
    return _sample_dir(politeness_corpus_dir, tmp_path_factory.mktemp("corpus"), 150)


@pytest.fixture(scope="module")
def trained(small, tmp_path_factory):
    from checker.models.politeness import recipe

    out = tmp_path_factory.mktemp("model")
    res = recipe.build(corpus_dir=small, out_dir=out, use_cache=False, say=lambda m: None)
    return res, out


SENTENCES = [
    "Could you please take a look?",
    "Take a look now.",
    "Thanks so much, I really appreciate your help!",
    "Why did you delete my edit?",
]


def test_round_trip_identical_scores(trained):
    res, out = trained
    loaded = pmodel.load_path(out / "weights.json")
    nlp = get_nlp()
    for text in SENTENCES:
        sents = list(nlp(text).sents)
        a = res["model"].score_sents(sents).probability
        b = loaded.score_sents(sents).probability
        assert a == b, text
    card = json.loads((out / "card.json").read_text())
    assert card["corpus"]["wiki"]["sha256"] and card["versions"]["scikit-learn"]
    assert card["weights_sha256"]


def test_python_scorer_matches_matrix_path(small):
    """The pure-Python dot product gives the training pipeline's scores."""
    from checker.models.politeness import train as ptrain

    corpora = pcorpus.load(small)
    for c in corpora.values():
        pcorpus.parse(c, use_cache=False)
    counts = {n: ptrain.doc_counts(c.docs) for n, c in corpora.items()}
    allc = counts["wiki"] + counts["se"]
    cm = ptrain.CountMatrix.build(allc)
    idx = np.arange(len(allc))
    fz = ptrain.Featurizer(ptrain.RECIPE["blocks"], ptrain.RECIPE["min_df"]).fit(cm, idx)
    X = fz.transform(cm, idx)
    y = np.array(corpora["wiki"].scores + corpora["se"].scores)
    coef, b0 = ptrain.fit_linear(X, y, [None] * len(y))
    vec, weights = fz.vectorizer(coef)
    m = pmodel.PolitenessModel(ptrain.RECIPE["config"], vec, weights, b0, (1.0, 0.0), {})
    matrix = X @ coef + b0
    for i in range(0, len(allc), 17):
        assert math.isclose(m.raw_from_values(vec.transform(allc[i])), matrix[i], abs_tol=1e-9)


def test_eval_command_on_300_row_sample(small):
    code, out, err = _run(["eval", "politeness", "--corpus", str(small), "--json"])
    assert code == 0, err
    res = json.loads(out)
    assert list(res) == [
        "wiki_in",
        "se_in",
        "wiki_to_se",
        "se_to_wiki",
        "bow_wiki_in",
        "bow_se_in",
        "bow_wiki_to_se",
        "bow_se_to_wiki",
    ]
    assert all(0.0 <= v <= 1.0 for v in res.values())
    assert res["wiki_in"] > 0.5  # far above chance even on 150 requests


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: None, "no such file"),
        (lambda d: (d / FILES["wiki"]).write_text("a,b\n1,2\n"), "missing column"),
        (lambda d: (d / FILES["wiki"]).write_text("Request,Normalized Score\n"), "empty"),
        (
            lambda d: (d / FILES["wiki"]).write_text("Request,Normalized Score\nhi,abc\n"),
            "not a number",
        ),
    ],
)
def test_bad_corpus_is_one_line_exit_2(tmp_path, make, problem):
    make(tmp_path)
    code, out, err = _run(["eval", "politeness", "--corpus", str(tmp_path), "--json"])
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert problem in err and str(tmp_path) in err


def test_missing_corpus_folder(tmp_path):
    code, _, err = _run(
        ["train", "politeness", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path)]
    )
    assert code == 2 and "no such folder" in err and "nope" in err


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "missing"),
        ("{not json", "corrupt"),
        ('{"format": "other"}', "not a politeness model"),
    ],
)
def test_bad_weights_say_how_to_rebuild(tmp_path, content, problem):
    path = tmp_path / "weights.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(pmodel.ModelError) as exc:
        pmodel.load_path(path)
    assert problem in str(exc.value)
    assert "followup train politeness" in str(exc.value)


def test_check_fails_loudly_without_weights(monkeypatch, tmp_path):
    monkeypatch.setattr(pmodel, "weights_path", lambda: tmp_path / "weights.json")
    pmodel.load.cache_clear()
    try:
        with pytest.raises(pmodel.ModelError, match="followup train politeness"):
            checker.check("Dear Ms. Lee,\n\nThank you for your time.\n\nBest,\nAl")
    finally:
        pmodel.load.cache_clear()


# --- the shipped model -------------------------------------------------------------------


def _score(body: str) -> float:
    return checker.check(f"Hi Ms. Lee,\n\n{body}\n\nBest regards,\nKim").to_dict()["politeness"][
        "score"
    ]


@pytest.mark.parametrize(
    "polite, rude",
    [
        ("Could you please take a look?", "Take a look now."),
        ("Would you mind sending the schedule when you have a moment?", "Send the schedule."),
        ("Thank you so much for your help!", "Why didn't you help?"),
        ("I would appreciate an update when you have a chance.", "I need an update now."),
        ("Sorry to bother you, but could you check my application?", "Check my application."),
    ],
)
def test_sanity_pairs(polite, rude):
    assert _score(polite) > _score(rude)


def test_greeting_and_signoff_do_not_move_the_score():
    body = "Could you send me the schedule for next week?"
    plain = checker.check(body).to_dict()["politeness"]["score"]
    wrapped = _score(body)
    other = checker.check(f"To whom it may concern,\n\n{body}\n\nThanks so much,\nKim").to_dict()[
        "politeness"
    ]["score"]
    assert plain == wrapped == other


def test_section_shape_and_spans():
    text = (
        "Hi Mark, just following up.\n\nCould you please let me know? Why the delay?\n\nBest,\nAl"
    )
    d = checker.check(text).to_dict()["politeness"]
    assert 0.0 <= d["score"] <= 1.0 and d["label"] in ("polite", "neutral", "impolite")
    for s in d["strategies"]:
        assert text[s["start"] : s["end"]] == s["text"]
    assert d["top_features"]
    for f in d["top_features"]:
        assert text[f["start"] : f["end"]] == f["text"]
        assert f["direction"] in ("more_polite", "less_polite")
        assert (f["weight"] > 0) == (f["direction"] == "more_polite")
    # The inline greeting "Hi Mark," is not scored.
    assert all(not s["text"].startswith("Hi") for s in d["strategies"])


def test_no_sklearn_on_check_path():
    import subprocess
    import sys

    code = (
        "import sys, checker; checker.check('Dear Al,\\n\\nCould you call me?\\n\\nBest,\\nKim');"
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_spans_index_the_exact_input_with_curly_quotes():
    text = "Hi Ms. Lee,\n\nI\u2019m sorry, but why haven\u2019t you called? Call me.\n\nBest,\nKim"
    d = checker.check(text).to_dict()
    for item in d["politeness"]["strategies"] + d["politeness"]["top_features"] + d["findings"]:
        assert text[item["start"] : item["end"]] == item["text"]


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.text(
            alphabet=st.sampled_from(list("ab ,.?!\n'\u2019\U0001f600\u00c4\u202e\t-PLEASE")),
            min_size=1,
            max_size=120,
        )
    )
    def test_politeness_section_never_breaks(text):
        d = checker.check(text).to_dict()
        p = d.get("politeness")
        if p:
            assert 0.0 <= p["score"] <= 1.0
            for item in p["strategies"] + p["top_features"]:
                assert text[item["start"] : item["end"]] == item["text"]

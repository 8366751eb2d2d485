"""The quiz engine alone: no Django, no database."""

from __future__ import annotations

import itertools
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engines.quiz_strategies import definitions, texts
from trunkshow.engines.quiz import (
    AnswerError,
    Candidate,
    CatalogIndex,
    DefinitionError,
    parse_definition,
    rank,
    score,
)
from trunkshow.engines.quiz.lint import lint, profile_distribution
from trunkshow.engines.text import clean_display_name

DEMO = Path(__file__).resolve().parents[2] / "trunkshow/demo/quizzes/ask-the-designer.yaml"


def demo_data():
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def all_answer_sets(definition):
    keys = [q.key for q in definition.questions]
    for combo in itertools.product(*[[a.key for a in q.answers] for q in definition.questions]):
        yield dict(zip(keys, combo, strict=True))


# --- schema -------------------------------------------------------------


def test_the_demo_quiz_is_eight_either_or_questions_with_the_seed_questions():
    definition = parse_definition(demo_data())
    assert len(definition.questions) == 8
    assert all(q.is_either_or for q in definition.questions)
    texts_en = [q.text["en"] for q in definition.questions]
    assert "Sneakers or stilettos?" in texts_en
    assert "Yoga or running?" in texts_en
    assert len(definition.profiles) >= 4


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.pop("slug"), "slug"),
        (lambda d: d.update(slug="Not A Key"), "slug"),
        (lambda d: d["questions"][1]["answers"][0]["weights"].update(astrology=2), "questions[1].answers[0].weights.astrology"),
        (lambda d: d["questions"][0]["answers"][1].update(key="sneakers"), "questions[0].answers[1].key"),
        (lambda d: d["questions"][2].update(text="plain text"), "questions[2].text"),
        (lambda d: d["questions"][0]["answers"][0]["weights"].update(city="lots"), "questions[0].answers[0].weights.city"),
        (lambda d: d["questions"][0].update(answers=[]), "questions[0].answers"),
        (lambda d: d["profiles"][0].update(traits={}), "profiles[0].traits"),
        (lambda d: d.update(questions=d["questions"] * 3), "questions"),
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d["profiles"][1]["title"].update(en=""), "profiles[1].title.en"),
    ],
)  # fmt: skip
def test_schema_errors_name_the_field(mutate, path):
    data = demo_data()
    mutate(data)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    assert path in [issue.path for issue in caught.value.issues]


def test_all_schema_errors_are_reported_at_once():
    data = demo_data()
    data.pop("slug")
    data["questions"][0]["answers"][0]["weights"]["nope"] = 1
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    assert {"slug", "questions[0].answers[0].weights.nope"} <= {i.path for i in caught.value.issues}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values)
def test_any_data_parses_or_raises_a_definition_error(data):
    try:
        parse_definition(data)
    except DefinitionError as exc:
        assert exc.issues


# --- scoring ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(definitions(), st.data())
def test_every_answer_combination_gives_one_of_the_profiles(raw, data):
    definition = parse_definition(raw)
    answers = {
        q.key: data.draw(st.sampled_from([a.key for a in q.answers])) for q in definition.questions
    }
    result = score(definition, answers)
    assert result.profile in {p.key for p in definition.profiles}
    # Deterministic: the same answers, the same profile.
    assert score(definition, dict(reversed(answers.items()))).profile == result.profile


def test_every_demo_combination_gives_a_profile_and_every_profile_is_reached():
    definition = parse_definition(demo_data())
    reached = Counter(score(definition, answers).profile for answers in all_answer_sets(definition))
    assert sum(reached.values()) == 2**8
    assert set(reached) == {p.key for p in definition.profiles}


def test_ties_go_to_the_profile_listed_first():
    raw = {
        "slug": "tie",
        "title": texts("Tie"),
        "traits": {"a": texts("A"), "b": texts("B")},
        "questions": [{"key": "q", "text": texts("Q?"), "answers": [
            {"key": "both", "text": texts("Both"), "weights": {"a": 1, "b": 1}},
            {"key": "none", "text": texts("None"), "weights": {}},
        ]}],
        "profiles": [
            {"key": "first", "title": texts("F"), "description": texts("F"), "traits": {"a": 1}},
            {"key": "second", "title": texts("S"), "description": texts("S"), "traits": {"b": 1}},
        ],
    }  # fmt: skip
    definition = parse_definition(raw)
    assert score(definition, {"q": "both"}).profile == "first"
    raw["profiles"].reverse()
    assert score(parse_definition(raw), {"q": "both"}).profile == "second"


def test_a_profile_with_requirements_needs_them_met():
    raw = demo_data()
    raw["profiles"][0]["requires"] = [{"trait": "work", "min": 100}]
    definition = parse_definition(raw)
    results = {score(definition, a).profile for a in all_answer_sets(definition)}
    assert raw["profiles"][0]["key"] not in results


def test_the_result_says_which_traits_decided_it():
    definition = parse_definition(demo_data())
    answers = {"shoes": "sneakers", "workout": "running", "morning": "coffee", "getaway": "beach",
               "night-out": "gallery", "packing": "carry-on", "saturday": "market", "style": "classic"}  # fmt: skip
    result = score(definition, answers)
    assert result.deciding_traits
    vector = definition.profile(result.profile).vector
    assert all(vector[t] > 0 and result.totals[t] > 0 for t in result.deciding_traits)


def test_bad_answers_name_each_question():
    definition = parse_definition(demo_data())
    with pytest.raises(AnswerError) as caught:
        score(definition, {"shoes": "boots", "colour": "red"})
    named = dict(caught.value.issues)
    assert "boots" in named["shoes"]
    assert named["workout"] == "is not answered"
    assert named["colour"] == "is not a question of this quiz"


def test_a_body_stuffed_with_keys_does_not_echo_them_all():
    definition = parse_definition(demo_data())
    with pytest.raises(AnswerError) as caught:
        score(definition, {f"k{i}": "x" for i in range(10_000)})
    assert len(caught.value.issues) < 20


# --- lint ------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(definitions(max_questions=5, max_answers=3))
def test_exact_reachability_matches_brute_force(raw):
    definition = parse_definition(raw)
    counted, combinations, _distinct = profile_distribution(definition)
    brute = Counter(score(definition, a).profile for a in all_answer_sets(definition))
    assert combinations == sum(brute.values())
    assert +counted == +brute


def test_lint_finds_an_unreachable_profile():
    raw = demo_data()
    raw["profiles"].append({"key": "ghost", "title": texts("Ghost"), "description": texts("Never"),
                            "traits": {"city": 1}, "requires": [{"trait": "city", "min": 99}]})  # fmt: skip
    report = lint(parse_definition(raw), locales=["zh-Hans", "en"])
    assert "profile ghost: no combination of answers reaches it" in report.errors
    assert report.shares["ghost"] == 0


def test_lint_shares_add_up_to_one_and_demo_is_clean():
    report = lint(parse_definition(demo_data()), locales=["zh-Hans", "en"])
    assert report.errors == []
    assert sum(report.shares.values()) == Fraction(1)


def test_lint_reports_missing_translations_by_path():
    raw = demo_data()
    del raw["questions"][3]["answers"][1]["text"]["zh-Hans"]
    report = lint(parse_definition(raw), locales=["zh-Hans", "en"])
    assert "questions[3].answers[1].text: missing translation for zh-Hans" in report.errors


def test_lint_reports_profiles_with_nothing_to_sell_in_a_market():
    definition = parse_definition(demo_data())
    report = lint(definition, locales=["en"], sellable_tags={"CN": {"travel"}, "US": set()})
    assert any("no sellable product in market US" in e for e in report.errors)
    assert any(
        "profile city-explorer: no sellable product in market CN" in e for e in report.errors
    )
    assert not any("jet-setter: no sellable product in market CN" in e for e in report.errors)


def test_lint_checks_sixteen_questions_exactly():
    raw = demo_data()
    raw["questions"] = raw["questions"] + [dict(q, key=q["key"] + "-2") for q in raw["questions"]]
    report = lint(parse_definition(raw), locales=["zh-Hans", "en"])
    assert report.combinations == 2**16
    assert sum(report.shares.values()) == 1


# --- ranking ----------------------------------------------------------------------


candidates_strategy = st.lists(
    st.builds(
        Candidate,
        sku=st.text("ABCDEFGH", min_size=1, max_size=6),
        group=st.sampled_from(["g1", "g2", "g3", "g4", "g5", "g6"]),
        tags=st.lists(st.sampled_from(["city", "travel", "art", "active"]), max_size=3).map(tuple),
        boost=st.floats(0, 3),
        position=st.integers(0, 50),
    ),
    max_size=40,
    unique_by=lambda c: c.sku,
)
affinities = st.none() | st.dictionaries(
    st.sampled_from(["city", "travel", "art", "active", "x"]), st.floats(-2, 3)
)


@settings(max_examples=150, deadline=None)
@given(
    candidates_strategy,
    affinities,
    st.sets(st.text("ABCDEFGH", min_size=1, max_size=6)),
    st.integers(1, 8),
)
def test_ranking_only_returns_in_stock_candidates_one_per_product(
    candidates, affinity, stocked, limit
):
    index = CatalogIndex(candidates)
    picks = rank(
        index, affinity, in_stock=lambda skus: {s for s in skus if s in stocked}, limit=limit
    )
    skus = [p.candidate.sku for p in picks]
    assert all(sku in stocked for sku in skus)
    assert len({p.candidate.group for p in picks}) == len(picks) <= limit
    assert [p.score for p in picks] == sorted((p.score for p in picks), reverse=True)
    in_stock_groups = {c.group for c in candidates if c.sku in stocked}
    # With stock present there is always a recommendation, and as many as can be.
    assert len(picks) == min(limit, len(in_stock_groups))


def test_ranking_prefers_matching_tags_times_boost_and_falls_back_to_brand_order():
    index = CatalogIndex([
        Candidate("A", "a", ("city",), 1.0, 0),
        Candidate("B", "b", ("travel",), 1.0, 1),
        Candidate("C", "c", ("travel",), 2.0, 2),
        Candidate("D", "d", (), 1.0, 3),
    ])  # fmt: skip
    everything = lambda skus: set(skus)  # noqa: E731
    picks = rank(index, {"travel": 1.0}, in_stock=everything, limit=4)
    assert [p.candidate.sku for p in picks] == ["C", "B", "A", "D"]
    assert picks[0].matched_tags == ("travel",)
    assert picks[2].matched_tags == ()
    # Personalisation off: the brand's own order.
    assert [p.candidate.sku for p in rank(index, None, in_stock=everything, limit=4)] == [
        "A",
        "B",
        "C",
        "D",
    ]
    # The favourite sold out: the next best takes its place.
    picks = rank(index, {"travel": 1.0}, in_stock=lambda skus: set(skus) - {"C"}, limit=2)
    assert [p.candidate.sku for p in picks] == ["B", "A"]


def test_two_colours_of_one_bag_never_both_make_the_list():
    index = CatalogIndex([Candidate("A-RED", "a", ("city",), 1, 0), Candidate("A-BLU", "a", ("city",), 1, 1),
                          Candidate("B", "b", (), 1, 2)])  # fmt: skip
    picks = rank(index, {"city": 1}, in_stock=lambda skus: set(skus), limit=3)
    assert [p.candidate.sku for p in picks] == ["A-RED", "B"]


# --- names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_name", "shown"),
    [
        ("Lin", "Lin"),
        ("  林\n小姐\t ", "林 小姐"),
        ("\u202eniL", "niL"),
        ("%{localtime}", "%{localtime}"),
        ("<b>'\"", "<b>'\""),
        ("👩\u200d🎨 Mei", "👩\u200d🎨 Mei"),
        ("x" * 10_000, "x" * 40),
        ("", ""),
        (None, ""),
        ("a\x00b", "ab"),
    ],
)
def test_names_are_cleaned_and_capped_but_never_interpreted(given_name, shown):
    assert clean_display_name(given_name) == shown


@given(st.text())
def test_clean_names_are_short_single_line_and_free_of_control_characters(text):
    name = clean_display_name(text)
    assert len(name) <= 40
    assert "\n" not in name and "\u202e" not in name and "\x00" not in name


FAMILY = "👩\u200d👩\u200d👧\u200d👦"  # seven code points, one emoji


@pytest.mark.parametrize(
    ("given_name", "shown"),
    [
        ("x" * 36 + FAMILY, "x" * 36),  # the family would not fit whole: left out
        ("x" * 33 + FAMILY, "x" * 33 + FAMILY),
        ("x" * 39 + "🇨🇳", "x" * 39),  # half a flag is another letter
        ("x" * 39 + "e\u0301", "x" * 39),  # é as e + accent
    ],
)
def test_a_capped_name_never_ends_in_part_of_a_character(given_name, shown):
    assert clean_display_name(given_name) == shown


@given(
    st.lists(st.sampled_from(["a", "林", FAMILY, "🇨🇳", "e\u0301", " ", "👍🏽"]), max_size=60).map(
        "".join
    )
)
def test_a_capped_name_is_as_many_whole_characters_as_fit(text):
    name = clean_display_name(text)
    characters = regex.findall(r"\X", " ".join(text.split()))
    kept = regex.findall(r"\X", name)
    assert len(name) <= 40
    assert kept == characters[: len(kept)]
    if len(kept) < len(characters):
        following = characters[len(kept)]
        # The next character did not fit (or was a space the end trims).
        assert following == " " or len(name) + len(following) > 40

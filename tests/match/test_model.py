"""The Fellegi–Sunter model: EM recovers known m/u/prior; patterns; JSON round trip; TF."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dq.errors import ConfigError
from dq.match.columns import ColumnCache
from dq.match.comparisons import ComparisonVectors, load_comparisons, parse_comparisons
from dq.match.model import (
    PAIR_CLASSES,
    FSModel,
    estimate_u,
    level_patterns,
    pair_classes,
    train_model,
)
from dq.match.settings import MatchSettings

COMPS = parse_comparisons(
    {"comparisons": [{"name": n, "thresholds": [0.9]} for n in ("a", "b", "c")]}
)
TRUE_M = {"a": [0, 0.85, 0.10, 0.05], "b": [0, 0.70, 0.20, 0.10], "c": [0, 0.90, 0.05, 0.05]}
TRUE_U = {"a": [0, 0.05, 0.15, 0.80], "b": [0, 0.10, 0.20, 0.70], "c": [0, 0.02, 0.08, 0.90]}
PRIOR = 0.2


def _synthetic(
    n: int = 200_000,
    seed: int = 1,
    *,
    prior: float = PRIOR,
    true_u: dict[str, list[float]] = TRUE_U,
) -> ComparisonVectors:
    rng = np.random.default_rng(seed)
    is_match = rng.random(n) < prior
    levels = {}
    for comp in COMPS:
        m = np.asarray(TRUE_M[comp.name])
        u = np.asarray(true_u[comp.name])
        drawn_m = rng.choice(4, size=n, p=m)
        drawn_u = rng.choice(4, size=n, p=u)
        level = np.where(is_match, drawn_m, drawn_u).astype(np.int8)
        level[rng.random(n) < 0.05] = 0  # some missing values
        levels[comp.name] = level
    return ComparisonVectors(comparisons=COMPS, levels=levels)


@pytest.mark.parametrize("estimate_u", [True, False])
def test_em_recovers_known_m_u_and_prior(estimate_u: bool) -> None:
    vectors = _synthetic()
    start_u = TRUE_U if not estimate_u else {k: [0, 0.2, 0.3, 0.5] for k in TRUE_U}
    settings = MatchSettings(em_estimate_u=estimate_u, em_iterations=200)
    model = train_model(vectors, start_u, settings=settings)
    assert model.converged
    assert model.prior == pytest.approx(PRIOR, abs=0.01)
    for comp in COMPS:
        assert model.m[comp.name][1:] == pytest.approx(TRUE_M[comp.name][1:], abs=0.02)
        assert model.u[comp.name][1:] == pytest.approx(TRUE_U[comp.name][1:], abs=0.02)


def test_patterns_group_identical_vectors() -> None:
    vectors = ComparisonVectors(
        comparisons=COMPS[:2],
        levels={"a": np.array([1, 1, 3, 1], np.int8), "b": np.array([2, 2, 3, 2], np.int8)},
    )
    patterns, counts, inverse = level_patterns(vectors)
    assert patterns.tolist() == [[1, 2], [3, 3]]
    assert counts.tolist() == [3, 1]
    assert inverse.tolist() == [0, 0, 1, 0]


def test_json_round_trip_keeps_everything() -> None:
    model = train_model(_synthetic(20_000), TRUE_U, settings=MatchSettings())
    again = FSModel.from_json(model.to_json())
    assert again.m == model.m and again.u == model.u and again.u_random == model.u_random
    assert again.prior == model.prior
    assert again.comparisons == model.comparisons
    for comp in COMPS:
        assert again.level_weights(comp.name).tolist() == model.level_weights(comp.name).tolist()


def test_from_json_rejects_foreign_files() -> None:
    with pytest.raises(ConfigError):
        FSModel.from_json('{"format": "something else"}')
    with pytest.raises(ConfigError):
        FSModel.from_json("not json")


def test_a_model_with_other_levels_is_refused_with_a_hint() -> None:
    model = train_model(_synthetic(5_000), TRUE_U, settings=MatchSettings())
    data = json.loads(model.to_json())
    for key in ("m", "u", "u_random"):
        data["comparisons"][0][key] = data["comparisons"][0][key][:-1]  # a level fewer
    with pytest.raises(ConfigError, match="run without --model to train a new one"):
        FSModel.from_json(json.dumps(data))


def test_missing_level_weighs_nothing_and_agreement_weighs_more() -> None:
    model = train_model(_synthetic(20_000), TRUE_U, settings=MatchSettings())
    weights = model.level_weights("a")
    assert weights[0] == 0.0
    assert weights[1] > 0 > weights[3]


def test_tf_adjustment_rewards_rare_values() -> None:
    model = train_model(_synthetic(20_000), TRUE_U, settings=MatchSettings())
    baseline = 0.01
    adj = model.tf_weights(np.array([baseline, baseline / 8, baseline * 4, np.nan]), baseline, 10.0)
    # a value as common as the average agreement adds 0; "Quirinius" adds, "Müller" subtracts
    assert adj.tolist() == pytest.approx([0.0, 3.0, -2.0, 0.0])
    assert model.tf_weights(np.array([1e-12]), baseline, 4.0)[0] == 4.0


def test_u_from_random_pairs_reflects_value_spread() -> None:
    frame = pd.DataFrame({"a": ["x"] * 50 + [f"v{i}" for i in range(50)]}, dtype="string")
    comps = parse_comparisons({"comparisons": [{"name": "a", "kind": "exact"}]})
    u = estimate_u(frame, comps, settings=MatchSettings(u_sample_pairs=20_000))
    # half the records share "x": about a quarter of random pairs agree
    assert u["a"][1] == pytest.approx(0.245, abs=0.02)


def test_m_bounds_hold_during_em() -> None:
    bounded = parse_comparisons(
        {
            "comparisons": [
                {"name": "a", "thresholds": [0.9], "max_m": {"far": 0.01}},
                {"name": "b", "thresholds": [0.9], "min_m": {"far": 0.3}},
                {"name": "c", "thresholds": [0.9]},
            ]
        }
    )
    vectors = _synthetic(50_000)
    vectors = ComparisonVectors(comparisons=bounded, levels=vectors.levels)
    model = train_model(vectors, TRUE_U, settings=MatchSettings())
    assert model.m["a"][3] == pytest.approx(0.01)
    assert model.m["b"][3] == pytest.approx(0.3)
    for name in ("a", "b", "c"):
        assert sum(model.m[name][1:]) == pytest.approx(1.0)
    assert FSModel.from_json(model.to_json()).comparisons == bounded


def test_random_u_keeps_the_random_pair_u_while_em_refines_the_rest() -> None:
    """A value that is a blocking key of its own (a date of birth) keeps u from random pairs:
    the candidates that key brings agree on it by construction, not by chance."""
    spec = parse_comparisons(
        {
            "comparisons": [
                {"name": "a", "thresholds": [0.9], "random_u": True},
                {"name": "b", "thresholds": [0.9]},
                {"name": "c", "thresholds": [0.9]},
            ]
        }
    )
    vectors = ComparisonVectors(comparisons=spec, levels=_synthetic(50_000).levels)
    start_u = {k: [0, 0.001, 0.009, 0.99] for k in TRUE_U}
    model = train_model(vectors, start_u, settings=MatchSettings(em_iterations=200))
    assert model.u["a"] == pytest.approx(start_u["a"])
    assert model.u["b"][1:] == pytest.approx(TRUE_U["b"][1:], abs=0.03)
    assert FSModel.from_json(model.to_json()).comparisons == spec


def test_where_nobody_moves_another_place_weighs_against_a_pair() -> None:
    """The shipped floor on address *far* (customers move) is low enough that data whose
    duplicates never moved can teach EM that another place is strong evidence of another
    customer (a branch or a namesake elsewhere), not -2.6 bits at most as before."""
    address = next(c for c in load_comparisons() if c.name == "address")
    comps = [*COMPS[:2], address]
    far = address.labels().index("far")
    n, rng = 100_000, np.random.default_rng(3)
    is_match = rng.random(n) < PRIOR
    levels = {}
    for comp in COMPS[:2]:
        drawn_m = rng.choice(4, size=n, p=TRUE_M[comp.name])
        drawn_u = rng.choice(4, size=n, p=TRUE_U[comp.name])
        levels[comp.name] = np.where(is_match, drawn_m, drawn_u).astype(np.int8)
    same_place = rng.choice([1, 2], size=n, p=[0.9, 0.1])  # exact or same street
    elsewhere = rng.choice([3, 5, far], size=n, p=[0.05, 0.05, 0.9])
    levels["address"] = np.where(is_match, same_place, elsewhere).astype(np.int8)
    vectors = ComparisonVectors(comparisons=comps, levels=levels)
    model = train_model(
        vectors, TRUE_U | {"address": [0.0] + [1 / 7] * 7}, settings=MatchSettings()
    )
    assert model.level_weights("address")[far] < -4.5  # -2.6 with the old floor (0.15)


def test_split_levels_are_distributions_per_group() -> None:
    """m and u of a split comparison sum to 1 within each group; JSON keeps the split."""
    comps = parse_comparisons(
        {
            "comparisons": [
                {"name": "name", "kind": "exact"},
                {"name": "mail", "kind": "exact"},
                {"name": "place", "kind": "exact"},
                {
                    "name": "tel",
                    "kind": "exact",
                    "split": {"by": "place", "groups": {"same_place": ["exact"]}},
                },
            ]
        }
    )
    rng = np.random.default_rng(3)
    n = 50_000
    is_match = rng.random(n) < 0.3
    place = np.where(rng.random(n) < np.where(is_match, 0.8, 0.1), 1, 2).astype(np.int8)
    # a phone differs for matches only after a move (other place); at the same place rarely
    differs = rng.random(n) < np.where(is_match, np.where(place == 1, 0.01, 0.6), 0.97)
    tel = np.where(differs, 2, 1).astype(np.int8)
    tel = np.where(place == 1, tel + 2, tel).astype(np.int8)  # the split group's levels
    name = np.where(rng.random(n) < np.where(is_match, 0.9, 0.2), 1, 2).astype(np.int8)
    mail = np.where(rng.random(n) < np.where(is_match, 0.7, 0.01), 1, 2).astype(np.int8)
    levels = {"name": name, "mail": mail, "place": place, "tel": tel}
    vectors = ComparisonVectors(comparisons=comps, levels=levels)
    u = {c.name: [0.0] + [0.5] * (len(c.labels()) - 1) for c in comps}
    model = train_model(vectors, u, settings=MatchSettings())
    groups = comps[3].level_groups()
    for g in (0, 1):
        assert sum(np.asarray(model.m["tel"])[groups == g]) == pytest.approx(1.0)
        assert sum(np.asarray(model.u["tel"])[groups == g]) == pytest.approx(1.0)
    weights = model.level_weights("tel")
    labels = comps[3].labels()
    # another phone at the same place speaks more strongly against a match than after a move
    assert weights[labels.index("different_same_place")] < weights[labels.index("different")] - 3
    again = FSModel.from_json(model.to_json())
    assert again.comparisons == model.comparisons


def test_em_reports_convergence_and_why_not() -> None:
    vectors = _synthetic(20_000)
    start_u = {k: [0, 0.2, 0.3, 0.5] for k in TRUE_U}
    done = train_model(vectors, start_u, settings=MatchSettings(em_iterations=200))
    assert done.meta["em"]["status"] == "converged"
    assert done.meta["em"]["iterations"] == done.iterations < 200
    short = train_model(vectors, start_u, settings=MatchSettings(em_iterations=2))
    assert (short.converged, short.meta["em"]["status"]) == (False, "not_converged")
    assert "did not converge in 2 iterations" in short.meta["em"]["message"]
    off = train_model(vectors, start_u, settings=MatchSettings(em_iterations=0))
    assert off.meta["em"]["status"] == "off"
    assert FSModel.from_json(short.to_json()).meta["em"]["status"] == "not_converged"


def test_em_that_runs_away_falls_back_to_the_starting_values() -> None:
    """Every candidate pair agrees exactly on everything: EM calls all of them matches."""
    n = 5_000
    levels = {c.name: np.ones(n, dtype=np.int8) for c in COMPS}
    vectors = ComparisonVectors(comparisons=COMPS, levels=levels)
    start_u = {k: [0, 0.05, 0.15, 0.80] for k in TRUE_U}
    model = train_model(vectors, start_u, settings=MatchSettings())
    assert model.meta["em"]["status"] == "fallback"
    assert "degenerated" in model.meta["em"]["message"]
    assert model.prior == pytest.approx(0.1)
    assert model.u["a"] == pytest.approx(start_u["a"])
    assert model.level_weights("a")[1] > 0  # exact agreement still counts for a match


def test_a_level_no_candidate_pair_shows_weighs_nothing() -> None:
    vectors = _synthetic(20_000)
    vectors.levels["a"][vectors.levels["a"] == 2] = 3  # level 2 of "a" never seen
    model = train_model(vectors, TRUE_U, settings=MatchSettings())
    assert model.level_weights("a")[2] == 0.0


# ---- pair classes: company and person pairs weigh evidence differently ------------------------

# Colleagues (person pairs of one company) agree on the company's fields: "a" and "b" say little
# among persons, while two companies rarely share them.
COLLEAGUE_U = {"a": [0, 0.45, 0.25, 0.30], "b": [0, 0.40, 0.30, 0.30], "c": TRUE_U["c"]}


def _two_classes(n_company: int, n_person: int) -> tuple[ComparisonVectors, np.ndarray]:
    companies = _synthetic(n_company, seed=2, prior=0.3)
    persons = _synthetic(n_person, seed=3, prior=0.1, true_u=COLLEAGUE_U)
    levels = {
        c.name: np.concatenate([companies.levels[c.name], persons.levels[c.name]]) for c in COMPS
    }
    classes = np.repeat(
        np.array([PAIR_CLASSES.index("company"), PAIR_CLASSES.index("person")], np.int8),
        [n_company, n_person],
    )
    return ComparisonVectors(comparisons=COMPS, levels=levels), classes


def test_em_per_class_recovers_each_classes_parameters() -> None:
    vectors, classes = _two_classes(60_000, 240_000)
    model = train_model(vectors, TRUE_U, settings=MatchSettings(em_iterations=300), classes=classes)
    company, person = model.classes["company"], model.classes["person"]
    assert (company.source, person.source, model.classes["mixed"].source) == (
        "own",
        "own",
        "pooled",
    )
    assert (company.pairs, person.pairs) == (60_000, 240_000)
    assert company.prior == pytest.approx(0.3, abs=0.02)
    assert person.prior == pytest.approx(0.1, abs=0.02)
    for comp in COMPS:
        assert company.u[comp.name][1:] == pytest.approx(TRUE_U[comp.name][1:], abs=0.03)
        assert person.u[comp.name][1:] == pytest.approx(COLLEAGUE_U[comp.name][1:], abs=0.03)
    # agreeing on "a" is strong evidence between companies, weak between colleagues
    assert model.level_weights("a", "company")[1] > model.level_weights("a", "person")[1] + 2
    table = model.class_weights("a")
    assert table.shape == (len(PAIR_CLASSES), 4)
    assert table[PAIR_CLASSES.index("mixed")].tolist() == model.level_weights("a").tolist()
    assert model.class_prior_weights()[0] == pytest.approx(
        np.log2(company.prior / (1 - company.prior))
    )


def test_a_class_with_few_pairs_uses_the_pooled_estimate() -> None:
    vectors, classes = _two_classes(500, 50_000)
    settings = MatchSettings(em_min_class_pairs=1000)
    model = train_model(vectors, TRUE_U, settings=settings, classes=classes)
    company = model.classes["company"]
    assert (company.source, company.pairs) == ("pooled", 500)
    assert "fewer than em_min_class_pairs" in company.em["message"]
    assert company.m == model.m and company.u == model.u and company.prior == model.prior
    assert model.classes["person"].source == "own"


def test_classes_off_or_absent_leave_one_pooled_model() -> None:
    vectors, classes = _two_classes(5_000, 20_000)
    off = train_model(
        vectors, TRUE_U, settings=MatchSettings(em_pair_classes=False), classes=classes
    )
    none = train_model(vectors, TRUE_U, settings=MatchSettings())
    for model in (off, none):
        assert model.classes == {}
        for name in PAIR_CLASSES:  # every class weighs with the pooled m/u and prior
            assert model.level_weights("a", name).tolist() == model.level_weights("a").tolist()
        assert set(model.class_prior_weights()) == {model.prior_weight}


def test_json_round_trip_keeps_the_classes() -> None:
    vectors, classes = _two_classes(5_000, 20_000)
    model = train_model(vectors, TRUE_U, settings=MatchSettings(), classes=classes)
    again = FSModel.from_json(model.to_json())
    assert again.classes == model.classes
    for name in PAIR_CLASSES:
        assert again.level_weights("b", name).tolist() == model.level_weights("b", name).tolist()


def test_a_model_file_without_classes_is_refused_with_the_retrain_hint() -> None:
    data = json.loads(train_model(_synthetic(5_000), TRUE_U, settings=MatchSettings()).to_json())
    data["format"] = "dq-fellegi-sunter/1"  # written before m/u per pair class
    del data["classes"]
    with pytest.raises(ConfigError, match="run without --model to train a new one"):
        FSModel.from_json(json.dumps(data))


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("company", "company", "company"),
        ("Person", "person", "person"),  # case does not matter
        ("person", "company", "mixed"),
        ("company", None, "mixed"),  # party type unknown on one side
        (None, None, "mixed"),
    ],
)
def test_pair_class_from_party_types(left: str | None, right: str | None, expected: str) -> None:
    frame = pd.DataFrame({"party_type": [left, right]}, dtype="string")
    codes = pair_classes(ColumnCache(frame), np.array([0]), np.array([1]))
    assert PAIR_CLASSES[int(codes[0])] == expected


def test_without_a_party_type_every_pair_is_mixed() -> None:
    frame = pd.DataFrame({"name": ["a", "b", "c"]}, dtype="string")
    codes = pair_classes(ColumnCache(frame), np.array([0, 1]), np.array([1, 2]))
    assert codes.tolist() == [PAIR_CLASSES.index("mixed")] * 2

"""Review queue and clerical decisions: validation, storage, overrides, explanations."""

from __future__ import annotations

import pandas as pd
import pytest

from dq.errors import InputError
from dq.match.comparisons import Comparison
from dq.match.review import (
    apply_decisions,
    import_decisions,
    load_decisions,
    parse_decisions,
    review_queue,
)
from dq.store import Store


def _file(decisions: list[str | None]) -> pd.DataFrame:
    n = len(decisions)
    return pd.DataFrame(
        {
            "left_id": [f"b:{i}" for i in range(n)],
            "right_id": [f"a:{i}" for i in range(n)],
            "decision": pd.Series(decisions, dtype="string"),
        }
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("match", "match"),
        (" Match ", "match"),
        ("yes", "match"),
        ("ja", "match"),
        ("no match", "no match"),
        ("No  Match", "no match"),
        ("no-match", "no match"),
        ("nein", "no match"),
        ("different", "no match"),
    ],
)
def test_decisions_accept_what_people_type(typed: str, stored: str) -> None:
    parsed = parse_decisions(_file([typed]))
    assert parsed["decision"].tolist() == [stored]
    # pairs are unordered: the smaller record_id goes left
    assert (parsed["left_id"][0], parsed["right_id"][0]) == ("a:0", "b:0")


def test_blank_decisions_are_skipped() -> None:
    assert len(parse_decisions(_file([None, "", "match"]))) == 1


def test_unknown_decisions_name_every_line_and_the_column() -> None:
    with pytest.raises(InputError) as err:
        parse_decisions(_file(["match", "maybe", None, "perhaps"]), path="review.csv")
    message = str(err.value)
    assert "review.csv, line 3, column 'decision'" in message
    assert "2 row(s)" in message and "lines 3, 5" in message


def test_missing_columns_and_ids_are_errors() -> None:
    with pytest.raises(InputError, match="missing column"):
        parse_decisions(pd.DataFrame({"left_id": ["a:1"], "decision": ["match"]}))
    frame = _file(["match"])
    frame.loc[0, "right_id"] = None
    with pytest.raises(InputError, match="column 'right_id'"):
        parse_decisions(frame)


def test_a_pair_decided_both_ways_is_an_error() -> None:
    frame = pd.concat([_file(["match"]), _file(["no match"])], ignore_index=True)
    with pytest.raises(InputError, match="decided both ways"):
        parse_decisions(frame)


def test_import_stores_and_later_imports_win() -> None:
    with Store(":memory:") as store:
        first = import_decisions(store, _file(["match", None, "no match"]))
        assert (first.stored, first.unchanged, first.blank) == (2, 0, 1)
        again = import_decisions(store, _file(["no match", "match", "no match"]))
        assert (again.stored, again.unchanged) == (2, 1)
        stored = load_decisions(store).sort_values("left_id")
        assert stored["decision"].tolist() == ["no match", "match", "no match"]


def _pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "left_id": ["a:1", "a:2", "a:3"],
            "right_id": ["b:1", "b:2", "b:3"],
            "band": ["review", "match", "review"],
            "probability": [0.7, 0.99, 0.6],
            "match_weight": [1.5, 8.0, 0.9],
            "name__level": [2, 1, 3],
            "name__weight": [3.0, 9.5, 1.4],
        }
    )


def test_decisions_override_bands_and_probabilities() -> None:
    decisions = pd.DataFrame(
        {
            "left_id": ["a:1", "a:2", "a:9"],
            "right_id": ["b:1", "b:2", "b:9"],
            "decision": ["match", "no match", "match"],
        }
    )
    pairs = _pairs()
    before = pairs.copy()
    out = apply_decisions(pairs, decisions)
    pd.testing.assert_frame_equal(pairs, before)  # the scored pairs are left as they were
    by_pair = out.set_index("left_id")
    assert by_pair.loc["a:1", "band"] == "match" and by_pair.loc["a:1", "probability"] == 1.0
    assert by_pair.loc["a:2", "band"] == "non-match" and by_pair.loc["a:2", "probability"] == 0.0
    assert by_pair.loc["a:3", "band"] == "review" and pd.isna(by_pair.loc["a:3", "decision"])
    assert by_pair.loc["a:9", "band"] == "match"  # decided pairs blocking never found join too


def test_review_queue_lists_undecided_review_pairs_side_by_side() -> None:
    records = pd.DataFrame(
        {
            "record_id": ["a:1", "b:1", "a:3", "b:3", "a:2", "b:2"],
            "name_core": ["mueller bau", "muller bau", "x", "y", "p", "q"],
        }
    )
    comp = Comparison(name="name", kind="string", columns=("name_core",), thresholds=(0.9,))
    decided = apply_decisions(
        _pairs(),
        pd.DataFrame({"left_id": ["a:3"], "right_id": ["b:3"], "decision": ["no match"]}),
    )
    queue = review_queue(decided, records, [comp], prior_weight=-1.5)
    assert queue["left_id"].tolist() == ["a:1"]
    row = queue.iloc[0]
    assert (row["left_name_core"], row["right_name_core"]) == ("mueller bau", "muller bau")
    assert row["name__level"] == comp.labels()[2]
    # the explanation adds up: prior + per-comparison weights = match weight
    assert row["prior_weight"] + row["name__weight"] == pytest.approx(row["match_weight"])
    assert pd.isna(row["decision"])

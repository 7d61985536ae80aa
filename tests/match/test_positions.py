"""Pair positions: carried positions where they still name the record, the ID elsewhere."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dq.match.positions import pair_positions, record_positions

IDS = pd.Series(["a", "b", "c", "d"], dtype="string")


def test_carried_positions_are_used_when_they_name_the_same_records() -> None:
    pairs = pd.DataFrame(
        {"left_id": ["a", "c"], "right_id": ["b", "d"], "left_pos": [0, 2], "right_pos": [1, 3]}
    )
    left, right = pair_positions(pairs, IDS)
    assert left.tolist() == [0, 2] and right.tolist() == [1, 3]


@pytest.mark.parametrize(
    ("left_pos", "why"),
    [
        ([3, 0], "positions of another frame (stale)"),
        ([np.nan, np.nan], "appended decisions have no position"),
        ([-1, 99], "out of range"),
    ],
)
def test_wrong_or_missing_positions_fall_back_to_the_ids(left_pos: list[float], why: str) -> None:
    pairs = pd.DataFrame(
        {"left_id": ["a", "c"], "right_id": ["b", "d"], "left_pos": left_pos, "right_pos": [1, 3]}
    )
    left, right = pair_positions(pairs, IDS)
    assert left.tolist() == [0, 2], why
    assert right.tolist() == [1, 3]


def test_without_position_columns_and_unknown_ids() -> None:
    pairs = pd.DataFrame({"left_id": ["d", "zz"], "right_id": ["a", pd.NA]})
    left, right = pair_positions(pairs, IDS)
    assert left.tolist() == [3, -1]
    assert right.tolist() == [0, -1]
    assert record_positions(IDS, pd.Series(["b", "x"])).tolist() == [1, -1]

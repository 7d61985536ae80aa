"""Once-per-distinct-value mapping and row chunks (``dq/standardize/_vector.py``)."""

from __future__ import annotations

import pandas as pd
import pytest

from dq.standardize import _vector
from dq.standardize._vector import distinct_codes, map_distinct, map_row_chunks


@pytest.mark.parametrize(
    "values",
    [
        ["a", "a\x00b"],  # pandas' object hash table stops at NUL: these were one value
        ["", "\x00{"],
        ["x\x00", "x", None, "x\x00"],
    ],
)
def test_values_with_nul_characters_stay_distinct(values: list[str | None]) -> None:
    mapped = map_distinct(pd.Series(values, dtype=object), lambda v: f"<{v}>")
    assert mapped.fillna("null").tolist() == ["null" if v is None else f"<{v}>" for v in values]


def test_distinct_codes_number_combinations_with_nulls() -> None:
    left = pd.Series(["a", "a", None, "b", None])
    right = pd.Series(["x", "y", "x", "x", "x"])
    codes, first = distinct_codes([left, right])
    assert len(set(codes.tolist())) == 4
    assert codes[2] == codes[4] and codes[0] != codes[1]
    assert sorted(first.tolist()) == [0, 1, 2, 3]


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_row_chunks_cover_every_row_once_in_order(
    monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    monkeypatch.setenv("DQ_WORKERS", workers)
    frame = pd.DataFrame({"n": range(10)}, index=[f"r{i}" for i in range(10)])
    parts = map_row_chunks(frame, lambda chunk: chunk.index.tolist(), min_rows=4)
    assert [row for part in parts for row in part] == frame.index.tolist()
    assert len(parts) == int(workers)


@pytest.mark.parametrize(("workers", "chunk"), [("2", 3), ("3", 2), ("2", 1000)])
def test_chunks_smaller_than_a_share_are_shared_out_in_order(
    monkeypatch: pytest.MonkeyPatch, workers: str, chunk: int
) -> None:
    """Chunks of at most CHUNK_ROWS rows: this process takes every n-th, workers the rest."""
    import os

    monkeypatch.setenv("DQ_WORKERS", workers)
    monkeypatch.setattr(_vector, "CHUNK_ROWS", chunk)
    frame = pd.DataFrame({"n": range(10)}, index=[f"r{i}" for i in range(10)])
    parts = map_row_chunks(frame, lambda c: (os.getpid(), c.index.tolist()), min_rows=4)
    assert [row for _, part in parts for row in part] == frame.index.tolist()
    step = min(-(-10 // int(workers)), chunk)
    assert [len(part) for _, part in parts][:-1] == [step] * (len(parts) - 1)
    here = [pid == os.getpid() for pid, _ in parts]
    assert here == [k % int(workers) == 0 for k in range(len(parts))]


def test_chunk_rows_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DQ_CHUNK_ROWS", "50_000")
    assert _vector.chunk_rows() == 50_000
    monkeypatch.setenv("DQ_CHUNK_ROWS", "lots")
    assert _vector.chunk_rows() == _vector.CHUNK_ROWS


def test_small_frames_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DQ_WORKERS", "2")
    frame = pd.DataFrame({"n": range(10)})
    assert len(map_row_chunks(frame, len)) == 1
    assert len(frame) < _vector.PARALLEL_MIN_ROWS

"""The suite's Febrl mapping and one small end-to-end run in child processes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.suite import run_suite
from benchmarks.suite.gen_b2b_valid import generate, write
from benchmarks.suite.metrics import true_pair_count
from dq.schema import RECORD_COLUMNS


@pytest.mark.parametrize(
    ("which", "records", "pairs"), [("febrl3", 5000, 6538), ("febrl4", 10000, 5000)]
)
def test_febrl_as_canonical_records(which: str, records: int, pairs: int) -> None:
    frame = run_suite.febrl(which)
    assert len(frame) == records
    assert frame["record_id"].is_unique
    assert true_pair_count(frame["entity_id"]) == pairs
    assert set(frame.columns) - set(RECORD_COLUMNS) == {"entity_id"}
    if which == "febrl4":
        assert set(frame["source"]) == {"febrl4a", "febrl4b"}


def test_defect_breakdown_by_hand() -> None:
    truth = np.array(["A", "A", "A", "B", "B", "C"])
    labels = np.array([1, 1, 2, 2, 3, 4])
    tags = pd.Series(["", "typo", "old_address;typo", None, "typo", ""])
    got = run_suite.by_defect(labels, truth, tags)
    assert set(got) == {"typo", "old_address"}
    assert got["old_address"]["true_pairs"] == 2 and got["old_address"]["recall"] == 0.0
    # typo touches 01 02 12 34 (4 true pairs), finds 01; predicted 01 23 -> precision 1/2
    assert got["typo"]["true_pairs"] == 4
    assert got["typo"]["recall"] == 0.25 and got["typo"]["precision"] == 0.5
    text = run_suite.defect_table({"dq": {"by_defect": got}})
    assert "| typo | 4 | 0.250 / 0.500 |" in text


@pytest.mark.slow
def test_suite_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "b2b.parquet"
    write(generate(400, seed=9), data)
    run_suite.main(
        ["--datasets", f"file:{data}", "--tools", "dq,recordlinkage", "--workdir", str(tmp_path)]
    )
    printed = capsys.readouterr().out
    assert "| dq |" in printed and "| recordlinkage |" in printed
    results = json.loads(next(tmp_path.glob("results_*.json")).read_text())
    rows = results[f"file:{data}"]["tools"]
    for row in rows.values():
        assert 0.0 <= row["pairwise_f1"] <= 1.0
        assert row["peak_rss_mb"] > 10
        assert row["wall_s"] > 0
    assert rows["recordlinkage"]["blocking_recall"] > 0.5

"""Every command that reads dq's tables takes them as CSV as well as Parquet, with equal results.

Regression for issue 17: ``dq standardize IN -o OUT --format csv`` then ``dq match
OUT/records.csv`` ended in "internal error: TypeError" (flag columns came back as text).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dq.cli.app import app
from dq.tables import read_table, write_table

DATA = Path(__file__).resolve().parents[1] / "data"
HOSTILE = DATA / "csv_injection"
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def standardized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile workspace ingested and standardised, once as Parquet and once as CSV."""
    root = tmp_path_factory.mktemp("rt")
    shutil.copytree(HOSTILE, root / "ws")
    paths = {}
    for fmt in ("parquet", "csv"):
        _ok("ingest", str(root / "ws"), "-o", str(root / f"ing-{fmt}"), "--format", fmt, "-q")
        records = root / f"ing-{fmt}" / f"records.{fmt}"
        _ok("standardize", str(records), "-o", str(root / f"std-{fmt}"), "--format", fmt, "-q")
        paths[fmt] = root / f"std-{fmt}" / f"records.{fmt}"
    paths["root"] = root
    return paths


def test_ingested_csv_standardises_like_parquet(standardized: dict[str, Path]) -> None:
    csv_side = read_table(standardized["csv"])
    parquet_side = pd.read_parquet(standardized["parquet"])
    pd.testing.assert_frame_equal(csv_side, parquet_side)


def test_standardize_takes_its_own_csv_output(standardized: dict[str, Path]) -> None:
    out = standardized["root"] / "again"
    _ok("standardize", str(standardized["csv"]), "-o", str(out), "--format", "csv", "-q")
    again = read_table(out / "records.csv")
    first = read_table(standardized["csv"])
    assert again["company_name"].tolist() == first["company_name"].tolist()
    assert again["phone_valid"].dtype == "boolean"


def test_match_takes_standardised_csv(standardized: dict[str, Path]) -> None:
    root = standardized["root"]
    crosswalks = []
    for fmt in ("parquet", "csv"):
        ws = root / f"match-ws-{fmt}"
        _ok("match", str(standardized[fmt]), "-o", str(root / f"m-{fmt}"), "--workspace", str(ws))
        crosswalk = pd.read_parquet(root / f"m-{fmt}" / "crosswalk.parquet")
        crosswalks.append(crosswalk.drop(columns=["golden_id"]))
    pd.testing.assert_frame_equal(crosswalks[1], crosswalks[0])


def test_validate_takes_standardised_csv(standardized: dict[str, Path]) -> None:
    root = standardized["root"]
    issues = []
    for fmt in ("parquet", "csv"):
        args = ["validate", str(standardized[fmt]), "-o", str(root / f"v-{fmt}"), "-q"]
        _ok(*args, "--fail-on", "never")
        issues.append(pd.read_parquet(root / f"v-{fmt}" / "issues.parquet"))
    assert len(issues[0]) > 0
    pd.testing.assert_frame_equal(issues[1], issues[0])


def test_validate_takes_transactions_csv(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    _ok("ingest", str(tmp_path / "demo"), "-o", str(tmp_path / "ing"), "--format", "csv", "-q")
    transactions = read_table(tmp_path / "ing" / "transactions.csv")
    assert transactions["amount"].dtype == "float64" and (transactions["amount"] < 0).any()
    assert transactions["doc_date"].dtype == "datetime64[ns]"
    args = ["validate", str(tmp_path / "ing" / "transactions.csv"), "-o", str(tmp_path / "v")]
    _ok(*args, "-q", "--fail-on", "never")
    summary = pd.read_parquet(tmp_path / "v" / "summary.parquet")
    assert "doc_date" in set(summary["column"])


def test_profile_of_csv_equals_profile_of_parquet(standardized: dict[str, Path]) -> None:
    outputs = [_ok("profile", str(standardized[fmt])) for fmt in ("parquet", "csv")]
    assert "phone_valid" in outputs[0]
    assert outputs[1] == outputs[0]


def test_review_import_takes_a_dq_written_review_csv(tmp_path: Path) -> None:
    review = pd.DataFrame(
        {
            "left_id": ["crm:=1+2", "crm:1003"],
            "right_id": ["crm:1008", "crm:1009"],
            "decision": ["match", "no match"],
            "probability": [0.31, 0.27],
            "left_name_core": ["=hyperlink", "@sum"],
            "right_name_core": ["-2+3", "x"],
        }
    )
    path = write_table(review, tmp_path, "review", "csv")
    assert "'=hyperlink" in path.read_text(encoding="utf-8")
    output = _ok("review", "import", str(path), "--workspace", str(tmp_path))
    assert "2 decisions stored" in output

"""The hostile-input corpus through the real CLI: every file ends in exit 0 or 3 (never an
internal error), errors name the file (and line where known), and on success rows in the file
= records + transactions + interactions + rejects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands)
from dq.cli._typer import app

CORPUS = Path(__file__).parents[1] / "data" / "hostile"
MANIFEST: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS / "manifest.yaml").read_text(encoding="utf-8")
)
runner = CliRunner()


def test_corpus_is_complete() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name not in {"manifest.yaml", "make_corpus.py"}}
    assert files == set(MANIFEST)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_hostile_file(tmp_path: Path, name: str) -> None:
    case = MANIFEST[name]
    path = CORPUS / name
    args = ["ingest", "-f", str(path), "-c", case["connector"], "-o", str(tmp_path), "-q"]
    result = runner.invoke(app, args + (["--strict"] if case.get("strict") else []))
    assert result.exit_code == case["exit"], result.output
    if case["exit"] == 3:
        message = " ".join(result.output.split())  # the console wraps long lines
        assert name in message
        assert case["message"] in message
        return
    tables = {n: pd.read_parquet(tmp_path / f"{n}.parquet") for n in
              ("records", "transactions", "interactions", "rejects", "parse_issues")}  # fmt: skip
    outputs = sum(len(tables[n]) for n in ("records", "transactions", "interactions"))
    rejects = tables["rejects"]
    assert outputs + len(rejects) == case["rows"]
    assert len(rejects) == case.get("rejects", 0)
    assert rejects["file"].eq(str(path)).all()
    assert rejects["line"].notna().all()
    if "reject_lines" in case:
        assert sorted(rejects["line"]) == case["reject_lines"]
        assert rejects["reason"].str.contains(case["reason"]).all()
    issues = tables["parse_issues"]
    assert len(issues) == case.get("parse_issues", 0), issues.to_dict("records")
    assert issues["line"].notna().all() and issues["column"].notna().all()

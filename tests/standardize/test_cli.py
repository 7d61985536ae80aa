"""``dq standardize``: reads canonical records, writes them standardised, prints a summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from dq.cli.app import app
from tests.conftest import DATA

SMALL = DATA / "standardize" / "records_small.csv"


def test_standardize_writes_records_and_prints_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["standardize", str(SMALL), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "changed" in result.output and "phone" in result.output
    out = pd.read_parquet(tmp_path / "records.parquet")
    assert out["phone"].tolist()[:2] == ["+493511234567", "+49401234567"]
    assert out["phone_raw"].iloc[0] == "0351/1234567"
    assert out["legal_form"].tolist()[:2] == ["GMBH", "EK"]
    assert out["postcode"].iloc[0] == "01067"
    assert out["last_name"].iloc[2] == "Müller" and out["first_name"].iloc[2] == "Hans"


def test_standardize_csv_quiet(tmp_path: Path) -> None:
    args = ["standardize", str(SMALL), "-o", str(tmp_path), "--format", "csv", "--quiet"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0
    assert result.output == ""
    out = pd.read_csv(tmp_path / "records.csv", dtype=str)
    assert out["street"].tolist() == ["Hauptstraße", "Waidmannstraße", "Postfach 1234"]


def test_standardize_country_option_sets_region(tmp_path: Path) -> None:
    frame = pd.DataFrame({"record_id": ["x:1"], "phone": ["01 5123456"]})
    src = tmp_path / "in.csv"
    frame.to_csv(src, index=False)
    args = ["standardize", str(src), "-o", str(tmp_path / "o"), "--country", "AT", "-q"]
    assert CliRunner().invoke(app, args).exit_code == 0
    out = pd.read_parquet(tmp_path / "o" / "records.parquet")
    assert out["phone"].iloc[0] == "+4315123456"


def test_standardize_missing_file_exits_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["standardize", str(tmp_path / "nope.csv"), "-o", "x"])
    assert result.exit_code == 3
    assert "file not found" in result.output


def test_standardize_bad_country_is_usage_error(tmp_path: Path) -> None:
    args = ["standardize", str(SMALL), "-o", str(tmp_path), "--country", "Germany"]
    assert CliRunner().invoke(app, args).exit_code == 2


def test_standardize_reads_config_section(tmp_path: Path) -> None:
    config = tmp_path / "dq.yaml"
    config.write_text("project:\n  country: AT\nstandardize:\n  null_placeholders: false\n")
    frame = pd.DataFrame({"record_id": ["x:1"], "phone": ["01 5123456"], "city": ["n/a"]})
    src = tmp_path / "in.csv"
    frame.to_csv(src, index=False)
    args = ["standardize", str(src), "-o", str(tmp_path / "o"), "--config", str(config), "-q"]
    assert CliRunner().invoke(app, args).exit_code == 0
    out = pd.read_parquet(tmp_path / "o" / "records.parquet")
    assert out["phone"].iloc[0] == "+4315123456"
    assert out["city"].iloc[0] == "n/a"


def test_standardize_invalid_config_exits_3(tmp_path: Path) -> None:
    config = tmp_path / "dq.yaml"
    config.write_text("standardize:\n  nul_placeholders: false\n")
    args = ["standardize", str(SMALL), "-o", str(tmp_path), "--config", str(config)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3
    assert "nul_placeholders" in result.output


def test_standardize_runs_as_a_real_process(tmp_path: Path) -> None:
    code = "from dq.cli.app import main; main()"
    args = [sys.executable, "-c", code, "standardize", str(SMALL), "-o", str(tmp_path), "-q"]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "records.parquet").is_file()

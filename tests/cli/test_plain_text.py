"""User text is printed as it is: rich markup never interprets file names, values or messages.

Regression for issue 17: ``kunden[alt].csv`` was reported as ``kunden.csv``, ``k[bold]x.csv``
lost text and a pydantic pattern showed as ``'^*$'``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dq.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
NAMES = ["kunden[alt].csv", "k[bold]x.csv", "[red]rot.csv", "x[link=y]z.csv", "a[b]\\[c].csv"]


@pytest.mark.parametrize("name", NAMES)
def test_file_names_in_ingest_output(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Kundennummer,Firma\n1,A GmbH\n", encoding="utf-8")
    out = tmp_path / "out[1]"
    args = ["ingest", "--file", str(path), "--connector", "generic-csv", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert name in result.output and f"{out}/records.parquet" in result.output


@pytest.mark.parametrize("name", NAMES)
def test_file_names_in_error_lines(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Kundennummer,Firma\n1,A GmbH\n", encoding="utf-8")
    wrong = ["ingest", "--file", str(path), "--connector", "hubspot-companies", "-o", "o"]
    result = runner.invoke(app, wrong)
    assert result.exit_code == 3
    assert result.output.startswith(f"error: {path}, line 1: ")  # the name intact, brackets too
    missing = runner.invoke(app, ["standardize", str(tmp_path / f"no-{name}"), "-o", "o"])
    assert missing.exit_code == 3
    assert missing.output.strip() == f"error: {tmp_path / f'no-{name}'}: file not found"


def test_pydantic_pattern_in_config_error(tmp_path: Path) -> None:
    (tmp_path / "dq.yaml").write_text(
        "sources:\n  - {name: 'Bad[x]', connector: generic-csv, path: a.csv}\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", str(tmp_path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "String should match pattern '^[a-z0-9][a-z0-9_-]*$'" in result.output


def test_column_names_and_values_in_profile(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("[bold]Firma[/bold],Ort\n[red]A[/red],[i]B\n", encoding="utf-8")
    result = runner.invoke(app, ["profile", str(path)])
    assert result.exit_code == 0, result.output
    assert "[bold]Firma[/bold]" in result.output


def test_error_line_in_a_real_process(tmp_path: Path) -> None:
    missing = tmp_path / "kunden[alt].csv"
    result = subprocess.run(
        [sys.executable, "-m", "dq", "standardize", str(missing), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "COLUMNS": "200", "FORCE_COLOR": "1"},
    )
    assert result.returncode == 3
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr)
    assert plain.strip() == f"error: {missing}: file not found"
    assert "\x1b[31merror:" in result.stderr  # the prefix is still red


def test_no_markup_strings_in_cli_code() -> None:
    """The consoles print with markup off, so a markup tag in a CLI string would print as text."""
    tag = re.compile(r"\[/?(?:bold|dim|italic|red|green|yellow|blue|cyan|magenta|link)\b[^\]]*\]")
    found = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "dq" / "cli").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if tag.search(line)
    ]
    assert found == []


def test_paths_in_table_titles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # short relative paths: the title fits the table's width
    Path("k[bold]x.csv").write_text("Kundennummer,Firma\n1,A GmbH\n", encoding="utf-8")
    args = ["ingest", "--file", "k[bold]x.csv", "--connector", "generic-csv", "-o", "o[red]1"]
    assert runner.invoke(app, [*args, "-q", "--format", "csv"]).exit_code == 0
    result = runner.invoke(app, ["standardize", "o[red]1/records.csv", "-o", "s[dim]t"])
    assert result.exit_code == 0, result.output
    assert "Standardised 1 records → s[dim]t/records.parquet" in result.output

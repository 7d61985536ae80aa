"""`dq gdpr` and `dq subject` end to end on a copy of the demo workspace with a request log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands)
from dq.cli._typer import app
from dq.cli.run import demo_workspace

runner = CliRunner()
AS_OF = "2025-12-07"
REQUESTS = (
    "Anfrage-ID;Art;Eingang;E-Mail;Name;Kundennummer\n"
    "DSR-1;Löschung;20.11.2025;info@wuensche-services.de;;\n"
    "DSR-2;Widerspruch;01.10.2025;;;10023\n"
    "DSR-3;Auskunft;01.12.2025;nobody@example.org;;\n"
    "DSR-4;Kündigung;01.12.2025;;;10023\n"
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace copied, its privacy-requests log replaced by this test's."""
    root = tmp_path_factory.mktemp("ws")
    shutil.copytree(demo_workspace() / "data", root / "data")
    shutil.copy(demo_workspace() / "dq.yaml", root / "dq.yaml")
    (root / "data" / "privacy-requests.csv").write_text(REQUESTS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def gdpr_out(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(
        app,
        ["gdpr", str(workspace), "-o", str(out), "--as-of", AS_OF, "--apply", "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def _golden_id(out: Path, customer_number: str) -> str:
    golden = pd.read_csv(out / "golden.csv", dtype=str)
    return str(golden.loc[golden["customer_number"] == customer_number, "golden_id"].iloc[0])


def test_gdpr_prints_counts_and_writes_tables(gdpr_out: tuple[Path, str]) -> None:
    out, output = gdpr_out
    assert f"Retention on {AS_OF}" in output
    assert "Overdue:" in output and "Privacy requests:" in output
    assert "starting point" in output
    retention = pd.read_csv(out / "retention.csv", dtype=str).set_index("golden_id")
    counts = retention["action"].value_counts().to_dict()
    for action, n in counts.items():
        assert f"{action}" in output and f"{n:,}" in output
    # the erasure request on an active customer: restricted by its deadline, the books remain
    erased = retention.loc[_golden_id(out, "10054")]
    assert (erased["action"], erased["due_date"], erased["rule"]) == (
        "restrict",
        "2025-12-20",
        "books",
    )
    assert erased["delete_after"] == "2036-01-01"
    objected = retention.loc[_golden_id(out, "10023")]
    assert (objected["marketing_action"], objected["marketing_due"]) == ("restrict", "2025-10-01")
    requests = pd.read_csv(out / "privacy_requests.csv", dtype=str).set_index("request_id")
    assert requests["status"].to_dict() == {
        "DSR-1": "matched", "DSR-2": "matched", "DSR-3": "unmatched", "DSR-4": "invalid"
    }  # fmt: skip
    manifest = pd.read_csv(out / "deletion_manifest.csv", dtype=str)
    assert {"datev"} <= set(manifest["source"])
    assert (manifest["source_key"].notna()).all()


def test_apply_writes_a_redacted_copy_and_an_audit_log(gdpr_out: tuple[Path, str]) -> None:
    out, _ = gdpr_out
    retention = pd.read_csv(out / "retention.csv", dtype=str)
    deleted = set(retention.loc[retention["action"] == "delete", "golden_id"])
    assert deleted
    redacted = pd.read_csv(out / "redacted" / "golden.csv", dtype=str)
    assert deleted.isdisjoint(redacted["golden_id"])
    records = pd.read_csv(out / "redacted" / "records.csv", dtype=str)
    assert deleted.isdisjoint(records["golden_id"].dropna())
    restricted = redacted[redacted["restricted"] == "True"]
    assert _golden_id(out, "10054") in set(restricted["golden_id"])
    assert restricted["email"].isna().all()
    audit = pd.read_csv(out / "gdpr_audit.csv", dtype=str)
    assert not set(audit["subject"]) & deleted
    assert {"removed", "restricted"} <= set(audit["action"])
    assert not (out / "redacted" / "requests.csv").exists()


def test_subject_access_export(workspace: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["subject", "info@wuensche-services.de", str(workspace), "-o", str(tmp_path), "--as-of", AS_OF],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (json_file,) = tmp_path.glob("subject-*.json")
    data = json.loads(json_file.read_text(encoding="utf-8"))
    gid = data["subject"]["golden_id"]
    assert data["retention"]["action"] == "restrict"
    assert (
        data["data"]["bookings"]
        and data["data"]["customer"][0]["email"] == "info@wuensche-services.de"
    )
    assert data["data"]["privacy_requests"][0]["request_id"] == "DSR-1"
    for rows in data["data"].values():  # nothing about anybody else
        assert {row.get("golden_id", gid) for row in rows} == {gid}
    assert {r["rule"] for r in data["purposes_and_legal_basis"]} >= {
        "books",
        "customer_relationship",
    }
    markdown = json_file.with_suffix(".md").read_text(encoding="utf-8")
    assert "info@wuensche-services.de" in markdown and "§ 147" in markdown


def test_subject_not_found_is_an_input_error(workspace: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["subject", "nobody@example.org", str(workspace), "-o", str(tmp_path), "--as-of", AS_OF],
    )
    assert result.exit_code == 3
    assert "no person found" in result.output
    assert "nobody@example.org" not in result.output  # the query is personal data


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert "gdpr" in result.output and "subject" in result.output
    result = runner.invoke(app, ["gdpr", "--help"])
    assert "--apply" in result.output and "--as-of" in result.output

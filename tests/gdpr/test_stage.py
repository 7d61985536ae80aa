"""The retention stage on named tables, the deletion manifest and the redacted copy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dq.config import workspace_from_dict
from dq.gdpr.apply import AUDIT_COLUMNS, redact
from dq.gdpr.manifest import MANIFEST_COLUMNS
from dq.gdpr.policy import load_policy
from dq.gdpr.stage import RetentionSummary, retention_stage, retention_tables
from dq.stage import StageContext

from .world import AS_OF, world


def test_stage_seam(tmp_path: Path) -> None:
    (tmp_path / "retention.yaml").write_text("rules:\n  prospect: {period: 12m}\n", "utf-8")
    ctx = StageContext(workspace=workspace_from_dict({}, tmp_path), as_of=AS_OF)
    output = retention_stage(world(), ctx)
    assert set(output.tables) == {"retention", "contacts", "deletion_manifest", "privacy_requests"}
    summary = output.result
    assert isinstance(summary, RetentionSummary)
    assert summary.customers == {"keep": 2, "restrict": 1, "delete": 1}
    assert summary.contacts == {"keep": 0, "restrict": 0, "delete": 1}
    assert summary.overdue == 2
    assert summary.requests == {"matched": 1, "unmatched": 1}
    assert summary.headline() == (
        "Retention: customers 2 keep, 1 restrict, 1 delete (2 overdue); contacts 1 delete "
        "(1 overdue); privacy requests 1 matched, 1 unmatched"
    )
    verdicts = output.tables["retention"].set_index("golden_id")
    assert verdicts["action"].to_dict() == {
        "G1": "restrict",
        "G2": "delete",
        "G3": "keep",
        "G4": "keep",
    }
    assert verdicts.loc["G4", "rule"] == "legal_hold"
    assert verdicts["personal_data"].to_dict() == {
        "G1": False,
        "G2": True,
        "G3": False,
        "G4": False,
    }


def test_deletion_manifest_per_source_record() -> None:
    tables, _, _ = retention_tables(world(), load_policy(), AS_OF)
    manifest = tables["deletion_manifest"]
    assert tuple(manifest.columns) == MANIFEST_COLUMNS
    rows = manifest.assign(
        due=manifest["due_date"].dt.strftime("%Y-%m-%d"),
        after=manifest["delete_after"].dt.strftime("%Y-%m-%d"),
    )[
        [
            "source",
            "record_id",
            "source_key",
            "role",
            "action",
            "status",
            "due",
            "after",
            "keep_fields",
        ]
    ]
    got = [tuple(None if pd.isna(v) else v for v in row) for row in rows.itertuples(index=False)]
    assert got == [
        ("crm", "crm:0011", "0011", "customer", "restrict", "overdue", "2023-01-01", "2030-01-01",
         "identity,address,tax,account,bank"),
        ("crm", "crm:0031", "0031", "contact", "delete", "overdue", "2023-01-01", None, None),
        ("datev", "datev:10001", "10001", "customer", "restrict", "overdue", "2023-01-01",
         "2030-01-01", "identity,address,tax,account,bank"),
        ("datev", "datev:10002", "10002", "customer", "delete", "overdue", "2023-01-01", None, None),
        ("datev", "datev:10003", "10003", "customer", "restrict", "upcoming", "2029-01-01", None,
         "identity,address,tax,account,bank"),
    ]  # fmt: skip
    # the held customer is in no list
    assert "G4" not in set(manifest["golden_id"])


def test_redacted_copy_and_audit_log() -> None:
    tables = world()
    added, _, result = retention_tables(tables, load_policy(), AS_OF)
    tables.update(added)
    redaction = redact(tables, result, load_policy(), salt="s3cret")
    out = redaction.tables
    # deleted customer G2 and contact C1 are gone from every table that names them
    for name in ("golden", "records", "transactions", "interactions", "crosswalk"):
        assert "G2" not in set(out[name]["golden_id"]), name
    assert "C1" not in set(out["records"]["contact_id"].dropna())
    assert len(out["contacts"]) == 0
    # restricted G1: the books' field groups stay, the rest is gone, rows are marked
    golden = out["golden"].set_index("golden_id")
    assert golden.loc["G1", "company_name"] == "Alpha Handel GmbH"
    assert golden.loc["G1", "iban"] == "DE02120300000000202051"
    assert pd.isna(golden.loc["G1", "email"]) and pd.isna(golden.loc["G1", "industry"])
    assert bool(golden.loc["G1", "restricted"]) and not bool(golden.loc["G3", "restricted"])
    assert golden.loc["G3", "email"] == "info@gamma.de"
    # bookings stay for the books, the sales call has no retention of its own
    assert "G1" in set(out["transactions"]["golden_id"])
    assert "G1" not in set(out["interactions"]["golden_id"])
    # the evidence tables are copied unchanged
    assert out["retention"] is tables["retention"]
    audit = redaction.audit
    assert tuple(audit.columns) == AUDIT_COLUMNS
    assert not set(audit["subject"]) & {"G1", "G2", "C1"}
    assert audit["subject"].str.fullmatch(r"[0-9a-f]{16}").all()
    removed = audit[(audit["table"] == "golden") & (audit["action"] == "removed")]
    assert removed["rule"].tolist() == ["books"] and removed["rows"].tolist() == [1]
    assert set(audit.loc[audit["table"] == "interactions", "action"]) == {"removed"}
    # another salt, other hashes
    again = redact(tables, result, load_policy(), salt="other").audit
    assert set(again["subject"]).isdisjoint(set(audit["subject"]))


def test_without_a_request_log_the_table_is_empty() -> None:
    tables = world()
    del tables["_requests"]
    added, summary, _ = retention_tables(tables, load_policy(), AS_OF)
    assert len(added["privacy_requests"]) == 0
    assert "status" in added["privacy_requests"].columns
    assert summary.requests == {}
    # without the hold request the expired customer G4 is deleted
    assert added["retention"].set_index("golden_id").loc["G4", "action"] == "delete"

"""`dq audit`: read-only, import files the targets accept, a verdict with exactly its reasons."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dq.audit import audit, write_audit
from dq.audit.exports import write_split
from dq.audit.targets import Target, load_target
from dq.cli.app import app
from dq.cli.run import demo_workspace
from dq.config import load_workspace
from dq.ingest import ingest_file

runner = CliRunner()


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo workspace with a state database from one `dq run`."""
    ws = tmp_path_factory.mktemp("ws") / "demo"
    shutil.copytree(demo_workspace(), ws, ignore=shutil.ignore_patterns(".dq", "out"))
    result = runner.invoke(app, ["run", str(ws), "-o", str(ws.parent / "run"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (ws / ".dq" / "state.sqlite").is_file()
    return ws


def _audit(demo: Path, out: Path, target: str) -> Path:
    before = _snapshot(demo)
    result = runner.invoke(app, ["audit", str(demo), "--target", target, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _snapshot(demo) == before  # workspace and state database byte-identical
    return out


@pytest.fixture(scope="module")
def hubspot(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _audit(demo, tmp_path_factory.mktemp("hubspot"), "hubspot")


@pytest.fixture(scope="module")
def salesforce(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _audit(demo, tmp_path_factory.mktemp("salesforce"), "salesforce")


@pytest.mark.parametrize("target", ["hubspot", "salesforce"])
def test_writes_verdict_and_files(target: str, request: pytest.FixtureRequest) -> None:
    out = request.getfixturevalue(target)
    report = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert report["verdict"] in ("ready", "ready with warnings", "not ready")
    assert report["figures"]["customers"] == 160 and report["figures"]["contacts"] == 67
    html = (out / "audit.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in html and "<script" not in html
    assert report["verdict"] in (out / "audit.md").read_text(encoding="utf-8")
    field_map = pd.read_csv(out / "field_map.csv")
    assert {"file", "column", "dq_field", "filled_share"} <= set(field_map.columns)


def test_hubspot_files_follow_hubspot_rules(hubspot: Path) -> None:
    out = hubspot
    companies = pd.read_csv(out / "companies.csv", dtype=str, encoding="utf-8")
    contacts = pd.read_csv(out / "contacts.csv", dtype=str, encoding="utf-8")
    assert len(companies) <= 1_048_576 and len(contacts) <= 1_048_576
    emails = contacts["Email"].dropna().str.lower()
    assert emails.is_unique  # HubSpot de-duplicates contacts by e-mail
    domains = companies["Company Domain Name"].dropna().str.lower()
    assert domains.is_unique  # and companies by domain
    linked = contacts["dq_golden_id"].dropna()
    assert linked.isin(companies["dq_golden_id"]).all()  # every contact's company is imported
    assert companies["dq_golden_id"].is_unique
    phones = pd.concat([companies["Phone Number"], contacts["Phone Number"]]).dropna()
    assert phones.str.fullmatch(r"\+\d{6,15}").mean() > 0.95  # E.164, not neutralised


def test_salesforce_contacts_attach_to_accounts(salesforce: Path) -> None:
    out = salesforce
    accounts = pd.read_csv(out / "Account.csv", dtype=str)
    contacts = pd.read_csv(out / "Contact.csv", dtype=str)
    assert len(accounts) <= 50_000 and len(contacts) <= 50_000
    assert accounts["dq_golden_id__c"].is_unique and contacts["dq_contact_id__c"].is_unique
    assert contacts["Account.dq_golden_id__c"].dropna().isin(accounts["dq_golden_id__c"]).all()
    assert accounts["BillingCountryCode"].dropna().str.fullmatch("[A-Z]{2}").all()


@pytest.mark.parametrize(
    ("target", "file", "connector"),
    [
        ("hubspot", "companies", "hubspot-companies"),
        ("salesforce", "Account", "salesforce-accounts"),
    ],
)
def test_company_file_round_trips(
    demo: Path, tmp_path: Path, target: str, file: str, connector: str
) -> None:
    """Read back through dq's own connector, the import file gives the same customers."""
    from dq.standardize import standardize_records

    result = write_audit(audit(load_workspace(demo), target), tmp_path)
    read = ingest_file(result.written[file][0], connector, source="back")
    assert len(read.rejects) == 0
    back = standardize_records(read.records).records.set_index("source_key")
    id_column, name, postcode = {
        "hubspot": ("dq_golden_id", "Company name", "Postal Code"),
        "salesforce": ("dq_golden_id__c", "Name", "BillingPostalCode"),
    }[target]
    sent = result.files[file].set_index(id_column)
    assert set(back.index) == set(sent.index)  # the same customers, by their golden IDs
    back = back.loc[sent.index]
    assert back["company_name"].tolist() == sent[name].tolist()
    assert back["postcode"].fillna("").tolist() == sent[postcode].fillna("").tolist()
    assert back["street"].notna().sum() == sent.filter(like="Street").iloc[:, 0].notna().sum()


def test_files_split_at_the_row_limit(tmp_path: Path) -> None:
    target = Target("t", "T", "test", max_rows=2, max_bytes=10_000)
    frame = pd.DataFrame({"a": ["=1+1", "+4930123456", "-5", "@x", "ok"]})
    paths = write_split(frame, tmp_path, "f", target)
    assert [p.name for p in paths] == ["f_001.csv", "f_002.csv", "f_003.csv"]
    back = pd.concat([pd.read_csv(p, dtype=str) for p in paths])["a"].tolist()
    assert back == ["'=1+1", "+4930123456", "-5", "'@x", "ok"]  # formulas neutralised


def test_files_split_at_the_size_limit(tmp_path: Path) -> None:
    target = Target("t", "T", "test", max_rows=1000, max_bytes=60)
    paths = write_split(pd.DataFrame({"a": ["x" * 20] * 6}), tmp_path, "f", target)
    assert len(paths) > 1 and all(p.stat().st_size <= 60 for p in paths)
    assert sum(len(pd.read_csv(p)) for p in paths) == 6


PLANTED = """Kundennummer,Firma,Straße,PLZ,Ort,Telefon,E-Mail
1,Alpha Technik GmbH,Hauptstraße 1,50667,Köln,0221 1234567,info@alpha-technik.de
2,Beta Handel GmbH,Ringstraße 2,20095,Hamburg,12,info@beta-handel.de
3,Gamma Logistik AG,Am Hafen 3,28195,Bremen,7,info@gamma-logistik.de
4,,Bahnhofstraße 4,80335,München,089 2345678,kontakt@delta-bau.de
5,Epsilon Service KG,Marktplatz 5,01067,Dresden,0351 4455667,service@epsilon.de
"""


def test_planted_problems_make_it_not_ready_with_exactly_those_reasons(tmp_path: Path) -> None:
    (tmp_path / "kunden.csv").write_text(PLANTED, encoding="utf-8")
    (tmp_path / "dq.yaml").write_text(
        "project: {as_of: 2026-06-30}\n"
        "sources:\n  - {name: erp, connector: generic-csv, path: kunden.csv}\n",
        encoding="utf-8",
    )
    result = audit(load_workspace(tmp_path), "salesforce")
    assert result.verdict == "not ready"
    blockers = {r.code for r in result.reasons if r.level == "blocker"}
    assert blockers == {"required_empty:Account.Name", "invalid:phone"}
    phone = next(r for r in result.reasons if r.code == "invalid:phone")
    assert phone.count == 2 and set(phone.examples) == {"erp:2", "erp:3"}
    assert not list(tmp_path.glob(".dq"))  # no state written


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(tmp_path), "--target", "sap"])
    assert result.exit_code == 2


def test_target_layouts_load() -> None:
    for name in ("hubspot", "salesforce", "generic"):
        target = load_target(name)
        assert target.files and target.max_rows > 0 and target.source


def test_customers_to_delete_are_left_out_and_listed(hubspot: Path, demo: Path) -> None:
    """The retention stage's delete verdicts keep customers out of every import file."""
    from dq.pipeline import execute

    retention = execute(load_workspace(demo)).tables["retention"]
    deleted = set(retention.loc[retention["action"] == "delete", "golden_id"])
    restricted = set(retention.loc[retention["action"] == "restrict", "golden_id"])
    excluded = pd.read_csv(hubspot / "excluded.csv", dtype=str)
    assert deleted and set(excluded["golden_id"]) == deleted | restricted
    companies = pd.read_csv(hubspot / "companies.csv", dtype=str)
    contacts = pd.read_csv(hubspot / "contacts.csv", dtype=str)
    assert not set(companies["dq_golden_id"]) & deleted
    assert not set(contacts["dq_golden_id"].dropna()) & deleted
    assert not set(contacts["dq_contact_id"]) & deleted  # private customers: their golden ID
    report = json.loads((hubspot / "audit.json").read_text(encoding="utf-8"))
    assert any(r["code"] == "gdpr_excluded" for r in report["reasons"])

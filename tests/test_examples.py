"""The bundled demo workspace (examples/demo) runs end to end and every row is accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import dq.cli.app  # noqa: F401  (registers the commands on the Typer app)
from dq.cli._typer import app
from dq.cli.run import demo_workspace
from dq.config import load_workspace
from dq.pipeline import RunResult, run

TABLES = ("records", "transactions", "interactions", "rejects")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """One library run of the demo, shared by the checks on its content."""
    out = tmp_path_factory.mktemp("demo")
    return run(load_workspace(demo_workspace()), out, state=out / "state.sqlite")


def test_dq_demo_command_writes_all_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in TABLES:
        assert (out / f"{name}.parquet").is_file()
    assert len(pd.read_parquet(out / "records.parquet")) > 0
    # the run summary says how many customers to keep, restrict and delete
    text = " ".join(result.output.split())
    assert "Retention: customers 153 keep, 4 restrict, 3 delete" in text
    assert "privacy requests 1 ambiguous, 7 matched, 1 unmatched" in text


def test_every_file_balances(demo_run: RunResult) -> None:
    stats = demo_run.stages["ingest"].stats
    sources = {"datev", "bookings", "salesforce", "hubspot", "notes", "privacy"}
    assert {s.source for s in stats} == sources
    assert sum(s.source == "bookings" for s in stats) == 4  # one Buchungsstapel per year
    for s in stats:
        assert s.rows_read > 0, s
        outputs = s.records + s.transactions + s.interactions + s.requests + s.rejects
        assert s.rows_read == outputs, s


def test_only_the_planted_rows_are_rejected(demo_run: RunResult) -> None:
    by_source = demo_run.tables["rejects"].groupby("source").size().to_dict()
    assert by_source == {"datev": 3, "bookings": 12, "notes": 2}
    reasons = set(demo_run.tables["rejects"]["reason"])
    assert any("creditor" in r for r in reasons)
    assert any("general-ledger" in r for r in reasons)
    assert any("no customer reference" in r for r in reasons)


def test_values_survive_reading(demo_run: RunResult) -> None:
    records = demo_run.tables["records"]
    datev = records[records["source"] == "datev"]
    assert datev["postcode"].str.fullmatch(r"\d{5}").all()  # leading zeros kept
    assert datev["postcode"].str.startswith("0").any()
    assert datev["last_name"].str.contains("[äöüß]", na=False).any()  # Windows-1252 decoded
    assert set(datev["party_type"]) == {"company", "person"}
    assert datev["vat_id"].dropna().str.fullmatch(r"DE\d{9}").all()

    bookings = demo_run.tables["transactions"]
    years = bookings["doc_date"].dt.year
    assert set(years) == {2022, 2023, 2024, 2025}
    assert (years.astype(str) == bookings["source_file"].str.extract(r"_(\d{4})\.csv$")[0]).all()
    signs = bookings.groupby("doc_type")["amount"].agg(["min", "max"])
    assert signs.loc["invoice", "min"] > 0
    assert signs.loc["payment", "max"] < 0
    assert signs.loc["credit_note", "max"] < 0

    notes = demo_run.tables["interactions"]
    assert notes["record_id"].isin(datev["record_id"]).all()
    assert notes["text"].str.contains(";").any()


# -- planted behaviours: customer value (docs/value.md) and retention (docs/gdpr.md) -------------
# Customers are named by their DATEV debtor account, the stable record ID "datev:<account>";
# examples/demo/README.md lists them.


def _golden(run: RunResult, account: int) -> str:
    crosswalk = run.tables["crosswalk"]
    return str(crosswalk.loc[crosswalk["record_id"] == f"datev:{account}", "golden_id"].iloc[0])


def _value(run: RunResult, account: int) -> pd.Series:
    value = run.tables["customer_value"].set_index("golden_id")
    return value.loc[_golden(run, account)]


def _retention(run: RunResult, account: int) -> pd.Series:
    return run.tables["retention"].set_index("golden_id").loc[_golden(run, account)]


def test_regular_buyer_whose_reorder_is_overdue(demo_run: RunResult) -> None:
    """Monthly invoices until September 2025: at as-of 2026-01-15 the next order is overdue."""
    v = _value(demo_run, 10529)
    assert v["median_order_gap_days"] == 30.5
    assert v["last_invoice"] == pd.Timestamp("2025-09-03")
    assert v["reorder_due"] == pd.Timestamp("2025-10-04")
    assert bool(v["reorder_overdue"]) and v["lifecycle"] == "at_risk"
    # every invoice is settled: the Skonto payment and the transfer without an invoice number too
    assert (v["open_balance"], v["payment_class"]) == (0.0, "on_time")
    tx = demo_run.tables["transactions"]
    mine = tx[tx["record_id"] == "datev:10529"]
    payments = mine[mine["doc_type"] == "payment"]
    assert payments["doc_number"].isna().sum() == 1
    skonto = payments[payments["text"].str.contains("Skonto", na=False)]
    (number,) = skonto["doc_number"]
    invoice = mine[(mine["doc_type"] == "invoice") & (mine["doc_number"] == number)]
    assert float(skonto["amount"].iloc[0]) == -float(invoice["amount"].iloc[0])  # + discount


def test_late_payer_flagged_for_prepayment(demo_run: RunResult) -> None:
    v = _value(demo_run, 10726)
    assert (v["payment_class"], bool(v["prepayment_recommended"])) == ("risky", True)
    assert v["days_late_median"] > 60 and v["overdue_balance"] > 0
    assert v["value_tier"] == "watch"


def test_reversal_cancels_an_invoice(demo_run: RunResult) -> None:
    tx = demo_run.tables["transactions"]
    (reversal,) = tx[tx["doc_type"] == "reversal"].itertuples()
    assert reversal.record_id == "datev:10726"
    same = tx[(tx["doc_number"] == reversal.doc_number) & (tx["record_id"] == "datev:10726")]
    assert sorted(same["doc_type"]) == ["invoice", "reversal"]
    assert same["amount"].sum() == 0


def test_two_debtor_accounts_of_one_customer_add_up(demo_run: RunResult) -> None:
    """Account 14604 is 10054 created a second time; 2025's invoices were booked on it."""
    gid = _golden(demo_run, 10054)
    assert _golden(demo_run, 14604) == gid
    tx = demo_run.tables["transactions"]
    revenue = tx[tx["doc_type"].isin(["invoice", "credit_note", "reversal"])]
    per_account = revenue.groupby("record_id")["amount"].sum()
    first, second = per_account["datev:10054"], per_account["datev:14604"]
    assert first > 0 and second > 0
    assert (tx.loc[tx["record_id"] == "datev:14604", "doc_date"].dt.year == 2025).all()
    v = _value(demo_run, 10054)
    assert v["revenue_total"] == pytest.approx(first + second)
    assert v["revenue_12m"] > 0


def test_complaint_heavy_customer(demo_run: RunResult) -> None:
    v = _value(demo_run, 10142)
    assert v["complaints_12m"] == 4
    assert (v["returns_12m"], v["credit_notes_12m"]) == (2, 1)  # a return note and its credit note
    assert v["last_complaint"] == pd.Timestamp("2025-10-17")


def test_customers_in_every_retention_action(demo_run: RunResult) -> None:
    retention = demo_run.tables["retention"]
    assert retention["action"].value_counts().to_dict() == {"keep": 153, "restrict": 4, "delete": 3}
    # bought in 2022 only: purpose ended 2026-01-01, the books stay until the end of 2032
    for account in (10023, 11107, 12299):
        r = _retention(demo_run, account)
        assert r["last_booking"].year == 2022
        assert (r["action"], r["rule"]) == ("restrict", "books"), account
        assert r["due_date"] == pd.Timestamp("2026-01-01")
        assert r["delete_after"] == pd.Timestamp("2033-01-01")
    # prospects without contact for 24 months
    for account in (13032, 13686):
        r = _retention(demo_run, account)
        assert (r["customer_status"], r["action"], r["rule"]) == ("prospect", "delete", "prospect")
        assert r["due_date"] < pd.Timestamp("2026-01-15")  # overdue


def test_privacy_requests_change_the_verdicts(demo_run: RunResult) -> None:
    requests = demo_run.tables["privacy_requests"].set_index("request_id")
    assert requests["status"].to_dict() == {
        "DS-001": "matched", "DS-002": "matched", "DS-003": "matched", "DS-004": "matched",
        "DS-005": "matched", "DS-006": "matched", "DS-007": "matched", "DS-008": "unmatched",
        "DS-009": "ambiguous",
    }  # fmt: skip
    assert requests.loc["DS-009", "candidates"] == _golden(demo_run, 11842)  # a name alone
    expected = {"DS-001": 10443, "DS-002": 10644, "DS-003": 12667, "DS-004": 10989,
                "DS-005": 11086, "DS-006": 11798, "DS-007": 11798}  # fmt: skip
    for request, account in expected.items():
        assert requests.loc[request, "golden_id"] == _golden(demo_run, account), request
    # erasure of a customer with bookings: blocked from the deadline, deleted after the books
    erased = _retention(demo_run, 10644)
    assert (erased["action"], erased["rule"]) == ("restrict", "books")
    assert erased["due_date"] == pd.Timestamp("2026-01-01")  # received 2025-12-01 + 1 month
    assert erased["delete_after"] == pd.Timestamp("2036-01-01")
    # erasure of a prospect: nothing to retain, deleted by the deadline
    prospect = _retention(demo_run, 12667)
    assert (prospect["customer_status"], prospect["action"]) == ("prospect", "delete")
    assert (prospect["rule"], prospect["due_date"]) == (
        "erasure_request",
        pd.Timestamp("2026-02-05"),
    )
    # withdrawn consent and objection: marketing stops, the customer relationship goes on
    for account, day in ((10989, "2025-11-14"), (11086, "2025-10-20")):
        r = _retention(demo_run, account)
        assert (r["action"], r["marketing_action"]) == ("keep", "restrict"), account
        assert r["marketing_due"] == pd.Timestamp(day)
    # a legal hold over an erasure request: nothing is deleted or blocked
    held = _retention(demo_run, 11798)
    assert (held["action"], held["rule"]) == ("keep", "legal_hold")


def test_subject_access_example_of_the_readme(tmp_path: Path) -> None:
    """The README's `dq subject` example finds the customer of request DS-001."""
    readme = (demo_workspace() / "README.md").read_text(encoding="utf-8")
    assert "dq subject claudia.sommer@gmx.de examples/demo -o out/subject" in readme
    result = CliRunner().invoke(
        app, ["subject", "claudia.sommer@gmx.de", str(demo_workspace()), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (json_file,) = tmp_path.glob("subject-*.json")
    data = json.loads(json_file.read_text(encoding="utf-8"))
    assert data["data"]["customer"][0]["customer_number"] == "10443"
    assert data["data"]["bookings"]
    assert [r["request_id"] for r in data["data"]["privacy_requests"]] == ["DS-001"]
    assert data["retention"]["action"] == "keep"

"""report.html/.json/.md from the demo: sections, labels, trend, masking of personal values."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dq.report.checks import Finding
from dq.report.metrics import RunFacts, collect_metrics
from dq.report.render import render_report, write_report
from dq.report.runs import HISTORY_COLUMNS
from dq.report.settings import ReportSettings
from dq.validate import validate
from tests.report.conftest import DemoRun

SECTIONS = ["overview", "sources", "quality", "duplicates", "value", "gdpr", "facts"]
NO_HISTORY = pd.DataFrame(columns=HISTORY_COLUMNS)


def _render(
    tables: dict[str, pd.DataFrame], facts: RunFacts, *, show_values: bool = False
) -> dict[str, str]:
    metrics = collect_metrics(tables, facts)
    return render_report(
        tables, facts, metrics, NO_HISTORY, [], ReportSettings(), show_values=show_values
    )


def _personal_values(demo: DemoRun) -> tuple[set[str], set[str], set[str]]:
    """E-mails, phone numbers and person names as they came in and as standardised."""
    frames = [demo.result.stages["ingest"].records, demo.tables["records"]]

    def values(*columns: str) -> set[str]:
        out: set[str] = set()
        for frame in frames:
            for column in columns:
                if column in frame:
                    out |= set(frame[column].dropna().astype(str))
        return {v for v in out if v.strip()}

    emails = values("email", "email_raw")
    phones = {p for p in values("phone", "mobile", "phone_raw", "mobile_raw") if len(p) >= 6}
    names = {n for n in values("first_name", "last_name") if len(n) >= 4}
    return emails, phones, names


def test_every_section_is_present(demo: DemoRun) -> None:
    html = demo.report.paths["report.html"].read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'<section id="{section}" data-section="{section}">' in html
    # Sections of stages the run has show their figures; the others say so instead of vanishing.
    for section in ("value", "gdpr"):
        body = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
        computed = {"value": "customer_value", "gdpr": "retention"}[section] in demo.tables
        assert ("In diesem Lauf nicht berechnet." not in body) == computed, section


def test_the_page_asks_for_nothing_from_elsewhere(demo: DemoRun) -> None:
    html = demo.report.paths["report.html"].read_text(encoding="utf-8")
    assert "default-src 'none'" in html
    assert "://" not in html
    assert not re.search(r"<(script|link|img|iframe|object)\b", html)
    assert set(re.findall(r'(?:src|href)="([^"#][^"]*)"', html)) == set()


@pytest.mark.parametrize("name", ["report.html", "report.json", "report.md"])
def test_no_personal_value_leaks_when_masked(demo: DemoRun, name: str) -> None:
    text = demo.report.paths[name].read_text(encoding="utf-8")
    emails, phones, names = _personal_values(demo)
    assert emails and phones and names
    assert [e for e in emails if e in text] == []
    assert [p for p in phones if p in text] == []
    assert [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)] == []


def test_show_values_unmasks(demo: DemoRun) -> None:
    # As `dq run --show-values` would: the issues table keeps the failing values unmasked.
    issues = validate(demo.tables["records"], as_of="2026-01-15", show_values=True).issues
    tables = {**demo.tables, "issues": issues}
    html = _render(tables, demo.facts, show_values=True)["report.html"]
    emails, phones, _ = _personal_values(demo)
    assert any(e in html for e in emails)
    assert any(p in html for p in phones)


def test_json_holds_the_same_metrics(demo: DemoRun) -> None:
    data = json.loads(demo.report.paths["report.json"].read_text(encoding="utf-8"))
    assert data["passed"] is True
    assert data["facts"]["as_of"] == "2026-01-15"
    got = [(m["name"], m["tags"], m["value"]) for m in data["metrics"]]
    assert got == [(m.name, dict(m.tags), m.value) for m in demo.report.metrics]


def test_markdown_summary_is_short(demo: DemoRun) -> None:
    md = demo.report.paths["report.md"].read_text(encoding="utf-8")
    assert md.startswith("# Datenqualitätsbericht: Schmitt Großhandel – Demo (2026-01-15)")
    assert "**Bestanden**" in md
    assert len(md.splitlines()) < 60


def test_english_labels(demo: DemoRun) -> None:
    facts = RunFacts(**{**demo.facts.__dict__, "language": "en"})
    html = _render(demo.tables, facts)["report.html"]
    assert '<html lang="en">' in html and "Data quality report" in html
    assert "Datenqualitätsbericht" not in html


def test_unknown_language_falls_back_to_english(demo: DemoRun) -> None:
    facts = RunFacts(**{**demo.facts.__dict__, "language": "fr"})
    assert "Data quality report" in _render(demo.tables, facts)["report.html"]


def test_second_run_shows_trend_and_changes(demo_runs: tuple[DemoRun, DemoRun]) -> None:
    first, second = demo_runs
    html = second.report.paths["report.html"].read_text(encoding="utf-8")
    overview = html.split('id="overview"', 1)[1].split("</section>", 1)[0]
    spark = re.search(r'<svg class="spark".*?points="([^"]+)"', overview)
    assert spark is not None and len(spark.group(1).split()) == 2  # dataset score, two runs
    assert "source_rows_read{source=hubspot}" in overview  # what changed, and the warning
    assert (
        "source_rows_read{source=hubspot} fiel um 50,0 % (90 → 45) gegenüber dem letzten Lauf; "
        "Grenze −30 %"
    ) in overview
    first_html = first.report.paths["report.html"].read_text(encoding="utf-8")
    assert "Dies ist der erste gespeicherte Lauf" in first_html
    md = second.report.paths["report.md"].read_text(encoding="utf-8")
    assert "source_rows_read{source=hubspot}" in md


def test_value_and_gdpr_sections_mask_names(demo: DemoRun) -> None:
    golden = demo.tables["golden"]
    ids = list(golden["golden_id"][:3])
    tables = dict(demo.tables)
    tables["customer_value"] = pd.DataFrame(
        {
            "golden_id": ids,
            "revenue_12m": [9000.0, 500.0, 0.0],
            "abc": ["A", "B", None],
            "lifecycle": ["active", "at_risk", "prospect"],
            "reorder_overdue": [False, True, False],
            "reorder_due": pd.to_datetime([None, "2025-12-01", None]),
            "prepayment_recommended": [True, False, False],
            "payment_class": ["risky", "on_time", "on_time"],
            "open_balance": [1200.0, 0.0, 0.0],
            "overdue_balance": [800.0, 0.0, 0.0],
        }
    )
    tables["retention"] = pd.DataFrame(
        {
            "golden_id": ids,
            "action": ["keep", "delete", "restrict"],
            "due_date": pd.to_datetime([None, "2025-06-30", "2027-01-01"]),
            "rule": ["active_customer", "prospect_no_contact", "hgb_257"],
            "legal_basis": ["Art. 6(1)(b) DSGVO", "Art. 17 DSGVO", "§ 257 HGB"],
        }
    )
    tables["privacy_requests"] = pd.DataFrame(
        {"request_id": ["R1"], "type": ["erasure"], "status": ["unmatched"]}
    )
    facts = RunFacts(**{**demo.facts.__dict__, "as_of": date(2026, 1, 15)})
    html = _render(tables, facts)["report.html"]
    value = html.split('id="value"', 1)[1].split("</section>", 1)[0]
    assert ids[1] in value and ids[0] in value  # reorder overdue, prepayment
    for name in golden["company_name"][:3].dropna():
        assert str(name) not in html
    gdpr = html.split('id="gdpr"', 1)[1].split("</section>", 1)[0]
    assert ids[1] in gdpr and "2025-06-30" in gdpr and ids[2] not in gdpr  # only overdue ones
    assert "erasure · unmatched" in gdpr


def test_findings_in_the_report_language(demo: DemoRun) -> None:
    finding = Finding("fail", "duplicate_records", 130.0, 20.0, "…", "rose", 100.0, 30.0, 5)
    for language, text in [
        (
            "en",
            "duplicate_records rose 30.0 % (100 → 130) against its median over the last 5 runs; limit +20 %",
        ),
        (
            "de",
            "duplicate_records stieg um 30,0 % (100 → 130) gegenüber dem Median der letzten 5 Läufe; Grenze +20 %",
        ),
    ]:
        facts = RunFacts(**{**demo.facts.__dict__, "language": language})
        metrics = collect_metrics(demo.tables, facts)
        out = render_report(demo.tables, facts, metrics, NO_HISTORY, [finding], ReportSettings())
        assert text in out["report.html"] and text in out["report.md"]
        assert '<span class="verdict bad">' in out["report.html"]  # a fail finding fails the run


def test_without_a_store_nothing_is_compared_or_kept(
    demo_runs: tuple[DemoRun, DemoRun], tmp_path: Path
) -> None:
    second = demo_runs[1]
    result = write_report(second.tables, second.facts, tmp_path)  # as a read-only audit would
    assert result.run_id is None and result.findings == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.json", "report.md"]
    assert "Dieser Lauf führt keinen Verlauf" in (tmp_path / "report.html").read_text("utf-8")

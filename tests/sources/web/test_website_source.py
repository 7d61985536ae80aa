"""A `connector: website` source in dq.yaml: the sites of another source's records are crawled
during `dq run` and become records of that source, validated with the rest."""

from __future__ import annotations

from pathlib import Path

import yaml

from dq.config import load_workspace
from dq.pipeline import run
from dq.sources.web import WebSettings
from tests.sources.web.siteserver import SiteServer


def test_website_source_adds_web_records(
    tmp_path: Path, site_server: SiteServer, web_settings: WebSettings
) -> None:
    (tmp_path / "crm.csv").write_text(
        "Kundennummer;Firma;Website\n"
        f"1;Müller Maschinenbau;{site_server.url('mueller-maschinenbau.test')}\n"
        "2;Ohne Website GmbH;\n",
        encoding="utf-8",
    )
    config = {
        "sources": [
            {"name": "crm", "connector": "generic-csv", "path": "crm.csv"},
            {"name": "web", "connector": "website", "records_of": "crm"},
        ],
        "web": web_settings.model_dump(
            mode="json", include={"allowed_networks", "resolve", "per_host_rate"}
        ),
        "validate": {"fail_on": "never"},
    }
    (tmp_path / "dq.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = run(load_workspace(tmp_path), tmp_path / "out")
    records = result.tables["records"].set_index("record_id")
    web = records.loc["web:mueller-maschinenbau.test"]
    assert web["source"] == "web"
    assert web["company_name"] == "Müller Maschinenbau GmbH & Co. KG"
    assert web["postcode"] == "70173"
    assert web["vat_id"] == "DE812345673"
    sites = result.tables["web_sites"]
    assert sites["status"].tolist() == ["ok"]
    assert (tmp_path / "out" / "web_sites.parquet").is_file()
    assert (tmp_path / ".dq" / "state.sqlite").is_file()  # the page cache lives in the workspace


def test_website_source_needs_records_of(tmp_path: Path) -> None:
    import pytest

    from dq.errors import ConfigError

    (tmp_path / "dq.yaml").write_text(
        "sources:\n  - {name: web, connector: website}\n  - {name: a, connector: generic-csv}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_workspace(tmp_path)
    assert "website source needs records_of" in str(info.value)
    assert "path is required" in str(info.value)

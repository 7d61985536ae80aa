"""Connector profiles: shipped ones are valid, workspaces override and add, errors list all."""

from __future__ import annotations

from pathlib import Path

import pytest

from dq.errors import ConfigError, ConnectorError
from dq.sources.profiles import list_connectors, load_connector

REQUIRED = {
    "datev-debitoren", "datev-buchungsstapel", "lexware-kunden", "sevdesk-kontakte",
    "hubspot-companies", "hubspot-contacts", "salesforce-accounts", "salesforce-contacts",
    "pipedrive-organizations", "pipedrive-persons", "generic-csv", "excel",
}  # fmt: skip


def test_all_required_profiles_ship_and_load() -> None:
    names = {p.name for p in list_connectors()}
    assert names >= REQUIRED


def test_excel_extends_generic_csv() -> None:
    excel, generic = load_connector("excel"), load_connector("generic-csv")
    assert excel.reader == "excel"
    assert excel.fields == generic.fields


def test_workspace_profile_overrides_and_adds(tmp_path: Path) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "hubspot-companies.yaml").write_text(
        "description: our HubSpot\nreader: delimited\nkey: [Id]\nfields:\n  company_name: {column: Firma}\n",
        encoding="utf-8",
    )
    (tmp_path / "connectors" / "erp-kunden.yaml").write_text(
        "description: ERP\nreader: delimited\nkey: [Nr]\nfields:\n  company_name: {column: Name}\n",
        encoding="utf-8",
    )
    assert load_connector("hubspot-companies", tmp_path).description == "our HubSpot"
    assert load_connector("hubspot-companies").description != "our HubSpot"
    assert "erp-kunden" in {p.name for p in list_connectors(tmp_path)}


def test_invalid_profile_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "bad.yaml").write_text(
        "description: x\nreader: delimited\nkeyy: [a]\nfields:\n"
        "  nickname: {column: Spitzname}\n  city: {column: Ort, value: Köln}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_connector("bad", tmp_path)
    text = str(info.value)
    assert "bad.yaml" in text
    assert "keyy: unknown key" in text
    assert "exactly one of" in text


def test_unknown_connector_names_the_known_ones() -> None:
    with pytest.raises(ConnectorError, match="generic-csv"):
        load_connector("sap-kunden")


def test_non_utf8_profile_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "erp.yaml").write_bytes(
        "description: Kundenstamm für Größe\nreader: delimited\nfields: {}\n".encode("cp1252")
    )
    with pytest.raises(ConfigError, match=r"erp\.yaml: not UTF-8 text \(byte 0xFC"):
        load_connector("erp", tmp_path)


def test_extra_columns_may_not_shadow_canonical_ones(tmp_path: Path) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "erp.yaml").write_text(
        "description: x\nreader: delimited\nfields: {}\nextra: {city: Ort, Bank Name: Bank}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="extra columns Bank Name, city"):
        load_connector("erp", tmp_path)

"""``dq enrich-web`` end to end against the fixture-site server (dq/cli/enrich_web.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dq.cli.app import app
from dq.sources.web import WebSettings, load_web_settings, parse_resolve
from tests.sources.web.siteserver import SiteServer


def test_domains_list_to_tables(site_server: SiteServer, tmp_path: Path) -> None:
    domains = tmp_path / "domains.txt"
    hosts = ["mueller-maschinenbau.test", "nur-werbung.test", "robots-block.test"]
    domains.write_text(
        "# customer sites\n" + "\n".join(site_server.url(h) for h in hosts) + "\n",
        encoding="utf-8",
    )
    config = tmp_path / "dq.yaml"
    config.write_text("web:\n  per_host_rate: 50\n  allowed_networks: ['127.0.0.1/32']\n")
    args = ["enrich-web", str(domains), "-o", str(tmp_path / "out"), "--domains"]
    args += ["--config", str(config), "--format", "csv"]
    for host in hosts:
        args += ["--resolve", f"{host}:127.0.0.1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "no-imprint-found" in result.output and "robots-disallowed" in result.output
    sites = pd.read_csv(tmp_path / "out" / "web_sites.csv")
    assert list(sites["status"]) == ["ok", "no-imprint-found", "robots-disallowed"]
    records = pd.read_csv(tmp_path / "out" / "web_records.csv")
    assert list(records["record_id"]) == ["web:mueller-maschinenbau.test"]
    assert (tmp_path / ".dq" / "state.sqlite").is_file()  # cache lives in the workspace


def test_without_opt_in_local_targets_are_blocked(site_server: SiteServer, tmp_path: Path) -> None:
    domains = tmp_path / "d.txt"
    domains.write_text(site_server.url("mueller-maschinenbau.test") + "\n")
    args = ["enrich-web", str(domains), "-o", str(tmp_path), "--domains", "--no-cache", "-q"]
    args += ["--resolve", "mueller-maschinenbau.test:127.0.0.1", "--format", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and result.output == ""
    assert pd.read_csv(tmp_path / "web_sites.csv")["status"].tolist() == ["blocked-address"]


def test_bad_resolve_and_missing_input_exit_3(tmp_path: Path) -> None:
    missing = CliRunner().invoke(
        app, ["enrich-web", str(tmp_path / "nope.csv"), "-o", str(tmp_path)]
    )
    assert missing.exit_code == 3
    assert "nope.csv: file not found" in missing.output
    bad = CliRunner().invoke(
        app, ["enrich-web", "x.csv", "-o", str(tmp_path), "--resolve", "host-only"]
    )
    assert bad.exit_code == 3
    assert "expected HOST:IP" in bad.output


def test_unknown_config_key_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "dq.yaml"
    config.write_text("web:\n  per_host_rat: 2\n")
    result = CliRunner().invoke(
        app, ["enrich-web", "x.csv", "-o", str(tmp_path), "--config", str(config)]
    )
    assert result.exit_code == 3
    assert "web.per_host_rat: unknown key" in result.output


def test_help_in_a_real_process() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from dq.cli.app import main; main()", "enrich-web", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[3]), "COLUMNS": "120"},
    )
    assert result.returncode == 0
    assert "--allow-private-networks" in result.stdout and "HOST:IP" in result.stdout


def test_settings_from_file_flags_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "dq.yaml"
    config.write_text(
        "project: {name: x}\nweb:\n  per_host_rate: 2\n  resolve: {a.test: 127.0.0.1}\n"
    )
    settings = load_web_settings(config, resolve={"b.test": "::1"}, user_agent="X/1")
    assert settings.per_host_rate == 2.0
    assert settings.resolve == {"a.test": "127.0.0.1", "b.test": "::1"}
    assert settings.user_agent == "X/1"
    assert not settings.allow_private_networks
    monkeypatch.setenv("DQ_ALLOW_PRIVATE_NETWORKS", "1")
    assert load_web_settings(None).allow_private_networks
    assert parse_resolve(["h.test:[::1]", "x:1.2.3.4"]) == {"h.test": "[::1]", "x": "1.2.3.4"}
    assert WebSettings(resolve={"H.Test.": "[::1]"}).resolve == {"h.test": "::1"}


def test_records_csv_in_and_sites_csv_back(site_server: SiteServer, tmp_path: Path) -> None:
    """dq's own records CSV (flags, guarded cells) is read typed; web_sites.csv reads back typed."""
    from dq.tables import read_table, write_table

    host = "mueller-maschinenbau.test"
    records = pd.DataFrame(
        {
            "record_id": ["crm:=1+2"],
            "company_name": ["=Müller"],
            "website": [site_server.url(host)],
            "website_valid": pd.array([True], dtype="boolean"),
        }
    )
    config = tmp_path / "dq.yaml"
    config.write_text("web:\n  per_host_rate: 50\n  allowed_networks: ['127.0.0.1/32']\n")
    sites = {}
    for fmt in ("parquet", "csv"):
        path = write_table(records, tmp_path / "in", "records", fmt)
        args = ["enrich-web", str(path), "-o", str(tmp_path / fmt), "--format", fmt, "-q"]
        args += ["--config", str(config), "--resolve", f"{host}:127.0.0.1", "--no-cache"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        sites[fmt] = read_table(tmp_path / fmt / f"web_sites.{fmt}")
    back, raw = sites["csv"], sites["parquet"]
    assert back["record_id"].tolist() == ["crm:=1+2"] and back["status"].tolist() == ["ok"]
    assert back["pages_fetched"].dtype == raw["pages_fetched"].dtype == "Int64"
    assert str(back["fetched_at"].dtype) == str(raw["fetched_at"].dtype) == "datetime64[ns, UTC]"
    same = [c for c in raw.columns if c not in ("fetched_at", "provenance")]
    pd.testing.assert_frame_equal(back[same], raw[same])

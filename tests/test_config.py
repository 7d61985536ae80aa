"""dq.yaml: strict keys with paths in the message, relative paths, all problems at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from dq.config import load_workspace
from dq.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dq.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_workspace(tmp_path: Path) -> None:
    ws = load_workspace(
        _write(
            tmp_path, "sources:\n  - {name: crm, connector: hubspot-companies, path: data/c.csv}\n"
        )
    )
    assert ws.project.country == "DE"
    assert ws.sources[0].priority == 100
    assert ws.source_files(ws.sources[0]) == [tmp_path.resolve() / "data" / "c.csv"]


def test_folder_is_accepted(tmp_path: Path) -> None:
    _write(tmp_path, "project: {country: at}\n")
    assert load_workspace(tmp_path).project.country == "AT"


def test_globs_match_sorted_files(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for year in (2024, 2022, 2023):
        (tmp_path / "data" / f"EXTF_{year}.csv").write_text("x", encoding="utf-8")
    ws = load_workspace(
        _write(
            tmp_path,
            "sources:\n  - {name: b, connector: datev-buchungsstapel, path: 'data/EXTF_*.csv'}\n",
        )
    )
    assert [p.name for p in ws.source_files(ws.sources[0])] == [
        "EXTF_2022.csv",
        "EXTF_2023.csv",
        "EXTF_2024.csv",
    ]


def test_every_problem_is_reported_with_its_path(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "project: {country: Germany, colour: blue}\n"
        "sources:\n"
        "  - {name: crm, connector: x, path: a.csv}\n"
        "  - {name: Bad Name, conector: x, path: b.csv}\n",
    )
    with pytest.raises(ConfigError) as info:
        load_workspace(path)
    text = str(info.value)
    assert str(path) in text
    assert "project.country" in text
    assert "project.colour: unknown key" in text
    assert "sources[1].conector: unknown key" in text
    assert "sources[1].name" in text
    assert len(info.value.problems) >= 4


def test_duplicate_and_dangling_source_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "sources:\n  - {name: a, connector: x, path: a.csv}\n  - {name: a, connector: x, path: b.csv}\n",
    )
    with pytest.raises(ConfigError, match="used twice"):
        load_workspace(path)
    path = _write(
        tmp_path, "sources:\n  - {name: a, connector: x, path: a.csv, records_of: nope}\n"
    )
    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        load_workspace(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: [\n", "invalid YAML"),
        ("- a\n- b\n", "mapping"),
        ("project: {country: DE", "line"),
    ],
)
def test_malformed_yaml(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_workspace(_write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_workspace(tmp_path / "dq.yaml")


@pytest.mark.parametrize(
    "path",
    [
        "../../../../etc/passwd",
        "/etc/passwd",
        "data/../../outside.csv",
        "../other-project/*.csv",
        "data/*/../../../etc/*",
        "~/kunden.csv",
    ],
)
def test_source_paths_outside_the_workspace_are_refused(tmp_path: Path, path: str) -> None:
    ws_dir = tmp_path / "ws"
    ws_dir.mkdir()
    config = _write(
        ws_dir, f"sources:\n  - {{name: crm, connector: generic-csv, path: '{path}'}}\n"
    )
    with pytest.raises(ConfigError) as err:
        load_workspace(config)
    message = str(err.value)
    assert message.startswith(f"{config}: sources[0].path: source 'crm': {path!r} is outside")
    assert "allow_outside_paths: true" in message


@pytest.mark.parametrize("path", ["data/c.csv", "./data/../c.csv", "data/*.csv", "sub/**/x.csv"])
def test_paths_inside_the_workspace_are_fine(tmp_path: Path, path: str) -> None:
    config = _write(
        tmp_path, f"sources:\n  - {{name: crm, connector: generic-csv, path: '{path}'}}\n"
    )
    assert load_workspace(config).sources[0].path == path


def test_outside_paths_when_allowed(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "c.csv").write_text("x", encoding="utf-8")
    ws_dir = tmp_path / "ws"
    ws_dir.mkdir()
    text = "sources:\n  - {name: crm, connector: generic-csv, path: ../shared/c.csv}\n"
    ws = load_workspace(_write(ws_dir, "allow_outside_paths: true\n" + text))
    assert ws.source_files(ws.sources[0]) == [ws_dir.resolve() / "../shared/c.csv"]


def test_a_link_out_of_the_workspace_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("x", encoding="utf-8")
    ws_dir = tmp_path / "ws"
    (ws_dir / "data").mkdir(parents=True)
    (ws_dir / "data" / "kunden.csv").symlink_to(secret)
    ws = load_workspace(
        _write(ws_dir, "sources:\n  - {name: crm, connector: generic-csv, path: 'data/*.csv'}\n")
    )
    with pytest.raises(ConfigError, match=r"source 'crm': .*kunden\.csv is outside"):
        ws.source_files(ws.sources[0])


def test_ingest_of_an_escaping_path_exits_3_naming_the_source(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dq.cli.app import app

    text = "sources:\n  - {name: crm, connector: generic-csv, path: ../../../../etc/passwd}\n"
    _write(tmp_path, text)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "source 'crm': '../../../../etc/passwd' is outside the workspace" in result.output
    assert not (tmp_path / "out").exists()

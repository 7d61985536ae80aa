"""Matching specs load from the shipped YAML or a user's file, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dq.errors import ConfigError
from dq.match.blocking import load_blocking_keys
from dq.match.comparisons import load_comparisons
from dq.match.spec import read_spec


def test_shipped_specs_load() -> None:
    assert load_blocking_keys()
    assert load_comparisons()


def test_missing_file_names_file_and_spec(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read comparisons") as info:
        read_spec(tmp_path / "nope.yaml", "comparisons.yaml", "comparisons")
    assert "nope.yaml" in str(info.value)


def test_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text("keys: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_blocking_keys(path)

"""Shared fixtures: a clean environment and paths to committed fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment variables dq reads must not leak in from the developer's shell."""
    for name in ("DQ_DEBUG", "DQ_ALLOW_PRIVATE_NETWORKS", "DQ_WORKERS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "120")

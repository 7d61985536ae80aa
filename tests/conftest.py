"""Shared fixtures: a clean environment and paths to committed fixture files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

# Local runs explore new examples every time; CI replays a fixed sequence so that a landing is
# never decided by chance (a new find locally becomes a regression test, not a red CI).
# Found examples are kept outside the checkout: tests write nothing into it.
_EXAMPLES = DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "dq-hypothesis")
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, database=_EXAMPLES)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment variables dq reads must not leak in from the developer's shell."""
    for name in ("DQ_DEBUG", "DQ_ALLOW_PRIVATE_NETWORKS", "DQ_WORKERS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture(scope="session", autouse=True)
def _checkout_stays_clean() -> Iterator[None]:
    """No test writes state into the shipped demo workspace (tests write only under tmp)."""
    state = ROOT / "examples" / "demo" / ".dq"
    existed = state.exists()
    yield
    assert existed or not state.exists(), "a test wrote examples/demo/.dq into the checkout"

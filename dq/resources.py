"""Where the shipped data folders (connector profiles, rule sets) live.

In a wheel they are package data under ``dq/_data``; in a source checkout (editable install,
tests) they are the top-level ``connectors/`` and ``rules/`` folders.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["shipped_dir"]

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The shipped data folder ``name`` ("connectors" or "rules")."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name

"""The vocabularies of validation: quality dimensions and severities (no engine imported)."""

from __future__ import annotations

from typing import Literal

__all__ = ["DIMENSIONS", "SEVERITIES", "Dimension", "Severity"]

Dimension = Literal["completeness", "validity", "uniqueness", "consistency", "timeliness"]
Severity = Literal["error", "warning"]

DIMENSIONS: tuple[Dimension, ...] = (
    "completeness",
    "validity",
    "uniqueness",
    "consistency",
    "timeliness",
)
SEVERITIES: tuple[Severity, ...] = ("error", "warning")

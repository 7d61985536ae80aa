"""GDPR: the deletion concept as data, retention verdicts per customer and contact, privacy
requests as a source, subject access (Art. 15) and redacted copies with an audit log.

Names load on first access so that ``dq.gdpr.settings`` (imported by dq.config) stays free of
pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "GdprSettings": "settings",
    "RetentionPolicy": "policy",
    "RetentionRule": "policy",
    "load_policy": "policy",
    "RetentionResult": "retention",
    "retention": "retention",
    "retention_stage": "stage",
    "match_requests": "requests",
    "GdprRun": "run",
    "run_gdpr": "run",
    "SubjectAccess": "subject",
    "subject_access": "subject",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dq.gdpr' has no attribute {name!r}")
    return getattr(importlib.import_module(f"dq.gdpr.{module}"), name)


def __dir__() -> list[str]:
    return __all__

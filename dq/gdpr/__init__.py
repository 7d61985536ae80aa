"""GDPR: the deletion concept as data, retention verdicts per customer and contact, privacy
requests as a source, subject access (Art. 15) and redacted copies with an audit log.

Names load on first access so that ``dq.gdpr.settings`` (imported by dq.config) stays free of
pandas.
"""

from __future__ import annotations

from typing import Any

from dq._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "GdprSettings": "settings",
    "RetentionPolicy": "policy",
    "RetentionRule": "policy",
    "load_policy": "policy",
    "RetentionResult": "retention",
    "retention_stage": "stage",
    "match_requests": "requests",
    "GdprRun": "run",
    "run_gdpr": "run",
    "SubjectAccess": "subject",
    "subject_access": "subject",
}

__all__ = sorted(_EXPORTS)
_load = lazy_exports(__name__, {k: f"dq.gdpr.{m}" for k, m in _EXPORTS.items()})


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)

"""The pre-CRM-migration audit: a readiness verdict and import files for HubSpot and Salesforce.

:func:`audit` runs the stages read-only and judges; :func:`write_audit` writes the verdict and
the import files (see docs/audit.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dq._lazy import lazy_exports

if TYPE_CHECKING:
    from dq.audit.assess import AuditResult as AuditResult
    from dq.audit.assess import audit as audit
    from dq.audit.assess import write_audit as write_audit
    from dq.audit.settings import AuditSettings as AuditSettings

_EXPORTS: dict[str, str] = {
    "AuditResult": "dq.audit.assess",
    "AuditSettings": "dq.audit.settings",
    "audit": "dq.audit.assess",
    "write_audit": "dq.audit.assess",
}
__all__ = sorted(_EXPORTS)
_load = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)

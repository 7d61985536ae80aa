"""The ``match:`` section of dq.yaml: matching settings plus a ``golden:`` subsection.

Source priorities for survivorship default to the ``priority`` of each entry under ``sources``
(lower wins), so a workspace states them once (:attr:`dq.config.Workspace.golden_settings`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from dq.golden.settings import GoldenSettings
from dq.match.settings import MatchSettings

__all__ = ["MatchSection", "load_match_settings"]


class MatchSection(MatchSettings):
    """``match:`` in dq.yaml: the matching settings and, under ``golden:``, survivorship."""

    golden: GoldenSettings = Field(
        default_factory=GoldenSettings, description="Survivorship and golden-ID settings."
    )

    def matching(self) -> MatchSettings:
        """The matching settings alone."""
        return MatchSettings(**self.model_dump(exclude={"golden"}))


def load_match_settings(path: Path | str) -> tuple[MatchSettings, GoldenSettings]:
    """The ``match`` section (and ``sources[].priority``) of a dq.yaml; the whole file is
    checked as a workspace."""
    from dq.config import load_workspace

    workspace = load_workspace(path)
    return workspace.match.matching(), workspace.golden_settings

"""Conditioned comparisons: a comparison's levels counted separately by another one's level.

See :class:`LevelSplit`. ``parse_split`` reads the ``split`` entry of a comparison spec and
``split_levels`` moves each pair's level into its group once all base levels are known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from dq.match.comparison_spec import Comparison

__all__ = ["LevelSplit", "parse_split", "split_levels"]

LevelArray = npt.NDArray[np.int8]


@dataclass(frozen=True)
class LevelSplit:
    """Condition a comparison on another one (``by``): where ``by`` is at one of a group's
    levels, the comparison's levels count separately (labels get the group's suffix), and each
    group has its own m and u.

    Fellegi–Sunter treats comparisons as independent; some are not. A phone differs between two
    records of one customer mostly because the customer moved, so at the *same* address a
    different phone is strong evidence of two customers (siblings or colleagues sharing an
    office), after a move it is none: ``phone`` is conditioned on ``address``. The weights are
    log2 of P(level | group, match) / P(level | group, non-match), so nothing is counted twice.
    """

    by: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (suffix, levels of ``by``)


def parse_split(raw: Any, label: str, problems: list[str]) -> LevelSplit | None:
    """A comparison's ``split: {by: NAME, groups: {suffix: [levels of NAME]}}``."""
    if raw is None:
        return None
    groups = raw.get("groups") if isinstance(raw, dict) else None
    if (
        not isinstance(raw, dict)
        or set(raw) != {"by", "groups"}
        or not isinstance(groups, dict)
        or not groups
        or not all(isinstance(v, list) and v for v in groups.values())
    ):
        problems.append(f"{label}: split needs `by` and `groups` (suffix: [levels of by])")
        return None
    return LevelSplit(
        by=str(raw["by"]),
        groups=tuple((str(k), tuple(str(w) for w in v)) for k, v in groups.items()),
    )


def split_levels(
    comp: Comparison, levels: dict[str, LevelArray], comparisons: Sequence[Comparison]
) -> LevelArray:
    """``comp``'s levels with its split applied (see :class:`LevelSplit`).

    Without the ``by`` comparison among ``comparisons`` the base levels stay as they are.
    """
    split = comp.split
    assert split is not None
    other = next((c for c in comparisons if c.name == split.by), None)
    if other is None:
        return levels[comp.name]
    base = levels[comp.name]
    out = base.copy()
    step = len(comp.base_labels()) - 1
    for k, (_, when) in enumerate(split.groups):
        hit = (base > 0) & np.isin(levels[other.name], [other.labels().index(w) for w in when])
        out[hit] = base[hit] + (k + 1) * step
    return out

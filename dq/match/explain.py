"""Explanations: a scored pair's weights as one line of text a data steward can read.

"match weight +14.2 (p=0.99995): prior -8.1, VAT ID exact +9.1, phone exact +6.2, city far -1.3"
The prior plus the listed weights add up to the match weight; missing comparisons weigh 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dq.match.model import FSModel

__all__ = ["DISPLAY_NAMES", "explain_pair", "explain_pairs"]

DISPLAY_NAMES: dict[str, str] = {
    "name_core": "name",
    "legal_form": "legal form",
    "person_name": "person",
    "vat_id": "VAT ID",
    "register_number": "register no.",
    "iban": "IBAN",
    "house_number": "house no.",
}


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "\u2212")


def explain_pair(
    pair: Mapping[str, Any] | pd.Series, model: FSModel, *, show_missing: bool = False
) -> str:
    """One line: match weight, probability, prior and each comparison's level and weight.

    ``pair`` is a row of ``ScoredPairs.pairs``. Comparisons are listed by absolute weight,
    strongest first; missing ones are left out unless ``show_missing``.
    """
    parts: list[tuple[float, str]] = []
    for comp in model.comparisons:
        level = int(pair[f"{comp.name}__level"])
        weight = float(pair[f"{comp.name}__weight"])
        if level == 0 and not show_missing:
            continue
        label = comp.labels()[level]
        name = DISPLAY_NAMES.get(comp.name, comp.name.replace("_", " "))
        parts.append((weight, f"{name} {label} {_signed(weight)}"))
    parts.sort(key=lambda item: -abs(item[0]))
    # the prior of the pair's class (older pair tables without the column: the pooled prior)
    prior = float(pair["prior_weight"]) if "prior_weight" in pair else model.prior_weight
    head = (
        f"match weight {_signed(float(pair['match_weight']))} "
        f"(p={float(pair['probability']):.4f}): prior {_signed(prior)}"
    )
    rule = pair.get("hard_rule") if hasattr(pair, "get") else None
    tail = f" [hard rule: {rule}]" if isinstance(rule, str) else ""  # NaN when no rule
    return ", ".join([head, *(text for _, text in parts)]) + tail


def explain_pairs(pairs: pd.DataFrame, model: FSModel) -> list[str]:
    """The explanation of every row of ``pairs`` (meant for review queues, not all pairs)."""
    return [explain_pair(row, model) for _, row in pairs.iterrows()]

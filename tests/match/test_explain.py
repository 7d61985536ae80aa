"""Explanations render the weights that add up to the score."""

from __future__ import annotations

import re

import pandas as pd

from dq.match.explain import explain_pair, explain_pairs
from dq.match.score import score_pairs


def test_explanation_lists_weights_that_add_up(customers: pd.DataFrame) -> None:
    scored = score_pairs(customers.drop(columns="entity"))
    pair = scored.pairs.iloc[0]
    text = explain_pair(pair, scored.model)
    assert text.startswith("match weight ")
    numbers = [float(x.replace("\u2212", "-")) for x in re.findall(r"[+\u2212]\d+\.\d", text)]
    # first number is the match weight, then the prior, then one weight per shown comparison
    assert abs(numbers[0] - sum(numbers[1:])) < 0.05 * len(numbers)
    assert "VAT ID" in text or "name" in text
    assert len(explain_pairs(scored.pairs.head(3), scored.model)) == 3

"""The report's YAML data: labels complete in both languages, a fix hint for every check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dq.checks import CHECKS
from dq.report.render import _data

TEMPLATES = Path(__file__).resolve().parents[2] / "dq" / "report" / "templates"


def test_german_and_english_labels_have_the_same_keys() -> None:
    labels = _data("labels")
    assert set(labels["de"]) == set(labels["en"])


def test_every_label_a_template_uses_exists() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r"\bt\.([a-z_0-9]+)", template.read_text(encoding="utf-8")))
    assert used and used <= set(_data("labels")["en"])


@pytest.mark.parametrize("check", sorted([*CHECKS, "default"]))
def test_every_check_has_a_hint_in_both_languages(check: str) -> None:
    hint = _data("hints").get(check)
    assert hint is not None, f"add a fix hint for {check} to dq/report/data/hints.yaml"
    assert hint.get("de") and hint.get("en")

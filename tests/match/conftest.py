"""A small standardised customer frame with known duplicates, built deterministically."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from stdnum.iso7064 import mod_11_10

_NAMES = [
    "mueller bau",
    "schmidt logistik",
    "quirinius kaffeeroesterei",
    "weber autohaus",
    "becker elektro",
    "hoffmann dachdeckerei",
    "koch catering",
    "richter immobilien",
    "klein metallbau",
    "wolf gartenbau",
    "schroeder druck",
    "neumann software",
    "schwarz reinigung",
    "zimmermann holzbau",
    "braun optik",
    "krueger transporte",
    "hartmann praxisbedarf",
    "lange steuerberatung",
    "werner sanitaer",
    "krause medien",
]
_FORMS = ["GmbH", "GmbH & Co. KG", "AG", "e.K.", "UG", "KG"]
_STREETS = ["hauptstrasse", "bahnhofstrasse", "gartenweg", "schillerstrasse", "lindenallee"]
_CITIES = [("10115", "berlin"), ("80331", "muenchen"), ("50667", "koeln"), ("20095", "hamburg")]
_FIRST = ["anna", "peter", "julia", "thomas", "sabine", "michael"]
_LAST = ["mueller", "schmidt", "meyer", "fischer", "wagner", "quirinius"]


def _typo(rng: np.random.Generator, text: str) -> str:
    if len(text) < 4:
        return text
    i = int(rng.integers(1, len(text) - 1))
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _vat_id(body: int) -> str:
    """A German VAT ID with its check digit: real customers' VAT IDs are valid ones."""
    return f"DE{body}{mod_11_10.calc_check_digit(str(body))}"


def make_records(n_entities: int = 120, seed: int = 7) -> pd.DataFrame:
    """Companies with 1-3 records each (typos, missing fields); ``entity`` is the truth."""
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(n_entities):
        base_name = _NAMES[e % len(_NAMES)]
        name = (
            base_name
            if e < len(_NAMES)
            else f"{base_name} {['nord', 'sued', 'west', 'ost', 'mitte'][e % 5]}"
        )
        postcode, city = _CITIES[int(rng.integers(len(_CITIES)))]
        # namesakes (one name per 20 entities) have websites of their own
        site = name.replace(" ", "-") + (f"-{e // len(_NAMES)}" if e >= len(_NAMES) else "")
        entity = {
            "party_type": "company",
            "name_core": name,
            "legal_form": _FORMS[int(rng.integers(len(_FORMS)))],
            "first_name": _FIRST[int(rng.integers(len(_FIRST)))],
            "last_name": _LAST[int(rng.integers(len(_LAST)))],
            "street": _STREETS[int(rng.integers(len(_STREETS)))],
            "house_number": str(int(rng.integers(1, 200))),
            "postcode": postcode,
            "city": city,
            "country": "DE",
            "phone": f"+4930{int(rng.integers(1_000_000, 9_999_999))}",
            "email": f"info@{site}.de",
            "domain": f"{site}.de",
            "vat_id": _vat_id(int(rng.integers(10_000_000, 99_999_999))),
            "register_court": "Berlin (Charlottenburg)",
            "register_number": f"HRB {int(rng.integers(1000, 99999))}",
            "iban": None,
        }
        copies = int(rng.integers(1, 4))
        for c in range(copies):
            row = dict(entity)
            if c > 0:
                if rng.random() < 0.4:
                    row["name_core"] = _typo(rng, name)
                if rng.random() < 0.3:
                    row["street"] = _typo(rng, row["street"])
                for column in ("vat_id", "register_number", "email", "phone", "first_name"):
                    if rng.random() < 0.4:
                        row[column] = None
            row["record_id"] = f"src{c % 2}:{e}-{c}"
            row["source"] = f"src{c % 2}"
            row["entity"] = e
            rows.append(row)
    return pd.DataFrame(rows).astype("string").astype({"entity": "int64"})


@pytest.fixture(scope="session")
def customers() -> pd.DataFrame:
    return make_records()


def _birth_population(seed: int = 7, n: int = 1500) -> pd.DataFrame:
    """Persons in 40 towns whose dates of birth come from 250 days: thousands of strangers
    share one, as in any large customer file; 300 of them entered twice with a typo."""
    rng = np.random.default_rng(seed)
    firsts = [f"{a}{b}" for a in ("an", "be", "ka", "lo", "mi", "ro") for b in ("na", "ter", "lia")]
    lasts = [f"{a}{b}{c}" for a in "bdfgkm" for b in ("ar", "el", "or", "un") for c in "stnlr"]
    towns = [(f"{10000 + 731 * i}", f"town{i}") for i in range(40)]
    days = pd.date_range("1940-01-01", periods=250, freq="37D")
    rows = []
    for i in range(n):
        postcode, city = towns[rng.integers(len(towns))]
        rows.append(
            {
                "record_id": f"p{i}",
                "party_type": "person",
                "first_name": firsts[rng.integers(len(firsts))],
                "last_name": lasts[rng.integers(len(lasts))] + lasts[rng.integers(len(lasts))],
                "street": f"street{rng.integers(60)}",
                "house_number": str(rng.integers(1, 90)),
                "postcode": postcode,
                "city": city,
                "birth_date": days[rng.integers(len(days))],
                "entity": i,
            }
        )
    for i in range(300):
        twin = dict(rows[i], record_id=f"d{i}")
        name = twin["last_name"]
        at = int(rng.integers(1, len(name) - 1))
        twin["last_name"] = name[:at] + name[at + 1 :]  # a letter dropped
        rows.append(twin)
    # strangers: one first name, one date of birth, other names, other towns
    base = {"party_type": "person", "first_name": "aidan", "birth_date": days[3]}
    rows.append({**base, "record_id": "s1", "last_name": "campbell", "postcode": "4130",
                 "city": "rolleston", "street": "edwards street", "house_number": "41",
                 "entity": -1})  # fmt: skip
    rows.append({**base, "record_id": "s2", "last_name": "webb", "postcode": "6023",
                 "city": "rosewater", "street": "benny place", "house_number": "14",
                 "entity": -2})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def birth_population() -> Callable[..., pd.DataFrame]:
    """Persons whose dates of birth strangers share (``_birth_population``), by seed and size."""
    return _birth_population

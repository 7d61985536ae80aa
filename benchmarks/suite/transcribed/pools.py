"""The generator's tables (``data.yaml``) as numpy arrays ready for vectorised sampling.

Everything here runs once per table entry (a few thousand values), never per record: composite
pools (street names, the long tail of family names) are expanded here so that records only index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.dtypes import StringDType

DATA = Path(__file__).with_name("data.yaml")
# Company names from OffeneRegister: "Data from OpenCorporates / OffeneRegister", CC BY 4.0.
REGISTER = Path(__file__).with_name("offeneregister_names.txt")
COUNTRIES = ("DE", "AT", "CH")
TEXT = StringDType()


def text(values: Any) -> np.ndarray:
    """A numpy array of variable-width strings (the one text dtype of the generator)."""
    return np.asarray(values, dtype=TEXT)


def zipf_weights(n: int, exponent: float = 0.9, offset: float = 2.0) -> np.ndarray:
    """Weights for a list ordered by frequency (rank 1 first), normalised to sum 1."""
    w = 1.0 / (np.arange(n, dtype=float) + offset) ** exponent
    return w / w.sum()


def normalise(weights: Any) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def draw(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices into a weighted pool (inverse-CDF sampling: one uniform per draw)."""
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(cdf) - 1)


def slug(value: str) -> str:
    """A domain or e-mail label from a name: lower case, umlauts spelled out, ASCII only."""
    out = value.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        out = out.replace(a, b)
    out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", out).strip("-")


@dataclass(frozen=True)
class Pool:
    """A weighted list of values (with their slugs for e-mail and domain parts)."""

    values: np.ndarray
    weights: np.ndarray
    slugs: np.ndarray

    @classmethod
    def of(cls, values: list[str], weights: Any = None) -> Pool:
        w = normalise(weights) if weights is not None else np.full(len(values), 1 / len(values))
        return cls(text(values), w, text([slug(v) for v in values]))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return draw(rng, self.weights, size)


@dataclass(frozen=True)
class Cities:
    """Cities of one country with their postcodes and telephone area codes."""

    names: np.ndarray
    area_codes: np.ndarray  # with the trunk 0
    weights: np.ndarray
    postcodes: np.ndarray  # all postcodes, city after city
    first_postcode: np.ndarray  # offset of a city's postcodes in ``postcodes``
    n_postcodes: np.ndarray
    slugs: np.ndarray


@dataclass(frozen=True)
class LegalForms:
    """Legal forms: spellings (canonical first), shortenings and mistaken forms as index tables."""

    names: list[str]
    spellings: list[np.ndarray]
    spelling_country: list[np.ndarray]  # per spelling: the only country using it, "" for all
    short: list[np.ndarray]
    change: list[np.ndarray]  # indices into ``names``
    weights: dict[tuple[str, str], np.ndarray]  # (kind, country) -> weight per name; -1 = none


@dataclass(frozen=True)
class Tables:
    """Every pool and noise table the generator uses."""

    raw: dict[str, Any]
    country_weights: np.ndarray
    cities: dict[str, Cities]
    surnames: dict[str, Pool]
    first_names: dict[str, Pool]
    streets: dict[str, Pool]
    legal: LegalForms
    register_names: np.ndarray  # OffeneRegister names without their legal form
    register_forms: np.ndarray  # legal-form index (-1 none)
    register_spellings: np.ndarray  # index of the spelling used in the register name
    register_slugs: np.ndarray
    lists: dict[str, Pool]  # the plain lists of data.yaml ("trades", "free_mail:DE" …)

    def pool(self, name: str) -> Pool:
        return self.lists[name]


def _cities(rows: list[list[Any]], postcode_len: int) -> Cities:
    names, areas, codes = [], [], []
    weights: list[float] = []
    first: list[int] = []
    count: list[int] = []
    for name, area, weight, postcodes in rows:
        names.append(name)
        areas.append(area)
        weights.append(weight)
        first.append(len(codes))
        count.append(len(postcodes))
        codes.extend(str(p).zfill(postcode_len) for p in postcodes)
    return Cities(
        text(names),
        text(areas),
        normalise(weights),
        text(codes),
        np.asarray(first, dtype=np.int64),
        np.asarray(count, dtype=np.int64),
        text([slug(n) for n in names]),
    )


def _surnames(raw: dict[str, Any], country: str) -> Pool:
    ranked = raw["surnames"][country]
    tail = [p + s for p in raw["surname_prefixes"] for s in raw["surname_suffixes"]]
    tail = [t for t in tail if t not in ranked]
    share = raw["surname_tail_share"]
    weights = np.concatenate(
        [zipf_weights(len(ranked)) * (1 - share), np.full(len(tail), share / len(tail))]
    )
    return Pool.of(ranked + tail, weights)


def _streets(raw: dict[str, Any], country: str) -> Pool:
    spec = raw["streets"]
    suffixes: dict[str, float] = spec["suffixes"][country]
    kinds: dict[str, float] = spec["kinds"]
    values: list[str] = []
    weights: list[float] = []

    def add(items: list[str], weight: float) -> None:
        for item in items:
            values.append(item)
            weights.append(weight / len(items))

    for kind in ("person", "nature", "function"):
        for suffix, w in suffixes.items():
            made = [
                f"{head}-{suffix.capitalize()}" if "-" in head else f"{head}{suffix}"
                for head in spec[kind]
            ]
            add(made, kinds[kind] * w)
    for suffix, w in spec["town_suffixes"].items():
        add([f"{town} {suffix}" for town in spec["town"]], kinds["town"] * w)
    add(list(spec["feature"]), kinds["feature"])
    if country == "CH":  # Swiss spelling has no ß
        values = [v.replace("ß", "ss") for v in values]
    return Pool.of(values, weights)


def _legal_forms(raw: dict[str, Any]) -> LegalForms:
    names = list(raw["legal_forms"])
    index = {name: i for i, name in enumerate(names)}
    spellings, countries, short, change = [], [], [], []
    for name in names:
        spec = raw["legal_forms"][name]
        split = [
            sp.split(":", 1) if sp[:3] in {"AT:", "DE:", "CH:"} else ["", sp]
            for sp in spec["spellings"]
        ]
        spellings.append(text([sp for _, sp in split]))
        countries.append(text([c for c, _ in split]))
        short.append(text(spec.get("short", [])))
        change.append(np.asarray([index[c] for c in spec.get("change", [])], dtype=np.int64))
    weights: dict[tuple[str, str], np.ndarray] = {}
    for kind, by_country in raw["legal_form_weights"].items():
        for country, table in by_country.items():
            w = np.zeros(len(names) + 1)  # last slot: no legal form
            for form, share in table.items():
                w[index[form] if form else len(names)] = share
            weights[(kind, country)] = normalise(w)
    return LegalForms(names, spellings, countries, short, change, weights)


def _register(legal: LegalForms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OffeneRegister company names split into name and legal form (CC BY 4.0, see README)."""
    lines = REGISTER.read_text(encoding="utf-8").splitlines()
    raw_names = [
        name
        for line in lines
        if (name := line.strip().strip('"').strip()) and not line.startswith("#") and len(name) < 70
    ]
    endings = sorted(
        (
            (str(sp), f, s)
            for f, sps in enumerate(legal.spellings)
            for s, sp in enumerate(sps)
            if str(sp) not in {"Gen.", "Genossenschaft"}
        ),
        key=lambda t: -len(t[0]),
    )
    names, forms, spells = [], [], []
    for name in raw_names:
        for ending, f, s in endings:
            if name.endswith(" " + ending) and len(name) > len(ending) + 3:
                names.append(name[: -len(ending) - 1].rstrip(" ,"))
                forms.append(f)
                spells.append(s)
                break
        else:
            names.append(name)
            forms.append(-1)
            spells.append(0)
    return text(names), np.asarray(forms, dtype=np.int64), np.asarray(spells, dtype=np.int64)


_LISTS = (
    "trades", "trade_prefixes", "fantasy_heads", "fantasy_tails", "regions", "role_locals",
    "common_company_names", "company_partners",
)  # fmt: skip


def _lists(raw: dict[str, Any]) -> dict[str, Pool]:
    lists = {name: Pool.of(raw[name]) for name in _LISTS}
    lists |= {f"free_mail:{c}": Pool.of(raw["free_mail"][c]) for c in COUNTRIES}
    return lists


@cache
def load_tables(path: Path = DATA) -> Tables:
    """Read ``data.yaml`` (and the OffeneRegister names) once per process."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    countries = raw["countries"]
    legal = _legal_forms(raw)
    reg_names, reg_forms, reg_spellings = _register(legal)
    male = raw["first_names"]["male"]
    female = raw["first_names"]["female"]
    return Tables(
        raw=raw,
        country_weights=normalise([countries[c]["weight"] for c in COUNTRIES]),
        cities={c: _cities(raw["cities"][c], countries[c]["postcode_len"]) for c in COUNTRIES},
        surnames={c: _surnames(raw, c) for c in COUNTRIES},
        first_names={
            "male": Pool.of(male, zipf_weights(len(male), 0.8)),
            "female": Pool.of(female, zipf_weights(len(female), 0.8)),
        },
        streets={c: _streets(raw, c) for c in COUNTRIES},
        legal=legal,
        register_names=reg_names,
        register_forms=reg_forms,
        register_spellings=reg_spellings,
        register_slugs=text([slug(str(n)) for n in reg_names]),
        lists=_lists(raw),
    )

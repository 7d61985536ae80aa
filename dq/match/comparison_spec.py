"""Comparison specs: which columns, which kind, which scorer and level boundaries, as data.

A :class:`Comparison` is read from ``dq/match/data/comparisons.yaml`` (or a benchmark's own
list) by :func:`parse_comparisons`, which reports every problem at once; its level labels are
fixed here. :mod:`dq.match.comparisons` computes the levels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from dq.errors import ConfigError
from dq.match.spec import read_spec
from dq.match.split import LevelSplit, parse_split

__all__ = [
    "KINDS",
    "SCORERS",
    "Comparison",
    "Kind",
    "LevelArray",
    "load_comparisons",
    "norm_code",
    "parse_comparisons",
]

LevelArray = npt.NDArray[np.int8]

Kind = Literal[
    "string",
    "exact",
    "email",
    "identifier",
    "phone",
    "legal_form",
    "person_name",
    "street",
    "address",
]
KINDS: tuple[str, ...] = get_args(Kind)

# name -> (scorer, divisor that maps its result to 0..1)
SCORERS: dict[str, tuple[Callable[..., Any], float]] = {
    "jaro_winkler": (JaroWinkler.normalized_similarity, 1.0),
    "levenshtein": (Levenshtein.normalized_similarity, 1.0),
    "damerau": (DamerauLevenshtein.normalized_similarity, 1.0),
    "ratio": (fuzz.ratio, 100.0),
    "token_sort": (fuzz.token_sort_ratio, 100.0),
    "token_set": (fuzz.token_set_ratio, 100.0),
    "partial": (fuzz.partial_ratio, 100.0),
}


@dataclass(frozen=True)
class Comparison:
    """One comparison: columns, kind and level boundaries.

    ``string``: exact, then one level per similarity threshold (descending), then far; with
    ``subset`` a level for "all tokens of one side appear in the other" (or one side is the
    other cut off inside a word, as a field-length limit does, or has words abbreviated:
    "Int." for "International").
    ``exact``: exact / different. ``email``: exact / different, where a private (free-mail)
    and a business address are *missing*: two mailboxes of one person, no disagreement.
    ``identifier`` (VAT ID, register number, IBAN): exact /
    typo (one side fails its check, within the first threshold: an OCR error or a transposition)
    / invalid (one side fails its check) / different (both valid: two identifiers for certain).
    ``phone``: the numbers' digits in international form, also for numbers libphonenumber
    rejects: exact / close (first threshold) / invalid (a side is no valid number) / far.
    ``legal_form``: same / compatible (both codes in one group of ``compatible``; groups are
    not merged, so "KG" can be short for two forms that are not compatible with each other) /
    different. ``distinct`` groups list forms that are two companies under one name by design
    (a GmbH and the GmbH & Co. KG it is the general partner of): other different forms can be
    a conversion or a slip, so the ``different_legal_form`` veto lets a shared phone or IBAN
    outweigh them (see :mod:`dq.match.score`).
    ``person_name`` (columns first, last): exact / swapped / initial / close / last only /
    first only (another last name: a marriage, or a colleague) / far.
    ``street`` (columns street, house number): exact / close street same number /
    same street other number / far. ``address`` (street, house number, postcode, city) is one
    hierarchical comparison, so that postcode, city and street, which agree together, are not
    counted three times: exact / same street / same postcode (other street, or a street missing)
    / same city (other street, or a street missing) / far: an unknown street is not another one.
    Level 0 is missing everywhere. ``max_m`` caps m of named levels during EM: domain knowledge
    the data cannot teach without labels ("two records of one person rarely have unrelated
    names"), which keeps EM from learning "same company" where it should learn "same customer".
    ``min_m`` floors m ("customers move: a phone or address differs between two records of one
    customer at least this often"), which keeps correlated changes from counting twice.
    ``contact_evidence`` (``person_name``): for two company records the names are their contact
    persons, so agreeing names count and differing ones are no evidence (level missing).
    ``personal_identifier``: the column identifies one person (a social security or tax
    identification number), so an exact agreement on two person records lifts the
    ``different_names`` veto (a name replaced or changed entirely); the model weighs the pair.
    ``personal_attribute``: a value of one person that others can share (a date of birth):
    agreeing exactly together with one address, or with a ``personal_identifier`` one typo off,
    lifts the ``different_names`` veto as an exact personal identifier does.
    ``random_u``: u stays the random-pair u instead of being refined by EM on the candidates.
    For a value that strangers share only by chance (a date of birth) and that is a blocking key
    on its own: the candidates it adds agree on nothing else, and EM would read their agreement
    as the value's ordinary chance agreement (12 bits of evidence learnt as 4).
    """

    name: str
    kind: Kind
    columns: tuple[str, ...]
    scorer: str = "jaro_winkler"
    thresholds: tuple[float, ...] = (0.92, 0.8)
    subset: bool = False
    tf: bool = False
    tf_levels: tuple[str, ...] = ("exact",)
    compatible: tuple[tuple[str, ...], ...] = ()
    distinct: tuple[tuple[str, ...], ...] = ()
    max_m: tuple[tuple[str, float], ...] = ()
    min_m: tuple[tuple[str, float], ...] = ()
    split: LevelSplit | None = None
    contact_evidence: bool = False
    personal_identifier: bool = False
    personal_attribute: bool = False
    random_u: bool = False
    description: str = ""

    def labels(self) -> list[str]:
        """Level labels, index = level code (a split's groups follow the base levels)."""
        base = self.base_labels()
        if self.split is None:
            return base
        extra = [f"{label}_{suffix}" for suffix, _ in self.split.groups for label in base[1:]]
        return [*base, *extra]

    def level_groups(self) -> npt.NDArray[np.int64]:
        """Group of each level (0, or k for a split's k-th group): m and u sum to 1 within
        each group. The missing level 0 belongs to no group (-1)."""
        n_base = len(self.base_labels())
        groups = np.zeros(len(self.labels()), dtype=np.int64)
        groups[0] = -1
        for k in range(len(self.split.groups) if self.split else 0):
            groups[n_base + k * (n_base - 1) : n_base + (k + 1) * (n_base - 1)] = k + 1
        return groups

    def base_codes(self, levels: LevelArray) -> LevelArray:
        """``levels`` mapped back to the base levels (a split's groups folded together)."""
        if self.split is None:
            return levels
        step = len(self.base_labels()) - 1
        out = levels.astype(np.int8, copy=True)
        over = out > step
        out[over] = (out[over] - 1) % step + 1
        return out

    def base_labels(self) -> list[str]:
        """Level labels before any split."""
        if self.kind == "string":
            close = [f"close>={t:g}" for t in self.thresholds]
            if self.subset:
                close.insert(1 if close else 0, "subset")
            return ["missing", "exact", *close, "far"]
        return list(_FIXED_LABELS[self.kind])


_FIXED_LABELS: dict[str, tuple[str, ...]] = {
    "exact": ("missing", "exact", "different"),
    "email": ("missing", "exact", "different"),
    "identifier": ("missing", "exact", "typo", "invalid", "different"),
    "phone": ("missing", "exact", "close", "invalid", "far"),
    "legal_form": ("missing", "same", "compatible", "different"),
    "person_name": (
        "missing",
        "exact",
        "swapped",
        "initial",
        "close",
        "last_only",
        "first_only",
        "far",
    ),
    "street": ("missing", "exact", "close", "number_differs", "far"),
    "address": (
        "missing",
        "exact",
        "street",
        "postcode",
        "postcode_no_street",
        "city",
        "city_no_street",
        "far",
    ),
}


_DEFAULT_SPEC = "comparisons.yaml"


def load_comparisons(path: Path | str | None = None) -> list[Comparison]:
    """Read comparisons from YAML (``comparisons: [...]``); None reads the shipped spec."""
    data, where = read_spec(path, _DEFAULT_SPEC, "comparisons")
    return parse_comparisons(data, where=where)


_FIELDS = {"name", "kind", "columns", "scorer", "thresholds", "subset", "tf", "compatible"}
_FIELDS |= {"description", "max_m", "min_m", "split", "tf_levels", "contact_evidence"}
_FIELDS |= {"personal_identifier", "personal_attribute", "distinct", "random_u"}


def parse_comparisons(data: Any, *, where: Path | str | None = None) -> list[Comparison]:
    """Build comparisons from parsed YAML, reporting every problem at once."""
    if not isinstance(data, dict) or not isinstance(data.get("comparisons"), list):
        raise ConfigError(where, ["expected a mapping with a list under `comparisons`"])
    problems: list[str] = []
    out: list[Comparison] = []
    for i, raw in enumerate(data["comparisons"]):
        label = f"comparisons[{i}]"
        if not isinstance(raw, dict) or "name" not in raw:
            problems.append(f"{label}: needs a `name`")
            continue
        label = f"{label} ({raw['name']})"
        unknown = set(raw) - _FIELDS
        if unknown:
            problems.append(f"{label}: unknown fields {sorted(unknown)}")
        kind = raw.get("kind", "string")
        if kind not in KINDS:
            problems.append(f"{label}: kind must be one of {', '.join(KINDS)}")
            continue
        columns = raw.get("columns", [raw["name"]])
        columns = tuple(columns) if isinstance(columns, list) else (str(columns),)
        wanted = {"person_name": 2, "street": 2, "address": 4}.get(kind)
        if wanted is not None and len(columns) != wanted:
            problems.append(f"{label}: kind {kind} needs {wanted} columns")
        scorer = raw.get("scorer", "jaro_winkler")
        if any(part not in SCORERS for part in str(scorer).split("+")):
            problems.append(
                f"{label}: unknown scorer {scorer!r}; known: {', '.join(SCORERS)} "
                "(a+b takes the better of two)"
            )
        thresholds = tuple(float(t) for t in raw.get("thresholds", (0.92, 0.8)))
        if list(thresholds) != sorted(thresholds, reverse=True) or any(
            not 0 < t < 1 for t in thresholds
        ):
            problems.append(f"{label}: thresholds must be descending, between 0 and 1")
        compatible, distinct = (
            tuple(tuple(norm_code(v) for v in group) for group in raw.get(key, []))
            for key in ("compatible", "distinct")
        )
        split = parse_split(raw.get("split"), label, problems)
        labels_ok = Comparison(
            name="x",
            kind=kind,
            columns=columns,
            thresholds=thresholds,
            subset=bool(raw.get("subset", False)),
            split=split,
        ).labels()
        tf_levels = tuple(str(v) for v in raw.get("tf_levels", ["exact"]) or [])
        base_ok = Comparison(
            name="x",
            kind=kind,
            columns=columns,
            thresholds=thresholds,
            subset=bool(raw.get("subset", False)),
        ).base_labels()
        if raw.get("tf") and not set(tf_levels) <= {"exact", *base_ok[1:]}:
            problems.append(f"{label}: tf_levels lists level labels ({', '.join(base_ok[1:])})")
        bounds: dict[str, dict[str, float]] = {}
        for key in ("max_m", "min_m"):
            given = raw.get(key, {}) or {}
            if not isinstance(given, dict) or any(
                k not in labels_ok or not 0 < float(v) < 1 for k, v in given.items()
            ):
                problems.append(
                    f"{label}: {key} maps level labels ({', '.join(labels_ok[1:])}) to "
                    "probabilities between 0 and 1"
                )
                given = {}
            bounds[key] = {str(k): float(v) for k, v in given.items()}
        out.append(
            Comparison(
                name=str(raw["name"]),
                kind=kind,
                columns=columns,
                scorer=scorer,
                thresholds=thresholds,
                subset=bool(raw.get("subset", False)),
                tf=bool(raw.get("tf", False)),
                tf_levels=tf_levels,
                compatible=compatible,
                distinct=distinct,
                max_m=tuple(bounds["max_m"].items()),
                min_m=tuple(bounds["min_m"].items()),
                split=split,
                contact_evidence=bool(raw.get("contact_evidence", False)),
                personal_identifier=bool(raw.get("personal_identifier", False)),
                personal_attribute=bool(raw.get("personal_attribute", False)),
                random_u=bool(raw.get("random_u", False)),
                description=str(raw.get("description", "")),
            )
        )
    names = [c.name for c in out]
    if len(set(names)) != len(names):
        problems.append("comparison names must be unique")
    by_name = {c.name: c for c in out}
    for comp in out:
        if comp.split is None:
            continue
        other = by_name.get(comp.split.by)
        if other is None or other.split is not None or other is comp:
            problems.append(
                f"{comp.name}: split.by must name another comparison without a split of its own"
            )
        elif not {w for _, when in comp.split.groups for w in when} <= set(other.labels()):
            problems.append(
                f"{comp.name}: split.groups must list levels of {other.name} "
                f"({', '.join(other.labels())})"
            )
    if problems:
        raise ConfigError(where, problems)
    return out


def norm_code(value: Any) -> str:
    """Case- and punctuation-insensitive form: "GmbH & Co. KG" == "GMBH_CO_KG"."""
    return "".join(ch for ch in str(value).lower() if ch.isalnum())

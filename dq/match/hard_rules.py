"""Hard rules: what identifiers and names decide about a pair whatever its score.

Same valid identifiers make a match, conflicting ones a cannot-link pair; names and legal forms
that contradict veto a pair unless evidence of one party lifts the veto; two companies in
different places are an ``other_place`` link. :func:`dq.match.score.score_pairs` applies them
over the model's bands (docs/matching.md §4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dq.match.columns import ColumnCache, identifier_codes
from dq.match.comparisons import Comparison, ComparisonVectors, form_groups
from dq.match.evidence import personal_email

__all__ = ["HARD_RULES", "categorical", "hard_rule_codes", "hard_rules", "names_agree"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

HARD_RULES = (
    "same_vat_id",
    "same_register",
    "cannot_link",
    "different_names",
    "different_legal_form",
    "other_place",
)

_COURT_PREFIX = r"^\s*(AMTSGERICHT|AMTSG\.?|AG)\s+"
# Comparisons whose *far* level means "the names contradict": the company name decides, and the
# person name where both records are persons (colleagues share the company name) or where a side
# has no company name.
_COMPANY_NAME, _PERSON_NAME = "name_core", "person_name"
# The address comparison whose *far* level means "another place" (neither postcode nor city agree).
_ADDRESS = "address"
# The e-mail comparison: the same personal address is one business's (see ``hard_rule_codes``).
_EMAIL = "email"


def _court_codes(cache: ColumnCache) -> IntArray:
    """Per record an integer code of its register court without "Amtsgericht"/"AG"; -1 if none.

    "AG Karlsruhe", "Amtsgericht Karlsruhe" and "Karlsruhe" are one court: left as spelled, they
    would make a cannot-link pair of two records with the same register number.
    """
    if not cache.has("register_court"):
        return np.full(cache.n, -1, dtype=np.int64)

    def clean(distinct: pd.Series) -> pd.Series:
        text = distinct.str.upper().str.replace(_COURT_PREFIX, "", regex=True)
        text = text.str.replace(r"[\s.\-/()]+", "", regex=True)
        return text.mask(text.str.len() == 0)

    codes, _ = cache.derived("register_court", "court", clean)
    return codes


def hard_rule_codes(
    cache: ColumnCache,
    left: IntArray,
    right: IntArray,
    vectors: ComparisonVectors,
    place_identifiers: Sequence[str] = ("phone", "iban"),
) -> npt.NDArray[np.int8]:
    """Per pair 0 (no rule) or 1 + the index of its rule in :data:`HARD_RULES`.

    Same valid VAT ID (or register number) makes a match unless the names contradict or the
    records are two companies in different places sharing no phone or IBAN (a branch of the
    same legal entity: ``other_place``, the identifier weighed by the model); two
    different valid VAT IDs or register numbers make a cannot-link pair. Where one identifier
    agrees and another differs, no rule fires and the model decides. Names that contradict
    (company name far apart; for two persons the person name) make ``different_names``, and
    legal forms that are known and not compatible ``different_legal_form`` (Müller Bau GmbH is
    not Müller Bau GmbH & Co. KG): not a match whatever else agrees. Evidence of one party lifts
    a veto and leaves the pair to the model: an exact ``personal_identifier`` on two persons
    (names), one address with a shared phone or IBAN on two companies (a renamed company), and
    a shared phone, IBAN or personal e-mail where the legal forms are not ``distinct`` (a
    conversion or a slip, not a GmbH and its GmbH & Co. KG). Two companies in different
    places sharing none of ``place_identifiers`` make ``other_place``: a branch looks like a
    moved company, so clustering uses such a link only to attach a lone record to one group.
    """
    vat = identifier_codes(cache, "vat_id")
    reg = identifier_codes(cache, "register_number")
    court = _court_codes(cache)
    vl, vr = vat[left], vat[right]
    rl, rr = reg[left], reg[right]
    cl, cr = court[left], court[right]
    vat_both = (vl >= 0) & (vr >= 0)
    reg_both = (rl >= 0) & (rr >= 0)
    courts_compatible = (cl < 0) | (cr < 0) | (cl == cr)
    same_vat = vat_both & (vl == vr)
    same_reg = reg_both & (rl == rr) & courts_compatible
    differ = (vat_both & (vl != vr)) | (reg_both & ((rl != rr) | ~courts_compatible))
    party, kinds = cache.derived("party_type", "lower", lambda v: v.str.lower())
    person_code = next((i for i, k in enumerate(kinds) if k == "person"), -2)
    persons = (party[left] == person_code) & (party[right] == person_code)
    # two person records agreeing exactly on a personal identifier are one person whatever
    # their names say (a name replaced or changed entirely): no veto, the model decides
    contradict = _names_contradict(vectors, persons) & ~(persons & _same_person_id(vectors))
    rule = np.zeros(len(left), dtype=np.int8)
    company_code = next((i for i, k in enumerate(kinds) if k == "company"), -2)
    companies = (party[left] == company_code) & (party[right] == company_code)
    # a company renamed keeps its address and its phone or IBAN: two company records at one
    # address sharing one of them are weighed by the model, not vetoed by their names
    contradict &= ~(companies & _same_address(vectors) & _agree_on(vectors, place_identifiers))
    rule[companies & _other_place(vectors, place_identifiers)] = 1 + HARD_RULES.index("other_place")
    for comp in vectors.comparisons:
        if comp.kind == "legal_form":  # level "different": both known and not compatible
            other_form = vectors.levels[comp.name] == comp.labels().index("different")
            # a form that can have changed (converted, or mistyped: "AG" for "GmbH") is no
            # veto where the records share a phone or IBAN; two forms that are two companies
            # under one name by design (``distinct``: a GmbH and its GmbH & Co. KG) always are
            if comp.distinct:
                _, distinct = form_groups(cache, comp, left, right, comp.distinct)
                shared = _agree_on(vectors, place_identifiers)
                shared |= _same_personal_email(cache, left, right, vectors)
                other_form &= distinct | ~shared
            rule[other_form] = 1 + HARD_RULES.index("different_legal_form")
    rule[contradict] = 1 + HARD_RULES.index("different_names")
    rule[differ & ~same_vat & ~same_reg] = 1 + HARD_RULES.index("cannot_link")
    # one legal entity in another place sharing no phone or IBAN is a branch as likely as a
    # move: its identifier is evidence for the model, the pair stays an other_place link
    branch = companies & _other_place(vectors, place_identifiers)
    rule[same_reg & ~differ & ~contradict & ~branch] = 1 + HARD_RULES.index("same_register")
    rule[same_vat & ~differ & ~contradict & ~branch] = 1 + HARD_RULES.index("same_vat_id")
    return rule


def hard_rules(
    records: pd.DataFrame, left: IntArray, right: IntArray, vectors: ComparisonVectors
) -> pd.Categorical:
    """The hard rule of each pair (same_vat_id, same_register, cannot_link; NaN for none)."""
    codes = hard_rule_codes(ColumnCache(records), left, right, vectors)
    return categorical(codes.astype(np.int64) - 1, HARD_RULES)


def categorical(codes: npt.NDArray[Any], categories: Sequence[str]) -> pd.Categorical:
    """A categorical from integer codes (-1 is missing) without a per-value Python loop."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories))  # type: ignore[arg-type]


def _agree_on(vectors: ComparisonVectors, identifiers: Sequence[str]) -> BoolArray:
    """Pairs agreeing exactly on at least one of the comparisons named ``identifiers``."""
    by_name = {c.name: c for c in vectors.comparisons}
    agree = np.zeros(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    for name in identifiers:
        if name in by_name:
            agree |= by_name[name].base_codes(vectors.levels[name]) == 1
    return agree


def _same_personal_email(
    cache: ColumnCache, left: IntArray, right: IntArray, vectors: ComparisonVectors
) -> BoolArray:
    """Pairs with the same e-mail address of one person (not a role mailbox such as info@)."""
    comp = next((c for c in vectors.comparisons if c.name == _EMAIL), None)
    if comp is None or not cache.has(comp.columns[0]):
        return np.zeros(len(left), dtype=bool)
    personal = personal_email(cache, comp.columns[0])
    same: BoolArray = comp.base_codes(vectors.levels[comp.name]) == 1
    return same & personal[left] & personal[right]


def _same_address(vectors: ComparisonVectors) -> BoolArray:
    """Pairs whose address is at its *exact* or *street* level (one building or street)."""
    comp = next((c for c in vectors.comparisons if c.name == _ADDRESS), None)
    if comp is None:
        return np.zeros(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    levels = comp.base_codes(vectors.levels[_ADDRESS])
    same: BoolArray = (levels == 1) | (levels == comp.labels().index("street"))
    return same


def _other_place(vectors: ComparisonVectors, identifiers: Sequence[str]) -> BoolArray:
    """Pairs whose address is at its *far* level and agreeing exactly on no ``identifiers``."""
    comp = next((c for c in vectors.comparisons if c.name == _ADDRESS), None)
    if comp is None:
        return np.zeros(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    other: BoolArray = comp.base_codes(vectors.levels[_ADDRESS]) == comp.labels().index("far")
    return other & ~_agree_on(vectors, identifiers)


def names_agree(vectors: ComparisonVectors) -> BoolArray:
    """Pairs whose company name is exact or at its closest fuzzy level (not *subset*)."""
    by_name = {c.name: c for c in vectors.comparisons}
    comp = by_name.get(_COMPANY_NAME)
    if comp is None:
        return np.ones(len(vectors.levels[vectors.comparisons[0].name]), dtype=bool)
    levels = comp.base_codes(vectors.levels[_COMPANY_NAME])
    agree: BoolArray = (levels == 1) | _at_close_level(comp, levels)
    return agree


def _at_close_level(comp: Comparison, levels: npt.NDArray[Any]) -> BoolArray:
    """Pairs at the comparison's first fuzzy level, where that level is a *close* one."""
    labels = comp.base_labels()
    close: BoolArray = (levels == 2) & (len(labels) > 2 and labels[2].startswith("close"))
    return close


def _same_person_id(vectors: ComparisonVectors) -> BoolArray:
    """Pairs that are one person by what identifies persons, whatever their names say.

    An exact ``personal_identifier``; or an exact ``personal_attribute`` (a date of birth,
    which strangers can share) together with one address or a personal identifier one typo
    off.
    """
    n = len(vectors.levels[vectors.comparisons[0].name]) if vectors.comparisons else 0
    same = np.zeros(n, dtype=bool)
    attribute = np.zeros(n, dtype=bool)
    close_id = np.zeros(n, dtype=bool)
    for comp in vectors.comparisons:
        codes = comp.base_codes(vectors.levels[comp.name])
        if comp.personal_identifier:
            same |= codes == 1
            close_id |= _at_close_level(comp, codes)
        if comp.personal_attribute:
            attribute |= codes == 1
    if attribute.any():
        same |= attribute & (close_id | _same_address(vectors))
    return same


def _names_contradict(vectors: ComparisonVectors, persons: BoolArray) -> BoolArray:
    """Pairs whose deciding name comparison is at its *far* level (see ``_COMPANY_NAME``)."""
    n = len(persons)
    by_name = {c.name: c for c in vectors.comparisons}

    def far(name: str) -> tuple[BoolArray, BoolArray]:
        comp = by_name.get(name)
        if comp is None:
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        levels = comp.base_codes(vectors.levels[name])
        return levels > 0, levels == comp.labels().index("far")

    company_present, company_far = far(_COMPANY_NAME)
    person_present, person_far = far(_PERSON_NAME)
    by_company = company_far | (~company_present & person_far)
    by_person = person_far | (~person_present & company_far)
    return np.where(persons, by_person, by_company)

"""Company names: legal-form recognition, ``name_core`` and person names inside company names.

Legal forms come from ``data/legal_forms.yaml`` (DE, AT, CH, with ISO 20275 ELF codes) and are
found anywhere in the name, the rightmost one winning: ``"Müller Verwaltungs-GmbH"`` → ``GMBH``,
``"Bau AG & Co. KG"`` → ``AG_CO_KG``, ``"Meier UG (haftungsbeschränkt)"`` → ``UG``.
``name_core`` is the name without legal form, owner suffix ("Inh. …") and noise words, folded
with ä→ae (``"Müller & Söhne GmbH"`` → ``"mueller soehne"``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from dq.standardize._tables import load_table
from dq.standardize._vector import factorize_text, map_distinct, map_distinct_frame
from dq.standardize.text import clean_text, clean_text_series, fold

__all__ = [
    "LegalForm",
    "LegalFormMatch",
    "canonical_legal_form",
    "company_columns",
    "company_name_core",
    "elf_code",
    "has_person_name",
    "is_known_legal_form",
    "legal_form_columns",
    "legal_forms",
    "parse_legal_form",
]


@dataclass(frozen=True, slots=True)
class LegalForm:
    """One legal form of the table: canonical ``code``, usual ``label``, ELF codes per country."""

    code: str
    label: str
    elf: dict[str, str]
    personal: str | None
    spellings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LegalFormMatch:
    """A legal form found in a company name, with the name left when it is removed."""

    form: LegalForm
    start: int
    end: int
    rest: str


_CHAR_PATTERNS = {
    ".": r"\.?\s*",
    " ": r"\s*",
    "&": r"\s*(?:&|und|u\.|\+)\s*",
    "-": r"\s*-?\s*",
    "(": r"\(?\s*",
    ")": r"\s*\)?",
    "ä": "(?:ä|ae|a)",
    "ö": "(?:ö|oe|o)",
    "ü": "(?:ü|ue|u)",
    "ß": "(?:ß|ss)",
}
_BEFORE = r"(?<![^\s\-,(/&+])"
_AFTER = r"(?![^\W_])"


def _spelling_pattern(spelling: str) -> str:
    return "".join(_CHAR_PATTERNS.get(ch, re.escape(ch)) for ch in spelling.strip())


@cache
def legal_forms() -> tuple[LegalForm, ...]:
    """The legal-form table, in file order."""
    forms: list[LegalForm] = []
    for entry in load_table("legal_forms")["forms"]:
        forms.append(
            LegalForm(
                code=str(entry["code"]),
                label=str(entry["label"]),
                elf={str(k): str(v) for k, v in (entry.get("elf") or {}).items()},
                personal=entry.get("personal"),
                spellings=tuple(str(s) for s in entry["spellings"]),
            )
        )
    return tuple(forms)


@cache
def _by_code() -> dict[str, LegalForm]:
    return {form.code: form for form in legal_forms()}


@cache
def _search_pattern() -> re.Pattern[str]:
    spellings = sorted({s for form in legal_forms() for s in form.spellings}, key=len, reverse=True)
    body = "|".join(_spelling_pattern(s) for s in spellings)
    return re.compile(rf"{_BEFORE}(?:{body})\.?{_AFTER}", re.IGNORECASE)


@cache
def _form_patterns() -> tuple[tuple[re.Pattern[str], LegalForm], ...]:
    pairs: list[tuple[str, LegalForm]] = [
        (s, form) for form in legal_forms() for s in form.spellings
    ]
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    return tuple(
        (re.compile(rf"(?:{_spelling_pattern(s)})\.?", re.IGNORECASE), form) for s, form in pairs
    )


@cache
def _form_of_text(text: str) -> LegalForm | None:
    stripped = text.strip()
    for pattern, form in _form_patterns():
        if pattern.fullmatch(stripped):
            return form
    return None


def parse_legal_form(name: str) -> LegalFormMatch | None:
    """The rightmost legal form in a company name, or None.

    ``parse_legal_form("Müller Verwaltungs-GmbH").form.code`` → ``"GMBH"``.
    """
    text = clean_text(name)
    last: re.Match[str] | None = None
    for match in _search_pattern().finditer(text):
        last = match
    if last is None:
        return None
    form = _form_of_text(last.group(0))
    if form is None:
        return None
    return LegalFormMatch(form, last.start(), last.end(), _rest_of(text, last.start(), last.end()))


def _rest_of(text: str, start: int, end: int) -> str:
    rest = (text[:start] + " " + text[end:]).strip(" ,-&+")
    return " ".join(rest.split()) if "  " in rest or not rest.isprintable() else rest


@cache
def _tail_pattern() -> str:
    """RE2 pattern of a legal form ending the name; ``sep`` is the character before it."""
    spellings = sorted({s for form in legal_forms() for s in form.spellings}, key=len, reverse=True)
    body = "|".join(_spelling_pattern(s) for s in spellings)
    return rf"(?i)(?P<sep>^|[\s\-,(/&+])(?P<form>(?:{body})\.?)$"


def legal_form_columns(names: pd.Series) -> pd.DataFrame:
    """``code`` of the rightmost legal form in each company name and the ``rest`` of the name.

    Column-wise :func:`parse_legal_form` (same answers; nulls where a name has no legal form):
    names ending in a legal form, nearly all of them, are split with Arrow's RE2 kernels in
    one pass; the others are searched per distinct value.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = factorize_text(clean_text_series(names))
    distinct = pa.array(uniques.to_numpy(dtype=object), type=pa.string())
    code = np.full(len(distinct), None, dtype=object)
    rest = np.full(len(distinct), None, dtype=object)
    pattern = _tail_pattern()
    ends = np.asarray(pc.match_substring_regex(distinct, pattern).to_numpy(zero_copy_only=False))
    ends = ends.astype(bool)
    if ends.any():
        tails = distinct.filter(pa.array(ends))
        found = pc.struct_field(pc.extract_regex(tails, pattern), 1).to_pylist()
        names_found = tails.to_pylist()
        forms = [_form_of_text(str(text)) for text in found]
        code[ends] = [form.code if form else None for form in forms]
        # the form ends the name: the rest is what precedes it (the separator included)
        rest[ends] = [
            _rest_of(name, len(name) - len(text), len(name)) if form else None
            for name, text, form in zip(names_found, found, forms, strict=True)
        ]
    for pos in np.flatnonzero(~ends):
        match = parse_legal_form(str(uniques[int(pos)]))
        if match is not None:
            code[pos], rest[pos] = match.form.code, match.rest
    null = np.array([None], dtype=object)
    picked = np.concatenate([code, null])[codes], np.concatenate([rest, null])[codes]
    return pd.DataFrame(
        {"code": pd.array(picked[0], dtype="string"), "rest": pd.array(picked[1], dtype="string")},
        index=names.index,
    )


def canonical_legal_form(value: str) -> str | None:
    """The canonical code for a legal-form value: a code (``"gmbh"``) or a spelling.

    The whole value must be a legal form (``"G.m.b.H."``, ``"Gesellschaft mit beschränkter
    Haftung"``); a company name is read with :func:`parse_legal_form` instead.
    """
    text = clean_text(value)
    if not text:
        return None
    upper = text.upper().replace(" ", "_")
    if upper in _by_code():
        return upper
    form = _form_of_text(text)
    return form.code if form else None


def elf_code(code: str | None, country: str | None) -> str | None:
    """The ISO 20275 ELF code of a legal form in a country: ``("GMBH", "AT")`` → ``"AXSB"``."""
    if not code:
        return None
    form = _by_code().get(code)
    if form is None:
        return None
    return form.elf.get((country or "DE").upper())


def is_known_legal_form(values: pd.Series) -> pd.Series:
    """Nullable boolean per value: a legal form we know (spelling or code); NA where blank."""
    return map_distinct(
        values,
        lambda v: canonical_legal_form(v) is not None if clean_text(v) else None,
        dtype="boolean",
    )


@cache
def _noise() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = load_table("legal_forms")
    words = sorted((fold(str(w)) for w in table["noise_words"]), key=len, reverse=True)
    noise = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")
    owners = "|".join(re.escape(fold(str(w))) for w in table["owner_markers"])
    owner = re.compile(rf"(?:^|\s)(?:{owners})\b.*$")
    return noise, owner


_UNPARSED: Any = object()


def company_name_core(name: str, match: LegalFormMatch | None = _UNPARSED) -> str | None:
    """Name without legal form, owner part and noise words, folded ä→ae; None if nothing is left.

    ``company_name_core("Bäckerei Schmidt e.K. Inh. Hans Schmidt")`` → ``"baeckerei schmidt"``.
    ``match`` is the result of :func:`parse_legal_form` when the caller already has it.
    """
    if match is _UNPARSED:
        match = parse_legal_form(name)
    return _core_of(match.rest if match else clean_text(name))


def _core_of(text: str) -> str | None:
    """``name_core`` of a name whose legal form is already removed."""
    folded = fold(text, "expanded")
    noise, owner = _noise()
    if any(marker in folded for marker in _owner_markers()):  # the pattern needs one
        folded = owner.sub(" ", folded)
    core = " ".join(noise.sub(" ", folded).split())
    return core or (" ".join(folded.split()) or None)


@cache
def _owner_markers() -> tuple[str, ...]:
    return tuple(fold(str(w)) for w in load_table("legal_forms")["owner_markers"])


def company_columns(
    names: pd.Series, forms: pd.Series, country: pd.Series | None = None
) -> pd.DataFrame:
    """Standardised company columns for cleaned names and legal-form values, aligned to names.

    ``company_name``, ``legal_form`` (canonical code, or the cleaned value when unknown),
    ``legal_form_known``, ``legal_form_elf`` (in the row's ``country``, default DE),
    ``name_core`` and ``personal_data_in_name``. A legal-form value wins over the form read
    from the name.
    """
    names = clean_text_series(names)
    forms = clean_text_series(forms)
    parsed = legal_form_columns(names)
    given = map_distinct_frame(
        forms,
        lambda v: ((code := canonical_legal_form(v)), code or v),
        ["code", "shown"],
    )
    has_form = forms.notna()
    code = given["code"].where(has_form, parsed["code"])
    known = given["code"].notna().astype("boolean").where(has_form, parsed["code"].notna())
    known = known.mask(~has_form & parsed["code"].isna())
    regions = pd.Series("DE", index=names.index) if country is None else country
    basis = parsed["rest"].where(parsed["code"].notna(), names)
    personal = map_distinct(
        names, lambda name, c: has_person_name(name, c), dtype="boolean", other=code
    )
    return pd.DataFrame(
        {
            "company_name": names,
            "legal_form": given["shown"].where(has_form, parsed["code"]),
            "legal_form_known": known,
            "legal_form_elf": map_distinct(code, elf_code, other=regions.fillna("DE")),
            "name_core": map_distinct(basis, _core_of).where(names.notna()),
            "personal_data_in_name": personal,
        },
        index=names.index,
    )


_PERSON_AFTER_TITLE = re.compile(r"\b(?:Dr|Prof|Dipl)\.(?:-\w+\.)?\s*[A-ZÄÖÜ][a-zäöüß]+")
_OWNER = re.compile(r"\b(?:Inh|Inhaber|Inhaberin)\b\.?", re.IGNORECASE)
_NOBLE = re.compile(
    r"(?:graf|gräfin|freiherr|freifrau|baron|fürst|prinz)\s+(?:von|zu)\s+[A-ZÄÖÜ]", re.IGNORECASE
)


def has_person_name(name: str, legal_form: str | Any | None = _UNPARSED) -> bool:
    """True when a company name carries a natural person's name (personal data under GDPR).

    Sole traders (e.K., e.U., Einzelfirma) always do; otherwise an owner part ("Inh. …"), an
    academic title before a name, or a common given name followed by a capitalised word
    ("Hans Müller GmbH", "Anna Schmidt & Partner GbR") counts. ``legal_form`` is the canonical
    code when the caller knows it (None: no legal form); by default it is read from the name.
    """
    code = legal_form
    if code is _UNPARSED:
        match = parse_legal_form(name)
        code = match.form.code if match else None
    form = _by_code().get(code) if code else None
    if form is not None and form.personal == "always":
        return True
    text = clean_text(name)
    lower = text.lower()  # substring tests first: the patterns need these letters
    if ("nh" in lower and _OWNER.search(text)) or (
        ("von" in lower or "zu" in lower) and _NOBLE.search(text)
    ):
        return True
    if ("Dr." in text or "Prof." in text or "Dipl." in text) and _PERSON_AFTER_TITLE.search(text):
        return True
    words = _WORDS.findall(text)
    folded = [word.casefold() for word in words]
    names = _first_name_spellings()
    if names.isdisjoint(folded[:-1]):
        return False
    for index, (first_key, second_key) in enumerate(itertools.pairwise(folded)):
        if words[index + 1][:1].isupper() and first_key in names and second_key not in names:
            return True
    return False


_WORDS = re.compile(r"[\wÄÖÜäöüß\-]+")


@cache
def _first_name_spellings() -> frozenset[str]:
    """Given names case-folded as written and folded (Jürgen, jurgen, juergen)."""
    raw = [str(n) for n in load_table("first_names")["names"]]
    return frozenset(
        {n.casefold() for n in raw} | {fold(n) for n in raw} | {fold(n, "expanded") for n in raw}
    )


def legal_form_table() -> pd.DataFrame:
    """The legal-form table as a DataFrame (code, label, country, elf) for docs and reports."""
    rows: list[dict[str, Any]] = []
    for form in legal_forms():
        for country, elf in sorted(form.elf.items()) or [("", "")]:
            rows.append(
                {"code": form.code, "label": form.label, "country": country, "elf": elf or None}
            )
    return pd.DataFrame(rows)

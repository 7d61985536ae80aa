"""The noise kinds, each with its own rate and random stream, applied in a fixed order.

A kind is drawn per record (or per field of a record) with its rate; it is *applied* only where
it can change something (an OCR confusion needs a confusable character, a dropped legal form
needs one). The log keeps, per kind and field, which records were eligible and which were
changed, so rates can be checked and every disturbed value traced.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np

from benchmarks.suite.transcribed import ids, names, textops
from benchmarks.suite.transcribed.entities import COMPANY, PERSON, SOLE
from benchmarks.suite.transcribed.pools import TEXT, Tables, text
from benchmarks.suite.transcribed.render import PHONE_FORMS, Parts

s = np.strings


@dataclass(frozen=True)
class NoiseRates:
    """Rate of every noise kind: per record, or per field where a kind names fields.

    Kinds limited to some systems in ``data.yaml`` (``noise_scope``: OCR on scanned forms, upper
    case and field limits in the legacy system) apply their rate to those systems' records.
    """

    # what the systems hold
    contact_other: float = 0.12  # a company record names another contact person
    legal_form_drop: float = 0.10
    legal_form_change: float = 0.03  # another legal form (conversion, clerical error)
    legal_form_short: float = 0.30  # "KG" for "GmbH & Co. KG", "UG" (where a shortening exists)
    legal_form_variant: float = 0.25  # "G.m.b.H.", "Gesellschaft mit beschränkter Haftung"
    email_role: float = 0.25  # a company's other address (info@ instead of h.meier@)
    swap_names: float = 0.04  # first and last name swapped
    phonetic: float = 0.06  # per name field: Meier/Mayer, Schmidt/Schmitt
    abbreviation: float = 0.30  # per field: Str./Strasse, Gebr., Dr.-Ing./Dr. Ing., Hr.
    address_joined: float = 0.05  # house number inside the street field
    missing_city: float = 0.05
    missing_postcode: float = 0.05
    phone_missing: float = 0.15
    phone_invalid: float = 0.02  # too short, too long, or without its area code
    phone_typo: float = 0.04
    phone_format: float = 0.60  # written in another form than DIN 5008
    email_missing: float = 0.20
    vat_missing: float = 0.30
    iban_missing: float = 0.40
    vat_error: float = 0.06  # OCR letter, transposition or wrong digit (check digits fail)
    iban_error: float = 0.05
    id_format: float = 0.35  # per identifier: "DE 123 456 789", groups of four, lower case
    country_format: float = 0.10  # "Deutschland", "D", "Österreich", "Schweiz"
    # how the text was typed, scanned and moved between systems
    email_typo: float = 0.03
    typo: float = 0.03  # per field: a key dropped, doubled, swapped or mistyped
    ocr: float = 0.15  # per field of scanned forms: 0/O, 1/l/I, 5/S, 8/B, rn/m
    transliteration: float = 0.08  # ü → ue, ß → ss in the whole record
    diacritics_dropped: float = 0.03  # ü → u
    mojibake: float = 0.03  # UTF-8 read as Windows-1252: "MÃ¼ller" (or "M�ller")
    all_caps: float = 0.30  # of legacy-system records: upper case only
    truncation: float = 0.30  # of legacy-system records: fields cut at its field limits

    @classmethod
    def none(cls) -> NoiseRates:
        """No noise at all: every record of an entity carries the entity's values."""
        return cls(**{f.name: 0.0 for f in fields(cls)})

    def check(self) -> None:
        legal = (
            self.legal_form_drop
            + self.legal_form_change
            + self.legal_form_short
            + self.legal_form_variant
        )
        encoding = self.transliteration + self.diacritics_dropped + self.mojibake
        bad = [f.name for f in fields(self) if not 0.0 <= getattr(self, f.name) <= 1.0]
        if bad or legal > 1 or encoding > 1:
            raise ValueError(
                "noise rates must lie in [0, 1], the four legal_form_* rates and the three "
                f"encoding rates must each sum to at most 1 (bad: {bad or 'sums'})"
            )


@dataclass
class NoiseLog:
    """Per noise key ("ocr:street"): records changed, and records eligible when tracked."""

    n: int
    track: bool
    applied: dict[str, np.ndarray] = field(default_factory=dict)
    eligible: dict[str, np.ndarray] = field(default_factory=dict)

    def add(self, key: str, rows: np.ndarray, eligible: np.ndarray | None) -> None:
        mask = np.zeros(self.n, dtype=bool)
        mask[rows] = True
        self.applied[key] = self.applied.get(key, np.zeros(self.n, dtype=bool)) | mask
        if eligible is not None:
            self.eligible[key] = self.eligible.get(key, np.zeros(self.n, dtype=bool)) | eligible

    def column(self) -> np.ndarray:
        """The keys that changed each record, ";"-joined ("" for an untouched record)."""
        out = names.const("", self.n)
        for key, mask in self.applied.items():
            out[mask] = s.add(s.add(out[mask], np.where(out[mask] == "", "", ";")), key)
        return out


class Noise:
    """Runs the noise kinds over record parts and columns; one random stream per key."""

    def __init__(
        self, rates: NoiseRates, seed: int, t: Tables, source: np.ndarray, track: bool
    ) -> None:
        rates.check()
        self.rates, self.seed, self.t = rates, seed, t
        self.log = NoiseLog(len(source), track)
        self.scope = {
            kind: np.isin(source, text(systems)) for kind, systems in t.raw["noise_scope"].items()
        }

    def rng(self, key: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(key.encode())])

    def each(
        self,
        key: str,
        rate: float,
        can: Callable[[np.ndarray], np.ndarray],
        apply: Callable[[np.ndarray, np.random.Generator], None],
    ) -> None:
        """Draw ``key`` per record with ``rate``; ``apply`` the change to drawn rows it ``can``
        change. ``can`` maps row indices to a mask, ``apply`` edits the given rows in place."""
        rng = self.rng(key)
        n = self.log.n
        hit = np.flatnonzero(rng.random(n) < rate) if rate > 0 else np.zeros(0, dtype=np.int64)
        scope = self.scope.get(key.split(":")[0])

        def can_here(rows: np.ndarray) -> np.ndarray:
            ok = can(rows)
            return ok if scope is None else ok & scope[rows]

        eligible = can_here(np.arange(n)) if self.log.track else None
        rows = hit[can_here(hit)] if len(hit) else hit
        if len(rows):
            apply(rows, rng)
        self.log.add(key, rows, eligible)

    def edit_field(
        self,
        key: str,
        values: np.ndarray,
        rate: float,
        can: Callable[[np.ndarray], np.ndarray],
        edit: Callable[[np.ndarray, np.random.Generator], np.ndarray],
        rows_allowed: np.ndarray | None = None,
    ) -> None:
        """Per-value kind on one array: ``can`` and ``edit`` work on values, not row indices."""

        def can_rows(rows: np.ndarray) -> np.ndarray:
            ok = can(values[rows])
            return ok if rows_allowed is None else ok & rows_allowed[rows]

        def apply(rows: np.ndarray, rng: np.random.Generator) -> None:
            values[rows] = edit(values[rows], rng)

        self.each(key, rate, can_rows, apply)

    def replace_pairs(
        self,
        key: str,
        values: np.ndarray,
        rate: float,
        pairs: list[tuple[str, str]],
        count: int = 1,
        rows_allowed: np.ndarray | None = None,
    ) -> None:
        """A kind that swaps one (old, new) pair of a table in values containing an ``old``."""
        olds = [old for old, _ in pairs]

        def can(v: np.ndarray) -> np.ndarray:
            return textops.contains_any(v, olds)

        def edit(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
            return textops.replace_one_of(v, pairs, rng, count)

        self.edit_field(key, values, rate, can, edit, rows_allowed)


def nonempty(values: np.ndarray) -> np.ndarray:
    return values != ""


def _pairs(table: list[list[str]]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in table]


def parts_noise(nz: Noise, p: Parts) -> None:
    """Kinds that change what a system holds (before the values are written out)."""
    r, t = nz.rates, nz.t
    kind = p["kind"]
    company = (kind == COMPANY) | (kind == SOLE)
    person = kind == PERSON

    def other_contact(rows: np.ndarray, rng: np.random.Generator) -> None:
        fresh = names.people(rng, t, p["country"][rows])
        same = (fresh["first_name"] == p["first_name"][rows]) & (
            fresh["last_name"] == p["last_name"][rows]
        )
        fresh["last_name"][same] = s.add(fresh["last_name"][same], "-Weber")
        for col in ("salutation", "title", "first_name", "last_name"):
            p[col][rows] = fresh[col]

    nz.each("contact_other", r.contact_other, lambda rows: company[rows], other_contact)
    _legal_form_noise(nz, p)

    def role(rows: np.ndarray, rng: np.random.Generator) -> None:
        p["email"][rows] = p["second_email"][rows]

    nz.each(
        "email_role",
        r.email_role,
        lambda rows: company[rows] & (p["second_email"][rows] != "") & (p["email"][rows] != ""),
        role,
    )

    def swap(rows: np.ndarray, rng: np.random.Generator) -> None:
        as_text = rows[p["contact_text"][rows] & ~person[rows]]
        p["contact_swapped"][as_text] = True
        cols = rows[~p["contact_text"][rows] | person[rows]]
        p["first_name"][cols], p["last_name"][cols] = p["last_name"][cols], p["first_name"][cols]

    nz.each(
        "swap_names",
        r.swap_names,
        lambda rows: (
            (p["first_name"][rows] != "") & (p["first_name"][rows] != p["last_name"][rows])
        ),
        swap,
    )
    phonetic = _pairs(t.raw["phonetic"])
    for col in ("last_name", "first_name", "base_name"):
        nz.replace_pairs(f"phonetic:{col}", p[col], r.phonetic, phonetic)
    abbreviations = t.raw["abbreviations"]
    salutation_shown = person | ~p["contact_text"]  # a contact string has no salutation
    for col, table, shown in (
        ("street", "street", None),
        ("base_name", "company", None),
        ("title", "title", None),
        ("salutation", "salutation", salutation_shown),
    ):
        pairs = _pairs(abbreviations[table])
        nz.replace_pairs(f"abbreviation:{col}", p[col], r.abbreviation, pairs, -1, shown)

    def joined(rows: np.ndarray, rng: np.random.Generator) -> None:
        p["street"][rows] = names.join(p["street"][rows], p["house_number"][rows])
        p["house_number"][rows] = ""

    nz.each(
        "address_joined",
        r.address_joined,
        lambda rows: (p["street"][rows] != "") & (p["house_number"][rows] != ""),
        joined,
    )
    for key, col, rate in (
        ("missing_city", "city", r.missing_city),
        ("missing_postcode", "postcode", r.missing_postcode),
        ("phone_missing", "phone_sub", r.phone_missing),
        ("email_missing", "email", r.email_missing),
        ("vat_missing", "vat_id", r.vat_missing),
        ("iban_missing", "iban", r.iban_missing),
    ):
        nz.edit_field(key, p[col], rate, nonempty, lambda v, rng: names.const("", len(v)))
    _phone_noise(nz, p)
    _identifier_noise(nz, p)


def _legal_form_noise(nz: Noise, p: Parts) -> None:
    """Dropped, changed, shortened or respelled legal forms: one of them per record at most."""
    r, legal = nz.rates, nz.t.legal
    rng = nz.rng("legal_form")
    n = nz.log.n
    u = rng.random(n)
    bounds = np.cumsum(
        [r.legal_form_drop, r.legal_form_change, r.legal_form_short, r.legal_form_variant]
    )
    which = np.searchsorted(bounds, u, side="right")  # 0 drop, 1 change, 2 short, 3 variant
    form = p["legal_form"]
    has = (form >= 0) & (p["base_name"] != "")
    n_short = np.asarray([len(x) for x in legal.short])
    n_change = np.asarray([len(x) for x in legal.change])
    f = np.maximum(form, 0)
    country = p["country"]
    n_spell = np.zeros(n, dtype=np.int64)  # spellings in use in the record's country
    for code in ("DE", "AT", "CH"):
        here = country == code
        usable = [((c == "") | (c == code)).sum() for c in legal.spelling_country]
        n_spell[here] = np.asarray(usable)[f[here]]
    can = {
        "legal_form_drop": has,
        "legal_form_change": has & (n_change[f] > 0),
        "legal_form_short": has & (n_short[f] > 0),
        "legal_form_variant": has & (n_spell > 1),
    }
    suffix = p["legal_suffix"]
    pick = rng.random(n)
    for k, key in enumerate(can):
        rows = np.flatnonzero((which == k) & can[key])
        if key == "legal_form_drop":
            suffix[rows] = ""
        for row_form in np.unique(form[rows]):
            sel = rows[form[rows] == row_form]
            choice = (pick[sel] * 1e6).astype(np.int64)
            if key == "legal_form_change":
                targets = legal.change[row_form][choice % len(legal.change[row_form])]
                canon = text([str(legal.spellings[x][0]) for x in targets])
                suffix[sel] = canon
            elif key == "legal_form_short":
                suffix[sel] = legal.short[row_form][choice % len(legal.short[row_form])]
            elif key == "legal_form_variant":
                options, where = legal.spellings[row_form], legal.spelling_country[row_form]
                usable = ((where == "") | (where == country[sel][:, None])) & (
                    options != suffix[sel][:, None]
                )
                weights = usable * (rng.random(usable.shape) + 1e-9)
                suffix[sel] = options[np.argmax(weights, axis=1)]
        nz.log.add(key, rows, can[key] if nz.log.track else None)


def _phone_noise(nz: Noise, p: Parts) -> None:
    r, area, sub = nz.rates, p["phone_area"], p["phone_sub"]

    def invalid(rows: np.ndarray, rng: np.random.Generator) -> None:
        mode = rng.integers(0, 4, len(rows))
        short = rows[mode == 0]
        sub[short] = s.slice(sub[short], 0, rng.integers(1, 3, len(short)))
        long = rows[mode == 1]
        sub[long] = s.add(sub[long], rng.integers(1_000_000, 10_000_000, len(long)).astype(TEXT))
        area[rows[mode == 2]] = ""  # dialled locally, written without area code
        wrong = rows[mode == 3]  # an area code no network uses
        for code, unused in nz.t.raw["unassigned_area_codes"].items():
            sel = wrong[p["country"][wrong] == code]
            area[sel] = text(unused)[rng.integers(0, len(unused), len(sel))]

    nz.each("phone_invalid", r.phone_invalid, lambda rows: sub[rows] != "", invalid)
    nz.edit_field(
        "phone_typo",
        sub,
        r.phone_typo,
        lambda v: s.str_len(v) >= 3,
        textops.digit_typo,
    )

    def form(rows: np.ndarray, rng: np.random.Generator) -> None:
        p["phone_form"][rows] = rng.integers(1, len(PHONE_FORMS), len(rows))

    nz.each(
        "phone_format", r.phone_format, lambda rows: (sub[rows] != "") & (area[rows] != ""), form
    )


def _identifier_noise(nz: Noise, p: Parts) -> None:
    r, country = nz.rates, p["country"]
    _id_errors(nz, "vat_error", p["vat_id"], country, r.vat_error, ids.VAT_LAYOUT)
    _id_errors(nz, "iban_error", p["iban"], country, r.iban_error, ids.IBAN_LAYOUT)
    _written_forms(nz, "id_format:vat", p["vat_id"] != "", p["vat_form"], r.id_format, 4)
    _written_forms(nz, "id_format:iban", p["iban"] != "", p["iban_form"], r.id_format, 3)
    _written_forms(nz, "country_format", country != "", p["country_form"], r.country_format, 5)


def _id_errors(
    nz: Noise,
    key: str,
    values: np.ndarray,
    country: np.ndarray,
    rate: float,
    layout: dict[str, tuple[int, int]],
) -> None:
    def corrupt(rows: np.ndarray, rng: np.random.Generator) -> None:
        hit = np.ones(len(rows), dtype=bool)
        values[rows] = ids.corrupt(values[rows], country[rows], hit, rng, layout)

    nz.each(key, rate, lambda rows: values[rows] != "", corrupt)


def _written_forms(
    nz: Noise, key: str, present: np.ndarray, form: np.ndarray, rate: float, n_forms: int
) -> None:
    """Pick one of ``n_forms`` written forms (1..n; 0 is the plain one) for present values."""

    def pick(rows: np.ndarray, rng: np.random.Generator) -> None:
        form[rows] = rng.integers(1, n_forms + 1, len(rows))

    nz.each(key, rate, lambda rows: present[rows], pick)


# the text columns that typing, scanning and moving between systems disturb
TYPED = ("company_name", "first_name", "last_name", "contact_person", "street", "city")
SCANNED = ("company_name", "last_name", "street", "postcode", "house_number")
ENCODED = (
    "company_name",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "contact_person",
    "street",
    "city",
    "country",
)


def column_noise(nz: Noise, c: dict[str, np.ndarray]) -> None:
    """Kinds that disturb the written text: typing, OCR, encodings, legacy systems."""
    r, t = nz.rates, nz.t
    domain_typos = _pairs(t.raw["email_domain_typos"])
    rows_qwertz = t.raw["qwertz_rows"]

    def long_enough(v: np.ndarray) -> np.ndarray:
        return s.str_len(v) >= 3

    def email_typo(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        table = rng.random(len(v)) < 0.5
        out = textops.keyboard_typo(v, rng, rows_qwertz)
        out[table] = textops.replace_one_of(v[table], domain_typos, rng)
        return out

    nz.edit_field("email_typo", c["email"], r.email_typo, long_enough, email_typo)

    def typo(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return textops.keyboard_typo(v, rng, rows_qwertz)

    for col in TYPED:
        nz.edit_field(f"typo:{col}", c[col], r.typo, long_enough, typo)
    ocr = _pairs(t.raw["ocr"])
    for col in SCANNED:
        nz.replace_pairs(f"ocr:{col}", c[col], r.ocr, ocr)
    _encoding_noise(nz, c)

    def caps(rows: np.ndarray, rng: np.random.Generator) -> None:
        for col in (*ENCODED, "email"):
            c[col][rows] = s.upper(c[col][rows])

    def has_lower(rows: np.ndarray) -> np.ndarray:
        return np.any([c[col][rows] != s.upper(c[col][rows]) for col in ENCODED], axis=0)

    nz.each("all_caps", r.all_caps, has_lower, caps)
    limits = t.raw["field_limits"]
    which = nz.rng("field_limits").integers(0, len(limits), nz.log.n)
    limit = {col: np.asarray([lim[col] for lim in limits])[which] for col in limits[0]}

    def too_long(rows: np.ndarray) -> np.ndarray:
        return np.any([s.str_len(c[col][rows]) > limit[col][rows] for col in limit], axis=0)

    def cut(rows: np.ndarray, rng: np.random.Generator) -> None:
        for col in limit:
            c[col][rows] = textops.truncate(c[col][rows], limit[col][rows])

    nz.each("truncation", r.truncation, too_long, cut)


def _encoding_noise(nz: Noise, c: dict[str, np.ndarray]) -> None:
    """Transliterated, stripped or garbled umlauts: at most one of them per record."""
    r, t = nz.rates, nz.t
    translit: dict[str, str] = t.raw["transliteration"]
    dropped: dict[str, str] = t.raw["dropped_diacritics"]
    special = list(translit)
    mojibake = {ch: ch.encode("utf-8").decode("cp1252", "replace") for ch in special}
    broken = {ch: "\ufffd" for ch in special}  # Windows-1252 bytes read as UTF-8
    rng = nz.rng("encoding")
    n = nz.log.n
    which = np.searchsorted(
        np.cumsum([r.transliteration, r.diacritics_dropped, r.mojibake]), rng.random(n), "right"
    )
    garbled = rng.random(n) < 0.85
    hit = np.flatnonzero(which < 3)
    special_hit = np.any([textops.contains_any(c[col][hit], special) for col in ENCODED], axis=0)
    eligible = None
    if nz.log.track:
        eligible = np.any([textops.contains_any(c[col], special) for col in ENCODED], axis=0)
    for k, key in enumerate(("transliteration", "diacritics_dropped", "mojibake")):
        rows = hit[special_hit & (which[hit] == k)]
        for col in ENCODED:
            v = c[col][rows]
            if key == "transliteration":
                c[col][rows] = textops.map_chars(v, translit)
            elif key == "diacritics_dropped":
                c[col][rows] = textops.map_chars(v, dropped)
            else:
                g = garbled[rows]
                v[g] = textops.map_chars(v[g], mojibake)
                v[~g] = textops.map_chars(v[~g], broken)
                c[col][rows] = v
        nz.log.add(key, rows, eligible)

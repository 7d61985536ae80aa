"""Source records of the true world in ``b2b_entities``: what four systems hold about it.

- ``erp`` (ERP / DATEV debtors): one account per company, sometimes a second one (created
  again by another clerk); legal form in the name, often upper case without umlauts, VAT ID
  and IBAN, switchboard phone, the "Ansprechpartner" as free text (whoever was the contact
  when the account was opened — it differs between accounts of one company);
- ``crm`` (CRM accounts): names as sales reps type them (legal form shortened or left out),
  website, industry, employees, phone in international forms, sometimes a second account;
- ``crm_contacts`` (CRM contacts): one row per contact person with the company name as text,
  a direct line with extension, mobile, business e-mail; some persons twice (imports);
- ``webform`` (web forms): contact persons who filled in a form: lower-case names, typos,
  the company name without legal form, a private e-mail instead of the business one.

Shares of each defect are the module's constants (``P``), one place to read the noise mix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from stdnum import iban as std_iban

from benchmarks.suite import noise
from benchmarks.suite.b2b_entities import Vocab, _cat, _pick, _weighted
from benchmarks.suite.identifiers import corrupt_digits, vat_valid
from benchmarks.suite.phones import LANDLINE_FORMATS, MOBILE_FORMATS, render

# the noise mix: share of records (of those with a value) that get each defect
P = {
    "erp_account": 0.85,
    "erp_second": 0.08,
    "crm_account": 0.75,
    "crm_second": 0.12,
    "contact_crm": 0.92,
    "contact_crm_second": 0.12,
    "contact_web": 0.18,
    "old_record": 0.4,  # share of a renamed/moved company's records made before the event
    "erp_upper": 0.08,
    "erp_mojibake": 0.02,
    "name_typo": 0.04,
    "name_translit": 0.05,
    "crm_no_form": 0.2,
    "crm_form_column": 0.1,
    "und": 0.3,
    "street_abbrev": 0.35,
    "street_with_number": 0.15,
    "street_typo": 0.03,
    "postcode_ocr": 0.01,
    "postcode_lost_zero": 0.4,
    "city_short": 0.4,
    "city_typo": 0.02,
    "vat_erp": 0.9,
    "vat_crm": 0.3,
    "vat_damaged": 0.04,
    "iban_erp": 0.75,
    "iban_damaged": 0.01,
    "phone_erp": 0.85,
    "phone_crm": 0.8,
    "fax_erp": 0.25,
    "register_erp": 0.25,
    "contact_person_erp": 0.45,
    "person_typo": 0.04,
    "person_translit": 0.05,
    "person_mojibake": 0.01,
    "web_lower": 0.12,
    "web_swap": 0.03,
    "web_private_mail": 0.2,
}
MISSING = {  # share of records without the value although the entity has it
    "erp": {"city": 0.02, "postcode": 0.01, "email": 0.5},
    "crm": {"city": 0.06, "postcode": 0.03, "street": 0.05, "email": 0.6, "website": 0.3},
}


class DefectLog:
    """Which defects and events each record got: the optional ``defects`` column."""

    def __init__(self, n: int) -> None:
        self.tags = np.full(n, "", dtype=object)

    def add(self, mask: np.ndarray, tag: str) -> None:
        self.tags[mask] = self.tags[mask] + tag + ";"

    def column(self) -> np.ndarray:
        out = pd.Series(self.tags, dtype=object).str.rstrip(";")
        return out.where(out != "", None).to_numpy(dtype=object)


def _damage(
    rng: np.random.Generator,
    values: np.ndarray,
    share: float,
    fn: Callable[[Sequence[str]], list[str]],
    where: np.ndarray | None = None,
) -> np.ndarray:
    """Apply ``fn`` in place to a random ``share`` of the non-null values (within ``where``);
    return where a value changed."""
    mask = pd.notna(values) & (rng.random(len(values)) < share)
    if where is not None:
        mask &= where
    changed = np.zeros(len(values), dtype=bool)
    if mask.any():
        new = np.array(fn(list(values[mask])), dtype=object)
        changed[mask] = new != values[mask]
        values[mask] = new
    return changed


def _blank(
    rng: np.random.Generator, values: np.ndarray, share: float, where: np.ndarray
) -> np.ndarray:
    """Null a random ``share`` of the values within ``where``; return where a value was lost."""
    mask = where & (rng.random(len(values)) < share)
    lost = mask & pd.notna(values)
    values[mask] = None
    return lost


def _spell_forms(
    rng: np.random.Generator, vocab: Vocab, country: np.ndarray, form: np.ndarray
) -> np.ndarray:
    out = np.full(len(form), "", dtype=object)
    for c, forms in vocab.raw["legal_forms"].items():
        for f, spec in forms.items():
            mask = (country == c) & (form == f)
            if mask.any():
                out[mask] = _weighted(rng, spec["spellings"], int(mask.sum()))
    return out


def _with_form(core: np.ndarray, spelled: np.ndarray) -> np.ndarray:
    return np.where(spelled == "", core, _cat(core, " ", spelled))


def _abbreviate_street(rng: np.random.Generator, vocab: Vocab, streets: np.ndarray) -> np.ndarray:
    rules = vocab.raw["street_abbreviations"]
    w = np.array([r[2] for r in rules], dtype=float)
    pick = rng.choice(len(rules), size=len(streets), p=w / w.sum())
    out = pd.Series(streets, dtype=object)
    for k, (pattern, repl, _) in enumerate(rules):
        m = pick == k
        out[m] = out[m].str.replace(pattern, repl, regex=True)
    return out.to_numpy(dtype=object)


_CITY_TAIL = re.compile(r" am | im | in der | bei | \(")


def _short_city(values: Sequence[str]) -> list[str]:
    """ "Frankfurt am Main" → "Frankfurt", "Frankenthal (Pfalz)" → "Frankenthal"."""
    return [_CITY_TAIL.split(v, maxsplit=1)[0] for v in values]


def company_records(rng: np.random.Generator, vocab: Vocab, comp: pd.DataFrame) -> pd.DataFrame:
    """ERP debtor and CRM account rows of every company."""
    n = len(comp)
    n_erp = (rng.random(n) < P["erp_account"]).astype(int) + (rng.random(n) < P["erp_second"])
    n_crm = (rng.random(n) < P["crm_account"]).astype(int) + (rng.random(n) < P["crm_second"])
    n_erp[(n_erp + n_crm) == 0] = 1
    idx = np.concatenate([np.repeat(np.arange(n), n_erp), np.repeat(np.arange(n), n_crm)])
    erp = np.arange(len(idx)) < n_erp.sum()
    crm = ~erp
    c = comp.iloc[idx].reset_index(drop=True)
    m = len(c)
    country = c["country"].to_numpy(dtype=object)
    old = rng.random(m) < P["old_record"]
    renamed_old = old & c["old_core"].notna().to_numpy()
    moved_old = old & c["moved"].to_numpy(bool)

    log = DefectLog(m)
    log.add(c["kind"].to_numpy() != "company", "look_alike")
    log.add(renamed_old, "old_name")
    log.add(moved_old, "old_address")
    core = np.where(renamed_old, c["old_core"].to_numpy(dtype=object), c["core"].to_numpy())
    form = c["form"].to_numpy(dtype=object)
    spelled = _spell_forms(rng, vocab, country, form)
    spelled[crm & (rng.random(m) < P["crm_no_form"])] = ""
    form_col = np.full(m, None, dtype=object)
    as_column = crm & (rng.random(m) < P["crm_form_column"]) & (form != "")
    form_col[as_column] = form[as_column]
    spelled[as_column] = ""
    log.add(as_column, "legal_form_column")
    log.add((spelled == "") & (form != "") & ~as_column, "no_legal_form")
    log.add((spelled == "KG") & (form == "GmbH & Co. KG"), "legal_form_short")
    name = _with_form(core, spelled)
    amp = pd.Series(name).str.contains(" & ", regex=False).to_numpy() & crm
    und = _damage(rng, name, P["und"], lambda v: [x.replace(" & ", " und ", 1) for x in v], amp)
    log.add(und, "und")
    upper = erp & (rng.random(m) < P["erp_upper"])
    name[upper] = noise.upper_ascii(list(name[upper]))
    log.add(upper, "upper_case")
    log.add(_damage(rng, name, P["erp_mojibake"], noise.mojibake, erp & ~upper), "mojibake")
    log.add(_damage(rng, name, P["name_typo"], lambda v: noise.typo(rng, v)), "name_typo")
    log.add(_damage(rng, name, P["name_translit"], noise.transliterate, ~upper), "translit")

    def addr(key: str) -> np.ndarray:
        cur = c[key].to_numpy(dtype=object).copy()
        if f"old_{key}" in c:
            cur[moved_old] = c[f"old_{key}"].to_numpy(dtype=object)[moved_old]
        return cur

    street, house = addr("street"), addr("house_number")
    ab = rng.random(m) < P["street_abbrev"]
    before = street[ab].copy()
    street[ab] = _abbreviate_street(rng, vocab, street[ab])
    log.add(np.isin(np.arange(m), np.flatnonzero(ab)[street[ab] != before]), "street_abbrev")
    joined = erp & (rng.random(m) < P["street_with_number"])
    street[joined] = _cat(street[joined], " ", house[joined])
    house[joined] = None
    log.add(joined, "street_with_number")
    log.add(_damage(rng, street, P["street_typo"], lambda v: noise.typo(rng, v)), "street_typo")
    street[upper] = noise.upper_ascii(list(street[upper]))
    postcode = addr("postcode")
    ocr = _damage(rng, postcode, P["postcode_ocr"], lambda v: noise.ocr(rng, v), erp)
    log.add(ocr, "postcode_ocr")
    zero = crm & pd.Series(postcode).str.startswith("0", na=False).to_numpy()
    lost = _damage(
        rng, postcode, P["postcode_lost_zero"], lambda v: [x.lstrip("0") for x in v], zero
    )
    log.add(lost, "postcode_lost_zero")
    city = addr("city")
    log.add(_damage(rng, city, P["city_short"], _short_city), "city_short")
    log.add(_damage(rng, city, P["city_typo"], lambda v: noise.typo(rng, v)), "city_typo")
    city[upper] = noise.upper_ascii(list(city[upper]))
    for src, mask in (("erp", erp), ("crm", crm)):
        gaps = MISSING[src]
        log.add(_blank(rng, city, gaps["city"], mask), "no_city")
        log.add(_blank(rng, postcode, gaps["postcode"], mask), "no_postcode")
        if "street" in gaps:
            log.add(_blank(rng, street, gaps["street"], mask), "no_street")
            house[mask & pd.isna(street)] = None
    country_out = country.copy()
    country_out[erp & (country == "DE") & (rng.random(m) < 0.5)] = None
    names = {"DE": "Deutschland", "AT": "Österreich", "CH": "Schweiz"}
    spelled_country = crm & (rng.random(m) < 0.15)
    country_out[spelled_country] = pd.Series(country[spelled_country]).map(names).to_numpy()

    # phones: the switchboard (old number for records before a move)
    area, sub = addr("area"), addr("sub")
    cc = c["cc"].to_numpy(dtype=object)
    ext = c["switchboard"].to_numpy(dtype=object)
    fmt = rng.integers(0, len(LANDLINE_FORMATS), size=m)
    phone = render(LANDLINE_FORMATS, fmt, cc, area, sub, ext)
    phone[erp & (rng.random(m) > P["phone_erp"])] = None
    phone[crm & (rng.random(m) > P["phone_crm"])] = None
    fax = render(LANDLINE_FORMATS, fmt, cc, area, sub, np.full(m, "99", dtype=object))
    fax[~erp | (rng.random(m) > P["fax_erp"])] = None

    domain = c["domain"].to_numpy(dtype=object)
    has_domain = pd.notna(domain)
    role = _pick(rng, vocab.pool("role_mailboxes"), m)
    email = np.where(has_domain, _cat(role, "@", np.where(has_domain, domain, "")), None)
    for src, mask in (("erp", erp), ("crm", crm)):
        _blank(rng, email, MISSING[src]["email"], mask)
    web_form = rng.integers(0, 4, size=m)
    prefix = np.array(["www.", "https://www.", "", "http://"], dtype=object)[web_form]
    website = np.where(has_domain & crm, _cat(prefix, np.where(has_domain, domain, "")), None)
    _blank(rng, website, MISSING["crm"]["website"], crm)

    vat, vat_damaged = _vat_ids(rng, c["vat"].to_numpy(dtype=object), erp, crm)
    log.add(vat_damaged, "vat_damaged")
    iban = c["iban"].to_numpy(dtype=object).copy()
    iban[~erp | (rng.random(m) > P["iban_erp"])] = None
    log.add(
        _damage(rng, iban, P["iban_damaged"], _damage_ids(rng, _iban_any_valid)), "iban_damaged"
    )
    grouped = pd.notna(iban) & (rng.random(m) < 0.5)
    iban[grouped] = pd.Series(iban[grouped]).str.replace(r"(.{4})", r"\1 ", regex=True).str.strip()

    court = c["register_court"].to_numpy(dtype=object).copy()
    number = c["register_number"].to_numpy(dtype=object).copy()
    keep = erp & pd.notna(number) & (rng.random(m) < P["register_erp"])
    court[~keep], number[~keep] = None, None
    style = rng.integers(0, 3, size=m)
    court[keep & (style == 0)] = _cat("Amtsgericht ", court[keep & (style == 0)])
    court[keep & (style == 1)] = _cat("AG ", court[keep & (style == 1)])
    nospace = keep & (rng.random(m) < 0.3)
    number[nospace] = pd.Series(number[nospace]).str.replace(" ", "", regex=False).to_numpy()

    industry = np.where(crm & (rng.random(m) < 0.5), c["industry"].to_numpy(dtype=object), None)
    employees = np.where(crm & (rng.random(m) < 0.35), c["employees"].to_numpy(), None)
    created = c["created"].to_numpy() + rng.integers(0, 900, m).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "source": np.where(erp, "erp", "crm"),
            "party_type": "company",
            "company_name": name,
            "legal_form": form_col,
            "register_court": court,
            "register_number": number,
            "vat_id": vat,
            "industry": industry,
            "employees": employees,
            "street": street,
            "house_number": house,
            "postcode": postcode,
            "city": city,
            "country": country_out,
            "email": email,
            "phone": phone,
            "fax": fax,
            "website": website,
            "iban": iban,
            "created_at": created,
            "company_row": idx,
            "defects": log.column(),
        }
    )


def _iban_any_valid(values: np.ndarray) -> np.ndarray:
    """ISO 13616 check that also converts letters (an OCR 'O' may pass by chance)."""
    return np.array([std_iban.is_valid(v) for v in values], dtype=bool)


def _damage_ids(
    rng: np.random.Generator, valid: Callable[[np.ndarray], np.ndarray]
) -> Callable[[Sequence[str]], list[str]]:
    def damage(values: Sequence[str]) -> list[str]:
        kinds = rng.integers(0, 3, size=len(values))
        return corrupt_digits(rng, list(values), kinds, valid)

    return damage


def _vat_ids(
    rng: np.random.Generator, vat: np.ndarray, erp: np.ndarray, crm: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    m = len(vat)
    out = vat.copy()
    out[erp & (rng.random(m) > P["vat_erp"])] = None
    out[crm & (rng.random(m) > P["vat_crm"])] = None
    # a damaged VAT ID always fails its check digit
    damaged = _damage(rng, out, P["vat_damaged"], _damage_ids(rng, vat_valid))
    s = pd.Series(out, dtype=object)
    style = rng.integers(0, 6, size=m)
    spaced = s.str.replace(r"^(DE)(\d{3})(\d{3})(\d{3})$", r"\1 \2 \3 \4", regex=True)
    swiss = s.str.replace(r"^CHE(\d{3})(\d{3})(\d{3})$", r"CHE-\1.\2.\3 MWST", regex=True)
    s = s.where(style != 1, spaced).where(style != 2, s.str.lower())
    s = s.where(~s.str.startswith("CHE", na=False) | (style > 3), swiss)
    return s.to_numpy(dtype=object), damaged


def person_records(
    rng: np.random.Generator,
    vocab: Vocab,
    comp: pd.DataFrame,
    people: pd.DataFrame,
    crm_keys: np.ndarray,
) -> pd.DataFrame:
    """CRM contact and web-form rows of every contact person."""
    n = len(people)
    n_crm = (rng.random(n) < P["contact_crm"]).astype(int) + (
        rng.random(n) < P["contact_crm_second"]
    )
    n_web = (rng.random(n) < P["contact_web"]).astype(int)
    n_crm[(n_crm + n_web) == 0] = 1
    idx = np.concatenate([np.repeat(np.arange(n), n_crm), np.repeat(np.arange(n), n_web)])
    crm = np.arange(len(idx)) < n_crm.sum()
    web = ~crm
    p = people.iloc[idx].reset_index(drop=True)
    c = comp.iloc[p["company"].to_numpy()].reset_index(drop=True)
    m = len(p)
    first, last = p["first"].to_numpy(dtype=object).copy(), p["last"].to_numpy(dtype=object).copy()
    log = DefectLog(m)
    for values in (first, last):
        log.add(
            _damage(rng, values, P["person_typo"], lambda v: noise.typo(rng, v), crm), "name_typo"
        )
        typo_web = _damage(rng, values, 2 * P["person_typo"], lambda v: noise.typo(rng, v), web)
        log.add(typo_web, "name_typo")
        log.add(_damage(rng, values, P["person_translit"], noise.transliterate), "translit")
        log.add(_damage(rng, values, P["person_mojibake"], noise.mojibake, crm), "mojibake")
    lower = web & (rng.random(m) < P["web_lower"])
    log.add(lower, "lower_case")
    first[lower] = pd.Series(first[lower], dtype=object).str.lower().to_numpy()
    last[lower] = pd.Series(last[lower], dtype=object).str.lower().to_numpy()
    swap = web & (rng.random(m) < P["web_swap"])
    first[swap], last[swap] = last[swap], first[swap].copy()
    log.add(swap, "names_swapped")

    old = rng.random(m) < P["old_record"]
    core = np.where(
        old & c["old_core"].notna().to_numpy(),
        c["old_core"].to_numpy(dtype=object),
        c["core"].to_numpy(dtype=object),
    )
    spelled = _spell_forms(rng, vocab, c["country"].to_numpy(dtype=object), c["form"].to_numpy())
    spelled[rng.random(m) < np.where(web, 0.6, 0.4)] = ""
    company = _with_form(core, spelled)
    log.add(_damage(rng, company, 0.08, lambda v: noise.typo(rng, v), web), "company_typo")
    _damage(rng, company, 0.1, lambda v: [x.lower() for x in v], web)
    no_company = rng.random(m) < np.where(web, 0.3, 0.05)
    company[no_company] = None
    log.add(no_company, "no_company_name")

    email = p["email"].to_numpy(dtype=object).copy()
    private = web & (rng.random(m) < P["web_private_mail"])
    email[private] = p["private_email"].to_numpy(dtype=object)[private]
    log.add(private, "private_email")
    email[rng.random(m) < np.where(web, 0.05, 0.1)] = None

    cc, area = c["cc"].to_numpy(dtype=object), c["area"].to_numpy(dtype=object)
    direct = p["direct"].to_numpy(dtype=object)
    ext = np.where(direct != "", direct, c["switchboard"].to_numpy(dtype=object))
    phone = render(
        LANDLINE_FORMATS,
        rng.integers(0, len(LANDLINE_FORMATS), m),
        cc,
        area,
        c["sub"].to_numpy(dtype=object),
        ext,
    )
    has_mobile = p["has_mobile"].to_numpy(bool)
    mobile = render(
        MOBILE_FORMATS,
        rng.integers(0, len(MOBILE_FORMATS), m),
        cc,
        p["mobile_pfx"].to_numpy(dtype=object),
        p["mobile"].to_numpy(dtype=object),
    )
    web_mobile = web & has_mobile & (rng.random(m) < 0.5)
    phone[web_mobile] = mobile[web_mobile]
    log.add(web_mobile, "mobile_as_phone")
    phone[rng.random(m) > np.where(web, 0.5, 0.75)] = None
    mobile[~crm | ~has_mobile | (rng.random(m) > 0.35)] = None

    with_address = rng.random(m) < np.where(web, 0.0, 0.35)
    with_postcode = with_address | (web & (rng.random(m) < 0.3))
    street = np.where(with_address, c["street"].to_numpy(dtype=object), None)
    house = np.where(with_address, c["house_number"].to_numpy(dtype=object), None)
    postcode = np.where(with_postcode, c["postcode"].to_numpy(dtype=object), None)
    city = np.where(with_postcode, c["city"].to_numpy(dtype=object), None)
    salutation = np.where(p["female"].to_numpy(bool), "Frau", "Herr").astype(object)
    salutation[rng.random(m) > np.where(web, 0.5, 0.75)] = None
    title = p["title"].to_numpy(dtype=object).copy()
    title[(title == "") | (rng.random(m) > np.where(web, 0.3, 0.7))] = None
    position = np.where(crm & (rng.random(m) < 0.6), p["position"].to_numpy(dtype=object), None)
    ref = crm_keys[p["company"].to_numpy()]
    ref = np.where(crm & (rng.random(m) < 0.7), ref, None)
    created = c["created"].to_numpy() + rng.integers(0, 2000, m).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "source": np.where(crm, "crm_contacts", "webform"),
            "party_type": "person",
            "company_name": company,
            "salutation": salutation,
            "title": title,
            "first_name": first,
            "last_name": last,
            "position": position,
            "company_ref": ref,
            "street": street,
            "house_number": house,
            "postcode": postcode,
            "city": city,
            "country": np.where(with_address, c["country"].to_numpy(dtype=object), None),
            "email": email,
            "phone": phone,
            "mobile": mobile,
            "created_at": created,
            "person_row": idx,
            "company_row": p["company"].to_numpy(),
            "defects": log.column(),
        }
    )

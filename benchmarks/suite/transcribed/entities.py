"""The true customers behind the records: companies, private persons and sole traders in DE/AT/CH.

Every attribute is drawn for all entities at once (index arrays into the pools, strings joined
column-wise). Look-alike non-duplicates (family members at one address, father and son of the
same name, branches of a chain in other cities, very common company names) are separate entities
that copy some attributes of another entity.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from benchmarks.suite.transcribed import ids, names
from benchmarks.suite.transcribed.pools import COUNTRIES, TEXT, Tables, draw, text

COMPANY, PERSON, SOLE = 0, 1, 2
KIND_NAMES = ("company", "person", "sole_trader")
NONE, FAMILY, JUNIOR, BRANCH, COMMON = 0, 1, 2, 3, 4
LOOKALIKE_NAMES = ("none", "family", "junior", "branch", "common_name")

s = np.strings


@dataclass(frozen=True)
class LookalikeRates:
    """How often a non-duplicate look-alike is made (share of the entities it can come from)."""

    family: float = 0.06  # another person of the same family at a person's address and phone
    junior: float = 0.01  # a son with his father's first and last name, address and phone
    branch: float = 0.03  # a company gets 1-3 branches: same name, other city
    common_name: float = 0.03  # a company is named like many others ("Müller GmbH")


@dataclass
class Entities:
    """One row per true customer; text columns are numpy string arrays ("" = none).

    For companies and sole traders the person columns hold the contact person (the owner of a
    sole trader); for private persons, the person.
    """

    kind: np.ndarray
    lookalike: np.ndarray
    parent: np.ndarray  # the entity a look-alike copies from, -1 for none
    country: np.ndarray
    city: np.ndarray
    city_slug: np.ndarray
    postcode: np.ndarray
    street: np.ndarray
    house_number: np.ndarray
    sex: np.ndarray  # 0 male, 1 female
    salutation: np.ndarray
    title: np.ndarray
    first_name: np.ndarray
    last_name: np.ndarray
    first_slug: np.ndarray
    last_slug: np.ndarray
    base_name: np.ndarray  # company name without legal form ("" for persons)
    legal_form: np.ndarray  # index into Tables.legal.names, -1 none
    spelling: np.ndarray  # index of the legal form's spelling the company itself uses
    domain: np.ndarray
    email: np.ndarray
    second_email: np.ndarray  # a company's other address (role or personal), "" for persons
    phone_area: np.ndarray  # area code or mobile prefix without the trunk 0
    phone_sub: np.ndarray
    vat_id: np.ndarray
    iban: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)

    def take(self, idx: np.ndarray) -> Entities:
        return Entities(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    def concat(self, other: Entities) -> Entities:
        return Entities(
            **{
                f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                for f in fields(self)
            }
        )


def _address(rng: np.random.Generator, t: Tables, country: np.ndarray) -> dict[str, np.ndarray]:
    n = len(country)
    out = {k: names.const("", n) for k in ("city", "city_slug", "postcode", "street", "area")}
    for code in COUNTRIES:
        rows = np.flatnonzero(country == code)
        cities = t.cities[code]
        c = draw(rng, cities.weights, len(rows))
        pc = cities.first_postcode[c] + (rng.random(len(rows)) * cities.n_postcodes[c]).astype(int)
        out["city"][rows] = cities.names[c]
        out["city_slug"][rows] = cities.slugs[c]
        out["postcode"][rows] = cities.postcodes[pc]
        out["area"][rows] = s.slice(cities.area_codes[c], 1, None)
        out["street"][rows], _ = names.pick(rng, t.streets[code], len(rows))
    number = np.minimum(np.ceil(rng.lognormal(2.6, 1.0, n)), 280).astype(np.int64)
    hn = number.astype(TEXT)
    u = rng.random(n)
    letter = text(["a", "b", "c"])[rng.integers(0, 3, n)]
    hn = np.where(u < 0.07, s.add(hn, letter), hn)
    hn = np.where((u >= 0.07) & (u < 0.09), s.add(s.add(hn, "-"), (number + 2).astype(TEXT)), hn)
    door = (country == "AT") & (rng.random(n) < 0.2)  # Viennese "Stiege/Tür"
    hn = np.where(door, s.add(s.add(hn, "/"), rng.integers(1, 25, n).astype(TEXT)), hn)
    out["house_number"] = hn.astype(TEXT)
    return out


def _phones(
    rng: np.random.Generator, t: Tables, country: np.ndarray, area: np.ndarray, mobile: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Area code (or mobile prefix) and subscriber number, valid per the national plans."""
    n = len(country)
    area = area.copy()
    length = np.zeros(n, dtype=np.int64)
    for code in COUNTRIES:
        rows = country == code
        lo, hi = t.raw["fixed_nsn_length"][code]
        length[rows] = rng.integers(lo, hi + 1, int(rows.sum())) - s.str_len(area[rows])
        mob = np.flatnonzero(rows & mobile)
        table = t.raw["mobile"][code]
        choice = rng.integers(0, len(table), len(mob))
        area[mob] = text([p for p, _ in table])[choice]
        length[mob] = np.asarray([k for _, k in table])[choice]
    digits = rng.integers(0, 10, (n, 9))
    digits[:, 0] = rng.integers(2, 10, n)  # subscriber numbers do not start with 0 or 1
    full = np.ascontiguousarray((digits + 48).astype(np.uint8)).view("S9").ravel().astype(TEXT)
    return area, s.slice(full, 0, length)


def _legal_forms(
    rng: np.random.Generator, t: Tables, kind: np.ndarray, country: np.ndarray, form: np.ndarray
) -> np.ndarray:
    form = form.copy()
    for k, kname in ((COMPANY, "company"), (SOLE, "sole_trader")):
        for code in COUNTRIES:
            rows = np.flatnonzero((kind == k) & (country == code) & (form == -2))
            f = draw(rng, t.legal.weights[(kname, code)], len(rows))
            form[rows] = np.where(f == len(t.legal.names), -1, f)
    form[(form == -2) | (kind == PERSON)] = -1
    return form


def _fresh(
    rng: np.random.Generator,
    t: Tables,
    n: int,
    kind: np.ndarray | None = None,
    country: np.ndarray | None = None,
) -> Entities:
    """``n`` independent entities (of the given kinds and countries where given)."""
    raw = t.raw
    if kind is None:
        kind = draw(rng, np.asarray(list(raw["entity_kinds"].values()), float), n).astype(np.int8)
    if country is None:
        country = text(COUNTRIES)[draw(rng, t.country_weights, n)]
    addr = _address(rng, t, country)
    person = names.people(rng, t, country)
    comp = np.flatnonzero(kind == COMPANY)
    company = names.company_names(rng, t, country[comp])
    base, slug = names.const("", n), names.const("", n)
    form, spelling = np.full(n, -2, dtype=np.int64), np.zeros(n, dtype=np.int64)
    base[comp], slug[comp] = company["name"], company["slug"]
    form[comp], spelling[comp] = company["form"], company["spelling"]
    run = (company["surname"] != "") & (rng.random(len(comp)) < 0.5)  # owner is the contact
    person["last_name"][comp[run]] = company["surname"][run]
    person["last_slug"][comp[run]] = company["surname_slug"][run]
    sole = kind == SOLE
    owners = {k: v[sole] for k, v in person.items()}
    base[sole], slug[sole] = names.sole_trader_names(rng, t, owners)
    form = _legal_forms(rng, t, kind, country, form)
    mobile = rng.random(n) < np.select([kind == PERSON, sole], [0.35, 0.15], 0.03)
    area, sub = _phones(rng, t, country, addr["area"], mobile)
    domain = _domains(rng, raw, kind, country, slug, addr["city_slug"])
    private = (kind == PERSON) | (sole & (rng.random(n) < 0.4))
    email, second = names.emails(rng, t, country, person, domain, private)
    vat_share = np.zeros(n)
    for k, kname in enumerate(KIND_NAMES):
        for code in COUNTRIES:
            vat_share[(kind == k) & (country == code)] = raw["vat_share"][kname][code]
    iban_share = np.asarray([raw["iban_share"][k] for k in KIND_NAMES])[kind]
    return Entities(
        kind=kind,
        lookalike=np.zeros(n, dtype=np.int8),
        parent=np.full(n, -1, dtype=np.int64),
        country=country,
        city=addr["city"],
        city_slug=addr["city_slug"],
        postcode=addr["postcode"],
        street=addr["street"],
        house_number=addr["house_number"],
        sex=person["sex"],
        salutation=person["salutation"],
        title=person["title"],
        first_name=person["first_name"],
        last_name=person["last_name"],
        first_slug=person["first_slug"],
        last_slug=person["last_slug"],
        base_name=base,
        legal_form=form,
        spelling=spelling,
        domain=domain,
        email=email,
        second_email=second,
        phone_area=area,
        phone_sub=sub,
        vat_id=np.where(rng.random(n) < vat_share, ids.vat_ids(rng, country), "").astype(TEXT),
        iban=np.where(rng.random(n) < iban_share, ids.ibans(rng, country), "").astype(TEXT),
    )


def _domains(
    rng: np.random.Generator,
    raw: dict[str, Any],
    kind: np.ndarray,
    country: np.ndarray,
    slug: np.ndarray,
    city_slug: np.ndarray,
) -> np.ndarray:
    """One domain per company, never two companies on one: mueller-bau.de, else
    mueller-bau-koeln.de, else mueller-bau-koeln2.de."""
    tld = names.by_country(raw["tld"], country)
    with_city = s.add(names.join(slug, city_slug, sep="-"), tld)
    domain = np.where(rng.random(len(kind)) < 0.35, with_city, s.add(slug, tld))
    domain = np.where(kind == PERSON, "", domain).astype(TEXT)
    return _unique_domains(domain, with_city, kind != PERSON)


def _unique_domains(domain: np.ndarray, fallback: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Later holders of a taken domain move to ``fallback``, numbered if that is taken too."""
    idx = np.flatnonzero(rows)
    d = domain[idx]
    taken = names.occurrence(d) > 0
    d[taken] = fallback[idx][taken]
    out = domain.copy()
    out[idx] = _claim(names.const("", 0), d)
    return out


def _claim(taken: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``wanted`` domains, unique among themselves and not in ``taken``: later ones numbered."""
    out = wanted.copy()
    for attempt in range(2, 50):
        rank = names.occurrence(np.concatenate([taken, out]))[len(taken) :]
        dup = rank > 0
        if not dup.any():
            break
        out[dup] = names.numbered(wanted[dup], rank[dup] + attempt, before=".")
    return out


def _rehost(email: np.ndarray, domain: np.ndarray) -> np.ndarray:
    """The same local parts at another domain ("" stays "")."""
    local = s.partition(email, text("@"))[0]
    return np.where(email == "", "", s.add(s.add(local, "@"), domain)).astype(TEXT)


def _rehost_if(email: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Addresses at domain ``old`` moved to domain ``new``; others unchanged."""
    at_old = s.endswith(email, s.add("@", old)) & (old != "")
    return np.where(at_old, _rehost(email, new), email).astype(TEXT)


def _common_names(rng: np.random.Generator, t: Tables, e: Entities, rate: float) -> None:
    """Rename a share of the companies to very common names (in place)."""
    rows = np.flatnonzero((e.kind == COMPANY) & (rng.random(len(e)) < rate))
    name, slug = names.common_names(rng, t, len(rows))
    e.base_name[rows] = name
    tld = names.by_country(t.raw["tld"], e.country[rows])
    domain = s.add(names.join(slug, e.city_slug[rows], sep="-"), tld)
    others = np.setdiff1d(np.flatnonzero(e.domain != ""), rows)
    domain = _claim(e.domain[others], domain)
    e.email[rows] = _rehost_if(e.email[rows], e.domain[rows], domain)
    e.second_email[rows] = _rehost_if(e.second_email[rows], e.domain[rows], domain)
    e.domain[rows] = domain
    e.lookalike[rows] = COMMON


def _redraw_equal(
    rng: np.random.Generator, fresh: np.ndarray, parent: np.ndarray, pool: np.ndarray
) -> np.ndarray:
    """Replace values equal to the parent's by other values of the pool."""
    out = fresh.copy()
    for _ in range(20):
        same = np.flatnonzero(out == parent)
        if not len(same):
            break
        out[same] = pool[rng.integers(0, len(pool), len(same))]
    return out


def _copy(dst: Entities, src: Entities, rows: np.ndarray, columns: tuple[str, ...]) -> None:
    for col in columns:
        getattr(dst, col)[rows] = getattr(src, col)[rows]


def _lookalikes(
    rng: np.random.Generator, t: Tables, base: Entities, rates: LookalikeRates
) -> Entities | None:
    """Non-duplicates that copy attributes of a base entity (their ``parent``)."""
    n = len(base)
    u = rng.random((3, n))
    family = np.flatnonzero((base.kind == PERSON) & (u[0] < rates.family))
    junior = np.flatnonzero((base.kind == PERSON) & (base.sex == 0) & (u[1] < rates.junior))
    chains = np.flatnonzero((base.kind == COMPANY) & (u[2] < rates.branch))
    branch = np.repeat(chains, rng.integers(1, 4, len(chains)))
    parents = np.concatenate([family, junior, branch])
    if not len(parents):
        return None
    what = np.repeat(
        np.array([FAMILY, JUNIOR, BRANCH], dtype=np.int8), [len(family), len(junior), len(branch)]
    )
    kids = _fresh(rng, t, len(parents), base.kind[parents], base.country[parents])
    p = base.take(parents)
    kids.lookalike, kids.parent = what, parents
    home = np.flatnonzero(what != BRANCH)  # same address and landline as the parent
    _copy(kids, p, home, ("city", "city_slug", "postcode", "street", "house_number"))
    _copy(kids, p, home, ("last_name", "last_slug"))
    landline = home[~s.startswith(p.phone_area[home], "1")]  # mobiles: DE 15x-17x, CH 7x, AT 6x
    landline = landline[~np.isin(p.phone_area[landline], ["76", "77", "78", "79"])]
    landline = landline[~s.startswith(p.phone_area[landline], "6")]
    _copy(kids, p, landline, ("phone_area", "phone_sub"))
    fam = np.flatnonzero(what == FAMILY)
    first_pool = np.concatenate([t.first_names["male"].values, t.first_names["female"].values])
    kids.first_name[fam] = _redraw_equal(rng, kids.first_name[fam], p.first_name[fam], first_pool)
    kids.first_slug[fam] = names.slugs_of(kids.first_name[fam])
    jun = np.flatnonzero(what == JUNIOR)
    _copy(kids, p, jun, ("sex", "salutation", "first_name", "first_slug"))
    # e-mail addresses of family members and sons follow their (copied) names
    person = {"first_slug": kids.first_slug[home], "last_slug": kids.last_slug[home]}
    private = np.ones(len(home), dtype=bool)
    kids.email[home], _ = names.emails(
        rng, t, kids.country[home], person, kids.domain[home], private
    )
    br = np.flatnonzero(what == BRANCH)
    kids.email[br] = _rehost_if(kids.email[br], kids.domain[br], p.domain[br])
    kids.second_email[br] = _rehost_if(kids.second_email[br], kids.domain[br], p.domain[br])
    _copy(kids, p, br, ("base_name", "legal_form", "spelling", "domain"))
    shared = br[rng.random(len(br)) < t.raw["branch_shared_vat"]]
    _copy(kids, p, shared, ("vat_id",))
    kids.vat_id[br[p.vat_id[br] == ""]] = ""
    for _ in range(20):  # a branch is in another city: move it until it is
        same_city = br[kids.city[br] == p.city[br]]
        if not len(same_city):
            break
        moved = _fresh(rng, t, len(same_city), kids.kind[same_city], kids.country[same_city])
        for col in ("city", "city_slug", "postcode", "street", "house_number"):
            getattr(kids, col)[same_city] = getattr(moved, col)
        kids.phone_area[same_city], kids.phone_sub[same_city] = moved.phone_area, moved.phone_sub
    return kids


def _unique_contacts(rng: np.random.Generator, e: Entities) -> None:
    """No two entities share an e-mail address, phone, VAT ID or IBAN unless meant to (in place).

    Branches keep the chain's role addresses and, where drawn so, its VAT ID; family members
    and sons keep the landline of the home they share.
    """
    branch = e.lookalike == BRANCH
    rows = np.flatnonzero((e.email != "") & ~branch)
    occ = names.occurrence(e.email[rows])
    dup = rows[occ > 0]
    e.email[dup] = names.numbered(e.email[dup], occ[occ > 0] + 1, before="@")
    shared_vat = branch & (e.vat_id == e.vat_id[np.maximum(e.parent, 0)]) & (e.parent >= 0)
    for col, make, keep in (("vat_id", ids.vat_ids, shared_vat), ("iban", ids.ibans, None)):
        values = getattr(e, col)
        for _ in range(10):
            rows = np.flatnonzero((values != "") & (True if keep is None else ~keep))
            dup = rows[names.occurrence(values[rows]) > 0]
            if not len(dup):
                break
            values[dup] = make(rng, e.country[dup])


def _unique_phones(rng: np.random.Generator, e: Entities) -> None:
    home = (e.lookalike == FAMILY) | (e.lookalike == JUNIOR)
    at_home = home & (e.parent >= 0)
    p = np.maximum(e.parent, 0)
    shared = at_home & (e.phone_area == e.phone_area[p]) & (e.phone_sub == e.phone_sub[p])
    for _ in range(10):
        rows = np.flatnonzero(~shared)
        number = s.add(s.add(e.phone_area[rows], "/"), e.phone_sub[rows])
        dup = rows[names.occurrence(number) > 0]
        if not len(dup):
            break
        digits = rng.integers(0, 10, (len(dup), 9))
        digits[:, 0] = rng.integers(2, 10, len(dup))
        fresh = np.ascontiguousarray((digits + 48).astype(np.uint8)).view("S9").ravel()
        e.phone_sub[dup] = s.slice(fresh.astype(TEXT), 0, s.str_len(e.phone_sub[dup]))


def draw_entities(
    rng: np.random.Generator, t: Tables, n_records: int, rates: LookalikeRates
) -> tuple[Entities, np.ndarray]:
    """The true entities and how many records each has (the sizes sum to ``n_records``).

    Entities are drawn with a margin; a random subset whose sizes add up to exactly ``n_records``
    keeps its records (the last one gives up some), the others get none, so look-alikes are not
    cut preferentially. A look-alike's parent may be among those without records.
    """
    table = t.raw["cluster_sizes"]
    values = np.asarray([int(k) for k in table], dtype=np.int64)
    probs = np.asarray(list(table.values()), float)
    mean = float((values * probs).sum() / probs.sum())
    extra = 0.33 * rates.family + 0.17 * rates.junior + 1.04 * rates.branch
    n_base = int(n_records / mean / (1 + extra) * 1.1) + 20
    while True:
        base = _fresh(rng, t, n_base)
        _common_names(rng, t, base, rates.common_name)
        kids = _lookalikes(rng, t, base, rates)
        ent = base if kids is None else base.concat(kids)
        sizes = values[draw(rng, probs, len(ent))]
        order = rng.permutation(len(ent))
        total = np.cumsum(sizes[order])
        if total[-1] >= n_records:
            break
        n_base *= 2
    _unique_contacts(rng, ent)
    _unique_phones(rng, ent)
    last = int(np.searchsorted(total, n_records))
    sizes[order[last]] -= int(total[last]) - n_records
    sizes[order[last + 1 :]] = 0  # drawn but not needed: no records
    return ent, sizes

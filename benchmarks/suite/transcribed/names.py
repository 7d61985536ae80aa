"""Names of persons and companies, drawn column-wise with their slugs (for e-mail and domains).

Every function returns a value array and the matching slug array; slugs are composed from the
pools' precomputed slugs, so no string is slugified per record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.suite.transcribed.pools import COUNTRIES, TEXT, Pool, Tables, draw, text

s = np.strings


def join(*parts: np.ndarray, sep: str = " ") -> np.ndarray:
    """Join string arrays with ``sep``, skipping empty parts."""
    out = parts[0]
    for part in parts[1:]:
        glue = np.where((out == "") | (part == ""), "", sep).astype(TEXT)
        out = s.add(s.add(out, glue), part)
    return out


def const(value: str, n: int) -> np.ndarray:
    return np.full(n, value, dtype=TEXT)


def pick(rng: np.random.Generator, pool: Pool, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` weighted draws from ``pool``: values and their slugs."""
    idx = pool.sample(rng, n)
    return pool.values[idx], pool.slugs[idx]


def surnames(
    rng: np.random.Generator, t: Tables, country: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    n = len(country)
    values, slugs = const("", n), const("", n)
    for code in COUNTRIES:
        rows = country == code
        values[rows], slugs[rows] = pick(rng, t.surnames[code], int(rows.sum()))
    return values, slugs


def titles(rng: np.random.Generator, t: Tables, country: np.ndarray) -> np.ndarray:
    out = const("", len(country))
    u = rng.random(len(country))
    for code in COUNTRIES:
        lo = 0.0
        for title, share in t.raw["titles"][code]:
            out[(country == code) & (u >= lo) & (u < lo + share)] = title
            lo += share
    return out


def people(rng: np.random.Generator, t: Tables, country: np.ndarray) -> dict[str, np.ndarray]:
    """Sex, salutation, title, first and last name (with slugs) of one person per row."""
    n = len(country)
    sex = (rng.random(n) < 0.5).astype(np.int8)
    male, male_slug = pick(rng, t.first_names["male"], n)
    female, female_slug = pick(rng, t.first_names["female"], n)
    last, last_slug = surnames(rng, t, country)
    return {
        "sex": sex,
        "salutation": np.where(sex == 0, "Herr", "Frau").astype(TEXT),
        "title": titles(rng, t, country),
        "first_name": np.where(sex == 0, male, female).astype(TEXT),
        "first_slug": np.where(sex == 0, male_slug, female_slug).astype(TEXT),
        "last_name": last,
        "last_slug": last_slug,
    }


def _acronyms(rng: np.random.Generator, n: int) -> np.ndarray:
    letters = np.frombuffer(b"ABCDEFGHIKLMNPRSTVWZ", dtype=np.uint8)
    raw = np.ascontiguousarray(letters[rng.integers(0, len(letters), (n, 4))])
    return s.slice(raw.view("S4").ravel().astype(TEXT), 0, rng.integers(2, 5, n))


def _pattern(
    rng: np.random.Generator, t: Tables, pattern: str, country: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Name, slug, surname used and its slug for ``len(country)`` companies of one pattern."""
    n = len(country)
    none = const("", n)
    sur, sur_slug = surnames(rng, t, country)
    if pattern in ("fantasy", "region", "acronym"):
        trade, trade_slug = pick(rng, t.pool("trades"), n)
        if pattern == "fantasy":
            head, head_slug = pick(rng, t.pool("fantasy_heads"), n)
            tail, tail_slug = pick(rng, t.pool("fantasy_tails"), n)
            with_trade = np.where(rng.random(n) < 0.6, trade, "").astype(TEXT)
            return join(s.add(head, tail), with_trade), s.add(head_slug, tail_slug), none, none
        if pattern == "region":
            region, region_slug = pick(rng, t.pool("regions"), n)
            return join(region, trade), join(region_slug, trade_slug, sep="-"), none, none
        acronym = _acronyms(rng, n)
        return join(acronym, trade), join(s.lower(acronym), trade_slug, sep="-"), none, none
    if pattern == "surname_trade":
        trade, trade_slug = pick(rng, t.pool("trades"), n)
        return join(sur, trade), join(sur_slug, trade_slug, sep="-"), sur, sur_slug
    if pattern == "prefix_surname":
        prefix, prefix_slug = pick(rng, t.pool("trade_prefixes"), n)
        return join(prefix, sur), join(prefix_slug, sur_slug, sep="-"), sur, sur_slug
    if pattern == "surname_partner":
        partner, partner_slug = pick(rng, t.pool("company_partners"), n)
        return join(sur, partner, sep=" & "), join(sur_slug, partner_slug, sep="-"), sur, sur_slug
    trade, trade_slug = pick(rng, t.pool("trades"), n)
    some = rng.random(n) < 0.5
    opt, opt_slug = np.where(some, trade, none), np.where(some, trade_slug, none)
    if pattern == "two_surnames":
        second, second_slug = surnames(rng, t, country)
        name = join(join(sur, second, sep=" & "), opt)
        return name, join(sur_slug, second_slug, opt_slug, sep="-"), sur, sur_slug
    if pattern == "gebrueder":
        name = join(const("Gebrüder", n), sur, opt)
        return name, join(const("gebr", n), sur_slug, opt_slug, sep="-"), sur, sur_slug
    if pattern == "doctor":
        name = join(const("Dr.", n), sur, trade)
        return name, join(const("dr", n), sur_slug, trade_slug, sep="-"), sur, sur_slug
    raise ValueError(f"unknown company name pattern {pattern!r} in data.yaml")


def company_names(
    rng: np.random.Generator, t: Tables, country: np.ndarray
) -> dict[str, np.ndarray]:
    """Company names without legal form, their slugs, and the surname they use (if any).

    Register names (OffeneRegister) come with their own legal form and spelling (``form`` ≥ -1);
    ``form`` is -2 where the legal form is still to be drawn.
    """
    n = len(country)
    patterns = t.raw["company_patterns"]
    kind = draw(rng, np.asarray(list(patterns.values()), float), n)
    out = {k: const("", n) for k in ("name", "slug", "surname", "surname_slug")}
    out["form"] = np.full(n, -2, dtype=np.int64)
    out["spelling"] = np.zeros(n, dtype=np.int64)
    for p, pattern in enumerate(patterns):
        rows = np.flatnonzero(kind == p)
        if pattern == "register" and len(t.register_names):
            reg = rng.integers(0, len(t.register_names), len(rows))
            out["name"][rows] = t.register_names[reg]
            out["slug"][rows] = t.register_slugs[reg]
            out["form"][rows] = t.register_forms[reg]
            out["spelling"][rows] = t.register_spellings[reg]
            continue
        built = _pattern(rng, t, "fantasy" if pattern == "register" else pattern, country[rows])
        for key, values in zip(("name", "slug", "surname", "surname_slug"), built, strict=True):
            out[key][rows] = values
    return out


def sole_trader_names(
    rng: np.random.Generator, t: Tables, owner: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Trading names of sole traders, built around the owner's name ("Bäckerei Huber, Inh. …")."""
    n = len(owner["last_name"])
    prefix, prefix_slug = pick(rng, t.pool("trade_prefixes"), n)
    trade, trade_slug = pick(rng, t.pool("trades"), n)
    first, last = owner["first_name"], owner["last_name"]
    fs, ls = owner["first_slug"], owner["last_slug"]
    full = join(first, last)
    options = [
        (join(prefix, full), join(prefix_slug, fs, ls, sep="-")),
        (join(full, trade), join(fs, ls, trade_slug, sep="-")),
        (s.add(s.add(join(prefix, last), ", Inh. "), full), join(prefix_slug, ls, sep="-")),
        (join(prefix, last), join(prefix_slug, ls, sep="-")),
    ]
    kind = draw(rng, np.array([0.35, 0.2, 0.2, 0.25]), n)
    name, slug = const("", n), const("", n)
    for k, (values, slugs) in enumerate(options):
        name[kind == k], slug[kind == k] = values[kind == k], slugs[kind == k]
    return name, slug


def common_names(rng: np.random.Generator, t: Tables, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Names that many unrelated companies share ("Müller GmbH", "Elektro Schmidt")."""
    return pick(rng, t.pool("common_company_names"), n)


def occurrence(values: np.ndarray) -> np.ndarray:
    """0 for the first occurrence of each value, 1 for the second, … (in array order)."""
    inverse, _ = pd.factorize(values.astype(object))  # hashing: faster than sorting strings
    order = np.argsort(inverse, kind="stable")
    grouped = inverse[order]
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values)) - np.searchsorted(grouped, grouped, side="left")
    return rank


def numbered(values: np.ndarray, number: np.ndarray, before: str = "") -> np.ndarray:
    """Values with ``number`` inserted before the first ``before`` (at the end if "")."""
    digits = number.astype(TEXT)
    if not before:
        return s.add(values, digits)
    head, sep, tail = s.partition(values, text(before))
    return s.add(s.add(s.add(head, digits), sep), tail)


def slugs_of(values: np.ndarray) -> np.ndarray:
    """Slugs of values from the pools: computed once per distinct value."""
    from benchmarks.suite.transcribed.pools import slug

    uniq, inverse = np.unique(values, return_inverse=True)
    return text([slug(str(v)) for v in uniq])[inverse]


def by_country(table: dict[str, str], country: np.ndarray) -> np.ndarray:
    """The table's value for each row's country."""
    out = const("", len(country))
    for code, value in table.items():
        out[country == code] = value
    return out


def emails(
    rng: np.random.Generator,
    t: Tables,
    country: np.ndarray,
    person: dict[str, np.ndarray],
    domain: np.ndarray,
    private: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Main and second e-mail address per row.

    Where ``private`` is set: a free-mail address built from the person's name, no second one.
    Otherwise a personal address at ``domain`` and a role address (info@, buchhaltung@ …);
    half of the companies use the role address as their main one.
    """
    n = len(country)
    main, second = const("", n), const("", n)
    fs, ls = person["first_slug"], person["last_slug"]
    rows = np.flatnonzero(~private)
    m = len(rows)
    f, last = fs[rows], ls[rows]
    initial = s.slice(f, 0, 1)
    form = rng.integers(0, 4, m)
    local = np.select(
        [form == 0, form == 1, form == 2],
        [join(f, last, sep="."), join(initial, last, sep="."), last],
        s.add(initial, last),
    ).astype(TEXT)
    at = s.add("@", domain[rows])
    role_local, _ = pick(rng, t.pool("role_locals"), m)
    personal, role = s.add(local, at), s.add(role_local, at)
    use_role = rng.random(m) < 0.5
    main[rows] = np.where(use_role, role, personal)
    second[rows] = np.where(use_role, personal, role)
    rows = np.flatnonzero(private)
    m = len(rows)
    provider = const("", m)
    for code in COUNTRIES:
        sel = country[rows] == code
        provider[sel], _ = pick(rng, t.pool(f"free_mail:{code}"), int(sel.sum()))
    number = np.where(rng.random(m) < 0.7, rng.integers(1, 1000, m).astype(TEXT), "")
    sep = text([".", "_", "", "-"])[rng.integers(0, 4, m)]
    f, last = fs[rows], ls[rows]
    local = np.where(rng.random(m) < 0.8, s.add(s.add(f, sep), last), s.add(s.add(last, sep), f))
    main[rows] = s.add(s.add(s.add(local, number), "@"), provider)
    return main, second

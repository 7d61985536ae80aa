"""Person names: salutation, academic titles, noble particles, first and last name.

``split_person_name("Sehr geehrte Frau Dr. Müller")`` → Frau / Dr. / – / Müller;
``"Müller, Hans"`` and ``"Hans Müller"`` both give first name Hans and last name Müller;
``"Hans von Müller"`` keeps the particle with the family name. :func:`standardize_person` works
on separate fields and moves values that sit in the wrong one (a full name in ``last_name``,
"Herr" in ``first_name``, a given name in the last-name field). Gender comes from the salutation
only, never from a first name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import pandas as pd

from dq.standardize._tables import load_table
from dq.standardize._vector import map_distinct
from dq.standardize.text import clean_text, fold

__all__ = [
    "PersonName",
    "is_known_first_name",
    "is_known_salutation",
    "name_case",
    "normalize_title",
    "parse_salutation",
    "split_person_name",
    "split_person_names",
    "standardize_person",
]


_CACHED = 1 << 17


@dataclass(frozen=True, slots=True)
class PersonName:
    """The parts of a person's name; ``swapped`` says first and last name were exchanged."""

    salutation: str | None = None
    gender: str | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    swapped: bool = False


@cache
def _salutations() -> dict[str, tuple[str, str | None]]:
    table: dict[str, tuple[str, str | None]] = {}
    for entry in load_table("salutations")["salutations"]:
        value = (str(entry["canonical"]), entry.get("gender"))
        table[fold(str(entry["canonical"]))] = value
        for spelling in entry["spellings"]:
            table[fold(str(spelling))] = value
    return table


@lru_cache(maxsize=_CACHED)  # pure per value; names repeat across records
def parse_salutation(value: str) -> tuple[str, str | None] | None:
    """``"Herrn"`` → ``("Herr", "male")``, ``"Mrs."`` → ``("Frau", "female")``; None if unknown."""
    return _salutations().get(fold(value))


def is_known_salutation(values: pd.Series) -> pd.Series:
    """Nullable boolean per value: a salutation in the table; NA where blank."""
    return map_distinct(
        values,
        lambda v: parse_salutation(v) is not None if clean_text(v) else None,
        dtype="boolean",
    )


@cache
def _first_names() -> frozenset[str]:
    return frozenset(fold(str(n)) for n in load_table("first_names")["names"])


@lru_cache(maxsize=_CACHED)  # pure per value; names repeat across records
def is_known_first_name(value: str) -> bool:
    """True for a common given name (every part of "Hans-Peter" or "Anna Maria" counts)."""
    parts = [p for p in re.split(r"[\s\-]+", fold(value)) if p]
    return bool(parts) and all(p in _first_names() for p in parts)


def _title_regex(title: str) -> re.Pattern[str]:
    mapping = {".": r"\.?\s*", "-": r"\s*-?\s*", " ": r"\s*", "(": r"\(?", ")": r"\)?"}
    body = "".join(mapping.get(ch, re.escape(ch)) for ch in title)
    flags = re.IGNORECASE if "." in title else 0  # "DI", "RA" only in capitals
    return re.compile(rf"(?:{body})(?![^\W_])\.?\s*", flags)


@cache
def _titles(kind: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    titles = [str(t) for t in load_table("titles")[kind]]
    titles.sort(key=len, reverse=True)
    return tuple((_title_regex(t), t) for t in titles)


def _take_prefix_titles(text: str) -> tuple[list[str], str]:
    found: list[str] = []
    rest = text.strip()
    changed = True
    while changed and rest:
        changed = False
        for pattern, canonical in _titles("prefix"):
            match = pattern.match(rest)
            if match:
                found.append(canonical)
                rest = rest[match.end() :].strip(" ,")
                changed = True
                break
    return found, rest


def _take_suffix_titles(text: str) -> tuple[list[str], str]:
    found: list[str] = []
    rest = text.strip()
    changed = True
    while changed and rest:
        changed = False
        for pattern, canonical in _titles("suffix"):
            for match in pattern.finditer(rest):
                before = rest[: match.start()]
                if match.end() == len(rest) and before and before[-1] in " ,":
                    found.insert(0, canonical)
                    rest = before.rstrip(" ,")
                    changed = True
                    break
            if changed:
                break
    return found, rest


@lru_cache(maxsize=_CACHED)  # pure per value; names repeat across records
def normalize_title(value: str) -> str | None:
    """Canonical titles: ``"prof.dr."`` → ``"Prof. Dr."``, ``"Dipl. Ing."`` → ``"Dipl.-Ing."``.

    Unknown text is returned cleaned; None when the value is blank.
    """
    text = clean_text(value)
    if not text:
        return None
    prefix, rest = _take_prefix_titles(text)
    suffix, rest = _take_suffix_titles(rest)
    if rest:
        return text
    return " ".join(prefix + suffix) or None


@cache
def _particles() -> tuple[tuple[str, ...], ...]:
    table = load_table("salutations")
    words = [str(p) for p in table["particles"]]
    return tuple(tuple(w.split(" ")) for w in sorted(words, key=len, reverse=True))


@cache
def _particle_words() -> frozenset[str]:
    return frozenset(w for p in _particles() for w in p)


@cache
def _nobility() -> frozenset[str]:
    return frozenset(fold(str(n)) for n in load_table("salutations")["nobility"])


@cache
def _openers() -> tuple[tuple[str, ...], ...]:
    words = [fold(str(o)).split(" ") for o in load_table("salutations")["letter_openers"]]
    return tuple(tuple(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=_CACHED)  # pure per value; names repeat across records
def name_case(value: str) -> str:
    """Title-case a name written all in capitals or all in lower case; particles stay lower.

    ``"HANS-PETER VON MÜLLER"`` → ``"Hans-Peter von Müller"``; mixed case ("McDonald") is kept.
    """
    text = clean_text(value)
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or not (text.isupper() or text.islower()) or len(letters) < 2:
        return text
    words = text.lower().split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        if i < len(words) - 1 and word in _particle_words():
            out.append(word)
        else:
            out.append("-".join(_upper_first(part) for part in word.split("-")))
    return " ".join(out)


def _upper_first(part: str) -> str:
    head = part[:1].upper()
    # "ß".upper() is "SS": keep such letters, or a second pass would change the name again
    return (head if len(head) == len(part[:1]) else part[:1]) + part[1:]


def _particle_start(tokens: list[str]) -> int | None:
    lowered = [fold(t) for t in tokens]
    for i in range(1, len(tokens)):
        if lowered[i] in _nobility():
            return i
        for particle in _particles():
            n = len(particle)
            if tuple(lowered[i : i + n]) == particle and i + n < len(tokens):
                return i
    return None


def _strip_opener(tokens: list[str]) -> list[str]:
    folded = [fold(t) for t in tokens]
    for opener in _openers():
        n = len(opener)
        if tuple(folded[:n]) == opener and len(tokens) > n:
            return tokens[n:]
    return tokens


def _take_salutation(tokens: list[str]) -> tuple[tuple[str, str | None] | None, list[str]]:
    for n in range(min(4, len(tokens)), 0, -1):
        found = parse_salutation(" ".join(tokens[:n]))
        if found is not None:
            return found, tokens[n:]
    return None, tokens


def _join(parts: list[str]) -> str | None:
    text = " ".join(p for p in parts if p).strip(" ,;")
    return name_case(text) if text else None


@lru_cache(maxsize=_CACHED)  # pure per value; names repeat across records
def split_person_name(value: str) -> PersonName:
    """Split one field holding a whole name into salutation, title, first and last name.

    Reads "Sehr geehrte Frau Dr. Müller", "Herrn Prof. Dr. Hans Meier", "Müller, Hans",
    "Hans von Müller", "Dipl.-Ing. Anna Schmidt, MBA", and the German export habit of family
    name first without a comma ("Müller Hans", detected with the table of given names).
    """
    text = clean_text(value).strip(" ,;:!")
    tokens = _strip_opener(text.split(" ")) if text else []
    salutation, tokens = _take_salutation(tokens)
    titles, rest = _take_prefix_titles(" ".join(tokens))
    suffix_titles, rest = _take_suffix_titles(rest)
    swapped = False
    first: str | None
    last: str | None
    if rest.count(",") == 1:  # "Müller, Hans"; more commas are no name order to undo
        last_part, first_part = (p.strip() for p in rest.split(",", 1))
        more_titles, first_part = _take_prefix_titles(first_part)
        titles += more_titles
        first_tokens = first_part.split(" ") if first_part else []
        start = _particle_start([*first_tokens, last_part])
        if start is not None:  # "Müller, Hans von" → von Müller
            particle = first_tokens[start:]
            first_tokens = first_tokens[:start]
            last_part = " ".join([*particle, last_part])
        first, last = _join(first_tokens), _join([last_part])
    else:
        words = [w for w in rest.split(" ") if w]
        start = _particle_start(words)
        if not words:
            first, last = None, None
        elif len(words) == 1:
            only = words[0]
            if salutation is None and not titles and is_known_first_name(only):
                first, last = _join([only]), None
            else:
                first, last = None, _join([only])
        elif fold(words[0]) in _nobility():  # "Freiherr von Knigge": all family name
            first, last = None, _join(words)
        elif start is not None:
            first, last = _join(words[:start]), _join(words[start:])
        elif (
            len(words) == 2 and is_known_first_name(words[1]) and not is_known_first_name(words[0])
        ):
            first, last, swapped = _join([words[1]]), _join([words[0]]), True
        else:
            first, last = _join(words[:-1]), _join([words[-1]])
    if last:
        more, stripped = _take_prefix_titles(last)
        if more and stripped:  # "Hans Prof.Müller": a title glued to the family name
            titles += more
            last = _join(stripped.split(" "))
    canonical, gender = salutation if salutation else (None, None)
    title = " ".join(titles + suffix_titles) or None
    return PersonName(canonical, gender, title, first, last, swapped)


def split_person_names(values: pd.Series) -> pd.DataFrame:
    """Salutation, title, first and last name of whole names written in one field ("Herr Dr.
    Hans Schmidt", "Müller, Anna"), one :func:`split_person_name` per distinct value."""
    text = values.astype("string").str.strip()
    parsed = {v: split_person_name(str(v)) for v in text.dropna().unique()}
    out = pd.DataFrame(index=values.index)
    for field in ("salutation", "title", "first_name", "last_name"):
        lookup = {v: getattr(p, field) for v, p in parsed.items()}
        out[field] = text.map(lookup).astype("string")
    return out


@lru_cache(maxsize=_CACHED)  # pure per value; names repeat across records
def _has_extra(value: str | None) -> bool:
    """True when a single name field carries more than a name (salutation, title, comma)."""
    if not value:
        return False
    text = clean_text(value)
    tokens = text.split(" ")
    found, _ = _take_salutation(tokens)
    titles, _ = _take_prefix_titles(text)
    return found is not None or bool(titles) or "," in text


def standardize_person(
    salutation: str | None,
    title: str | None,
    first_name: str | None,
    last_name: str | None,
) -> PersonName:
    """Standardise the four person fields of a record together.

    A whole name in one field is split; a salutation or title inside a name field moves to its
    own field; a given name found in ``last_name`` while ``first_name`` holds no known given
    name swaps the two (``swapped=True``). Blank inputs stay None.
    """
    first = clean_text(first_name) if first_name else ""
    last = clean_text(last_name) if last_name else ""
    sal = parse_salutation(salutation) if salutation and clean_text(salutation) else None
    sal_text = sal[0] if sal else (clean_text(salutation) or None) if salutation else None
    gender = sal[1] if sal else None
    titles = [normalize_title(title)] if title and clean_text(title) else []
    result = PersonName(sal_text, gender, None, None, None)

    one_field = None
    if first and not last:
        one_field = first
    elif last and not first:
        one_field = last
    if one_field is not None:
        words = one_field.split(" ")
        if one_field is first:  # "Hans Müller" splits, "Anna Maria" stays a given name
            splittable = len(words) >= 2 and not is_known_first_name(words[-1])
        else:
            splittable = len(words) >= 2 and is_known_first_name(words[0])
        if _has_extra(one_field) or splittable:
            parsed = split_person_name(one_field)
        elif one_field is first:
            parsed = PersonName(first_name=name_case(one_field))
        else:
            parsed = PersonName(last_name=name_case(one_field))
    else:
        parsed_first = split_person_name(first) if _has_extra(first) else None
        parsed_last = split_person_name(last) if _has_extra(last) else None
        first_value = (parsed_first.first_name or parsed_first.last_name) if parsed_first else None
        last_value = (parsed_last.last_name or parsed_last.first_name) if parsed_last else None
        extra_titles = [p.title for p in (parsed_first, parsed_last) if p is not None and p.title]
        found_sal = next(
            (
                (p.salutation, p.gender)
                for p in (parsed_first, parsed_last)
                if p is not None and p.salutation
            ),
            None,
        )
        parsed = PersonName(
            found_sal[0] if found_sal else None,
            found_sal[1] if found_sal else None,
            " ".join(extra_titles) or None,
            name_case(first_value or first) or None,
            name_case(last_value or last) or None,
        )
        if (
            parsed.first_name
            and parsed.last_name
            and not is_known_first_name(parsed.first_name)
            and is_known_first_name(parsed.last_name)
        ):
            parsed = replace(
                parsed, first_name=parsed.last_name, last_name=parsed.first_name, swapped=True
            )
    if parsed.title:
        titles.append(parsed.title)
    kept: list[str] = []
    for candidate in titles:  # "Dr." from the name is not added to a title field saying "Dr."
        if candidate and not any(candidate in k for k in kept):
            kept.append(candidate)
    merged_title = " ".join(kept) or None
    if result.salutation is None and parsed.salutation:
        result = replace(result, salutation=parsed.salutation, gender=parsed.gender)
    return replace(
        result,
        title=merged_title,
        first_name=parsed.first_name,
        last_name=parsed.last_name,
        swapped=parsed.swapped,
    )

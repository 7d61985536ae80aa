"""Fast paths of dq.standardize.identifiers equal the slow ones: hosts and registrable domains."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.standardize.identifiers import (
    _normalize_website_parsed,
    _registrable_domain_of_host,
    _registrable_domain_of_suffix_list,
    _website_host_parsed,
    compact_vat_id,
    is_valid_iban_value,
    is_valid_vat_id_value,
    normalize_website,
    website_host,
)
from dq.standardize.text import clean_text

CORPUS = Path(__file__).resolve().parent.parent / "data" / "standardize"


def _inputs() -> list[str]:
    values: list[str] = []
    for name in ("websites.csv", "emails.csv"):
        with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
            values += [row["input"] for row in csv.DictReader(handle)]
    return values


def _slow(value: str) -> str | None:
    return _website_host_parsed(clean_text(value).strip("<>\"' "))


@pytest.mark.parametrize(
    "value",
    [
        *_inputs(),
        "www.firma.de",
        "HTTP://WWW.Firma.DE/Impressum/",
        "https://shop.example.co.uk/x?y=1#z",
        "firma.de:8080",
        "xn--mller-kva.de",
        "192.168.0.1",
        "-firma.de",
        "firma-.de",
        "a..de",
        "firma.de/x@y",
        "ftp://firma.de",
        "https://" + "a" * 64 + ".de",
        "firma.de/pfad\\x",
        "firma",
        "HTTPS://Firma.de/A/B//",
        "http://firma.de/?x",
        "firma.de#top",
        "xn--mller-kva.de/impressum/",
        "firma.de./x",
    ],
)
def test_fast_host_equals_parsed_host(value: str) -> None:
    assert website_host(value) == _slow(value)
    assert normalize_website(value) == _slow_website(value)


def _slow_website(value: str) -> str | None:
    text = clean_text(value).strip("<>\"' ")
    host = _website_host_parsed(text)
    if host is None or "@" in text.split("/")[0]:
        return None
    return _normalize_website_parsed(text, host)


_HOSTISH = st.text(alphabet="abcxyzAZ019-./:@?#_ \\", max_size=40)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(_HOSTISH, st.builds(lambda s: "https://" + s, _HOSTISH)))
def test_fast_host_equals_parsed_host_on_random_text(value: str) -> None:
    assert website_host(value) == _slow(value)
    assert normalize_website(value) == _slow_website(value)


_TLDS = ["de", "com", "ch", "at", "uk", "eu", "io", "net", "org", "ck", "jp", "berlin", "bayern"]
_LABELS = ["www", "shop", "firma", "co", "ac", "com", "gv", "b\u00e4ckerei", "xn--mller-kva", "a-b"]


@pytest.mark.parametrize("tld", _TLDS)
def test_flat_tld_domain_equals_suffix_list(tld: str) -> None:
    for first in _LABELS:
        for second in _LABELS:
            for host in (f"{second}.{tld}", f"{first}.{second}.{tld}", f"x.{first}.{second}.{tld}"):
                assert _registrable_domain_of_host(host) == _registrable_domain_of_suffix_list(
                    host
                ), host


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_LABELS), min_size=1, max_size=4), st.sampled_from(_TLDS))
def test_flat_tld_domain_equals_suffix_list_on_random_hosts(labels: list[str], tld: str) -> None:
    host = ".".join([*labels, tld])
    assert _registrable_domain_of_host(host) == _registrable_domain_of_suffix_list(host)


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["DE", "de ", "DE-"])
)
def test_german_vat_fast_path_equals_stdnum(digits: str, prefix: str) -> None:
    from stdnum.eu import vat

    value = prefix + digits
    assert is_valid_vat_id_value(value) is bool(vat.is_valid(compact_vat_id(value)))


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789", min_size=20, max_size=20), st.integers(0, 98))
def test_german_iban_fast_path_equals_stdnum(bban: str, check: int) -> None:
    from stdnum import iban

    value = f"DE{check:02d}{bban}"
    assert is_valid_iban_value(value) is bool(iban.is_valid(value))


@pytest.mark.parametrize("value", ["DE89370400440532013000", "DE136695976", "DE 136 695 975"])
def test_known_german_identifiers(value: str) -> None:
    if len(value) == 22:
        assert is_valid_iban_value(value)
    else:
        assert is_valid_vat_id_value(value) is (value == "DE136695976")

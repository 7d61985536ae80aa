"""Phone numbers written the ways DACH exports write them."""

from __future__ import annotations

import numpy as np
import phonenumbers

from benchmarks.suite.phones import LANDLINE_FORMATS, MOBILE_FORMATS, render, subscriber_numbers


def _one(templates: list[str], k: int, cc: str, area: str, sub: str, ext: str = "") -> str:
    arr = lambda v: np.array([v], dtype=object)  # noqa: E731
    return str(render(templates, np.array([k]), arr(cc), arr(area), arr(sub), arr(ext))[0])


def test_every_landline_format_by_hand() -> None:
    got = [_one(LANDLINE_FORMATS, k, "49", "711", "1234567", "26") for k in range(11)]
    assert got == [
        "0711 1234567-26",
        "0711/1234567-26",
        "0711-1234567-26",
        "+49 711 1234567-26",
        "+49 (0)711 1234567-26",
        "0049 711 1234567-26",
        "(0711) 1234567-26",
        "+49-711-1234567-26",
        "0711 123 4567 26",
        "+49711123456726",
        "0711123456726",
    ]
    assert _one(LANDLINE_FORMATS, 0, "49", "30", "12345678") == "030 12345678"


def test_mobile_formats() -> None:
    got = {_one(MOBILE_FORMATS, k, "49", "171", "2345678") for k in range(len(MOBILE_FORMATS))}
    assert "+49 (0)171 2345678" in got
    assert "00491712345678" not in got and "0049 171 2345678" in got
    for text in got:
        number = phonenumbers.parse(text.replace("(0)", ""), "DE")
        assert phonenumbers.national_significant_number(number) == "1712345678"


def test_subscriber_length_follows_area_code_length() -> None:
    rng = np.random.default_rng(0)
    area = np.array(["30", "711", "4841"] * 100)
    sub = subscriber_numbers(rng, area, 10)
    lengths = {(a, len(s)) for a, s in zip(area, sub, strict=True)}
    assert lengths == {("30", 8), ("711", 7), ("4841", 6)}
    assert all(s[0] not in "01" for s in sub)

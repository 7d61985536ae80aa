"""Telephone numbers as people write them in DACH customer data, vectorised.

A number is (country code, area code without the trunk prefix 0, subscriber number, extension).
German area codes have 2 to 5 digits after the 0 (Berlin 30, Stuttgart 711, Husum 4841), so
the subscriber part varies in length; company numbers end in an extension (``-0`` switchboard,
``-26`` a direct line). Written forms seen in CRM and ERP exports: ``0711 123456-26``,
``0711/123456-26``, ``+49 711 123456-26``, ``+49 (0)711 123456``, ``0049 711 123456``,
``(0711) 123456``, ``+49-711-123456``, ``07111234560`` (extension run into the number),
``+497111234560``, and with the extension after a space (``0711 123 456 26``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["LANDLINE_FORMATS", "MOBILE_FORMATS", "render", "subscriber_numbers"]

LANDLINE_FORMATS = [
    "0{area} {sub}{xdash}",
    "0{area}/{sub}{xdash}",
    "0{area}-{sub}{xdash}",
    "+{cc} {area} {sub}{xdash}",
    "+{cc} (0){area} {sub}{xdash}",
    "00{cc} {area} {sub}{xdash}",
    "({trunk}{area}) {sub}{xdash}",
    "+{cc}-{area}-{sub}{xdash}",
    "0{area} {sub3} {subrest}{xspace}",
    "+{cc}{area}{sub}{ext}",
    "0{area}{sub}{ext}",
]
MOBILE_FORMATS = [
    "0{area} {sub}",
    "0{area}-{sub}",
    "0{area}/{sub}",
    "+{cc} {area} {sub}",
    "+{cc} (0){area} {sub}",
    "00{cc} {area} {sub}",
    "+{cc}{area}{sub}",
    "0{area}{sub}",
]
_FIELD = re.compile(r"\{(\w+)\}")


def subscriber_numbers(rng: np.random.Generator, area: np.ndarray, national: int) -> np.ndarray:
    """Subscriber numbers such that area + subscriber has ``national`` digits (first not 0/1)."""
    lengths = np.clip(national - np.char.str_len(area.astype(str)), 3, 9)
    top = 10 ** lengths.astype(np.int64)
    raw = rng.integers(2 * top // 10, top, dtype=np.int64)
    return raw.astype(str).astype(object)


def render(
    templates: list[str],
    choice: np.ndarray,
    cc: np.ndarray,
    area: np.ndarray,
    sub: np.ndarray,
    ext: np.ndarray | None = None,
) -> np.ndarray:
    """Write each number with template ``templates[choice[i]]``; ``ext`` "" means none."""
    n = len(choice)
    ext_s = pd.Series(ext if ext is not None else np.full(n, ""), dtype=object)
    sub_s = pd.Series(sub, dtype=object)
    has_ext = ext_s != ""
    fields = {
        "cc": pd.Series(cc, dtype=object),
        "area": pd.Series(area, dtype=object),
        "sub": sub_s,
        "sub3": sub_s.str[:3],
        "subrest": sub_s.str[3:],
        "ext": ext_s,
        "xdash": ("-" + ext_s).where(has_ext, ""),
        "xspace": (" " + ext_s).where(has_ext, ""),
        # Swiss and Austrian numbers in brackets keep their trunk 0 too
        "trunk": pd.Series(np.full(n, "0"), dtype=object),
    }
    out = np.empty(n, dtype=object)
    for k, template in enumerate(templates):
        mask = choice == k
        if not mask.any():
            continue
        pieces = _FIELD.split(template)  # literal, field, literal, field, ...
        text = pd.Series(np.full(int(mask.sum()), "", dtype=object), dtype=object)
        for i, piece in enumerate(pieces):
            if i % 2:
                text = text + fields[piece][mask].to_numpy()
            elif piece:
                text = text + piece
        out[mask] = text.to_numpy()
    return out

"""Which links on a homepage lead to the Impressum, the contact page or "about us".

Each same-site link is scored by keywords in its text, title and href (a table, below); links in
the footer score higher because that is where § 5 DDG pages live. The crawler fetches the best
Impressum candidate first, then a contact page, within ``max_pages_per_site``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

__all__ = ["LinkCandidate", "find_candidates", "same_site"]

Kind = Literal["imprint", "contact", "about"]

# (keyword as it appears in folded text or href, weight, kind); negative weights push away.
_KEYWORDS: tuple[tuple[str, int, Kind | None], ...] = (
    ("impressum", 10, "imprint"),
    ("imprint", 10, "imprint"),
    ("legal notice", 9, "imprint"),
    ("legal-notice", 9, "imprint"),
    ("legal_notice", 9, "imprint"),
    ("legalnotice", 9, "imprint"),
    ("site notice", 8, "imprint"),
    ("anbieterkennzeichnung", 9, "imprint"),
    ("offenlegung", 8, "imprint"),
    ("rechtliche hinweise", 6, "imprint"),
    ("rechtliches", 6, "imprint"),
    ("legal", 4, "imprint"),
    ("kontakt", 5, "contact"),
    ("contact", 5, "contact"),
    ("ueber uns", 3, "about"),
    ("uber uns", 3, "about"),
    ("ueber-uns", 3, "about"),
    ("uber-uns", 3, "about"),
    ("about us", 3, "about"),
    ("about", 2, "about"),
    ("unternehmen", 2, "about"),
    ("datenschutz", -8, None),
    ("privacy", -8, None),
    ("cookie", -8, None),
    ("agb", -4, None),
    ("terms", -4, None),
    ("newsletter", -4, None),
)
_FOOTER_BONUS = 2
_MIN_SCORE = 3
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


@dataclass(frozen=True)
class LinkCandidate:
    """A same-site link worth fetching, with why."""

    url: str
    kind: Kind
    score: int


def _fold(text: str) -> str:
    folded = text.translate(_FOLD).lower()
    return re.sub(r"\s+", " ", folded)


def _site_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, base: str) -> bool:
    """Whether ``url`` is on the site of ``base`` (same host, ``www.`` ignored, or a subdomain)."""
    a = _site_host(urlsplit(url).hostname or "")
    b = _site_host(urlsplit(base).hostname or "")
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def _in_footer(tag: Tag) -> bool:
    for parent in tag.parents:
        if not isinstance(parent, Tag):
            continue
        if parent.name == "footer":
            return True
        marks = " ".join([str(parent.get("id") or ""), *(parent.get("class") or [])]).lower()
        if "footer" in marks or parent.get("role") == "contentinfo":
            return True
    return False


def _score(text: str, href: str) -> tuple[int, Kind | None]:
    best: tuple[int, Kind | None] = (0, None)
    penalty = 0
    for keyword, weight, kind in _KEYWORDS:
        if keyword in text or keyword in href:
            if weight < 0:
                penalty = min(penalty, weight)
            elif weight > best[0]:
                best = (weight, kind)
    return best[0] + penalty, best[1]


def find_candidates(soup: BeautifulSoup, base_url: str) -> list[LinkCandidate]:
    """Same-site links that look like Impressum, contact or about pages, best first."""
    found: dict[str, LinkCandidate] = {}
    home = urlunsplit(urlsplit(base_url)._replace(fragment=""))
    for anchor in soup.find_all("a", href=True):
        href = str(anchor["href"]).strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        url = urlunsplit(urlsplit(urljoin(base_url, href))._replace(fragment=""))
        if url == home or not same_site(url, base_url):
            continue
        text = _fold(" ".join([anchor.get_text(" "), str(anchor.get("title") or "")]))
        score, kind = _score(text, _fold(urlsplit(url).path))
        if kind is None or score < _MIN_SCORE:
            continue
        if _in_footer(anchor):
            score += _FOOTER_BONUS
        previous = found.get(url)
        if previous is None or score > previous.score:
            found[url] = LinkCandidate(url, kind, score)
    order = {"imprint": 0, "contact": 1, "about": 2}
    return sorted(found.values(), key=lambda c: (order[c.kind], -c.score, len(c.url)))

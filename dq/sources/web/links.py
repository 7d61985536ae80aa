"""Which links on a homepage lead to the Impressum, the contact page or "about us".

Each same-site link is scored by keywords in its label (text, ``title``, ``aria-label``, image
``alt``) and in its path and query; the words live in ``data/links.yaml``. A label that names only
a privacy, cookie or terms page is skipped, a combined page ("Impressum & Datenschutz") ranks just
below a plain Impressum link, and footer links score higher because that is where § 5 DDG pages
live. The crawler fetches the best Impressum candidate first, then a contact page, within
``max_pages_per_site``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from dq.sources.web.vocab import LINK_WORDS, LinkKind

__all__ = ["LinkCandidate", "find_candidates", "same_site"]

Kind = LinkKind

_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")
_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "ae",
        "Ö": "oe",
        "Ü": "ue",
        "é": "e",
        "É": "e",
    }
)
_URL_SEPARATORS = re.compile(r"[-_/.?=&+%]+")
_ORDER = {"imprint": 0, "contact": 1, "about": 2}


@dataclass(frozen=True)
class LinkCandidate:
    """A same-site link worth fetching, with why."""

    url: str
    kind: Kind
    score: int


def _fold(text: str) -> str:
    folded = text.translate(_FOLD).lower()
    return re.sub(r"\s+", " ", folded).strip()


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
        if parent.name == "footer" or parent.get("role") == "contentinfo":
            return True
        marks = " ".join([str(parent.get("id") or ""), *(parent.get("class") or [])]).lower()
        if any(mark in marks for mark in LINK_WORDS.footer_marks):
            return True
    return False


def _best(text: str) -> tuple[int, Kind | None]:
    for keyword, weight, kind in LINK_WORDS.keywords:  # strongest first
        if keyword in text:
            return weight, kind
    return 0, None


def _avoided(text: str) -> bool:
    return any(word in text for word in LINK_WORDS.avoid)


def _score(label: str, url_words: str) -> tuple[int, Kind | None]:
    """A link's score and kind from its folded label and the words of its URL."""
    label_weight, label_kind = _best(label)
    url_weight, url_kind = _best(url_words)
    if label_kind is None and _avoided(label) and url_weight < LINK_WORDS.strong_url_weight:
        return 0, None  # the label names another page: "Datenschutz" under /legal/privacy
    weight, kind = (
        (label_weight, label_kind) if label_weight >= url_weight else (url_weight, url_kind)
    )
    if kind is not None and (_avoided(label) or _avoided(url_words)):
        weight -= LINK_WORDS.combined_penalty  # a combined page: "Impressum & Datenschutz"
    return weight, kind


def _label(anchor: Tag) -> str:
    """What a reader or screen reader sees of a link: text, title, aria-label, image alt."""
    parts = [
        anchor.get_text(" "),
        str(anchor.get("title") or ""),
        str(anchor.get("aria-label") or ""),
    ]
    parts += [str(img.get("alt") or "") for img in anchor.find_all("img")]
    return _fold(" ".join(parts))


def _url_words(url: str) -> str:
    parts = urlsplit(url)
    return _fold(_URL_SEPARATORS.sub(" ", f"{parts.path} {parts.query}"))


def _base(soup: BeautifulSoup, page_url: str) -> str:
    """The URL relative links resolve against: the page's, or its ``<base href>``."""
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        return urljoin(page_url, str(base["href"]).strip())
    return page_url


def find_candidates(soup: BeautifulSoup, base_url: str) -> list[LinkCandidate]:
    """Same-site links that look like Impressum, contact or about pages, best first."""
    found: dict[str, LinkCandidate] = {}
    home = urlunsplit(urlsplit(base_url)._replace(fragment=""))
    resolve_against = _base(soup, base_url)
    for anchor in soup.find_all("a", href=True):
        href = str(anchor["href"]).strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        url = urlunsplit(urlsplit(urljoin(resolve_against, href))._replace(fragment=""))
        if url == home or not same_site(url, base_url):
            continue
        score, kind = _score(_label(anchor), _url_words(url))
        if kind is None or score < LINK_WORDS.min_score:
            continue
        if _in_footer(anchor):
            score += LINK_WORDS.footer_bonus
        previous = found.get(url)
        if previous is None or score > previous.score:
            found[url] = LinkCandidate(url, kind, score)
    return sorted(found.values(), key=lambda c: (_ORDER[c.kind], -c.score, len(c.url)))

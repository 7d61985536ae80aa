"""One fetched page in, its facts out: parse once, find links, run the extractors.

:func:`analyse_page` takes plain bytes and strings and returns a picklable :class:`PageFacts`,
so the crawler can run it in its own process or in worker processes (``parse_workers``) while
the event loop keeps the network busy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bs4 import BeautifulSoup

from dq.sources.web.extract_imprint import extract_imprint, has_imprint_heading, social_links
from dq.sources.web.extract_jsonld import extract_jsonld
from dq.sources.web.extract_microdata import extract_microdata
from dq.sources.web.extracted import Extracted
from dq.sources.web.links import LinkCandidate, find_candidates

__all__ = ["PageFacts", "PageKind", "analyse_page"]

#: ``home``: links + structured data (+ text when it may be the Impressum); ``home-text``: the
#: homepage's text read later; ``imprint``: an Impressum page; ``other``: a contact/about page.
PageKind = Literal["home", "home-text", "imprint", "other"]


@dataclass(frozen=True)
class PageFacts:
    """What one page gave: extractions, (homepage) link candidates, whether its text was read."""

    extracted: list[Extracted]
    candidates: list[LinkCandidate] = field(default_factory=list)
    text_read: bool = True


def _extract(
    body: bytes, soup: BeautifulSoup, url: str, *, imprint: bool, text: bool, links: bool
) -> list[Extracted]:
    found: list[Extracted | None] = []
    if text:
        found.append(extract_imprint(soup, url, is_imprint_page=imprint))
    elif links:
        found.append(Extracted("text", social_profiles=social_links(soup)))
    if links:
        lowered = body.lower()
        if b"ld+json" in lowered:  # cheap pre-checks: most pages carry neither
            found.append(extract_jsonld(soup, url))
        if b"itemscope" in lowered:
            found.append(extract_microdata(soup, url))
    return [e for e in found if e is not None and e]


def analyse_page(body: bytes, charset: str | None, url: str, kind: PageKind) -> PageFacts:
    """Parse ``body`` once and extract what a page of this ``kind`` can give."""
    soup = BeautifulSoup(body, "html.parser", from_encoding=charset)
    if kind == "home":
        candidates = find_candidates(soup, url)
        imprint_links = [c for c in candidates if c.kind == "imprint"]
        # The homepage's own text is read only when it may be the Impressum, or later when the
        # Impressum left facts open: it is the weakest source and the costliest to read.
        text = not imprint_links or has_imprint_heading(soup)
        found = _extract(body, soup, url, imprint=False, text=text, links=True)
        return PageFacts(found, candidates, text)
    if kind == "home-text":
        return PageFacts(_extract(body, soup, url, imprint=False, text=True, links=False))
    found = _extract(body, soup, url, imprint=kind == "imprint", text=True, links=True)
    return PageFacts(found)

"""schema.org microdata (``itemscope``/``itemtype``/``itemprop``) read into JSON-LD-shaped nodes.

Nested scopes (a ``PostalAddress`` inside an ``Organization``) become nested dicts, so the same
field mapping as for JSON-LD applies.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag

from dq.sources.web.extract_jsonld import is_org_type, node_fields, pick_organization
from dq.sources.web.extracted import Extracted
from dq.sources.web.textparse import clean

__all__ = ["extract_microdata", "microdata_nodes"]

_URL_ATTRS = {"a": "href", "link": "href", "img": "src", "area": "href", "source": "src"}


def _value(tag: Tag) -> Any:
    if tag.has_attr("itemscope"):
        return _scope(tag)
    if tag.has_attr("content"):
        return str(tag["content"])
    attr = _URL_ATTRS.get(tag.name)
    if attr and tag.has_attr(attr):
        return str(tag[attr])
    if tag.name == "meta":
        return ""
    return clean(tag.get_text(" "))


def _owner(tag: Tag) -> Tag | None:
    for parent in tag.parents:
        if isinstance(parent, Tag) and parent.has_attr("itemscope"):
            return parent
    return None


def _scope(scope: Tag) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": str(scope.get("itemtype") or "").split()}
    for tag in scope.find_all(True, attrs={"itemprop": True}):
        if _owner(tag) is not scope:
            continue
        value = _value(tag)
        for prop in str(tag["itemprop"]).split():
            if prop in node:
                existing = node[prop]
                node[prop] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                node[prop] = value
    return node


def microdata_nodes(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Every top-level or nested organisation scope on the page, as a node dict."""
    return [
        _scope(tag)
        for tag in soup.find_all(True, attrs={"itemscope": True, "itemtype": True})
        if is_org_type(str(tag["itemtype"]).split())
    ]


def extract_microdata(soup: BeautifulSoup, site_url: str) -> Extracted | None:
    """Fields of the site's organisation in the page's microdata, or ``None``."""
    node = pick_organization(microdata_nodes(soup), site_url)
    if node is None:
        return None
    return node_fields(node, {}, "microdata")

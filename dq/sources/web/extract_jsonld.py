"""schema.org organisations in JSON-LD: ``@graph``, lists, ``@id`` references, string addresses.

When a page describes several organisations (a company, its parent, a brand), the one whose
``url`` is the site wins, then the one with most facts. Microdata is read into the same node shape
(see :mod:`dq.sources.web.extract_microdata`) and mapped to fields by :func:`node_fields`.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from bs4 import BeautifulSoup

from dq.sources.web.extracted import Extracted, Method
from dq.sources.web.links import same_site
from dq.sources.web.textparse import (
    clean,
    country_code,
    legal_form_of,
    parse_address_text,
    social_profile,
    split_street,
)
from dq.sources.web.vocab import ORG_TYPE_SUFFIXES, ORG_TYPES

__all__ = ["extract_jsonld", "is_org_type", "jsonld_nodes", "node_fields", "pick_organization"]

log = logging.getLogger(__name__)

Node = dict[str, Any]
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def is_org_type(types: Any) -> bool:
    """Whether a schema.org ``@type`` (string, URL or list) names an organisation."""
    values = types if isinstance(types, list) else [types]
    for value in values:
        if not isinstance(value, str):
            continue
        name = value.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if name in ORG_TYPES or name.endswith(ORG_TYPE_SUFFIXES):
            return True
    return False


def _load(text: str) -> Any:
    body = text.strip()
    if body.startswith("<!--"):
        body = body[4:]
    if body.endswith("-->"):
        body = body[:-3]
    body = body.replace("<![CDATA[", "").replace("]]>", "").strip()
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        try:
            return json.loads(_TRAILING_COMMA.sub(r"\1", body))
        except json.JSONDecodeError:
            return None


def _walk(value: Any, out: list[Node]) -> None:
    if isinstance(value, list):
        for item in value:
            _walk(item, out)
    elif isinstance(value, dict):
        out.append(value)
        for key, item in value.items():
            if key != "@context":
                _walk(item, out)


def jsonld_nodes(soup: BeautifulSoup) -> list[Node]:
    """Every JSON object in the page's JSON-LD scripts, nested ones included."""
    nodes: list[Node] = []
    for script in soup.find_all("script", type=re.compile(r"application/ld\+json", re.I)):
        data = _load(script.get_text())
        if data is None:
            log.debug("skipped a JSON-LD block that is not valid JSON")
            continue
        _walk(data, nodes)
    return nodes


def _first_text(value: Any) -> str | None:
    if isinstance(value, list):
        for item in value:
            text = _first_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return _first_text(value.get("name") or value.get("@value"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = clean(str(value))
        return text or None
    return None


def _deref(value: Any, index: dict[str, Node]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in index:
        return index[value["@id"]]
    return value


def _richness(node: Node) -> int:
    keys = ("legalName", "address", "telephone", "email", "vatID", "url", "sameAs")
    return sum(1 for k in keys if node.get(k))


def pick_organization(nodes: list[Node], site_url: str) -> Node | None:
    """The organisation node that describes the site itself."""
    orgs = [n for n in nodes if is_org_type(n.get("@type")) and len(n) > 2]
    if not orgs:
        return None

    def rank(node: Node) -> tuple[int, int]:
        url = _first_text(node.get("url")) or ""
        on_site = 1 if url.startswith("http") and same_site(url, site_url) else 0
        return on_site, _richness(node)

    return max(orgs, key=rank)


def _address(node: Node, value: Any, index: dict[str, Node], out: Extracted) -> None:
    value = _deref(value, index)
    if isinstance(value, list) and value:
        value = _deref(value[0], index)
    if isinstance(value, str):
        parsed = parse_address_text(value)
        if parsed is not None:
            out.set("street", parsed.street)
            out.set("house_number", parsed.house_number)
            out.set("postcode", parsed.postcode)
            out.set("city", parsed.city)
            out.set("country", parsed.country)
        return
    if not isinstance(value, dict):
        return
    street_text = _first_text(value.get("streetAddress"))
    if street_text:
        split = split_street(street_text)
        if split is not None:
            out.set("street", split[0])
            out.set("house_number", split[1])
        else:
            out.set("street", street_text)
    out.set("postcode", _first_text(value.get("postalCode")))
    out.set("city", _first_text(value.get("addressLocality")))
    country = _first_text(value.get("addressCountry"))
    out.set("country", country_code(country) if country else None)


def node_fields(node: Node, index: dict[str, Node], method: Method) -> Extracted:
    """Canonical raw fields of one schema.org organisation node."""
    out = Extracted(method)
    legal = _first_text(node.get("legalName"))
    name = _first_text(node.get("name"))
    if legal:
        out.set("company_name", legal)
        out.set("legal_form", legal_form_of(legal))
    elif name and legal_form_of(name):
        out.set("company_name", name)
        out.set("legal_form", legal_form_of(name))
    else:
        out.brand_name = name
    _address(node, node.get("address"), index, out)
    if "location" in node and "street" not in out.values:
        location = _deref(node["location"], index)
        if isinstance(location, dict):
            _address(location, location.get("address"), index, out)
    out.set("phone", _first_text(node.get("telephone")))
    out.set("fax", _first_text(node.get("faxNumber")))
    email = _first_text(node.get("email"))
    if email:
        out.set("email", email.removeprefix("mailto:").split("?", 1)[0])
    vat = _first_text(node.get("vatID"))
    tax = _first_text(node.get("taxID"))
    if not vat and tax and re.match(r"^[A-Z]{2}\s?[0-9A-Z]", tax):
        vat = tax
    out.set("vat_id", vat.replace(" ", "") if vat else None)
    same_as = node.get("sameAs") or []
    for url in same_as if isinstance(same_as, list) else [same_as]:
        profile = social_profile(url) if isinstance(url, str) else None
        if profile and profile not in out.social_profiles:
            out.social_profiles.append(profile)
    return out


def extract_jsonld(soup: BeautifulSoup, site_url: str) -> Extracted | None:
    """Fields of the site's organisation in the page's JSON-LD, or ``None`` when there is none."""
    nodes = jsonld_nodes(soup)
    index = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    node = pick_organization(nodes, site_url)
    if node is None:
        return None
    return node_fields(node, index, "jsonld")

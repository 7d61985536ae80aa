"""Which sites to crawl for a set of canonical records or plain domains.

A record's ``website`` wins; without one, the domain of its ``email`` is used unless it is a
free-mail provider (gmx.de, gmail.com …: their site says nothing about the customer). Records that
share a site are crawled once and the site row lists all their record IDs.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import pandas as pd

from dq.sources.web.crawler import Site
from dq.sources.web.normalize import is_free_mail_domain, site_domain

__all__ = ["site_key", "sites_from_targets", "start_urls"]


def _host(value: str) -> tuple[str | None, str | None]:
    """(scheme, host[:port]) of a website value as people write it."""
    text = value.strip()
    if not text:
        return None, None
    explicit = "://" in text
    if not explicit:
        text = "//" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None, None
    # Without a scheme a value needs a dot to be a site ("n/a", "keine" are not); with one,
    # any host is passed on so that the guard judges (and reports) numeric forms.
    if not host or " " in host or (not explicit and "." not in host and ":" not in host):
        return None, None
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    netloc = host if port is None else f"{host}:{port}"
    return (parts.scheme or None), netloc


def site_key(netloc: str) -> str:
    """The key a site is known by: host in lower case without ``www.`` and port."""
    host = (urlsplit("//" + netloc).hostname or netloc).lower()
    return host[4:] if host.startswith("www.") else host


def start_urls(value: str, *, try_http: bool = True) -> tuple[str, ...]:
    """Where to start crawling ``value``: as given with a scheme, else https then http."""
    scheme, netloc = _host(value)
    if netloc is None:
        return ()
    if scheme in ("http", "https"):
        parts = urlsplit(value.strip())
        path = parts.path or "/"
        return (f"{scheme}://{netloc}{path}",)
    urls = [f"https://{netloc}/"]
    if try_http:
        urls.append(f"http://{netloc}/")
    return tuple(urls)


def _email_domain(email: str) -> str | None:
    """The company domain of an e-mail address (``info@mail.firma.de`` → ``firma.de``)."""
    local, sep, domain = email.strip().rpartition("@")
    domain = domain.strip().lower().rstrip(".")
    if not sep or not local or "." not in domain or is_free_mail_domain(domain):
        return None
    return site_domain(domain) or domain


def sites_from_targets(
    targets: pd.DataFrame | Sequence[str], *, try_http: bool = True
) -> tuple[list[Site], int]:
    """Sites to crawl and the number of records that gave none (no website, free-mail only)."""
    pairs: list[tuple[str, str | None]] = []  # (website value, record_id)
    skipped = 0
    if isinstance(targets, pd.DataFrame):
        websites = targets["website"] if "website" in targets.columns else None
        emails = targets["email"] if "email" in targets.columns else None
        ids = targets["record_id"] if "record_id" in targets.columns else None
        for pos in range(len(targets)):
            rid = ids.iloc[pos] if ids is not None else None
            rid = str(rid) if rid is not None and not pd.isna(rid) else None
            site = websites.iloc[pos] if websites is not None else None
            value: str | None = None
            if isinstance(site, str) and _host(site)[1]:
                value = site
            elif emails is not None and isinstance(emails.iloc[pos], str):
                value = _email_domain(emails.iloc[pos])
            if value is None:
                skipped += 1
            else:
                pairs.append((value, rid))
    else:
        pairs = [(str(t), None) for t in targets if str(t).strip()]
    order: dict[str, tuple[tuple[str, ...], list[str]]] = {}
    for value, rid in pairs:
        urls = start_urls(value, try_http=try_http)
        if not urls:
            skipped += 1
            continue
        key = site_key(_host(value)[1] or "")
        entry = order.setdefault(key, (urls, []))
        if rid is not None and rid not in entry[1]:
            entry[1].append(rid)
    sites = [Site(key, urls, tuple(ids)) for key, (urls, ids) in order.items()]
    return sites, skipped

"""Which sites to crawl for a set of canonical records or plain domains.

A record's ``website`` wins; without one, the domain of its ``email`` is used unless it is a
free-mail provider (gmx.de, gmail.com …: their site says nothing about the customer). Records that
share a site are crawled once and the site row lists all their record IDs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def _mapped(values: pd.Series, func: Callable[[str], str | None]) -> pd.Series:
    """``func`` applied once per distinct non-null text value, mapped back to every row."""
    text = values.astype("string")
    distinct = text.dropna().unique()
    lookup = {v: func(str(v)) for v in distinct}
    return text.map(lookup).astype("string")


def _site_value(value: str) -> str | None:
    return value if _host(value)[1] else None


def _key(value: str) -> str | None:
    netloc = _host(value)[1]
    return site_key(netloc) if netloc else None


def sites_from_targets(
    targets: pd.DataFrame | Sequence[str], *, try_http: bool = True
) -> tuple[list[Site], int]:
    """Sites to crawl and the number of records that gave none (no website, free-mail only).

    Per record: ``website``, else ``domain``, else the domain of a non-free-mail ``email``.
    Each distinct value is parsed once; records sharing a site are crawled once.
    """
    if isinstance(targets, pd.DataFrame):
        empty = pd.Series(pd.NA, index=targets.index, dtype="string")
        value = empty
        for column, func in (("website", _site_value), ("domain", _site_value)):
            if column in targets.columns:
                value = value.fillna(_mapped(targets[column], func))
        if "email" in targets.columns:
            value = value.fillna(_mapped(targets["email"], _email_domain))
        ids = targets["record_id"].astype("string") if "record_id" in targets.columns else empty
    else:
        value = pd.Series([str(t).strip() or None for t in targets], dtype="string")
        ids = pd.Series(pd.NA, index=value.index, dtype="string")
    key = _mapped(value, _key)
    skipped = int(key.isna().sum())
    frame = pd.DataFrame({"key": key, "value": value, "record_id": ids}).dropna(subset=["key"])
    sites: list[Site] = []
    for site, group in frame.groupby("key", sort=False):
        urls = start_urls(str(group["value"].iloc[0]), try_http=try_http)
        record_ids = tuple(dict.fromkeys(str(r) for r in group["record_id"].dropna()))
        sites.append(Site(str(site), urls, record_ids))
    return sites, skipped

"""The persistent page cache in the workspace state database.

A response is stored per request URL with its status, the headers that matter (content type,
location, ETag, Last-Modified) and the body. Fresh entries (younger than ``cache_ttl``) are
served without any request; stale ones are revalidated with If-None-Match / If-Modified-Since.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from dq.store import Store

__all__ = ["CACHEABLE_STATUSES", "CachedResponse", "PageCache"]

_DDL = """
CREATE TABLE IF NOT EXISTS web_cache (
    url TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    fetched_at REAL NOT NULL
);
"""

#: Responses worth keeping: content, redirects and "not there" answers.
CACHEABLE_STATUSES = frozenset({200, 203, 301, 302, 303, 307, 308, 404, 410})
_KEPT_HEADERS = ("content-type", "location", "etag", "last-modified", "retry-after")


@dataclass(frozen=True)
class CachedResponse:
    """One stored response; ``fetched_at`` is a Unix timestamp."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: float

    def validators(self) -> dict[str, str]:
        """Conditional-request headers for revalidating this entry."""
        out: dict[str, str] = {}
        if "etag" in self.headers:
            out["If-None-Match"] = self.headers["etag"]
        if "last-modified" in self.headers:
            out["If-Modified-Since"] = self.headers["last-modified"]
        return out


class PageCache:
    """Get and put responses in the ``web_cache`` table of a :class:`~dq.store.Store`."""

    def __init__(self, store: Store, ttl: float) -> None:
        store.ensure("web_cache", _DDL)
        self.conn = store.conn
        self.ttl = ttl

    def get(self, url: str) -> CachedResponse | None:
        row = self.conn.execute(
            "SELECT status, headers, body, fetched_at FROM web_cache WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        return CachedResponse(url, int(row[0]), json.loads(row[1]), bytes(row[2]), float(row[3]))

    def is_fresh(self, entry: CachedResponse) -> bool:
        return time.time() - entry.fetched_at < self.ttl

    def put(self, url: str, status: int, headers: dict[str, str], body: bytes) -> CachedResponse:
        kept = {k: v for k, v in headers.items() if k in _KEPT_HEADERS}
        entry = CachedResponse(url, status, kept, body, time.time())
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO web_cache (url, status, headers, body, fetched_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (url, status, json.dumps(kept), body, entry.fetched_at),
            )
        return entry

    def touch(self, entry: CachedResponse) -> CachedResponse:
        """Mark a revalidated entry (304) fresh again."""
        now = time.time()
        with self.conn:
            self.conn.execute("UPDATE web_cache SET fetched_at = ? WHERE url = ?", (now, entry.url))
        return CachedResponse(entry.url, entry.status, entry.headers, entry.body, now)

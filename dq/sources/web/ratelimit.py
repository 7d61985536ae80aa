"""Politeness: one request at a time per host, a pause between them, a global in-flight limit.

The pause is measured from the *end* of the previous response to the start of the next request,
so that however long the network takes, the host never sees two requests closer together than
``1 / per_host_rate`` seconds. Sites waiting for their host's slot hold no global slot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["HostRateLimiter"]


class HostRateLimiter:
    """Per-host spacing plus a global concurrency limit, for one event loop."""

    def __init__(self, per_host_rate: float, concurrency: int) -> None:
        self.interval = 1.0 / per_host_rate
        self._global = asyncio.Semaphore(concurrency)
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}
        self._interval: dict[str, float] = {}

    def set_interval(self, host: str, seconds: float) -> None:
        """Space this host's requests further apart (robots.txt Crawl-delay)."""
        self._interval[host] = max(self.interval, seconds)

    def defer(self, host: str, seconds: float) -> None:
        """Make the host's next slot no earlier than ``seconds`` from now (Retry-After)."""
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait for the host's turn and a global slot; the host's pause starts on exit."""
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            delay = self._next.get(host, 0.0) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                async with self._global:
                    yield
            finally:
                self._next[host] = max(
                    self._next.get(host, 0.0),
                    time.monotonic() + self._interval.get(host, self.interval),
                )

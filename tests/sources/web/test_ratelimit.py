"""Per-host spacing and the global limit (dq/sources/web/ratelimit.py)."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

from dq.sources.web.ratelimit import HostRateLimiter


def _run(limiter: HostRateLimiter, hosts: list[str], work: float = 0.01) -> dict[str, list[float]]:
    starts: dict[str, list[float]] = {h: [] for h in hosts}

    async def hit(host: str) -> None:
        async with limiter.slot(host):
            starts[host].append(time.monotonic())
            await asyncio.sleep(work)

    async def main() -> None:
        await asyncio.gather(*(hit(h) for h in hosts))

    asyncio.run(main())
    return starts


def test_requests_to_one_host_are_spaced_from_the_previous_end() -> None:
    starts = _run(HostRateLimiter(per_host_rate=20.0, concurrency=4), ["a", "b"] * 3)
    for times in starts.values():
        assert len(times) == 3
        assert min(b - a for a, b in pairwise(times)) >= 0.05 + 0.01


def test_crawl_delay_widens_and_defer_postpones() -> None:
    async def main() -> list[float]:
        limiter = HostRateLimiter(per_host_rate=100.0, concurrency=4)
        limiter.set_interval("a", 0.1)
        times: list[float] = []
        for _ in range(2):
            async with limiter.slot("a"):
                times.append(time.monotonic())
        limiter.defer("a", 0.2)
        async with limiter.slot("a"):
            times.append(time.monotonic())
        return times

    times = asyncio.run(main())
    assert times[1] - times[0] >= 0.1
    assert times[2] - times[1] >= 0.2

"""The guarded httpx transport: one small connection pool per host, all on the SSRF guard.

httpx's own transport keeps one pool for every host; its bookkeeping scans every connection for
every queued request, which dominates the CPU time once hundreds of hosts wait for their rate-limit
slot with idle keep-alive connections. A crawler talks to each host one request at a time, so a
pool per host (least recently used pools closed beyond ``max_hosts``) keeps that work constant.
Every connection is made by :class:`~dq.sources.web.ssrf.GuardedBackend`.
"""

from __future__ import annotations

import contextlib
import ssl
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator, Iterator

import certifi
import httpcore
import httpx

from dq.sources.web.ssrf import AddressGuard, GuardedBackend

__all__ = ["GuardedTransport"]

# httpcore's exceptions as httpx's, most specific first (httpx keeps the same table privately).
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for source, target in _EXCEPTIONS:
            if isinstance(exc, source):
                raise target(str(exc)) from exc
        raise


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _translated():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        if hasattr(self._stream, "aclose"):
            with _translated():
                await self._stream.aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose connections go only to addresses the guard has checked."""

    def __init__(
        self,
        guard: AddressGuard,
        *,
        max_hosts: int = 256,
        keepalive_expiry: float = 15.0,  # a host's next slot may be seconds away
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._backend = GuardedBackend(guard)
        self._ssl = ssl_context or ssl.create_default_context(cafile=certifi.where())
        self._max_hosts = max_hosts
        self._keepalive = keepalive_expiry
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], httpcore.AsyncConnectionPool]
        self._pools = OrderedDict()

    async def _pool(self, url: httpx.URL) -> httpcore.AsyncConnectionPool:
        key = (url.raw_scheme, url.raw_host, url.port)
        pool = self._pools.get(key)
        if pool is not None:
            self._pools.move_to_end(key)
            return pool
        while len(self._pools) >= self._max_hosts:
            oldest_key = next(
                (k for k, p in self._pools.items() if not p.connections or _idle(p)), None
            )
            if oldest_key is None:
                break
            await self._pools.pop(oldest_key).aclose()
        pool = httpcore.AsyncConnectionPool(
            ssl_context=self._ssl,
            max_connections=2,
            max_keepalive_connections=1,
            keepalive_expiry=self._keepalive,
            network_backend=self._backend,
        )
        self._pools[key] = pool
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        pool = await self._pool(request.url)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _translated():
            response = await pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),  # type: ignore[arg-type]
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        pools = list(self._pools.values())
        self._pools.clear()
        for pool in pools:
            await pool.aclose()


def _idle(pool: httpcore.AsyncConnectionPool) -> bool:
    return all(c.is_idle() or c.is_closed() for c in pool.connections)

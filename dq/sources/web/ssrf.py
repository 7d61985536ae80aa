"""The SSRF guard: only public addresses are fetched, and the connection goes to the checked one.

A customer "website" may resolve to 10.0.0.5 or 169.254.169.254. Every host is resolved once by
:class:`AddressGuard` (numeric literals in decimal, octal and hex are normalised first, the
``resolve`` map is consulted like curl's ``--resolve``), every address is checked (IPv4-mapped,
6to4, Teredo and NAT64 forms by their embedded IPv4 too), and :class:`GuardedBackend` connects to
the address that passed: httpx never performs a second lookup that could be rebound. TLS still uses
the hostname for SNI and certificate checks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import httpcore
import httpx

from dq.errors import BlockedAddressError
from dq.sources.web.settings import WebSettings

__all__ = [
    "METADATA_ADDRESSES",
    "AddressGuard",
    "GuardedBackend",
    "IPAddress",
    "Resolver",
    "blocked_reason",
    "parse_ip_literal",
    "system_resolver",
]


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``(host, port) -> addresses``; injectable so tests and benchmarks control DNS.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

# Cloud instance-metadata endpoints stay blocked even when private networks are allowed.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.123",  # AWS time sync
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (classic)
        "fd00:ec2::254",  # AWS IPv6
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPAT = ipaddress.ip_network("::/96")


_NUMERIC_LOOKING = re.compile(r"^(?:\d+|0x[0-9a-f]*)$", re.I)


def _numeric_part(part: str) -> int | None:
    """One dotted part as inet_aton reads it: 0x.. hex, 0.. octal, else decimal."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part, 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes by itself, or ``None`` for a name to look up.

    Reads every form the C resolver accepts: ``2130706433``, ``0x7f000001``, ``0177.0.0.1``,
    ``127.1``, ``[::ffff:127.0.0.1]``. A host that ends in a number but is no valid address is
    refused (:class:`BlockedAddressError`), as browsers refuse it.
    """
    h = host.strip().lower()
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    if ":" in h:
        try:
            return ipaddress.IPv6Address(h.split("%", 1)[0])
        except ValueError:
            raise BlockedAddressError(f"{host!r} is not a valid IPv6 address") from None
    h = h.rstrip(".")
    parts = h.split(".")
    if not _NUMERIC_LOOKING.match(parts[-1]):
        return None
    nums = [_numeric_part(p) if p else None for p in parts]
    if any(n is None for n in nums) or len(nums) > 4:
        raise BlockedAddressError(f"{host!r} ends in a number but is not a valid IP address")
    values = [n for n in nums if n is not None]
    *head, last = values
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(values)):
        raise BlockedAddressError(f"{host!r} is out of range for an IPv4 address")
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64, compatible)."""
    out: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        out.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        out.append(ip.sixtofour)
    if ip.teredo is not None:
        out.extend(ip.teredo)
    if ip in _NAT64 or ip in _NAT64_LOCAL or (ip in _IPV4_COMPAT and int(ip) > 1):
        out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return out


def _category(ip: IPAddress) -> str | None:
    """Why one address (without embedded forms) is not public, or ``None`` when it is."""
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "a carrier-grade NAT address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a reserved address"
    return None


_ALWAYS_BLOCKED = {"a cloud metadata address", "the unspecified address", "a multicast address"}


def blocked_reason(
    ip: IPAddress,
    *,
    allow_private: bool = False,
    allowed_networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network] = (),
) -> str | None:
    """Why ``ip`` must not be fetched, or ``None`` when it may.

    Metadata, unspecified and multicast addresses are always refused; other non-public addresses
    only pass with ``allow_private`` or when inside one of ``allowed_networks``.
    """
    forms: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        # An address that carries an IPv4 address reaches that address: judge that one.
        forms = [*_embedded_ipv4(ip)] or forms
    nets = list(allowed_networks)
    for form in forms:
        reason = _category(form)
        if reason is None:
            continue
        if reason in _ALWAYS_BLOCKED:
            return reason
        if allow_private or any(form.version == n.version and form in n for n in nets):
            continue
        return reason
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address the operating system's resolver returns for ``host``."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: dict[str, None] = {}
    for info in infos:
        seen[str(info[4][0])] = None
    return list(seen)


class AddressGuard:
    """Resolves a host once and refuses it when any of its addresses is not allowed."""

    def __init__(self, settings: WebSettings, resolver: Resolver | None = None) -> None:
        self.allow_private = settings.allow_private_networks
        self.allowed_networks = [
            ipaddress.ip_network(n, strict=False) for n in settings.allowed_networks
        ]
        self.resolve_map = {h: ipaddress.ip_address(ip) for h, ip in settings.resolve.items()}
        self.resolver: Resolver = resolver or system_resolver

    def check_url(self, url: httpx.URL) -> None:
        """Refuse, before any lookup, non-http(s) URLs and hosts that are forbidden literals."""
        if url.scheme not in ("http", "https"):
            raise BlockedAddressError(f"scheme {url.scheme!r} is not allowed (only http and https)")
        if not url.host:
            raise BlockedAddressError("URL has no host")
        name = url.host.lower().rstrip(".")
        literal = None if name in self.resolve_map else parse_ip_literal(name)
        if literal is not None:
            self._check(url.host, [literal])

    def check_address(self, host: str, ip: IPAddress) -> None:
        """Refuse one address of ``host`` unless the settings allow it."""
        self._check(host, [ip])

    def _check(self, host: str, addresses: list[IPAddress]) -> None:
        for ip in addresses:
            reason = blocked_reason(
                ip, allow_private=self.allow_private, allowed_networks=self.allowed_networks
            )
            if reason is not None:
                raise BlockedAddressError(f"host {host!r} resolves to {reason} ({ip}); refused")

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """The checked addresses of ``host``; raises :class:`BlockedAddressError` if any fails."""
        name = host.lower().rstrip(".")
        if name in self.resolve_map:
            addresses: list[IPAddress] = [self.resolve_map[name]]
        else:
            literal = parse_ip_literal(name)
            if literal is not None:
                addresses = [literal]
            else:
                try:
                    raw = await self.resolver(name, port)
                except OSError as exc:
                    raise httpcore.ConnectError(f"cannot resolve host: {exc}") from exc
                addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in raw]
                if not addresses:
                    raise httpcore.ConnectError("host has no addresses")
        self._check(host, addresses)
        return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the guard has checked."""

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None):
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self.guard.resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout("DNS lookup timed out") from None
        last: Exception | None = None
        for ip in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)

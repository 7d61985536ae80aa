"""The SSRF guard: what resolves to a non-public address is refused, however it is written."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.errors import BlockedAddressError
from dq.sources.web import WebSettings, enrich_web
from dq.sources.web.ssrf import AddressGuard, blocked_reason, parse_ip_literal
from tests.sources.web.siteserver import SiteServer

# --- IP literals in every form the C resolver accepts ------------------------------------------
LITERALS = [
    ("127.0.0.1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),  # decimal
    ("0x7f000001", "127.0.0.1"),  # hex
    ("0X7F000001", "127.0.0.1"),
    ("017700000001", "127.0.0.1"),  # octal
    ("0177.0.0.1", "127.0.0.1"),  # octal dotted
    ("0x7f.0.0.1", "127.0.0.1"),  # hex dotted
    ("0x7f.1", "127.0.0.1"),  # two parts
    ("127.1", "127.0.0.1"),
    ("127.0.1", "127.0.0.1"),  # three parts
    ("10.0.0.5.", "10.0.0.5"),  # trailing dot
    ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
    ("2852039166", "169.254.169.254"),
    ("0", "0.0.0.0"),
    ("[::1]", "::1"),
    ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ("[::ffff:7f00:1]", "::ffff:7f00:1"),
    ("[fe80::1%25eth0]", "fe80::1"),
    ("93.184.216.34", "93.184.216.34"),
]


@pytest.mark.parametrize(("host", "address"), LITERALS)
def test_ip_literals_are_normalised(host: str, address: str) -> None:
    host = host.replace("%25", "%")
    assert parse_ip_literal(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["example.com", "firma.de", "0x7f.example", "xn--mller-kva.de"])
def test_names_are_not_literals(host: str) -> None:
    assert parse_ip_literal(host) is None


@pytest.mark.parametrize(
    "host", ["256.0.0.1", "1.2.3.4.5", "4294967296", "0x1ffffffff", "firma.08", "1.2.3.09"]
)
def test_invalid_numeric_hosts_are_refused(host: str) -> None:
    with pytest.raises(BlockedAddressError):
        parse_ip_literal(host)


# --- address categories --------------------------------------------------------------------------
BLOCKED = [
    ("127.0.0.1", "loopback"),
    ("10.0.0.5", "private"),
    ("172.16.3.4", "private"),
    ("192.168.178.1", "private"),
    ("169.254.169.254", "metadata"),
    ("169.254.10.10", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.100.100.200", "metadata"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.251", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.10", "private"),  # TEST-NET-1 (documentation)
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("fd00:ec2::254", "metadata"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:169.254.169.254", "metadata"),
    ("::ffff:10.0.0.1", "private"),
    ("::127.0.0.1", "loopback"),  # IPv4-compatible (deprecated)
    ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
    ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
    ("2002:a9fe:a9fe::", "metadata"),  # 6to4 of 169.254.169.254
]


@pytest.mark.parametrize(("address", "why"), BLOCKED)
def test_non_public_addresses_are_blocked(address: str, why: str) -> None:
    reason = blocked_reason(ipaddress.ip_address(address))
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


def test_opt_in_allows_private_but_never_metadata() -> None:
    assert blocked_reason(ipaddress.ip_address("10.0.0.5"), allow_private=True) is None
    assert blocked_reason(ipaddress.ip_address("::1"), allow_private=True) is None
    for address in ("169.254.169.254", "::ffff:169.254.169.254", "0.0.0.0", "224.0.0.1"):
        assert blocked_reason(ipaddress.ip_address(address), allow_private=True) is not None


def test_allowed_networks_open_only_their_range() -> None:
    nets = [ipaddress.ip_network("127.0.0.1/32")]
    assert blocked_reason(ipaddress.ip_address("127.0.0.1"), allowed_networks=nets) is None
    assert blocked_reason(ipaddress.ip_address("127.0.0.2"), allowed_networks=nets) is not None
    assert blocked_reason(ipaddress.ip_address("10.0.0.1"), allowed_networks=nets) is not None


@given(st.ip_addresses(v=4))
def test_mapped_form_is_judged_like_the_ipv4_address(ip: ipaddress.IPv4Address) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    assert (blocked_reason(mapped) is None) == (blocked_reason(ip) is None)


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_integer_literal_is_the_address_it_denotes(value: int) -> None:
    assert parse_ip_literal(str(value)) == ipaddress.IPv4Address(value)
    assert parse_ip_literal(hex(value)) == ipaddress.IPv4Address(value)


# --- hostnames through an injected resolver ----------------------------------------------------
def fake_dns(table: dict[str, Sequence[str]]):  # type: ignore[no-untyped-def]
    """A resolver function from a table: dependency injection of the DNS lookup."""

    async def resolve(host: str, port: int) -> Sequence[str]:
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


DNS = {
    "public.example": ["93.184.216.34"],
    "internal.example": ["10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": ["93.184.216.34", "192.168.1.10"],  # one bad address is enough
    "mapped.example": ["::ffff:127.0.0.1"],
    "v6-loopback.example": ["::1"],
    "cgnat.example": ["100.64.12.1"],
}


@pytest.mark.parametrize(
    ("host", "blocked"),
    [
        ("public.example", False),
        ("internal.example", True),
        ("metadata.example", True),
        ("mixed.example", True),
        ("mapped.example", True),
        ("v6-loopback.example", True),
        ("cgnat.example", True),
        ("2130706433", True),
        ("0x7f.1", True),
        ("[::ffff:a9fe:a9fe]", True),
    ],
)
def test_guard_resolves_and_checks_every_address(host: str, blocked: bool) -> None:
    guard = AddressGuard(WebSettings(), fake_dns(DNS))
    if blocked:
        with pytest.raises(BlockedAddressError):
            asyncio.run(guard.resolve(host, 443))
    else:
        assert asyncio.run(guard.resolve(host, 443)) == [ipaddress.ip_address("93.184.216.34")]


def test_resolve_map_wins_over_dns_and_is_still_checked() -> None:
    settings = WebSettings(resolve={"public.example": "10.9.8.7"})
    guard = AddressGuard(settings, fake_dns(DNS))
    with pytest.raises(BlockedAddressError, match=r"10\.9\.8\.7"):
        asyncio.run(guard.resolve("public.example", 80))


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://firma.de/", "gopher://x/", "http:///nohost"]
)
def test_only_http_urls_with_a_host(url: str) -> None:
    guard = AddressGuard(WebSettings())
    with pytest.raises((BlockedAddressError, httpx.InvalidURL)):
        guard.check_url(httpx.URL(url))


# --- end to end: targets and redirects into private space ---------------------------------------
@pytest.mark.parametrize(
    "target",
    [
        "http://internal.example/",
        "http://metadata.example/latest/meta-data/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://mixed.example/",
        "http://cgnat.example/",
    ],
)
def test_private_targets_end_as_blocked_address(target: str) -> None:
    result = enrich_web([target], WebSettings(), resolver=fake_dns(DNS))
    assert result.sites.loc[0, "status"] == "blocked-address"
    assert result.sites.loc[0, "pages_fetched"] == 0


def test_redirect_hops_are_checked_before_any_request() -> None:
    """Forbidden schemes and address literals in a Location are refused before a request."""
    hops = {
        "public.example/": "http://public.example/step2",
        "public.example/step2": "http://0xa9fea9fe/latest/meta-data/",
        "other.example/": "file:///etc/passwd",
        "third.example/": "http://[::ffff:10.0.0.1]/",
    }
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": hops[request.url.host + request.url.path]})

    result = enrich_web(
        ["http://public.example/", "http://other.example/", "http://third.example/"],
        WebSettings(per_host_rate=100.0),
        transport=httpx.MockTransport(handler),
    )
    assert list(result.sites["status"]) == ["blocked-address"] * 3
    assert all(httpx.URL(u).host.endswith(".example") for u in seen)


def test_redirect_to_a_name_with_a_private_address(
    site_server: SiteServer, web_settings: WebSettings
) -> None:
    """The real transport resolves the redirect target through the injected DNS and refuses it."""
    resolve = {h: ip for h, ip in web_settings.resolve.items() if h != "intranet.test"}
    settings = web_settings.model_copy(update={"resolve": resolve})
    dns = fake_dns({"intranet.test": ["93.184.216.34", "10.0.0.5"]})
    result = enrich_web([site_server.url("redirect-intranet.test")], settings, resolver=dns)
    assert result.sites.loc[0, "status"] == "blocked-address"
    assert "10.0.0.5" in str(result.sites.loc[0, "detail"])

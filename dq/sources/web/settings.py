"""Settings of the website crawler: the ``web:`` section of dq.yaml.

Defaults are the polite and safe ones: private networks refused, one request per second per host,
an identifying User-Agent, timeouts and a body cap. Tests and local use opt in to private
addresses explicitly (``allow_private_networks`` or ``allowed_networks`` plus ``resolve``).
"""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dq.errors import ConfigError

__all__ = ["DEFAULT_USER_AGENT", "WebSettings", "parse_resolve"]

DEFAULT_USER_AGENT = (
    "dq-crawler/0.1 (company-data enrichment; set web.user_agent to add your contact)"
)


class WebSettings(BaseModel):
    """How the crawler fetches company websites (the ``web:`` section of dq.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow_private_networks: bool = Field(
        False,
        description="Allow private, loopback and link-local targets (local use and tests only). "
        "Cloud metadata addresses stay blocked.",
    )
    allowed_networks: tuple[str, ...] = Field(
        (),
        description="CIDR ranges allowed although not public, e.g. ['127.0.0.1/32'] for a test "
        "server; every other non-public address stays blocked.",
    )
    resolve: dict[str, str] = Field(
        default_factory=dict,
        description="HOST -> IP used instead of DNS (curl's --resolve); checked by the guard.",
    )
    user_agent: str = Field(DEFAULT_USER_AGENT, description="Identifying User-Agent header.")
    per_host_rate: float = Field(
        1.0, gt=0, description="Requests per second per host (next request waits 1/rate s)."
    )
    concurrency: int = Field(32, ge=1, description="Requests in flight at once, all hosts.")
    site_concurrency: int = Field(
        256, ge=1, description="Sites crawled at once (most of them wait for their host's slot)."
    )
    parse_workers: int = Field(
        0,
        ge=0,
        le=64,
        description="Processes that parse pages and extract facts while the crawler's own "
        "process keeps the network busy; 0 parses in the crawler's process.",
    )
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to connect (incl. DNS).")
    read_timeout: float = Field(20.0, gt=0, description="Seconds between two received chunks.")
    site_deadline: float = Field(60.0, gt=0, description="Seconds for one whole site.")
    max_bytes: int = Field(5_000_000, ge=1024, description="Body cap per response (decoded).")
    max_pages_per_site: int = Field(
        3, ge=1, le=10, description="HTML pages per site, the homepage included."
    )
    max_redirects: int = Field(5, ge=0, le=10, description="Redirect hops per request.")
    retries: int = Field(2, ge=0, le=5, description="Retries on 429/503 and connection resets.")
    backoff: float = Field(1.0, ge=0, description="First retry delay in s; doubles each retry.")
    max_retry_after: float = Field(
        30.0, ge=0, description="Longest Retry-After honoured; longer ones give up."
    )
    max_crawl_delay: float = Field(
        10.0, ge=0, description="robots.txt Crawl-delay is honoured up to this many seconds."
    )
    cache_ttl: float = Field(
        7 * 24 * 3600.0, ge=0, description="Seconds a cached page is fresh (no request at all)."
    )
    try_http: bool = Field(
        True, description="Fall back to http:// when https:// cannot be reached."
    )
    default_country: str = Field("DE", description="Country assumed for addresses without one.")
    ca_bundle: str | None = Field(
        None,
        description="PEM file of certificate authorities to trust instead of the certifi bundle "
        "(a corporate TLS-inspecting proxy, tests).",
    )

    @field_validator("allowed_networks")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for net in value:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise ValueError(f"{net!r} is not a CIDR range such as 127.0.0.1/32") from None
        return value

    @field_validator("resolve")
    @classmethod
    def _resolve(cls, value: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for host, ip in value.items():
            try:
                ipaddress.ip_address(ip.strip("[]"))
            except ValueError:
                raise ValueError(f"resolve: {ip!r} (for {host!r}) is not an IP address") from None
            out[host.lower().rstrip(".")] = ip.strip("[]")
        return out


def parse_resolve(entries: list[str]) -> dict[str, str]:
    """Parse curl-style ``HOST:IP`` entries (IPv6 may be bracketed) into a mapping."""
    out: dict[str, str] = {}
    for entry in entries:
        host, sep, ip = entry.partition(":")
        if not sep or not host or not ip:
            raise ConfigError(
                None, [f"--resolve {entry!r}: expected HOST:IP, e.g. shop.test:127.0.0.1"]
            )
        out[host] = ip
    return out

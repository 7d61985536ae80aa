"""robots.txt per RFC 9309: our group or *, longest match, Allow on ties, wildcards."""

from __future__ import annotations

import pytest

from dq.sources.web.robots import RobotsRules, parse_robots, product_token

UA = "dq-crawler/0.1 (+https://example.org/bot)"

ROBOTS = """
# comment
User-agent: *
Disallow: /private/
Allow: /private/public-page
Disallow: /*.pdf$
Disallow: /search?

User-agent: dq-crawler
User-agent: OtherBot
Disallow: /no-dq/
Allow: /no-dq/but-this
Disallow: /intern
Crawl-delay: 2

Sitemap: https://firma.de/sitemap.xml
"""

CASES = [
    ("/", True),
    ("/no-dq/page", False),
    ("/no-dq/but-this", True),
    ("/intern", False),
    ("/interna/x", False),  # prefix match
    ("/private/x", True),  # our own group replaces the * group entirely
    ("/robots.txt", True),
]


@pytest.mark.parametrize(("path", "allowed"), CASES)
def test_our_group_applies(path: str, allowed: bool) -> None:
    assert parse_robots(ROBOTS, UA).allowed(f"https://firma.de{path}") is allowed


STAR_CASES = [
    ("/private/x", False),
    ("/private/public-page", True),  # longer Allow wins
    ("/docs/file.pdf", False),
    ("/docs/file.pdf?x=1", True),  # $ anchors the end
    ("/search?q=gmbh", False),
    ("/search", True),
    ("/%7Euser/", True),
]


@pytest.mark.parametrize(("path", "allowed"), STAR_CASES)
def test_star_group_for_other_agents(path: str, allowed: bool) -> None:
    assert parse_robots(ROBOTS, "SomeBot/1.0").allowed(path) is allowed


def test_crawl_delay_and_sitemaps() -> None:
    rules = parse_robots(ROBOTS, UA)
    assert rules.crawl_delay == 2.0
    assert rules.sitemaps == ("https://firma.de/sitemap.xml",)


def test_tie_goes_to_allow() -> None:
    rules = parse_robots("User-agent: *\nDisallow: /page\nAllow: /page\n", UA)
    assert rules.allowed("/page")


def test_empty_disallow_allows_everything() -> None:
    assert parse_robots("User-agent: *\nDisallow:\n", UA).allowed("/anything")


def test_rules_before_any_user_agent_are_ignored() -> None:
    assert parse_robots("Disallow: /\nUser-agent: x\nDisallow: /\n", UA).allowed("/")


def test_unavailable_and_unreachable() -> None:
    assert RobotsRules.allow_all().allowed("/x")
    assert not RobotsRules.disallow_all().allowed("/")


@pytest.mark.parametrize(
    ("ua", "token"), [(UA, "dq-crawler"), ("Googlebot/2.1", "googlebot"), ("", "*")]
)
def test_product_token(ua: str, token: str) -> None:
    assert product_token(ua) == token

"""robots.txt per RFC 9309: groups by user agent, longest match wins, Allow wins ties.

``urllib.robotparser`` takes the first matching rule in file order and ignores ``*``/``$``
wildcards, which RFC 9309 replaced with the longest-match rule; this module follows the RFC.
What happens when robots.txt cannot be fetched (4xx: everything allowed; 5xx or unreachable:
everything disallowed) is decided by the caller through :meth:`RobotsRules.allow_all` and
:meth:`RobotsRules.disallow_all`.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

__all__ = ["RobotsRules", "parse_robots", "product_token"]

_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB


def product_token(user_agent: str) -> str:
    """The token robots.txt groups are matched against: ``dq-crawler/0.1 (…)`` → ``dq-crawler``."""
    token = re.match(r"[A-Za-z_-]+", user_agent.strip())
    return token.group(0).lower() if token else "*"


def _normalise_path(path: str) -> str:
    """Percent-encoding made uniform so ``/%7Euser`` and ``/~user`` compare equal."""
    return quote(unquote(path), safe="/?=&;:@!$'()*+,~-._%")


@dataclass(frozen=True)
class _Rule:
    allow: bool
    path: str
    pattern: re.Pattern[str]


def _compile(path: str) -> re.Pattern[str]:
    anchored = path.endswith("$")
    body = path[:-1] if anchored else path
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


@dataclass(frozen=True)
class RobotsRules:
    """The rules of one host's robots.txt that apply to our user agent."""

    rules: tuple[_Rule, ...] = ()
    crawl_delay: float | None = None
    disallowed: bool = False  # 5xx / unreachable: nothing may be fetched
    sitemaps: tuple[str, ...] = field(default=())

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls()

    @classmethod
    def disallow_all(cls) -> RobotsRules:
        return cls(disallowed=True)

    def allowed(self, url: str) -> bool:
        """Whether ``url`` (absolute or a path) may be fetched."""
        if self.disallowed:
            return False
        parts = urlsplit(url)
        target = _normalise_path((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if target == "/robots.txt":
            return True
        best: _Rule | None = None
        for rule in self.rules:
            if not rule.pattern.match(target):
                continue
            if (
                best is None
                or len(rule.path) > len(best.path)
                or (len(rule.path) == len(best.path) and rule.allow and not best.allow)
            ):
                best = rule
        return best is None or best.allow


def parse_robots(text: str, user_agent: str) -> RobotsRules:
    """The rules in ``text`` for ``user_agent``: its own groups, else the ``*`` groups."""
    token = product_token(user_agent)
    groups: list[tuple[list[str], list[_Rule], list[float]]] = []
    sitemaps: list[str] = []
    agents: list[str] = []
    rules: list[_Rule] = []
    delays: list[float] = []
    in_rules = False
    for raw_line in text[:_MAX_BYTES].splitlines():
        line = raw_line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (s.strip() for s in line.split(":", 1))
        key = key.lower()
        if key in ("user-agent", "useragent"):
            if in_rules:
                groups.append((agents, rules, delays))
                agents, rules, delays = [], [], []
                in_rules = False
            agents.append("*" if value == "*" else product_token(value))
        elif key in ("allow", "disallow"):
            in_rules = True
            if not agents:
                continue
            if key == "disallow" and not value:
                continue  # "Disallow:" with no path allows everything
            path = _normalise_path(value if value.startswith(("/", "*")) else "/" + value)
            rules.append(_Rule(key == "allow", path, _compile(path)))
        elif key == "crawl-delay":
            in_rules = True
            with contextlib.suppress(ValueError):
                delays.append(float(value))
        elif key == "sitemap":
            sitemaps.append(value)
    if agents:
        groups.append((agents, rules, delays))

    def pick(match: str) -> tuple[list[_Rule], list[float]] | None:
        chosen = [g for g in groups if match in g[0]]
        if not chosen:
            return None
        return [r for g in chosen for r in g[1]], [d for g in chosen for d in g[2]]

    picked = pick(token) or pick("*") or ([], [])
    return RobotsRules(
        rules=tuple(picked[0]),
        crawl_delay=max(picked[1]) if picked[1] else None,
        sitemaps=tuple(sitemaps),
    )

"""The exception tree of dq.

Every error a user can act on is a :class:`DQError`; its message names the file, row and column
where known and says what to do. The CLI turns each class into one red line and an exit code::

    DQError                      base class, never raised itself
    ├── ConfigError              dq.yaml or another configuration file is invalid      exit 3
    ├── InputError               an input file cannot be read (file, row, column)       exit 3
    │   ├── EncodingError        undecodable bytes (file, line, byte offset)            exit 3
    │   └── EmptyFileError       a file without even a header row                       exit 3
    ├── RuleError                a rule set or retention policy is invalid              exit 3
    ├── ConnectorError           a connector profile is unknown or invalid              exit 3
    │   ├── FetchError           a web page could not be fetched                        exit 3
    │   └── BlockedAddressError  the SSRF guard refused an address                      exit 3
    └── QualityGateFailed        a quality threshold was not met                        exit 1

Messages never contain personal data beyond record IDs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "BlockedAddressError",
    "ConfigError",
    "ConnectorError",
    "DQError",
    "EmptyFileError",
    "EncodingError",
    "FetchError",
    "InputError",
    "QualityGateFailed",
    "RuleError",
]


class DQError(Exception):
    """Base of every error dq raises on purpose; ``exit_code`` is what the CLI exits with."""

    exit_code = 3


class ConfigError(DQError):
    """A configuration file is invalid; ``problems`` lists every problem found."""

    def __init__(self, path: Path | str | None, problems: Sequence[str]) -> None:
        self.path = Path(path) if path is not None else None
        self.problems = list(problems)
        where = f"{self.path}: " if self.path is not None else ""
        if len(self.problems) == 1:
            message = f"{where}{self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{where}{len(self.problems)} problems:\n{lines}"
        super().__init__(message)


class InputError(DQError):
    """An input file cannot be read; names the file and, where known, the row and column."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.row = row
        self.column = column
        self.hint = hint
        parts: list[str] = []
        if self.path is not None:
            parts.append(str(self.path))
        if row is not None:
            parts.append(f"line {row}")
        if column is not None:
            parts.append(f"column {column!r}")
        text = ", ".join(parts)
        full = f"{text}: {message}" if text else message
        if hint:
            full = f"{full} ({hint})"
        super().__init__(full)


class EncodingError(InputError):
    """Bytes that decode in none of the accepted encodings; never replaced silently."""


class EmptyFileError(InputError):
    """A file holds no header row at all; a workspace run warns and reads the other sources."""


class RuleError(DQError):
    """A rule set, check or retention policy is invalid."""


class ConnectorError(DQError):
    """A connector profile is unknown, invalid, or cannot read what it was given."""

    @classmethod
    def unknown(cls, name: str, known: Iterable[str]) -> ConnectorError:
        names = ", ".join(sorted(known))
        return cls(f"unknown connector {name!r}; known connectors: {names} (see `dq connectors`)")


class FetchError(ConnectorError):
    """A web page could not be fetched (timeout, HTTP error, too large, not HTML)."""


class BlockedAddressError(ConnectorError):
    """The SSRF guard refused a URL because it resolves to a non-public address."""


class QualityGateFailed(DQError):
    """A quality threshold configured in dq.yaml was not met."""

    exit_code = 1

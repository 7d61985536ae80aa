"""``dq enrich-web`` as one library function: read the targets, crawl, write both tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dq.errors import InputError
from dq.sources.web.enrich import EnrichWebResult, enrich_web
from dq.store import Store, default_store_path
from dq.tables import TableFormat, read_table, write_table

__all__ = ["EnrichWebFileResult", "enrich_web_file", "read_domains"]


@dataclass
class EnrichWebFileResult:
    """The crawl's result and the files written (``web_sites``, ``web_records``)."""

    result: EnrichWebResult
    written: dict[str, Path]


def read_domains(path: Path) -> list[str]:
    """Domains or URLs from a text file, one per line; ``#`` starts a comment."""
    if not path.is_file():
        raise InputError("file not found", path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def enrich_web_file(
    input_path: Path,
    out_dir: Path,
    *,
    domains: bool = False,
    config: Path | None = None,
    allow_private_networks: bool = False,
    resolve: Sequence[str] | None = None,
    user_agent: str | None = None,
    use_cache: bool = True,
    fmt: TableFormat = "parquet",
    progress: Callable[[int, int], None] | None = None,
) -> EnrichWebFileResult:
    """Crawl the sites of the records in ``input_path`` (or, with ``domains``, of a domain list).

    Settings come from the ``web:`` section of ``config`` with the given overrides; the page
    cache lives in the workspace's state database (the folder of ``config``, else the current
    one) unless ``use_cache`` is false. Writes ``web_sites`` and ``web_records`` into ``out_dir``.
    """
    from dq.config import load_web_settings
    from dq.sources.web.settings import parse_resolve

    settings = load_web_settings(
        config,
        allow_private_networks=True if allow_private_networks else None,
        resolve=parse_resolve(list(resolve)) if resolve else None,
        user_agent=user_agent,
    )
    targets = read_domains(input_path) if domains else read_table(input_path)
    workspace = config.resolve().parent if config is not None else Path.cwd()
    if config is not None and config.is_dir():
        workspace = config.resolve()
    store = Store(default_store_path(workspace)) if use_cache else None
    try:
        result = enrich_web(targets, settings, store=store, progress=progress)
    finally:
        if store is not None:
            store.close()
    written = {
        "web_sites": write_table(result.sites, out_dir, "web_sites", fmt),
        "web_records": write_table(result.records, out_dir, "web_records", fmt),
    }
    return EnrichWebFileResult(result=result, written=written)

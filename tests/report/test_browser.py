"""report.html in headless Chromium: loads without a single network request or console error,
shows every section, and renders to a screenshot.

Requests and errors are observed through the Chrome DevTools Protocol (Network, Runtime, Log
domains): a request the page's CSP blocks still shows up as a console error, and one it allowed
would show up as a request, so either way a reference to elsewhere fails the test. A control
page with an external image proves the observation works.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report._cdp import chromium_binary, load_page
from tests.report.conftest import DemoRun

pytestmark = pytest.mark.skipif(
    chromium_binary() is None,
    reason="chromium is not installed (apt-get install -y chromium; see `make test-deps`)",
)

SECTIONS = ["overview", "sources", "quality", "duplicates", "value", "gdpr", "facts"]


def test_report_loads_offline_without_errors(
    demo_runs: tuple[DemoRun, DemoRun], tmp_path: Path
) -> None:
    report = demo_runs[1].report.paths["report.html"]
    url = report.resolve().as_uri()
    load = load_page(url, tmp_path / "profile")
    assert load.requests == [url]  # the document itself, nothing else
    assert load.console_errors == []
    assert load.section_ids == SECTIONS
    assert load.screenshot.startswith(b"\x89PNG\r\n\x1a\n") and len(load.screenshot) > 20_000
    (tmp_path / "report.png").write_bytes(load.screenshot)


def test_an_external_reference_would_be_caught(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<img src="http://127.0.0.1:9/pixel.png"><script>console.error("boom")</script>'
        "</body></html>",
        encoding="utf-8",
    )
    load = load_page(page.resolve().as_uri(), tmp_path / "profile")
    assert "http://127.0.0.1:9/pixel.png" in load.requests
    assert load.console_errors

"""`dq --help`, `dq <command> --help` and `dq --version` start fast: they import no engine."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dq
from dq.cli.app import _COMMAND_MODULES

HEAVY = ("pandas", "pyarrow", "pandera", "scipy", "rapidfuzz", "numpy", "recordlinkage", "httpx")
COMMANDS = [m.rsplit(".", 1)[1].removesuffix("_cmd").replace("_", "-") for m in _COMMAND_MODULES]

_PROBE = """
import sys
from click.testing import CliRunner
from dq.cli.app import app
import typer
result = CliRunner().invoke(typer.main.get_command(app), sys.argv[1:])
assert result.exit_code == 0, result.output
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _imported(*args: str) -> list[str]:
    code = _PROBE.format(heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return [m for m in out.stdout.strip().split(",") if m]


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_root_imports_no_engine(args: list[str]) -> None:
    assert _imported(*args) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_imports_no_engine(command: str) -> None:
    assert _imported(*command.split(), "--help") == []


def test_version() -> None:
    from typer.testing import CliRunner

    from dq.cli.app import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"dq {dq.__version__}"


@pytest.mark.parametrize(
    "package",
    [
        "dq",
        "dq.match",
        "dq.golden",
        "dq.validate",
        "dq.standardize",
        "dq.sources.web",
        "dq.report",
        "dq.audit",
        "dq.enrich",
        "dq.gdpr",
    ],
)
def test_no_lazy_export_is_shadowed_by_a_submodule(package: str) -> None:
    """Importing a submodule binds its name on the package: it must not hide a lazy export."""
    import importlib
    import pkgutil

    module = importlib.import_module(package)
    submodules = {m.name for m in pkgutil.iter_modules(module.__path__)}
    assert not set(module.__all__) & submodules

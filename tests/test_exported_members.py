"""The declared public API resolves, and `import dq` stays light."""

from __future__ import annotations

import subprocess
import sys

import dq


def test_all_names_resolve() -> None:
    for name in dq.__all__:
        assert getattr(dq, name) is not None, name


def test_no_export_is_shadowed_by_a_submodule() -> None:
    """`dq.ingest` is the module once imported; a function of that name would be unreachable."""
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(dq.__path__)}
    assert not set(dq.__all__) & submodules


def test_import_is_light() -> None:
    code = (
        "import sys, dq; "
        "print([m for m in ('pandas', 'pandera', 'httpx', 'recordlinkage') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

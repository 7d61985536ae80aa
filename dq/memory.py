"""Memory of large runs: text as Arrow buffers, freed memory handed back between stages.

Arrow's pool and glibc's malloc both keep freed memory for reuse. The next stage mostly
allocates differently (numpy instead of Arrow, large blocks instead of small ones), so without
this each stage's temporaries stay in the process and add up to its peak.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from collections.abc import Callable
from typing import Any

import pandas as pd

__all__ = ["arrow_strings", "release_unused", "use_malloc_for_arrow"]


def use_malloc_for_arrow() -> None:
    """Let Arrow allocate from the C library's malloc, unless ``ARROW_DEFAULT_MEMORY_POOL``
    chose a pool. Arrow's default here (mimalloc) kept memory freed between stages mapped:
    180–290 MB more peak at a million records (docs/benchmarks.md); glibc's goes back to the
    OS with :func:`release_unused`. Called where large work starts; cheap and idempotent."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


def release_unused() -> None:
    """Return the Arrow pool's and the C heap's free memory to the OS (cheap: milliseconds)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], Any] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl, Windows)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return getattr(libc, "malloc_trim", None)


def arrow_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with Python-backed text columns as Arrow-backed strings (``string[pyarrow]``).

    Same values and NA semantics, but one buffer per column instead of one Python object per
    cell: at a million records a fraction of the memory, and string kernels run in C++.
    """
    out = frame.copy(deep=False)
    for name in out.columns:
        dtype = out[name].dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "python":
            out[name] = out[name].astype("string[pyarrow]")
    return out

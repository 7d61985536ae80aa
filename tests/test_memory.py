"""Memory helpers: Arrow on the C library's allocator unless the user chose, text as Arrow."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from dq.memory import arrow_strings, release_unused

# pandas imports pyarrow (and Arrow picks its pool) before dq is imported
_PROBE = (
    "import pandas as pd, pyarrow as pa; from dq.standardize import standardize_records; "
    "standardize_records(pd.DataFrame({'record_id': ['1'], 'company_name': ['Muster GmbH']})); "
    "print(pa.default_memory_pool().backend_name)"
)


@pytest.mark.parametrize(("chosen", "expected"), [(None, "system"), ("mimalloc", "mimalloc")])
def test_arrow_allocates_from_malloc_unless_the_user_chose(
    chosen: str | None, expected: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == expected


def test_arrow_strings_converts_python_text_only() -> None:
    frame = pd.DataFrame(
        {
            "name": pd.array(["Müller", None], dtype="string[python]"),
            "count": [1, 2],
            "other": ["a", "b"],
        }
    )
    out = arrow_strings(frame)
    assert str(out["name"].dtype) == "string" and out["name"].dtype.storage == "pyarrow"
    assert out["name"].isna().tolist() == [False, True]
    assert out["count"].dtype == frame["count"].dtype and out["other"].dtype == object
    release_unused()  # callable anywhere, returns nothing

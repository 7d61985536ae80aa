"""Text columns of a raw table cleaned without copying what does not change.

A 2-million-row export holds hundreds of megabytes of strings; stripping blanks or turning
empty cells into nulls by building new arrays would double that. Here a column that needs no
stripping is returned as it is, and empty cells become nulls through a new validity bitmap over
the same string buffers.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["blank_to_null", "stripped"]


def _chunks(values: pd.Series) -> pa.ChunkedArray | None:
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        chunked = array.__arrow_array__()
        return chunked if isinstance(chunked, pa.ChunkedArray) else pa.chunked_array([chunked])
    return None


def _series(chunks: list[pa.Array], like: pd.Series, kind: pa.DataType) -> pd.Series:
    array = pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=kind))
    return pd.Series(array, index=like.index, name=like.name)


def stripped(values: pd.Series) -> pd.Series:
    """``values`` with surrounding whitespace removed; the same column when there is none."""
    chunked = _chunks(values)
    if chunked is None:
        text = values if isinstance(values.dtype, pd.StringDtype) else values.astype("string")
        return text.str.strip()
    trimmed = pc.utf8_trim_whitespace(chunked)
    if pc.sum(pc.binary_length(trimmed)).as_py() == pc.sum(pc.binary_length(chunked)).as_py():
        return values
    return _series(list(trimmed.chunks), values, chunked.type)


def blank_to_null(values: pd.Series) -> pd.Series:
    """Empty strings as nulls, sharing the string buffers of ``values``."""
    chunked = _chunks(values)
    if chunked is None:
        return values.where(values != "")
    out: list[pa.Array] = []
    for chunk in chunked.chunks:
        empty = pc.fill_null(pc.equal(chunk, ""), False)
        if not pc.any(empty).as_py():
            out.append(chunk)
            continue
        valid = pc.fill_null(pc.and_(pc.invert(empty), pc.is_valid(chunk)), False)
        if chunk.offset or valid.offset:
            out.append(pc.if_else(empty, pa.scalar(None, chunk.type), chunk))
            continue
        buffers = chunk.buffers()
        out.append(
            pa.Array.from_buffers(chunk.type, len(chunk), [valid.buffers()[1], *buffers[1:]])
        )
    return _series(out, values, chunked.type)

"""Columnar reading of the mentees' and mentors' CSV files (pyarrow, dictionary-encoded).

``read_columns`` gives the same cells as :func:`matching_engine.io_csv.read_table` — same
encodings (UTF-8 with or without BOM, else Windows-1252), same separator guess, header names
stripped and lower-cased, cells stripped, blank records skipped — but as one array of codes
per column into its distinct values, so that encoding can work once per distinct value
instead of once per row. It never reports a bad file itself: on anything it is not sure to
read exactly as ``read_table`` would (a file pyarrow rejects, a row of another length, a NUL
character, a file without data rows), it raises :class:`NotColumnar` and the caller reads
the file with ``read_table``, which names the file, line and column of the problem.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from matching_engine.model import COLUMN_ALIASES, I32

_MAX_COLUMNS = 512
# A value that str.strip() changes: it starts or ends with one of the characters that
# str.isspace() accepts (tests/engine/test_io_columns.py checks the list).
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACES) + "]"
_PADDED = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"
# Reading the first line to guess the separator: a prefix is enough unless the line is longer.
_PREFIX = 1 << 16


def _arrow() -> tuple[Any, Any, Any]:
    """pyarrow, its compute and its CSV modules, imported when a file is read (the platform,
    which builds problems from rows, never loads them)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.compute as pc  # type: ignore[import-untyped]
    import pyarrow.csv as pa_csv  # type: ignore[import-untyped]

    return pa, pc, pa_csv


class NotColumnar(Exception):
    """The file must be read by the row reader (which reports what is wrong with it)."""


@dataclass(frozen=True)
class Column:
    """One column: ``values[codes[k]]`` is row k's cell (stripped); values are distinct,
    each present, in order of first appearance (so a pass over ``values`` meets new words in
    the order a pass over the rows would)."""

    values: list[str]
    codes: I32

    def cells(self) -> list[str]:
        """Every row's cell, in file order."""
        return np.asarray(self.values, dtype=object)[self.codes].tolist()  # type: ignore[no-any-return]

    def items(self) -> tuple[list[str], I32, I32]:
        """The values split as multi-valued cells are (',' read as ';', then split on ';'):
        the distinct raw items (not stripped) in order of first appearance, and for each
        item of each value, its code into them and the index of its value."""
        return self._split

    @cached_property
    def _split(self) -> tuple[list[str], I32, I32]:
        # Once per column: encoding reads a column's items twice (its vocabulary, then each
        # value's bitset), and splitting 200,000 skill lists costs about 0.2 s.
        _, pc, _ = _arrow()
        lists = pc.split_pattern(pc.replace_substring(_strings(self.values), ",", ";"), ";")
        owner = np.repeat(
            np.arange(len(self.values), dtype=np.int32),
            np.diff(_numpy(lists.offsets)),
        )
        encoded = pc.dictionary_encode(lists.flatten())
        column = _by_first_appearance(
            encoded.dictionary.to_pylist(),
            _numpy(encoded.indices).astype(np.int32, copy=False),
        )
        return column.values, column.codes, owner


@dataclass(frozen=True)
class ColumnTable:
    """A CSV file of profiles read column by column."""

    path: str
    header: tuple[str, ...]
    rows: int
    columns: dict[str, Column]

    def get(self, name: str) -> Column:
        """The column ``name`` (or its old name, see ``COLUMN_ALIASES``); a column the file
        lacks reads as empty cells, as the row reader's missing keys do."""
        found = self.columns.get(name)
        if found is None:
            old = next((o for o, new in COLUMN_ALIASES.items() if new == name), None)
            found = self.columns.get(old) if old else None
        if found is None:
            return Column([""], np.zeros(self.rows, np.int32))
        return found


def _text(raw: bytes) -> tuple[str, bytes]:
    """The file's text as ``io_csv.decode`` reads it (NotColumnar where it would fail), and
    that text in UTF-8 for pyarrow: the file's own bytes when it is UTF-8 (less its BOM),
    which encoding the text again would give byte for byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise NotColumnar from None
    return text, text.encode("utf-8")


def _delimiter(text: str) -> str:
    """``read_table``'s guess: ';' when the first non-blank line has more ';' than ','."""
    lines = text[:_PREFIX].splitlines()
    if len(text) > _PREFIX:
        lines = lines[:-1]  # possibly cut
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise NotColumnar
    return ";" if first.count(";") > first.count(",") else ","


def _well_quoted(text: str, delimiter: str) -> bool:
    """True when every quote opens a field, is doubled inside it or closes it at a separator
    or line end: the quoting pyarrow and the row reader read alike (a stray or unterminated
    quote is left to the row reader)."""
    if '"' not in text:
        return True
    d = re.escape(delimiter)
    quoted = rf'(?<![^{d}\r\n])"[^"]*(?:""[^"]*)*"(?=[{d}\r\n]|\Z)'
    return re.fullmatch(rf'(?:{quoted}|[^"{d}\r\n]+|[{d}\r\n]+)*', text) is not None


def _numpy(array: Any) -> np.ndarray:
    """A ``pyarrow`` array of integers as a numpy array (a copy, which the caller may
    change), read from its data buffer when it has no nulls: ``to_numpy`` imports pandas
    (about 0.6 s, the only use the command would make of it)."""
    name = str(array.type)
    if array.null_count or name not in _INTEGERS:
        return np.array(array.to_numpy(zero_copy_only=False))
    dtype = np.dtype(name)
    data = array.buffers()[1]
    if data is None:  # an empty array
        return np.zeros(0, dtype)
    offset = array.offset * dtype.itemsize
    return np.frombuffer(data, dtype, count=len(array), offset=offset).copy()


def _strings(values: list[str]) -> Any:
    """``pyarrow.array(values, pyarrow.string())``, built from its buffers: ``pyarrow.array``
    imports pandas (see ``_numpy``)."""
    pa, _, _ = _arrow()
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    kind, width = (pa.string(), np.int32) if offsets[-1] < 2**31 else (pa.large_string(), np.int64)
    buffers = [None, pa.py_buffer(offsets.astype(width)), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(kind, len(values), buffers)


_INTEGERS = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"})


def _column(array: Any) -> tuple[list[str], I32]:
    """Distinct stripped values of a dictionary-encoded ``pyarrow.ChunkedArray`` and each
    row's code into them."""
    _, pc, _ = _arrow()
    if len(array) == 0:
        return [""], np.zeros(0, np.int32)
    combined = array.unify_dictionaries().combine_chunks()
    dictionary = combined.dictionary
    codes = _numpy(combined.indices).astype(np.int32, copy=False)
    if len(dictionary) and pc.max(pc.binary_length(dictionary)).as_py() > csv.field_size_limit():
        raise NotColumnar  # the row reader refuses such a cell: let it say so
    raw_values: list[str] = dictionary.to_pylist()
    padded = _numpy(pc.indices_nonzero(pc.match_substring_regex(dictionary, _PADDED)))
    if len(padded) == 0:
        return raw_values, codes
    for k in padded.tolist():
        raw_values[k] = raw_values[k].strip()
    index: dict[str, int] = {}
    remap = np.array([index.setdefault(v, len(index)) for v in raw_values], np.int32)
    return list(index), remap[codes]


def _by_first_appearance(values: list[str], codes: I32) -> Column:
    present, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return Column([values[k] for k in present[order].tolist()], rank[inverse.ravel()])


def read_columns(path: str | Path) -> ColumnTable:
    """Read ``path`` column by column (see the module's docstring); NotColumnar when the row
    reader must read it instead."""
    pa, _, pa_csv = _arrow()
    # Column types by autogenerated name: every column is read as dictionary-encoded text,
    # never inferred (a column of "1" and "2" stays text, as the row reader keeps it).
    text_type = pa.dictionary(pa.int32(), pa.string())
    types = {f"f{k}": text_type for k in range(_MAX_COLUMNS)}
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raise NotColumnar from None
    if b"\x00" in raw:
        raise NotColumnar
    text, data = _text(raw)
    delimiter = _delimiter(text)
    if not _well_quoted(text, delimiter):
        raise NotColumnar
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=True),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=types),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        raise NotColumnar from None
    if table.num_columns == 0 or table.num_columns > _MAX_COLUMNS:
        raise NotColumnar
    parts = [_column(table.column(k)) for k in range(table.num_columns)]
    blank = np.ones(table.num_rows, bool)
    for values, codes in parts:
        empty = np.fromiter((not v for v in values), bool, len(values))
        blank &= empty[codes]
    kept = np.flatnonzero(~blank)
    if len(kept) < 2:  # no header or no data row: the row reader says which
        raise NotColumnar
    head, body = int(kept[0]), kept[1:]
    header = tuple(values[codes[head]].lower() for values, codes in parts)
    columns: dict[str, Column] = {}
    for name, (values, codes) in zip(header, parts, strict=True):
        # A repeated header name keeps its last column, as the row reader's dict does.
        columns[name] = _by_first_appearance(values, codes[body])
    return ColumnTable(str(path), header, len(body), columns)

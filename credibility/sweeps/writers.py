"""Output formats of a sweep: CSV, JSON Lines and Parquet, chosen by the file's suffix.

A chunk's rows are *encoded* where they are computed (on a Dask worker, if
any), so that the writer only appends bytes. Every value is written the same
way in every format:

- swept parameters and payoffs: float64; in text, Python's shortest
  round-trip decimal (``0.1``, ``0.3333333333333333``); the exact value of
  a swept parameter is the grid's (``--grid`` keeps it exact), and the
  outcome is always computed exactly;
- ``outcome`` and ``path``: text; ``n_*`` columns: integers; flags (other
  evaluators' boolean columns): ``true``/``false``.

CSV follows RFC 4180 (a header line, fields quoted when they hold a comma, a
quote or a line break, ``\\n`` line ends). Text cells (labels from game files:
outcomes, paths, names) that start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read as formulas by a spreadsheet: they get a single
quote ``'`` in front, as OWASP recommends against CSV injection (``raw=True``,
``--raw-csv``, writes them as they are). Numbers are never changed (``-1.5``
stays a number). JSON Lines has one object per line
with keys in column order. Parquet (pyarrow) stores one row group per chunk.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CredibilityError

__all__ = ["FORMATS", "Format", "format_for", "make_format"]


class Format:
    """How chunks are encoded and joined into one file.

    Attributes
    ----------
    name : str
        ``csv``, ``jsonl`` or ``parquet``.
    appendable : bool
        True if the file is the header followed by the chunks' bytes.
    """

    name = ""
    appendable = True

    def header(self, columns: Sequence[str]) -> bytes:
        """The bytes before the first chunk."""
        return b""

    def encode(self, table: dict[str, np.ndarray]) -> bytes:
        """One chunk's rows."""
        raise NotImplementedError

    def assemble(self, chunks: Sequence[Path], columns: Sequence[str], out: Path) -> None:
        """Join the encoded chunks (files) into ``out`` (formats that are not appendable)."""
        raise NotImplementedError


class CsvFormat(Format):
    """Comma-separated values with a header line.

    Parameters
    ----------
    raw : bool
        Write text cells as they are, even those a spreadsheet would take for
        a formula (by default they get a ``'`` in front).

    Examples
    --------
    >>> table = {"p": np.array([0.5, 1.0]), "outcome": np.array(["a, b", "c"], dtype=object)}
    >>> CsvFormat().encode(table).decode()
    '0.5,"a, b"\\n1.0,c\\n'
    >>> table = {"p": np.array([-1.5]), "outcome": np.array(["=1+2"], dtype=object)}
    >>> CsvFormat().encode(table).decode(), CsvFormat(raw=True).encode(table).decode()
    ("-1.5,'=1+2\\n", '-1.5,=1+2\\n')
    """

    name = "csv"

    def __init__(self, raw: bool = False):
        self.raw = raw

    def header(self, columns: Sequence[str]) -> bytes:
        return (",".join(self._field(c) for c in columns) + "\n").encode()

    def encode(self, table: dict[str, np.ndarray]) -> bytes:
        fields = [_texts(array, self._field, "") for array in table.values()]
        return ("\n".join(map(",".join, zip(*fields))) + "\n").encode()

    def _field(self, value: object) -> str:
        if not self.raw and isinstance(value, str) and value.startswith(_FORMULA_STARTS):
            value = "'" + value
        return _csv_field(value)


class JsonLinesFormat(Format):
    """One JSON object per line.

    Examples
    --------
    >>> table = {"p": np.array([0.5]), "outcome": np.array(["a"], dtype=object)}
    >>> JsonLinesFormat().encode(table).decode()
    '{"p":0.5,"outcome":"a"}\\n'
    """

    name = "jsonl"

    def encode(self, table: dict[str, np.ndarray]) -> bytes:
        fields = [
            [f"{json.dumps(name)}:{text}" for text in _texts(array, json.dumps, "null")]
            for name, array in table.items()
        ]
        return ("".join(["{", "}\n{".join(map(",".join, zip(*fields))), "}\n"])).encode()


class ParquetFormat(Format):
    """Apache Parquet through pyarrow; chunks are kept as Arrow IPC files until the end."""

    name = "parquet"
    appendable = False

    def encode(self, table: dict[str, np.ndarray]) -> bytes:
        pa = _pyarrow()
        arrays = [pa.array(_plain(array)) for array in table.values()]
        batch = pa.record_batch(arrays, names=list(table))
        sink = io.BytesIO()
        with pa.ipc.new_file(sink, batch.schema) as writer:
            writer.write_batch(batch)
        return sink.getvalue()

    def assemble(self, chunks: Sequence[Path], columns: Sequence[str], out: Path) -> None:
        pa = _pyarrow()
        import pyarrow.parquet as pq

        writer = None
        try:
            for path in chunks:
                with pa.memory_map(str(path)) as source:
                    table = pa.ipc.open_file(source).read_all()
                if writer is None:
                    writer = pq.ParquetWriter(str(out), table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()


FORMATS: dict[str, type[Format]] = {
    ".csv": CsvFormat,
    ".jsonl": JsonLinesFormat,
    ".parquet": ParquetFormat,
}


def format_for(path: Path | str, *, raw_csv: bool = False) -> Format:
    """The format of an output file, from its suffix (``raw_csv``: see :class:`CsvFormat`).

    Examples
    --------
    >>> format_for("map.jsonl").name
    'jsonl'
    >>> format_for("map.txt")
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: map.txt: expected a .csv, .jsonl or .parquet file
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise CredibilityError("expected a .csv, .jsonl or .parquet file", file=str(path))
    result = make_format(suffix, raw_csv=raw_csv)
    if isinstance(result, ParquetFormat):
        _pyarrow()
    return result


def make_format(suffix: str, *, raw_csv: bool = False) -> Format:
    """The format of a (known, lower-case) suffix."""
    return CsvFormat(raw=raw_csv) if suffix == ".csv" else FORMATS[suffix]()


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.ipc
    except ImportError:
        raise CredibilityError(
            "Parquet output needs pyarrow: pip install 'credibility[sweep]'"
        ) from None
    return pa


def _plain(array: np.ndarray) -> Any:
    return array.tolist() if array.dtype == object else array


def _texts(array: np.ndarray, quote: Any, missing: str) -> list[str]:
    """Every value of a column as text: numbers shortest round-trip, strings quoted once each.

    Values that repeat (a swept parameter's, small counts) are formatted once
    each. Negative zero is written as ``0.0``.
    """
    if array.dtype.kind in "fiu":
        if array.dtype.kind == "f":
            array = array + 0.0  # -0.0 becomes 0.0
        unique, inverse = np.unique(array, return_inverse=True)
        if 4 * len(unique) <= len(array):
            texts = np.array([_number(v, missing) for v in unique.tolist()], dtype=object)
            return texts[inverse].tolist()  # type: ignore[no-any-return]
        values = array.tolist()
        if array.dtype.kind in "iu" or np.isfinite(array).all():
            return list(map(repr, values))
        return [_number(v, missing) for v in values]
    if array.dtype.kind == "b":
        return ["true" if value else "false" for value in array.tolist()]
    values = array.tolist()
    table = {value: quote(value) for value in set(values)}
    return list(map(table.__getitem__, values))


def _number(value: float, missing: str) -> str:
    return repr(value) if value == value and abs(value) != float("inf") else missing


#: Text cells starting with these are escaped with a ``'`` (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_field(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text

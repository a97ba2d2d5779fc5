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

Speed. Text is formatted column by column, each distinct value once (a
sweep's columns repeat few values: the swept parameters' are known by their
axis index, labels by their code, see :class:`~credibility.sweeps.evaluator.Coded`;
other columns are factorised; a float's text is remembered across chunks),
neighbouring columns that repeat together are joined into one (a label and
its count: fewer fields a row), and the rows are assembled in one pass: with
pyarrow, every column's texts (separators included) form one Arrow string
array, and a single ``take`` of the fields in row order lays the rows out
back to back (its data buffer is the chunk's bytes, not copied again: a CSV
chunk of a 2x2 game is encoded in half the time a ``take`` per column and
``binary_join_element_wise`` took); without pyarrow, in numpy, each
field's text is copied into a fixed-width byte matrix and the padding
squeezed out. The bytes are those the row-by-row formatting writes (kept for
the rare text holding a NUL byte, and as the reference the tests compare
against).

Arrow arrays are made from numpy buffers and Python strings directly
(:func:`_numbers`, :func:`_strings`), not with ``pyarrow.array``: that asks
pyarrow's pandas shim about its argument, which imports pandas (a third of a
second of a sweep's start-up) wherever pandas is installed.

Parquet. A coded label column is written as Parquet's dictionary encoding
directly; its labels are made distinct first (an evaluator may give two codes
one label, and pyarrow writes a dictionary holding a value twice as plain
strings, three times slower and a hundred times larger).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CredibilityError
from .evaluator import codes_of

__all__ = ["FORMATS", "Format", "format_for", "make_format"]

#: Rows assembled at once (bounds the byte matrix: rows times the widest row).
_ROWS_AT_ONCE = 1 << 15
#: Bytes an Arrow string array holds at most (32-bit offsets); more make a large string array.
_STRING_BYTES = 2**31
#: The texts of floats formatted so far (:func:`_float_texts`), and how many are kept.
_FLOAT_TEXTS: dict[float, str] = {}
_FLOAT_TEXTS_MAX = 1 << 16


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
        return bytes(self.encode_chunk(table))

    def encode_chunk(self, table: dict[str, np.ndarray]) -> Any:
        """:meth:`encode`'s bytes, or a buffer holding them (picklable), without a copy."""
        raise NotImplementedError

    def assemble(self, chunks: Sequence[Path], columns: Sequence[str], out: Path) -> None:
        """Join the encoded chunks (files) into ``out`` (formats that are not appendable)."""
        assembly = self.open_assembly(out)
        try:
            for path in chunks:
                assembly.add(path.read_bytes())
        finally:
            assembly.close()

    def open_assembly(self, out: Path) -> Assembly:
        """Start joining encoded chunks into ``out``, one at a time (not appendable formats)."""
        raise NotImplementedError


class Assembly:
    """A file being joined from encoded chunks, in order: ``add`` each, then ``close``."""

    def add(self, payload: Any) -> None:
        """Append one encoded chunk (bytes or any buffer)."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish the file (also after a failure: it is then incomplete)."""
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

    def encode_chunk(self, table: dict[str, np.ndarray]) -> Any:
        columns = [_distinct_texts(array, self._field, "") for array in table.values()]
        return _assemble(columns, ",", "\n")

    def encode_rowwise(self, table: dict[str, np.ndarray]) -> bytes:
        """The same bytes as :meth:`encode`, formatted row by row (the reference)."""
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

    def encode_chunk(self, table: dict[str, np.ndarray]) -> Any:
        columns = []
        for name, array in table.items():
            codes, texts = _distinct_texts(array, json.dumps, "null")
            columns.append((codes, [f"{json.dumps(name)}:{text}" for text in texts]))
        return _assemble(columns, ",", "}\n", "{")

    def encode_rowwise(self, table: dict[str, np.ndarray]) -> bytes:
        """The same bytes as :meth:`encode`, formatted row by row (the reference)."""
        fields = [
            [f"{json.dumps(name)}:{text}" for text in _texts(array, json.dumps, "null")]
            for name, array in table.items()
        ]
        return ("".join(["{", "}\n{".join(map(",".join, zip(*fields))), "}\n"])).encode()


class ParquetFormat(Format):
    """Apache Parquet through pyarrow; chunks are kept as Arrow IPC files until the end.

    Labels known by their codes travel as dictionary arrays (codes and the
    distinct labels) and are written as Parquet's dictionary-encoded strings
    directly. The Arrow schema is not stored in the file, so a reader sees
    what Parquet says: float64, int64, bool and plain string columns.
    """

    name = "parquet"
    appendable = False

    def encode_chunk(self, table: dict[str, np.ndarray]) -> bytes:
        pa = _pyarrow()
        arrays = [_arrow(pa, array) for array in table.values()]
        batch = pa.record_batch(arrays, names=list(table))
        sink = io.BytesIO()
        compression = "lz4" if pa.Codec.is_available("lz4_frame") else None
        options = pa.ipc.IpcWriteOptions(compression=compression)
        with pa.ipc.new_file(sink, batch.schema, options=options) as writer:
            writer.write_batch(batch)
        return sink.getvalue()

    def open_assembly(self, out: Path) -> Assembly:
        return _ParquetAssembly(out)


class _ParquetAssembly(Assembly):
    """Arrow IPC chunks appended to a Parquet file as row groups, one per chunk."""

    def __init__(self, out: Path):
        self.out = out
        self.writer: Any = None

    def add(self, payload: Any) -> None:
        pa = _pyarrow()
        import pyarrow.parquet as pq  # lazy: start-up time (pyarrow)

        table = pa.ipc.open_file(pa.BufferReader(payload)).read_all()
        if self.writer is None:
            self.writer = pq.ParquetWriter(str(self.out), table.schema, store_schema=False)
        elif table.schema != self.writer.schema:  # a column coded in one chunk, not another
            table = _conform(pa, table, self.writer.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
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
        import pyarrow as pa  # lazy: start-up time (pyarrow)
        import pyarrow.ipc  # lazy: start-up time (pyarrow)
    except ImportError:
        raise CredibilityError(
            "Parquet output needs pyarrow: pip install 'credibility[sweep]'"
        ) from None
    return pa


def _arrow(pa: Any, array: np.ndarray) -> Any:
    """A column as an Arrow array; one known by its codes as a dictionary array.

    Parquet writes a dictionary array's codes and values as its own
    dictionary encoding, without hashing the column again. Labels are made
    distinct first: given a dictionary holding a label twice, pyarrow writes
    the column as plain strings.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from credibility.sweeps.evaluator import coded
    >>> labels = coded(np.array([2, 0, 1]), np.array(["a", "b", "a"], dtype=object))
    >>> column = _arrow(pa, labels)
    >>> column.dictionary.to_pylist(), column.indices.to_pylist()
    (['a', 'b'], [0, 0, 1])
    """
    known = codes_of(array)
    if known is not None and len(array) and len(known[1]) <= np.iinfo(np.int32).max:
        codes, uniques = known
        if uniques.dtype == object:
            labels = uniques.tolist()
            if all(type(label) is str for label in labels):
                distinct: dict[str, int] = {}
                index = [distinct.setdefault(label, len(distinct)) for label in labels]
                return pa.DictionaryArray.from_arrays(
                    _numbers(pa, np.array(index, dtype=np.int32)[codes]),
                    _strings(pa, list(distinct), pa.string()),
                )
        elif uniques.dtype in (np.float64, np.int64):
            return pa.DictionaryArray.from_arrays(
                _numbers(pa, codes.astype(np.int32)), _numbers(pa, uniques)
            )
    if array.dtype.kind in "biuf":
        return _numbers(pa, np.asarray(array))
    return pa.array(array.tolist() if array.dtype == object else np.asarray(array))


def _numbers(pa: Any, array: np.ndarray) -> Any:
    """A numeric or boolean numpy array as an Arrow array (no nulls: NaN is a value).

    What ``pa.array(array)`` gives, made from the array's buffer so that
    pyarrow does not import pandas (see the module's docstring).

    Examples
    --------
    >>> import pyarrow as pa
    >>> _numbers(pa, np.array([True, False, True])).to_pylist()
    [True, False, True]
    >>> column = _numbers(pa, np.array([-0.0, np.nan]))
    >>> column.type, column.to_pylist(), column.null_count
    (DataType(double), [-0.0, nan], 0)
    """
    if array.dtype.kind == "b":
        data = np.packbits(array, bitorder="little")
        kind = pa.bool_()
    else:
        data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("="))
        kind = pa.from_numpy_dtype(data.dtype)
    return pa.Array.from_buffers(kind, len(array), [None, pa.py_buffer(data)])


def _strings(pa: Any, texts: Sequence[str], kind: Any) -> Any:
    """Python strings as an Arrow array of type ``kind`` (string or large string).

    Examples
    --------
    >>> import pyarrow as pa
    >>> _strings(pa, ["a", "", "é"], pa.string()).to_pylist()
    ['a', '', 'é']
    """
    encoded = [text.encode() for text in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)))
    if kind == pa.string():
        if offsets[-1] >= _STRING_BYTES:
            raise OverflowError("too much text for an Arrow string array (a large string's)")
        offsets = offsets.astype(np.int32)
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(kind, len(encoded), [None, pa.py_buffer(offsets), data])


def _conform(pa: Any, table: Any, schema: Any) -> Any:
    """The table with each column dictionary-coded or plain as in ``schema``."""
    columns = []
    for field, column in zip(schema, table.columns):
        if pa.types.is_dictionary(field.type) and not pa.types.is_dictionary(column.type):
            column = column.dictionary_encode()
        column = column.cast(field.type)
        columns.append(column)
    return pa.table(columns, schema=schema)


def _distinct_texts(array: np.ndarray, quote: Any, missing: str) -> tuple[np.ndarray, list[str]]:
    """A column as codes into the texts of its distinct values (see :func:`_texts`)."""
    known = codes_of(array)
    if known is not None:
        codes, uniques = known
        if uniques.dtype.kind == "f":
            return codes, _float_texts(uniques.tolist(), missing)
        return codes, _texts(uniques, quote, missing)
    if array.dtype.kind == "b":
        return array.astype(np.intp), ["false", "true"]
    if array.dtype.kind in "fiu":
        values = array + 0.0 if array.dtype.kind == "f" else array  # -0.0 becomes 0.0
        factorised = _factorise(values)
        if factorised is not None:
            codes, uniques = factorised
            if uniques.dtype.kind == "f":
                return codes, _float_texts(uniques.tolist(), missing)
            return codes, [_number(v, missing) for v in uniques.tolist()]
        return np.arange(len(array)), _texts(array, quote, missing)
    values = array.tolist()
    index: dict[Any, int] = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in values), dtype=np.intp, count=len(values)
    )
    return codes, [quote(v) for v in index]


def _factorise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes and distinct values of a numeric column; None if most values are distinct."""
    try:
        import pyarrow as pa  # lazy: start-up time (pyarrow)
    except ImportError:  # numpy only: sort
        uniques, codes = np.unique(values, return_inverse=True)
        codes = codes.reshape(-1)
    else:  # a hash table
        encoded = _numbers(pa, values).dictionary_encode()
        uniques = _numpy(encoded.dictionary, values.dtype.newbyteorder("="))
        codes = _numpy(encoded.indices, np.dtype(np.int32))
    if 4 * len(uniques) > len(values):
        return None
    return codes, uniques


def _assemble(
    columns: Sequence[tuple[np.ndarray, list[str]]], separator: str, end: str, start: str = ""
) -> Any:
    """Rows of fields ``texts[codes]``: ``start``, the fields joined by ``separator``, ``end``.

    With pyarrow, every column's texts go into one Arrow string array and a
    single ``take`` picks the fields in row order (row 0's fields, then row
    1's...): its string data is the rows back to back. Without it, in numpy:
    each column's texts form a zero-padded byte matrix, a block of rows is
    laid out in fixed-width slots and the padding squeezed out. Texts holding
    a NUL byte are joined in Python. Either way, neighbouring columns that
    take few combinations of texts are joined first (:func:`_merge`).

    Examples
    --------
    >>> columns = [(np.array([0, 1, 0]), ["1", "22"]), (np.array([1, 1, 0]), ["a", "b"])]
    >>> bytes(_assemble(columns, ",", "\\n"))
    b'1,b\\n22,b\\n1,a\\n'
    """
    rows = len(columns[0][0]) if columns else 0
    if not rows:
        return b""
    texts = [[text + separator for text in t] for _, t in columns[:-1]]
    texts.append([text + end for text in columns[-1][1]])
    texts[0] = [start + text for text in texts[0]]
    codes = [np.asarray(c, dtype=np.intp) for c, _ in columns]
    if "\0" in "".join(text for column in texts for text in column):
        return "".join(
            "".join(row) for row in zip(*([t[k] for k in c.tolist()] for c, t in zip(codes, texts)))
        ).encode()
    codes, texts = _merge(codes, texts)
    try:
        import pyarrow as pa  # lazy: start-up time (pyarrow)
    except ImportError:
        return _assemble_numpy(codes, texts)
    every = [text for column in texts for text in column]
    # characters of the rows at most, and of the distinct texts; UTF-8 takes at most 4 bytes each
    characters = max(rows * sum(max(map(len, column)) for column in texts), sum(map(len, every)))
    kind = pa.string() if 4 * characters < _STRING_BYTES else pa.large_string()
    fields = np.empty((rows, len(codes)), dtype=np.int32 if len(every) < 2**31 else np.int64)
    first = 0
    for k, (column_codes, column) in enumerate(zip(codes, texts)):
        np.add(column_codes, first, out=fields[:, k], casting="unsafe")
        first += len(column)
    joined = _strings(pa, every, kind).take(_numbers(pa, fields.reshape(-1)))
    offsets = _numpy(joined, np.dtype(np.int32 if kind == pa.string() else np.int64), extra=1)
    low, high = int(offsets[0]), int(offsets[-1])
    return joined.buffers()[2].slice(low, high - low)  # the rows, not copied


def _merge(
    codes: list[np.ndarray], texts: list[list[str]]
) -> tuple[list[np.ndarray], list[list[str]]]:
    """Neighbouring columns joined into one where their rows take few pairs of texts.

    Each field costs the assembly a step per row, so a column that repeats
    with its neighbour (a count and the label beside it, a payoff and the
    parameter it depends on) is joined to it: the pairs of codes that occur
    are found with a table of all pairs (when there are at most four per
    row) and kept if there are at most one per eight rows.

    Examples
    --------
    >>> first, second = np.array([0, 1] * 8), np.array([1, 0] * 8)
    >>> codes, texts = _merge([first, second], [["a,", "b,"], ["x\\n", "y\\n"]])
    >>> codes[0].tolist()[:4], texts
    ([0, 1, 0, 1], [['a,y\\n', 'b,x\\n']])
    """
    rows = len(codes[0])
    merged_codes, merged_texts = [codes[0]], [texts[0]]
    for column_codes, column in zip(codes[1:], texts[1:]):
        previous, width = merged_texts[-1], len(column)
        if len(previous) * width <= 4 * rows:
            pairs = merged_codes[-1] * width + column_codes
            present = np.bincount(pairs, minlength=len(previous) * width) > 0
            kept = np.flatnonzero(present)
            if 8 * len(kept) <= rows:
                merged_codes[-1] = (np.cumsum(present) - 1)[pairs]
                left, right = np.divmod(kept, width)
                merged_texts[-1] = [
                    previous[i] + column[j] for i, j in zip(left.tolist(), right.tolist())
                ]
                continue
        merged_codes.append(column_codes)
        merged_texts.append(column)
    return merged_codes, merged_texts


def _numpy(array: Any, dtype: np.dtype, *, extra: int = 0) -> np.ndarray:
    """An Arrow array's values (its offsets, ``extra=1``, for strings) as numpy, not copied.

    What ``array.to_numpy()`` gives for a numeric array without nulls, read
    from its buffer so that pyarrow does not import pandas.
    """
    start = array.offset
    return np.frombuffer(array.buffers()[1], dtype=dtype)[start : start + len(array) + extra]


def _assemble_numpy(codes: Sequence[np.ndarray], texts: Sequence[list[str]]) -> bytes:
    """:func:`_assemble` in numpy: fixed-width slots of 8-byte words, the zero bytes dropped."""
    slots: list[tuple[np.ndarray, np.ndarray]] = []
    for column_codes, column in zip(codes, texts):
        encoded = [text.encode() for text in column]
        width = -(-max(len(t) for t in encoded) // 8) * 8
        padded = np.zeros((len(encoded), width), dtype=np.uint8)
        for k, text in enumerate(encoded):
            padded[k, : len(text)] = np.frombuffer(text, dtype=np.uint8)
        slots.append((column_codes, padded.view(np.uint64)))  # 8 bytes at a time
    rows = len(codes[0])
    total = sum(matrix.shape[1] for _, matrix in slots)
    parts = []
    for first in range(0, rows, _ROWS_AT_ONCE):
        last = min(first + _ROWS_AT_ONCE, rows)
        block = np.empty((last - first, total), dtype=np.uint64)
        offset = 0
        for column_codes, matrix in slots:
            width = matrix.shape[1]
            block[:, offset : offset + width] = matrix[column_codes[first:last]]
            offset += width
        data = block.view(np.uint8)
        parts.append(data[data != 0].tobytes())
    return b"".join(parts)


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


def _float_texts(values: list[float], missing: str) -> list[str]:
    """``_number`` of each float (negative zero as ``0.0``), remembered across chunks.

    A sweep's float columns repeat their values from chunk to chunk (a swept
    axis, a payoff that depends on one parameter), so each is formatted
    once; the memory holds finite values only (``missing`` differs by
    format) and is emptied when it grows past :data:`_FLOAT_TEXTS_MAX`.

    Examples
    --------
    >>> _float_texts([-0.0, 0.1, float("nan"), 1e16], "null")
    ['0.0', '0.1', 'null', '1e+16']
    """
    known = _FLOAT_TEXTS
    if len(known) > _FLOAT_TEXTS_MAX:
        known.clear()
    found: list[str | None] = list(map(known.get, values))
    texts: list[str] = []
    for value, text in zip(values, found):
        if text is None:
            value += 0.0
            text = _number(value, missing)
            if text != missing:
                known[value] = text
        texts.append(text)
    return texts


#: Text cells starting with these are escaped with a ``'`` (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_field(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text

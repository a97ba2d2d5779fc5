"""The vectorised writers write the bytes row-by-row formatting writes, whatever the values."""

from __future__ import annotations

import builtins
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from credibility.sweeps import writers
from credibility.sweeps.evaluator import coded
from credibility.sweeps.store import MANIFEST_FORMAT, PartialStore
from credibility.sweeps.tasks import count_outcomes
from credibility.sweeps.writers import CsvFormat, JsonLinesFormat, ParquetFormat

LABELS = ["=SUM(A1)", "b, c", 'say "x"', "é\nz", "+1", "-x", "@me", "\tt", "\rr", "ok", "", "a\0b"]

floats = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.sampled_from(
    [0.0, -0.0, 1.0, 1e16, 1e-5, 1e15, 0.1, 1 / 3, 5e-324, 1e308, 123456789012345.6]
)


@st.composite
def tables(draw: st.DrawFn) -> dict[str, np.ndarray]:
    n = draw(st.integers(1, 40))
    repeated = draw(arrays(np.float64, n, elements=st.sampled_from([0.0, 0.5, -2.0, np.nan])))
    labels = np.array(draw(st.lists(st.sampled_from(LABELS), min_size=n, max_size=n)), dtype=object)
    codes = draw(arrays(np.int64, n, elements=st.integers(0, 2)))
    return {
        "x": draw(arrays(np.float64, n, elements=floats)),
        "repeated": repeated,
        "k": draw(arrays(np.int64, n, elements=st.integers(-(2**62), 2**62))),
        "flag": draw(arrays(np.bool_, n)),
        "outcome": labels,
        "coded": coded(codes, np.array(["=a", "b,c", "plain"], dtype=object)),
        "axis": coded(codes, np.array([-0.0, 0.25, 1e-7])),
    }


FORMATS = [CsvFormat(), CsvFormat(raw=True), JsonLinesFormat()]


@settings(max_examples=60, deadline=None)
@given(tables())
def test_vectorised_text_is_byte_for_byte_the_row_by_row_text(table):
    for fmt in FORMATS:
        assert fmt.encode(table) == fmt.encode_rowwise(table)


def _without_pyarrow(monkeypatch):
    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)


def test_without_pyarrow_numpy_writes_the_same_bytes(monkeypatch):
    rng = np.random.default_rng(5)
    n = 70_000  # more than one block of rows
    table = {
        "p": rng.integers(0, 9, n) / 8,
        "z": np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n)),
        "outcome": np.array(LABELS[:-1], dtype=object)[rng.integers(0, len(LABELS) - 1, n)],
        "n": rng.integers(0, 3, n),
    }
    expected = {type(f).__name__ + str(getattr(f, "raw", "")): f.encode(table) for f in FORMATS}
    _without_pyarrow(monkeypatch)
    for fmt in FORMATS:
        found = fmt.encode(table)
        assert found == expected[type(fmt).__name__ + str(getattr(fmt, "raw", ""))]
        assert found == fmt.encode_rowwise(table)


def test_a_label_with_a_nul_byte_is_written_as_it_is():
    table = {"x": np.array([1.0, 2.0]), "outcome": np.array(["a\0b", "c"], dtype=object)}
    assert CsvFormat().encode(table) == b"1.0,a\0b\n2.0,c\n"


def test_outcome_counts_from_codes_merge_equal_labels_in_order_of_appearance():
    labels = np.array(["x", "y", "x", "z"], dtype=object)  # two codes for "x"
    outcomes = coded(np.array([3, 2, 1, 0, 2]), labels)
    assert count_outcomes(outcomes) == {"z": 1, "x": 3, "y": 1}
    assert count_outcomes(np.asarray(outcomes)) == {"z": 1, "x": 3, "y": 1}


def test_parquet_reads_back_plain_columns_from_coded_chunks(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    fmt = ParquetFormat()
    first = {
        "p": coded(np.array([0, 1, 1]), np.array([0.5, 1.0])),
        "outcome": coded(np.array([1, 0, 1]), np.array(["a", "b"], dtype=object)),
        "n": np.array([1, 2, 3]),
    }
    second = {  # the same columns, not coded this time
        "p": np.array([2.0]),
        "outcome": np.array(["c"], dtype=object),
        "n": np.array([4]),
    }
    out = tmp_path / "out.parquet"
    assembly = fmt.open_assembly(out)
    for table in (first, second):
        assembly.add(fmt.encode(table))
    assembly.close()
    read = pq.read_table(out)
    assert [str(t) for t in read.schema.types] == ["double", "string", "int64"]
    assert read.to_pydict() == {
        "p": [0.5, 1.0, 1.0, 2.0],
        "outcome": ["b", "a", "b", "c"],
        "n": [1, 2, 3, 4],
    }
    assert pq.ParquetFile(out).num_row_groups == 2


def test_fast_float_text_is_python_repr():
    values = np.array([0.1, 1e16, 1e-5, 2.5, -0.0, math.pi, 1e22, 7.0])
    text = CsvFormat().encode({"x": values}).decode().splitlines()
    assert text == [repr(v + 0.0) for v in values.tolist()]
    assert writers._number(float("nan"), "") == ""


def test_the_manifest_is_the_compact_json_of_the_store_after_every_chunk(tmp_path):
    out = tmp_path / "map.csv"
    arguments = {"game": "é (Unicode kept)", "chunk_size": 2}
    columns = ["p", "outcome"]
    with PartialStore(
        out, CsvFormat(), arguments, columns, points=5, chunk_size=2, resume=False
    ) as store:
        for k, counts in enumerate([{"a": 2}, {"ü": 1, 'b,"c"': 1}, {"a": 1}]):
            store.append(f"{k}\n".encode(), counts)
            expected = {
                "format": MANIFEST_FORMAT,
                "arguments": arguments,
                "columns": columns,
                "points": 5,
                "chunk_count": 3,
                "chunks_done": k + 1,
                "bytes": store.size,
                "chunks": store.records,
            }
            text = store.manifest.read_text(encoding="utf-8")
            assert text == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
        store.finish()
    assert out.read_bytes() == b"p,outcome\n0\n1\n2\n"

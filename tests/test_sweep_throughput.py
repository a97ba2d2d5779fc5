"""The fast paths of a large sweep write what the reference paths write, and choose as documented.

The CSV writer remembers float texts across chunks and assembles the rows
with one Arrow ``take``; the Parquet writer makes coded labels distinct;
Arrow arrays are built without pyarrow importing pandas; ``workers`` falls
back to the in-process run where processes cannot add cores.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import credibility as cr
from credibility.sweeps import dask_runner, parse_grid, writers
from credibility.sweeps.evaluator import coded
from credibility.sweeps.grid import make_grid
from credibility.sweeps.tasks import SweepSpec
from credibility.sweeps.writers import CsvFormat, JsonLinesFormat, ParquetFormat

ROOT = Path(__file__).resolve().parent.parent
TREE = Path(__file__).parent / "data" / "sweep_deterrence.toml"

TRICKY = [
    -0.0,
    0.0,
    float("nan"),
    float("inf"),
    -float("inf"),
    5e-324,
    -5e-324,
    1e16,
    1e-5,
    1e22,
    1.7976931348623157e308,
    0.1,
    1 / 3,
    -2 / 3,
    123456789012345.6,
    2.0**53 + 2,
]


def _table(values: list[float], repeat: int) -> dict[str, np.ndarray]:
    """Tricky floats, factorised (repeated), coded (an axis) and distinct, with labels."""
    x = np.array(values * repeat)
    codes = np.arange(len(x)) % len(values)
    labels = np.array(["=a", "b, c", 'q"q', "plain", "-1"], dtype=object)
    return {
        "axis": coded(codes, np.array(values)),
        "x": x,
        "distinct": np.linspace(-1, 1, len(x)) ** 3,
        "n": np.arange(len(x)) % 3,
        "flag": np.arange(len(x)) % 2 == 0,
        "outcome": coded(np.arange(len(x)) % len(labels), labels),
    }


@pytest.mark.parametrize("fmt", [CsvFormat(), CsvFormat(raw=True), JsonLinesFormat()])
def test_tricky_floats_are_written_as_row_by_row_formatting_writes_them(fmt):
    writers._FLOAT_TEXTS.clear()
    table = _table(TRICKY, repeat=8)
    reference = fmt.encode_rowwise(table)
    assert fmt.encode(table) == reference  # the float texts formatted now
    assert fmt.encode(table) == reference  # and remembered
    text = reference.decode()
    assert "-0.0" not in text.split("\n")[0]  # negative zero is written 0.0
    assert "1e+16" in text and "5e-324" in text and "1e-05" in text


def test_remembered_float_texts_do_not_leak_between_formats_or_signs():
    writers._FLOAT_TEXTS.clear()
    first = {"x": np.repeat([-0.0, float("nan"), 2.5], 8)}
    second = {"x": np.repeat([0.0, float("nan"), 2.5], 8)}
    csv = CsvFormat().encode(first)
    assert csv == b"0.0\n" * 8 + b"\n" * 8 + b"2.5\n" * 8
    assert JsonLinesFormat().encode(second) == JsonLinesFormat().encode_rowwise(second)
    assert b'{"x":null}' in JsonLinesFormat().encode(second)
    assert writers._FLOAT_TEXTS == {0.0: "0.0", 2.5: "2.5"}
    assert math.copysign(1, next(iter(writers._FLOAT_TEXTS))) == 1  # not -0.0 as the key


def test_the_memory_of_float_texts_is_bounded(monkeypatch):
    monkeypatch.setattr(writers, "_FLOAT_TEXTS_MAX", 10)
    writers._FLOAT_TEXTS.clear()
    for start in range(0, 100, 20):
        values = np.repeat(np.arange(start, start + 20) / 7, 4)
        table = {"x": values}
        assert CsvFormat().encode(table) == CsvFormat().encode_rowwise(table)
    assert len(writers._FLOAT_TEXTS) <= 10 + 20


def test_the_single_take_lays_out_the_rows_of_many_columns():
    rng = np.random.default_rng(3)
    n = 5000
    table = {
        f"c{k}": coded(rng.integers(0, 7, n), rng.normal(size=7) * 10.0**k) for k in range(-3, 4)
    }
    table["label"] = np.array(["é", "a,b", "", "=x"], dtype=object)[rng.integers(0, 4, n)]
    table["big_endian"] = np.array([1.5, -2.25, -0.0, 1e300])[rng.integers(0, 4, n)].astype(">f8")
    table["count"] = rng.integers(0, 5, n).astype(">i8")
    for fmt in (CsvFormat(), JsonLinesFormat()):
        assert fmt.encode(table) == fmt.encode_rowwise(table)


def test_rows_past_a_string_array_are_laid_out_in_a_large_string_array(monkeypatch):
    pa = pytest.importorskip("pyarrow")
    table = _table(TRICKY, repeat=40)
    expected = CsvFormat().encode_rowwise(table)
    monkeypatch.setattr(writers, "_STRING_BYTES", 1000)  # far below this chunk's bytes
    assert CsvFormat().encode(table) == expected
    with pytest.raises(OverflowError):
        writers._strings(pa, ["x" * 600, "y" * 600], pa.string())
    assert writers._strings(pa, ["x" * 600], pa.large_string()).to_pylist() == ["x" * 600]


def test_parquet_labels_with_two_codes_are_dictionary_encoded_and_read_back(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    labels = np.array(["a", "b", "a", "c, d", "b"], dtype=object)  # 5 codes, 3 labels
    codes = np.arange(3000) % 5
    table = {"p": coded(codes % 2, np.array([-0.0, 0.5])), "outcome": coded(codes, labels)}
    out = tmp_path / "out.parquet"
    assembly = ParquetFormat().open_assembly(out)
    assembly.add(ParquetFormat().encode(table))
    assembly.close()
    column = pq.ParquetFile(out).metadata.row_group(0).column(1)
    assert "RLE_DICTIONARY" in column.encodings  # not written as plain strings
    read = pq.read_table(out)
    assert [str(t) for t in read.schema.types] == ["double", "string"]
    assert read.column("outcome").to_pylist() == labels[codes].tolist()
    signs = [math.copysign(1, v) for v in read.column("p").to_pylist()[:2]]
    assert signs == [-1, 1]  # negative zero kept in Parquet


def test_arrow_arrays_from_buffers_are_those_pyarrow_builds():
    pa = pytest.importorskip("pyarrow")
    for array in (
        np.array([-0.0, np.nan, np.inf, 1e308]),
        np.array([-(2**62), 0, 7]),
        np.array([True, False, True, True, False, False, True, False, True]),
        np.array([1, 2], dtype=np.int32),
        np.array([1.5, 2.5]).astype(">f8"),  # big-endian, read by value
    ):
        built = writers._numbers(pa, array)
        expected = pa.array(array.astype(array.dtype.newbyteorder("=")))
        assert built.type == expected.type
        assert built.null_count == 0
        assert np.array_equal(np.asarray(built.to_pylist()), array, equal_nan=True)
    strings = writers._strings(pa, ["", "é", "a\nb"], pa.large_string())
    assert strings.type == pa.large_string() and strings.to_pylist() == ["", "é", "a\nb"]


def test_a_sweep_does_not_import_pandas_or_numpy_extras(tmp_path):
    pytest.importorskip("pyarrow")
    code = f"""
import sys
import credibility as cr
game = cr.load("chicken")
grid = {{"c_row": "0:10:50", "l_column": "-5:0:60"}}
for suffix in (".csv", ".parquet"):
    cr.sweep(game, grid, out={str(tmp_path)!r} + "/map" + suffix, chunk_size=1000)
print(sorted(m for m in ("pandas", "numpy.f2py", "numpy.testing") if m in sys.modules))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "map.csv").stat().st_size > 0 and (tmp_path / "map.parquet").exists()


def _spec(game: object, *axes: str) -> SweepSpec:
    grid = make_grid(dict(parse_grid(axis) for axis in axes), game.parameters)  # type: ignore[attr-defined]
    return SweepSpec(game, grid, {}, chunk_size=10, suffix=".csv")


def test_workers_are_used_only_where_they_add_cores(monkeypatch):
    chicken = _spec(cr.load("chicken"), "c_row=0:10:5", "l_column=-5:0:5")
    tree = _spec(cr.load(TREE), "p=0:1:5", "c=0:5:5")
    monkeypatch.setattr(dask_runner, "_cores", lambda: 2)
    # a 2x2 game already computes in two threads here: two workers add no core
    assert not dask_runner.processes_pay(chicken, 2)
    assert not dask_runner.processes_pay(chicken, 8)
    # a tree computes in one thread: a second process adds one
    assert dask_runner.processes_pay(tree, 2)
    assert not dask_runner.processes_pay(tree, 1)
    monkeypatch.setattr(dask_runner, "_cores", lambda: 4)
    assert dask_runner.processes_pay(chicken, 3)
    monkeypatch.setattr(dask_runner, "_cores", lambda: 1)
    assert not dask_runner.processes_pay(tree, 4)


def test_workers_that_cannot_pay_run_in_process_and_write_the_same_bytes(tmp_path, monkeypatch):
    game = cr.load("chicken")
    grid = {"c_row": "0:10:31", "l_column": "-5:0:29"}
    here = cr.sweep(game, grid, out=tmp_path / "here.csv", chunk_size=100)
    monkeypatch.setattr(dask_runner, "_cores", lambda: 2)

    def no_pool(*args: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(dask_runner, "_in_processes", no_pool)
    there = cr.sweep(game, grid, out=tmp_path / "there.csv", chunk_size=100, workers=2)
    assert (tmp_path / "there.csv").read_bytes() == (tmp_path / "here.csv").read_bytes()
    assert there.outcomes == here.outcomes

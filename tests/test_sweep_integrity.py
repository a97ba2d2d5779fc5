"""Nothing lost, nothing corrupted: checked resume, lock, --overwrite, disk errors, CSV escaping."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from interrupt import Stop, interrupt_after

import credibility as cr
from cli import cli
from credibility.errors import CredibilityError
from credibility.sweeps import parse_grid
from credibility.sweeps import store as store_module
from credibility.sweeps.store import PartialStore

DATA = Path(__file__).parent / "data"
TREE = DATA / "sweep_deterrence.toml"
GRID = dict([parse_grid("p=0:1:41"), parse_grid("c=0:5:31")])
ARGS = ["--grid", "p=0:1:41", "--grid", "c=0:5:31", "--chunk-size", "150", "--quiet"]


@pytest.fixture(scope="module")
def tree():
    return cr.load(TREE)


def _interrupted(tree, out, chunks=4, monkeypatch=None):
    """A sweep of ``out`` stopped after ``chunks`` chunks: its partial folder."""
    with pytest.MonkeyPatch.context() as patch:
        interrupt_after(patch, chunks)
        with pytest.raises(Stop):
            cr.sweep(tree, GRID, out=out, chunk_size=150)
    partial = out.with_name(out.name + ".partial")
    assert json.loads((partial / "manifest.json").read_text())["chunks_done"] == chunks
    return partial


@pytest.fixture(scope="module")
def whole(tree, tmp_path_factory):
    """Uninterrupted runs, one per format."""
    folder = tmp_path_factory.mktemp("whole")
    files = {}
    for suffix in (".csv", ".jsonl", ".parquet"):
        if suffix == ".parquet" and not _has_pyarrow():
            continue
        files[suffix] = folder / f"whole{suffix}"
        files[suffix + ":result"] = cr.sweep(tree, GRID, out=files[suffix], chunk_size=150)
    return files


def _has_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _edit_manifest(partial, change):
    path = partial / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def run(*args):
    return CliRunner().invoke(cli, ["sweep", *args])


def _one_clean_line(result, code=1):
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return lines[0]


def _no_output_left(out):
    folder = out.parent
    assert not out.exists()
    strays = [p.name for p in folder.iterdir() if p.name.startswith(out.name) and p != out]
    assert strays in ([], [out.name + ".partial"]), strays


# -- tampered chunks: recomputed, and the result is an uninterrupted run's ---------------------


def _change_a_digit(partial):
    data = (partial / "data").read_bytes()
    manifest = json.loads((partial / "manifest.json").read_text())
    second = len(data) - manifest["chunks"][-1]["bytes"] - 40  # inside an earlier chunk
    digit = re.compile(rb"[0-9]").search(data, second).start()
    changed = b"9" if data[digit : digit + 1] != b"9" else b"8"
    (partial / "data").write_bytes(data[:digit] + changed + data[digit + 1 :])


def _swap_outcome_counts(partial):
    def change(manifest):
        outcomes = manifest["chunks"][1]["outcomes"]
        assert len(outcomes) >= 2
        outcomes[0][1], outcomes[1][1] = outcomes[1][1], outcomes[0][1]
        if outcomes[0][1] == outcomes[1][1]:
            outcomes[0][1] += 1
            outcomes[1][1] -= 1

    _edit_manifest(partial, change)


def _truncate_data(partial):
    with (partial / "data").open("r+b") as data:
        data.truncate(data.seek(0, 2) - 5)


def _claim_a_huge_last_chunk(partial):
    # Consistent claims (record and total): 2**40 bytes that are not there.
    def change(manifest):
        extra = (1 << 40) - manifest["chunks"][-1]["bytes"]
        manifest["chunks"][-1]["bytes"] += extra
        manifest["bytes"] += extra

    _edit_manifest(partial, change)


def _change_the_header(partial):
    data = (partial / "data").read_bytes()
    (partial / "data").write_bytes(b"q" + data[1:])


def _delete_the_data(partial):
    (partial / "data").unlink()


@pytest.mark.parametrize(
    "tamper",
    [
        _change_a_digit,
        _swap_outcome_counts,
        _truncate_data,
        _claim_a_huge_last_chunk,
        _change_the_header,
        _delete_the_data,
    ],
)
def test_a_chunk_that_fails_its_checksum_is_computed_again(tree, whole, tmp_path, tamper):
    out = tmp_path / "map.csv"
    partial = _interrupted(tree, out)
    tamper(partial)
    result = cr.sweep(tree, GRID, out=out, chunk_size=150, resume=True)
    assert out.read_bytes() == whole[".csv"].read_bytes()
    assert result.outcomes == whole[".csv:result"].outcomes
    assert not partial.exists()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_resume_through_the_cli_prints_verified_counts(whole, tmp_path, tree, suffix):
    out = tmp_path / f"map{suffix}"
    partial = _interrupted(tree, out)
    _swap_outcome_counts(partial)
    result = run(str(TREE), *ARGS, "--out", str(out), "--resume", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcomes"] == whole[".csv:result"].outcomes
    assert out.read_bytes() == whole[suffix].read_bytes()


def test_swapped_or_corrupted_parquet_chunks_are_computed_again(tree, whole, tmp_path):
    pytest.importorskip("pyarrow")
    out = tmp_path / "map.parquet"
    partial = _interrupted(tree, out)
    first, second = partial / "chunk-00000000.arrow", partial / "chunk-00000001.arrow"
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    cr.sweep(tree, GRID, out=out, chunk_size=150, resume=True)
    assert out.read_bytes() == whole[".parquet"].read_bytes()
    out.unlink()
    partial = _interrupted(tree, out)
    third = partial / "chunk-00000002.arrow"
    data = bytearray(third.read_bytes())
    data[len(data) // 2] ^= 0xFF
    third.write_bytes(bytes(data))
    result = cr.sweep(tree, GRID, out=out, chunk_size=150, resume=True)
    assert out.read_bytes() == whole[".parquet"].read_bytes()
    assert result.outcomes == whole[".csv:result"].outcomes


# -- tampered manifests: refused with one line, before any data is read -------------------------


def _set(key, value):
    def change(manifest):
        manifest[key] = value

    return change


def _set_record(key, value, index=0):
    def change(manifest):
        manifest["chunks"][index][key] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            _set("bytes", 10**6), "says bytes = 1000000, but its chunks add up to", id="bytes"
        ),
        pytest.param(
            _set("chunks_done", 5), "says chunks_done = 5, but it lists 4 chunks", id="done"
        ),
        pytest.param(_set("chunks_done", 1e9), "says chunks_done = 1000000000.0", id="done-1e9"),
        pytest.param(_set("chunks_done", True), "says chunks_done = true", id="done-bool"),
        pytest.param(_set("points", 10**12), "says points = 1000000000000", id="points"),
        pytest.param(
            _set("chunk_count", 3), "says chunk_count = 3, but the grid has 9", id="count"
        ),
        pytest.param(_set("columns", ["p"]), "lists other columns", id="columns"),
        pytest.param(_set("format", 1), "has format 1, not 2", id="old-format"),
        pytest.param(_set("extra", 1), "has missing or unknown fields (extra)", id="unknown-field"),
        pytest.param(
            _set_record("bytes", 10**30),
            "says bytes = 1000000000000000000000000000000 for chunk 0",
            id="huge-record",
        ),
        pytest.param(
            _set_record("bytes", "12"), 'says bytes = "12" for chunk 0', id="string-bytes"
        ),
        pytest.param(_set_record("index", 1), "says index = 1 for chunk 0, expected 0", id="index"),
        pytest.param(
            _set_record("first", 5, 1), "says first = 5 for chunk 1, expected 150", id="first"
        ),
        pytest.param(
            _set_record("last", 10**9, 3), "says last = 1000000000 for chunk 3", id="last"
        ),
        pytest.param(_set_record("sha256", "0" * 63), "has no valid sha256 for chunk 0", id="sha"),
        pytest.param(
            _set_record("outcomes", [["Status quo", 10**9]]),
            "has outcome counts for chunk 0 that do not add up to its 150 points",
            id="counts",
        ),
        pytest.param(_set("chunks", [{}] * 10**5), "must list at most 9 chunks", id="many-chunks"),
    ],
)
def test_an_inconsistent_manifest_is_refused_in_one_line(tree, tmp_path, change, message):
    out = tmp_path / "map.csv"
    partial = _interrupted(tree, out)
    _edit_manifest(partial, change)
    before = (partial / "data").read_bytes()
    result = run(str(TREE), *ARGS, "--out", str(out), "--resume")
    line = _one_clean_line(result)
    assert f"cannot resume {partial}: its manifest.json {message}" in line, line
    assert line.endswith("delete the folder to start over")
    assert (partial / "data").read_bytes() == before  # nothing read, nothing cut
    _no_output_left(out)


def test_a_manifest_too_large_for_the_grid_is_not_read(tree, tmp_path):
    out = tmp_path / "map.csv"
    partial = _interrupted(tree, out)
    with (partial / "manifest.json").open("ab") as manifest:
        manifest.truncate(64 << 20)  # sparse: 64 MiB of NUL bytes
    line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(out), "--resume"))
    assert "its manifest.json is larger than a sweep of 9 chunks needs" in line


# -- the lock ----------------------------------------------------------------------------------


def test_a_second_sweep_of_the_same_output_is_refused_while_one_runs(tree, whole, tmp_path):
    out = tmp_path / "map.csv"
    original = PartialStore.append
    seen = []

    def append(self, payload, counts):
        if self.done == 2 and not seen:  # another resume (and a plain run) meanwhile
            for resume in (True, False):
                with pytest.raises(CredibilityError) as error:
                    cr.sweep(tree, GRID, out=out, chunk_size=150, resume=resume)
                seen.append(str(error.value))
        original(self, payload, counts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PartialStore, "append", append)
        cr.sweep(tree, GRID, out=out, chunk_size=150)
    expected = f"{out}.partial is in use by another sweep (process {os.getpid()})"
    assert len(seen) == 2 and all(text.startswith(expected) for text in seen), seen
    assert out.read_bytes() == whole[".csv"].read_bytes()  # no duplicated rows


def test_the_cli_names_the_process_that_holds_the_lock(tree, whole, tmp_path):
    out = tmp_path / "map.csv"
    partial = _interrupted(tree, out)
    with (partial / "lock").open("r+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.truncate(0)
        lock.write(b"4242\n")
        lock.flush()
        line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(out), "--resume"))
        assert line == (
            f"Error: {partial} is in use by another sweep (process 4242): "
            "wait for it to finish or stop it, then run the command again"
        )
    result = run(str(TREE), *ARGS, "--out", str(out), "--resume")  # released: it resumes
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == whole[".csv"].read_bytes()


# -- an existing output file -------------------------------------------------------------------


def test_an_existing_output_is_refused_without_overwrite(tree, whole, tmp_path):
    out = tmp_path / "map.csv"
    out.write_text("precious\n")
    for extra in ([], ["--resume"]):
        line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(out), *extra))
        assert (
            line == f"Error: {out} exists: add --overwrite to replace it, or choose another output"
        )
        assert out.read_text() == "precious\n"
        assert not (tmp_path / "map.csv.partial").exists()
    with pytest.raises(CredibilityError, match="exists: give overwrite=True"):
        cr.sweep(tree, GRID, out=out, chunk_size=150)
    result = run(str(TREE), *ARGS, "--out", str(out), "--overwrite")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == whole[".csv"].read_bytes()
    cr.sweep(tree, GRID, out=out, chunk_size=150, overwrite=True)
    assert out.read_bytes() == whole[".csv"].read_bytes()


def test_a_file_that_appears_during_the_sweep_is_not_replaced(tree, tmp_path):
    out = tmp_path / "map.csv"
    original = PartialStore.append

    def append(self, payload, counts):
        original(self, payload, counts)
        if self.done == self.chunk_count:
            out.write_text("someone else's\n")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PartialStore, "append", append)
        with pytest.raises(CredibilityError, match="appeared while the sweep ran"):
            cr.sweep(tree, GRID, out=out, chunk_size=150)
    assert out.read_text() == "someone else's\n"


# -- where nothing can be written, a full disk, a failed scheduler -------------------------------


def test_an_output_where_no_folder_can_be_made_is_one_line(tmp_path):
    out = "/proc/self/map.csv"
    line = _one_clean_line(run(str(TREE), *ARGS, "--out", out))
    assert line.startswith(f"Error: cannot create {out}.partial: ")


def test_a_read_only_output_folder_is_one_line(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders (the /proc case covers this)")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(folder / "map.csv")))
        assert line == f"Error: cannot create {folder / 'map.csv.partial'}: Permission denied"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def _full_disk_after(patch, chunks):
    original = store_module._write
    calls = {"data": 0}

    def write(handle, payload):
        name = Path(handle.name).name
        if name in ("data",) or name.startswith("chunk-"):
            calls["data"] += 1
            if calls["data"] > chunks:
                handle.write(payload[: len(payload) // 2])  # part of it made it
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        original(handle, payload)

    patch.setattr(store_module, "_write", write)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_full_disk_keeps_the_finished_chunks(whole, tmp_path, monkeypatch, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"map{suffix}"
    with monkeypatch.context() as patch:
        _full_disk_after(patch, 4 if suffix == ".parquet" else 5)  # the header, then 4 chunks
        line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(out)))
    assert "No space left on device" in line and str(out) + ".partial" in line
    assert "the 4 completed chunks are kept" in line and "--resume" in line
    _no_output_left(out)
    partial = tmp_path / f"map{suffix}.partial"
    assert json.loads((partial / "manifest.json").read_text())["chunks_done"] == 4
    result = run(str(TREE), *ARGS, "--out", str(out), "--resume")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == whole[suffix].read_bytes()


def test_a_full_disk_at_the_first_chunk_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "map.csv"
    with monkeypatch.context() as patch:
        _full_disk_after(patch, 1)  # the header only
        line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(out)))
    assert line.endswith("data: No space left on device")
    assert list(tmp_path.iterdir()) == []
    assert run(str(TREE), *ARGS, "--out", str(out)).exit_code == 0


@pytest.mark.parametrize("when", ["add", "close"])
def test_a_full_disk_while_joining_parquet_leaves_no_output(whole, tmp_path, monkeypatch, when):
    pytest.importorskip("pyarrow")
    from credibility.sweeps import writers

    def fail(self, *args):
        self.out.write_bytes(b"PAR1 half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    out = tmp_path / "map.parquet"
    with monkeypatch.context() as patch:
        patch.setattr(writers._ParquetAssembly, when, fail)
        line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(out)))
    assert "assembled.parquet: No space left on device" in line
    _no_output_left(out)
    assert not (tmp_path / "map.parquet.partial" / "assembled.parquet").exists()
    assert run(str(TREE), *ARGS, "--out", str(out), "--resume").exit_code == 0
    assert out.read_bytes() == whole[".parquet"].read_bytes()


def test_a_failed_scheduler_leaves_nothing_in_the_way(tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "map.csv"
    line = _one_clean_line(run(str(TREE), *ARGS, "--out", str(out), "--scheduler", "foo://bar"))
    assert line.startswith("Error: cannot reach the Dask scheduler at foo://bar")
    assert list(tmp_path.iterdir()) == []
    assert run(str(TREE), *ARGS, "--out", str(out)).exit_code == 0


# -- CSV formula injection ---------------------------------------------------------------------


def test_labels_that_look_like_formulas_are_escaped_in_csv(tmp_path):
    text = TREE.read_text().replace('"Status quo"', '"=HYPERLINK(1)"')
    text = re.sub(r"\bChallenge\b", '"@Challenge"', text).replace("Irresolute", "-Irresolute")
    game = tmp_path / "injection.toml"
    game.write_text(text)
    out = tmp_path / "map.csv"
    assert run(str(game), "--grid", "p=0,1/2", "--param", "c=2", "--out", str(out)).exit_code == 0
    rows = out.read_text().splitlines()
    assert rows[1] == (
        "0.0,'@Challenge > -Irresolute > Concede,1,'@Challenge > -Irresolute > Concede,1.0,-1.0"
    )
    assert rows[2] == "0.5,'=HYPERLINK(1),1,'=HYPERLINK(1),0.0,0.0"  # numbers as they are
    raw = tmp_path / "raw.csv"
    args = ["--grid", "p=0,1/2", "--param", "c=2", "--out", str(raw), "--raw-csv"]
    assert run(str(game), *args).exit_code == 0
    assert raw.read_text().splitlines()[2] == "0.5,=HYPERLINK(1),1,=HYPERLINK(1),0.0,0.0"
    jsonl = tmp_path / "map.jsonl"  # not a spreadsheet format: never changed
    assert run(str(game), "--grid", "p=0,1/2", "--param", "c=2", "--out", str(jsonl)).exit_code == 0
    assert json.loads(jsonl.read_text().splitlines()[1])["outcome"] == "=HYPERLINK(1)"
    result = cr.sweep(cr.load(game), {"p": ["1/2"]}, {"c": 2}, out=tmp_path / "k.csv", raw_csv=True)
    assert result.outcomes == {"=HYPERLINK(1)": 1}
    assert (tmp_path / "k.csv").read_text().splitlines()[1].split(",")[1] == "=HYPERLINK(1)"


def test_escaped_and_raw_csv_are_different_sweeps_to_resume(tree, tmp_path):
    out = tmp_path / "map.csv"
    _interrupted(tree, out)
    with pytest.raises(CredibilityError, match=r"\(csv: escaped then, raw now\)"):
        cr.sweep(tree, GRID, out=out, chunk_size=150, resume=True, raw_csv=True)

"""Atomic, resumable, verified output: completed chunks kept beside the output until it is whole.

While a sweep of ``OUT`` runs, its work lives in the folder ``OUT.partial/``:

- ``lock``: locked (``flock``, exclusive) by the sweep writing the folder for
  as long as it runs, and holding its process id. A second sweep of the same
  ``OUT`` (a ``--resume`` while the first runs, two resumes at once) is
  refused with a line naming that process.
- ``manifest.json``: the sweep's arguments (game, grid, bound parameters,
  chunk size, format), the columns, the grid's size and number of chunks,
  and one record per completed chunk, in grid order: its ``index``, the
  ``first`` and ``last`` grid points it holds (0-based, inclusive), its size
  in ``bytes``, its ``outcomes`` (``[label, count]`` pairs) and ``sha256``,
  the SHA-256 of the chunk's bytes followed by a line break and the compact
  JSON array ``[index, first, last, bytes, outcomes]`` (so the checksum
  covers the counts and the position too). ``chunks_done`` and ``bytes``
  (all the data's bytes) repeat what the records add up to. It is rewritten
  atomically (temporary name, then rename) after each chunk.
- ``data``: for CSV and JSON Lines, the header then the completed chunks in
  grid order, appended; for Parquet, one Arrow file per chunk
  (``chunk-NNNNNNNN.arrow``, lz4-compressed), each also appended as it
  comes to ``assembled.parquet``, which is finished when the last chunk is in
  (a resumed sweep writes it again from the verified chunks first).

The manifest is written only after a chunk's bytes are, so a sweep stopped at
any moment (Ctrl-C, ``kill``, a full disk) leaves a consistent record. A
resumed sweep first checks the manifest (its size, every field's type and
range, the arguments, the columns, the chunks' positions and counts against
the grid) before it reads any data, then checks each chunk's bytes against its
checksum, in order: from the first chunk that is missing, short or different,
that chunk and every later one are computed again (bytes past the last good
chunk are cut off). Chunks are deterministic, so the file is byte-identical to
an uninterrupted run's, and the outcome counts are those of the verified
records. When the last chunk is in, the data becomes ``OUT`` by one rename
(or hard link, which refuses to replace a file that appeared meanwhile) and
the folder is removed: ``OUT`` appears only when complete.

Without ``resume``, an existing ``OUT.partial/`` is refused (it may be hours
of work); with ``resume`` and different arguments, too. An existing ``OUT``
is refused unless ``overwrite``. A run that fails before completing any chunk
removes the folder it created. A file system error (a folder where nothing
can be created, a full disk) is one line saying what failed and where.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from ..errors import CredibilityError
from .writers import Assembly, Format

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: no lock
    fcntl = None  # type: ignore[assignment]

__all__ = ["MANIFEST_FORMAT", "PartialStore"]

#: The layout of ``manifest.json``; partial folders of another layout are not resumed.
MANIFEST_FORMAT = 2
_BLOCK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEYS = {
    "format",
    "arguments",
    "columns",
    "points",
    "chunk_count",
    "chunks_done",
    "bytes",
    "chunks",
}
_RECORD_KEYS = {"index", "first", "last", "bytes", "outcomes", "sha256"}


class PartialStore:
    """The ``OUT.partial/`` folder of one sweep, locked while the object is open.

    Use it as a context manager: leaving the block releases the lock, and
    leaving it by an exception removes the folder if this run created it and
    completed no chunk.

    Parameters
    ----------
    out : Path
        The output file.
    fmt : Format
    arguments : mapping
        What identifies the sweep (JSON-serialisable); a resume must match it.
    columns : sequence of str
        The header.
    points : int
        Grid points of the sweep.
    chunk_size : int
        Grid points per chunk (the last chunk may be shorter).
    resume : bool
        Continue from an existing folder (else refuse one).
    overwrite : bool
        Replace an existing output file (else refuse one).

    Attributes
    ----------
    done : int
        Chunks already complete.
    outcomes : dict of str to int
        Outcome counts over the complete chunks.
    """

    def __init__(
        self,
        out: Path,
        fmt: Format,
        arguments: Mapping[str, Any],
        columns: Sequence[str],
        *,
        points: int,
        chunk_size: int,
        resume: bool,
        overwrite: bool = False,
    ):
        self.out = out
        self.fmt = fmt
        self.arguments = dict(arguments)
        self.columns = list(columns)
        self.points = points
        self.chunk_size = chunk_size
        self.chunk_count = -(-points // chunk_size)
        self.overwrite = overwrite
        self.folder = out.with_name(out.name + ".partial")
        self.manifest = self.folder / "manifest.json"
        self.data = self.folder / "data"
        self.lock_path = self.folder / "lock"
        self.header = fmt.header(self.columns) if fmt.appendable else b""
        self.records: list[dict[str, Any]] = []
        # each record's JSON text, made once (the manifest is rewritten after every chunk)
        self._record_texts: list[str] = []
        self.size = 0
        self.created = False
        self._lock_file: IO[bytes] | None = None
        self._assembly: Assembly | None = None
        self.assembled = self.folder / ("assembled" + out.suffix)
        if out.is_dir():
            raise CredibilityError("is a folder, not a file", file=str(out))
        if out.exists() and not overwrite:
            raise CredibilityError(
                f"{out} exists: give overwrite=True to replace it, or choose another output"
            )
        try:
            self.folder.mkdir()
            self.created = True
        except FileExistsError:
            pass
        except OSError as error:
            raise _failure("create", self.folder, error) from None
        try:
            self._lock()
            if self.created:
                self._start()
            elif not resume:
                raise CredibilityError(
                    f"{self.folder} holds an interrupted sweep: give resume=True to finish it, "
                    "or delete it to start over"
                )
            else:
                self._reopen()
        except BaseException:
            self.close(failed=True)
            raise

    # -- the lock --------------------------------------------------------------------------

    def _lock(self) -> None:
        try:
            handle = open(self.lock_path, "a+b")  # noqa: SIM115 - held until close()
        except OSError as error:
            if self.created:
                raise _failure("create", self.lock_path, error) from None
            raise self._not_partial() from None
        if fcntl is None:  # pragma: no cover
            self._lock_file = handle
            return
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            text = handle.read(40).decode("ascii", "replace").strip()
            handle.close()
            holder = f"process {text}" if text.isdigit() else "another process"
            raise CredibilityError(
                f"{self.folder} is in use by another sweep ({holder}): "
                "wait for it to finish or stop it, then run the command again"
            ) from None
        try:
            current = os.stat(self.lock_path).st_ino
        except OSError:
            current = -1
        if current != os.fstat(handle.fileno()).st_ino:  # the folder went away meanwhile
            handle.close()
            raise CredibilityError(
                f"{self.folder} was removed while this sweep opened it (another sweep "
                "finished?): run the command again"
            )
        self._lock_file = handle
        try:
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n".encode())
            handle.flush()
        except OSError as error:
            raise self._failure("write", self.lock_path, error) from None

    def close(self, *, failed: bool = False) -> None:
        """Release the lock; after a failure, remove the folder if it holds nothing of value."""
        if self._assembly is not None:  # an unfinished assembly is of no value
            with suppress(OSError):
                self._assembly.close()
            self._assembly = None
            self.assembled.unlink(missing_ok=True)
        if failed and self.created and not self.records:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> PartialStore:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        self.close(failed=kind is not None)

    # -- starting and resuming ------------------------------------------------------------

    def _start(self) -> None:
        if self.fmt.appendable:
            with self._io("write", self.data), self.data.open("wb") as data:
                _write(data, self.header)
        self.size = len(self.header)
        self._save()
        self._start_assembly()

    def _start_assembly(self) -> None:
        """Not appendable formats: start the output from the chunks done so far."""
        if self.fmt.appendable:
            return
        self._assembly = self.fmt.open_assembly(self.assembled)
        for record in self.records:
            path = self._chunk_path(record["index"])
            with self._io("read", path):
                payload = path.read_bytes()
            with self._io("write", self.assembled):
                self._assembly.add(payload)

    def _reopen(self) -> None:
        manifest = self._read_manifest()
        self._check_arguments(manifest)
        self._check_manifest(manifest)
        records = manifest["chunks"]
        self.records = (
            self._verified_appended(records)
            if self.fmt.appendable
            else self._verified_files(records)
        )
        self.size = len(self.header) + sum(r["bytes"] for r in self.records)
        if len(self.records) != len(records):
            self._save()
        self._start_assembly()

    def _read_manifest(self) -> dict[str, Any]:
        limit = (1 << 20) + 2 * len(json.dumps(self.arguments)) + self.chunk_count * (64 << 10)
        try:
            with self.manifest.open("rb") as handle:
                text = handle.read(limit + 1)
        except OSError:
            raise self._not_partial() from None
        if len(text) > limit:
            raise self._invalid(f"is larger than a sweep of {self.chunk_count} chunks needs")
        try:
            manifest = json.loads(text)
        except (ValueError, RecursionError):
            raise self._not_partial() from None
        if not isinstance(manifest, dict) or "arguments" not in manifest:
            raise self._not_partial()
        if manifest.get("format") != MANIFEST_FORMAT:
            raise self._invalid(
                f"has format {_shown(manifest.get('format'))}, not {MANIFEST_FORMAT} "
                "(an older version of credibility wrote it?)"
            )
        return manifest

    def _check_arguments(self, manifest: dict[str, Any]) -> None:
        previous = manifest["arguments"]
        if not isinstance(previous, dict):
            raise self._invalid("has no arguments object")
        if previous != self.arguments:
            changed = ", ".join(
                f"{key}: {_short(previous.get(key))} then, {_short(self.arguments.get(key))} now"
                for key in sorted(set(previous) | set(self.arguments), key=str)
                if previous.get(key) != self.arguments.get(key)
            )
            raise CredibilityError(
                f"cannot resume {self.folder}: it was started with different arguments "
                f"({changed}); rerun the same command, or delete it to start over"
            )

    def _check_manifest(self, manifest: dict[str, Any]) -> None:
        """Types, ranges and consistency with this sweep's grid, before any data is read."""
        if set(manifest) != _KEYS:
            odd = sorted(set(manifest) ^ _KEYS)
            raise self._invalid(f"has missing or unknown fields ({', '.join(odd)})")
        if manifest["columns"] != self.columns:
            raise self._invalid("lists other columns than this sweep writes")
        for key, expected in (("points", self.points), ("chunk_count", self.chunk_count)):
            if not _is_int(manifest[key]) or manifest[key] != expected:
                raise self._invalid(
                    f"says {key} = {_shown(manifest[key])}, but the grid has {expected}"
                )
        records = manifest["chunks"]
        if not isinstance(records, list) or len(records) > self.chunk_count:
            raise self._invalid(f"must list at most {self.chunk_count} chunks")
        done = manifest["chunks_done"]
        if not _is_int(done) or done != len(records):
            raise self._invalid(
                f"says chunks_done = {_shown(done)}, but it lists {len(records)} chunks"
            )
        total = len(self.header)
        for index, record in enumerate(records):
            self._check_record(index, record)
            total += record["bytes"]
        if not _is_int(manifest["bytes"]) or manifest["bytes"] != total:
            raise self._invalid(
                f"says bytes = {_shown(manifest['bytes'])}, but its chunks add up to {total}"
            )

    def _check_record(self, index: int, record: Any) -> None:
        where = f"chunk {index}"
        if not isinstance(record, dict) or set(record) != _RECORD_KEYS:
            raise self._invalid(f"has a malformed record for {where}")
        first, last = self._span(index)
        for key, expected in (("index", index), ("first", first), ("last", last)):
            if not _is_int(record[key]) or record[key] != expected:
                raise self._invalid(
                    f"says {key} = {_shown(record[key])} for {where}, expected {expected}"
                )
        size = record["bytes"]
        if not _is_int(size) or not 0 < size < 1 << 48:
            raise self._invalid(f"says bytes = {_shown(size)} for {where}")
        if not isinstance(record["sha256"], str) or not _SHA256.fullmatch(record["sha256"]):
            raise self._invalid(f"has no valid sha256 for {where}")
        outcomes = record["outcomes"]
        if (
            not isinstance(outcomes, list)
            or not all(
                isinstance(pair, list)
                and len(pair) == 2
                and isinstance(pair[0], str)
                and _is_int(pair[1])
                and pair[1] > 0
                for pair in outcomes
            )
            or len({pair[0] for pair in outcomes}) != len(outcomes)
            or sum(pair[1] for pair in outcomes) != last - first + 1
        ):
            raise self._invalid(
                f"has outcome counts for {where} that do not add up to its "
                f"{last - first + 1} points"
            )

    def _verified_appended(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records whose bytes in ``data`` match their checksums; ``data`` cut after them."""
        good: list[dict[str, Any]] = []
        try:
            with self.data.open("r+b") as data:
                available = os.fstat(data.fileno()).st_size
                if data.read(len(self.header)) != self.header:
                    data.seek(0)
                    data.truncate(0)
                    _write(data, self.header)
                    return good
                offset = len(self.header)
                for record in records:
                    if (
                        available - offset < record["bytes"]
                        or _digest(data, record) != record["sha256"]
                    ):
                        break
                    good.append(record)
                    offset += record["bytes"]
                data.truncate(offset)
        except FileNotFoundError:
            with self._io("write", self.data), self.data.open("wb") as data:
                _write(data, self.header)
        except OSError as error:
            raise self._failure("read", self.data, error) from None
        return good

    def _verified_files(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records whose chunk files match their checksums (Parquet's Arrow chunks)."""
        good: list[dict[str, Any]] = []
        for record in records:
            path = self._chunk_path(record["index"])
            try:
                with path.open("rb") as chunk:
                    if os.fstat(chunk.fileno()).st_size != record["bytes"]:
                        break
                    if _digest(chunk, record) != record["sha256"]:
                        break
            except OSError:
                break
            good.append(record)
        return good

    # -- writing --------------------------------------------------------------------------

    @property
    def done(self) -> int:
        return len(self.records)

    @property
    def outcomes(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self.records:
            for label, count in record["outcomes"]:
                counts[label] = counts.get(label, 0) + count
        return counts

    def append(self, payload: Any, counts: Mapping[str, int]) -> None:
        """Record the next chunk (its encoded rows, bytes-like, and outcome counts)."""
        index = len(self.records)
        first, last = self._span(index)
        record: dict[str, Any] = {
            "index": index,
            "first": first,
            "last": last,
            "bytes": len(payload),
            "outcomes": [[str(label), int(count)] for label, count in counts.items()],
        }
        record["sha256"] = _checksum(payload, record)
        if self.fmt.appendable:
            with self._io("write", self.data), self.data.open("r+b") as data:
                data.seek(self.size)
                data.truncate()
                _write(data, payload)
        else:
            path = self._chunk_path(index)
            temporary = path.with_suffix(".tmp")
            with self._io("write", temporary), temporary.open("wb") as chunk:
                _write(chunk, payload)
            with self._io("write", path):
                os.replace(temporary, path)
            assert self._assembly is not None
            with self._io("write", self.assembled):
                self._assembly.add(payload)
        self.records.append(record)
        self.size += len(payload)
        self._save()

    def finish(self) -> None:
        """Move the complete data to the output file and remove the folder."""
        if self.done != self.chunk_count:
            raise CredibilityError(
                f"{self.folder}: {self.done} of {self.chunk_count} chunks done (please report this)"
            )
        if self.fmt.appendable:
            with self._io("read", self.data):
                if self.data.stat().st_size != self.size:
                    raise CredibilityError(
                        f"{self.data} changed while the sweep ran: run the sweep again "
                        "with resume=True"
                    )
            complete = self.data
        else:
            complete = self.assembled
            assert self._assembly is not None
            assembly, self._assembly = self._assembly, None
            try:
                assembly.close()
            except OSError as error:
                complete.unlink(missing_ok=True)
                raise self._failure("write", complete, error) from None
        self._publish(complete)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _publish(self, complete: Path) -> None:
        """``complete`` becomes ``out`` in one step, never over a file unless ``overwrite``."""
        with self._io("create", self.out):
            if self.overwrite:
                os.replace(complete, self.out)
                return
            try:
                os.link(complete, self.out)
            except FileExistsError:
                raise CredibilityError(
                    f"{self.out} appeared while the sweep ran: give overwrite=True to replace it "
                    "(the result waits in the partial folder: run the sweep again with "
                    "resume=True)"
                ) from None
            except OSError:  # no hard links here: check, then rename
                if self.out.exists():
                    raise CredibilityError(
                        f"{self.out} appeared while the sweep ran: "
                        "give overwrite=True to replace it"
                    ) from None
                os.replace(complete, self.out)

    def _chunk_path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:08d}.arrow"

    def _span(self, index: int) -> tuple[int, int]:
        first = index * self.chunk_size
        return first, min(first + self.chunk_size, self.points) - 1

    def _save(self) -> None:
        """Write the manifest: ``json.dumps`` of it, compact, with the records' texts reused.

        Once saved, records are only appended to (a resumed sweep sets its records
        before its first save), so the texts of those saved before stay valid.
        """
        manifest = {
            "format": MANIFEST_FORMAT,
            "arguments": self.arguments,
            "columns": self.columns,
            "points": self.points,
            "chunk_count": self.chunk_count,
            "chunks_done": self.done,
            "bytes": self.size,
        }
        texts = self._record_texts
        texts.extend(_compact(record) for record in self.records[len(texts) :])
        text = f'{_compact(manifest)[:-1]},"chunks":[{",".join(texts)}]}}'
        temporary = self.manifest.with_suffix(".tmp")
        with self._io("write", temporary), temporary.open("wb") as handle:
            _write(handle, text.encode())
        with self._io("write", self.manifest):
            os.replace(temporary, self.manifest)

    # -- errors ---------------------------------------------------------------------------

    @contextmanager
    def _io(self, action: str, path: Path) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise self._failure(action, path, error) from None

    def _failure(self, action: str, path: Path, error: OSError) -> CredibilityError:
        failure = _failure(action, path, error)
        if self.records:
            failure.message += (
                f" (the {self.done} completed chunks are kept in {self.folder}: "
                "run the same sweep with resume=True once this is fixed)"
            )
        return CredibilityError(failure.message)

    def _invalid(self, what: str) -> CredibilityError:
        return CredibilityError(
            f"cannot resume {self.folder}: its manifest.json {what}; "
            "delete the folder to start over"
        )

    def _not_partial(self) -> CredibilityError:
        return CredibilityError(
            "not a sweep's partial folder (no readable manifest.json): delete it to start over",
            file=str(self.folder),
        )


def _write(handle: IO[bytes], payload: Any) -> None:
    """Write all of ``payload`` (one place, so that tests can make the disk full)."""
    handle.write(payload)
    handle.flush()


def _compact(value: Mapping[str, Any]) -> str:
    """The manifest's JSON of a value: compact, not limited to ASCII."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _record_line(record: Mapping[str, Any]) -> bytes:
    fields = [record[key] for key in ("index", "first", "last", "bytes", "outcomes")]
    return b"\n" + json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def _checksum(payload: Any, record: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(payload)
    digest.update(_record_line(record))
    return digest.hexdigest()


def _digest(handle: IO[bytes], record: Mapping[str, Any]) -> str:
    """The checksum of the next ``record["bytes"]`` bytes of ``handle``, read in blocks."""
    digest = hashlib.sha256()
    left = record["bytes"]
    while left:
        block = handle.read(min(left, _BLOCK))
        if not block:
            return ""
        digest.update(block)
        left -= len(block)
    digest.update(_record_line(record))
    return digest.hexdigest()


def _is_int(value: Any) -> bool:
    return type(value) is int and -(1 << 62) < value < 1 << 62


def _failure(action: str, path: Path, error: OSError) -> CredibilityError:
    reason = error.strerror or str(error) or type(error).__name__
    return CredibilityError(f"cannot {action} {path}: {reason}")


def _shown(value: Any) -> str:
    """A manifest's value as JSON (so that ``"12"`` and ``12`` differ), cut short."""
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."

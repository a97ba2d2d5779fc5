"""Atomic, resumable output: completed chunks kept beside the output until it is whole.

While a sweep of ``OUT`` runs, its work lives in the folder ``OUT.partial/``:

- ``manifest.json``: the sweep's arguments (game, grid, bound parameters,
  chunk size, format), how many chunks are done, the bytes they fill and
  their outcome counts. It is rewritten atomically (temporary name, then
  rename) after each chunk.
- ``data``: for CSV and JSON Lines, the header then the completed chunks in
  grid order, appended; for Parquet, one Arrow file per chunk
  (``chunk-NNNNNNNN.arrow``), joined into Parquet at the end.

The manifest is written only after a chunk's bytes are, so a sweep stopped at
any moment (Ctrl-C, ``kill``) leaves a consistent record: a resumed sweep cuts
``data`` back to the bytes the manifest vouches for and goes on from the next
chunk. Chunks are deterministic, so the file is byte-identical to an
uninterrupted run's. When the last chunk is in, the data becomes ``OUT`` by
one rename and the folder is removed: ``OUT`` appears only when complete.

Without ``resume``, an existing ``OUT.partial/`` is refused (it may be hours
of work); with ``resume`` and different arguments, too.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import CredibilityError
from .writers import Format

__all__ = ["PartialStore"]


class PartialStore:
    """The ``OUT.partial/`` folder of one sweep.

    Parameters
    ----------
    out : Path
        The output file.
    fmt : Format
    arguments : mapping
        What identifies the sweep (JSON-serialisable); a resume must match it.
    columns : sequence of str
        The header.
    resume : bool
        Continue from an existing folder (else refuse one).

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
        columns: list[str],
        *,
        resume: bool,
    ):
        self.out = out
        self.fmt = fmt
        self.arguments = dict(arguments)
        self.folder = out.with_name(out.name + ".partial")
        self.manifest = self.folder / "manifest.json"
        self.data = self.folder / "data"
        self.columns = columns
        if self.folder.exists():
            if not resume:
                raise CredibilityError(
                    f"{self.folder} holds an interrupted sweep: add --resume to finish it, "
                    "or delete it to start over"
                )
            self._reopen()
        else:
            self.folder.mkdir(parents=False)
            self.done, self.size = 0, 0
            self.outcomes: dict[str, int] = {}
            if fmt.appendable:
                header = fmt.header(columns)
                self.data.write_bytes(header)
                self.size = len(header)
            self._save()

    def _reopen(self) -> None:
        try:
            manifest = json.loads(self.manifest.read_text())
            previous = manifest["arguments"]
            self.done, self.size = int(manifest["chunks_done"]), int(manifest["bytes"])
            self.outcomes = {str(k): int(v) for k, v in manifest["outcomes"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise CredibilityError(
                "not a sweep's partial folder (no readable manifest.json): delete it to start over",
                file=str(self.folder),
            ) from None
        if previous != self.arguments:
            changed = ", ".join(
                f"{key}: {_short(previous.get(key))} then, {_short(self.arguments.get(key))} now"
                for key in sorted(set(previous) | set(self.arguments))
                if previous.get(key) != self.arguments.get(key)
            )
            raise CredibilityError(
                f"cannot resume {self.folder}: it was started with different arguments "
                f"({changed}); rerun the same command, or delete it to start over"
            )
        if self.fmt.appendable:
            try:
                with self.data.open("r+b") as data:
                    data.truncate(self.size)
            except OSError:
                raise CredibilityError(
                    "the partial sweep's data is missing: delete the folder to start over",
                    file=str(self.folder),
                ) from None

    def append(self, payload: bytes, counts: Mapping[str, int]) -> None:
        """Record the next chunk (its encoded rows and outcome counts)."""
        if self.fmt.appendable:
            with self.data.open("ab") as data:
                data.write(payload)
            self.size += len(payload)
        else:
            path = self._chunk_path(self.done)
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(payload)
            os.replace(temporary, path)
        for label, count in counts.items():
            self.outcomes[label] = self.outcomes.get(label, 0) + count
        self.done += 1
        self._save()

    def finish(self) -> None:
        """Move the complete data to the output file and remove the folder."""
        if self.fmt.appendable:
            os.replace(self.data, self.out)
        else:
            temporary = self.folder / ("assembled" + self.out.suffix)
            chunks = [self._chunk_path(i) for i in range(self.done)]
            self.fmt.assemble(chunks, self.columns, temporary)
            os.replace(temporary, self.out)
        shutil.rmtree(self.folder)

    def _chunk_path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:08d}.arrow"

    def _save(self) -> None:
        manifest = {
            "format": 1,
            "arguments": self.arguments,
            "chunks_done": self.done,
            "bytes": self.size,
            "outcomes": self.outcomes,
        }
        temporary = self.manifest.with_suffix(".tmp")
        temporary.write_text(json.dumps(manifest, indent=1))
        os.replace(temporary, self.manifest)


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."

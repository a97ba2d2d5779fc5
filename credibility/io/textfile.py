"""Read a game file's text with a bound on its size.

Both readers (``.toml`` and Gambit ``.nfg``) read a whole file into memory
before parsing it. A file given by a user may be anything: a very large
file, or a symlink to ``/dev/zero`` that never ends. :func:`read_text_file`
reads at most :data:`MAX_FILE_BYTES` bytes (one more to tell that the file is
longer) and refuses a longer file with a :class:`~credibility.errors.GameFileError`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import GameFileError

__all__ = ["MAX_FILE_BYTES", "read_text_file"]

MAX_FILE_BYTES = 4 * 1024 * 1024
"""The largest game file read, in bytes (4 MiB): far beyond any game the exact methods solve."""


def read_text_file(
    path: str | Path, *, limit: int = MAX_FILE_BYTES, universal_newlines: bool = True
) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes.

    A regular file larger than the limit is refused from its size, before
    anything is read; any other file (a device, a pipe) is read up to one byte
    past the limit, and refused if it goes on.

    Parameters
    ----------
    path : str or Path
        The file.
    limit : int
        The largest size accepted, in bytes.
    universal_newlines : bool
        If true, ``\\r\\n`` and ``\\r`` become ``\\n``, as Python's ``open`` does
        in text mode; if false, the text is returned as the file holds it.

    Returns
    -------
    str

    Raises
    ------
    GameFileError
        If the file is missing, unreadable, not UTF-8 or larger than ``limit``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "game.toml"
    >>> _ = path.write_bytes(b"kind = 'bimatrix'\\r\\n")
    >>> read_text_file(path)
    "kind = 'bimatrix'\\n"
    >>> read_text_file(path, limit=10)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    credibility.errors.GameFileError: .../game.toml: the file is larger than the limit of 10 bytes
    for a game file
    """
    path = Path(path)
    too_large = GameFileError(
        f"the file is larger than the limit of {limit} bytes for a game file", file=str(path)
    )
    try:
        with path.open("rb") as stream:
            if os.fstat(stream.fileno()).st_size > limit:
                raise too_large
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise GameFileError("no such file", file=str(path)) from None
    except OSError as error:
        raise GameFileError(f"cannot read the file ({error})", file=str(path)) from None
    if len(data) > limit:
        raise too_large
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GameFileError(
            f"cannot read the file (it is not UTF-8 text: {error})", file=str(path)
        ) from None
    if universal_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text

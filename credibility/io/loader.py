"""Load a game file by its suffix, and write one in the format its suffix names."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..errors import CredibilityError
from ..kinds import adapter_for
from ..models import Binding, Game
from ..parameters import ParamValues
from .toml_loader import load_toml

__all__ = ["FORMATS", "format_game", "load_path", "write_game"]


FORMATS = {".toml": "toml", ".nfg": "nfg", ".efg": "efg"}
"""The file formats by suffix: this library's game files and Gambit's two formats."""


def load_path(path: str | Path) -> Game:
    """Load a ``.toml`` game file, or a Gambit ``.nfg`` or ``.efg`` file."""
    path = Path(path)
    if path.suffix == ".nfg":
        from .gambit import read_nfg  # lazy: start-up time (sympy)

        return read_nfg(path)
    if path.suffix == ".efg":
        from .gambit_efg import read_efg  # lazy: start-up time (sympy)

        return read_efg(path)
    return load_toml(path)


def format_game(game: Game, fmt: str, params: Binding | ParamValues | None = None) -> str:
    """The text of a game in a file format: ``"nfg"``, ``"efg"`` or ``"toml"``.

    A bimatrix game can be written in every format (as ``efg``, the two
    players move at once); a tree or a signalling game as ``efg`` or
    ``toml``. Gambit's formats hold numbers only, so parameters are bound
    (the defaults unless ``params`` says otherwise); a ``toml`` file keeps
    the parameters, with ``params`` as their new defaults.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    fmt : str
        ``"nfg"``, ``"efg"`` or ``"toml"``.
    params : Binding, or mapping of str to number or fraction string, optional

    Returns
    -------
    str

    Raises
    ------
    CredibilityError
        If the format cannot hold a game of this kind, or is unknown.
    ParameterError
        If a parameter value is unknown or out of bounds.

    Examples
    --------
    >>> import credibility as cr
    >>> print(format_game(cr.load("chicken"), "nfg", {"c_row": 2}))  # doctest: +ELLIPSIS
    NFG 1 R "Chicken (brinkmanship)" { "Row" "Column" }
    ...
    0 0 1 -1 -1 1 -2 -5
    <BLANKLINE>
    >>> format_game(cr.load("entry_deterrence"), "nfg")
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: a tree game cannot be written as .nfg (Gambit's strategic
    form, for bimatrix games): write .efg or .toml
    """
    if fmt == "nfg":
        return adapter_for(game).format_nfg(game, params)
    if fmt == "efg":
        return adapter_for(game).format_efg(game, params)
    if fmt == "toml":
        from .toml_writer import format_toml  # lazy: start-up time (sympy)

        return format_toml(game, params)
    raise CredibilityError(f"unknown file format '{fmt}' (expected nfg, efg or toml)")


def write_game(
    game: Game,
    path: str | Path,
    *,
    fmt: str | None = None,
    params: Binding | ParamValues | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a game to a file, in the format its suffix names unless ``fmt`` is given.

    The text is written to a temporary file in the same folder, which then
    becomes ``path`` in one step (a rename), so ``path`` never holds part of
    a game. An existing ``path`` is replaced only with ``overwrite``; without
    it, a file that appears while the text is written is not replaced either.
    Gambit files are ASCII, game files UTF-8; line ends are ``\\n``.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    path : str or Path
    fmt : str, optional
        ``"nfg"``, ``"efg"`` or ``"toml"`` (see :func:`format_game`); by
        default from the suffix of ``path`` (:data:`FORMATS`).
    params : Binding, or mapping of str to number or fraction string, optional
    overwrite : bool
        Replace ``path`` if it exists.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    CredibilityError
        If the format is unknown or cannot hold the game, ``path`` exists
        (without ``overwrite``) or is a folder, or the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import credibility as cr
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "signal.efg"
    >>> _ = write_game(cr.load("tying_hands"), path)
    >>> path.read_text().splitlines()[3]
    'c "" 1 "" { "Resolved" 3/10 "Irresolute" 7/10 } 0'
    >>> write_game(cr.load("tying_hands"), path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: .../signal.efg exists: give overwrite=True to replace
    it, or choose another output
    """
    path = Path(path)
    if fmt is None:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise CredibilityError(
                f"cannot tell the file format from the suffix '{path.suffix}': "
                "expected .nfg, .efg or .toml",
                file=str(path),
            )
    text = format_game(game, fmt, params)
    if path.is_dir():
        raise CredibilityError("is a folder, not a file", file=str(path))
    if path.exists() and not overwrite:
        raise CredibilityError(
            f"{path} exists: give overwrite=True to replace it, or choose another output"
        )
    encoding = "utf-8" if fmt == "toml" else "ascii"
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "x", encoding=encoding, newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        _publish(temporary, path, overwrite)
    except OSError as error:
        raise CredibilityError(
            f"cannot write the file ({error.strerror or error})", file=str(path)
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _publish(temporary: Path, path: Path, overwrite: bool) -> None:
    """``temporary`` becomes ``path`` in one step, never over a file unless ``overwrite``."""
    if overwrite:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # refuses to replace a file that appeared meanwhile
    except FileExistsError:
        raise CredibilityError(
            f"{path} exists: give overwrite=True to replace it, or choose another output"
        ) from None
    except OSError:  # no hard links here: check, then rename
        if path.exists():
            raise CredibilityError(
                f"{path} exists: give overwrite=True to replace it, or choose another output"
            ) from None
        os.replace(temporary, path)

"""Gambit ``.nfg`` files of three or more players, read and written as normal-form games.

The file format is the one :mod:`credibility.io.gambit` describes, with any
number of players in the header and one payoff per player in each profile's
entry (payoff form) or outcome (outcome form). Gambit lists the profiles with
the *first* player's strategy varying fastest; :class:`NormalForm` stores them
row-major (last player fastest), so the reader transposes. Strategies given by
count only get the labels ``S1, S2, ...``; player names and labels are made
non-empty and distinct exactly as for two players (``Player 3`` for an empty
third name).

:func:`parse_nfg` of :mod:`credibility.io.gambit` hands a header of more than
two players here, so ``cr.load("game.nfg")`` reads either kind.
"""

from __future__ import annotations

import math
from typing import Any, cast

from ..models import Binding, GameInfo
from ..models.normal import NormalForm, check_size
from ..parameters import ParamValues
from .gambit import (
    _default_labels,
    _nfg_text,
    _Parser,
    _safe_info,
    _safe_names,
    _unique_names,
)

__all__ = ["format_normal_nfg", "parse_normal_nfg"]


class _NormalParser(_Parser):
    """The reader of :mod:`credibility.io.gambit`, for ``n >= 2`` players."""

    def game(self) -> NormalForm:  # type: ignore[override]
        title, players, header_declared, comment = self.header()
        # this class's strategies() gives a list per player (the parent's type says _Declared)
        declared = cast("list[list[str] | int]", header_declared)
        form = self.current.kind
        shape = self.check_size(declared, self.position)
        cells = self.located(lambda: check_size(shape))
        if form not in ("{", "number"):
            raise self.fail("expected the payoffs (numbers) or an outcome list ('{')", "payoffs")
        labels = tuple(
            _unique_names(x, _default_labels("S", len(x)))
            if isinstance(x, list)
            else _default_labels("S", x)
            for x in declared
        )
        n = len(players)
        rows = self.outcome_rows(n, cells) if form == "{" else self.payoff_rows(n, cells)
        self.take("end", "the end of the file", "payoffs")
        payoffs = tuple(_row_major([r[i] for r in rows], shape) for i in range(n))
        info = GameInfo(title=title, name=self.name, description=comment)
        return self.located(lambda: NormalForm(players, labels, payoffs, info=info))

    def players(self) -> tuple[str, ...]:  # type: ignore[override]
        players, _ = self.player_names()
        return _unique_names(players, _player_defaults(len(players)))

    def strategies(self, players: tuple[str, ...]) -> list[list[str] | int]:  # type: ignore[override]
        declared, self.position = self.strategy_lists(players)
        return declared


def _player_defaults(count: int) -> tuple[str, ...]:
    """The names of players whose name is empty: ``Player 1``, ``Player 2``, ..."""
    return _default_labels("Player ", count)


def _row_major(values: list[Any], shape: tuple[int, ...]) -> tuple[Any, ...]:
    """Values listed first-player-fastest (Gambit), reordered last-player-fastest."""
    import numpy as np  # lazy: start-up time

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return tuple(array.reshape(shape[::-1]).transpose().ravel().tolist())


def parse_normal_nfg(text: str, *, source: str = "<string>", name: str = "") -> NormalForm:
    """Parse a Gambit ``.nfg`` file of any number (two or more) of players.

    Parameters
    ----------
    text : str
        The file's text, in the payoff or the outcome form.
    source : str
        The file name used in error messages.
    name : str
        The game's name (the file stem).

    Returns
    -------
    NormalForm
        Exact rational payoffs, no parameters.

    Raises
    ------
    GameFileError
        If the text is not a valid NFG version 1 file.
    GameTooLargeError
        If it declares more than :data:`~credibility.models.normal.MAX_PROFILES` profiles.

    Examples
    --------
    >>> game = parse_normal_nfg('''NFG 1 R "" { "A" "B" "C" } { 2 1 1 }
    ... 1 2 3  4 5 6''')
    >>> game.shape, game.payoff("C", ("S2", "S1", "S1"))
    ((2, 1, 1), Fraction(6, 1))
    """
    return _NormalParser(text, source, name).game()


def format_normal_nfg(game: NormalForm, params: Binding | ParamValues | None = None) -> str:
    """The text of a Gambit ``.nfg`` file (payoff form, strategy labels) for a normal-form game.

    Names and texts are normalised as :func:`credibility.io.gambit.gambit_safe`
    describes; numbers are exact (``a/b``); the text is ASCII.

    Examples
    --------
    >>> game = NormalForm.from_arrays([[[[1]], [[2]]], [[[3]], [[4]]], [[[5]], [["1/2"]]]])
    >>> text = format_normal_nfg(game)
    >>> text.splitlines()[-1]
    '1 3 5 2 4 1/2'
    >>> parse_normal_nfg(text).payoffs == game.payoffs
    True
    """
    binding = params if isinstance(params, Binding) else game.bind(params)
    values = game.numeric(binding)
    players = _safe_names(game.players, _player_defaults(len(game.players)))
    labels = [_safe_names(s, _default_labels("S", len(s))) for s in game.strategies]
    order = _gambit_order(game.shape)
    payoffs = " ".join(" ".join(str(v[k]) for v in values) for k in order)
    return _nfg_text(_safe_info(game.info), players, labels, payoffs)


def _gambit_order(shape: tuple[int, ...]) -> list[int]:
    """Row-major positions of the profiles in Gambit's order (first player fastest)."""
    import numpy as np  # lazy: start-up time

    cells = math.prod(shape)
    return np.arange(cells).reshape(shape).transpose().ravel().tolist()

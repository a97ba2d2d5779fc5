"""Gambit ``.nfg`` files of three or more players, read and written as normal-form games.

The file format is the one :mod:`credibility.io.gambit` describes, with any
number of players in the header and one payoff per player in each profile's
entry (payoff form) or outcome (outcome form). Gambit lists the profiles with
the *first* player's strategy varying fastest; :class:`NormalForm` stores them
row-major (last player fastest), so the reader transposes. Strategies given by
count only get the labels ``S1, S2, ...``; player names and labels are made
non-empty and distinct exactly as for two players (``Player 3`` for an empty
third name).

The reader, :func:`parse_normal_nfg`, lives with the two-player reader in
:mod:`credibility.io.gambit`, whose :func:`~credibility.io.gambit.parse_nfg` hands it a
header of more than two players, so ``cr.load("game.nfg")`` reads either kind; it is
imported here too. The writer is :func:`format_normal_nfg`.
"""

from __future__ import annotations

import math

from ..models import Binding
from ..models.normal import NormalForm
from ..parameters import ParamValues
from .gambit import (
    _default_labels,
    _nfg_text,
    _player_defaults,
    _safe_info,
    _safe_names,
    parse_normal_nfg,
)

__all__ = ["format_normal_nfg", "parse_normal_nfg"]


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

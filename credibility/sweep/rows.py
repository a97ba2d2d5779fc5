"""One sweep row from the exact solver: the reference every vectorised evaluator must match.

Each kind of game has a row definition (its columns after the swept
parameters) and an exact per-point function. The vectorised evaluators give
the same values wherever they classify a point themselves, and call these
functions at the points they cannot classify safely in floating point.

Trees
    ``outcome``: the subgame-perfect equilibrium paths, ``" | "`` between
    distinct ones (as ``credibility solve`` labels them); ``n_equilibria``:
    the number of pure subgame-perfect equilibria; ``path``: the first
    equilibrium's path, moves joined by ``" > "``; ``payoff_PLAYER``: each
    player's expected payoff in the first equilibrium.
Signalling games
    The classes of the **pure** perfect Bayesian equilibria: ``outcome`` is
    ``"separating"``, ``"pooling"``, ``"pooling + separating"`` (both exist)
    or ``"none"`` (no pure equilibrium; mixed ones may exist, and
    ``credibility solve`` lists them); ``n_equilibria``: the number of pure
    equilibria; ``n_separating``, ``n_pooling``: how many of each class.
Bimatrix games
    :mod:`credibility.sweep.bimatrix` defines their row (``bimatrix_row``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import CredibilityError
from ..models import GameTree, SignallingGame

__all__ = [
    "at_point",
    "columns_for",
    "empty_columns",
    "fill",
    "signalling_label",
    "signalling_row",
    "tree_row",
]

Row = dict[str, Any]


def columns_for(game: GameTree | SignallingGame) -> tuple[str, ...]:
    """The columns a sweep of a tree or signalling game writes after the swept parameters.

    Examples
    --------
    >>> import credibility as cr
    >>> columns_for(cr.load("sinking_costs"))
    ('outcome', 'n_equilibria', 'n_separating', 'n_pooling')
    """
    if isinstance(game, GameTree):
        return ("outcome", "n_equilibria", "path", *(f"payoff_{p}" for p in game.players))
    return ("outcome", "n_equilibria", "n_separating", "n_pooling")


def tree_row(game: GameTree, params: Mapping[str, Fraction]) -> Row:
    """The row of a tree at one point, by exact backward induction.

    The equilibria are those ``solve_tree(game, params)`` lists, found by the
    same exact induction without the strategic form and its non-credible
    threats, which a sweep does not report (tests compare the two).
    """
    from ..solvers.backward import backward_induction, outcome_label

    equilibria = backward_induction(game, params).equilibria
    first = equilibria[0]
    row: Row = {
        "outcome": outcome_label(equilibria),
        "n_equilibria": len(equilibria),
        "path": first.outcome,
    }
    for player, payoff in zip(game.players, first.payoffs):
        row[f"payoff_{player}"] = float(payoff)
    return row


def signalling_label(separating: int, pooling: int, other: Sequence[str] = ()) -> str:
    """The outcome label of a signalling game from the classes of its pure equilibria.

    Examples
    --------
    >>> signalling_label(1, 2), signalling_label(0, 0)
    ('pooling + separating', 'none')
    """
    classes = sorted(
        {*other, *(["separating"] if separating else []), *(["pooling"] if pooling else [])}
    )
    return " + ".join(classes) or "none"


def signalling_row(game: SignallingGame, params: Mapping[str, Fraction]) -> Row:
    """The row of a signalling game at one point: its pure perfect Bayesian equilibria.

    The pure equilibria are those ``solve_signalling(game, params, mixed=False)``
    lists, enumerated by the same exact routine without describing each one
    (beliefs, refinements), which a sweep does not report.
    """
    from ..solvers.pbe import classify
    from ..solvers.pbe_form import SignallingForm
    from ..solvers.pbe_supports import enumerate_equilibria

    form = SignallingForm.from_game(game, game.bind(params))
    profiles = enumerate_equilibria(form, mixed=False).profiles
    classes = [classify(form, sigma, rho) for sigma, rho in profiles]
    other = [c for c in classes if c not in ("separating", "pooling")]
    separating, pooling = classes.count("separating"), classes.count("pooling")
    return {
        "outcome": signalling_label(separating, pooling, other),
        "n_equilibria": len(classes),
        "n_separating": separating,
        "n_pooling": pooling,
    }


def empty_columns(columns: Sequence[str], n: int) -> dict[str, np.ndarray]:
    """Arrays to fill: ``outcome`` and ``path`` of str, ``n_*`` of int, the rest of float."""
    table: dict[str, np.ndarray] = {}
    for name in columns:
        if name in ("outcome", "path"):
            table[name] = np.empty(n, dtype=object)
        elif name.startswith("n_"):
            table[name] = np.zeros(n, dtype=np.int64)
        else:
            table[name] = np.full(n, np.nan)
    return table


def fill(table: dict[str, np.ndarray], index: int, row: Row) -> None:
    """Write one row into the arrays at ``index``."""
    for name, value in row.items():
        table[name][index] = value


def at_point(compute: Callable[[dict[str, Fraction]], Row], point: dict[str, Fraction]) -> Row:
    """``compute(point)``, with the grid point named in any error it raises.

    Examples
    --------
    >>> def fails(point):
    ...     raise CredibilityError("'p**n' is not rational at these parameter values")
    >>> at_point(fails, {"n": Fraction(3, 2)})
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: at the grid point n=3/2: 'p**n' is not rational ...
    """
    try:
        return compute(point)
    except CredibilityError as error:
        where = ", ".join(f"{name}={value}" for name, value in point.items())
        raise type(error)(
            f"at the grid point {where}: {error.message}", file=error.file, field=error.field
        ) from None

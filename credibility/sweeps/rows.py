"""One sweep row from the exact solver: the reference every vectorised evaluator must match.

Each kind of game has a row definition (its columns after the swept
parameters) and an exact per-point function. The vectorised evaluators give
the same values wherever they classify a point themselves, and call these
functions at the points they cannot classify safely in floating point.

Trees
    ``outcome``: the distinct subgame-perfect equilibrium paths in the
    tree's order, ``" | "`` between them
    (:func:`~credibility.solvers.outcomes.tree_outcome`, as ``solve``'s
    ``outcome`` and ``credibility threshold`` label them); ``n_equilibria``:
    the number of pure subgame-perfect equilibria; ``path``: the first
    equilibrium's path (the equilibria in the tree's order), moves joined by
    ``" > "``; ``payoff_PLAYER``: each player's expected payoff in the first
    equilibrium.
Signalling games
    ``outcome``: the classes of perfect Bayesian equilibrium present
    (:func:`~credibility.solvers.pbe_classes.outcome_label`:
    ``"separating + pooling"``), as ``credibility threshold`` labels its
    regions and ``solve``'s ``classes`` lists them; ``n_equilibria``: the
    number of pure equilibria (those that differ only off the path count once,
    as ``solve`` lists them); ``n_separating``, ``n_pooling``: how many of
    each class; ``semi_separating``: 1 if some equilibrium in
    which a type mixes exists, else 0. Equilibria whose receiver mixes count
    for their sender's class in ``outcome``. Mixed equilibria need a game
    small enough for their symbolic conditions
    (:data:`~credibility.symbolic.signalling_existence.MAX_SYMBOLIC_PROFILES`
    support profiles); other games have no ``semi_separating`` column and
    their outcome classifies the pure equilibria only (``"no pure
    equilibrium"`` if there is none).
Bimatrix games
    :mod:`credibility.sweeps.bimatrix` defines their row (``bimatrix_row``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import CredibilityError
from ..kinds import adapter_for
from ..models import GameTree, SignallingGame
from ..solvers.outcomes import tree_outcome
from ..solvers.pbe_classes import SignallingClass, outcome_label

__all__ = [
    "MIXED_COLUMNS",
    "at_point",
    "columns_for",
    "empty_columns",
    "fill",
    "signalling_row",
    "sweeps_mixed_classes",
    "tree_row",
]

Row = dict[str, Any]


def columns_for(game: GameTree | SignallingGame) -> tuple[str, ...]:
    """The columns a sweep of a game writes after the swept parameters (its kind's adapter).

    Examples
    --------
    >>> import credibility as cr
    >>> columns_for(cr.load("sinking_costs"))
    ('outcome', 'n_equilibria', 'n_separating', 'n_pooling', 'semi_separating')
    """
    return adapter_for(game).output_columns(game)


#: The columns that flag the mixed classes of a signalling game (1 if one exists).
MIXED_COLUMNS = tuple(c.column for c in SignallingClass if not c.pure)


def sweeps_mixed_classes(game: SignallingGame) -> bool:
    """True if a sweep of ``game`` reports its mixed classes (few enough support profiles)."""
    from ..symbolic.signalling_existence import covers_mixed  # lazy: start-up time (sympy)

    return covers_mixed(game)


def tree_row(game: GameTree, params: Mapping[str, Fraction]) -> Row:
    """The row of a tree at one point, by exact backward induction.

    The equilibria are those ``solve_tree(game, params)`` lists, found by the
    same exact induction without the strategic form and its non-credible
    threats, which a sweep does not report (tests compare the two).
    """
    # lazy: start-up time (the tree solvers; a bimatrix sweep imports this module too)
    from ..solvers.subgame_perfect import backward_induction

    equilibria = backward_induction(game, params).equilibria
    first = equilibria[0]
    row: Row = {
        "outcome": tree_outcome(game, equilibria),
        "n_equilibria": len(equilibria),
        "path": first.outcome,
    }
    for player, payoff in zip(game.players, first.payoffs):
        row[f"payoff_{player}"] = float(payoff)
    return row


def signalling_row(game: SignallingGame, params: Mapping[str, Fraction]) -> Row:
    """The row of a signalling game at one point, from the exact solver.

    The pure equilibria are those ``solve_signalling(game, params)`` lists and
    the classes its ``classes``, enumerated by the same exact routine without
    describing each equilibrium (beliefs, refinements), which a sweep does not
    report.
    """
    # lazy: start-up time (the signalling solvers; a bimatrix sweep imports this module too)
    from ..solvers.pbe import classify
    from ..solvers.pbe_bound import BoundSignallingGame  # lazy: start-up time (as above)
    from ..solvers.pbe_supports import enumerate_pbe_vertices  # lazy: start-up time (as above)

    form = BoundSignallingGame.from_game(game, game.bind(params))
    mixed = sweeps_mixed_classes(game)
    enumerated = enumerate_pbe_vertices(form, mixed=mixed)
    outcomes = {
        (sigma, tuple(row for m, row in enumerate(rho) if form.posterior(sigma, m) is not None))
        for sigma, rho in enumerated.profiles
        if all(x in (0, 1) for row in sigma + rho for x in row)
    }
    pure = [classify(form, sigma) for sigma, _ in outcomes]
    separating = pure.count(SignallingClass.SEPARATING)
    pooling = pure.count(SignallingClass.POOLING)
    row: Row = {
        "outcome": outcome_label(enumerated.classes if mixed else pure, mixed),
        "n_equilibria": len(pure),
        "n_separating": separating,
        "n_pooling": pooling,
    }
    if mixed:
        row.update({c.column: int(c in enumerated.classes) for c in SignallingClass if not c.pure})
    return row


def empty_columns(columns: Sequence[str], n: int) -> dict[str, np.ndarray]:
    """Arrays to fill: ``outcome`` and ``path`` of str, ``n_*`` and flags of int, the rest float."""
    table: dict[str, np.ndarray] = {}
    for name in columns:
        if name in ("outcome", "path"):
            table[name] = np.empty(n, dtype=object)
        elif name.startswith("n_") or name in MIXED_COLUMNS:
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

"""``qre``: validate the request and dispatch on the kind of game."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..errors import CredibilityError
from ..parameters import ParamValues
from .result import QREResult

__all__ = ["DEFAULT_LAMBDAS", "qre"]

#: The precisions reported when none are given.
DEFAULT_LAMBDAS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


def qre(
    game: Any, lambdas: Iterable[float] | None = None, params: ParamValues | None = None
) -> QREResult:
    """Logit quantal response equilibria of a bimatrix game or a game tree.

    Bimatrix games: the principal branch of the logit QRE correspondence,
    traced from the uniform profile at ``lambda = 0`` by predictor-corrector
    path following (Turocy 2005), the equilibrium at each requested
    ``lambda`` (where the branch first reaches it, refined by Newton's method)
    and the exact Nash equilibrium the branch selects as ``lambda`` grows.
    Game trees: the agent QRE (McKelvey & Palfrey 1998), unique and in closed
    form by backward recursion.

    Parameters
    ----------
    game : Bimatrix or GameTree
    lambdas : iterable of float, optional
        Precisions ``lambda >= 0`` (default :data:`DEFAULT_LAMBDAS`).
    params : mapping of str to number or fraction string, optional
        Parameter values overriding the defaults.

    Returns
    -------
    QREResult

    Raises
    ------
    CredibilityError
        For a signalling game, or a ``lambda`` that is negative or not finite.

    Examples
    --------
    >>> import credibility as cr
    >>> result = cr.qre(cr.load("chicken"), [0, 1])
    >>> [round(x, 4) for x in result.points[1].strategies["Row"].values()]
    [0.6639, 0.3361]
    >>> [str(x) for x in result.limit.row]
    ['4/5', '1/5']
    """
    values = list(DEFAULT_LAMBDAS if lambdas is None else lambdas)
    for lam in values:
        if (
            not isinstance(lam, (int, float))
            or isinstance(lam, bool)
            or not math.isfinite(lam)
            or lam < 0
        ):
            raise CredibilityError(f"lambda must be a finite number >= 0, got {lam!r}")
    if not values:
        raise CredibilityError("give at least one lambda")
    if game.kind == "bimatrix":
        from .bimatrix import qre_bimatrix

        return qre_bimatrix(game, [float(x) for x in values], params)
    if game.kind == "tree":
        from .tree import qre_tree

        return qre_tree(game, [float(x) for x in values], params)
    raise CredibilityError(
        f"quantal response equilibria are not yet supported for {game.kind} games"
    )

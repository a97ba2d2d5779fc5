"""``qre``: validate the request and hand it to the kind of game (``KindAdapter.qre``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ..errors import CredibilityError
from ..kinds import adapter_for
from ..parameters import ParamValues
from .result import QREResult

if TYPE_CHECKING:
    from ..models import Game
    from .fit import QREFit

#: Observed counts: outcome label -> count, or (bimatrix games) player -> strategy -> count.
Counts: TypeAlias = Mapping[str, int] | Mapping[str, Mapping[str, int]]

__all__ = ["DEFAULT_LAMBDAS", "fit_qre", "qre", "read_counts"]

#: The precisions reported when none are given.
DEFAULT_LAMBDAS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


def qre(
    game: Game, lambdas: Iterable[float] | None = None, params: ParamValues | None = None
) -> QREResult:
    """Logit quantal response equilibria of a game of any kind.

    Bimatrix games and strategic forms of any number of players: the principal
    branch of the logit QRE correspondence, traced from the uniform profile at
    ``lambda = 0`` by predictor-corrector path following (Turocy 2005), the
    equilibrium at each requested ``lambda`` (where the branch first reaches it,
    refined by Newton's method) and the exact Nash equilibrium the branch selects
    as ``lambda`` grows.
    Game trees (any number of players): the agent QRE (McKelvey & Palfrey 1998),
    unique and in closed form by backward recursion. Signalling games: the agent
    QRE, one logit choice per type and per message with beliefs by Bayes' rule,
    on the principal branch, and the perfect Bayesian equilibrium it approaches
    (:mod:`credibility.quantal.signalling`). Symmetric games: the symmetric QRE, every
    member alike, and the symmetric equilibrium it approaches
    (:mod:`credibility.quantal.symmetric`). Where the branch passes a bifurcation
    point, :attr:`QREResult.bifurcations` says so.

    Parameters
    ----------
    game : Bimatrix, NormalForm, GameTree, SignallingGame or SymmetricGame
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
        For a ``lambda`` that is negative or not finite, or payoffs beyond
        ``1e300`` in magnitude.

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
    return adapter_for(game).qre(game, [float(x) for x in values], params)


def fit_qre(
    game: Game,
    counts: Counts,
    *,
    free: Iterable[str] = (),
    params: ParamValues | None = None,
) -> QREFit:
    """Estimate ``lambda`` (and ``free`` parameters) by maximum likelihood from outcome counts.

    Parameters
    ----------
    game : Bimatrix, NormalForm, GameTree, SignallingGame or SymmetricGame
    counts : mapping
        Outcome label -> count: a terminal node's path, a profile ``ROW/COLUMN`` (or
        ``A/B/C``), a signalling game's ``"type > message > response"`` or, the type
        unobserved, ``"message > response"``, a symmetric game's action; or, for
        strategic forms, player -> strategy -> count. See :func:`read_counts`.
    free : iterable of str
        Parameters estimated with ``lambda``, starting from their values (``params``
        or the defaults).
    params : mapping, optional
        Values of the other parameters.

    Returns
    -------
    credibility.quantal.fit.QREFit
        Estimates, standard errors from the observed information, the
        log-likelihood, convergence diagnostics and a profile over ``lambda``.

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.quantal import fit_qre
    >>> game = cr.load("unilateral_deterrence")
    >>> counts = {"Status quo": 1400, "Challenge > Hard > Resist": 280,
    ...           "Challenge > Soft > Concede": 270, "Challenge > Hard > Concede": 25,
    ...           "Challenge > Soft > Resist": 25}
    >>> fit = fit_qre(game, counts)
    >>> round(fit.estimates["lambda"], 3), round(fit.standard_errors["lambda"], 3)
    (1.403, 0.065)
    >>> fit.converged
    True
    """
    from .fit import fit_qre as fit  # lazy: start-up time

    return fit(game, counts, free=tuple(free), params=params)


def read_counts(path: str | Path, game: Game) -> dict[str, int] | dict[str, dict[str, int]]:
    """Observed counts from a CSV file (see :func:`credibility.quantal.fit.read_counts`)."""
    from .fit import read_counts as read  # lazy: start-up time

    return read(path, game)

"""The public entry points: load a game, solve it, derive its thresholds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import CredibilityError
from .io.loader import load_path
from .models import Bimatrix, GameTree, SignallingGame
from .parameters import ParamValues

__all__ = ["load", "solve", "thresholds"]

Game = Bimatrix | GameTree | SignallingGame


def load(name_or_path: str | Path) -> Game:
    """Load a game from a file (``.toml``, or Gambit ``.nfg`` or ``.efg``) or the catalog.

    Parameters
    ----------
    name_or_path : str or Path
        A path to a game file, or the name of a catalog model
        (``credibility models`` lists them).

    Returns
    -------
    Bimatrix, GameTree or SignallingGame

    Raises
    ------
    GameFileError
        If the file is malformed.
    UnknownGameError
        If the name is neither a file nor a catalog model.

    Examples
    --------
    >>> import credibility as cr
    >>> cr.load("chicken").kind
    'bimatrix'
    """
    path = Path(name_or_path)
    if path.suffix in (".toml", ".nfg", ".efg") or path.exists():
        return load_path(path)
    from .catalog import load_catalog_model

    return load_catalog_model(str(name_or_path))


def solve(
    game: Game,
    params: ParamValues | None = None,
    *,
    exact: bool = True,
    method: str | None = None,
    mixed: bool | None = None,
) -> Any:
    """Solve a game for all its equilibria of the kind's solution concept.

    Bimatrix games: every Nash equilibrium (every extreme equilibrium of a
    degenerate game). Trees: every pure subgame-perfect equilibrium and the
    threats that are not credible. Signalling games: perfect Bayesian
    equilibria.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    params : mapping of str to number or fraction string, optional
        Parameter values overriding the defaults.
    exact : bool
        Exact rational arithmetic (default) or floats.
    method : str, optional
        Bimatrix games only: ``"enumeration"`` (default), ``"support"``,
        ``"vertex"`` or ``"lemke-howson"`` (the last three through nashpy).
    mixed : bool, optional
        Signalling games only: enumerate mixed equilibria too (default: when
        the game is small enough), or pure ones only (False).

    Returns
    -------
    A frozen solution object whose ``to_dict()`` is the JSON contract's object.

    Examples
    --------
    >>> import credibility as cr
    >>> solution = cr.solve(cr.load("chicken"))
    >>> len(solution.equilibria)
    3
    """
    if method is not None and not isinstance(game, Bimatrix):
        raise CredibilityError(
            f"--method applies to bimatrix games only, not to a {game.kind} game"
        )
    if mixed is not None and not isinstance(game, SignallingGame):
        raise CredibilityError(
            f"--pure-only applies to signalling games only, not to a {game.kind} game"
        )
    if isinstance(game, Bimatrix):
        from .solvers.nash import solve_bimatrix

        return solve_bimatrix(game, params, exact=exact, method=method)
    if isinstance(game, GameTree):
        from .solvers.backward import solve_tree

        return solve_tree(game, params, exact=exact)
    from .solvers.pbe import solve_signalling

    return solve_signalling(game, params, exact=exact, mixed=mixed)


def thresholds(
    game: Game,
    parameter: str,
    params: ParamValues | None = None,
    *,
    budget: Any = None,
) -> Any:
    """The values of ``parameter`` at which the equilibrium set changes.

    Parameters not given in ``params`` stay symbolic.

    Parameters
    ----------
    game : Bimatrix, GameTree or SignallingGame
    parameter : str
        The parameter to solve the boundaries for.
    params : mapping of str to number or fraction string, optional
        Parameters to bind to numbers.
    budget : float or Budget, optional
        Seconds the derivation may take. The default is no limit (the command line's
        ``--budget`` defaults to 60). A
        :class:`~credibility.symbolic.budget.Budget` also takes a progress callback.

    Returns
    -------
    ThresholdResult
        Thresholds (sympy expressions with LaTeX) and the regions between them.

    Raises
    ------
    GameTooLargeError
        At once, for a game whose payoffs use more than 64 free parameters
        (:data:`~credibility.symbolic.budget.MAX_FREE_PARAMETERS`).
    DerivationStopped
        When the budget runs out or the parameter space splits into more than 512 regions
        (:class:`~credibility.symbolic.thresholds.DerivationStopped`); its ``result`` is
        what was finished, and ``result.partial`` says what to bind.
    """
    from .symbolic.thresholds import derive_thresholds

    return derive_thresholds(game, parameter, params, budget=budget)

"""The public entry points: load a game, solve it, derive its thresholds."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, overload

from .catalog import load_catalog_model
from .io.loader import load_path
from .kinds import adapter_for
from .models import Bimatrix, Game, GameTree, NormalForm, SignallingGame
from .parameters import ParamValues

if TYPE_CHECKING:  # the solvers import numpy (and sympy): imported when first solving
    from .quantal.result import QREResult
    from .solvers.nash import BimatrixSolution
    from .solvers.normal_nash import NormalSolution
    from .solvers.pbe import SignallingSolution
    from .solvers.subgame_perfect import TreeSolution
    from .symbolic.budget import Budget
    from .symbolic.threshold_result import ThresholdResult

__all__ = ["load", "qre", "solve", "thresholds"]


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
    return load_catalog_model(str(name_or_path))


@overload
def solve(
    game: Bimatrix,
    params: ParamValues | None = ...,
    *,
    exact: bool = ...,
    method: str | None = ...,
    mixed: bool | None = ...,
    limit: int | None = ...,
) -> BimatrixSolution: ...


@overload
def solve(
    game: GameTree,
    params: ParamValues | None = ...,
    *,
    exact: bool = ...,
    method: str | None = ...,
    mixed: bool | None = ...,
) -> TreeSolution: ...


@overload
def solve(
    game: SignallingGame,
    params: ParamValues | None = ...,
    *,
    exact: bool = ...,
    method: str | None = ...,
    mixed: bool | None = ...,
) -> SignallingSolution: ...


@overload
def solve(
    game: NormalForm,
    params: ParamValues | None = ...,
    *,
    exact: bool = ...,
    method: str | None = ...,
    mixed: bool | None = ...,
) -> NormalSolution: ...


def solve(
    game: Game,
    params: ParamValues | None = None,
    *,
    exact: bool = True,
    method: str | None = None,
    mixed: bool | None = None,
    limit: int | None = None,
) -> BimatrixSolution | TreeSolution | SignallingSolution | NormalSolution:
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
    limit : int, optional
        Bimatrix games, enumeration only: list at most this many extreme
        equilibria (the solution's ``total`` says how many there are). Without
        it a game with more than 100,000 is refused with ``GameTooLargeError``.

    Returns
    -------
    BimatrixSolution, TreeSolution, SignallingSolution or NormalSolution
        By the kind of game: a frozen object whose ``to_dict()`` is the JSON contract's
        object; ``str()`` of it is the text ``credibility solve`` prints.

    Raises
    ------
    CredibilityError
        For ``method=`` given with a game that is not a bimatrix game, ``mixed=``
        with one that is not a signalling game, or ``limit=`` with one that is
        not a bimatrix game.

    Examples
    --------
    >>> import credibility as cr
    >>> solution = cr.solve(cr.load("chicken"))
    >>> len(solution.equilibria)
    3
    """
    adapter = adapter_for(game)
    adapter.check_solve_options(game, method, mixed, limit)
    return adapter.solve(game, params, exact=exact, method=method, mixed=mixed, limit=limit)


def thresholds(
    game: Game,
    parameter: str,
    params: ParamValues | None = None,
    *,
    budget: float | Budget | None = None,
) -> ThresholdResult:
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
        (:class:`~credibility.symbolic.threshold_result.DerivationStopped`); its ``result`` is
        what was finished, and ``result.partial`` says what to bind.
    """
    adapter_for(game).check_thresholds(game)
    from .symbolic.thresholds import derive_thresholds  # lazy: start-up time (sympy, numpy)

    return derive_thresholds(game, parameter, params, budget=budget)


def qre(
    game: Game, lambdas: Iterable[float] | None = None, params: ParamValues | None = None
) -> QREResult:
    """Logit quantal response equilibria of a game of any kind.

    See :func:`credibility.quantal.qre` (lambdas default to
    :data:`credibility.quantal.DEFAULT_LAMBDAS`).

    Examples
    --------
    >>> import credibility as cr
    >>> result = cr.qre(cr.load("unilateral_deterrence"), [0, 10])
    >>> round(result.points[1].outcomes["Status quo"], 4)
    0.9933
    """
    from .quantal import qre as quantal_qre  # lazy: start-up time

    return quantal_qre(game, lambdas, params)

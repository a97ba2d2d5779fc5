"""The protocol every kind of game implements, and the registry of kinds.

A kind adapter is the one place that knows what is specific to a kind of game:
its model class, how to solve it, how to derive its thresholds, how to sweep it,
render it, describe it and read and write its files. Consumers (``api``,
``sweeps``, ``render``, ``io``, ``symbolic``) ask :func:`adapter_for` (a game) or
:func:`adapter_named` (a ``kind = "..."`` string) and talk to the adapter only.

Nothing here imports sympy, numpy or a solver: the adapters import those inside
their methods, when first used (start-up time).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeAlias, TypeVar, cast

from ..errors import CredibilityError

if TYPE_CHECKING:
    import sympy

    from ..io.toml_loader import _Reader
    from ..io.toml_writer import _Writer
    from ..json_types import JSONObject
    from ..models import Binding, Game
    from ..parameters import ParamValues
    from ..quantal.result import QREResult
    from ..render.tree_plot import Layout
    from ..solvers.nash import BimatrixNames, BimatrixSolution, MixedEquilibrium
    from ..solvers.normal_nash import NormalSolution
    from ..solvers.pbe import SignallingSolution
    from ..solvers.pure_nash import PureEquilibrium
    from ..solvers.subgame_perfect import TreeEquilibrium, TreeNames, TreeSolution
    from ..sweeps.evaluator import Evaluator
    from ..symbolic.regions import RegionMap

    #: What ``solve`` returns, whatever the kind.
    Solution: TypeAlias = BimatrixSolution | TreeSolution | SignallingSolution | NormalSolution
    #: What a threshold region lists: equilibria, or (signalling games) class names.
    Entry: TypeAlias = MixedEquilibrium | TreeEquilibrium | PureEquilibrium | str
    #: An adapter whose game, solution and entry types are known only at run time.
    GameKind: TypeAlias = "KindAdapter[Game, Solution, Entry]"

__all__ = [
    "KindAdapter",
    "PayoffTable",
    "adapter_for",
    "adapter_named",
    "kinds",
    "method_refused",
    "mixed_refused",
    "no_solve_options",
    "picture_refused",
    "register",
    "unregister",
]

G = TypeVar("G")
S = TypeVar("S")
E = TypeVar("E")


class PayoffTable(NamedTuple):
    """A payoff table for ``credibility show``, laid out by :func:`~credibility.render.table.table`.

    Attributes
    ----------
    header : list of str
    rows : list of list of str
    title : callable
        A row's title when the table folds (its first cells).
    """

    header: list[str]
    rows: list[list[str]]
    title: Callable[[Sequence[str]], str]


class KindAdapter(Protocol[G, S, E]):
    """What a kind of game provides; ``G`` is its model, ``S`` its solution, ``E`` an entry.

    ``E`` is what a threshold region lists: an equilibrium, or for signalling games the
    name of a class of equilibrium. See :mod:`credibility.kinds` for the checklist.
    """

    @property
    def kind(self) -> str:
        """The ``kind`` of its games and game files (``"bimatrix"``)."""
        ...

    @property
    def model(self) -> type[G]:
        """The model class (``Bimatrix``)."""
        ...

    @property
    def two_player(self) -> bool:
        """True if a game file lists exactly two players (read before the parameters)."""
        ...

    @property
    def toml_keys(self) -> frozenset[str]:
        """The top-level keys of a game file of this kind, besides the common ones."""
        ...

    @property
    def regions_by_class(self) -> bool:
        """True if threshold regions list classes of equilibrium rather than equilibria."""
        ...

    @property
    def region_mixed(self) -> bool | None:
        """The ``mixed=`` a threshold derivation solves a point with (False: pure regions)."""
        ...

    # -- solving -------------------------------------------------------------------
    def check_solve_options(
        self, game: G, method: str | None, mixed: bool | None, limit: int | None = None
    ) -> None:
        """Refuse ``method=``, ``mixed=`` or ``limit=`` where the kind has no use for them."""
        ...

    def solve(
        self,
        game: G,
        params: ParamValues | None,
        *,
        exact: bool,
        method: str | None,
        mixed: bool | None,
        limit: int | None = None,
    ) -> S:
        """Every equilibrium of the kind's solution concept (at most ``limit`` listed)."""
        ...

    def solution_type(self) -> type[S]:
        """The class of ``solve``'s result (imports the solver)."""
        ...

    # -- thresholds ----------------------------------------------------------------
    def check_thresholds(self, game: G) -> None:
        """Refuse a threshold derivation the kind does not support."""
        ...

    def region_map(self, game: G, params: ParamValues) -> RegionMap:
        """The parameter space split into regions of one equilibrium set."""
        ...

    def incomplete_note(self, one_free: bool) -> str:
        """The note of a result whose region map is not complete."""
        ...

    def equilibrium_key(self, game: G, entries: Sequence[E]) -> Hashable:
        """What identifies an equilibrium set across a threshold."""
        ...

    def outcome_label(self, game: G, entries: Sequence[E], complete: bool) -> str:
        """The short label of an equilibrium set."""
        ...

    def at_point(
        self, game: G, solution: S, complete: bool
    ) -> tuple[Hashable, tuple[E, ...], str | None]:
        """A solution's key, entries and label (None: from :meth:`outcome_label`)."""
        ...

    def equilibrium_dict(self, game: G, entry: E, text: Callable[[object], str]) -> JSONObject:
        """A region's equilibrium in the ``solve`` JSON shape, values written by ``text``."""
        ...

    def equilibrium_names(self, game: G) -> BimatrixNames | TreeNames | None:
        """The names a region's equilibria carry (None: they carry none)."""
        ...

    def region_details(
        self, game: G, entries: Sequence[E], shown: Callable[[object], str]
    ) -> list[str]:
        """Text lines detailing a region's equilibria (mixed strategies, payoffs)."""
        ...

    def expressions(self, game: G) -> Iterator[sympy.Expr]:
        """Every payoff, chance probability and prior of a game."""
        ...

    # -- sweeps --------------------------------------------------------------------
    def check_sweep(self, game: G) -> None:
        """Refuse a sweep the kind does not support."""
        ...

    def evaluator(self, game: G, swept: tuple[str, ...], params: dict[str, Fraction]) -> Evaluator:
        """The fastest exact sweep evaluator."""
        ...

    def output_columns(self, game: G) -> tuple[str, ...]:
        """The columns a sweep writes after the swept parameters."""
        ...

    # -- rendering and description -----------------------------------------------------
    def renderer(self) -> ModuleType:
        """The module rendering a solution (``text``, ``latex``, ``html``), imported now."""
        ...

    def payoff_lines(self, game: G, shown: Callable[[object], str]) -> list[str | PayoffTable]:
        """The payoffs for ``credibility show``: lines and tables."""
        ...

    def payoffs_dict(self, game: G) -> dict[str, object]:
        """The payoffs for ``credibility show --json`` (expressions as strings)."""
        ...

    def outcome_meaning(self, game: G, label: str) -> str:
        """An outcome label (not ``no equilibrium``) in words, for a legend (empty: none)."""
        ...

    def legend_outcome(self, game: G, label: str) -> str:
        """An outcome label as a legend shows it after its meaning."""
        ...

    def outcome_reading(self, game: G) -> str:
        """How to read an outcome label, after a sweep picture's title (empty: plain)."""
        ...

    # -- pictures ------------------------------------------------------------------
    def layouts(self, solution: S, equilibrium: int | None) -> list[Layout]:
        """The pictures of a solution (one equilibrium, or each), or a refusal."""
        ...

    def game_layouts(self, game: G, params: ParamValues | None) -> list[Layout]:
        """The pictures ``credibility show --plot`` draws of a game, or a refusal."""
        ...

    # -- quantal response ----------------------------------------------------------
    def qre(self, game: G, lambdas: list[float], params: ParamValues | None) -> QREResult:
        """Logit quantal response equilibria at precisions ``lambdas`` (checked), or a refusal."""
        ...

    # -- files ---------------------------------------------------------------------
    def format_nfg(self, game: G, params: Binding | ParamValues | None) -> str:
        """A Gambit ``.nfg`` file's text, or a refusal."""
        ...

    def format_efg(self, game: G, params: Binding | ParamValues | None) -> str:
        """A Gambit ``.efg`` file's text, or a refusal."""
        ...

    def write_toml_header(self, writer: _Writer, game: G) -> None:
        """Write the kind's lines of a game file's header (before the parameters)."""
        ...

    def write_toml(self, writer: _Writer, game: G) -> None:
        """Write the kind's part of a game file (after the header)."""
        ...

    def read_toml(self, reader: _Reader) -> G:
        """Read the kind's part of a game file (the header is read)."""
        ...


_BY_KIND: dict[str, GameKind] = {}


def method_refused(kind: str) -> CredibilityError:
    """The error for ``solve(method=...)`` with a game of a kind that has no methods."""
    return CredibilityError(
        f"the method= argument applies to bimatrix and normal-form games only, not to a {kind} game"
    )


def no_solve_options(
    kind: str, method: str | None, mixed: bool | None, limit: int | None = None
) -> None:
    """Refuse ``method=``, ``mixed=`` and ``limit=`` for a kind that has none (its one solver).

    Examples
    --------
    >>> no_solve_options("tree", None, None)
    >>> no_solve_options("tree", "support", None)
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: the method= argument applies to bimatrix and ...
    """
    if method is not None:
        raise method_refused(kind)
    if mixed is not None:
        raise mixed_refused(kind)
    if limit is not None:
        raise limit_refused(kind)


def limit_refused(kind: str) -> CredibilityError:
    """The error for ``solve(limit=...)`` with a game of a kind other than bimatrix."""
    return CredibilityError(
        f"the limit= argument applies to bimatrix games only, not to a {kind} game"
    )


def mixed_refused(kind: str) -> CredibilityError:
    """The error for ``solve(mixed=...)`` with a game of a kind that has no such choice."""
    return CredibilityError(
        "the mixed= argument applies to signalling and normal-form games only, "
        f"not to a {kind} game"
    )


def picture_refused(kind: str) -> CredibilityError:
    """The error for a picture of a game that has no tree to draw (strategic forms)."""
    return CredibilityError(
        "only game trees and signalling games are drawn; "
        f"a {kind or 'strategic-form'} game's picture is its payoff table"
    )


def register(adapter: KindAdapter[G, S, E]) -> None:
    """Register a kind (it replaces any registered under its name).

    Examples
    --------
    >>> from credibility.kinds import adapter_named, register
    >>> register(adapter_named("tree"))
    """
    _BY_KIND[adapter.kind] = cast("GameKind", adapter)


def unregister(kind: str) -> None:
    """Forget a registered kind (for tests of toy kinds).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from credibility.kinds import register, unregister
    >>> register(SimpleNamespace(kind="toy"))  # a stand-in: only its name matters here
    >>> "toy" in kinds()
    True
    >>> unregister("toy"); "toy" in kinds()
    False
    """
    _BY_KIND.pop(kind, None)


def kinds() -> tuple[str, ...]:
    """The registered kinds' names, in the order registered.

    Examples
    --------
    >>> from credibility.kinds import kinds
    >>> kinds()
    ('bimatrix', 'tree', 'signalling', 'normal', 'symmetric')
    """
    return tuple(_BY_KIND)


def adapter_named(kind: str) -> GameKind:
    """The adapter of the kind named ``kind`` (a game file's ``kind = "..."``).

    Raises
    ------
    CredibilityError
        If no kind of that name is registered.

    Examples
    --------
    >>> from credibility.kinds import adapter_named
    >>> adapter_named("signalling").model.__name__
    'SignallingGame'
    >>> adapter_named("poker")
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: unknown kind of game 'poker' (expected one of ...)
    """
    adapter = _BY_KIND.get(kind)
    if adapter is None:
        raise CredibilityError(
            f"unknown kind of game {kind!r} (expected one of {', '.join(map(repr, _BY_KIND))})"
        )
    return adapter


def adapter_for(game: object) -> GameKind:
    """The adapter of a game's kind, found by the game's class.

    Raises
    ------
    CredibilityError
        If ``game`` is of no registered kind.

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.kinds import adapter_for
    >>> adapter_for(cr.load("chicken")).kind
    'bimatrix'
    >>> adapter_for("chicken")
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: a str is no game: expected a Bimatrix, GameTree, ...
    """
    for cls in type(game).__mro__:
        for adapter in _BY_KIND.values():
            if adapter.model is cls:
                return adapter
    models = ", ".join(adapter.model.__name__ for adapter in _BY_KIND.values())
    raise CredibilityError(f"a {type(game).__name__} is no game: expected a {models}")

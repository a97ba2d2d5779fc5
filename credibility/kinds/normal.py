"""Normal-form games: any number of players, strategic form (issue 15).

Solutions list every equilibrium of small games (support enumeration), or the pure
ones, or one by the logit method; threshold regions and sweeps are about pure
equilibria. Everything about normal-form games, and where it lives:

model
    :class:`credibility.models.normal.NormalForm`.
loaders and writers
    :mod:`credibility.io.toml_normal` (``read_normal``, ``write_normal``, called by
    :mod:`credibility.io.toml_loader` and :mod:`credibility.io.toml_writer`), Gambit ``.nfg``
    of three or more players: :mod:`credibility.io.gambit_normal`.
solvers
    :func:`credibility.solvers.normal_nash.solve_normal`, which calls
    :mod:`credibility.solvers.pure_nash` (pure equilibria),
    :mod:`credibility.solvers.polynomial_nash` (every equilibrium, exactly) and
    :mod:`credibility.quantal.branch` with :mod:`credibility.solvers.deviation_gain`
    (one equilibrium by the logit method, with its exact deviation gain).
symbolic regions
    :func:`credibility.symbolic.normal_regions.normal_regions` (games up to
    :data:`~credibility.symbolic.normal_regions.MAX_SYMBOLIC_PROFILES` profiles).
sweep evaluator
    :class:`credibility.sweeps.normal.NormalEvaluator` (its exact row:
    :func:`credibility.sweeps.normal.normal_row`).
renderers
    :mod:`credibility.render.normal` (solutions, and ``credibility show``'s
    ``payoff_lines`` and ``payoffs_dict``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import CredibilityError
from ..io.toml_normal import read_normal, write_normal
from ..models import NormalForm
from .base import PayoffTable, limit_refused, picture_refused

if TYPE_CHECKING:
    import sympy

    from ..io.toml_loader import _Reader
    from ..io.toml_writer import _Writer
    from ..json_types import JSONObject
    from ..models import Binding
    from ..parameters import ParamValues
    from ..quantal.result import QREResult
    from ..render.tree_plot import Layout
    from ..solvers.normal_nash import NormalSolution
    from ..solvers.pure_nash import PureEquilibrium
    from ..sweeps.evaluator import Evaluator
    from ..symbolic.regions import RegionMap

__all__ = ["NORMAL", "NormalKind"]


class NormalKind:
    """The adapter of normal-form games (see the module for where everything lives).

    Examples
    --------
    >>> import credibility as cr
    >>> NORMAL.output_columns(cr.load("volunteers_dilemma"))
    ('outcome', 'n_equilibria', 'profile', 'payoff_Ally 1', 'payoff_Ally 2', 'payoff_Ally 3')
    """

    kind = "normal"
    model = NormalForm
    two_player = False
    toml_keys = frozenset({"strategies", "payoffs", "outcomes"})
    regions_by_class = False
    region_mixed = False  # threshold regions are about pure equilibria

    # -- solving -------------------------------------------------------------------
    def check_solve_options(
        self, game: NormalForm, method: str | None, mixed: bool | None, limit: int | None = None
    ) -> None:
        from ..solvers.normal_nash import check_options  # lazy: start-up time

        check_options(method, mixed)
        if limit is not None:
            raise limit_refused(game.kind)

    def solve(
        self,
        game: NormalForm,
        params: ParamValues | None,
        *,
        exact: bool,
        method: str | None,
        mixed: bool | None,
        limit: int | None = None,
    ) -> NormalSolution:
        from ..solvers.normal_nash import solve_normal  # lazy: start-up time

        return solve_normal(game, params, exact=exact, mixed=mixed, method=method)

    def solution_type(self) -> type[NormalSolution]:
        from ..solvers.normal_nash import NormalSolution  # lazy: start-up time

        return NormalSolution

    # -- thresholds ----------------------------------------------------------------
    def check_thresholds(self, game: NormalForm) -> None:
        """Refuse, before any work, a game too large for symbolic equilibria."""
        from ..symbolic.normal_regions import check_symbolic_size  # lazy: start-up time

        check_symbolic_size(game)

    def region_map(self, game: NormalForm, params: ParamValues) -> RegionMap:
        from ..symbolic.normal_regions import normal_regions  # lazy: start-up time

        return normal_regions(game, params)

    def incomplete_note(self, one_free: bool) -> str:
        return ""  # the regions of pure equilibria are always complete

    def equilibrium_key(self, game: NormalForm, entries: Sequence[PureEquilibrium]) -> Hashable:
        # The profiles: payoffs change inside a region, the equilibrium set does not.
        return tuple(e.profile for e in entries)

    def outcome_label(
        self, game: NormalForm, entries: Sequence[PureEquilibrium], complete: bool
    ) -> str:
        from ..solvers.normal_nash import normal_label  # lazy: start-up time

        return normal_label(entries)

    def at_point(
        self, game: NormalForm, solution: NormalSolution, complete: bool
    ) -> tuple[Hashable, tuple[PureEquilibrium, ...], str | None]:
        """The pure equilibria at a point: threshold regions are about pure equilibria."""
        from ..solvers.normal_nash import normal_label  # lazy: start-up time
        from ..solvers.pure_nash import PureEquilibrium  # lazy: start-up time

        pure = tuple(e for e in solution.equilibria if isinstance(e, PureEquilibrium))
        return self.equilibrium_key(game, pure), pure, normal_label(pure)

    def equilibrium_dict(
        self, game: NormalForm, entry: PureEquilibrium, text: Callable[[object], str]
    ) -> JSONObject:
        return {
            "profile": dict(zip(game.players, entry.strategies)),
            "payoffs": {p: text(v) for p, v in zip(game.players, entry.payoffs)},
            "pure": True,
        }

    def equilibrium_names(self, game: NormalForm) -> None:
        return None

    def region_details(
        self, game: NormalForm, entries: Sequence[PureEquilibrium], shown: Callable[[object], str]
    ) -> list[str]:
        return [
            f"payoffs of {'/'.join(e.strategies)}: "
            + ", ".join(f"{p} {shown(v)}" for p, v in zip(game.players, e.payoffs))
            for e in entries
        ]

    def expressions(self, game: NormalForm) -> Iterator[sympy.Expr]:
        import sympy  # lazy: start-up time

        for entries in game.payoffs:
            yield from (sympy.sympify(v) for v in entries)

    # -- sweeps --------------------------------------------------------------------
    def check_sweep(self, game: NormalForm) -> None:
        return None

    def evaluator(
        self, game: NormalForm, swept: tuple[str, ...], params: dict[str, Fraction]
    ) -> Evaluator:
        from ..sweeps.normal import NormalEvaluator  # lazy: start-up time

        return NormalEvaluator(game, swept, params)

    def output_columns(self, game: NormalForm) -> tuple[str, ...]:
        return ("outcome", "n_equilibria", "profile", *(f"payoff_{p}" for p in game.players))

    # -- rendering and description -----------------------------------------------------
    def renderer(self) -> ModuleType:
        from ..render import normal  # lazy: start-up time

        return normal

    def payoff_lines(
        self, game: NormalForm, shown: Callable[[object], str]
    ) -> list[str | PayoffTable]:
        """Any number of players: strategies per player, then one line per profile."""
        from ..render.normal import payoff_lines  # lazy: start-up time

        return [*payoff_lines(game, shown)]

    def payoffs_dict(self, game: NormalForm) -> dict[str, object]:
        from ..render.normal import payoffs_dict  # lazy: start-up time

        return dict(payoffs_dict(game))

    def outcome_meaning(self, game: NormalForm, label: str) -> str:
        return ""  # the label (profiles of strategies) says it all

    def legend_outcome(self, game: NormalForm, label: str) -> str:
        return label

    def outcome_reading(self, game: NormalForm) -> str:
        return ""

    # -- pictures ------------------------------------------------------------------
    def layouts(self, solution: NormalSolution, equilibrium: int | None) -> list[Layout]:
        raise picture_refused(self.kind)

    def game_layouts(self, game: NormalForm, params: ParamValues | None) -> list[Layout]:
        return self.layouts(self.solve(game, params, exact=True, method=None, mixed=None), None)

    # -- quantal response ----------------------------------------------------------
    def qre(self, game: NormalForm, lambdas: list[float], params: ParamValues | None) -> QREResult:
        from ..quantal.normal import qre_normal  # lazy: start-up time

        return qre_normal(game, lambdas, params)

    # -- files ---------------------------------------------------------------------
    def format_nfg(self, game: NormalForm, params: Binding | ParamValues | None) -> str:
        from ..io.gambit_normal import format_normal_nfg  # lazy: start-up time

        return format_normal_nfg(game, params)

    def format_efg(self, game: NormalForm, params: Binding | ParamValues | None) -> str:
        raise CredibilityError(
            "a normal-form game cannot be written as .efg yet: write .nfg or .toml"
        )

    def write_toml_header(self, writer: _Writer, game: NormalForm) -> None:
        return None

    def write_toml(self, writer: _Writer, game: NormalForm) -> None:
        write_normal(writer, game)

    def read_toml(self, reader: _Reader) -> NormalForm:
        return read_normal(reader)


#: The one adapter of normal-form games.
NORMAL = NormalKind()

"""Symmetric games: n members, two actions, payoffs by counts (issue 15, item 2).

Symmetric equilibria only (all-first, all-second and every symmetric mixed equilibrium, found
exactly); asymmetric equilibria are not listed (the ``normal`` kind enumerates pure ones for a
fixed n). Everything about symmetric games, and where it lives:

model
    :class:`credibility.models.symmetric.SymmetricGame`.
loaders and writers
    :mod:`credibility.io.toml_symmetric` (``read_symmetric``, ``write_symmetric``).
solver
    :func:`credibility.solvers.symmetric.solve_symmetric` (exact roots of the gain
    polynomial; the closed form in n where found:
    :func:`~credibility.solvers.symmetric.closed_form`).
symbolic regions
    :func:`credibility.symbolic.symmetric_regions.symmetric_regions`: thresholds in the
    number of players, over the integers of its bounds (at most
    :data:`~credibility.symbolic.symmetric_regions.MAX_MEMBERS`), the other parameters
    bound; or in one other parameter with n and the rest bound (exact candidate points:
    where a pure profile's condition or the gain's discriminant changes sign).
sweep evaluator
    :class:`credibility.sweeps.symmetric.SymmetricEvaluator` (vectorised: the roots of the
    gain counted by the rule of signs and Bernstein subdivision, found by safeguarded
    Newton; points floats cannot decide, such as ties and multiple roots, exact per point,
    cached).
renderers
    :mod:`credibility.render.symmetric` (solutions, ``payoff_lines`` and ``payoffs_dict``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import CredibilityError
from ..io.toml_symmetric import read_symmetric, write_symmetric, write_symmetric_header
from ..models.symmetric import SymmetricGame
from .base import PayoffTable, no_solve_options, picture_refused

if TYPE_CHECKING:
    import sympy

    from ..io.toml_loader import _Reader
    from ..io.toml_writer import _Writer
    from ..json_types import JSONObject
    from ..models import Binding
    from ..parameters import ParamValues
    from ..quantal.result import QREResult
    from ..render.tree_plot import Layout
    from ..solvers.symmetric import SymmetricEquilibrium, SymmetricSolution
    from ..sweeps.evaluator import Evaluator
    from ..symbolic.regions import RegionMap

__all__ = ["SYMMETRIC", "SymmetricKind"]


class SymmetricKind:
    """The adapter of symmetric games (see the module for where everything lives).

    Examples
    --------
    >>> import credibility as cr
    >>> SYMMETRIC.output_columns(cr.load("collective_defence_n"))
    ('outcome', 'n_equilibria', 'p_mixed', 'p_answer')
    """

    kind = "symmetric"
    model = SymmetricGame
    two_player = False
    toml_keys = frozenset({"actions", "payoffs", "answer_at_least"})
    regions_by_class = False
    region_mixed = None

    # -- solving -------------------------------------------------------------------
    def check_solve_options(
        self, game: SymmetricGame, method: str | None, mixed: bool | None, limit: int | None = None
    ) -> None:
        no_solve_options(game.kind, method, mixed, limit)

    def solve(
        self,
        game: SymmetricGame,
        params: ParamValues | None,
        *,
        exact: bool,
        method: str | None,
        mixed: bool | None,
        limit: int | None = None,
    ) -> SymmetricSolution:
        from ..solvers.symmetric import solve_symmetric  # lazy: start-up time

        return solve_symmetric(game, params, exact=exact)

    def solution_type(self) -> type[SymmetricSolution]:
        from ..solvers.symmetric import SymmetricSolution  # lazy: start-up time

        return SymmetricSolution

    # -- thresholds ----------------------------------------------------------------
    def check_thresholds(self, game: SymmetricGame) -> None:
        # in n over the integers, or in one other real parameter with n and the rest bound
        # (a fixed n included): symmetric_regions refuses what it cannot derive
        return None

    def region_map(self, game: SymmetricGame, params: ParamValues) -> RegionMap:
        from ..symbolic.symmetric_regions import symmetric_regions  # lazy: start-up time

        return symmetric_regions(game, params)

    def incomplete_note(self, one_free: bool) -> str:
        return ""

    def equilibrium_key(
        self, game: SymmetricGame, entries: Sequence[SymmetricEquilibrium]
    ) -> Hashable:
        return tuple(e.label for e in entries)

    def outcome_label(
        self, game: SymmetricGame, entries: Sequence[SymmetricEquilibrium], complete: bool
    ) -> str:
        from ..solvers.symmetric import symmetric_outcome  # lazy: start-up time

        return symmetric_outcome(tuple(entries))

    def at_point(
        self, game: SymmetricGame, solution: SymmetricSolution, complete: bool
    ) -> tuple[Hashable, tuple[SymmetricEquilibrium, ...], str | None]:
        equilibria = tuple(solution.equilibria)
        return self.equilibrium_key(game, equilibria), equilibria, solution.outcome

    def equilibrium_dict(
        self, game: SymmetricGame, entry: SymmetricEquilibrium, text: Callable[[object], str]
    ) -> JSONObject:
        from ..solvers.symmetric import equilibrium_dict  # lazy: start-up time

        return equilibrium_dict(entry, text)

    def equilibrium_names(self, game: SymmetricGame) -> None:
        return None

    def region_details(
        self,
        game: SymmetricGame,
        entries: Sequence[SymmetricEquilibrium],
        shown: Callable[[object], str],
    ) -> list[str]:
        from ..solvers.symmetric import decimal  # lazy: start-up time

        return [
            f"at {e.sample + ', ' if e.sample else ''}n = {e.n}: {e.label}, p = {decimal(e.p)}, "
            f"the alliance answers with probability {decimal(e.answer)}"
            for e in entries
        ]

    def expressions(self, game: SymmetricGame) -> Iterator[sympy.Expr]:
        for payoff in game.payoffs:
            yield payoff.base
            for step in payoff.steps:
                yield step.at_least
                yield step.add

    # -- sweeps --------------------------------------------------------------------
    def check_sweep(self, game: SymmetricGame) -> None:
        return None

    def evaluator(
        self, game: SymmetricGame, swept: tuple[str, ...], params: dict[str, Fraction]
    ) -> Evaluator:
        from ..sweeps.symmetric import SymmetricEvaluator  # lazy: start-up time

        return SymmetricEvaluator(game, swept, params)

    def output_columns(self, game: SymmetricGame) -> tuple[str, ...]:
        return ("outcome", "n_equilibria", "p_mixed", "p_answer")

    # -- rendering and description -----------------------------------------------------
    def renderer(self) -> ModuleType:
        from ..render import symmetric  # lazy: start-up time

        return symmetric

    def payoff_lines(
        self, game: SymmetricGame, shown: Callable[[object], str]
    ) -> list[str | PayoffTable]:
        from ..render.symmetric import payoff_lines  # lazy: start-up time

        return [*payoff_lines(game, shown)]

    def payoffs_dict(self, game: SymmetricGame) -> dict[str, object]:
        from ..render.symmetric import payoffs_dict  # lazy: start-up time

        return dict(payoffs_dict(game))

    def outcome_meaning(self, game: SymmetricGame, label: str) -> str:
        if label == "mixed":
            return "every member randomises"
        return ""

    def legend_outcome(self, game: SymmetricGame, label: str) -> str:
        return label

    def outcome_reading(self, game: SymmetricGame) -> str:
        return ""

    # -- pictures ------------------------------------------------------------------
    def layouts(self, solution: SymmetricSolution, equilibrium: int | None) -> list[Layout]:
        raise picture_refused(self.kind)

    def game_layouts(self, game: SymmetricGame, params: ParamValues | None) -> list[Layout]:
        raise picture_refused(self.kind)

    # -- quantal response ----------------------------------------------------------
    def qre(
        self, game: SymmetricGame, lambdas: list[float], params: ParamValues | None
    ) -> QREResult:
        from ..quantal.symmetric import qre_symmetric  # lazy: start-up time (numpy)

        return qre_symmetric(game, lambdas, params)

    # -- files ---------------------------------------------------------------------
    def format_nfg(self, game: SymmetricGame, params: Binding | ParamValues | None) -> str:
        raise CredibilityError(
            "a symmetric game cannot be written as .nfg yet: write .toml "
            "(credibility.solvers.symmetric.to_normal_form gives its strategic form at a fixed n)"
        )

    def format_efg(self, game: SymmetricGame, params: Binding | ParamValues | None) -> str:
        raise CredibilityError("a symmetric game cannot be written as .efg: write .toml")

    def write_toml_header(self, writer: _Writer, game: SymmetricGame) -> None:
        write_symmetric_header(writer, game)

    def write_toml(self, writer: _Writer, game: SymmetricGame) -> None:
        write_symmetric(writer, game)

    def read_toml(self, reader: _Reader) -> SymmetricGame:
        return read_symmetric(reader)


#: The one adapter of symmetric games.
SYMMETRIC = SymmetricKind()

"""Bimatrix games: two players, each with a finite list of strategies, moving at once.

Everything about bimatrix games, and where it lives:

model
    :class:`credibility.models.bimatrix.Bimatrix` (payoff matrices ``A``, ``B``).
loaders and writers
    :mod:`credibility.io.toml_loader` (``_Reader.bimatrix``), :mod:`credibility.io.toml_writer`
    (``_Writer.bimatrix``), Gambit ``.nfg``: :mod:`credibility.io.gambit`, ``.efg``:
    :mod:`credibility.io.gambit_efg`.
solver
    :func:`credibility.solvers.nash.solve_bimatrix` (every Nash equilibrium; methods in
    :mod:`credibility.solvers.enumeration`, :mod:`credibility.solvers.polytope`, nashpy),
    labels in :mod:`credibility.solvers.outcomes`.
symbolic regions
    :func:`credibility.symbolic.bimatrix_regions.symbolic_bimatrix_regions`.
sweep evaluator
    :class:`credibility.sweeps.bimatrix.BimatrixEvaluator` (its row: ``bimatrix_row``).
renderers
    :mod:`credibility.render.bimatrix` (solutions), ``credibility show``:
    :func:`BimatrixKind.payoff_lines`; a sweep's legend:
    :func:`credibility.render.plot.bimatrix_meaning`; quantal response:
    :mod:`credibility.quantal.bimatrix` (:meth:`BimatrixKind.qre`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING

from ..models import Bimatrix
from ..solvers.outcomes import DEGENERATE
from .base import PayoffTable, mixed_refused, picture_refused

if TYPE_CHECKING:
    import sympy

    from ..io.toml_loader import _Reader
    from ..io.toml_writer import _Writer
    from ..json_types import JSONObject
    from ..models import Binding
    from ..parameters import ParamValues
    from ..quantal.result import QREResult
    from ..render.tree_plot import Layout
    from ..solvers.nash import BimatrixNames, BimatrixSolution, MixedEquilibrium
    from ..sweeps.evaluator import Evaluator
    from ..symbolic.regions import RegionMap

__all__ = ["BIMATRIX", "DEGENERATE_NOTE", "DEGENERATE_SYMBOLIC_NOTE", "BimatrixKind"]

DEGENERATE_NOTE = (
    "the game is degenerate for every parameter value (its payoffs tie by construction); "
    "each region lists the extreme equilibria the exact solver finds at one point of it"
)
DEGENERATE_SYMBOLIC_NOTE = (
    "the game is degenerate for every parameter value (its payoffs tie by construction); "
    "the regions list equilibria whose supports have equal sizes only: bind the other "
    "parameters with --param for every extreme equilibrium"
)


class BimatrixKind:
    """The adapter of bimatrix games (see the module for where everything lives).

    Examples
    --------
    >>> import credibility as cr
    >>> BIMATRIX.solve(cr.load("chicken"), None, exact=True, method=None, mixed=None).outcome
    '...'
    """

    kind = "bimatrix"
    model = Bimatrix
    two_player = True
    toml_keys = frozenset({"strategies", "payoffs"})
    regions_by_class = False
    region_mixed = None

    # -- solving -------------------------------------------------------------------
    def check_solve_options(
        self, game: Bimatrix, method: str | None, mixed: bool | None, limit: int | None = None
    ) -> None:
        if mixed is not None:
            raise mixed_refused(game.kind)

    def solve(
        self,
        game: Bimatrix,
        params: ParamValues | None,
        *,
        exact: bool,
        method: str | None,
        mixed: bool | None,
        limit: int | None = None,
    ) -> BimatrixSolution:
        from ..solvers.nash import solve_bimatrix  # lazy: start-up time

        return solve_bimatrix(game, params, exact=exact, method=method, limit=limit)

    def solution_type(self) -> type[BimatrixSolution]:
        from ..solvers.nash import BimatrixSolution  # lazy: start-up time

        return BimatrixSolution

    # -- thresholds ----------------------------------------------------------------
    def check_thresholds(self, game: Bimatrix) -> None:
        return None

    def region_map(self, game: Bimatrix, params: ParamValues) -> RegionMap:
        from ..symbolic.bimatrix_regions import symbolic_bimatrix_regions  # lazy: start-up time

        return symbolic_bimatrix_regions(game, params)

    def incomplete_note(self, one_free: bool) -> str:
        return DEGENERATE_NOTE if one_free else DEGENERATE_SYMBOLIC_NOTE

    def equilibrium_key(self, game: Bimatrix, entries: Sequence[MixedEquilibrium]) -> Hashable:
        return self.outcome_label(game, entries, True)  # the label, ties (degeneracy) aside

    def outcome_label(
        self, game: Bimatrix, entries: Sequence[MixedEquilibrium], complete: bool
    ) -> str:
        from ..solvers.outcomes import bimatrix_outcome  # lazy: start-up time

        return bimatrix_outcome(game, entries)

    def at_point(
        self, game: Bimatrix, solution: BimatrixSolution, complete: bool
    ) -> tuple[Hashable, tuple[MixedEquilibrium, ...], str | None]:
        equilibria = tuple(solution.equilibria)
        return self.equilibrium_key(game, equilibria), equilibria, solution.outcome

    def equilibrium_dict(
        self, game: Bimatrix, entry: MixedEquilibrium, text: Callable[[object], str]
    ) -> JSONObject:
        players = game.players
        return {
            "strategies": {
                players[0]: {s: text(v) for s, v in zip(game.row_strategies, entry.row)},
                players[1]: {s: text(v) for s, v in zip(game.column_strategies, entry.column)},
            },
            "payoffs": {p: text(v) for p, v in zip(players, entry.payoffs)},
            "pure": entry.pure,
        }

    def equilibrium_names(self, game: Bimatrix) -> BimatrixNames:
        from ..solvers.nash import BimatrixNames  # lazy: start-up time

        return BimatrixNames.of(game)

    def region_details(
        self, game: Bimatrix, entries: Sequence[MixedEquilibrium], shown: Callable[[object], str]
    ) -> list[str]:
        lines = []
        for e in entries:
            if e.pure:
                continue
            row = ", ".join(f"{s} {shown(p)}" for s, p in zip(game.row_strategies, e.row) if p != 0)
            column = ", ".join(
                f"{s} {shown(q)}" for s, q in zip(game.column_strategies, e.column) if q != 0
            )
            lines.append(f"mixed: {game.players[0]} plays {row}; {game.players[1]} plays {column}")
        return lines

    def expressions(self, game: Bimatrix) -> Iterator[sympy.Expr]:
        import sympy  # lazy: start-up time

        for matrix in (game.A, game.B):
            for row in matrix:
                yield from (sympy.sympify(v) for v in row)

    # -- sweeps --------------------------------------------------------------------
    def check_sweep(self, game: Bimatrix) -> None:
        return None

    def evaluator(
        self, game: Bimatrix, swept: tuple[str, ...], params: dict[str, Fraction]
    ) -> Evaluator:
        from ..sweeps.bimatrix import BimatrixEvaluator  # lazy: start-up time

        return BimatrixEvaluator(game, swept, params)

    def output_columns(self, game: Bimatrix) -> tuple[str, ...]:
        from ..sweeps.bimatrix import probability_columns  # lazy: start-up time

        return ("outcome", "n_equilibria", *probability_columns(game))

    # -- rendering and description -----------------------------------------------------
    def renderer(self) -> ModuleType:
        from ..render import bimatrix  # lazy: start-up time

        return bimatrix

    def payoff_lines(
        self, game: Bimatrix, shown: Callable[[object], str]
    ) -> list[str | PayoffTable]:
        """The payoff matrix; its corner names both players (rows \\ columns)."""
        header = [f"{game.players[0]} \\ {game.players[1]}", *game.column_strategies]
        rows = [
            [label] + [f"{shown(a)}, {shown(b)}" for a, b in zip(row_a, row_b)]
            for label, row_a, row_b in zip(game.row_strategies, game.A, game.B)
        ]
        row_player = game.players[0]
        return [
            f"Payoffs ({', '.join(game.players)}):",
            PayoffTable(header, rows, lambda row: f"{row_player}: {row[0]}"),
        ]

    def payoffs_dict(self, game: Bimatrix) -> dict[str, object]:
        return {
            "strategies": {
                game.players[0]: list(game.row_strategies),
                game.players[1]: list(game.column_strategies),
            },
            "payoffs": {
                game.players[0]: [[str(x) for x in row] for row in game.A],
                game.players[1]: [[str(x) for x in row] for row in game.B],
            },
        }

    def outcome_meaning(self, game: Bimatrix, label: str) -> str:
        from ..render.plot import bimatrix_meaning  # lazy: start-up time (numpy)

        return bimatrix_meaning(label)

    def legend_outcome(self, game: Bimatrix, label: str) -> str:
        return label.removeprefix(DEGENERATE)  # the meaning says that payoffs tie

    def outcome_reading(self, game: Bimatrix) -> str:
        row, column = game.players
        return f" ({row}'s strategy/{column}'s; mixed: that player randomises)"

    # -- pictures ------------------------------------------------------------------
    def layouts(self, solution: BimatrixSolution, equilibrium: int | None) -> list[Layout]:
        raise picture_refused(self.kind)

    def game_layouts(self, game: Bimatrix, params: ParamValues | None) -> list[Layout]:
        return self.layouts(self.solve(game, params, exact=True, method=None, mixed=None), None)

    # -- quantal response ----------------------------------------------------------
    def qre(self, game: Bimatrix, lambdas: list[float], params: ParamValues | None) -> QREResult:
        from ..quantal.bimatrix import qre_bimatrix  # lazy: start-up time (numpy)

        return qre_bimatrix(game, lambdas, params)

    # -- files ---------------------------------------------------------------------
    def format_nfg(self, game: Bimatrix, params: Binding | ParamValues | None) -> str:
        from ..io.gambit import format_nfg  # lazy: start-up time

        return format_nfg(game, params)

    def format_efg(self, game: Bimatrix, params: Binding | ParamValues | None) -> str:
        from ..io.gambit_efg import format_efg  # lazy: start-up time

        return format_efg(game, params)

    def write_toml_header(self, writer: _Writer, game: Bimatrix) -> None:
        return None

    def write_toml(self, writer: _Writer, game: Bimatrix) -> None:
        writer.bimatrix(game)

    def read_toml(self, reader: _Reader) -> Bimatrix:
        return reader.bimatrix()


#: The one adapter of bimatrix games.
BIMATRIX = BimatrixKind()

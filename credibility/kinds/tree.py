"""Game trees: sequential moves, chance moves, perfect information.

Everything about game trees, and where it lives:

model
    :class:`credibility.models.tree.GameTree` (its :class:`~credibility.models.tree.Node`
    and :class:`~credibility.models.tree.Move`).
loaders and writers
    :mod:`credibility.io.toml_loader` (``_Reader.tree``), :mod:`credibility.io.toml_writer`
    (``_Writer.tree``), Gambit ``.efg``: :mod:`credibility.io.gambit_efg`.
solver
    :func:`credibility.solvers.subgame_perfect.solve_tree` (pure subgame-perfect equilibria
    and non-credible threats; :mod:`credibility.solvers.backward_induction`,
    :mod:`credibility.solvers.tree_form`), labels in :mod:`credibility.solvers.outcomes`.
symbolic regions
    :func:`credibility.symbolic.regions.tree_regions`.
sweep evaluator
    :class:`credibility.sweeps.tree.TreeEvaluator` (its exact row:
    :func:`credibility.sweeps.rows.tree_row`).
renderers
    :mod:`credibility.render.tree` (solutions), :mod:`credibility.render.tree_plot`,
    ``credibility show``: :meth:`TreeKind.payoff_lines`; quantal response:
    :mod:`credibility.quantal.tree`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import CredibilityError
from ..models import GameTree, Node
from .base import PayoffTable, no_solve_options
from .bimatrix import DEGENERATE_NOTE, DEGENERATE_SYMBOLIC_NOTE

if TYPE_CHECKING:
    import sympy

    from ..io.toml_loader import _Reader
    from ..io.toml_writer import _Writer
    from ..json_types import JSONObject
    from ..models import Binding
    from ..parameters import ParamValues
    from ..quantal.result import QREResult
    from ..render.tree_plot import Layout
    from ..solvers.subgame_perfect import TreeEquilibrium, TreeNames, TreeSolution
    from ..sweeps.evaluator import Evaluator
    from ..symbolic.regions import RegionMap

__all__ = ["TREE", "TreeKind"]


class TreeKind:
    """The adapter of game trees (see the module for where everything lives).

    Examples
    --------
    >>> import credibility as cr
    >>> TREE.output_columns(cr.load("entry_deterrence"))[:3]
    ('outcome', 'n_equilibria', 'path')
    """

    kind = "tree"
    model = GameTree
    two_player = False  # two or more players: the tree reader reads them
    toml_keys = frozenset({"root"})
    regions_by_class = False
    region_mixed = None

    # -- solving -------------------------------------------------------------------
    def check_solve_options(
        self, game: GameTree, method: str | None, mixed: bool | None, limit: int | None = None
    ) -> None:
        no_solve_options(game.kind, method, mixed, limit)

    def solve(
        self,
        game: GameTree,
        params: ParamValues | None,
        *,
        exact: bool,
        method: str | None,
        mixed: bool | None,
        limit: int | None = None,
    ) -> TreeSolution:
        from ..solvers.subgame_perfect import solve_tree  # lazy: start-up time

        return solve_tree(game, params, exact=exact)

    def solution_type(self) -> type[TreeSolution]:
        from ..solvers.subgame_perfect import TreeSolution  # lazy: start-up time

        return TreeSolution

    # -- thresholds ----------------------------------------------------------------
    def check_thresholds(self, game: GameTree) -> None:
        return None

    def region_map(self, game: GameTree, params: ParamValues) -> RegionMap:
        from ..symbolic.regions import tree_regions  # lazy: start-up time

        return tree_regions(game, params)

    def incomplete_note(self, one_free: bool) -> str:
        return DEGENERATE_NOTE if one_free else DEGENERATE_SYMBOLIC_NOTE

    def equilibrium_key(self, game: GameTree, entries: Sequence[TreeEquilibrium]) -> Hashable:
        # The path too: where a chance move becomes sure, the path (and label) goes on.
        return frozenset((tuple(sorted(e.actions.items())), e.path) for e in entries)

    def outcome_label(
        self, game: GameTree, entries: Sequence[TreeEquilibrium], complete: bool
    ) -> str:
        from ..solvers.outcomes import tree_outcome  # lazy: start-up time

        return tree_outcome(game, entries)

    def at_point(
        self, game: GameTree, solution: TreeSolution, complete: bool
    ) -> tuple[Hashable, tuple[TreeEquilibrium, ...], str | None]:
        equilibria = tuple(solution.equilibria)
        return self.equilibrium_key(game, equilibria), equilibria, solution.outcome

    def equilibrium_dict(
        self, game: GameTree, entry: TreeEquilibrium, text: Callable[[object], str]
    ) -> JSONObject:
        return {
            "actions": dict(entry.actions),
            "path": list(entry.path),
            "payoffs": {p: text(v) for p, v in zip(game.players, entry.payoffs)},
        }

    def equilibrium_names(self, game: GameTree) -> TreeNames:
        from ..solvers.subgame_perfect import TreeNames  # lazy: start-up time

        return TreeNames.of(game)

    def region_details(
        self, game: GameTree, entries: Sequence[TreeEquilibrium], shown: Callable[[object], str]
    ) -> list[str]:
        return [
            f"payoffs of {e.outcome}: "
            + ", ".join(f"{p} {shown(v)}" for p, v in zip(game.players, e.payoffs))
            for e in entries
        ]

    def expressions(self, game: GameTree) -> Iterator[sympy.Expr]:
        for node in game.nodes():
            if node.payoffs is not None:
                yield from node.payoffs
            for move in node.moves:
                if move.probability is not None:
                    yield move.probability

    # -- sweeps --------------------------------------------------------------------
    def check_sweep(self, game: GameTree) -> None:
        return None

    def evaluator(
        self, game: GameTree, swept: tuple[str, ...], params: dict[str, Fraction]
    ) -> Evaluator:
        from ..sweeps.tree import TreeEvaluator  # lazy: start-up time

        return TreeEvaluator(game, swept, params)

    def output_columns(self, game: GameTree) -> tuple[str, ...]:
        return ("outcome", "n_equilibria", "path", *(f"payoff_{p}" for p in game.players))

    # -- rendering and description -----------------------------------------------------
    def renderer(self) -> ModuleType:
        from ..render import tree  # lazy: start-up time

        return tree

    def payoff_lines(
        self, game: GameTree, shown: Callable[[object], str]
    ) -> list[str | PayoffTable]:
        return [
            "Game tree (payoffs: " + ", ".join(game.players) + "):",
            *_tree(game.root, 1, shown),
        ]

    def payoffs_dict(self, game: GameTree) -> dict[str, object]:
        return {
            "nodes": [
                {
                    "path": node.path,
                    "kind": node.kind,
                    "player": node.player,
                    "moves": [m.name for m in node.moves],
                    "payoffs": None if node.payoffs is None else [str(x) for x in node.payoffs],
                }
                for node in game.nodes()
            ]
        }

    def outcome_meaning(self, game: GameTree, label: str) -> str:
        from ..render.plot import tree_meaning  # lazy: start-up time (numpy)

        return tree_meaning(game, label)

    def legend_outcome(self, game: GameTree, label: str) -> str:
        return label

    def outcome_reading(self, game: GameTree) -> str:
        return ""

    # -- pictures ------------------------------------------------------------------
    def layouts(self, solution: TreeSolution, equilibrium: int | None) -> list[Layout]:
        from ..render.tree_plot import tree_layout  # lazy: start-up time

        return [tree_layout(solution, equilibrium)]

    def game_layouts(self, game: GameTree, params: ParamValues | None) -> list[Layout]:
        return self.layouts(self.solve(game, params, exact=True, method=None, mixed=None), None)

    # -- quantal response ----------------------------------------------------------
    def qre(self, game: GameTree, lambdas: list[float], params: ParamValues | None) -> QREResult:
        from ..quantal.tree import qre_tree  # lazy: start-up time (numpy)

        return qre_tree(game, lambdas, params)

    # -- files ---------------------------------------------------------------------
    def format_nfg(self, game: GameTree, params: Binding | ParamValues | None) -> str:
        raise CredibilityError(
            f"a {game.kind} game cannot be written as .nfg (Gambit's strategic form, for "
            "bimatrix games): write .efg or .toml"
        )

    def format_efg(self, game: GameTree, params: Binding | ParamValues | None) -> str:
        from ..io.gambit_efg import format_efg  # lazy: start-up time

        return format_efg(game, params)

    def write_toml_header(self, writer: _Writer, game: GameTree) -> None:
        return None

    def write_toml(self, writer: _Writer, game: GameTree) -> None:
        writer.tree(game)

    def read_toml(self, reader: _Reader) -> GameTree:
        return reader.tree()


def _tree(node: Node, depth: int, shown: Callable[[object], str]) -> list[str]:
    """The subtree under ``node`` for ``credibility show``, one line per move."""
    pad = "  " * depth
    lines = []
    for move in node.moves:
        child = move.node
        label = move.name
        if move.probability is not None:
            label += f" [probability {shown(move.probability)}]"
        if child.kind == "terminal":
            assert child.payoffs is not None
            lines.append(f"{pad}{label} -> ({', '.join(shown(x) for x in child.payoffs)})")
        else:
            mover = "chance" if child.kind == "chance" else child.player
            lines.append(f"{pad}{label} -> {mover} moves:")
            lines += _tree(child, depth + 1, shown)
    if depth == 1:
        mover = "chance" if node.kind == "chance" else node.player
        lines.insert(0, f"  root: {mover} moves:")
        lines = [lines[0]] + ["  " + line for line in lines[1:]]
    return lines


#: The one adapter of game trees.
TREE = TreeKind()

"""Signalling games: a sender of private type sends a message, a receiver responds.

Everything about signalling games, and where it lives:

model
    :class:`credibility.models.signalling.SignallingGame` (its
    :class:`~credibility.models.signalling.SenderType`).
loaders and writers
    :mod:`credibility.io.toml_loader` (``_Reader.signalling``),
    :mod:`credibility.io.toml_writer` (``_Writer.signalling``, ``_Writer.signalling_header``),
    Gambit ``.efg``: :mod:`credibility.io.gambit_efg`.
solver
    :func:`credibility.solvers.pbe.solve_signalling` (perfect Bayesian equilibria), with
    :mod:`credibility.solvers.pbe_bound`, :mod:`credibility.solvers.pbe_supports` (whose
    constraint systems, shared with the symbolic analysis, are built by
    :mod:`credibility.solvers.support_systems`),
    :mod:`credibility.solvers.pbe_beliefs`, :mod:`credibility.solvers.pbe_refinements` and
    the classes in :mod:`credibility.solvers.pbe_classes`.
symbolic regions
    :func:`credibility.symbolic.signalling_regions.signalling_region_map`, from
    :mod:`credibility.symbolic.signalling_supports` and
    :mod:`credibility.symbolic.signalling_existence` (which classes exist where).
sweep evaluator
    :class:`credibility.sweeps.signalling.SignallingEvaluator` (its exact row:
    :func:`credibility.sweeps.rows.signalling_row`; columns: :meth:`SignallingKind.output_columns`).
renderers
    :mod:`credibility.render.signalling` (solutions), ``credibility show``:
    :meth:`SignallingKind.payoff_lines`; pictures: :mod:`credibility.render.tree_plot`
    (:func:`~credibility.render.tree_plot.signalling_layouts`,
    :func:`~credibility.render.tree_plot.game_layout`); a sweep's legend:
    :func:`credibility.render.plot.signal_meaning`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import CredibilityError
from ..models import SignallingGame
from .base import PayoffTable, limit_refused, method_refused

if TYPE_CHECKING:
    import sympy

    from ..io.toml_loader import _Reader
    from ..io.toml_writer import _Writer
    from ..json_types import JSONObject
    from ..models import Binding
    from ..parameters import ParamValues
    from ..quantal.result import QREResult
    from ..render.tree_plot import Layout
    from ..solvers.pbe import SignallingSolution
    from ..sweeps.evaluator import Evaluator
    from ..symbolic.regions import RegionMap

__all__ = ["PURE_ONLY_NOTE", "SIGNALLING", "SignallingKind"]

PURE_ONLY_NOTE = (
    "the game has too many support profiles for symbolic mixed equilibria; the regions "
    "classify pure perfect Bayesian equilibria (mixed ones: credibility solve at a point)"
)


class SignallingKind:
    """The adapter of signalling games (see the module for where everything lives).

    A threshold region of a signalling game lists the classes of equilibrium present
    (``"separating"``, ``"pooling"``, ...), not equilibria.

    Examples
    --------
    >>> import credibility as cr
    >>> SIGNALLING.output_columns(cr.load("sinking_costs"))
    ('outcome', 'n_equilibria', 'n_separating', 'n_pooling', 'semi_separating')
    """

    kind = "signalling"
    model = SignallingGame
    two_player = True
    toml_keys = frozenset({"messages", "responses", "types"})
    regions_by_class = True
    region_mixed = None

    # -- solving -------------------------------------------------------------------
    def check_solve_options(
        self, game: SignallingGame, method: str | None, mixed: bool | None, limit: int | None = None
    ) -> None:
        if method is not None:
            raise method_refused(game.kind)
        if limit is not None:
            raise limit_refused(game.kind)

    def solve(
        self,
        game: SignallingGame,
        params: ParamValues | None,
        *,
        exact: bool,
        method: str | None,
        mixed: bool | None,
        limit: int | None = None,
    ) -> SignallingSolution:
        from ..solvers.pbe import solve_signalling  # lazy: start-up time

        return solve_signalling(game, params, exact=exact, mixed=mixed)

    def solution_type(self) -> type[SignallingSolution]:
        from ..solvers.pbe import SignallingSolution  # lazy: start-up time

        return SignallingSolution

    # -- thresholds ----------------------------------------------------------------
    def check_thresholds(self, game: SignallingGame) -> None:
        return None

    def region_map(self, game: SignallingGame, params: ParamValues) -> RegionMap:
        from ..symbolic.signalling_regions import signalling_region_map  # lazy: start-up time

        return signalling_region_map(game, params)

    def incomplete_note(self, one_free: bool) -> str:
        return PURE_ONLY_NOTE

    def equilibrium_key(self, game: SignallingGame, entries: Sequence[str]) -> Hashable:
        return tuple(entries)  # the classes present

    def outcome_label(self, game: SignallingGame, entries: Sequence[str], complete: bool) -> str:
        from ..solvers.pbe_classes import outcome_label  # lazy: start-up time

        return outcome_label(entries, complete)

    def at_point(
        self, game: SignallingGame, solution: SignallingSolution, complete: bool
    ) -> tuple[Hashable, tuple[str, ...], str | None]:
        """The classes of equilibrium at a point (pure ones only if the regions have no mixed)."""
        if complete:
            classes = tuple(solution.classes)
        else:
            classes = tuple(sorted({e.equilibrium_class for e in solution.equilibria if e.pure}))
        return classes, classes, None

    def equilibrium_dict(
        self, game: SignallingGame, entry: str, text: Callable[[object], str]
    ) -> JSONObject:
        return {"class": entry}

    def equilibrium_names(self, game: SignallingGame) -> None:
        return None

    def region_details(
        self, game: SignallingGame, entries: Sequence[str], shown: Callable[[object], str]
    ) -> list[str]:
        return []

    def expressions(self, game: SignallingGame) -> Iterator[sympy.Expr]:
        for sender_type in game.types:
            yield sender_type.prior
            for row in sender_type.payoffs:
                for pair in row:
                    yield from pair

    # -- sweeps --------------------------------------------------------------------
    def check_sweep(self, game: SignallingGame) -> None:
        return None

    def evaluator(
        self, game: SignallingGame, swept: tuple[str, ...], params: dict[str, Fraction]
    ) -> Evaluator:
        from ..sweeps.signalling import SignallingEvaluator  # lazy: start-up time

        return SignallingEvaluator(game, swept, params)

    def output_columns(self, game: SignallingGame) -> tuple[str, ...]:
        from ..sweeps.rows import MIXED_COLUMNS, sweeps_mixed_classes  # lazy: start-up time

        pure = ("outcome", "n_equilibria", "n_separating", "n_pooling")
        return (*pure, *MIXED_COLUMNS) if sweeps_mixed_classes(game) else pure

    # -- rendering and description -----------------------------------------------------
    def renderer(self) -> ModuleType:
        from ..render import signalling  # lazy: start-up time

        return signalling

    def payoff_lines(
        self, game: SignallingGame, shown: Callable[[object], str]
    ) -> list[str | PayoffTable]:
        lines: list[str | PayoffTable] = [
            f"Sender {game.sender} sends one of: {', '.join(game.messages)}",
            f"Receiver {game.receiver} responds with one of: {', '.join(game.responses)}",
        ]
        sender = game.sender
        for sender_type in game.types:
            lines += [
                "",
                f"Type {sender_type.name} (prior {shown(sender_type.prior)}), "
                f"payoffs ({game.sender}, {game.receiver}):",
            ]
            rows = [
                [message] + [f"{shown(s)}, {shown(r)}" for s, r in pairs]
                for message, pairs in zip(game.messages, sender_type.payoffs)
            ]
            header = [f"{game.sender} \\ {game.receiver}", *game.responses]
            lines.append(PayoffTable(header, rows, lambda row: f"{sender}: {row[0]}"))
        return lines

    def payoffs_dict(self, game: SignallingGame) -> dict[str, object]:
        return {
            "messages": list(game.messages),
            "responses": list(game.responses),
            "types": {
                t.name: {
                    "prior": str(t.prior),
                    "payoffs": {
                        message: {
                            response: [str(s), str(r)]
                            for response, (s, r) in zip(game.responses, pairs)
                        }
                        for message, pairs in zip(game.messages, t.payoffs)
                    },
                }
                for t in game.types
            },
        }

    def outcome_meaning(self, game: SignallingGame, label: str) -> str:
        from ..render.plot import signal_meaning  # lazy: start-up time (numpy)

        return signal_meaning(label)

    def legend_outcome(self, game: SignallingGame, label: str) -> str:
        return label

    def outcome_reading(self, game: SignallingGame) -> str:
        return ""

    # -- pictures ------------------------------------------------------------------
    def layouts(self, solution: SignallingSolution, equilibrium: int | None) -> list[Layout]:
        from ..render.tree_plot import signalling_layouts  # lazy: start-up time

        return signalling_layouts(solution, equilibrium)

    def game_layouts(self, game: SignallingGame, params: ParamValues | None) -> list[Layout]:
        from ..render.tree_plot import game_layout  # lazy: start-up time

        return [game_layout(game, params)]  # the game alone: its equilibria are many pictures

    # -- quantal response ----------------------------------------------------------
    def qre(
        self, game: SignallingGame, lambdas: list[float], params: ParamValues | None
    ) -> QREResult:
        from ..quantal.signalling import qre_signalling  # lazy: start-up time (numpy)

        return qre_signalling(game, lambdas, params)

    # -- files ---------------------------------------------------------------------
    def format_nfg(self, game: SignallingGame, params: Binding | ParamValues | None) -> str:
        raise CredibilityError(
            f"a {game.kind} game cannot be written as .nfg (Gambit's strategic form, for "
            "bimatrix games): write .efg or .toml"
        )

    def format_efg(self, game: SignallingGame, params: Binding | ParamValues | None) -> str:
        from ..io.gambit_efg import format_efg  # lazy: start-up time

        return format_efg(game, params)

    def write_toml_header(self, writer: _Writer, game: SignallingGame) -> None:
        writer.signalling_header(game)

    def write_toml(self, writer: _Writer, game: SignallingGame) -> None:
        writer.signalling(game)

    def read_toml(self, reader: _Reader) -> SignallingGame:
        return reader.signalling()


#: The one adapter of signalling games.
SIGNALLING = SignallingKind()

"""Normal-form games: any number of players, strategic form (issue 15).

Pure Nash equilibria only so far: ``threshold`` and ``sweep`` refuse these games.
Everything about normal-form games, and where it lives:

model
    :class:`credibility.models.normal.NormalForm`.
loaders and writers
    :mod:`credibility.io.toml_normal` (``read_normal``, ``write_normal``, called by
    :mod:`credibility.io.toml_loader` and :mod:`credibility.io.toml_writer`), Gambit ``.nfg``
    of three or more players: :mod:`credibility.io.gambit_normal`.
solver
    :func:`credibility.solvers.pure_nash.solve_normal` (pure Nash equilibria).
symbolic regions
    none yet (:data:`THRESHOLD_REFUSAL`).
sweep evaluator
    none yet (:data:`SWEEP_REFUSAL`).
renderers
    :mod:`credibility.render.normal` (solutions, and ``credibility show``'s
    ``payoff_lines`` and ``payoffs_dict``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

from ..errors import CredibilityError
from ..io.toml_normal import read_normal, write_normal
from ..models import NormalForm
from .base import PayoffTable, method_refused, mixed_refused

if TYPE_CHECKING:
    import sympy

    from ..io.toml_loader import _Reader
    from ..io.toml_writer import _Writer
    from ..models import Binding
    from ..parameters import ParamValues
    from ..solvers.pure_nash import NormalSolution, PureEquilibrium
    from ..sweeps.evaluator import Evaluator
    from ..symbolic.regions import RegionMap

__all__ = ["NORMAL", "SWEEP_REFUSAL", "THRESHOLD_REFUSAL", "NormalKind"]

THRESHOLD_REFUSAL = (
    "threshold does not support normal-form games (3+ players) yet; "
    "use solve() with params= at chosen values"
)
SWEEP_REFUSAL = (
    "sweep does not support normal-form games (3+ players) yet; "
    "use solve() with params= at chosen values"
)


def _no_thresholds() -> NoReturn:
    raise CredibilityError(THRESHOLD_REFUSAL)


def _no_sweeps() -> NoReturn:
    raise CredibilityError(SWEEP_REFUSAL)


class NormalKind:
    """The adapter of normal-form games (see the module for where everything lives).

    Examples
    --------
    >>> NORMAL.check_thresholds(None)  # type: ignore[arg-type]
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: threshold does not support normal-form games ...
    """

    kind = "normal"
    model = NormalForm
    two_player = False
    toml_keys = frozenset({"strategies", "payoffs", "outcomes"})
    regions_by_class = False

    # -- solving -------------------------------------------------------------------
    def check_solve_options(self, game: NormalForm, method: str | None, mixed: bool | None) -> None:
        if method is not None:
            raise method_refused(game.kind)
        if mixed is not None:
            raise mixed_refused(game.kind)

    def solve(
        self,
        game: NormalForm,
        params: ParamValues | None,
        *,
        exact: bool,
        method: str | None,
        mixed: bool | None,
    ) -> NormalSolution:
        from ..solvers.pure_nash import solve_normal  # lazy: start-up time

        return solve_normal(game, params, exact=exact)  # pure equilibria only (issue 15)

    def solution_type(self) -> type[NormalSolution]:
        from ..solvers.pure_nash import NormalSolution  # lazy: start-up time

        return NormalSolution

    # -- thresholds: refused -------------------------------------------------------
    def check_thresholds(self, game: NormalForm) -> None:
        _no_thresholds()

    def region_map(self, game: NormalForm, params: ParamValues) -> RegionMap:
        _no_thresholds()

    def incomplete_note(self, one_free: bool) -> str:
        _no_thresholds()

    def equilibrium_key(self, game: NormalForm, entries: Sequence[PureEquilibrium]) -> Hashable:
        _no_thresholds()

    def outcome_label(
        self, game: NormalForm, entries: Sequence[PureEquilibrium], complete: bool
    ) -> str:
        _no_thresholds()

    def at_point(
        self, game: NormalForm, solution: NormalSolution, complete: bool
    ) -> tuple[Hashable, tuple[PureEquilibrium, ...], str | None]:
        _no_thresholds()

    def equilibrium_dict(
        self, game: NormalForm, entry: PureEquilibrium, text: Callable[[object], str]
    ) -> dict[str, object]:
        _no_thresholds()

    def equilibrium_names(self, game: NormalForm) -> None:
        return None

    def region_details(
        self, game: NormalForm, entries: Sequence[PureEquilibrium], shown: Callable[[object], str]
    ) -> list[str]:
        return []

    def expressions(self, game: NormalForm) -> Iterator[sympy.Expr]:
        _no_thresholds()

    # -- sweeps: refused -----------------------------------------------------------
    def check_sweep(self, game: NormalForm) -> None:
        _no_sweeps()

    def evaluator(
        self, game: NormalForm, swept: tuple[str, ...], params: dict[str, Fraction]
    ) -> Evaluator:
        _no_sweeps()

    def output_columns(self, game: NormalForm) -> tuple[str, ...]:
        _no_sweeps()

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

"""What a threshold derivation finds: thresholds, regions, and the result that shows them.

:func:`credibility.thresholds` (:mod:`credibility.symbolic.thresholds`) derives a
:class:`ThresholdResult`; this module holds it, its parts and the error that carries a partial
one (:class:`DerivationStopped`), so that renderers and the derivation each depend on it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias, cast

import sympy
from sympy.logic.boolalg import Boolean

from ..errors import CredibilityError
from ..expressions import format_number, format_set
from ..json_types import JSONObject
from ..kinds import adapter_for
from ..render.conditions import Known, condition
from ..render.display import Displayed, Summarised, clipped
from .partial import Partial

if TYPE_CHECKING:
    from ..models import Game
    from ..solvers.nash import MixedEquilibrium
    from ..solvers.pure_nash import PureEquilibrium
    from ..solvers.subgame_perfect import TreeEquilibrium

    #: What a region lists: equilibria with expressions where parameters are free.
    RegionEquilibrium: TypeAlias = MixedEquilibrium | TreeEquilibrium | PureEquilibrium

__all__ = [
    "DerivationStopped",
    "Threshold",
    "ThresholdRegion",
    "ThresholdResult",
]


@dataclass(frozen=True)
class Threshold:
    """A value of the parameter at which the equilibrium set changes.

    Attributes
    ----------
    value : sympy.Expr
        A number, or an expression in the parameters left free.
    """

    value: sympy.Expr

    @property
    def latex(self) -> str:
        """The value in LaTeX."""
        return str(sympy.latex(self.value))


@dataclass(frozen=True, repr=False)
class ThresholdRegion(Summarised):
    """A region of the parameter space and the equilibria that hold there.

    Attributes
    ----------
    condition : Boolean
        Where the region lies (within the parameters' bounds).
    outcome : str
        A short label of the equilibrium set.
    equilibria : tuple
        The equilibria, with expressions where parameters are free
        (``TreeEquilibrium``, ``MixedEquilibrium``; empty for signalling games,
        whose regions list ``classes``).
    classes : tuple of str
        Signalling games: the classes of perfect Bayesian equilibrium present.
    pieces : int
        In a partial result (see ``ThresholdResult.partial``), a region whose condition
        was not shortened: the number of pieces (conjunctions, as the analysis found them)
        that ``condition`` joins. 0 for a shortened condition.
    """

    condition: Boolean
    outcome: str
    equilibria: tuple[RegionEquilibrium, ...] = ()
    classes: tuple[str, ...] = ()
    pieces: int = 0

    @property
    def latex(self) -> str:
        """The condition in LaTeX."""
        return _raw_latex(self.condition) if self.pieces else sympy.latex(self.condition)

    @property
    def text(self) -> str:
        """The condition as sympy writes it."""
        return _raw_text(self.condition) if self.pieces else str(self.condition)

    def _summary(self) -> str:
        where = f"{self.pieces:,} pieces" if self.pieces else clipped(self.text)
        return f"{where}: {clipped(self.outcome)}"


#: Printer settings for conditions as found (large): terms in sympy's own order, not sorted.
_FAST = {"order": "none"}


def _raw_text(condition: Boolean, inside: bool = False) -> str:
    """A condition as found (an Or of Ands of relations), printed as ``str`` would, faster.

    Each relation is printed once, however many pieces share it.
    """
    if isinstance(condition, sympy.Or | sympy.And):
        joined = (" | " if isinstance(condition, sympy.Or) else " & ").join(
            _raw_text(arg, inside=True) for arg in condition.args
        )
        return f"({joined})" if inside else joined
    return f"({_relation_text(condition)})" if inside else _relation_text(condition)


def _raw_latex(condition: Boolean, inside: bool = False) -> str:
    """A condition as found, printed as ``sympy.latex`` would, faster."""
    if isinstance(condition, sympy.Or):
        return r" \vee ".join(_raw_latex(arg, inside=True) for arg in condition.args)
    if isinstance(condition, sympy.And):
        joined = r" \wedge ".join(_relation_latex(arg) for arg in condition.args)
        return f"\\left({joined}\\right)" if inside else joined
    return _relation_latex(condition)


@lru_cache(maxsize=65536)
def _relation_text(relation: sympy.Basic) -> str:
    return str(sympy.sstr(relation, **_FAST))


@lru_cache(maxsize=65536)
def _relation_latex(relation: sympy.Basic) -> str:
    return str(sympy.latex(relation, **_FAST))


@dataclass(frozen=True, repr=False)
class ThresholdResult(Displayed):
    """The thresholds of one parameter and the regions between them.

    Attributes
    ----------
    game : Bimatrix, GameTree or SignallingGame
    parameter : str
    bound : dict of str to Fraction
        The parameters bound to numbers.
    free : tuple of str
        The parameters left symbolic (the chosen one first).
    thresholds : tuple of Threshold
    regions : tuple of ThresholdRegion
    note : str
        What the analysis assumed or left out, if anything.
    existence : dict of str to sympy.Set
        Signalling games with one parameter free: for each class of
        equilibrium, the values of the parameter where one exists.
    partial : Partial or None
        Set if the derivation stopped early (see :class:`DerivationStopped`): the
        thresholds and regions are then those it finished, regions whose conditions it did
        not shorten are listed piece by piece, and the regions may not cover the range.

    ``str()`` is the text ``credibility threshold`` prints, ``repr()`` one line, and a
    notebook shows the regions as a table (:mod:`credibility.render.display`);
    ``to_pandas()`` has a row per region.
    """

    game: Game
    parameter: str
    bound: dict[str, Fraction]
    free: tuple[str, ...]
    thresholds: tuple[Threshold, ...]
    regions: tuple[ThresholdRegion, ...]
    note: str = ""
    existence: dict[str, sympy.Set] = field(default_factory=dict)
    partial: Partial | None = None

    def __post_init__(self) -> None:
        # The regions' equilibria carry the game's names, as a solution's do.
        names = adapter_for(self.game).equilibrium_names(self.game)
        if names is None:
            return
        # A kind whose equilibria carry names lists only named ones (bimatrix, tree).
        entries = [e for region in self.regions for e in region.equilibria]
        if all(cast("MixedEquilibrium | TreeEquilibrium", e).names == names for e in entries):
            return
        named: dict[int, RegionEquilibrium] = {}  # regions share equilibria: each named once
        for region in self.regions:
            for e in cast("tuple[MixedEquilibrium | TreeEquilibrium, ...]", region.equilibria):
                if id(e) not in named:
                    # the adapter's names are those of its own kind's equilibria
                    named[id(e)] = replace(e, names=names)  # type: ignore[arg-type]
        regions = tuple(
            replace(region, equilibria=tuple(named[id(e)] for e in region.equilibria))
            for region in self.regions
        )
        object.__setattr__(self, "regions", regions)

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility threshold``."""
        game = self.game
        adapter = adapter_for(game)
        result: JSONObject = {
            "format": 1,
            "kind": game.kind,
            "game": game.info.label,
            "players": list(game.players),
            "parameters": {name: format_number(v) for name, v in self.bound.items()},
            "parameter": self.parameter,
            "free": list(self.free),
            "thresholds": [{"value": str(t.value), "latex": t.latex} for t in self.thresholds],
            "regions": [
                {
                    "condition": region.text,
                    "latex": region.latex,
                    "outcome": region.outcome,
                    "equilibria": [
                        adapter.equilibrium_dict(game, e, _printer(self.partial is None))
                        for e in region.equilibria
                    ],
                    **({"classes": list(region.classes)} if adapter.regions_by_class else {}),
                }
                for region in self.regions
            ],
        }
        if self.existence:
            result["existence"] = {
                kind: {"set": str(values), "latex": sympy.latex(values), "text": format_set(values)}
                for kind, values in self.existence.items()
            }
        if self.note:
            result["note"] = self.note
        if self.partial is not None:
            result["partial"] = self.partial.to_dict()
        return result

    def _summary(self) -> str:
        x = self.parameter
        shown = "; ".join(f"{x} = {t.value}" for t in self.thresholds) or "no threshold"
        if len(shown) > 60:
            shown = f"{len(self.thresholds)} thresholds"
        count = len(self.regions)
        name = self.game.info.name or self.game.info.label
        partial = ", partial" if self.partial is not None else ""
        return f"{name}, {x}: {shown}; {count} region{'' if count == 1 else 's'}{partial}"

    def _columns(self) -> dict[str, list[str]]:
        """Each region's condition (as the text output writes it), outcome, and LaTeX."""
        known = Known.of(self.game.parameters, self.free)
        return {
            "condition": [
                region.text if region.pieces else condition(region.condition, known)
                for region in self.regions
            ],
            "outcome": [region.outcome for region in self.regions],
            "latex": [region.latex for region in self.regions],
        }


class DerivationStopped(CredibilityError):
    """A derivation stopped before it finished.

    Its time budget ran out, or the parameter space split into more than ``MAX_REGIONS``
    regions.

    Attributes
    ----------
    result : ThresholdResult
        What it finished; ``result.partial`` says where it stopped and what to bind.
    """

    def __init__(
        self,
        message: str,
        result: ThresholdResult | None = None,
        *,
        file: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message, file=file, field=field)
        self.result = result


def _printer(simplify: bool) -> Callable[[object], str]:
    """How a region's equilibrium writes its values in JSON, as ``solve`` writes them.

    A partial result's expressions are printed as they are (``simplify`` False), in no time.
    """

    def text(value: object) -> str:
        if isinstance(value, Fraction):
            return format_number(value)
        return _simplified(value) if simplify else str(sympy.sstr(value, **_FAST))

    return text


#: Expressions larger than this (in sympy operations) are printed as they are, not simplified.
MAX_SIMPLIFY_OPS = 400


@lru_cache(maxsize=4096)
def _simplified(value: sympy.Expr) -> str:
    """An expression simplified for printing (large ones as they are: simplify is slow)."""
    if getattr(value, "is_Rational", False) or getattr(value, "is_Symbol", False):
        return str(value)  # simplify returns these as they are
    if sympy.count_ops(value) > MAX_SIMPLIFY_OPS:
        return str(sympy.sstr(value, **_FAST))
    return str(sympy.simplify(value))

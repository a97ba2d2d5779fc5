"""The result of a quantal response equilibrium computation: plain frozen data.

A :class:`QREPoint` is the equilibrium at one precision ``lambda``: each
player's mixed strategy (bimatrix) or each decision node's choice
probabilities (tree), the expected payoffs, the probability of every outcome
(bimatrix: each pure profile ``ROW/COLUMN``; tree: each terminal node, named
by its path, moves joined by ``" > "``) and the fixed-point residual.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, cast

from ..expressions import format_number
from ..json_types import JSONObject

if TYPE_CHECKING:
    import pandas

    from ..models import Bimatrix, GameTree
    from ..solvers.nash import MixedEquilibrium

__all__ = ["BranchPoint", "QREPoint", "QREResult"]


@dataclass(frozen=True)
class QREPoint:
    """The logit QRE at one precision.

    Attributes
    ----------
    lam : float
        The precision ``lambda`` (0: uniform choice; large: best responses).
    strategies : dict of str to dict of str to float
        Bimatrix: player -> strategy -> probability. Tree: node path (``""`` is
        the root) -> move -> probability, at every decision node.
    payoffs : tuple of two floats
        Expected payoffs, first player first.
    outcomes : dict of str to float
        Outcome label -> probability.
    residual : float
        ``max |sigma - logit(lambda, u(sigma))|`` over all choices: zero at an exact QRE.
    """

    lam: float
    strategies: dict[str, dict[str, float]]
    payoffs: tuple[float, float]
    outcomes: dict[str, float]
    residual: float


@dataclass(frozen=True)
class BranchPoint:
    """A point the path follower reached on the principal branch (bimatrix games).

    Attributes
    ----------
    lam : float
    row, column : tuple of float
        The players' mixed strategies.
    """

    lam: float
    row: tuple[float, ...]
    column: tuple[float, ...]


@dataclass(frozen=True)
class QREResult:
    """Logit quantal response equilibria of a game at several precisions.

    Attributes
    ----------
    game : Bimatrix or GameTree
    parameters : dict of str to Fraction
        The values the parameters were bound to.
    points : tuple of QREPoint
        One per requested ``lambda``, in the order given.
    branch : tuple of BranchPoint
        Bimatrix games: the principal branch as traced, from ``lambda = 0``
        (empty for trees, whose agent QRE has a closed form).
    limit : MixedEquilibrium or None
        Bimatrix games: the exact Nash equilibrium (from :func:`credibility.solve`)
        the branch approaches as ``lambda`` grows; None if none lies within 1e-4
        of the branch's last point (a degenerate game's limit may lie inside a
        segment of equilibria).
    limit_distance : float or None
        Largest difference of a probability between the branch's last point and ``limit``.
    method : str
        ``"path-following"`` (bimatrix) or ``"backward-recursion"`` (tree).
    """

    game: Bimatrix | GameTree
    parameters: dict[str, Fraction]
    points: tuple[QREPoint, ...]
    branch: tuple[BranchPoint, ...] = ()
    limit: MixedEquilibrium | None = None
    limit_distance: float | None = None
    method: str = ""

    kind = "qre"

    @property
    def outcome_labels(self) -> tuple[str, ...]:
        """The outcome labels, in the game's order."""
        return tuple(self.points[0].outcomes) if self.points else ()

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility qre`` (docs/json-output.md)."""
        players = self.game.players

        def num(x: float) -> str:
            return format_number(float(x), exact=False)

        data: JSONObject = {
            "format": 1,
            "kind": self.game.kind,
            "game": self.game.info.label,
            "players": list(players),
            "parameters": {k: str(v) for k, v in self.parameters.items()},
            "model": "logit",
            "method": self.method,
            "points": [
                {
                    "lambda": num(pt.lam),
                    "strategies": {
                        who: {move: num(x) for move, x in probs.items()}
                        for who, probs in pt.strategies.items()
                    },
                    "payoffs": {p: num(v) for p, v in zip(players, pt.payoffs)},
                    "outcomes": {label: num(x) for label, x in pt.outcomes.items()},
                    "residual": num(pt.residual),
                }
                for pt in self.points
            ],
        }
        if self.game.kind == "bimatrix":
            game = cast("Bimatrix", self.game)  # the kind says so
            rows, cols = game.row_strategies, game.column_strategies
            limit = self.limit
            data["limit"] = (
                None
                if limit is None
                else {
                    "strategies": {
                        players[0]: {s: str(x) for s, x in zip(rows, limit.row)},
                        players[1]: {s: str(x) for s, x in zip(cols, limit.column)},
                    },
                    "payoffs": {p: str(v) for p, v in zip(players, limit.payoffs)},
                    "distance": num(self.limit_distance or 0.0),
                }
            )
            data["branch"] = [
                {
                    "lambda": num(b.lam),
                    "row": [num(x) for x in b.row],
                    "column": [num(x) for x in b.column],
                }
                for b in self.branch
            ]
        return data

    def to_pandas(self) -> pandas.DataFrame:
        """One row per point: ``lambda``, the payoffs and one column per outcome probability.

        pandas is imported here (it is optional).
        """
        try:
            import pandas as pd  # lazy: start-up time (and pandas is optional)
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install pandas") from error
        players = self.game.players
        rows = [
            {
                "lambda": pt.lam,
                f"payoff {players[0]}": pt.payoffs[0],
                f"payoff {players[1]}": pt.payoffs[1],
                **pt.outcomes,
            }
            for pt in self.points
        ]
        return pd.DataFrame(rows)

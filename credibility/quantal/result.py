"""The result of a quantal response equilibrium computation: plain frozen data.

A :class:`QREPoint` is the equilibrium at one precision ``lambda``: each
player's mixed strategy (bimatrix and normal-form games) or each decision
node's choice probabilities (tree), the expected payoffs (one per player), the
probability of every outcome (bimatrix: each pure profile ``ROW/COLUMN``;
normal form: each pure profile, its strategies joined by ``"/"``; tree: each
terminal node, named by its path, moves joined by ``" > "``) and the
fixed-point residual. A :class:`BranchPoint` is a point of the principal branch
(bimatrix and normal-form games).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, cast

from ..expressions import format_number
from ..json_types import JSONObject

if TYPE_CHECKING:
    import pandas

    from ..models import Bimatrix, GameTree, NormalForm, SignallingGame, SymmetricGame
    from ..solvers.nash import MixedEquilibrium
    from ..solvers.normal_nash import MixedProfile, Value
    from ..solvers.pbe import SignallingEquilibrium
    from ..solvers.pure_nash import PureEquilibrium
    from ..solvers.symmetric import SymmetricEquilibrium

__all__ = ["BranchPoint", "QREPoint", "QREResult", "limit_profile"]


@dataclass(frozen=True)
class QREPoint:
    """The logit QRE at one precision.

    Attributes
    ----------
    lam : float
        The precision ``lambda`` (0: uniform choice; large: best responses).
    strategies : dict of str to dict of str to float
        Bimatrix and normal form: player -> strategy -> probability. Tree: node
        path (``""`` is the root) -> move -> probability, at every decision node.
    payoffs : tuple of float
        Expected payoffs, one per player, in the game's order of players.
    outcomes : dict of str to float
        Outcome label -> probability.
    residual : float
        ``max |sigma - logit(lambda, u(sigma))|`` over all choices: zero at an exact QRE.
    beliefs : dict of str to dict of str to float
        Signalling games: message -> type -> the receiver's belief (Bayes' rule; every
        message is sent with positive probability). Empty for other kinds.
    """

    lam: float
    strategies: dict[str, dict[str, float]]
    payoffs: tuple[float, ...]
    outcomes: dict[str, float]
    residual: float
    beliefs: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class BranchPoint:
    """A point the path follower reached on the principal branch.

    Give either ``row`` and ``column`` (two players, as ``BranchPoint(lam, row,
    column)``) or ``profile`` (any number of players); the others are filled in:
    ``profile`` is ``(row, column)``, and ``row``, ``column`` are the first two
    players' mixed strategies.

    Attributes
    ----------
    lam : float
    row, column : tuple of float
        The first two players' mixed strategies (bimatrix: the row and column players').
    profile : tuple of tuple of float
        Every player's mixed strategy, in the game's order of players.

    Examples
    --------
    >>> BranchPoint(0.0, (0.5, 0.5), (1.0,)).profile
    ((0.5, 0.5), (1.0,))
    >>> BranchPoint(0.0, profile=((0.5, 0.5), (1.0,), (0.25, 0.75))).column
    (1.0,)
    """

    lam: float
    row: tuple[float, ...] = ()
    column: tuple[float, ...] = ()
    profile: tuple[tuple[float, ...], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Frozen: fill in the missing view of the same point.
        if not self.profile:
            object.__setattr__(self, "profile", (self.row, self.column))
        elif not self.row and not self.column:
            object.__setattr__(self, "row", self.profile[0])
            object.__setattr__(self, "column", self.profile[1] if len(self.profile) > 1 else ())


@dataclass(frozen=True)
class QREResult:
    """Logit quantal response equilibria of a game at several precisions.

    Attributes
    ----------
    game : Bimatrix, NormalForm, GameTree or SignallingGame
    parameters : dict of str to Fraction
        The values the parameters were bound to.
    points : tuple of QREPoint
        One per requested ``lambda``, in the order given.
    branch : tuple of BranchPoint
        Bimatrix, normal-form and signalling games: the principal branch as traced,
        from ``lambda = 0`` (empty for trees, whose agent QRE has a closed form). A
        signalling game's profile holds each agent's choice probabilities: the
        sender's types, then the receiver's messages.
    limit : MixedEquilibrium, PureEquilibrium, MixedProfile, SignallingEquilibrium or None
        The exact Nash equilibrium the branch approaches as ``lambda`` grows, or
        None if none lies within 1e-4 of the branch's last point. Bimatrix games: a
        :class:`~credibility.solvers.nash.MixedEquilibrium` from
        :func:`credibility.solve` (a degenerate game's limit may lie inside a
        segment of equilibria: None). Normal-form games: one of the equilibria
        :func:`credibility.solve` finds (pure, or a
        :class:`~credibility.solvers.normal_nash.MixedProfile`); of a game too large
        to enumerate by default, only pure ones are candidates. Signalling games: the
        perfect Bayesian equilibrium of :func:`credibility.solve` the agent QRE
        approaches (see :mod:`credibility.quantal.signalling`).
    limit_distance : float or None
        Largest difference of a probability between the branch's last point and
        ``limit`` (without a limit: the distance to the nearest candidate, or None if
        there is none).
    method : str
        ``"path-following"`` (bimatrix, normal form, signalling) or ``"backward-recursion"``
        (tree).
    bifurcations : tuple of (float, float)
        Where the traced branch passes a bifurcation point: the ``lambda`` of the branch's
        points either side of it. Another branch of QRE crosses there, and the principal branch is
        followed straight on (see :func:`credibility.quantal.branch.trace_system`). Such a
        game is not generic; Gambit's tracer stops at the first. Empty for trees.
    """

    game: Bimatrix | GameTree | NormalForm | SignallingGame | SymmetricGame
    parameters: dict[str, Fraction]
    points: tuple[QREPoint, ...]
    branch: tuple[BranchPoint, ...] = ()
    limit: (
        MixedEquilibrium
        | PureEquilibrium
        | MixedProfile
        | SignallingEquilibrium
        | SymmetricEquilibrium
        | None
    ) = None
    limit_distance: float | None = None
    method: str = ""
    bifurcations: tuple[tuple[float, float], ...] = ()

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
            "bifurcations": [[num(a), num(b)] for a, b in self.bifurcations],
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
        if self.game.kind == "normal":
            data.update(self._normal_dict(num))
        if self.game.kind == "signalling":
            data.update(self._signalling_dict(num, cast("list[JSONObject]", data["points"])))
        if self.game.kind == "symmetric":
            data.update(self._symmetric_dict(num, cast("list[JSONObject]", data["points"])))
        if self.game.kind == "bimatrix":
            game = cast("Bimatrix", self.game)  # the kind says so
            rows, cols = game.row_strategies, game.column_strategies
            limit = cast("MixedEquilibrium | None", self.limit)  # bimatrix: mixed
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

    def _normal_dict(self, num: Callable[[float], str]) -> JSONObject:
        """A normal-form game's ``limit`` and ``branch`` (profiles keyed by player)."""
        game = cast("NormalForm", self.game)  # the caller checked the kind
        players = game.players
        limit = cast("PureEquilibrium | MixedProfile | None", self.limit)  # normal: these
        strategies: JSONObject | None = None
        if limit is not None:
            strategies = {
                who: {s: str(x) for s, x in zip(labels, probs)}
                for who, labels, probs in zip(players, game.strategies, limit_profile(self))
            }
        return {
            "limit": (
                None
                if limit is None
                else {
                    "strategies": strategies,
                    "payoffs": {p: str(v) for p, v in zip(players, limit.payoffs)},
                    "distance": num(self.limit_distance or 0.0),
                }
            ),
            "branch": [
                {
                    "lambda": num(b.lam),
                    "profile": {
                        who: [num(x) for x in probs] for who, probs in zip(players, b.profile)
                    },
                }
                for b in self.branch
            ],
        }

    def _signalling_dict(self, num: Callable[[float], str], points: list[JSONObject]) -> JSONObject:
        """A signalling game's ``limit`` and ``branch`` (keyed by agent); adds each point's
        ``beliefs`` to ``points``."""
        from .signalling import agent_labels  # lazy: start-up time (numpy)

        game = cast("SignallingGame", self.game)  # the caller checked the kind
        agents = agent_labels(game)
        for entry, pt in zip(points, self.points):
            entry["beliefs"] = {
                m: {t: num(x) for t, x in belief.items()} for m, belief in pt.beliefs.items()
            }
        limit = cast("SignallingEquilibrium | None", self.limit)
        limit_data: JSONObject | None = None
        if limit is not None:
            rows = [*limit.sender, *limit.receiver]
            choices = [*(game.messages,) * len(game.types), *(game.responses,) * len(game.messages)]
            limit_data = {
                "class": str(limit.equilibrium_class),
                "strategies": {
                    agent: {c: str(x) for c, x in zip(names, row)}
                    for agent, names, row in zip(agents, choices, rows)
                },
                "beliefs": {
                    m: {t.name: str(x) for t, x in zip(game.types, belief)}
                    for m, belief in zip(game.messages, limit.beliefs)
                },
                "payoffs": {
                    who: str(v)
                    for who, v in zip([*agents[: len(game.types)], game.players[1]], limit.payoffs)
                },
                "distance": num(self.limit_distance or 0.0),
            }
        return {
            "limit": limit_data,
            "branch": [
                {
                    "lambda": num(b.lam),
                    "profile": {
                        who: [num(x) for x in probs] for who, probs in zip(agents, b.profile)
                    },
                }
                for b in self.branch
            ],
        }

    def _symmetric_dict(self, num: Callable[[float], str], points: list[JSONObject]) -> JSONObject:
        """A symmetric game's ``limit`` (as ``solve`` writes an equilibrium) and ``branch``;
        each point's payoff is keyed ``"each member"`` (every member's is the same)."""
        from ..solvers.symmetric import equilibrium_dict  # lazy: start-up time (sympy)

        for entry, pt in zip(points, self.points):
            entry["payoffs"] = {"each member": num(pt.payoffs[0])}
        limit = cast("SymmetricEquilibrium | None", self.limit)
        limit_data: JSONObject | None = None
        if limit is not None:
            game = cast("SymmetricGame", self.game)  # the caller checked the kind
            limit_data = {
                "strategies": {
                    "each member": {
                        game.actions[0]: str(limit.p),
                        game.actions[1]: str(1 - limit.p),
                    }
                },
                "payoffs": {"each member": str(limit.payoff)},
                "equilibrium": equilibrium_dict(limit, str),
                "distance": num(self.limit_distance or 0.0),
            }
        return {
            "limit": limit_data,
            "branch": [
                {"lambda": num(b.lam), "profile": {"each member": [num(x) for x in b.profile[0]]}}
                for b in self.branch
            ],
        }

    def to_pandas(self) -> pandas.DataFrame:
        """One row per point: ``lambda``, each player's payoff and each outcome's probability.

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
                **{f"payoff {who}": v for who, v in zip(players, pt.payoffs)},
                **pt.outcomes,
            }
            for pt in self.points
        ]
        return pd.DataFrame(rows)


def limit_profile(result: QREResult) -> tuple[tuple[Fraction | float | Value, ...], ...]:
    """Every player's mixed strategy in ``result.limit`` (exact), in the game's order.

    A bimatrix game's :class:`~credibility.solvers.nash.MixedEquilibrium` gives its
    ``row`` and ``column``; a pure equilibrium (normal-form games) puts probability 1
    on each player's strategy. Empty when there is no limit.
    """
    limit = result.limit
    if limit is None:
        return ()
    if result.game.kind == "bimatrix":
        mixed = cast("MixedEquilibrium", limit)
        return (tuple(mixed.row), tuple(mixed.column))
    from ..solvers.normal_nash import MixedProfile  # lazy: start-up time

    if isinstance(limit, MixedProfile):
        return limit.probabilities
    pure = cast("PureEquilibrium", limit)
    game = cast("NormalForm", result.game)
    return tuple(
        tuple(Fraction(int(k == chosen)) for k in range(m))
        for chosen, m in zip(pure.profile, game.shape)
    )

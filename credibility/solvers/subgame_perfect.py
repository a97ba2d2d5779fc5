"""Subgame-perfect equilibria of game trees, and the threats that are not credible.

``solve_tree`` binds the parameters, runs backward induction in exact
arithmetic (every pure subgame-perfect equilibrium, ties included), then builds
the tree's reduced strategic form, enumerates its Nash equilibria with the
bimatrix engine (two players; with three or more, its pure Nash equilibria as a
game in strategic form) and lists every move some Nash equilibrium prescribes at
a node where no subgame-perfect play would make it: a threat that is not credible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import product
from math import prod
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias, TypeVar, Union

from ..errors import GameTooLargeError
from ..expressions import format_number
from ..json_types import JSONObject
from ..models import GameTree
from ..models.common import Binding
from ..models.tree import Move, Node
from ..parameters import ParamValues
from ..render.display import Displayed, Named, Summarised, clipped, number
from .backward_induction import Plan, post_order, subgame_plans
from .exact import exact_sign
from .outcomes import tree_order, tree_outcome
from .tree_form import (
    PURE_ONLY_NOTE,
    ReducedForm,
    StrategicEquilibrium,
    expected_payoffs,
    reduced_form,
)

if TYPE_CHECKING:
    import sympy

__all__ = [
    "Induction",
    "NodeChoice",
    "NonCredibleThreat",
    "TreeEquilibrium",
    "TreeNames",
    "TreeSolution",
    "backward_induction",
    "equilibria_of",
    "solve_tree",
]

#: A payoff or probability: a Fraction, or a sympy expression in symbolic regions.
#: (``Union``: ``Fraction | "sympy.Expr"`` fails at run time.)
Value: TypeAlias = Union[Fraction, "sympy.Expr"]

T = TypeVar("T")


class TreeNames(NamedTuple):
    """The names a tree's equilibrium is read by: the players, and who moves at each node."""

    players: tuple[str, ...]
    movers: tuple[tuple[str, str], ...]  # (node path, player) for every decision node

    @classmethod
    def of(cls, game: GameTree) -> TreeNames:
        """The game's names."""
        nodes = game.decision_nodes()
        return cls(game.players, tuple((node.path, node.player or "") for node in nodes))


@dataclass(frozen=True, repr=False)
class TreeEquilibrium(Summarised):
    """One pure subgame-perfect equilibrium.

    Attributes
    ----------
    actions : dict of str to str
        The move chosen at every decision node, keyed by node path.
    path : tuple of str
        The moves played from the root; it stops at the first chance node
        that is a real lottery.
    payoffs : tuple of values
        Expected payoffs from the root, one per player, first player first.
    names : TreeNames or None
        The players and who moves where, which ``strategies`` and ``payoff`` are read
        by; a solution gives them to its equilibria. They take no part in comparing
        equilibria.

    Examples
    --------
    >>> import credibility as cr
    >>> e = cr.solve(cr.load("entry_deterrence")).equilibria[0]
    >>> e
    <TreeEquilibrium In > Accommodate (Entrant: In at the root; Incumbent: Accommodate at In); \
payoffs 1, 1>
    >>> e.strategies["Incumbent"], e.payoff["Entrant"]
    ({'In': 'Accommodate'}, Fraction(1, 1))
    """

    actions: dict[str, str]
    path: tuple[str, ...]
    payoffs: tuple[Value, ...]
    names: TreeNames | None = field(default=None, compare=False)

    @property
    def outcome(self) -> str:
        """The path as a label: moves joined by ``" > "`` (``"(chance)"`` if empty)."""
        return " > ".join(self.path) or "(chance)"

    @property
    def strategies(self) -> Mapping[str, Mapping[str, str]]:
        """Each player's move at each of the player's nodes (by node path; ``""`` the root)."""
        names = self._names()
        return Named(
            names.players,
            (
                Named(*_unzip([(n, self.actions[n]) for n, mover in names.movers if mover == p]))
                for p in names.players
            ),
        )

    @property
    def payoff(self) -> Mapping[str, Value]:
        """Each player's expected payoff, by name (read only)."""
        return Named(self._names().players, self.payoffs)

    def _names(self) -> TreeNames:
        if self.names is None:
            raise AttributeError(
                "this equilibrium carries no names: the equilibria of cr.solve() have them"
            )
        return self.names

    def _summary(self) -> str:
        def moves(nodes: list[str]) -> str:
            return ", ".join(f"{self.actions[n]} at {'the root' if n == '' else n}" for n in nodes)

        if self.names is None:
            shown = moves(list(self.actions))
        else:
            shown = "; ".join(
                f"{player}: {moves([n for n, mover in self.names.movers if mover == player])}"
                for player in self.names.players
            )
        return f"{self.outcome} ({shown}); payoffs {', '.join(map(number, self.payoffs))}"


def _unzip(pairs: list[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(n for n, _ in pairs), tuple(m for _, m in pairs)


@dataclass(frozen=True)
class NonCredibleThreat:
    """A move a Nash equilibrium prescribes where it is not a best response.

    Attributes
    ----------
    node : str
        The node's path.
    player : str
        The player who moves there.
    threat : str
        The move the Nash equilibrium prescribes.
    best : tuple of str
        The moves subgame-perfect play chooses at that node.
    threat_value, best_value : Fraction
        The mover's payoff from the threat and from the best move, with
        subgame-perfect play afterwards.
    equilibria : tuple of str
        The Nash equilibria of the strategic form that rest on the threat.
    """

    node: str
    player: str
    threat: str
    best: tuple[str, ...]
    threat_value: Fraction
    best_value: Fraction
    equilibria: tuple[str, ...]


@dataclass(frozen=True)
class NodeChoice:
    """What backward induction compares at one node (for ``--explain``).

    Attributes
    ----------
    node : str
        The node's path.
    mover : str
        The player moving there, or ``"chance"``.
    options : tuple of (str, tuple of values)
        Each move and the payoffs (to the mover; to every player at a chance
        node) that subgame-perfect play after it gives.
    chosen : tuple of str
        The moves some subgame-perfect equilibrium picks (empty at chance nodes).
    probabilities : tuple of values
        The moves' probabilities at a chance node (empty elsewhere).
    """

    node: str
    mover: str
    options: tuple[tuple[str, tuple[Value | tuple[Value, ...], ...]], ...]
    chosen: tuple[str, ...]
    probabilities: tuple[Value, ...] = ()


@dataclass(frozen=True, repr=False)
class TreeSolution(Displayed):
    """The subgame-perfect equilibria of a tree and the threats that are not credible.

    Attributes
    ----------
    game : GameTree
    parameters : dict of str to Fraction
        The values the parameters were bound to.
    exact : bool
        Report exact fractions (True) or decimals.
    equilibria : tuple of TreeEquilibrium
        Every pure subgame-perfect equilibrium.
    non_credible_threats : tuple of NonCredibleThreat, or None
        None when the strategic form was too large to analyse (see ``note``).
    choices : tuple of NodeChoice
        The comparisons of backward induction, from the leaves up.
    strategic_form : ReducedForm or None
        The reduced strategic form and its Nash equilibria.
    note : str
        Why the strategic form was not analysed, if it was not; with three or
        more players, that only its pure Nash equilibria were computed.

    ``str()`` is the text ``credibility solve`` prints, ``repr()`` one line, and a
    notebook shows the table (:mod:`credibility.render.display`); ``to_pandas()`` has a
    row per equilibrium.
    """

    game: GameTree
    parameters: dict[str, Fraction]
    exact: bool
    equilibria: tuple[TreeEquilibrium, ...]
    non_credible_threats: tuple[NonCredibleThreat, ...] | None
    choices: tuple[NodeChoice, ...]
    strategic_form: ReducedForm | None = None
    note: str = ""

    kind = "tree"

    def __post_init__(self) -> None:
        # The equilibria carry the game's names, to be read by them (e.strategies["Entrant"]).
        names = TreeNames.of(self.game)
        if any(e.names != names for e in self.equilibria):
            named = tuple(replace(e, names=names) for e in self.equilibria)
            object.__setattr__(self, "equilibria", named)

    @property
    def outcome(self) -> str:
        """The outcome label (:func:`~credibility.solvers.outcomes.tree_outcome`)."""
        return tree_outcome(self.game, self.equilibria)

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility solve`` on a tree."""
        players = self.game.players

        def fmt(value: Fraction) -> str:
            return format_number(value, self.exact)

        result: JSONObject = {
            "format": 1,
            "kind": "tree",
            "game": self.game.info.label,
            "players": list(players),
            "parameters": {name: fmt(v) for name, v in self.parameters.items()},
            "exact": self.exact,
            "complete": True,
            "equilibria": [
                {
                    "actions": dict(e.actions),
                    "path": list(e.path),
                    "payoffs": {p: fmt(v) for p, v in zip(players, e.payoffs)},
                }
                for e in self.equilibria
            ],
            # The contract wants a list; "threats_analysed" tells an empty one from a skipped one.
            "non_credible_threats": [
                {
                    "node": t.node,
                    "player": t.player,
                    "threat": t.threat,
                    "best": " or ".join(t.best),
                    "equilibria": list(t.equilibria),
                }
                for t in self.non_credible_threats or ()
            ],
            "threats_analysed": self.non_credible_threats is not None,
        }
        form = self.strategic_form
        if form is not None:
            result["nash_equilibria"] = [
                {
                    "strategies": {
                        player: {label: fmt(w) for label, w in zip(form.labels[i], e.strategies[i])}
                        for i, player in enumerate(players)
                    },
                    "payoffs": {p: fmt(v) for p, v in zip(players, e.payoffs)},
                    "subgame_perfect": not _threats_in(form, e, self.non_credible_threats),
                }
                for e in form.equilibria
            ]
        if self.note:
            result["note"] = self.note
        return result

    def _summary(self) -> str:
        count = len(self.equilibria)
        noun = "equilibrium" if count == 1 else "equilibria"
        threats = self.non_credible_threats
        if threats is None:
            said = "threats not analysed"
        else:
            said = f"{len(threats)} threat{'' if len(threats) == 1 else 's'} not credible"
        name = self.game.info.name or self.game.info.label
        how = "exact" if self.exact else "decimals"
        return f"{name}: {count} subgame-perfect {noun} ({clipped(self.outcome)}), {said}, {how}"

    def _columns(self) -> dict[str, list[Any]]:
        """The path, the move at each decision node (as the text's table), payoffs."""
        nodes = [path for path, _ in TreeNames.of(self.game).movers]
        columns: dict[str, list[Any]] = {"path": [e.outcome for e in self.equilibria]}
        for path in nodes:
            columns[path or "root"] = [e.actions[path] for e in self.equilibria]
        for k, player in enumerate(self.game.players):
            values = [e.payoffs[k] for e in self.equilibria]
            columns[f"payoff_{player}"] = values if self.exact else [float(v) for v in values]
        return columns


def solve_tree(
    game: GameTree, params: ParamValues | None = None, *, exact: bool = True
) -> TreeSolution:
    """Every pure subgame-perfect equilibrium of a tree, and its non-credible threats.

    Parameters
    ----------
    game : GameTree
    params : mapping of str to number or fraction string, optional
        Parameter values overriding the defaults.
    exact : bool
        Report exact fractions (default) or decimals; the computation is exact
        either way.

    Returns
    -------
    TreeSolution

    Raises
    ------
    GameTooLargeError
        If ties make too many subgame-perfect equilibria to list.

    Examples
    --------
    Selten's (1978) entry game: entry is met with accommodation, and the
    threat to fight, on which the Nash equilibrium (Out, Fight) rests, is not
    credible.

    >>> import sympy
    >>> from credibility import GameTree, Move, Node
    >>> leaf = lambda path, a, b: Node(path, payoffs=(sympy.Integer(a), sympy.Integer(b)))
    >>> entry = Node("In", player="Incumbent",
    ...              moves=(Move("Fight", leaf("In/Fight", -1, -1)),
    ...                     Move("Accommodate", leaf("In/Accommodate", 1, 1))))
    >>> tree = GameTree(("Entrant", "Incumbent"),
    ...                 Node("", player="Entrant",
    ...                      moves=(Move("Out", leaf("Out", 0, 2)), Move("In", entry))))
    >>> solution = solve_tree(tree)
    >>> [(e.path, e.payoffs) for e in solution.equilibria]
    [(('In', 'Accommodate'), (Fraction(1, 1), Fraction(1, 1)))]
    >>> [(t.node, t.threat, t.best) for t in solution.non_credible_threats]
    [('In', 'Fight', ('Accommodate',))]
    """
    binding, payoffs, probabilities, plans, equilibria = backward_induction(game, params)
    choices = tuple(explain_choices(game, plans, probabilities))
    form: ReducedForm | None = None
    threats: tuple[NonCredibleThreat, ...] | None = None
    note = ""
    try:
        form = reduced_form(game, payoffs, probabilities)
    except GameTooLargeError as error:
        note = f"non-credible threats not analysed: {error.message}"
    else:
        threats = non_credible_threats(game, plans, form, payoffs, probabilities)
        if form.pure_only:
            note = PURE_ONLY_NOTE
    return TreeSolution(
        game=game,
        parameters=dict(binding.values),
        exact=exact,
        equilibria=equilibria,
        non_credible_threats=threats,
        choices=choices,
        strategic_form=form,
        note=note,
    )


class Induction(NamedTuple):
    """What exact backward induction at bound parameter values produced."""

    binding: Binding
    payoffs: dict[str, tuple[Fraction, ...]]
    probabilities: dict[tuple[str, str], Fraction]
    plans: dict[str, list[Plan]]
    equilibria: tuple[TreeEquilibrium, ...]


def backward_induction(game: GameTree, params: ParamValues | None = None) -> Induction:
    """Bind the parameters and run exact backward induction (no strategic form).

    Returns the binding, the exact terminal payoffs and chance probabilities,
    every subgame's plans and the subgame-perfect equilibria of the game.
    """
    binding = game.bind(params)
    payoffs = {
        node.path: tuple(binding.value(x) for x in node.payoffs)
        for node in game.nodes()
        if node.payoffs is not None
    }
    probabilities = {
        (node.path, move.name): binding.value(move.probability)
        for node in game.nodes()
        if node.chance
        for move in node.moves
    }
    plans = subgame_plans(
        game,
        lambda node: payoffs[node.path],
        lambda node, move: probabilities[(node.path, move.name)],
        exact_sign,
    )
    equilibria = equilibria_of(
        plans[game.root.path], lambda node, move: probabilities[(node.path, move.name)] == 1
    )
    return Induction(binding, payoffs, probabilities, plans, equilibria)


def equilibria_of(
    plans: list[Plan],
    is_one: Callable[[Node, Move], bool],
    simplify: Callable[[Value], Value] | None = None,
) -> tuple[TreeEquilibrium, ...]:
    """The equilibria the root's plans describe (``is_one`` tells a chance move that is sure).

    They come in the tree's order (:func:`~credibility.solvers.outcomes.tree_order`:
    by path, then by the moves off it), so the first is the same whoever
    compared the payoffs.
    """
    equilibria = (
        TreeEquilibrium(
            plan.actions(),
            plan.path(is_one),
            plan.payoffs if simplify is None else tuple(simplify(x) for x in plan.payoffs),
        )
        for plan in plans
    )
    root = plans[0].node
    return tuple(sorted(equilibria, key=lambda e: tree_order(root, e)))


def explain_choices(
    game: GameTree, plans: dict[str, list[Plan]], probabilities: dict[tuple[str, str], Value]
) -> list[NodeChoice]:
    """The comparison made at each decision and chance node, from the leaves up."""
    choices = []
    for node in post_order(game):
        if node.payoffs is not None:
            continue
        if node.chance:
            options = tuple(
                (move.name, _distinct(tuple(plan.payoffs) for plan in plans[move.node.path]))
                for move in node.moves
            )
            weights = tuple(probabilities[(node.path, move.name)] for move in node.moves)
            choices.append(NodeChoice(node.path, "chance", options, (), weights))
            continue
        mover = game.players.index(node.player)
        options = tuple(
            (move.name, _distinct(plan.payoffs[mover] for plan in plans[move.node.path]))
            for move in node.moves
        )
        chosen = _distinct(
            node.moves[plan.choice].name  # type: ignore[index]
            for plan in plans[node.path]
        )
        choices.append(NodeChoice(node.path, node.player, options, chosen))  # type: ignore[arg-type]
    return choices


def non_credible_threats(
    game: GameTree,
    plans: dict[str, list[Plan]],
    form: ReducedForm,
    payoffs: dict[str, tuple[Fraction, ...]],
    probabilities: dict[tuple[str, str], Fraction],
) -> tuple[NonCredibleThreat, ...]:
    """Moves some Nash equilibrium of ``form`` prescribes where they are not a best response.

    For each extreme Nash equilibrium (each pure one, with three or more players)
    and each reduced strategy it plays, every
    move the strategy names is checked against the other moves at its node,
    with play afterwards as the equilibrium has it: the player's own strategy
    and the others' (independent) mixtures (nodes a reduced strategy leaves out are played
    as in the first subgame-perfect equilibrium). A move that does worse than
    another there is a threat that is not credible. On the equilibrium path
    this cannot happen, so the threats sit at nodes the equilibrium never
    reaches.
    """
    default = plans[game.root.path][0].actions()
    nodes = {node.path: node for node in game.decision_nodes()}
    found: dict[tuple[str, str], tuple[tuple[str, ...], Fraction, Fraction, list[str]]] = {}
    for equilibrium in form.equilibria:
        profile = form.describe(equilibrium)
        for i in range(len(form.strategies)):
            supports = [
                [(w, s) for w, s in zip(equilibrium.strategies[j], form.strategies[j]) if w > 0]
                for j in range(len(form.strategies))
                if j != i
            ]
            opponent = [
                (prod(w for w, _ in combo), {p: m for _, s in combo for p, m in s})
                for combo in product(*supports)
            ]
            for weight, strategy in zip(equilibrium.strategies[i], form.strategies[i]):
                if weight == 0:
                    continue
                own = dict(strategy)
                plays = [(w, default | s | own) for w, s in opponent]
                for path, move in strategy:
                    node = nodes[path]
                    values = {
                        m.name: sum(
                            (
                                w * expected_payoffs(m.node, moves, payoffs, probabilities)[i]
                                for w, moves in plays
                            ),
                            Fraction(0),
                        )
                        for m in node.moves
                    }
                    top = max(values.values())
                    if values[move] < top:
                        best = tuple(name for name, v in values.items() if v == top)
                        entry = found.setdefault((path, move), (best, values[move], top, []))
                        if profile not in entry[3]:
                            entry[3].append(profile)
    order = {path: index for index, path in enumerate(nodes)}
    return tuple(
        NonCredibleThreat(
            node=path,
            player=nodes[path].player,  # type: ignore[arg-type]
            threat=move,
            best=best,
            threat_value=threat_value,
            best_value=best_value,
            equilibria=tuple(profiles),
        )
        for (path, move), (best, threat_value, best_value, profiles) in sorted(
            found.items(), key=lambda item: (order[item[0][0]], item[0][1])
        )
    )


def _threats_in(
    form: ReducedForm,
    equilibrium: StrategicEquilibrium,
    threats: tuple[NonCredibleThreat, ...] | None,
) -> bool:
    profile = form.describe(equilibrium)
    return any(profile in threat.equilibria for threat in threats or ())


def _distinct(values: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))

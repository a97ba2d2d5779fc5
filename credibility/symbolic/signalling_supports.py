"""Where perfect Bayesian equilibria of each class exist, with parameters kept symbolic.

Fix the supports: the messages ``S[t]`` each type sends and the responses
``B[m]`` the receiver plays after each message. As in the exact solver
(:mod:`credibility.solvers.pbe_supports`), an equilibrium with exactly these
supports exists iff three independent systems of linear constraints are
solvable:

* the sender's, in the unnormalised weights ``w[t][m] = p[t] sigma[t][m]``
  (positive on ``S[t]``, summing to ``p[t]``): after each message on the
  path, the responses in ``B[m]`` are equally good for the receiver and no
  other is better (Bayes' rule multiplied through by the message's
  probability, so the weights enter linearly);
* the receiver's, in ``rho[m][r]`` (positive on ``B[m]``, summing to 1):
  each type is indifferent between the messages it sends and prefers them to
  the others;
* for each message off the path, some belief makes every response of
  ``B[m]`` a best reply.

With payoffs and priors polynomial in the parameters, each system's
solvability is a Boolean formula of polynomial inequalities
(:func:`credibility.symbolic.feasibility.solvable`); a class of equilibrium
exists wherever the formula of some support profile of that class holds.
Profiles are classed by their supports, so a class "exists" where some
equilibrium of it does, including points inside a continuum whose extreme
points (what ``solve`` lists) are of another class. Classes depend on the
sender's supports alone (:mod:`credibility.solvers.pbe_classes`): a profile
whose receiver mixes counts for the class of its sender strategy. Priors
are assumed positive, except those of the types named ``absent`` (prior 0:
they still best reply, Bayes' rule and the classes ignore them, as in the
solver).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from itertools import product
from typing import Any, TypedDict, Unpack

import sympy

from ..models import SignallingGame
from ..solvers.pbe_classes import SignallingClass, sender_class
from ..solvers.support_systems import (
    K,
    Row,
    System,
    profile_count,
    receiver_rows,
    receiver_system,
    sender_system,
    subsets,
)
from .budget import checkpoint, note
from .feasibility import Linear, solvable

__all__ = [
    "MIXED_CLASSES",
    "class_conditions",
    "profile_conditions",
    "support_profiles",
]

#: The classes whose existence needs mixed supports.
MIXED_CLASSES = (SignallingClass.SEMI_SEPARATING,)

Supports = tuple[tuple[int, ...], ...]
ONE = sympy.Integer(1)


def support_profiles(
    game: SignallingGame, absent: Collection[int] = (), mixed: bool = True
) -> Iterator[tuple[str, Supports, Supports]]:
    """Every support profile ``(S, B)`` with its class, in a fixed order.

    Parameters
    ----------
    game : SignallingGame
    absent : collection of int
        Types of prior 0: the class ignores their supports.
    mixed : bool
        All supports (default), or single messages and responses only.

    Examples
    --------
    >>> import credibility as cr
    >>> profiles = list(support_profiles(cr.load("sinking_costs")))
    >>> len(profiles), sum(kind in MIXED_CLASSES for kind, _, _ in profiles)
    (81, 45)
    """
    size = len(game.types)
    messages = subsets(len(game.messages), mixed)
    responses = subsets(len(game.responses), mixed)
    for sender in product(messages, repeat=size):
        present = tuple(s for t, s in enumerate(sender) if t not in absent)
        for receiver in product(responses, repeat=len(game.messages)):
            yield sender_class(present), sender, receiver


class Selection(TypedDict, total=False):
    """Which support profiles :func:`class_conditions` visits (its keywords)."""

    absent: Collection[int]
    mixed: bool
    classes: Collection[str] | None


def class_conditions(
    game: SignallingGame,
    fixed: Mapping[sympy.Symbol, Any] | None = None,
    bounds: Mapping[sympy.Symbol, tuple[Any, Any]] | None = None,
    **selection: Unpack[Selection],
) -> dict[str, sympy.Boolean]:
    """For each class of equilibrium, the exact condition for one to exist.

    Parameters
    ----------
    game : SignallingGame
        Any number of types (priors assumed positive, but for ``absent``).
    fixed : mapping of sympy.Symbol to number, optional
        Parameters bound to values (substituted first: the fewer symbols, the
        smaller the formulas).
    bounds : mapping of sympy.Symbol to (low, high), optional
        Bounds of the parameters left symbolic (signs they decide are not
        split on).
    absent : collection of int
        Types whose prior is 0 at the points of interest.
    mixed : bool
        Visit every support profile (default), or the pure ones only.
    classes : collection of str, optional
        The classes wanted (default: every class some profile has).

    Returns
    -------
    dict of str to sympy.Boolean
        Each class, a disjunction over the support profiles of that class.

    Examples
    --------
    Three types of defender (resolved, wavering, irresolute) and a costly
    signal ``m``: the resolved type alone signals, and the other two pool on
    staying quiet (partially pooling), iff ``2 <= m <= 3``: too dear for the
    wavering type (worth 2 to it), cheap enough for the resolved one.

    >>> from credibility.io.toml_loader import parse_toml
    >>> def row(win, loss, value):
    ...     return (f'{{Signal = {{Fight = ["{win} - m", {loss}], Yield = ["{value} - m", 0]}}, '
    ...             f'Quiet = {{Fight = [{win}, {loss}], Yield = [{value}, 0]}}}}')
    >>> game = parse_toml("\\n".join([
    ...     'kind = "signalling"', 'players = ["D", "C"]', 'messages = ["Signal", "Quiet"]',
    ...     'responses = ["Fight", "Yield"]', 'parameters.m = {default = 1, min = 0}',
    ...     '[types.Resolved]', 'prior = "1/3"', f'payoffs = {row(1, -2, 4)}',
    ...     '[types.Wavering]', 'prior = "1/3"', f'payoffs = {row(0, 1, 2)}',
    ...     '[types.Irresolute]', 'prior = "1/3"', f'payoffs = {row(-1, 1, 1)}']))
    >>> conditions = class_conditions(game)
    >>> m = game.parameters[0].symbol
    >>> [bool(conditions["partially pooling"].subs(m, x)) for x in (1, 2, 3, 4)]
    [False, True, True, False]
    """
    found: dict[str, list[sympy.Boolean]] = {kind: [] for kind in _classes(game, **selection)}
    for kind, _, _, condition in profile_conditions(game, fixed, bounds, **selection):
        found[kind].append(condition)
    return {kind: sympy.Or(*conditions) for kind, conditions in found.items()}


def profile_conditions(
    game: SignallingGame,
    fixed: Mapping[sympy.Symbol, Any] | None = None,
    bounds: Mapping[sympy.Symbol, tuple[Any, Any]] | None = None,
    *,
    absent: Collection[int] = (),
    mixed: bool = True,
    classes: Collection[str] | None = None,
) -> Iterator[tuple[str, Supports, Supports, sympy.Boolean]]:
    """Each support profile that may hold: its class, supports and exact condition.

    The parameters are those of :func:`class_conditions`; profiles whose
    condition is identically ``False`` are left out. A pure profile's
    condition is that of its one equilibrium, so a sweep counts pure
    equilibria by them.

    Examples
    --------
    The pure equilibria of tying hands at the defaults: one, pooling on
    staying quiet, with a challenge after either message.

    >>> import credibility as cr
    >>> game = cr.load("tying_hands")
    >>> fixed = {p.symbol: sympy.Rational(p.default) for p in game.parameters}
    >>> [(kind, s, b) for kind, s, b, c in profile_conditions(game, fixed, mixed=False)]
    [('pooling', ((1,), (1,)), ((0,), (0,)))]
    """
    substitution = dict(fixed or {})
    sender = [
        [[sympy.expand(pair[0].xreplace(substitution)) for pair in row] for row in t.payoffs]
        for t in game.types
    ]
    receiver = [
        [[sympy.expand(pair[1].xreplace(substitution)) for pair in row] for row in t.payoffs]
        for t in game.types
    ]
    priors = [sympy.expand(t.prior.xreplace(substitution)) for t in game.types]
    systems = _Systems(sender, receiver, priors, dict(bounds or {}), set(absent))
    total = profile_count(len(game.types), len(game.messages), len(game.responses), mixed)
    for done, (kind, sender_supports, receiver_supports) in enumerate(
        support_profiles(game, absent, mixed)
    ):
        checkpoint("candidates", done, total, unit="support profiles")
        if classes is not None and kind not in classes:
            continue
        condition = systems.condition(sender_supports, receiver_supports)
        if condition is not sympy.false:
            note([condition])
            yield kind, sender_supports, receiver_supports, condition


def _classes(
    game: SignallingGame,
    absent: Collection[int] = (),
    mixed: bool = True,
    classes: Collection[str] | None = None,
) -> list[str]:
    """The classes of the support profiles selected (those in ``classes`` only), in order."""
    found = dict.fromkeys(kind for kind, _, _ in support_profiles(game, absent, mixed))
    return [kind for kind in found if classes is None or kind in classes]


class _Systems:
    """The three systems of a support profile, with the sender's and beliefs' cached."""

    def __init__(
        self,
        sender: list[list[list[sympy.Expr]]],
        receiver: list[list[list[sympy.Expr]]],
        priors: list[sympy.Expr],
        bounds: dict[sympy.Symbol, tuple[Any, Any]],
        absent: set[int],
    ):
        self.sender, self.receiver, self.priors, self.bounds = sender, receiver, priors, bounds
        self.types = range(len(priors))
        self.present = [t for t in self.types if t not in absent]
        self.cache: dict[Any, sympy.Boolean] = {}

    def condition(self, supports: Supports, responses: Supports) -> sympy.Boolean:
        n = len(responses)
        on_path = [any(m in supports[t] for t in self.present) for m in range(n)]
        parts = []
        for m in range(n):
            if not on_path[m]:
                parts.append(
                    self._cached(("belief", m, responses[m]), self._belief, m, responses[m])
                )
                if parts[-1] is sympy.false:
                    return sympy.false
        on = tuple(responses[m] if on_path[m] else () for m in range(n))
        parts.append(self._cached(("sender", supports, on), self._sender_system, supports, on))
        if parts[-1] is sympy.false:
            return sympy.false
        parts.append(self._receiver_system(supports, responses))
        return sympy.And(*parts)

    def _cached(self, key: Any, build: Any, *args: Any) -> sympy.Boolean:
        if key not in self.cache:
            self.cache[key] = build(*args)
        return self.cache[key]

    def _belief(self, m: int, support: tuple[int, ...]) -> sympy.Boolean:
        """Some belief ``mu`` over the types makes every response of ``support`` a best reply."""
        size = len(self.types)
        rows = [Linear.of(size, {t: 1}, 0, ">=") for t in self.types]
        rows.append(Linear.of(size, {t: 1 for t in self.types}, -1, "=="))
        only = [support if i == m else () for i in range(len(self.receiver[0]))]
        beliefs = receiver_rows(self.receiver, only, lambda t, _: {t: ONE})
        rows += _linear(beliefs, {t: t for t in self.types})
        return solvable(rows, self.bounds)

    def _sender_system(self, supports: Supports, on_path: Supports) -> sympy.Boolean:
        if len(self.present) == 1:  # Bayes' rule puts all weight on the present type
            (present,) = self.present
            weight = {None: ONE}
            rows = receiver_rows(
                self.receiver, on_path, lambda t, _: weight if t == present else {}
            )
            return solvable(_linear(rows, {}), self.bounds)
        ones = [ONE] * len(self.types)
        return self._solvable(
            sender_system(self.receiver, supports, on_path, ones, self.priors, self.present)
        )

    def _receiver_system(self, supports: Supports, responses: Supports) -> sympy.Boolean:
        return self._solvable(receiver_system(self.sender, supports, responses, ONE))

    def _solvable(self, system: System[tuple[int, int], sympy.Expr]) -> sympy.Boolean:
        """``system`` solvable with every variable positive."""
        index = {v: i for i, v in enumerate(system.variables)}
        size = len(index)
        rows = [Linear.of(size, {i: 1}, 0, ">") for i in range(size)]
        for group, total in system.totals:
            rows.append(Linear.of(size, {index[v]: 1 for v in group}, -total, "=="))
        rows += _linear(system.rows, index)
        return solvable(rows, self.bounds)


def _linear(rows: Sequence[Row[K, sympy.Expr]], index: Mapping[K, int]) -> list[Linear]:
    """``rows`` as constraints in the variables of ``index``; the others are 1 (constant terms)."""
    constraints = []
    for row in rows:
        terms = {index[v]: c for v, c in row.terms.items() if v in index}
        constant = sum((c for v, c in row.terms.items() if v not in index), sympy.Integer(0))
        constraints.append(Linear.of(len(index), terms, constant, row.relation))
    return constraints

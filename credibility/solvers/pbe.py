"""Perfect Bayesian equilibria of signalling games: the public solver and its result objects.

``solve_signalling`` binds the parameters, evaluates the game exactly
(:mod:`~credibility.solvers.pbe_bound`), enumerates the equilibria by supports
(:mod:`~credibility.solvers.pbe_supports`), verifies each one exactly, and
describes it: its class, the beliefs on and off the path (with the whole
range of off-path beliefs that support it), each type's payoff, the
intuitive criterion and D1 (:mod:`~credibility.solvers.pbe_refinements`).
It also solves the Harsanyi strategic form and flags its Nash equilibria that
are not perfect Bayesian (:mod:`~credibility.solvers.harsanyi`).

Classes (:mod:`~credibility.solvers.pbe_classes`) are properties of the
sender's strategy: ``separating``, ``pooling``, ``partially pooling`` (three
or more types) and ``semi-separating`` (some type mixes; Gibbons's
*hybrid*).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, NamedTuple

from ..errors import GameTooLargeError
from ..expressions import format_number
from ..json_types import JSONObject
from ..models import SignallingGame
from ..parameters import ParamValues
from ..render.display import Displayed, Named, Summarised, clipped, number
from .harsanyi import HarsanyiResult, beliefs_and_vertices, nash_not_bayesian
from .pbe_bound import BoundSignallingGame, Matrix, pbe_violations
from .pbe_classes import SignallingClass, outcome_label, sender_class
from .pbe_refinements import d1_failure, d1_types, intuitive_failure, intuitive_types
from .pbe_supports import MAX_PROFILES, enumerate_pbe_vertices, profile_count

__all__ = [
    "SignallingEquilibrium",
    "SignallingNames",
    "SignallingSolution",
    "classify",
    "solve_signalling",
]

Belief = tuple[Fraction, ...]


class SignallingNames(NamedTuple):
    """The names a signalling equilibrium is read by: players, types, messages, responses."""

    players: tuple[str, str]
    types: tuple[str, ...]
    messages: tuple[str, ...]
    responses: tuple[str, ...]

    @classmethod
    def of(cls, game: SignallingGame, form: BoundSignallingGame) -> SignallingNames:
        """The game's names (the types, messages and responses as ``form`` has them)."""
        return cls(game.players, form.types, form.messages, form.responses)


@dataclass(frozen=True, repr=False)
class SignallingEquilibrium(Summarised):
    """One perfect Bayesian equilibrium.

    Attributes
    ----------
    sender : Matrix
        ``sender[t][m]``: probability that type ``t`` sends ``m``.
    receiver : Matrix
        ``receiver[m][r]``: probability of response ``r`` after ``m``.
    beliefs : Matrix
        ``beliefs[m][t]``: Bayes' rule on the path, one supporting belief off it.
    off_path : tuple of int
        Messages no type sends (with positive prior).
    belief_vertices : dict of int to tuple of Belief
        For each off-path message, the corners of the beliefs that support
        some response there that keeps the equilibrium.
    surviving_beliefs : dict of int to (tuple of int, tuple of int)
        For each off-path message, the types the intuitive criterion and D1
        let beliefs rest on there (every type when the test says nothing).
    off_path_responses : dict of int to tuple of tuple of Fraction
        For each off-path message, the extreme responses (receiver mixtures)
        that keep the equilibrium: equilibria that differ only off the path
        are one entry, and ``receiver`` shows one of them.
    payoffs : tuple of Fraction
        Each type's expected payoff, then the receiver's ex-ante payoff.
    equilibrium_class : SignallingClass
    intuitive, d1 : bool
        Whether it survives the intuitive criterion and D1, as tests of the
        outcome: D1 holds if some off-path response that keeps the
        equilibrium is a best reply to a belief D1 allows (``receiver`` then
        shows such a response).
    intuitive_reason : str
        Why it fails the intuitive criterion (empty if it passes).
    d1_reason : str
        Why it fails criterion D1 (empty if it passes).
    component : int
        Connected component of the equilibrium set.
    continuum : bool
        True if it is an extreme point of a continuum of equilibria.
    names : SignallingNames or None
        The players, types, messages and responses, which ``strategies``, ``belief``
        and ``payoff`` are read by; a solution gives them to its equilibria. They take
        no part in comparing equilibria.

    Examples
    --------
    >>> import credibility as cr
    >>> e = cr.solve(cr.load("sinking_costs")).equilibria[0]
    >>> e  # doctest: +ELLIPSIS
    <SignallingEquilibrium separating | sends Resolved: Mobilise; Irresolute: Stand pat | ...>
    >>> e.strategies["Defender"]["Irresolute"]["Stand pat"], e.belief["Mobilise"]["Resolved"]
    (Fraction(1, 1), Fraction(1, 1))
    >>> e.strategies["Challenger"]["Stand pat"]["Challenge"], e.payoff["Challenger"]
    (Fraction(1, 1), Fraction(7, 10))
    """

    sender: Matrix
    receiver: Matrix
    beliefs: Matrix
    off_path: tuple[int, ...]
    belief_vertices: dict[int, tuple[Belief, ...]]
    payoffs: tuple[Fraction, ...]
    equilibrium_class: SignallingClass
    intuitive: bool
    d1: bool
    intuitive_reason: str = ""
    d1_reason: str = ""
    component: int = 0
    continuum: bool = False
    off_path_responses: dict[int, tuple[tuple[Fraction, ...], ...]] = field(default_factory=dict)
    surviving_beliefs: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = field(
        default_factory=dict
    )
    names: SignallingNames | None = field(default=None, compare=False)

    @property
    def strategies(self) -> Mapping[str, Mapping[str, Mapping[str, Fraction]]]:
        """The sender's strategy (type -> message -> probability) and the receiver's
        (message -> response -> probability), keyed by the players' names (read only)."""
        names = self._names()
        sender = Named(names.types, (Named(names.messages, row) for row in self.sender))
        receiver = Named(names.messages, (Named(names.responses, row) for row in self.receiver))
        return Named(names.players, (sender, receiver))

    @property
    def belief(self) -> Mapping[str, Mapping[str, Fraction]]:
        """The receiver's belief after each message: message -> type -> probability."""
        names = self._names()
        return Named(names.messages, (Named(names.types, row) for row in self.beliefs))

    @property
    def payoff(self) -> Mapping[str, Fraction]:
        """Each type's expected payoff, then the receiver's ex-ante payoff, by name."""
        names = self._names()
        return Named((*names.types, names.players[1]), self.payoffs)

    def _names(self) -> SignallingNames:
        if self.names is None:
            raise AttributeError(
                "this equilibrium carries no names: the equilibria of cr.solve() have them"
            )
        return self.names

    def _summary(self) -> str:
        def mix(labels: tuple[str, ...], row: tuple[Fraction, ...]) -> str:
            support = [(label, p) for label, p in zip(labels, row) if p != 0]
            if len(support) == 1 and support[0][1] == 1:
                return support[0][0]
            return ", ".join(f"{label} {number(p)}" for label, p in support)

        if self.names is None:
            sends = "; ".join(f"({', '.join(map(number, row))})" for row in self.sender)
            responds = "; ".join(f"({', '.join(map(number, row))})" for row in self.receiver)
            payoffs = ", ".join(map(number, self.payoffs))
        else:
            _, types, messages, responses = self.names
            sends = "; ".join(f"{t}: {mix(messages, row)}" for t, row in zip(types, self.sender))
            responds = "; ".join(
                f"{m}: {mix(responses, row)}" for m, row in zip(messages, self.receiver)
            )
            payoffs = ", ".join(f"{p} {number(u)}" for p, u in self.payoff.items())
        return f"{self.equilibrium_class} | sends {sends} | responds {responds} | payoffs {payoffs}"

    @property
    def pure(self) -> bool:
        """True if neither player mixes."""
        return all(x in (0, 1) for row in self.sender + self.receiver for x in row)

    def belief_range(self, m: int) -> tuple[Fraction, Fraction]:
        """The interval of the first type's posterior that supports a response to ``m``."""
        firsts = [belief[0] for belief in self.belief_vertices[m]]
        return min(firsts), max(firsts)

    def response_ranges(self, m: int) -> tuple[tuple[Fraction, Fraction], ...]:
        """For each response, the least and greatest probability it may have after ``m``.

        ``m`` is an off-path message; with two responses the ranges describe
        every response that keeps the equilibrium (an interval of mixtures).
        """
        responses = self.off_path_responses.get(m, (self.receiver[m],))
        return tuple((min(column), max(column)) for column in zip(*responses))


@dataclass(frozen=True, repr=False)
class SignallingSolution(Displayed):
    """The perfect Bayesian equilibria of a signalling game at bound parameter values.

    Attributes
    ----------
    game : SignallingGame
    parameters : dict of str to Fraction
    form : BoundSignallingGame
        The game's numbers at these values.
    equilibria : tuple of SignallingEquilibrium
    exact : bool
        Numbers are exact fractions (formatted as decimals when False).
    complete : bool
        True if mixed equilibria were enumerated too (else pure ones only).
    harsanyi : HarsanyiResult
    classes : tuple of SignallingClass
        The classes of *every* equilibrium, in the enumeration's order:
        besides those of the extreme points listed, the classes of the points
        inside continua (a type may mix between two pure equilibria). This is
        what ``credibility threshold`` reports as existing. Pure classes only
        when ``complete`` is False.

    ``str()`` is the text ``credibility solve`` prints, ``repr()`` one line, and a
    notebook shows the tables (:mod:`credibility.render.display`); ``to_pandas()`` has a
    row per equilibrium.
    """

    game: SignallingGame
    parameters: dict[str, Fraction]
    form: BoundSignallingGame
    equilibria: tuple[SignallingEquilibrium, ...]
    exact: bool
    complete: bool
    harsanyi: HarsanyiResult
    classes: tuple[str, ...] = ()

    kind = "signalling"

    def __post_init__(self) -> None:
        # The equilibria carry the game's names, to be read by them (e.belief["Beer"]).
        names = SignallingNames.of(self.game, self.form)
        if any(e.names != names for e in self.equilibria):
            named = tuple(replace(e, names=names) for e in self.equilibria)
            object.__setattr__(self, "equilibria", named)

    @property
    def outcome(self) -> str:
        """The outcome label: the classes of equilibrium present (as sweeps and thresholds)."""
        return outcome_label(self.classes, self.complete)

    @property
    def components(self) -> list[list[int]]:
        """Indices of the equilibria grouped by connected component."""
        groups: dict[int, list[int]] = {}
        for index, equilibrium in enumerate(self.equilibria):
            groups.setdefault(equilibrium.component, []).append(index)
        return list(groups.values())

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility solve`` on a signalling game."""
        form = self.form
        types, messages, responses = form.types, form.messages, form.responses

        def fmt(value: Fraction) -> str:
            return format_number(value, self.exact)

        def labelled(labels: tuple[str, ...], row: tuple[Fraction, ...]) -> dict[str, str]:
            return {label: fmt(x) for label, x in zip(labels, row)}

        def profile(sender: Matrix, receiver: Matrix) -> JSONObject:
            return {
                "sender": {t: labelled(messages, row) for t, row in zip(types, sender)},
                "receiver": {m: labelled(responses, row) for m, row in zip(messages, receiver)},
            }

        def entry(e: SignallingEquilibrium) -> JSONObject:
            result: JSONObject = {"class": e.equilibrium_class, "pure": e.pure}
            result.update(profile(e.sender, e.receiver))
            result["beliefs"] = {m: labelled(types, row) for m, row in zip(messages, e.beliefs)}
            result["off_path"] = [messages[m] for m in e.off_path]
            result["surviving_beliefs"] = {
                messages[m]: {
                    "intuitive": [types[t] for t in intuitive],
                    "d1": [types[t] for t in d1],
                }
                for m, (intuitive, d1) in e.surviving_beliefs.items()
            }
            result["off_path_responses"] = {
                messages[m]: {
                    r: [fmt(low), fmt(high)]
                    for r, (low, high) in zip(responses, e.response_ranges(m))
                }
                for m in e.off_path
            }
            if len(types) == 2:
                result["belief_ranges"] = {
                    messages[m]: {types[0]: [fmt(x) for x in e.belief_range(m)]} for m in e.off_path
                }
            else:
                result["belief_vertices"] = {
                    messages[m]: [labelled(types, b) for b in e.belief_vertices[m]]
                    for m in e.off_path
                }
            result["payoffs"] = {
                **{t: fmt(u) for t, u in zip(types, e.payoffs)},
                self.game.receiver: fmt(e.payoffs[-1]),
            }
            result.update(
                intuitive=e.intuitive, d1=e.d1, component=e.component, continuum=e.continuum
            )
            if e.intuitive_reason:
                result["intuitive_reason"] = e.intuitive_reason
            if e.d1_reason:
                result["d1_reason"] = e.d1_reason
            return result

        harsanyi = self.harsanyi
        return {
            "format": 1,
            "kind": "signalling",
            "game": self.game.info.label,
            "players": list(self.game.players),
            "parameters": {name: fmt(value) for name, value in self.parameters.items()},
            "exact": self.exact,
            "complete": self.complete,
            "classes": list(self.classes),
            "equilibria": [entry(e) for e in self.equilibria],
            "components": self.components,
            "harsanyi": {
                "sender_strategies": harsanyi.sender_strategies,
                "receiver_strategies": harsanyi.receiver_strategies,
                "nash_equilibria": harsanyi.nash_equilibria,
                "skipped": harsanyi.skipped or None,
            },
            "nash_not_perfect_bayesian": [
                {**profile(sender, receiver), "reasons": list(reasons)}
                for (sender, receiver), reasons in harsanyi.not_perfect_bayesian
            ],
        }

    def _summary(self) -> str:
        count = len(self.equilibria)
        noun = "equilibrium" if count == 1 else "equilibria"
        how = ("exact" if self.exact else "decimals") + ("" if self.complete else ", pure only")
        name = self.game.info.name or self.game.info.label
        return f"{name}: {count} perfect Bayesian {noun} ({clipped(self.outcome)}), {how}"

    def _columns(self) -> dict[str, list[Any]]:
        """Class; ``TYPE:MESSAGE`` and ``RECEIVER:RESPONSE after MESSAGE`` probabilities;
        beliefs ``P(TYPE | MESSAGE)``; payoffs; purity, the refinements, component."""
        form, receiver = self.form, self.game.receiver
        value = (lambda x: x) if self.exact else float
        found = self.equilibria
        columns: dict[str, list[Any]] = {"class": [str(e.equilibrium_class) for e in found]}
        for t, type_ in enumerate(form.types):
            for m, message in enumerate(form.messages):
                columns[f"{type_}:{message}"] = [value(e.sender[t][m]) for e in found]
        for m, message in enumerate(form.messages):
            for r, response in enumerate(form.responses):
                name = f"{receiver}:{response} after {message}"
                columns[name] = [value(e.receiver[m][r]) for e in found]
        for m, message in enumerate(form.messages):
            for t, type_ in enumerate(form.types):
                columns[f"P({type_} | {message})"] = [value(e.beliefs[m][t]) for e in found]
        for k, player in enumerate((*form.types, receiver)):
            columns[f"payoff_{player}"] = [value(e.payoffs[k]) for e in found]
        columns["pure"] = [e.pure for e in found]
        columns["intuitive"] = [e.intuitive for e in found]
        columns["d1"] = [e.d1 for e in found]
        columns["component"] = [e.component for e in found]
        return columns


def solve_signalling(
    game: SignallingGame,
    params: ParamValues | None = None,
    *,
    exact: bool = True,
    mixed: bool | None = None,
) -> SignallingSolution:
    """Find every perfect Bayesian equilibrium of a signalling game, exactly.

    Parameters
    ----------
    game : SignallingGame
    params : mapping of str to number or fraction string, optional
        Parameter values overriding the defaults.
    exact : bool
        Report exact fractions (default) or decimals; the computation is exact
        either way.
    mixed : bool, optional
        Enumerate mixed equilibria too. By default they are enumerated when
        the game has at most ``MAX_PROFILES`` support profiles; otherwise only
        pure equilibria are (and ``complete`` is False).

    Returns
    -------
    SignallingSolution

    Raises
    ------
    GameTooLargeError
        If ``mixed=True`` is asked for a game with too many support profiles.

    Examples
    --------
    Beer-quiche (Cho & Kreps 1987): two pooling equilibria, only the one on
    beer survives the intuitive criterion. In each, the challenger may duel
    after the unsent breakfast with any probability from 1/2 to 1 (mixing on
    the belief that the sender is strong with probability exactly 1/2): one
    entry, with the range of responses and of beliefs.

    >>> import credibility as cr
    >>> from credibility.io.toml_loader import parse_toml
    >>> game = parse_toml('''
    ... kind = "signalling"
    ... players = ["Sender", "Receiver"]
    ... messages = ["Beer", "Quiche"]
    ... responses = ["Duel", "Not"]
    ... [types.Strong]
    ... prior = 0.9
    ... payoffs = {Beer = {Duel = [1, 0], Not = [3, 1]}, Quiche = {Duel = [0, 0], Not = [2, 1]}}
    ... [types.Weak]
    ... prior = 0.1
    ... payoffs = {Beer = {Duel = [0, 1], Not = [2, 0]}, Quiche = {Duel = [1, 1], Not = [3, 0]}}
    ... ''')
    >>> solution = solve_signalling(game)
    >>> [(e.equilibrium_class, e.intuitive, e.component) for e in solution.equilibria]
    [('pooling', True, 0), ('pooling', False, 1)]
    >>> solution.equilibria[1].belief_range(0)
    (Fraction(0, 1), Fraction(1, 2))
    >>> solution.equilibria[0].response_ranges(1)  # Duel, Not after Quiche
    ((Fraction(1, 2), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 2)))
    """
    binding = game.bind(params)
    form = BoundSignallingGame.from_game(game, binding)
    if mixed is None:
        mixed = profile_count(form) <= MAX_PROFILES
    elif mixed and profile_count(form) > MAX_PROFILES:
        raise GameTooLargeError(
            f"a game with {form.shape[0]} types, {form.shape[1]} messages and "
            f"{form.shape[2]} responses has {profile_count(form):,} support profiles "
            f"(at most {MAX_PROFILES:,}); solve for pure equilibria only"
        )
    enumerated = enumerate_pbe_vertices(form, mixed=mixed)
    found = []
    for (sigma, rho), component, continuum in zip(
        enumerated.profiles, enumerated.components, enumerated.continuum
    ):
        equilibrium = _describe(form, sigma, rho, component, continuum)
        if equilibrium is not None:
            found.append(equilibrium)
    return SignallingSolution(
        game=game,
        parameters=binding.values,
        form=form,
        equilibria=_ordered(_merged(_ordered(found))),
        exact=exact,
        complete=mixed,
        harsanyi=nash_not_bayesian(form),
        classes=enumerated.classes,
    )


def classify(form: BoundSignallingGame, sigma: Matrix) -> SignallingClass:
    """The class of an equilibrium, from the sender's strategy alone.

    Types with prior zero are ignored.

    Examples
    --------
    >>> F = Fraction
    >>> form = BoundSignallingGame.from_lists(
    ...     ["H", "L"], ["a", "b"], ["x", "y"], [F(1, 2), F(1, 2)],
    ...     [[[0, 0], [0, 0]]] * 2, [[[0, 0], [0, 0]]] * 2)
    >>> classify(form, ((F(1), F(0)), (F(0), F(1)))).value
    'separating'
    >>> classify(form, ((F(1), F(0)), (F(1, 2), F(1, 2)))).value
    'semi-separating'
    """
    return sender_class(
        [[m for m, x in enumerate(row) if x > 0] for p, row in zip(form.prior, sigma) if p > 0]
    )


def _describe(
    form: BoundSignallingGame, sigma: Matrix, rho: Matrix, component: int, continuum: bool
) -> SignallingEquilibrium | None:
    """Beliefs, payoffs, class and refinements of a candidate; None (with a warning) if it fails."""
    beliefs, corners = beliefs_and_vertices(form, sigma, rho)
    off_path = list(corners)
    problems = pbe_violations(form, sigma, rho, tuple(beliefs))
    if problems or any(not c for c in corners.values()):
        warnings.warn(f"discarded a candidate that is not a PBE: {problems}", stacklevel=3)
        return None
    payoffs = form.payoffs(sigma, rho)
    failure = intuitive_failure(form, payoffs, off_path)
    d1_reason = d1_failure(form, rho, payoffs, off_path)
    return SignallingEquilibrium(
        sender=sigma,
        receiver=rho,
        beliefs=tuple(beliefs),
        off_path=tuple(off_path),
        belief_vertices=corners,
        payoffs=payoffs,
        equilibrium_class=classify(form, sigma),
        intuitive=not failure,
        d1=not d1_reason,
        intuitive_reason=failure,
        d1_reason=d1_reason,
        component=component,
        continuum=continuum,
        surviving_beliefs={
            m: (tuple(intuitive_types(form, payoffs, m)), tuple(d1_types(form, payoffs, m)))
            for m in off_path
        },
    )


def _merged(found: Sequence[SignallingEquilibrium]) -> list[SignallingEquilibrium]:
    """One entry per outcome: equilibria that differ only off the path are merged.

    The entry keeps the off-path responses of every member and the beliefs
    supporting them; it passes D1 if some member does, and then shows that
    member's responses.
    """
    groups: dict[tuple[Any, ...], list[SignallingEquilibrium]] = {}
    for e in found:
        on_path = tuple(row for m, row in enumerate(e.receiver) if m not in e.off_path)
        groups.setdefault((e.sender, on_path), []).append(e)
    merged = []
    for members in groups.values():
        passing = [e for e in members if e.d1]
        shown = passing[0] if passing else members[0]
        merged.append(
            replace(
                shown,
                belief_vertices={
                    m: tuple(sorted({b for e in members for b in e.belief_vertices[m]}))
                    for m in shown.off_path
                },
                off_path_responses={
                    m: tuple(sorted({e.receiver[m] for e in members}, reverse=True))
                    for m in shown.off_path
                },
                continuum=any(e.continuum for e in members),
            )
        )
    return merged


def _ordered(found: Sequence[SignallingEquilibrium]) -> tuple[SignallingEquilibrium, ...]:
    """Pure equilibria first, then by strategies (descending); components renumbered in order."""

    def key(e: SignallingEquilibrium) -> tuple[Any, ...]:
        flat = [-x for row in e.sender + e.receiver for x in row]
        return (not e.pure, flat)

    ordered = sorted(found, key=key)
    numbers: dict[int, int] = {}
    return tuple(
        SignallingEquilibrium(
            **{**e.__dict__, "component": numbers.setdefault(e.component, len(numbers))}
        )
        for e in ordered
    )

"""Nash equilibria of strategic-form games with any number of players: one result, three methods.

:func:`solve_normal` answers with a :class:`NormalSolution` by one of three methods:

``pure best response`` (``mixed=False``)
    Every pure equilibrium, exactly and vectorised over the payoff tensors
    (:mod:`credibility.solvers.pure_nash`); mixed equilibria are not searched, so the
    solution is not complete.
``support enumeration`` (``mixed=True``; the default for games of at most
:data:`DEFAULT_SUPPORT_PROFILES` support profiles)
    Every isolated equilibrium, pure and mixed, exactly: one polynomial system per
    support profile, solved by Groebner bases over the rationals
    (:mod:`credibility.solvers.polynomial_nash`). Irrational probabilities are exact
    algebraic numbers (radicals, or a root of a polynomial). Complete unless a support
    profile has a continuum of solutions, which the solution then names.
``logit`` (``method="logit"``)
    One equilibrium, numerically: the limit of the principal branch of the logit
    quantal response equilibrium correspondence (McKelvey & Palfrey 1995; Turocy
    2005), traced from uniform play at ``lambda = 0`` (:mod:`credibility.quantal.branch`).
    It scales to games far beyond support enumeration. The profile it reports is an
    exact rational profile, and ``epsilon`` is that profile's exact largest gain from a
    unilateral deviation (:mod:`credibility.solvers.deviation_gain`): ``epsilon = 0``
    means the profile is verified to be an exact equilibrium (tried among the
    rationals of small denominator near the float limit); otherwise it is an
    ``epsilon``-equilibrium, with ``epsilon`` computed, not estimated. The pure
    equilibria are listed too.

Examples
--------
>>> import credibility as cr
>>> solution = cr.solve(cr.load("volunteers_dilemma"))  # b = 4, c = 1
>>> solution.complete, len(solution.equilibria)
(True, 7)
>>> solution.equilibria[-1].strategies["Ally 1"]  # Diekmann: (1 - p)**2 = c/b
{'Defend': Fraction(1, 2), 'Abstain': Fraction(1, 2)}
>>> cr.solve(cr.load("volunteers_dilemma"), {"c": 2}).equilibria[-1].strategies["Ally 1"]
{'Defend': 1 - sqrt(2)/2, 'Abstain': sqrt(2)/2}
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeAlias

from ..errors import CredibilityError
from ..expressions import format_number
from ..json_types import JSONObject
from ..models.normal import NormalForm, check_size, count_support_profiles
from ..parameters import ParamValues
from ..render.display import Displayed, Named, Summarised, clipped
from .pure_nash import PureEquilibrium, integer_payoffs, pure_equilibria

if TYPE_CHECKING:
    import sympy

__all__ = [
    "DEFAULT_SUPPORT_PROFILES",
    "METHODS",
    "MixedProfile",
    "NormalEquilibrium",
    "NormalSolution",
    "Value",
    "check_options",
    "normal_label",
    "solve_normal",
]

#: ``solve`` enumerates mixed equilibria by default when the game has at most this many
#: support profiles (``prod(2**m_i - 1)``): 2x2x2 has 27, 3x3x3 343, 2x2x2x2x2 243.
DEFAULT_SUPPORT_PROFILES = 400

#: Seconds the default support enumeration (``mixed=None``) may take before it stops and
#: reports what it found; ``mixed=True`` has no limit.
DEFAULT_SECONDS = 20.0

#: The logit method traces the branch until the regret is below this (relative to the
#: payoffs' range), then polishes the profile by Newton's method on its support.
LOGIT_TOLERANCE = 1e-6

#: The methods ``solve_normal`` accepts (``None``: pure, or support enumeration).
METHODS = ("logit",)

#: An exact probability or payoff: a rational, or an algebraic number as a sympy expression.
Value: TypeAlias = "Fraction | sympy.Expr"


@dataclass(frozen=True, repr=False)
class MixedProfile(Summarised):
    """A Nash equilibrium (or an epsilon-equilibrium) in which some player mixes.

    Attributes
    ----------
    probabilities : tuple of tuple
        Each player's probability of each strategy: a Fraction, or an exact algebraic
        number as a sympy expression (radicals, or ``CRootOf``).
    payoffs : tuple
        Each player's expected payoff, exact in the same way.
    approx : tuple of tuple of float
        The probabilities as floats.
    epsilon : Fraction
        The largest gain any player makes by a unilateral deviation from this exact
        profile: 0 for an equilibrium; positive for the logit method's approximation.
    strategies : Named of Named
        ``e.strategies[player][strategy]``: the probabilities by name.
    payoff : Named
        ``e.payoff[player]``.
    """

    probabilities: tuple[tuple[Value, ...], ...]
    payoffs: tuple[Value, ...]
    approx: tuple[tuple[float, ...], ...]
    epsilon: Fraction = Fraction(0)
    players: tuple[str, ...] = field(default=(), compare=False, hash=False)
    labels: tuple[tuple[str, ...], ...] = field(default=(), compare=False, hash=False)

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Each player's strategies played with positive probability (indices)."""
        return tuple(tuple(k for k, x in enumerate(p) if x != 0) for p in self.probabilities)

    @property
    def strategies(self) -> Named[Named[Value]]:
        """Player -> strategy -> probability."""
        return Named(self.players, (Named(s, p) for s, p in zip(self.labels, self.probabilities)))

    @property
    def payoff(self) -> Named[Value]:
        """Player -> expected payoff."""
        return Named(self.players, self.payoffs)

    def label(self) -> str:
        """Strategies joined by ``/``, ``mixed`` for a player who mixes; ``mixed`` if all do.

        An epsilon-equilibrium (``epsilon > 0``) is labelled ``approximately ...``.
        """
        names = [
            s[support[0]] if len(support) == 1 else "mixed"
            for s, support in zip(self.labels, self.support)
        ]
        label = "mixed" if all(n == "mixed" for n in names) else "/".join(names)
        return label if self.epsilon == 0 else f"approximately {label}"

    def _summary(self) -> str:
        parts = []
        for player, names, approx in zip(self.players, self.labels, self.approx):
            mix = ", ".join(f"{s} {x:.4g}" for s, x in zip(names, approx) if x > 0)
            parts.append(f"{player}: {mix}")
        tail = "" if self.epsilon == 0 else f"; epsilon {float(self.epsilon):.3g}"
        return "; ".join(parts) + tail


#: One equilibrium of a strategic-form game.
NormalEquilibrium: TypeAlias = PureEquilibrium | MixedProfile


def normal_label(equilibria: Sequence[NormalEquilibrium]) -> str:
    """The label of a set of equilibria: pure ones first, then mixed ones (``mixed``).

    A pure equilibrium is its strategies joined by ``/``; one where some players mix
    names ``mixed`` in their place (``mixed`` alone if every player mixes), counted
    when repeated (``2 mixed``). ``"no pure equilibrium"`` when there is none (only
    searches for pure equilibria find none: every finite game has an equilibrium).

    Examples
    --------
    >>> normal_label([PureEquilibrium((0, 1), ("a", "d"), (1, 2))])
    'a/d'
    >>> normal_label([])
    'no pure equilibrium'
    """
    if not equilibria:
        return "no pure equilibrium"
    pure = [e for e in equilibria if isinstance(e, PureEquilibrium)]
    counts = Counter(e.label() for e in equilibria if isinstance(e, MixedProfile))
    names = ["/".join(e.strategies) for e in pure]
    names += [name if count == 1 else f"{count} {name}" for name, count in counts.items()]
    return " | ".join(names)


@dataclass(frozen=True, repr=False)
class NormalSolution(Displayed):
    """The Nash equilibria of a strategic-form game at bound parameter values.

    Attributes
    ----------
    game : NormalForm
    parameters : dict of str to Fraction
    equilibria : tuple of PureEquilibrium or MixedProfile
        Pure equilibria first, in row-major order of the profiles, then mixed ones.
    exact : bool
    method : str
        ``pure best response``, ``support enumeration`` or ``logit``.
    complete : bool
        Whether ``equilibria`` is every equilibrium (isolated ones; see ``note``).
    note : str
        What is not covered, when not complete.
    """

    game: NormalForm
    parameters: dict[str, Fraction]
    equilibria: tuple[NormalEquilibrium, ...]
    exact: bool
    method: str = "pure best response"
    complete: bool = False
    note: str = ""
    kind: str = field(default="normal", init=False)

    @property
    def outcome(self) -> str:
        """The equilibria as ``a/b/c | ... | mixed`` (:func:`normal_label`)."""
        return normal_label(self.equilibria)

    def _summary(self) -> str:
        count = len(self.equilibria)
        pure_only = self.method == "pure best response"
        noun = ("pure " if pure_only else "") + ("equilibrium" if count == 1 else "equilibria")
        how = "exact" if self.exact else "floats"
        name = self.game.info.name or self.game.info.label
        tail = ", pure only" if pure_only else ("" if self.complete else ", not complete")
        return f"{name}: {count} {noun} ({clipped(self.outcome)}), {how}{tail}"

    def _columns(self) -> dict[str, list[Any]]:
        """Each player's strategy (or ``mixed``), then each player's payoff."""
        game = self.game
        columns: dict[str, list[Any]] = {}
        for k, player in enumerate(game.players):
            columns[player] = [
                e.strategies[k] if isinstance(e, PureEquilibrium) else _mix_text(e, k)
                for e in self.equilibria
            ]
        for k, player in enumerate(game.players):
            columns[f"payoff_{player}"] = [e.payoffs[k] for e in self.equilibria]
        return columns

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility solve`` on a normal-form game."""
        game = self.game

        def fmt(value: Fraction | float) -> str:
            return format_number(value, self.exact)

        equilibria: list[JSONObject] = []
        for e in self.equilibria:
            if isinstance(e, PureEquilibrium):
                equilibria.append(
                    {
                        "profile": dict(zip(game.players, e.strategies)),
                        "payoffs": {p: fmt(v) for p, v in zip(game.players, e.payoffs)},
                        "pure": True,
                    }
                )
                continue
            entry: JSONObject = {
                "strategies": {
                    p: {s: str(x) for s, x in zip(names, probabilities)}
                    for p, names, probabilities in zip(
                        game.players, game.strategies, e.probabilities
                    )
                },
                "approx": {
                    p: {s: format_number(x, False) for s, x in zip(names, approx)}
                    for p, names, approx in zip(game.players, game.strategies, e.approx)
                },
                "payoffs": {p: str(v) for p, v in zip(game.players, e.payoffs)},
                "pure": False,
            }
            if self.method == "logit":
                entry["epsilon"] = str(e.epsilon)
            equilibria.append(entry)
        return {
            "format": 1,
            "kind": "normal",
            "game": game.info.label,
            "players": list(game.players),
            "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
            "parameters": {name: fmt(value) for name, value in self.parameters.items()},
            "exact": self.exact,
            "method": self.method,
            "complete": self.complete,
            "note": self.note,
            "equilibria": equilibria,
        }


def _profiles_text(game: NormalForm, profiles: Sequence[Sequence[Sequence[int]]]) -> str:
    """``3 support profiles ({a} / {b, c} / {d}; ... and 1 more)``: the first three."""
    listed = "; ".join(
        " / ".join(
            "{" + ", ".join(names[k] for k in support) + "}"
            for names, support in zip(game.strategies, profile)
        )
        for profile in profiles[:3]
    )
    more = f" and {len(profiles) - 3} more" if len(profiles) > 3 else ""
    noun = "support profile" if len(profiles) == 1 else "support profiles"
    return f"{len(profiles)} {noun} ({listed}{more})"


def _mix_text(e: MixedProfile, player: int) -> str:
    names, approx = e.labels[player], e.approx[player]
    support = [k for k, x in enumerate(e.probabilities[player]) if x != 0]
    if len(support) == 1:
        return names[support[0]]
    return ", ".join(f"{names[k]} {approx[k]:.4g}" for k in support)


def _pure_note(supports: int, reason: str) -> str:
    """Why only pure equilibria: asked for, floating point, or a large game.

    Notes name both the Python argument and the command-line option.
    """
    one = "method='logit' (--method logit) finds one numerically"
    if reason == "asked":
        return "pure equilibria only (mixed=False, --pure-only): mixed equilibria are not searched"
    if reason == "floats":
        return (
            "pure equilibria only (exact=False, --float): mixed equilibria are enumerated in "
            f"exact arithmetic only; {one}"
        )
    return (
        f"pure equilibria only: the game has {supports:,} support profiles, more than the "
        f"{DEFAULT_SUPPORT_PROFILES:,} enumerated by default; mixed=True (--mixed) enumerates "
        f"them all exactly (slow on large games), {one}"
    )


def check_options(method: str | None, mixed: bool | None) -> None:
    """Refuse an unknown method, or a method with ``mixed=``.

    Examples
    --------
    >>> check_options("logit", None)
    >>> check_options("support", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    credibility.errors.CredibilityError: method='support' is not a method for ... 'logit'
    """
    if method is not None and method not in METHODS:
        raise CredibilityError(
            f"method={method!r} is not a method for normal-form games: expected 'logit'"
        )
    if method is not None and mixed is not None:
        raise CredibilityError("give method='logit' or mixed=, not both")


def solve_normal(
    game: NormalForm,
    params: ParamValues | None = None,
    *,
    exact: bool = True,
    mixed: bool | None = None,
    method: str | None = None,
) -> NormalSolution:
    """Nash equilibria of a strategic-form game: pure ones, every one, or one numerically.

    Parameters
    ----------
    game : NormalForm
    params : mapping of str to number or fraction string, optional
        Parameter values overriding the defaults.
    exact : bool
        Exact arithmetic (default). ``exact=False`` compares float payoffs and finds
        pure equilibria only (or, with ``method='logit'``, one equilibrium).
    mixed : bool, optional
        False: pure equilibria only. True: every isolated equilibrium by support
        enumeration (up to
        :data:`~credibility.solvers.polynomial_nash.MAX_SUPPORT_PROFILES` support
        profiles). None (default): True for games of at most
        :data:`DEFAULT_SUPPORT_PROFILES` support profiles, else False.
    method : {'logit'}, optional
        One equilibrium as the limit of the logit QRE branch, with its exact
        deviation gain ``epsilon`` (see the module's description).

    Returns
    -------
    NormalSolution

    Raises
    ------
    GameTooLargeError
        Beyond :data:`~credibility.models.normal.MAX_PROFILES` profiles, or with
        ``mixed=True`` beyond the support profiles support enumeration handles.
    CredibilityError
        For an unknown method, ``mixed=True`` with ``exact=False`` or with a method.

    Examples
    --------
    >>> from credibility.models.normal import NormalForm
    >>> # three-player matching pennies (Jordan 1993): 1 wants to match 2, 2 to match 3,
    >>> # 3 to mismatch 1; no pure equilibrium, every player mixes half and half
    >>> import itertools
    >>> shape = (2, 2, 2)
    >>> u = [[[[0] * 2 for _ in range(2)] for _ in range(2)] for _ in range(3)]
    >>> for a, b, c in itertools.product(range(2), repeat=3):
    ...     u[0][a][b][c] = int(a == b); u[1][a][b][c] = int(b == c); u[2][a][b][c] = int(c != a)
    >>> solution = solve_normal(NormalForm.from_arrays(u))
    >>> solution.outcome, [str(x) for x in solution.equilibria[0].probabilities[0]]
    ('mixed', ['1/2', '1/2'])
    >>> solve_normal(NormalForm.from_arrays(u), mixed=False)
    <NormalSolution game: 0 pure equilibria (no pure equilibrium), exact, pure only>
    """
    check_options(method, mixed)
    check_size(game.shape)
    binding = game.bind(params)
    values = game.numeric(binding)
    pure = pure_equilibria(game, values, exact=exact)
    parameters = dict(binding.values)
    if method == "logit":
        return _logit(game, parameters, values, pure, exact)
    supports = count_support_profiles(game.shape)
    if mixed is False or (mixed is None and (not exact or supports > DEFAULT_SUPPORT_PROFILES)):
        reason = "asked" if mixed is False else "floats" if not exact else "size"
        note = _pure_note(supports, reason)
        return NormalSolution(game, parameters, pure, exact, note=note)
    if not exact:
        raise CredibilityError(
            "mixed=True solves polynomial systems exactly and needs exact arithmetic; "
            "method='logit' finds an equilibrium in floating point"
        )
    seconds = DEFAULT_SECONDS if mixed is None else None
    return _enumerate(game, parameters, values, pure, seconds)


def _enumerate(
    game: NormalForm,
    parameters: dict[str, Fraction],
    values: list[list[int | Fraction]],
    pure: tuple[PureEquilibrium, ...],
    seconds: float | None,
) -> NormalSolution:
    """Every equilibrium by support enumeration; the pure ones come from the kernel (the
    same set, complete even when the enumeration stops early)."""
    from .polynomial_nash import enumerate_mixed  # lazy: start-up time (sympy)

    found = enumerate_mixed(
        [[Fraction(v) for v in row] for row in values], game.shape, seconds=seconds
    )
    mixed = tuple(
        MixedProfile(
            e.probabilities, e.payoffs, e.approx, Fraction(0), game.players, game.strategies
        )
        for e in found.equilibria
        if not e.pure
    )
    note = ""
    if found.stopped:
        note = (
            f"support enumeration stopped after {seconds:g} s, with {found.supports_examined:,} "
            f"of {found.supports_total:,} support profiles examined: every pure equilibrium "
            "is listed, mixed ones may be missing; mixed=True (--mixed) runs it to the end"
        )
    elif not found.complete:
        parts = []
        if found.continua:
            parts.append(
                f"a continuum of solutions on {_profiles_text(game, found.continua)}; "
                "equilibria there are not listed"
            )
        if found.unsolved:
            parts.append(
                f"isolated solutions it could not separate on "
                f"{_profiles_text(game, found.unsolved)}; equilibria there may be missing"
            )
        note = "support enumeration found " + ", and ".join(parts)
    return NormalSolution(
        game,
        parameters,
        (*pure, *mixed),
        True,
        method="support enumeration",
        complete=found.complete,
        note=note,
    )


def _logit(
    game: NormalForm,
    parameters: dict[str, Fraction],
    values: list[list[int | Fraction]],
    pure: tuple[PureEquilibrium, ...],
    exact: bool,
) -> NormalSolution:
    import numpy as np  # lazy: start-up time

    from ..quantal.branch import branch_limit  # lazy: start-up time
    from .deviation_gain import expected_payoffs, snap  # lazy: start-up time

    shape = game.shape
    # Divided by the largest payoff in exact arithmetic first: the branch's limit is the same
    # (lambda absorbs a common scale), and floats neither overflow nor lose the game's shape.
    largest = max((abs(Fraction(v)) for row in values for v in row), default=Fraction(0))
    unit = largest or Fraction(1)
    floats = [np.array([float(Fraction(v) / unit) for v in row]).reshape(shape) for row in values]
    scales = [math.lcm(*(Fraction(v).denominator for v in row)) for row in values]
    integers = [integer_payoffs(row, shape) for row in values]
    limit = branch_limit(floats, tolerance=LOGIT_TOLERANCE)
    profile, epsilon = snap(integers, _polish(floats, limit) or limit, scales)
    found: tuple[NormalEquilibrium, ...] = ()
    if epsilon != 0 or any(sum(1 for x in p if x != 0) > 1 for p in profile):
        found = (  # not a pure equilibrium (those are listed already)
            MixedProfile(
                tuple(tuple(p) for p in profile),
                expected_payoffs(integers, profile, scales),
                tuple(tuple(float(x) for x in p) for p in profile),
                epsilon,
                game.players,
                game.strategies,
            ),
        )
    note = (
        "one equilibrium by the logit method (the limit of the principal QRE branch), "
        "reported with epsilon, its exact largest gain from a unilateral deviation, "
        "besides every pure equilibrium; other mixed equilibria are not searched"
    )
    return NormalSolution(
        game, parameters, (*pure, *found), exact, method="logit", complete=False, note=note
    )


def _contract(tensor: Any, profile: Sequence[Any], keep: Sequence[int]) -> Any:
    """``tensor`` summed against every player's mixed strategy but those in ``keep``."""
    for j in reversed(range(len(profile))):
        if j not in keep:
            tensor = (
                tensor @ profile[j] if j == tensor.ndim - 1 else _dot_axis(tensor, profile[j], j)
            )
    return tensor


def _dot_axis(tensor: Any, vector: Any, axis: int) -> Any:
    import numpy as np  # lazy: start-up time

    return np.tensordot(tensor, vector, axes=([axis], [0]))


def _polish(
    tensors: Sequence[Any], profile: Sequence[Any], threshold: float = 1e-6
) -> list[Any] | None:
    """Newton's method on the support of ``profile``: its equilibrium to full precision.

    The support is the strategies of probability above ``threshold``. Unknowns: the
    probabilities on the supports; equations: each player's expected payoffs equal on
    its support, probabilities summing to 1. None when Newton's method does not
    converge or ends outside the simplex or with a profitable deviation (in floats):
    the traced profile is then used as it is. Only a better starting point for
    :func:`~credibility.solvers.deviation_gain.snap`, which computes the exact gain.
    """
    import numpy as np  # lazy: start-up time

    n = len(tensors)
    supports = [np.flatnonzero(p > threshold) for p in profile]
    sizes = [len(s) for s in supports]
    starts = np.cumsum([0, *sizes])
    sigma = [np.where(p > threshold, p, 0.0) for p in profile]
    sigma = [p / p.sum() for p in sigma]
    scale = max(float(np.ptp(t)) for t in tensors) or 1.0
    for _ in range(20):
        F = np.zeros(starts[-1])
        J = np.zeros((starts[-1], starts[-1]))
        for i in range(n):
            values = _contract(tensors[i], sigma, [i])
            S, row = supports[i], starts[i]
            F[row : row + sizes[i] - 1] = values[S[1:]] - values[S[0]]
            F[row + sizes[i] - 1] = sigma[i][S].sum() - 1.0
            J[row + sizes[i] - 1, starts[i] : starts[i + 1]] = 1.0
            for j in range(n):
                if j != i and sizes[i] > 1:
                    M = _contract(tensors[i], sigma, sorted((i, j)))
                    M = M if i < j else M.T
                    block = M[np.ix_(S, supports[j])]
                    J[row : row + sizes[i] - 1, starts[j] : starts[j + 1]] = block[1:] - block[0]
        if np.abs(F).max() <= 1e-14 * scale:
            break
        try:
            step = np.linalg.solve(J, -F)
        except np.linalg.LinAlgError:
            return None
        for i in range(n):
            sigma[i][supports[i]] += step[starts[i] : starts[i + 1]]
    else:
        return None
    if any(p.min() < 0 for p in sigma):
        return None
    for i in range(n):
        values = _contract(tensors[i], sigma, [i])
        if values.max() > values[supports[i]].max() + 1e-12 * scale:
            return None
    return sigma

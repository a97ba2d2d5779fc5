"""The Harsanyi strategic form of a signalling game, and its Nash equilibria that are not PBE.

In the strategic form (Harsanyi 1967-68, "Games with incomplete information
played by Bayesian players", *Management Science* 14) a sender strategy maps
each type to a message and a receiver strategy maps each message to a
response; payoffs are ex-ante expectations over Nature's draw. Its Nash
equilibria include profiles that rest on responses no belief justifies after
messages nobody sends: the incomplete-information counterpart of a threat that
is not credible. Each extreme Nash equilibrium is mapped to behaviour
strategies (Kuhn's theorem) and checked against the definition of a perfect
Bayesian equilibrium.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product

from .enumeration import count_subsets, enumerate_extreme_equilibria
from .pbe_beliefs import Belief, representative_belief, supporting_beliefs
from .pbe_bound import BoundSignallingGame, Matrix, Profile, pbe_violations

__all__ = ["MAX_HARSANYI_SUBSETS", "HarsanyiResult", "harsanyi_form", "nash_not_bayesian"]

#: Vertex candidates per best-response polytope allowed for the strategic form.
MAX_HARSANYI_SUBSETS = 50_000


@dataclass(frozen=True)
class HarsanyiResult:
    """Nash equilibria of the strategic form that are not perfect Bayesian.

    Attributes
    ----------
    sender_strategies, receiver_strategies : int
        The sizes of the strategic form.
    nash_equilibria : int
        Distinct behaviour-strategy profiles among its extreme Nash equilibria.
    not_perfect_bayesian : tuple of (Profile, tuple of str)
        Each offending profile with the reasons it fails.
    skipped : str
        Why the form was not solved (too large), empty if it was.
    """

    sender_strategies: int
    receiver_strategies: int
    nash_equilibria: int
    not_perfect_bayesian: tuple[tuple[Profile, tuple[str, ...]], ...]
    skipped: str = ""


def harsanyi_form(
    form: BoundSignallingGame,
) -> tuple[
    list[tuple[int, ...]], list[tuple[int, ...]], list[list[Fraction]], list[list[Fraction]]
]:
    """Strategies and ex-ante payoff matrices of the strategic form.

    Returns
    -------
    senders, receivers : list of tuple of int
        ``senders[i][t]`` is the message of type ``t``; ``receivers[j][m]`` the
        response to message ``m``.
    A, B : list of lists of Fraction
        The sender's and receiver's ex-ante payoffs.

    Examples
    --------
    >>> form = BoundSignallingGame.from_lists(["H", "L"], ["a", "b"], ["x", "y"], [1, 0],
    ...     [[[1, 0], [0, 0]], [[0, 0], [0, 0]]], [[[1, 0], [0, 0]], [[0, 0], [0, 0]]])
    >>> senders, receivers, A, B = harsanyi_form(form)
    >>> senders[0], receivers[0], A[0][0]
    ((0, 0), (0, 0), Fraction(1, 1))
    """
    k, n, R = form.shape
    senders = list(product(range(n), repeat=k))
    receivers = list(product(range(R), repeat=n))

    def expected(table: tuple[Matrix, ...], s: tuple[int, ...], q: tuple[int, ...]) -> Fraction:
        return sum((form.prior[t] * table[t][s[t]][q[s[t]]] for t in range(k)), Fraction(0))

    A = [[expected(form.sender, s, q) for q in receivers] for s in senders]
    B = [[expected(form.receiver, s, q) for q in receivers] for s in senders]
    return senders, receivers, A, B


def nash_not_bayesian(form: BoundSignallingGame) -> HarsanyiResult:
    """Solve the strategic form and keep the Nash equilibria that are not PBE.

    Examples
    --------
    The receiver always prefers ``y``; "pool on a, and answer b with x" is a
    Nash equilibrium (the sender never sends b, so the threat costs nothing)
    but no belief after b makes x a best reply:

    >>> F = Fraction
    >>> form = BoundSignallingGame.from_lists(
    ...     ["H", "L"], ["a", "b"], ["x", "y"], [F(1, 2), F(1, 2)],
    ...     [[[0, 1], [0, 2]], [[0, 1], [0, 2]]], [[[0, 1], [0, 1]], [[0, 1], [0, 1]]])
    >>> result = nash_not_bayesian(form)
    >>> result.sender_strategies, result.receiver_strategies, result.nash_equilibria
    (4, 4, 4)
    >>> result.not_perfect_bayesian[0][1]
    ('after b (off the path) no belief makes x a best reply',)
    """
    k, n, R = form.shape
    rows, columns = n**k, R**n
    if count_subsets(rows, columns) > MAX_HARSANYI_SUBSETS:
        return HarsanyiResult(
            rows,
            columns,
            0,
            (),
            skipped=f"the strategic form ({rows} x {columns}) is too large to enumerate exactly",
        )
    senders, receivers, A, B = harsanyi_form(form)
    seen: dict[Profile, tuple[str, ...]] = {}
    for equilibrium in enumerate_extreme_equilibria(A, B).equilibria:
        sigma = tuple(
            tuple(
                sum((x for x, s in zip(equilibrium.row, senders) if s[t] == m), Fraction(0))
                for m in range(n)
            )
            for t in range(k)
        )
        rho = tuple(
            tuple(
                sum((y for y, q in zip(equilibrium.column, receivers) if q[m] == r), Fraction(0))
                for r in range(R)
            )
            for m in range(n)
        )
        if (sigma, rho) not in seen:
            seen[sigma, rho] = _reasons(form, sigma, rho)
    failing = tuple((profile, reasons) for profile, reasons in seen.items() if reasons)
    return HarsanyiResult(rows, columns, len(seen), failing)


def beliefs_and_vertices(
    form: BoundSignallingGame, sigma: Matrix, rho: Matrix
) -> tuple[list[Belief], dict[int, tuple[Belief, ...]]]:
    """A belief after each message, and the belief vertices of each message off the path.

    On the path the belief follows Bayes' rule. Off it, the vertices are those
    of the beliefs under which every response ``rho`` plays there is a best
    reply (empty if there are none: the profile is then no PBE), and the belief
    is one they span, or the prior where there are none.
    """
    beliefs: list[Belief] = []
    vertices: dict[int, tuple[Belief, ...]] = {}
    for m in range(len(form.messages)):
        bayes = form.posterior(sigma, m)
        if bayes is not None:
            beliefs.append(bayes)
            continue
        support = [r for r, q in enumerate(rho[m]) if q > 0]
        vertices[m] = corners = tuple(supporting_beliefs(form, m, support))
        beliefs.append(representative_belief(form, list(corners)) if corners else form.prior)
    return beliefs, vertices


def _reasons(form: BoundSignallingGame, sigma: Matrix, rho: Matrix) -> tuple[str, ...]:
    """Why a behaviour profile is not a PBE under any beliefs (empty if it is one)."""
    beliefs, vertices = beliefs_and_vertices(form, sigma, rho)
    reasons = []
    for m in (m for m, corners in vertices.items() if not corners):
        support = [r for r, q in enumerate(rho[m]) if q > 0]
        played = ", ".join(form.responses[r] for r in support)
        what = f"{played} a best reply" if len(support) == 1 else f"all of {played} best replies"
        reasons.append(f"after {form.messages[m]} (off the path) no belief makes {what}")
    if reasons:
        return tuple(reasons)
    return tuple(pbe_violations(form, sigma, rho, tuple(beliefs)))

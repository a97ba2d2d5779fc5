"""Beliefs that make a set of responses best replies: a polytope in the simplex over types.

After message ``m``, the receiver's responses in a set ``B`` are all best
replies to a belief ``mu`` exactly when, for every ``r`` in ``B`` and every
response ``r'``,

    sum_t mu[t] * (receiver[t][m][r'] - receiver[t][m][r]) <= 0,

with ``mu`` in the simplex (restricted, if asked, to a set of types). These
are linear constraints, so the supporting beliefs form a polytope; for two
types it is an interval of the first type's posterior. This is the off-path
belief argument of a perfect Bayesian equilibrium, and the building block of
the intuitive criterion and D1.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache

from .pbe_bound import BoundSignallingGame
from .polytope import vertices

__all__ = ["representative_belief", "supportable", "supporting_beliefs"]

Belief = tuple[Fraction, ...]


def supporting_beliefs(
    form: BoundSignallingGame, m: int, support: Iterable[int], types: Iterable[int] | None = None
) -> list[Belief]:
    """The vertices of the beliefs under which every response in ``support`` is a best reply.

    Parameters
    ----------
    form : BoundSignallingGame
    m : int
        The message.
    support : iterable of int
        Responses that must all be best replies.
    types : iterable of int, optional
        Types the belief may put weight on (all by default).

    Returns
    -------
    list of tuple of Fraction
        Beliefs over all types (zeros outside ``types``); empty if no belief works.

    Examples
    --------
    The receiver fights (x) a strong type only when it thinks it weak enough:

    >>> F = Fraction
    >>> form = BoundSignallingGame.from_lists(
    ...     ["Strong", "Weak"], ["a", "b"], ["x", "y"], [F(1, 2), F(1, 2)],
    ...     [[[0, 0], [0, 0]], [[0, 0], [0, 0]]], [[[-1, 0], [-1, 0]], [[1, 0], [1, 0]]])
    >>> supporting_beliefs(form, 0, [0])
    [(Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 2), Fraction(1, 2))]
    """
    allowed = tuple(range(len(form.types))) if types is None else tuple(sorted(set(types)))
    return list(_cached(form, m, tuple(sorted(set(support))), allowed))


@lru_cache(maxsize=4096)
def _cached(
    form: BoundSignallingGame, m: int, support: tuple[int, ...], allowed: tuple[int, ...]
) -> tuple[Belief, ...]:
    k = len(form.types)
    if not allowed:
        return ()
    rows: list[list[Fraction]] = []
    for r in support:
        for other in range(len(form.responses)):
            if other != r:
                rows.append([form.receiver[t][m][other] - form.receiver[t][m][r] for t in allowed])
    size = len(allowed)
    rows += [[-Fraction(int(i == j)) for j in range(size)] for i in range(size)]
    rhs = [Fraction(0)] * len(rows)
    found = vertices([[Fraction(1)] * size], [Fraction(1)], rows, rhs, size)
    result = []
    for point in found:
        belief = [Fraction(0)] * k
        for t, value in zip(allowed, point):
            belief[t] = value
        result.append(tuple(belief))
    return tuple(result)


def supportable(
    form: BoundSignallingGame, m: int, support: Iterable[int], types: Iterable[int] | None = None
) -> bool:
    """True if some belief (over ``types``) makes every response in ``support`` a best reply.

    Examples
    --------
    >>> F = Fraction
    >>> form = BoundSignallingGame.from_lists(
    ...     ["Strong", "Weak"], ["a", "b"], ["x", "y"], [F(1, 2), F(1, 2)],
    ...     [[[0, 0], [0, 0]], [[0, 0], [0, 0]]], [[[-1, 0], [-1, 0]], [[1, 0], [1, 0]]])
    >>> supportable(form, 0, [0], types=[0])
    False
    """
    return bool(supporting_beliefs(form, m, support, types))


def representative_belief(form: BoundSignallingGame, corners: list[Belief]) -> Belief:
    """One belief spanned by ``corners``: the prior if it is inside, else the centre.

    Examples
    --------
    >>> F = Fraction
    >>> form = BoundSignallingGame.from_lists(
    ...     ["S", "W"], ["a", "b"], ["x", "y"], [F(1, 3), F(2, 3)],
    ...     [[[0, 0], [0, 0]], [[0, 0], [0, 0]]], [[[0, 0], [0, 0]], [[0, 0], [0, 0]]])
    >>> representative_belief(form, [(F(1), F(0)), (F(1, 2), F(1, 2))])
    (Fraction(3, 4), Fraction(1, 4))
    """
    if _inside(form.prior, corners):
        return form.prior
    count = len(corners)
    return tuple(
        sum((Fraction(c[t]) for c in corners), Fraction(0)) / count for t in range(len(form.prior))
    )


def _inside(point: Belief, corners: list[Belief]) -> bool:
    """Whether ``point`` lies in the convex hull of ``corners`` (exact, for the simplex)."""
    if not corners:
        return False
    k = len(point)
    count = len(corners)
    # lambda >= 0, sum lambda = 1, sum lambda_i corner_i = point.
    equalities = [[c[t] for c in corners] for t in range(k)] + [[Fraction(1)] * count]
    rhs = [*point, Fraction(1)]
    negative = [[-Fraction(int(i == j)) for j in range(count)] for i in range(count)]
    return bool(vertices(equalities, rhs, negative, [Fraction(0)] * count, count))

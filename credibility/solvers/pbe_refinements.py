"""Equilibrium refinements on off-path beliefs: the intuitive criterion and D1.

Both ask, for each message no type sends, which types could possibly gain by
sending it, and whether the receiver's off-path response survives beliefs
restricted to those types. Let ``U[t]`` be type ``t``'s equilibrium payoff and
``BR(K, m)`` the receiver's (pure) best replies to ``m`` under some belief
concentrated on the types in ``K``.

Intuitive criterion (Cho & Kreps 1987, "Signaling games and stable
equilibria", *QJE* 102; Fudenberg & Tirole 1991, section 11.2):

1. ``J`` = the types for which ``m`` is *equilibrium dominated*:
   ``U[t] > max over r in BR(T, m) of sender[t][m][r]``;
2. if ``J`` is not every type, the equilibrium fails when some type ``t`` not
   in ``J`` would gain from ``m`` whatever best reply to beliefs on ``T \\ J``
   comes: ``min over r in BR(T \\ J, m) of sender[t][m][r] > U[t]``.

Criterion D1 (Cho & Kreps 1987, section 5; Fudenberg & Tirole, definition
11.6): with ``MBR`` the receiver's mixed best replies to ``m`` under beliefs
over all types, type ``t`` is deleted when some other type ``t'`` gains from
every response in ``MBR`` that gives ``t`` at least ``U[t]``. The equilibrium
survives at ``m`` if its response there is a best reply to a belief on the
types not deleted (with no restriction if every type is deleted).

Mixed best replies form the union of the faces ``Delta(B)`` over the response
sets ``B`` that some belief makes all best replies, so D1's inclusions are
checked exactly on the vertices of ``{rho in Delta(B) : value_t(rho) >= U[t]}``.

Examples
--------
The functions' examples are on beer-quiche (Cho & Kreps 1987):

>>> from credibility.solvers.pbe_bound import BoundSignallingGame
>>> F = Fraction
>>> form = BoundSignallingGame.from_lists(
...     ["Strong", "Weak"], ["Beer", "Quiche"], ["Duel", "Not"], [F(9, 10), F(1, 10)],
...     [[[1, 3], [0, 2]], [[0, 2], [1, 3]]], [[[0, 1], [0, 1]], [[1, 0], [1, 0]]])

Pooling on quiche (payoffs 2 and 3), with the challenger duelling after beer,
fails both criteria: the strong type would get 3 from beer once beer is
attributed to it, and D1 deletes the weak type after beer, so duelling a beer
drinker cannot be supported.

>>> is_intuitive(form, [F(2), F(3)], [0])
False
>>> print(intuitive_failure(form, [F(2), F(3)], [0]))
Beer could only profit Strong (Weak gets more in equilibrium than Beer can ever bring it); \
once Beer is attributed to Strong, every best reply gives Strong more than its equilibrium 2.
>>> passes_d1(form, ((F(1), F(0)), (F(0), F(1))), [F(2), F(3)], [0])
False
>>> print(d1_failure(form, ((F(1), F(0)), (F(0), F(1))), [F(2), F(3)], [0]))
after Beer, D1 rules out Weak (no reply to Beer gives Weak its equilibrium 3); no belief on \
Strong alone makes Duel a best reply.

Pooling on beer (payoffs 3 and 2): quiche could only profit the weak type,
and D1 too lets beliefs after quiche rest on it alone.

>>> intuitive_types(form, [F(3), F(2)], 1), d1_types(form, [F(3), F(2)], 1)
([1], [1])
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

from .pbe_beliefs import supportable
from .pbe_bound import BoundSignallingGame, Matrix

__all__ = [
    "d1_failure",
    "d1_types",
    "intuitive_failure",
    "intuitive_types",
    "is_intuitive",
    "passes_d1",
]


def is_intuitive(
    form: BoundSignallingGame, payoffs: Sequence[Fraction], off_path: Sequence[int]
) -> bool:
    """Whether an equilibrium survives the Cho-Kreps intuitive criterion.

    Parameters
    ----------
    form : BoundSignallingGame
    payoffs : sequence of Fraction
        Each type's equilibrium payoff (the receiver's may follow; it is ignored).
    off_path : sequence of int
        The messages no type sends.

    Examples
    --------
    In beer-quiche, pooling on quiche fails: see the module's examples.
    """
    return not intuitive_failure(form, payoffs, off_path)


def intuitive_failure(
    form: BoundSignallingGame, payoffs: Sequence[Fraction], off_path: Sequence[int]
) -> str:
    """Why an equilibrium fails the intuitive criterion, in words; empty if it passes.

    Examples
    --------
    Why pooling on quiche fails in beer-quiche: see the module's examples.
    """
    types = range(len(form.types))
    for m in off_path:
        rest = intuitive_types(form, payoffs, m)
        dominated = [t for t in types if t not in rest]
        if not dominated:
            continue
        restricted = _pure_best_replies(form, m, rest)
        for t in rest:
            if min(form.sender[t][m][r] for r in restricted) > payoffs[t]:
                message = form.messages[m]
                could = ", ".join(form.types[u] for u in rest)
                never = ", ".join(form.types[u] for u in dominated)
                verb = "gets" if len(dominated) == 1 else "get"
                return (
                    f"{message} could only profit {could} ({never} {verb} more in equilibrium "
                    f"than {message} can ever bring it); once {message} is attributed to "
                    f"{could}, every best reply gives {form.types[t]} more than its "
                    f"equilibrium {payoffs[t]}."
                )
    return ""


def intuitive_types(form: BoundSignallingGame, payoffs: Sequence[Fraction], m: int) -> list[int]:
    """The types the intuitive criterion lets beliefs after ``m`` rest on.

    Those for which ``m`` is not equilibrium dominated; every type when it is
    for all of them (the criterion then says nothing).

    Examples
    --------
    Pooling on beer in beer-quiche: quiche could only profit the weak type (see
    the module's examples).
    """
    types = range(len(form.types))
    replies = _pure_best_replies(form, m, types)
    rest = [t for t in types if payoffs[t] <= max(form.sender[t][m][r] for r in replies)]
    return rest or list(types)


def d1_types(form: BoundSignallingGame, payoffs: Sequence[Fraction], m: int) -> list[int]:
    """The types criterion D1 lets beliefs after ``m`` rest on (every type if it deletes all).

    Examples
    --------
    Pooling on beer in beer-quiche: see the module's examples.
    """
    deleted, _ = _d1_deleted(form, payoffs, m)
    types = range(len(form.types))
    return [t for t in types if t not in deleted] or list(types)


def _d1_deleted(
    form: BoundSignallingGame, payoffs: Sequence[Fraction], m: int
) -> tuple[dict[int, int], list[tuple[int, ...]]]:
    """The types D1 deletes after ``m`` (each with a type that gains more) and the faces used."""
    k, _, R = form.shape
    faces = [
        B
        for size in range(1, R + 1)
        for B in combinations(range(R), size)
        if supportable(form, m, B)
    ]
    deleted = {}
    for t in range(k):
        for other in range(k):
            if other != t and _covered(form, m, faces, t, other, payoffs):
                deleted[t] = other
                break
    return deleted, faces


def passes_d1(
    form: BoundSignallingGame, rho: Matrix, payoffs: Sequence[Fraction], off_path: Sequence[int]
) -> bool:
    """Whether an equilibrium survives criterion D1.

    Parameters
    ----------
    form : BoundSignallingGame
    rho : Matrix
        The receiver's strategy; its off-path responses are tested.
    payoffs : sequence of Fraction
        Each type's equilibrium payoff.
    off_path : sequence of int
        The messages no type sends.

    Examples
    --------
    In beer-quiche, D1 deletes the weak type after beer, so duelling a beer
    drinker cannot be supported: see the module's examples.
    """
    return not d1_failure(form, rho, payoffs, off_path)


def d1_failure(
    form: BoundSignallingGame, rho: Matrix, payoffs: Sequence[Fraction], off_path: Sequence[int]
) -> str:
    """Why an equilibrium fails criterion D1, in words; empty if it passes.

    Examples
    --------
    Why pooling on quiche fails D1 in beer-quiche: see the module's examples.
    """
    k, _, R = form.shape
    for m in off_path:
        deleted, faces = _d1_deleted(form, payoffs, m)
        kept = [t for t in range(k) if t not in deleted]
        support = [r for r in range(R) if rho[m][r] > 0]
        if kept and not supportable(form, m, support, kept):
            message = form.messages[m]
            best = [face[0] for face in faces if len(face) == 1]  # the pure best replies
            why = "; ".join(
                f"no reply to {message} gives {form.types[t]} its equilibrium {payoffs[t]}"
                if max(form.sender[t][m][r] for r in best) < payoffs[t]
                else f"every reply to {message} that gives {form.types[t]} at least its "
                f"equilibrium {payoffs[t]} gives {form.types[o]} more than its equilibrium "
                f"{payoffs[o]}"
                for t, o in deleted.items()
            )
            on = ", ".join(form.types[t] for t in kept)
            played = " and ".join(form.responses[r] for r in support)
            replies = "a best reply" if len(support) == 1 else "best replies"
            return (
                f"after {message}, D1 rules out {', '.join(form.types[t] for t in deleted)} "
                f"({why}); no belief on {on} alone makes {played} {replies}."
            )
    return ""


def _pure_best_replies(form: BoundSignallingGame, m: int, types: Sequence[int]) -> list[int]:
    return [r for r in range(len(form.responses)) if supportable(form, m, [r], types)]


def _covered(
    form: BoundSignallingGame,
    m: int,
    faces: list[tuple[int, ...]],
    t: int,
    other: int,
    payoffs: Sequence[Fraction],
) -> bool:
    """D(t) and D0(t) inside D(other): every best reply giving t at least U[t] makes other gain."""
    for face in faces:
        for point in _weakly_preferred_vertices(form.sender[t][m], face, payoffs[t]):
            if sum(w * form.sender[other][m][r] for r, w in point) <= payoffs[other]:
                return False
    return True


def _weakly_preferred_vertices(
    values: Sequence[Fraction], face: tuple[int, ...], level: Fraction
) -> list[list[tuple[int, Fraction]]]:
    """Vertices of ``{rho in Delta(face) : sum rho[r] values[r] >= level}`` as sparse mixtures."""
    points = [[(r, Fraction(1))] for r in face if values[r] >= level]
    for r, s in combinations(face, 2):
        high, low = (r, s) if values[r] > values[s] else (s, r)
        if values[high] > level > values[low]:
            weight = (level - values[low]) / (values[high] - values[low])
            points.append([(high, weight), (low, 1 - weight)])
    return points

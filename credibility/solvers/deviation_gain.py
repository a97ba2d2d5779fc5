"""How far a mixed profile of a strategic-form game is from a Nash equilibrium, exactly.

A profile ``sigma`` is an *epsilon-equilibrium* (Radner 1980) when no player can
gain more than ``epsilon`` by a unilateral deviation:

    epsilon(sigma) = max_i ( max_s u_i(s, sigma_-i) - u_i(sigma) ) >= 0,

and a Nash equilibrium exactly when ``epsilon(sigma) = 0``. Numeric methods
(the logit branch of :mod:`credibility.quantal.branch`) end at floats; this
module turns such a profile into an exact rational one and computes its
``epsilon`` in exact arithmetic, so that the bound a result reports is a fact
about the profile it reports, not an estimate:

1. :func:`rational_profile` rounds each player's probabilities to multiples of
   ``2**-BITS`` (:data:`BITS` = 48), keeping them non-negative and summing to
   exactly 1 (the rounding remainder goes to the largest probability).
2. :func:`deviation_gain` contracts each player's integer-scaled payoff tensor
   with the other players' integer numerators in Python integers (numpy object
   arrays), so every expected payoff is an exact rational, and returns the exact
   ``epsilon`` as a :class:`~fractions.Fraction`.
3. :func:`snap` tries the nearby rationals of small denominator (continued
   fractions, :meth:`fractions.Fraction.limit_denominator`): if one of them has
   ``epsilon = 0`` it *is* an exact equilibrium, verified, and is returned instead.

The cost is one exact contraction per player: ``prod(m)`` multiplications of
Python integers for each (about a second per player at ``10**6`` profiles).

Examples
--------
>>> from fractions import Fraction as F
>>> import numpy as np
>>> # matching pennies: the row player wins on a match
>>> A = np.array([[1, -1], [-1, 1]]); B = -A
>>> deviation_gain([A, B], [[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]])
Fraction(0, 1)
>>> deviation_gain([A, B], [[F(3, 5), F(2, 5)], [F(1, 2), F(1, 2)]])
Fraction(1, 5)
>>> snap([A, B], [np.array([0.50000001, 0.49999999]), np.array([0.5, 0.5])])
([[Fraction(1, 2), Fraction(1, 2)], [Fraction(1, 2), Fraction(1, 2)]], Fraction(0, 1))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = ["BITS", "deviation_gain", "expected_payoffs", "rational_profile", "snap"]

#: Probabilities are rounded to multiples of ``2**-BITS``.
BITS = 48

#: The denominators :func:`snap` tries, smallest first.
_DENOMINATORS = (2, 6, 12, 60, 120, 1_000, 10_000, 100_000, 10**6)


def rational_profile(profile: Sequence[np.ndarray]) -> list[list[Fraction]]:
    """Each player's float probabilities as exact dyadic rationals summing to 1.

    Examples
    --------
    >>> rational_profile([np.array([1 / 3, 2 / 3])])[0][0].denominator == 2**BITS
    True
    >>> sum(rational_profile([np.array([0.1, 0.2, 0.7])])[0])
    Fraction(1, 1)
    """
    scale = 1 << BITS
    result = []
    for p in profile:
        weights = np.clip(np.asarray(p, dtype=float), 0.0, None)
        total = float(weights.sum())
        if not math.isfinite(total) or total <= 0:
            raise ValueError("a player's probabilities must be finite and not all zero")
        numerators = [round(w / total * scale) for w in weights.tolist()]
        numerators[int(np.argmax(weights))] += scale - sum(numerators)
        result.append([Fraction(k, scale) for k in numerators])
    return result


def _common(fractions: Sequence[Fraction]) -> tuple[list[int], int]:
    """Integer numerators over one common denominator."""
    denominator = math.lcm(*(f.denominator for f in fractions))
    return [f.numerator * (denominator // f.denominator) for f in fractions], denominator


def _assess(
    payoffs: Sequence[np.ndarray],
    profile: Sequence[Sequence[Fraction]],
    scales: Sequence[int] | None,
) -> list[tuple[Fraction, Fraction]]:
    """Each player's (largest deviation gain, expected payoff), exactly."""
    integers = []
    denominators = []
    for probabilities in profile:
        numerators, denominator = _common(probabilities)
        vector = np.empty(len(numerators), dtype=object)
        vector[:] = numerators
        integers.append(vector)
        denominators.append(denominator)
    result = []
    for i, tensor in enumerate(payoffs):
        values = np.asarray(tensor).astype(object)
        # Contract the other players' axes, last first, so the indices stay valid.
        for j in reversed(range(len(payoffs))):
            if j != i:
                values = np.tensordot(values, integers[j], axes=([j], [0]))
        scale = math.prod(d for j, d in enumerate(denominators) if j != i)
        scale *= 1 if scales is None else scales[i]
        best = max(values.tolist())
        mean = sum(int(k) * int(v) for k, v in zip(integers[i], values.tolist()))
        whole = scale * denominators[i]
        result.append((Fraction(best * denominators[i] - mean, whole), Fraction(mean, whole)))
    return result


def deviation_gain(
    payoffs: Sequence[np.ndarray],
    profile: Sequence[Sequence[Fraction]],
    scales: Sequence[int] | None = None,
) -> Fraction:
    """The largest gain any player makes by a unilateral pure deviation, exactly.

    Parameters
    ----------
    payoffs : sequence of numpy arrays
        Each player's payoff tensor, of integers (``int64``, or Python ints in an
        object array): rational payoffs multiplied by a positive integer per player.
    profile : sequence of sequences of Fraction
        Each player's probabilities (non-negative, summing to 1).
    scales : sequence of int, optional
        The factor each player's payoffs were multiplied by (default 1): gains are
        divided by it, so they are in the game's own payoffs.

    Returns
    -------
    Fraction
        ``max_i (max_s u_i(s, sigma_-i) - u_i(sigma))``; zero exactly at a Nash equilibrium.
    """
    return max(gain for gain, _ in _assess(payoffs, profile, scales))


def expected_payoffs(
    payoffs: Sequence[np.ndarray],
    profile: Sequence[Sequence[Fraction]],
    scales: Sequence[int] | None = None,
) -> tuple[Fraction, ...]:
    """Each player's expected payoff at ``profile``, exactly (arguments as :func:`deviation_gain`).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> A = np.array([[2, 0], [0, 1]])
    >>> expected_payoffs([A, 2 * A], [[F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]], [1, 2])
    (Fraction(2, 3), Fraction(2, 3))
    """
    return tuple(mean for _, mean in _assess(payoffs, profile, scales))


def snap(
    payoffs: Sequence[np.ndarray],
    profile: Sequence[np.ndarray],
    scales: Sequence[int] | None = None,
) -> tuple[list[list[Fraction]], Fraction]:
    """An exact rational profile near ``profile`` and its exact deviation gain.

    The dyadic rounding of ``profile`` (:func:`rational_profile`), unless a nearby
    rational profile of small denominator is an exact equilibrium (gain zero), which
    is returned instead. ``scales`` as in :func:`deviation_gain`.

    Returns
    -------
    (list of list of Fraction, Fraction)
        The profile and :func:`deviation_gain` of it.
    """
    rounded = rational_profile(profile)
    gain = deviation_gain(payoffs, rounded, scales)
    if gain == 0:
        return rounded, gain
    for limit in _DENOMINATORS:
        candidate = []
        for probabilities in rounded:
            near = [p.limit_denominator(limit) for p in probabilities]
            if any(p < 0 for p in near) or sum(near) != 1:
                break
            candidate.append(near)
        else:
            if deviation_gain(payoffs, candidate, scales) == 0:
                return candidate, Fraction(0)
    return rounded, gain

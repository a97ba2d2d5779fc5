"""Pure Nash equilibria of strategic-form games with any number of players, vectorised.

Notation as in :mod:`credibility.models.normal`: players ``i = 0..n-1``, payoff
tensors ``u_i`` of shape ``(m_1, ..., m_n)``. A profile ``s`` is a pure Nash
equilibrium iff every player's strategy is a best response to the others':

    u_i[s] = max_t u_i[s_1, ..., s_{i-1}, t, s_{i+1}, ..., s_n]   for every i.

Algorithm (best-response masks; the strategic-form analogue of marking each
column's maxima in a bimatrix game):

1. For each player ``i``, the maxima of ``u_i`` along axis ``i``
   (``u_i.max(axis=i, keepdims=True)``: one value per profile of the others).
2. The mask ``u_i == max`` marks the profiles where ``i`` best-responds.
3. The equilibria are the profiles where all ``n`` masks hold (their logical
   AND); ``numpy.argwhere`` lists them in row-major order.

This takes ``O(n * prod(m))`` time and one boolean per profile besides the tensors.

Exactness: equality is never tested on rounded values. In exact mode each
player's rational payoffs are multiplied by the least common multiple of their
denominators (a positive factor, so best responses do not change), giving
integers; they are held as ``int64`` when every scaled payoff is below
``2**62`` in magnitude, else as an object array of Python integers (exact, but
slower). In float mode the maxima are taken over the floats themselves, so the
comparison ``u == max`` is exact on those floats; only their rounding from the
rational payoffs is approximate.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ..models.normal import NormalForm, check_size

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "INT64_LIMIT",
    "PureEquilibrium",
    "best_response_mask",
    "integer_payoffs",
    "pure_equilibria",
    "pure_nash_profiles",
]

#: Scaled integer payoffs at most this large in magnitude are held as int64 (2**62 leaves
#: headroom); larger ones as Python integers in an object array.
INT64_LIMIT = 2**62

# A Fraction's numerator and denominator read in C (its slots; the public properties are
# Python functions, a third of the time of a large game's solve).
_NUMERATOR = operator.attrgetter(
    "_numerator" if hasattr(Fraction(1), "_numerator") else "numerator"
)
_DENOMINATOR = operator.attrgetter(
    "_denominator" if hasattr(Fraction(1), "_denominator") else "denominator"
)


def best_response_mask(payoffs: Sequence[np.ndarray]) -> np.ndarray:
    """The boolean mask of the profiles at which every player best-responds.

    Parameters
    ----------
    payoffs : sequence of numpy arrays
        One tensor per player, all of the same ``n``-D shape; integer, float or
        object (Python ints, Fractions) dtype.

    Returns
    -------
    numpy.ndarray of bool, of the tensors' shape

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3, 0], [5, 1]]); B = A.T  # prisoner's dilemma
    >>> best_response_mask([A, B]).tolist()
    [[False, False], [False, True]]
    """
    import numpy as np  # lazy: start-up time

    mask: np.ndarray | None = None
    for axis, u in enumerate(payoffs):
        best = u == u.max(axis=axis, keepdims=True)
        if mask is None:
            mask = np.asarray(best, dtype=bool)
        else:
            mask &= best
    assert mask is not None
    return mask


def pure_nash_profiles(payoffs: Sequence[np.ndarray]) -> np.ndarray:
    """Every pure Nash equilibrium as a row of strategy indices, in row-major order.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.zeros((2, 2, 2), dtype=np.int64)
    >>> pure_nash_profiles([u, u, u]).shape  # every profile: all players indifferent
    (8, 3)
    """
    import numpy as np  # lazy: start-up time

    return np.argwhere(best_response_mask(payoffs))


def integer_payoffs(values: Sequence[int | Fraction], shape: tuple[int, ...]) -> np.ndarray:
    """One player's rational payoffs scaled by the lcm of their denominators, as integers.

    ``int64`` when every scaled value is below :data:`INT64_LIMIT` in magnitude,
    else an object array of Python ints. The scale is positive, so comparisons are
    unchanged.

    Examples
    --------
    >>> integer_payoffs([Fraction(1, 2), Fraction(1, 3)], (2,)).tolist()
    [3, 2]
    >>> integer_payoffs([Fraction(2**70), Fraction(1)], (2,)).dtype
    dtype('O')
    """
    import numpy as np  # lazy: start-up time

    if set(map(type, values)) == {int}:  # integers already (games built from int arrays)
        numerators, denominators = list(values), [1]
    else:
        fractions = [v if type(v) is Fraction else Fraction(v) for v in values]
        numerators = list(map(_NUMERATOR, fractions))
        denominators = list(map(_DENOMINATOR, fractions))
    scale = math.lcm(*set(denominators))
    if scale == 1:
        ints = numerators
    else:
        ints = [p * (scale // q) for p, q in zip(numerators, denominators)]
    try:
        array64 = np.fromiter(ints, dtype=np.int64, count=len(ints))
    except OverflowError:
        array64 = None
    if array64 is not None and array64.min() > -INT64_LIMIT and array64.max() < INT64_LIMIT:
        return array64.reshape(shape)
    array = np.empty(len(ints), dtype=object)
    array[:] = ints
    return array.reshape(shape)


@dataclass(frozen=True)
class PureEquilibrium:
    """One pure Nash equilibrium.

    Attributes
    ----------
    profile : tuple of int
        Each player's strategy index.
    strategies : tuple of str
        Each player's strategy label.
    payoffs : tuple of Fraction or float
        Each player's payoff.
    """

    profile: tuple[int, ...]
    strategies: tuple[str, ...]
    payoffs: tuple[Fraction | float, ...]


def pure_equilibria(
    game: NormalForm, values: Sequence[Sequence[int | Fraction]], *, exact: bool = True
) -> tuple[PureEquilibrium, ...]:
    """Every pure Nash equilibrium of a strategic-form game, in row-major order.

    Parameters
    ----------
    game : NormalForm
    values : sequence of sequences of int or Fraction
        Each player's payoffs at bound parameter values, row-major
        (:meth:`NormalForm.numeric <credibility.models.normal.NormalForm.numeric>`).
    exact : bool
        Compare exact (integer-scaled rational) payoffs (default), or floats.

    Raises
    ------
    GameTooLargeError
        If the game has more than :data:`~credibility.models.normal.MAX_PROFILES`
        profiles (checked before anything of that size is allocated).

    Examples
    --------
    >>> from credibility.models.normal import NormalForm
    >>> # a three-player coordination game: all get 1 when they match, else 0
    >>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]
    >>> game = NormalForm.from_arrays([u, u, u])
    >>> [e.strategies for e in pure_equilibria(game, game.numeric(game.bind()))]
    [('S1', 'S1', 'S1'), ('S2', 'S2', 'S2')]
    """
    import numpy as np  # lazy: start-up time

    shape = game.shape
    check_size(shape)
    if exact:
        tensors = [integer_payoffs(v, shape) for v in values]
    else:
        tensors = [np.array(list(map(float, v)), dtype=float).reshape(shape) for v in values]
    equilibria = []
    for row in pure_nash_profiles(tensors):
        profile = tuple(int(k) for k in row)
        position = game.index(profile)
        payoffs = tuple(Fraction(v[position]) if exact else float(v[position]) for v in values)
        labels = tuple(s[k] for s, k in zip(game.strategies, profile))
        equilibria.append(PureEquilibrium(profile, labels, payoffs))
    return tuple(equilibria)

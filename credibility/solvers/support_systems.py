"""The linear systems of a signalling game's support profile, for any exact number type.

Notation as in :mod:`credibility.solvers.pbe_bound`: types ``t = 0..k-1``
with priors ``p[t]``, messages ``m = 0..n-1``, responses ``r = 0..R-1``,
payoffs ``sender[t][m][r]`` and ``receiver[t][m][r]``. A support profile
fixes the messages ``S[t]`` each type sends and the responses ``B[m]`` played
after each message. A perfect Bayesian equilibrium with exactly these
supports exists iff these systems of linear constraints are solvable:

* the **sender's system**, in weights ``w[t][m]`` on ``m`` in ``S[t]``
  (positive, summing to ``c[t]`` for each type): after each message on the
  path, with ``b = B[m][0]``,

  ``sum_t w[t][m] (receiver[t][m][b] - receiver[t][m][r])``
  ``== 0`` for ``r`` in ``B[m]``, ``>= 0`` for every other ``r``.

  Bayes' rule makes the posterior after ``m`` proportional to
  ``p[t] sigma[t][m]``; multiplied through by the message's probability the
  constraints are linear. Either ``w[t][m] = p[t] sigma[t][m]`` (totals
  ``c[t] = p[t]``, coefficients 1) or ``w[t][m] = sigma[t][m]`` (totals 1,
  coefficients ``p[t]``);
* the **receiver's system**, in ``rho[m][r]`` on ``r`` in ``B[m]`` (positive,
  summing to 1 after each message): each type, with ``a = S[t][0]``, has

  ``sum_r rho[a][r] sender[t][a][r] - sum_r rho[m][r] sender[t][m][r]``
  ``== 0`` for ``m`` in ``S[t]``, ``>= 0`` for every other ``m``;
* for each message off the path, some belief ``mu`` over the types makes
  every response of ``B[m]`` a best reply: the sender's rows of that message
  with weights ``mu[t]`` (:mod:`credibility.solvers.pbe_beliefs`).

Both players' rows are one construction, :func:`choice_rows`: a player who
at each situation ``i`` chooses among options ``j`` with payoff
``sum_s weight(i, j, s) payoffs[i][j][s]``, linear in the other player's
strategy, plays exactly the options of ``support[i]`` as best replies. The
receiver chooses ``r`` after ``m`` summing over ``t``: the receiver's payoffs
transposed to ``[m][r][t]`` (:func:`receiver_rows`). The sender chooses
``m`` as type ``t`` summing over ``r``: the sender's payoffs as they are
(:func:`sender_rows`). So does a bimatrix game serve both players, the column
player's matrix transposed (quantecon's ``_indiff_mixed_action``).

The number type is the caller's: :class:`fractions.Fraction` for the exact
solver (:mod:`credibility.solvers.pbe_supports`), sympy expressions for the
symbolic conditions (:mod:`credibility.symbolic.signalling_supports`). Only
``+``, ``-`` and ``*`` are used; signs are for the caller to decide. A row
``terms, relation`` stands for ``sum_v terms[v] x_v relation 0``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, Literal, Protocol, TypeVar

__all__ = [
    "Row",
    "Scalar",
    "System",
    "choice_rows",
    "profile_count",
    "receiver_rows",
    "receiver_system",
    "sender_rows",
    "sender_system",
    "subsets",
]

_S = TypeVar("_S")


class Scalar(Protocol):
    """An exact number: :class:`~fractions.Fraction` or a sympy expression."""

    def __add__(self: _S, other: _S, /) -> _S: ...

    def __sub__(self: _S, other: _S, /) -> _S: ...

    def __mul__(self: _S, other: _S, /) -> _S: ...

    def __neg__(self: _S) -> _S: ...


#: The number type of a system.
N = TypeVar("N", bound=Scalar)
#: The variables' names.
K = TypeVar("K", bound=Hashable)
Supports = Sequence[Sequence[int]]
Payoffs = Sequence[Sequence[Sequence[N]]]
Relation = Literal["==", ">="]


@dataclass(frozen=True)
class Row(Generic[K, N]):
    """One constraint ``sum_v terms[v] x_v  relation  0``.

    Attributes
    ----------
    terms : dict
        The coefficients of the variables that occur, by variable.
    relation : {"==", ">="}
    """

    terms: dict[K, N]
    relation: Relation


@dataclass(frozen=True)
class System(Generic[K, N]):
    """A strategy's variables, their totals and its best-reply rows.

    Attributes
    ----------
    variables : tuple
        The variables, in their order (the columns of the system).
    totals : tuple of (tuple, number)
        Groups of variables (one player's mixture at a situation) with their
        sum; every variable is positive too.
    rows : tuple of Row
        The best-reply constraints.
    """

    variables: tuple[K, ...]
    totals: tuple[tuple[tuple[K, ...], N], ...]
    rows: tuple[Row[K, N], ...]


def subsets(size: int, mixed: bool = True) -> list[tuple[int, ...]]:
    """The nonempty subsets of ``range(size)``, smallest first (only singletons if not ``mixed``).

    Examples
    --------
    >>> subsets(3)
    [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2)]
    >>> subsets(3, mixed=False)
    [(0,), (1,), (2,)]
    """
    largest = size if mixed else 1
    return [c for k in range(1, largest + 1) for c in combinations(range(size), k)]


def profile_count(types: int, messages: int, responses: int, mixed: bool = True) -> int:
    """The number of support profiles ``(S, B)``: ``(2^n - 1)^k (2^R - 1)^n``, or ``n^k R^n`` pure.

    Examples
    --------
    >>> profile_count(2, 2, 2), profile_count(2, 2, 2, mixed=False)
    (81, 16)
    """
    if mixed:
        return (2**messages - 1) ** types * (2**responses - 1) ** messages
    return messages**types * responses**messages


def choice_rows(
    payoffs: Payoffs[N], supports: Supports, weight: Callable[[int, int, int], Mapping[K, N]]
) -> list[Row[K, N]]:
    """Rows making ``supports[i]`` exactly the best options at each situation ``i``.

    Parameters
    ----------
    payoffs : sequence of sequence of sequence of number
        ``payoffs[i][j][s]``: the chooser's payoff at situation ``i`` from
        option ``j`` when the other player's index is ``s``.
    supports : sequence of sequence of int
        The options played at each situation, sorted; an empty one leaves its
        situation unconstrained.
    weight : callable
        ``weight(i, j, s)``: the weight of ``payoffs[i][j][s]``, as a linear
        form ``{variable: coefficient}`` (empty for none).

    Returns
    -------
    list of Row
        For each situation with a support, with first option ``f``, and each
        option ``j != f`` in order: the value of ``f`` minus that of ``j``,
        ``== 0`` if ``j`` is in the support, ``>= 0`` otherwise.

    Examples
    --------
    Matching pennies' row player at its one situation, the column player's
    mixture ``y`` the variables: both rows played makes them equally good.

    >>> from fractions import Fraction as F
    >>> A = [[[F(1), F(-1)], [F(-1), F(1)]]]
    >>> rows = choice_rows(A, [(0, 1)], lambda i, j, s: {f"y{s}": F(1)})
    >>> [(row.terms, row.relation) for row in rows]
    [({'y0': Fraction(2, 1), 'y1': Fraction(-2, 1)}, '==')]
    """
    rows: list[Row[K, N]] = []
    for i, support in enumerate(supports):
        if not support:
            continue
        best = _value(payoffs[i], support[0], weight, i)
        for j in range(len(payoffs[i])):
            if j != support[0]:
                terms = _difference(best, _value(payoffs[i], j, weight, i))
                rows.append(Row(terms, "==" if j in support else ">="))
    return rows


def receiver_rows(
    receiver: Payoffs[N], responses: Supports, weight: Callable[[int, int], Mapping[K, N]]
) -> list[Row[K, N]]:
    """Rows making ``responses[m]`` the receiver's best replies after each message.

    Parameters
    ----------
    receiver : sequence of sequence of sequence of number
        ``receiver[t][m][r]``.
    responses : sequence of sequence of int
        ``B[m]``; an empty one leaves message ``m`` unconstrained.
    weight : callable
        ``weight(t, m)``: type ``t``'s (unnormalised) belief weight after
        ``m``, as a linear form.

    Returns
    -------
    list of Row
        :func:`choice_rows` of the receiver's payoffs transposed to
        ``[m][r][t]``.

    Examples
    --------
    Two equally likely types; the receiver prefers ``r = 0`` against type 0
    and ``r = 1`` against type 1. Playing ``r = 1`` after the message needs
    type 1's weight at least type 0's:

    >>> from fractions import Fraction as F
    >>> u = [[[F(1), F(0)]], [[F(0), F(1)]]]
    >>> [(row.terms, row.relation) for row in receiver_rows(u, [(1,)], lambda t, m: {t: F(1)})]
    [({0: Fraction(-1, 1), 1: Fraction(1, 1)}, '>=')]
    """
    transposed = [
        [[receiver[t][m][r] for t in range(len(receiver))] for r in range(len(receiver[0][m]))]
        for m in range(len(responses))
    ]
    return choice_rows(transposed, responses, lambda m, r, t: weight(t, m))


def sender_rows(
    sender: Payoffs[N], messages: Supports, responses: Supports, one: N
) -> list[Row[tuple[int, int], N]]:
    """Rows making ``messages[t]`` each type's best messages against ``rho`` on ``responses``.

    Parameters
    ----------
    sender : sequence of sequence of sequence of number
        ``sender[t][m][r]``.
    messages : sequence of sequence of int
        ``S[t]``, nonempty.
    responses : sequence of sequence of int
        ``B[m]``: the variables are ``rho[m][r]``, named ``(m, r)``, for
        ``r`` in ``B[m]``.
    one : number
        1 in the number type.

    Returns
    -------
    list of Row
        :func:`choice_rows` of the sender's payoffs as they are.

    Examples
    --------
    One type, two messages, and the receiver's response to the second mixes:
    sending the first (worth 1) needs ``2 rho[1][0] <= 1``.

    >>> from fractions import Fraction as F
    >>> u = [[[F(1), F(1)], [F(2), F(0)]]]
    >>> rows = sender_rows(u, [(0,)], [(0,), (0, 1)], F(1))
    >>> [(row.terms, row.relation) for row in rows]
    [({(0, 0): Fraction(1, 1), (1, 0): Fraction(-2, 1), (1, 1): Fraction(0, 1)}, '>=')]
    """
    return choice_rows(sender, messages, lambda t, m, r: {(m, r): one} if r in responses[m] else {})


def sender_system(
    receiver: Payoffs[N],
    messages: Supports,
    responses: Supports,
    coefficients: Sequence[N],
    totals: Sequence[N],
    types: Sequence[int] | None = None,
) -> System[tuple[int, int], N]:
    """The sender's system: ``w[t][m]`` on ``S[t]`` making each ``B[m]`` the best replies.

    Parameters
    ----------
    receiver, responses
        As for :func:`receiver_rows`: the receiver's payoffs, and ``B[m]``
        for the messages on the path (empty for the others).
    messages : sequence of sequence of int
        ``S[t]``: the variables are ``w[t][m]``, named ``(t, m)``.
    coefficients, totals : sequence of number
        For each type, the coefficient of its weights in the rows and their
        sum: ``p[t]`` and 1 for ``w = sigma``, or 1 and ``p[t]`` for
        ``w = p sigma``.
    types : sequence of int, optional
        The types with variables (default: all).

    Returns
    -------
    System
        Variables ``(t, m)``, type by type.

    Examples
    --------
    Type 0 sends both messages, type 1 message 1; the receiver, who likes
    ``r = 0`` against type 0 and ``r = 1`` against type 1, plays ``r = 0``
    after message 1, which needs type 0's weight on it at least type 1's:

    >>> from fractions import Fraction as F
    >>> u = [[[F(1), F(0)], [F(1), F(0)]], [[F(0), F(1)], [F(0), F(1)]]]
    >>> system = sender_system(u, [(0, 1), (1,)], [(), (0,)], [F(1), F(1)], [F(1), F(1)])
    >>> system.variables, system.totals[1]
    (((0, 0), (0, 1), (1, 1)), (((1, 1),), Fraction(1, 1)))
    >>> [(row.terms, row.relation) for row in system.rows]
    [({(0, 1): Fraction(1, 1), (1, 1): Fraction(-1, 1)}, '>=')]
    """
    present = range(len(messages)) if types is None else types
    variables = tuple((t, m) for t in present for m in messages[t])
    named = set(variables)
    rows = receiver_rows(
        receiver,
        responses,
        lambda t, m: {(t, m): coefficients[t]} if (t, m) in named else {},
    )
    groups = tuple((tuple((t, m) for m in messages[t]), totals[t]) for t in present)
    return System(variables, groups, tuple(rows))


def receiver_system(
    sender: Payoffs[N], messages: Supports, responses: Supports, one: N
) -> System[tuple[int, int], N]:
    """The receiver's system: ``rho[m][r]`` on ``B[m]`` making each ``S[t]`` the best messages.

    Parameters
    ----------
    sender, messages, responses, one
        As for :func:`sender_rows`, every ``B[m]`` nonempty; ``one`` is each
        message's total too.

    Returns
    -------
    System
        Variables ``(m, r)``, message by message; rows :func:`sender_rows`.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> u = [[[F(1), F(1)], [F(2), F(0)]]]
    >>> system = receiver_system(u, [(0,)], [(0,), (0, 1)], F(1))
    >>> system.variables
    ((0, 0), (1, 0), (1, 1))
    >>> [total for _, total in system.totals]
    [Fraction(1, 1), Fraction(1, 1)]
    """
    variables = tuple((m, r) for m, support in enumerate(responses) for r in support)
    groups = tuple((tuple((m, r) for r in support), one) for m, support in enumerate(responses))
    return System(variables, groups, tuple(sender_rows(sender, messages, responses, one)))


def _value(
    options: Sequence[Sequence[N]],
    j: int,
    weight: Callable[[int, int, int], Mapping[K, N]],
    i: int,
) -> dict[K, N]:
    """The linear form ``sum_s weight(i, j, s) options[j][s]``."""
    form: dict[K, N] = {}
    for s, payoff in enumerate(options[j]):
        for variable, coefficient in weight(i, j, s).items():
            term = coefficient * payoff
            form[variable] = form[variable] + term if variable in form else term
    return form


def _difference(first: Mapping[K, N], second: Mapping[K, N]) -> dict[K, N]:
    """The linear form ``first - second``."""
    form = dict(first)
    for variable, coefficient in second.items():
        form[variable] = form[variable] - coefficient if variable in form else -coefficient
    return form

"""Symmetric equilibria of symmetric n-player games with two actions, exactly.

Notation as in :mod:`credibility.models.symmetric`: ``n`` members, ``d(k) = u1(k) - u2(k)``
the gain of the first action when ``k`` of the other ``n - 1`` members choose it. If every
other member chooses the first action with probability ``p``, the gain is

    D(p) = sum_k C(n-1, k) p^k (1-p)^(n-1-k) d(k),

a polynomial in ``p`` with rational coefficients (at bound parameter values). The symmetric
equilibria are:

- *all choose the first action* iff ``d(n-1) >= 0`` (nobody gains by switching);
- *all choose the second action* iff ``d(0) <= 0``;
- *everyone mixes with* ``p`` in (0, 1) iff ``D(p) = 0`` (each member is indifferent).

The roots of ``D`` in (0, 1) are found exactly: ``D`` is split into its irreducible factors
over the rationals (sympy's ``factor_list``) and each factor's real roots are isolated
(``CRootOf``, isolating intervals); a root is reported as a rational, or as a radical when
``D`` is a binomial in ``q = 1 - p`` (the volunteer's dilemma), else as ``CRootOf(f, i)``,
each with a decimal approximation. Each is verified: the factor divides ``D`` exactly and the
root lies in (0, 1); a pure profile's condition is checked on the exact ``d``. If every
``d(k)`` is 0 the actions always tie and every ``p`` is an equilibrium (reported as such).

Asymmetric equilibria exist too (in the volunteer's dilemma, exactly one member volunteers
and the others abstain) and are **not** listed by this kind: build the game as ``normal``
for a fixed ``n`` to enumerate its pure equilibria (:func:`to_normal_form`).

Textbook check (Diekmann 1985, "Volunteer's dilemma", J. Conflict Resolution 29(4)): with
``u1 = b - c`` and ``u2 = b`` if ``k >= 1`` else 0, ``D(p) = b (1-p)^(n-1) - c``, so the mixed
equilibrium is ``p* = 1 - (c/b)^(1/(n-1))`` and the probability that at least one member
volunteers is ``1 - (c/b)^(n/(n-1))``, decreasing in ``n``.

Examples
--------
>>> import credibility as cr
>>> solution = cr.solve(cr.load("collective_defence_n"), {"n": 2})
>>> [(e.label, str(e.p)) for e in solution.equilibria]
[('mixed', '3/4')]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sympy

from ..errors import CredibilityError
from ..expressions import format_number
from ..json_types import JSONObject
from ..models.normal import NormalForm
from ..models.symmetric import SymmetricGame
from ..parameters import ParamValues
from ..render.display import Displayed, clipped

if TYPE_CHECKING:
    from ..models.common import Binding

__all__ = [
    "ASYMMETRIC_NOTE",
    "SymmetricEquilibrium",
    "SymmetricSolution",
    "at_least",
    "closed_form",
    "gain_polynomial",
    "solve_symmetric",
    "symmetric_outcome",
    "to_normal_form",
]

#: What every solution says about the equilibria it does not list.
ASYMMETRIC_NOTE = (
    "Symmetric equilibria only: asymmetric equilibria (e.g. exactly one member defends) "
    "exist too and are not listed; the normal kind enumerates pure ones for a fixed n."
)
#: Digits of the decimal approximations.
DIGITS = 20
P = sympy.Symbol("p")


@dataclass(frozen=True)
class SymmetricEquilibrium:
    """One symmetric equilibrium: every member chooses the first action with probability ``p``.

    Attributes
    ----------
    label : str
        ``all FIRST``, ``all SECOND`` or ``mixed``.
    p : sympy.Expr
        Exact: a rational, a radical or a ``CRootOf``.
    answer : sympy.Expr
        The probability that at least ``answer_at_least`` members choose the first action.
    payoff : sympy.Expr
        Each member's expected payoff.
    n : int
        The number of members.
    sample : str
        Where a threshold region's representative was solved (``c = 2``), or empty.
    """

    label: str
    p: sympy.Expr
    answer: sympy.Expr
    payoff: sympy.Expr
    n: int
    sample: str = field(default="", compare=False)

    @property
    def pure(self) -> bool:
        """True for the all-first and all-second profiles."""
        return self.label != "mixed"


def decimal(value: sympy.Expr) -> str:
    """A decimal approximation (``DIGITS`` significant digits), exact for small rationals."""
    value = sympy.sympify(value)
    if value.is_Rational:
        return format_number(Fraction(int(value.p), int(value.q)))
    return str(sympy.Float(value.evalf(DIGITS + 5), DIGITS))


def at_least(p: sympy.Expr, n: int, m: int) -> sympy.Expr:
    """The probability that at least ``m`` of ``n`` independent members choose with prob ``p``."""
    if m <= 0:
        return sympy.Integer(1)
    if m > n:
        return sympy.Integer(0)
    if m == 1:
        return 1 - (1 - p) ** n
    return sympy.Add(*(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(m, n + 1)))


def gain_polynomial(d: list[Fraction]) -> sympy.Poly:
    """``D(p)`` as a polynomial over the rationals, from ``d(0..n-1)`` (power basis, exact)."""
    return sympy.Poly(
        [sympy.Rational(c.numerator, c.denominator) for c in reversed(_gain_coefficients(d))],
        P,
        domain=sympy.QQ,
    )


def _gain_coefficients(d: list[Fraction]) -> list[Fraction]:
    """``D(p)``'s coefficients in the power basis, constant first, exactly."""
    m = len(d) - 1
    coefficients = [Fraction(0)] * (m + 1)
    for k, dk in enumerate(d):
        if dk == 0:
            continue
        weight = math.comb(m, k) * dk
        for j in range(m - k + 1):  # p^k (1-p)^(m-k) = sum_j C(m-k, j) (-1)^j p^(k+j)
            coefficients[k + j] += weight * math.comb(m - k, j) * (-1 if j % 2 else 1)
    return coefficients


def _binomial_in_q(d: list[Fraction]) -> tuple[Fraction, Fraction] | None:
    """``(alpha, beta)`` if ``D = alpha q^(n-1) + beta``, ``q = 1 - p`` (same ``d(k)``, k >= 1)."""
    if len(d) < 2 or any(x != d[1] for x in d[1:]):
        return None
    return d[0] - d[1], d[1]


def _mixed_roots(d: list[Fraction]) -> list[sympy.Expr]:
    """The distinct roots of ``D`` in (0, 1), exact and verified, in increasing order."""
    if all(x == 0 for x in d):  # the Bernstein basis is a basis: D is the zero polynomial
        return []
    binomial = _binomial_in_q(d)
    if binomial is not None and binomial[0] != 0:
        alpha, beta = binomial
        ratio = -beta / alpha
        if not 0 < ratio < 1:
            return []
        rational = sympy.Rational(ratio.numerator, ratio.denominator)
        degree = len(d) - 1
        q = rational ** sympy.Rational(1, degree)
        # Verified exactly: D = alpha (1-p)^(n-1) + beta coefficient by coefficient, and
        # q^(n-1) = -beta/alpha.
        shape = [alpha * math.comb(degree, j) * (-1) ** j for j in range(degree + 1)]
        shape[0] += beta
        if shape != _gain_coefficients(d) or q**degree != rational:  # pragma: no cover
            raise CredibilityError(f"internal error: the root {1 - q} of D(p) does not check")
        return [1 - q]
    poly = gain_polynomial(d)
    roots: list[sympy.Expr] = []
    _, factors = poly.factor_list()
    for factor, _multiplicity in factors:
        if not poly.rem(factor).is_zero:  # pragma: no cover - factor_list's factors divide
            raise CredibilityError("internal error: a factor does not divide D(p)")
        if factor.degree() == 1:
            c1, c0 = factor.all_coeffs()
            candidates = [-c0 / c1]
        else:
            count = factor.count_roots()
            candidates = [sympy.CRootOf(factor.as_expr(), P, i) for i in range(count)]
        for root in candidates:
            if 0 < root < 1:  # exact: CRootOf compares by refining its isolating interval
                roots.append(root)
    return sorted(set(roots), key=lambda r: float(r))


@dataclass(frozen=True, repr=False)
class SymmetricSolution(Displayed):
    """The symmetric equilibria of a symmetric game at bound parameter values.

    Attributes
    ----------
    game : SymmetricGame
    parameters : dict of str to Fraction
    n : int
        The number of members.
    answer_at_least : int
        How many members choosing the first action make the alliance answer.
    equilibria : tuple of SymmetricEquilibrium
        All-first, then the mixed ones by increasing ``p``, then all-second.
    differences : tuple of Fraction
        ``d(k)`` for ``k = 0 .. n-1``.
    every_p : bool
        True if the actions always tie: every ``p`` is an equilibrium.
    closed_form : dict of str to sympy.Expr
        ``p*(n)`` and ``answer(n)`` in closed form where found (the volunteer's dilemma).
    exact : bool
    note : str
        Asymmetric equilibria are not listed (:data:`ASYMMETRIC_NOTE`).
    """

    game: SymmetricGame
    parameters: dict[str, Fraction]
    n: int
    answer_at_least: int
    equilibria: tuple[SymmetricEquilibrium, ...]
    differences: tuple[Fraction, ...]
    every_p: bool = False
    closed_form: dict[str, sympy.Expr] = field(default_factory=dict)
    exact: bool = True
    note: str = ASYMMETRIC_NOTE
    kind: str = field(default="symmetric", init=False)

    @property
    def outcome(self) -> str:
        """The equilibria as ``all Defend | mixed | all Abstain`` (:func:`symmetric_outcome`)."""
        return symmetric_outcome(self.equilibria, self.every_p)

    @property
    def mixed(self) -> tuple[SymmetricEquilibrium, ...]:
        """The mixed equilibria."""
        return tuple(e for e in self.equilibria if not e.pure)

    def _summary(self) -> str:
        name = self.game.info.name or self.game.info.label
        return f"{name} (n = {self.n}): {clipped(self.outcome)}, exact, symmetric only"

    def _columns(self) -> dict[str, list[Any]]:
        return {
            "equilibrium": [e.label for e in self.equilibria],
            "p": [decimal(e.p) for e in self.equilibria],
            "p_answer": [decimal(e.answer) for e in self.equilibria],
            "payoff": [decimal(e.payoff) for e in self.equilibria],
        }

    def to_dict(self) -> JSONObject:
        """The JSON contract's object for ``credibility solve`` on a symmetric game."""
        game = self.game
        result: JSONObject = {
            "format": 1,
            "kind": "symmetric",
            "game": game.info.label,
            "players": list(game.players),
            "parameters": {k: format_number(v) for k, v in self.parameters.items()},
            "n": str(self.n),
            "actions": list(game.actions),
            "answer_at_least": str(self.answer_at_least),
            "exact": self.exact,
            "method": "exact roots of the gain polynomial",
            "complete": False,
            "every_p": self.every_p,
            "note": self.note,
            "equilibria": [equilibrium_dict(e, str) for e in self.equilibria],
        }
        if self.closed_form:
            result["closed_form"] = {
                name: {"expression": str(expr), "latex": sympy.latex(expr)}
                for name, expr in self.closed_form.items()
            }
        return result


def equilibrium_dict(e: SymmetricEquilibrium, text: Any) -> JSONObject:
    """One equilibrium in JSON: exact values (``text``) and decimals."""
    return {
        "label": e.label,
        "n": str(e.n),
        "p": text(e.p),
        "p_decimal": decimal(e.p),
        "p_answer": text(e.answer),
        "p_answer_decimal": decimal(e.answer),
        "payoff": text(e.payoff),
        "payoff_decimal": decimal(e.payoff),
        "pure": e.pure,
    }


def symmetric_outcome(equilibria: tuple[SymmetricEquilibrium, ...], every_p: bool = False) -> str:
    """The label of a set of symmetric equilibria: ``all Defend | 2 mixed | all Abstain``.

    Examples
    --------
    >>> e = SymmetricEquilibrium("mixed", sympy.Rational(1, 2), sympy.Rational(3, 4), 0, 2)
    >>> symmetric_outcome((e, e))
    '2 mixed'
    """
    if every_p:
        return "every p (the actions tie)"
    if not equilibria:
        return "no symmetric equilibrium"
    mixed = sum(1 for e in equilibria if not e.pure)
    parts = [e.label for e in equilibria if e.pure and e.p == 1]
    if mixed:
        parts.append("mixed" if mixed == 1 else f"{mixed} mixed")
    parts += [e.label for e in equilibria if e.pure and e.p == 0]
    return " | ".join(parts)


def solve_symmetric(
    game: SymmetricGame, params: ParamValues | None = None, *, exact: bool = True
) -> SymmetricSolution:
    """Every symmetric equilibrium of a symmetric game at bound values (exact).

    Asymmetric equilibria exist too and are not listed (:data:`ASYMMETRIC_NOTE`).

    Parameters
    ----------
    game : SymmetricGame
    params : mapping of str to number or fraction string, optional
    exact : bool
        Only exact arithmetic is offered (``False`` is refused).

    Examples
    --------
    >>> import credibility as cr
    >>> s = cr.solve(cr.load("collective_defence_n"), {"n": 12})
    >>> s.outcome, str(s.equilibria[0].p)
    ('mixed', '1 - 2**(9/11)/2')
    """
    if not exact:
        raise CredibilityError("a symmetric game is solved in exact arithmetic only")
    binding = game.bind(params)
    return _solve(game, binding)


def _solve(game: SymmetricGame, binding: Binding) -> SymmetricSolution:
    n = game.members(binding)
    first, second = game.payoff_values(binding)
    d = [a - b for a, b in zip(first, second)]
    m = game.answer_count(binding)
    every_p = all(x == 0 for x in d)
    found: list[SymmetricEquilibrium] = []
    one, zero = sympy.Integer(1), sympy.Integer(0)
    if d[n - 1] >= 0:
        payoff = _rational(first[n - 1])
        answer = at_least(one, n, m)
        found.append(SymmetricEquilibrium(f"all {game.actions[0]}", one, answer, payoff, n))
    if not every_p:
        for root in _mixed_roots(d):
            if len(set(first)) == 1:  # indifferent: the expected payoff of either action
                payoff = _rational(first[0])
            elif len(set(second)) == 1:
                payoff = _rational(second[0])
            else:
                payoff = sympy.Add(
                    *(
                        math.comb(n - 1, k) * root**k * (1 - root) ** (n - 1 - k) * _rational(u)
                        for k, u in enumerate(second)
                        if u != 0
                    )
                )
            answer = at_least(root, n, m)
            found.append(SymmetricEquilibrium("mixed", root, answer, payoff, n))
    if d[0] <= 0:
        payoff = _rational(second[0])
        answer = at_least(zero, n, m)
        found.append(SymmetricEquilibrium(f"all {game.actions[1]}", zero, answer, payoff, n))
    return SymmetricSolution(
        game,
        dict(binding.values),
        n,
        m,
        tuple(found),
        tuple(d),
        every_p,
        closed_form(game, binding) if not every_p else {},
    )


def _rational(x: Fraction) -> sympy.Expr:
    return sympy.Rational(x.numerator, x.denominator)


def closed_form(game: SymmetricGame, binding: Binding) -> dict[str, sympy.Expr]:
    """``p*(n)`` (and ``answer(n)`` when one member suffices) as expressions in ``n``.

    Found where ``d(k)`` is the same for every ``k >= 1`` and does not depend on ``n``
    (the volunteer's dilemma's shape): then ``D = alpha (1-p)^(n-1) + beta`` and
    ``p* = 1 - (-beta/alpha)^(1/(n-1))``. The other parameters keep their symbols.
    Empty when the game has no such form or the number of players is fixed.
    """
    parameter = game.count_parameter
    if parameter is None:
        return {}
    n = game.members(binding)
    d = game.differences(binding)
    # n + 1 outside the bounds is fine here: only the shape of d is compared.
    values = dict(binding.values) | {parameter.name: Fraction(n + 1)}
    bind_n = type(binding)(binding.parameters, values)
    if _binomial_in_q(d) is None or _binomial_in_q(game.differences(bind_n)) is None:
        return {}
    # The same alpha and beta at n + 1 with the other parameters symbolic: recompute them as
    # expressions by binding every parameter but n to its symbol.
    alpha, beta = _binomial_in_q(d)  # type: ignore[misc]
    alpha_next, beta_next = _binomial_in_q(game.differences(bind_n))  # type: ignore[misc]
    if (alpha, beta) != (alpha_next, beta_next) or alpha == 0:
        return {}
    ratio = _symbolic_ratio(game)
    if ratio is None:
        return {}
    x = parameter.symbol
    p_star = 1 - ratio ** (1 / (x - 1))
    result = {"p*": p_star}
    if game.answer_count(binding) == 1:
        result["answer"] = 1 - ratio ** (x / (x - 1))
    return result


@lru_cache(maxsize=256)
def _symbolic_ratio(game: SymmetricGame) -> sympy.Expr | None:
    """``-beta / alpha`` with the parameters as symbols, simplified once per game."""
    symbolic = _symbolic_alpha_beta(game)
    if symbolic is None:
        return None
    alpha, beta = symbolic
    return sympy.simplify(-beta / alpha)


def _symbolic_alpha_beta(game: SymmetricGame) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``alpha = d(0) - d(1)`` and ``beta = d(1)`` with the parameters as symbols (steps at 0/1)."""
    k = sympy.Symbol("k")
    values = []
    for payoff in game.payoffs:
        at = []
        for kk in (0, 1):
            total = payoff.base.xreplace({k: kk})
            for step in payoff.steps:
                if not step.at_least.is_number:
                    return None
                if kk >= step.at_least:
                    total += step.add.xreplace({k: kk})
            at.append(total)
        values.append(at)
    d0 = values[0][0] - values[1][0]
    d1 = values[0][1] - values[1][1]
    return sympy.simplify(d0 - d1), sympy.simplify(d1)


def to_normal_form(game: SymmetricGame, params: ParamValues | None = None) -> NormalForm:
    """The strategic form of a symmetric game at bound values (n players, two actions each).

    Its pure equilibria include the asymmetric ones this kind does not list.
    """
    import itertools  # lazy: start-up time

    binding = game.bind(params)
    n = game.members(binding)
    first, second = game.payoff_values(binding)
    payoffs: list[list[Fraction]] = [[] for _ in range(n)]
    for profile in itertools.product((0, 1), repeat=n):
        chosen = sum(1 for s in profile if s == 0)
        for i, s in enumerate(profile):
            k = chosen - (1 if s == 0 else 0)
            payoffs[i].append(first[k] if s == 0 else second[k])
    return NormalForm(
        tuple(f"Member {i + 1}" for i in range(n)),
        tuple(game.actions for _ in range(n)),
        tuple(tuple(v) for v in payoffs),
        (),
    )

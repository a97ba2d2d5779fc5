"""A signalling game at bound parameter values, and the exact check of a PBE.

Notation (used by every ``pbe_*`` module): types ``t = 0..k-1`` with priors
``p[t]``, messages ``m = 0..n-1``, responses ``r = 0..R-1``;
``sender[t][m][r]`` and ``receiver[t][m][r]`` are the two players' payoffs.
A profile is a behaviour strategy of the sender ``sigma[t][m]`` (the
probability that type ``t`` sends ``m``), of the receiver ``rho[m][r]``, and
beliefs ``mu[m][t]`` (the receiver's posterior after ``m``).

A profile is a perfect Bayesian equilibrium (Fudenberg & Tirole 1991, *Game
Theory*, section 8.2; Gibbons 1992, *Game Theory for Applied Economists*,
section 4.2) when

1. every message a type sends with positive probability maximises that type's
   expected payoff against ``rho``;
2. every response the receiver plays with positive probability after ``m``
   maximises its expected payoff under ``mu[m]``;
3. ``mu[m]`` follows Bayes' rule from ``p`` and ``sigma`` whenever ``m`` has
   positive probability (off the path any belief is allowed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..models import SignallingGame
from ..models.common import Binding

__all__ = ["BoundSignallingGame", "Profile", "pbe_violations"]

Matrix = tuple[tuple[Fraction, ...], ...]
Profile = tuple[Matrix, Matrix]  # (sigma[t][m], rho[m][r])


@dataclass(frozen=True)
class BoundSignallingGame:
    """The numbers of a signalling game at bound parameter values.

    Attributes
    ----------
    types, messages, responses : tuple of str
        Labels, in the game's order.
    prior : tuple of Fraction
    sender, receiver : tuple of Matrix
        ``sender[t][m][r]`` and ``receiver[t][m][r]``.

    Examples
    --------
    >>> F = Fraction
    >>> form = BoundSignallingGame.from_lists(
    ...     ["H", "L"], ["a", "b"], ["x", "y"], [F(1, 2), F(1, 2)],
    ...     [[[1, 0], [1, 0]], [[0, 1], [0, 1]]], [[[1, 0], [1, 0]], [[0, 1], [0, 1]]])
    >>> form.value(0, 0, (F(1, 2), F(1, 2)))
    Fraction(1, 2)
    """

    types: tuple[str, ...]
    messages: tuple[str, ...]
    responses: tuple[str, ...]
    prior: tuple[Fraction, ...]
    sender: tuple[Matrix, ...]
    receiver: tuple[Matrix, ...]

    @classmethod
    def from_game(cls, game: SignallingGame, binding: Binding) -> BoundSignallingGame:
        """Evaluate every prior and payoff of ``game`` exactly under ``binding``."""
        sender, receiver = [], []
        for sender_type in game.types:
            field = f"types.{sender_type.name}.payoffs"
            sender.append(
                tuple(
                    tuple(binding.value(pair[0], field) for pair in row)
                    for row in sender_type.payoffs
                )
            )
            receiver.append(
                tuple(
                    tuple(binding.value(pair[1], field) for pair in row)
                    for row in sender_type.payoffs
                )
            )
        return cls(
            types=tuple(t.name for t in game.types),
            messages=tuple(game.messages),
            responses=tuple(game.responses),
            prior=tuple(binding.value(t.prior) for t in game.types),
            sender=tuple(sender),
            receiver=tuple(receiver),
        )

    @classmethod
    def from_lists(
        cls,
        types: Sequence[str],
        messages: Sequence[str],
        responses: Sequence[str],
        prior: Sequence[Fraction | int],
        sender: Sequence[Sequence[Sequence[Fraction | int]]],
        receiver: Sequence[Sequence[Sequence[Fraction | int]]],
    ) -> BoundSignallingGame:
        """Build a form from nested lists of numbers (converted to Fractions)."""

        def matrix(rows: Sequence[Sequence[Fraction | int]]) -> Matrix:
            return tuple(tuple(Fraction(x) for x in row) for row in rows)

        return cls(
            tuple(types),
            tuple(messages),
            tuple(responses),
            tuple(Fraction(p) for p in prior),
            tuple(matrix(rows) for rows in sender),
            tuple(matrix(rows) for rows in receiver),
        )

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(types, messages, responses)``."""
        return len(self.types), len(self.messages), len(self.responses)

    def value(self, t: int, m: int, rho_m: Sequence[Fraction]) -> Fraction:
        """Type ``t``'s expected payoff from sending ``m`` against the mixed response ``rho_m``."""
        return sum((q * u for q, u in zip(rho_m, self.sender[t][m])), Fraction(0))

    def receiver_value(self, m: int, r: int, belief: Sequence[Fraction]) -> Fraction:
        """The receiver's expected payoff from ``r`` after ``m`` under ``belief`` over types."""
        return sum((b * self.receiver[t][m][r] for t, b in enumerate(belief)), Fraction(0))

    def mass(self, sigma: Matrix, m: int) -> Fraction:
        """The prior probability that message ``m`` is sent."""
        return sum((p * s[m] for p, s in zip(self.prior, sigma)), Fraction(0))

    def posterior(self, sigma: Matrix, m: int) -> tuple[Fraction, ...] | None:
        """Bayes' rule after ``m``; None if ``m`` is sent with probability zero."""
        total = self.mass(sigma, m)
        if total == 0:
            return None
        return tuple(p * s[m] / total for p, s in zip(self.prior, sigma))

    def best_replies(self, m: int, belief: Sequence[Fraction]) -> tuple[int, ...]:
        """The receiver's pure best replies to ``m`` under ``belief``."""
        values = [self.receiver_value(m, r, belief) for r in range(len(self.responses))]
        top = max(values)
        return tuple(r for r, v in enumerate(values) if v == top)

    def payoffs(self, sigma: Matrix, rho: Matrix) -> tuple[Fraction, ...]:
        """Each type's expected payoff, then the receiver's ex-ante expected payoff."""
        k, n, _ = self.shape
        types = tuple(
            sum((sigma[t][m] * self.value(t, m, rho[m]) for m in range(n)), Fraction(0))
            for t in range(k)
        )
        receiver = sum(
            (
                self.prior[t] * sigma[t][m] * rho[m][r] * self.receiver[t][m][r]
                for t in range(k)
                for m in range(n)
                for r in range(len(self.responses))
            ),
            Fraction(0),
        )
        return (*types, receiver)


def pbe_violations(
    form: BoundSignallingGame, sigma: Matrix, rho: Matrix, beliefs: Matrix
) -> list[str]:
    """Check a profile against the definition of a PBE, exactly.

    Parameters
    ----------
    form : BoundSignallingGame
    sigma, rho, beliefs : tuple of tuples of Fraction
        ``sigma[t][m]``, ``rho[m][r]`` and ``beliefs[m][t]``.

    Returns
    -------
    list of str
        What fails, in words; empty if the profile is a perfect Bayesian
        equilibrium.

    Examples
    --------
    >>> F = Fraction
    >>> form = BoundSignallingGame.from_lists(
    ...     ["H", "L"], ["a", "b"], ["x", "y"], [F(1, 2), F(1, 2)],
    ...     [[[1, 0], [1, 0]], [[0, 1], [0, 1]]], [[[1, 0], [1, 0]], [[0, 1], [0, 1]]])
    >>> one, zero, half = F(1), F(0), F(1, 2)
    >>> pooling = ((one, zero), (one, zero))
    >>> pbe_violations(form, pooling, ((one, zero), (zero, one)), ((half, half), (zero, one)))
    ['type L sends a but prefers b']
    """
    k, n, R = form.shape
    problems = []
    for name, rows, width in (("sigma", sigma, n), ("rho", rho, R), ("beliefs", beliefs, k)):
        for row in rows:
            if len(row) != width or any(x < 0 for x in row) or sum(row) != 1:
                problems.append(f"{name} has a row that is not a probability distribution")
    if problems:
        return problems
    for t in range(k):
        values = [form.value(t, m, rho[m]) for m in range(n)]
        best = max(values)
        for m in range(n):
            if sigma[t][m] > 0 and values[m] < best:
                better = form.messages[values.index(best)]
                problems.append(
                    f"type {form.types[t]} sends {form.messages[m]} but prefers {better}"
                )
    for m in range(n):
        bayes = form.posterior(sigma, m)
        if bayes is not None and tuple(beliefs[m]) != bayes:
            problems.append(f"beliefs after {form.messages[m]} do not follow Bayes' rule")
        replies = form.best_replies(m, beliefs[m])
        for r in range(R):
            if rho[m][r] > 0 and r not in replies:
                problems.append(
                    f"{form.responses[r]} is not a best reply to {form.messages[m]} "
                    "under the receiver's beliefs"
                )
    return problems

"""The normal-form evaluator: pure Nash equilibria of every point of a chunk at once, in numpy.

The row (its columns after the swept parameters): ``outcome``, the pure equilibria in
row-major profile order, each player's strategy joined by ``/``, ``" | "`` between them,
``"no pure equilibrium"`` when there is none
(:func:`~credibility.solvers.normal_nash.normal_label`, as ``solve``'s ``outcome`` and
``credibility threshold`` label them); ``n_equilibria``, their number; ``profile``, the
first equilibrium's strategies joined by ``/`` (empty if none); ``payoff_PLAYER``, each
player's payoff in the first equilibrium (NaN if none). :func:`normal_row` gives it
exactly at one point, from :func:`~credibility.solvers.normal_nash.solve_normal` (pure equilibria).

Vectorised (the best-response masks of :mod:`credibility.solvers.pure_nash`, with one more
axis for the points): each payoff that depends on the swept parameters is compiled once
(:func:`~credibility.sweeps.compiled.compile_expression`, the other parameters bound
exactly), so each player's payoff tensor over a block of points has the shape
``(points, m_1, ..., m_n)``, with the sum of the absolute values of each payoff's terms
beside it. Along player ``i``'s axis, the best strategy of each fiber (the others'
strategies fixed) is trusted only if every other strategy is below it by more than
``TOLERANCE * (1 + s + s')`` (:mod:`~credibility.sweeps.compiled`'s rule: ``s``, ``s'``
the two payoffs' magnitudes). Where every fiber of every player has such a best strategy,
each best response is unique and the equilibria are the profiles where all players
play theirs: the same as the exact solver's. Every other point (a tie or near-tie
anywhere, a payoff that is not finite) is solved exactly by :func:`normal_row` at the
grid point's exact values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..models.normal import NormalForm
from ..solvers.normal_nash import normal_label, solve_normal
from ..solvers.pure_nash import PureEquilibrium
from .compiled import TOLERANCE, Compiled, Polynomial, compile_expression
from .evaluator import Chunk
from .rows import at_point, empty_columns, fill

__all__ = ["BLOCK_CELLS", "NormalEvaluator", "normal_row"]

#: Cells (points x profiles x players) of the payoff tensors built at once: about 8 MB of
#: float64 per tensor, so a large game is evaluated a few points at a time.
BLOCK_CELLS = 1 << 20


def normal_row(game: NormalForm, params: Mapping[str, Fraction]) -> dict[str, Any]:
    """The row of a strategic-form game at one point, from ``solve_normal`` (exact).

    Examples
    --------
    >>> import credibility as cr
    >>> game = cr.load("volunteers_dilemma")
    >>> normal_row(game, {"b": Fraction(4), "c": Fraction(5)})["outcome"]
    'Abstain/Abstain/Abstain'
    >>> row = normal_row(game, {"b": Fraction(4), "c": Fraction(4)})
    >>> row["n_equilibria"], row["profile"], row["payoff_Ally 1"]
    (4, 'Defend/Abstain/Abstain', 0.0)
    """
    solution = solve_normal(game, dict(params), mixed=False)
    equilibria = solution.equilibria
    row: dict[str, Any] = {
        "outcome": solution.outcome,
        "n_equilibria": len(equilibria),
        "profile": "/".join(equilibria[0].strategies) if equilibria else "",
    }
    for k, player in enumerate(game.players):
        row[f"payoff_{player}"] = _float(equilibria[0].payoffs[k]) if equilibria else math.nan
    return row


class NormalEvaluator:
    """Classifies grid points of a strategic-form game by vectorised best responses.

    Parameters
    ----------
    game : NormalForm
    swept : sequence of str
        The swept parameters.
    params : mapping of str to Fraction
        Other parameters bound (the rest keep their defaults).

    Attributes
    ----------
    columns : tuple of str
        ``outcome``, ``n_equilibria``, ``profile`` and ``payoff_PLAYER`` per player.
    symbols : tuple of sympy.Symbol
        The swept parameters' symbols.

    Examples
    --------
    The volunteer's dilemma with the cost ``c`` swept across the benefit ``b = 4`` (the tie
    at ``c = 4`` goes to the exact solver):

    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = cr.load("volunteers_dilemma")
    >>> grid = make_grid(dict([parse_grid("c=2:6:3")]), game.parameters)
    >>> rows = NormalEvaluator(game, ["c"], {}).evaluate(grid.chunk(0, 3))
    >>> rows["n_equilibria"].tolist(), rows["profile"].tolist()
    ([3, 4, 1], ['Defend/Abstain/Abstain', 'Defend/Abstain/Abstain', 'Abstain/Abstain/Abstain'])
    >>> rows["payoff_Ally 1"].tolist()
    [2.0, 0.0, 0.0]
    """

    def __init__(self, game: NormalForm, swept: Sequence[str], params: Mapping[str, Fraction]):
        self.game = game
        self.swept = tuple(swept)
        self.params = dict(params)
        names = {p.name: p for p in game.parameters}
        self.symbols: tuple[sympy.Symbol, ...] = tuple(names[name].symbol for name in swept)
        self.columns = (
            "outcome",
            "n_equilibria",
            "profile",
            *(f"payoff_{p}" for p in game.players),
        )
        values = game.bind(self.params).values
        bound = {
            p.symbol: sympy.Rational(values[p.name].numerator, values[p.name].denominator)
            for p in game.parameters
            if p.name not in self.swept
        }
        self.shape = game.shape
        self.cells = math.prod(self.shape)
        cache: dict[sympy.Expr, Compiled | Polynomial] = {}
        #: Per player: the constant payoffs (NaN where a payoff varies) and their magnitudes.
        self.constants: list[np.ndarray] = []
        self.magnitudes: list[np.ndarray] = []
        #: Per player: the profiles whose payoff varies, and the payoffs compiled.
        self.varying: list[list[tuple[int, Compiled | Polynomial]]] = []
        for entries in game.payoffs:
            constant = np.full(self.cells, np.nan)
            varying = []
            for k, entry in enumerate(entries):
                if isinstance(entry, (int, Fraction)):
                    constant[k] = _float(entry)
                    continue
                expr = sympy.sympify(entry).xreplace(bound)
                if expr.is_Rational:
                    constant[k] = _float(Fraction(int(expr.p), int(expr.q)))
                    continue
                if expr not in cache:
                    cache[expr] = compile_expression(expr, self.symbols)
                varying.append((k, cache[expr]))
            self.constants.append(constant)
            self.magnitudes.append(np.abs(constant))
            self.varying.append(varying)
        self.labels = [np.array(labels, dtype=object) for labels in game.strategies]

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """The rows of every point of the chunk."""
        n = len(chunk)
        values = [np.asarray(chunk.values[name], dtype=np.float64) for name in self.swept]
        table = empty_columns(self.columns, n)
        table["profile"] = np.full(n, "", dtype=object)
        settled = np.zeros(n, dtype=bool)
        block = max(1, BLOCK_CELLS // (self.cells * len(self.shape)))
        for start in range(0, n, block):
            stop = min(n, start + block)
            settled[start:stop] = self._block(table, [v[start:stop] for v in values], start)
        for i in np.flatnonzero(~settled):
            row = at_point(
                lambda point: normal_row(self.game, self.params | point), chunk.exact(int(i))
            )
            fill(table, int(i), row)
        return table

    def _payoffs(self, player: int, values: list[np.ndarray], size: int) -> tuple[Any, Any]:
        """One player's payoffs and their magnitudes at the points, shape ``(size, cells)``."""
        payoff = np.repeat(self.constants[player][np.newaxis, :], size, axis=0)
        magnitude = np.repeat(self.magnitudes[player][np.newaxis, :], size, axis=0)
        for k, compiled in self.varying[player]:
            result = compiled(*values)
            payoff[:, k] = result
            magnitude[:, k] = compiled.magnitude(*values)
        return payoff, magnitude

    def _block(self, table: dict[str, np.ndarray], values: list[np.ndarray], start: int) -> Any:
        """Fill the rows of the points ``start...`` that best responses settle; which they are."""
        size = len(values[0]) if values else table["n_equilibria"].shape[0] - start
        players = len(self.shape)
        tensor_shape = (size, *self.shape)
        unsure = np.zeros(size, dtype=bool)
        mask = np.ones(tensor_shape, dtype=bool)
        payoffs = []
        with np.errstate(all="ignore"):
            for i in range(players):
                flat, flat_magnitude = self._payoffs(i, values, size)
                payoffs.append(flat)
                unsure |= ~np.isfinite(flat).all(axis=1) | ~np.isfinite(flat_magnitude).all(axis=1)
                u = flat.reshape(tensor_shape)
                s = flat_magnitude.reshape(tensor_shape)
                axis = i + 1
                index = np.expand_dims(np.argmax(u, axis=axis), axis)
                top = np.take_along_axis(u, index, axis)
                top_magnitude = np.take_along_axis(s, index, axis)
                strategy = np.arange(self.shape[i]).reshape(
                    [1] * axis + [self.shape[i]] + [1] * (players - i - 1)
                )
                is_best = strategy == index
                close = (top - u) <= TOLERANCE * (1 + top_magnitude + s)
                unsure |= (close & ~is_best).reshape(size, -1).any(axis=1)
                mask &= is_best
        sure = ~unsure
        flat_mask = mask.reshape(size, self.cells) & sure[:, np.newaxis]
        counts = flat_mask.sum(axis=1)
        packed = np.ascontiguousarray(np.packbits(flat_mask, axis=1))
        keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
        uniques, inverse = np.unique(keys, return_inverse=True)
        outcomes = np.empty(len(uniques), dtype=object)
        firsts = np.empty(len(uniques), dtype=object)
        first_index = np.zeros(len(uniques), dtype=np.int64)
        for u_index, key in enumerate(uniques):
            bits = np.unpackbits(np.frombuffer(key.tobytes(), dtype=np.uint8))[: self.cells]
            found = np.flatnonzero(bits)
            profiles = [PureEquilibrium((), self._strategies(int(k)), ()) for k in found]
            outcomes[u_index] = normal_label(profiles)
            firsts[u_index] = "/".join(profiles[0].strategies) if profiles else ""
            first_index[u_index] = found[0] if len(found) else 0
        inverse = inverse.ravel()
        where = slice(start, start + size)
        points = np.flatnonzero(sure)
        table["outcome"][where][sure] = outcomes[inverse][sure]
        table["profile"][where][sure] = firsts[inverse][sure]
        table["n_equilibria"][where][sure] = counts[sure]
        chosen = first_index[inverse][points]
        has = counts[points] > 0
        for player, flat in zip(self.game.players, payoffs):
            column = table[f"payoff_{player}"][where]
            column[points[has]] = flat[points[has], chosen[has]]
        return sure

    def _strategies(self, position: int) -> tuple[str, ...]:
        """The strategy labels of the profile at a row-major position."""
        labels = []
        for m, names in zip(reversed(self.shape), reversed(self.game.strategies)):
            position, k = divmod(position, m)
            labels.append(names[k])
        return tuple(labels[::-1])


def _float(value: float | Fraction) -> float:
    """``float(value)``, infinite beyond the float range (then the point is solved exactly)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf

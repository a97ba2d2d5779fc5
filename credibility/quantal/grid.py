"""QRE outcome probabilities over grids of parameters and precisions: tables and sweeps.

:func:`outcome_table` gives the probability of every outcome at several ``lambda`` for one
set of parameter values, for any kind: a tree's agent QRE in closed form (all ``lambda``
at once), the other kinds' QRE on the principal branch, traced once as far as the largest
``lambda`` and refined by Newton's method at each. :class:`QREEvaluator` is the sweep
engine's evaluator (:class:`credibility.sweeps.evaluator.Evaluator`) of QRE sweeps: a
tree's grid is computed in one vectorised pass (every node's payoffs as numpy functions of
the swept parameters, ``lambda`` broadcast against them); for the other kinds the points
that share their parameter values share one traced branch, so a sweep over ``lambda``
alone costs one tracing.

A QRE sweep writes, after the swept columns, ``outcome`` (the most probable outcome),
``n_equilibria`` (always 1: the QRE on the principal branch is one point) and one column
``P:LABEL`` per outcome.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import reduce
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ..errors import CredibilityError
from ..parameters import ParamValues
from ..sweeps.evaluator import coded
from ..sweeps.grid import PRECISION as LAMBDA
from .branch import (
    Array,
    BranchModel,
    normalised_payoffs,
    points_on_system,
    profile_system,
    split_profile,
    trace_system,
)
from .tree import agent_qre, compile_tree

if TYPE_CHECKING:
    from ..models import Bimatrix, Game, GameTree, NormalForm, SignallingGame, SymmetricGame
    from ..sweeps.evaluator import Chunk

__all__ = [
    "BranchTable",
    "QREEvaluator",
    "branch_model",
    "outcome_labels",
    "outcome_table",
]


def _strategies(game: Game) -> tuple[tuple[str, ...], ...]:
    if game.kind == "bimatrix":
        matrix = cast("Bimatrix", game)
        return (tuple(matrix.row_strategies), tuple(matrix.column_strategies))
    return tuple(cast("NormalForm", game).strategies)


def outcome_labels(game: Game) -> tuple[str, ...]:
    """The outcomes :func:`credibility.qre` reports for ``game``, in its order.

    Examples
    --------
    >>> import credibility as cr
    >>> outcome_labels(cr.load("chicken"))[:2]
    ('Swerve/Swerve', 'Swerve/Straight')
    """
    if game.kind == "tree":
        tree = compile_tree(cast("GameTree", game))
        return tuple(tree.labels[i] for i in tree.terminals)
    if game.kind == "signalling":
        from .signalling import outcome_labels as signalling  # lazy: start-up time

        return signalling(cast("SignallingGame", game))
    if game.kind == "symmetric":
        from .symmetric import outcome_labels as symmetric  # lazy: start-up time

        return symmetric(cast("SymmetricGame", game))
    return tuple("/".join(p) for p in itertools.product(*_strategies(game)))


def _strategic_model(game: Game, params: ParamValues | None) -> BranchModel:
    binding = game.bind(params)
    values: Sequence[Sequence[int | Fraction]]
    if game.kind == "bimatrix":
        A, B = cast("Bimatrix", game).numeric(binding)
        values = [[v for row in A for v in row], [v for row in B for v in row]]
        shape: tuple[int, ...] = (len(A), len(A[0]))
    else:
        normal = cast("NormalForm", game)
        values, shape = normal.numeric(binding), normal.shape
    tensors, unit = normalised_payoffs(values, shape)

    def outcomes(x: Array) -> Array:
        return np.asarray(reduce(np.multiply.outer, split_profile(shape, x)).ravel())

    return BranchModel(profile_system(tensors), float(unit), outcomes)


def branch_model(game: Game, params: ParamValues | None = None) -> BranchModel:
    """The branch system of a strategic-form, signalling or symmetric game at ``params``."""
    if game.kind == "signalling":
        from .signalling import branch_model as signalling  # lazy: start-up time

        return signalling(cast("SignallingGame", game), params)
    if game.kind == "symmetric":
        from .symmetric import branch_model as symmetric  # lazy: start-up time

        return symmetric(cast("SymmetricGame", game), params)
    if game.kind not in ("bimatrix", "normal"):
        raise CredibilityError(f"a {game.kind} game's QRE is not traced along a branch")
    return _strategic_model(game, params)


class BranchTable:
    """Outcome probabilities on one game's principal branch at any ``lambda``, one tracing.

    The branch is traced as far as the largest ``lambda`` asked for (twice that, plus one)
    and traced again, further, only when a larger one comes: a tracing from ``lambda = 0``
    takes the same steps whatever its end, so every answer is the one :func:`credibility.qre`
    gives (where the branch first reaches ``lambda``, refined by Newton's method).

    Examples
    --------
    >>> import credibility as cr
    >>> table = BranchTable(branch_model(cr.load("chicken")))
    >>> table.at([2.0]).round(4).tolist()
    [[0.5045, 0.2058, 0.2058, 0.0839]]
    """

    def __init__(self, model: BranchModel) -> None:
        self.model = model
        self._path: Array | None = None
        self._reach = 0.0

    def at(self, lambdas: Sequence[float]) -> Array:
        """Each outcome's probability (columns) at each of ``lambdas`` (rows)."""
        model = self.model
        scaled = [lam * model.unit for lam in lambdas]
        top = 1e9 / model.system.scale
        need = min(max(scaled, default=0.0), top)
        if self._path is None or (need > self._path[-1, -1] and self._reach < top):
            self._reach = min(top, max(2 * need + 1, 2 * self._reach))
            self._path, _ = trace_system(model.system, lambda_max=self._reach)
        return np.array(
            [model.outcomes(x) for _, x in points_on_system(model.system, self._path, scaled)]
        )


def outcome_table(game: Game, lambdas: Sequence[float], params: ParamValues | None = None) -> Array:
    """Each outcome's QRE probability at each of ``lambdas`` (rows), as :func:`credibility.qre`.

    Columns in the order of :func:`outcome_labels`. No limit is named: the quick path for
    many evaluations (sweeps, :func:`credibility.qre_threshold`).

    Examples
    --------
    >>> import credibility as cr
    >>> outcome_table(cr.load("chicken"), [0.0, 2.0]).round(4).tolist()
    [[0.25, 0.25, 0.25, 0.25], [0.5045, 0.2058, 0.2058, 0.0839]]
    """
    if game.kind == "tree":
        tree_game = cast("GameTree", game)
        tree = compile_tree(tree_game)
        binding = tree_game.bind(params)
        values = [
            tuple(float(binding.value(x)) for x in exprs) if kind != "decision" else ()
            for kind, exprs in zip(tree.kinds, tree.expressions)
        ]
        lam = np.asarray(lambdas, dtype=float)
        _, reach, _ = agent_qre(tree, lam, values)
        return np.stack([np.broadcast_to(reach[i], lam.shape) for i in tree.terminals], axis=1)
    return BranchTable(branch_model(game, params)).at(lambdas)


class QREEvaluator:
    """The sweep engine's evaluator of QRE outcome probabilities (see the module docstring).

    Parameters
    ----------
    game : any kind of game
    swept : tuple of str
        The swept names: parameters, and :data:`LAMBDA` if the precision varies.
    params : mapping of str to Fraction
        The other parameters' values.
    lam : float or None
        The fixed precision (None: ``lambda`` is swept).

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid
    >>> game = cr.load("unilateral_deterrence")
    >>> grid = make_grid({"p": [0, 0.5, 1]}, game.parameters)
    >>> rows = QREEvaluator(game, ("p",), {}, 4.0).evaluate(grid.chunk(0, 3))
    >>> rows["outcome"].tolist()
    ['Challenge > Soft > Concede', 'Status quo', 'Status quo']
    >>> [round(x, 4) for x in rows["P:Status quo"].tolist()]
    [0.0181, 0.8808, 0.9997]
    """

    def __init__(
        self, game: Game, swept: tuple[str, ...], params: Mapping[str, Fraction], lam: float | None
    ) -> None:
        if lam is None and LAMBDA not in swept:
            raise CredibilityError(
                "a QRE sweep needs a precision: sweep 'lambda' in the grid, or give a fixed lambda"
            )
        if lam is not None and LAMBDA in swept:
            raise CredibilityError(
                "lambda is swept and fixed: give it in the grid or fixed, not both"
            )
        self.game = game
        self.swept = swept
        self.params = dict(params)
        self.lam = lam
        self.labels = outcome_labels(game)
        self.columns = ("outcome", "n_equilibria", *(f"P:{label}" for label in self.labels))
        self._tree = self._compile_tree() if game.kind == "tree" else None

    def _compile_tree(self) -> tuple[Any, list[Any], list[str]]:
        import sympy  # lazy: start-up time (sympy)

        game = cast("GameTree", self.game)
        tree = compile_tree(game)
        names = [name for name in self.swept if name != LAMBDA]
        symbols = [p.symbol for p in game.parameters if p.name in names]
        order = [s.name for s in symbols]
        binding = game.bind({k: v for k, v in self.params.items() if k not in names})
        subs = {p.symbol: binding.values[p.name] for p in game.parameters if p.name not in names}
        functions = [
            # lambdify runs generated code: only on expressions our own parser built.
            tuple(sympy.lambdify(symbols, sympy.sympify(e).subs(subs), "numpy") for e in exprs)
            if kind != "decision"
            else ()
            for kind, exprs in zip(tree.kinds, tree.expressions)
        ]
        return tree, functions, order

    def evaluate(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """Outcome probabilities at every point of ``chunk``, and the modal outcome."""
        size = len(chunk)
        table = self._tree_table(chunk) if self._tree is not None else self._traced_table(chunk)
        rows: dict[str, np.ndarray] = {
            "outcome": coded(np.argmax(table, axis=1), np.array(self.labels, dtype=object)),
            "n_equilibria": np.ones(size, dtype=np.int64),
        }
        for k, label in enumerate(self.labels):
            rows[f"P:{label}"] = np.ascontiguousarray(table[:, k])
        return rows

    def _lambdas(self, chunk: Chunk) -> Array:
        if self.lam is not None:
            return np.full(len(chunk), float(self.lam))
        lams = np.asarray(chunk.values[LAMBDA], dtype=float)
        if np.any(lams < 0) or not np.all(np.isfinite(lams)):
            raise CredibilityError("lambda must be a finite number >= 0 at every grid point")
        return lams

    def _tree_table(self, chunk: Chunk) -> Array:
        assert self._tree is not None
        tree, functions, order = self._tree
        args = [np.asarray(chunk.values[name], dtype=float) for name in order]
        size = len(chunk)
        values = [
            tuple(np.broadcast_to(np.asarray(f(*args), dtype=float), (size,)) for f in fs)
            for fs in functions
        ]
        for kind, v in zip(tree.kinds, values):
            if kind == "chance" and v and (min(x.min() for x in v) < 0):
                raise CredibilityError("a chance probability is negative at some grid point")
        _, reach, _ = agent_qre(tree, self._lambdas(chunk), values)
        return np.stack([np.broadcast_to(reach[i], (size,)) for i in tree.terminals], axis=1)

    def _traced_table(self, chunk: Chunk) -> Array:
        names = [name for name in self.swept if name != LAMBDA]
        lams = self._lambdas(chunk)
        table = np.empty((len(chunk), len(self.labels)))
        groups: dict[tuple[Fraction, ...], list[int]] = {}
        for i in range(len(chunk)):
            exact = chunk.exact(i) if names else {}
            groups.setdefault(tuple(exact[n] for n in names), []).append(i)
        for key, members in groups.items():
            values = {**self.params, **dict(zip(names, key))}
            table[members] = BranchTable(branch_model(self.game, values)).at(lams[members].tolist())
        return table

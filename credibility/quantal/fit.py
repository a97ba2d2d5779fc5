"""Maximum-likelihood fits of the logit QRE to observed outcome counts.

Data: how often each outcome was observed. Game trees: counts per terminal node,
labelled by its path as :func:`credibility.qre` labels it (``"Challenge > Hard >
Resist"``). Bimatrix games: counts per pure profile (``"ROW/COLUMN"``) or per
strategy of each player; under the QRE the players mix independently, so only
each player's strategy totals ``r_i`` and ``c_j`` matter. Strategic forms of more
players, signalling games (``"type > message > response"``, or ``"message >
response"`` when the type is not observed) and symmetric games (each member's action):
see :mod:`credibility.quantal.observations`.

Model: the unknowns are ``theta = (lambda, free parameters)``, every other
parameter fixed. Trees: the agent QRE in closed form
(:func:`~credibility.quantal.tree.agent_qre`), with outcome probabilities
``P_k(theta)``. Normal-form, signalling and symmetric games: the QRE on the principal
branch of their :class:`~credibility.quantal.branch.BranchSystem`, traced (for each value
of the free parameters) only as far as the ``lambda`` asked for, and extended on demand.
Bimatrix games: the QRE ``(p, q)`` where the principal branch first
reaches ``lambda`` (:mod:`~credibility.quantal.branch`). The log-likelihood is

    l(theta) = sum_k n_k log P_k(theta)      (bimatrix: sum_i r_i log p_i + sum_j c_j log q_j).

Algorithm (no scipy):

1. Work in ``u = (log lambda, free parameters)``, so that ``lambda > 0``.
   Free parameters stay within their declared bounds (``l = -inf`` outside).
2. From each of three starting points (``lambda = 0.1, 1, 10`` over the payoff
   range; free parameters at their given values), Newton's method on ``-l`` with
   central-difference derivatives (step ``1e-4 (1 + |u_i|)``), the Hessian shifted
   by a multiple of the identity until positive definite, and a backtracking
   (Armijo) line search; steps in ``log lambda`` are capped at 2.
3. Newton stops when every component of the gradient of ``l`` in ``u`` is below
   ``1e-9`` times the number of observations (or the line search stalls); the fit is
   reported converged when the best optimum's is below ``1e-6`` times that number and
   no estimate lies on a bound.
4. Observed information: the Hessian of ``-l`` in the natural coordinates
   ``theta`` at the best optimum, by central differences with step
   ``h_i = 1e-3 max(1, |theta_i|)`` (truncation error ``O(h^2)``; rounding error
   about ``1e-16 |l| / h^2``, negligible against ``n`` times the information per
   observation). Standard errors are the square roots of the diagonal of its
   inverse, reported only if it is positive definite.
5. Profile: on 25 values of ``lambda`` spread over ``lambda_hat exp(+-4 se/lambda_hat)``
   (a factor of 10 each way without a standard error), the largest ``l`` over the
   free parameters (Newton again, warm-started), else ``l`` itself.

References: McKelvey & Palfrey (1995), section 5 (maximum-likelihood estimation
of ``lambda``); Turocy (2005) and Bland & Turocy (2023) for estimation along the
principal branch (Gambit's ``logit_estimate``).
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..errors import CredibilityError, ParameterError
from ..parameters import ParamValues
from ..render.terminal import Style, wrap
from .branch import (
    Array,
    BranchSystem,
    crossings,
    points_on_system,
    solve_at,
    trace_branch,
    trace_system,
)
from .observations import count_labels, observations
from .tree import agent_qre, compile_tree

__all__ = [
    "QREFit",
    "fit_qre",
    "fit_text",
    "likelihood_interval",
    "plot_profile",
    "read_counts",
]

#: The kinds whose QRE is traced along a branch for each parameter value (see
#: :mod:`credibility.quantal.observations`).
TRACED = ("normal", "signalling", "symmetric")
#: Starting values of ``lambda`` times the payoff range.
STARTS = (0.1, 1.0, 10.0)
#: Relative step of the Hessian for the standard errors.
HESSIAN_STEP = 1e-3
_GRAD_STEP = 1e-4
_LOG_LAMBDA = (math.log(1e-8), math.log(1e8))  # times 1 / payoff range


@dataclass(frozen=True)
class QREFit:
    """A maximum-likelihood fit of the logit QRE.

    Attributes
    ----------
    game : Bimatrix, NormalForm, GameTree, SignallingGame or SymmetricGame
    parameters : dict of str to Fraction or float
        Every parameter's value: the fixed ones exact, as given; the free ones estimated.
    names : tuple of str
        The estimated quantities: ``"lambda"``, then the free parameters.
    estimates : dict of str to float
    standard_errors : dict of str to float, or None
        From the observed information; None if its Hessian is not positive definite.
    covariance : tuple of tuple of float, or None
    log_likelihood : float
        ``l`` at the estimate (natural logarithms, multinomial constant left out).
    observations : int
    converged : bool
        The gradient test passed and no estimate lies on a bound.
    gradient_norm : float
        Largest component of the gradient of ``l`` in ``(log lambda, free)`` at the estimate.
    positive_definite : bool
        Whether the observed information is positive definite.
    starts : int
        How many starting points reached the best optimum (of ``len(STARTS)``).
    observed, predicted : dict of str to float
        Observed frequencies and fitted probabilities of each outcome (strategic forms:
        each ``"PLAYER: STRATEGY"``, frequencies within each player).
    profile : tuple of (float, float)
        ``(lambda, largest l over the free parameters)`` points around the estimate.
    message : str
        Why the fit is not to be trusted, or ``""``.
    """

    game: Any
    parameters: dict[str, Fraction | float]
    names: tuple[str, ...]
    estimates: dict[str, float]
    standard_errors: dict[str, float] | None
    covariance: tuple[tuple[float, ...], ...] | None
    log_likelihood: float
    observations: int
    converged: bool
    gradient_norm: float
    positive_definite: bool
    starts: int
    observed: dict[str, float]
    predicted: dict[str, float]
    profile: tuple[tuple[float, float], ...] = field(default=())
    message: str = ""

    kind = "qre-fit"

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's object for ``credibility qre-fit`` (docs/json-output.md)."""
        from ..expressions import format_number  # lazy: start-up time

        def num(x: float) -> str:
            return format_number(float(x), exact=False)

        def nums(d: Mapping[str, float]) -> dict[str, str]:
            return {k: num(v) for k, v in d.items()}

        return {
            "format": 1,
            "kind": self.game.kind,
            "game": self.game.info.label,
            "players": list(self.game.players),
            "parameters": {
                k: str(v) if isinstance(v, Fraction) else num(v) for k, v in self.parameters.items()
            },
            "model": "logit",
            "method": "maximum-likelihood",
            "observations": self.observations,
            "estimates": nums(self.estimates),
            "standard_errors": None if self.standard_errors is None else nums(self.standard_errors),
            "covariance": None
            if self.covariance is None
            else [[num(x) for x in row] for row in self.covariance],
            "log_likelihood": num(self.log_likelihood),
            "converged": self.converged,
            "gradient_norm": num(self.gradient_norm) if math.isfinite(self.gradient_norm) else None,
            "positive_definite": self.positive_definite,
            "starts": self.starts,
            "observed": nums(self.observed),
            "predicted": nums(self.predicted),
            "profile": [
                {"lambda": num(lam), "log_likelihood": num(ll)} for lam, ll in self.profile
            ],
            "message": self.message,
        }


# ---- data -----------------------------------------------------------------------------------


def _labels(game: Any) -> list[str]:
    if game.kind == "tree":
        tree = compile_tree(game)
        return [tree.labels[i] for i in tree.terminals]
    if game.kind in TRACED:
        return count_labels(game)
    return [f"{r}/{c}" for r in game.row_strategies for c in game.column_strategies]


def _strategies(game: Any) -> tuple[tuple[str, ...], ...]:
    """Each player's strategies (bimatrix and normal-form games)."""
    if game.kind == "bimatrix":
        return (tuple(game.row_strategies), tuple(game.column_strategies))
    return tuple(game.strategies)


def read_counts(path: str | Path, game: Any) -> dict[str, Any]:
    """Read observed counts from a CSV file with a header row.

    Columns ``outcome,count`` (an outcome as :func:`fit_qre` takes it: a terminal node's
    path, a profile ``ROW/COLUMN``, a signalling outcome with or without the type, a
    symmetric game's action), or, for strategic forms, ``player,strategy,count``. Other
    columns are ignored; a label given on several lines has its counts added; an
    outcome not listed counts zero.

    Returns
    -------
    dict
        Outcome label -> count, or (``player,strategy,count``) player -> strategy -> count.

    Raises
    ------
    CredibilityError
        Naming the file, and the line and column where a value is wrong.
    """
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        raise CredibilityError(f"cannot read the counts: {error.strerror}", file=name) from None
    except UnicodeDecodeError:
        raise CredibilityError("the counts file is not UTF-8 text", file=name) from None
    if not rows:
        raise CredibilityError("the counts file is empty (expected a header row)", file=name)
    header = [h.strip().lower() for h in rows[0]]
    per_strategy = "player" in header or "strategy" in header
    needed = ["player", "strategy", "count"] if per_strategy else ["outcome", "count"]
    missing = [c for c in needed if c not in header]
    if missing:
        raise CredibilityError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            "(expected a header row 'outcome,count', or for a bimatrix game "
            "'player,strategy,count')",
            file=name,
        )
    if per_strategy and game.kind not in ("bimatrix", "normal"):
        raise CredibilityError(
            "counts per player and strategy are for strategic-form games; give "
            "'outcome,count' per outcome",
            file=name,
        )
    at = {c: header.index(c) for c in needed}
    labels = _labels(game)
    counts: dict[str, Any] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row, line: int = line) -> str:
            k = at[column]
            if k >= len(row):
                raise CredibilityError(f"line {line}: no value in column '{column}'", file=name)
            return row[k].strip()

        text = cell("count")
        try:
            count = int(text)
        except ValueError:
            count = -1
        if count < 0:
            raise CredibilityError(
                f"line {line}, column 'count': expected a whole number >= 0, got {text!r}",
                file=name,
            )
        if per_strategy:
            player, strategy = cell("player"), cell("strategy")
            if player not in game.players:
                raise CredibilityError(
                    f"line {line}, column 'player': unknown player {player!r} "
                    f"(players: {', '.join(game.players)})",
                    file=name,
                )
            options = _strategies(game)[game.players.index(player)]
            if strategy not in options:
                raise CredibilityError(
                    f"line {line}, column 'strategy': {player} has no strategy {strategy!r} "
                    f"(strategies: {', '.join(options)})",
                    file=name,
                )
            mine = counts.setdefault(player, {})
            mine[strategy] = mine.get(strategy, 0) + count
        else:
            label = cell("outcome")
            if label not in labels:
                raise CredibilityError(
                    f"line {line}, column 'outcome': unknown outcome {label!r} "
                    f"(outcomes: {'; '.join(labels)})",
                    file=name,
                )
            counts[label] = counts.get(label, 0) + count
    return counts


# ---- models ---------------------------------------------------------------------------------


def _lambdify(expr: Any, symbols: list[Any], subs: Mapping[Any, Any]) -> Any:
    import sympy  # lazy: start-up time

    bound = sympy.sympify(expr).subs(subs)
    # lambdify runs generated code: only on expressions our own parser built.
    return sympy.lambdify(symbols, bound, "math")


class _Model:
    """``l(theta)`` and the fitted outcome probabilities, for ``theta = (lambda, free...)``."""

    def __init__(self, game: Any, counts: Any, free: Sequence[str], params: ParamValues | None):
        declared = {p.name: p for p in game.parameters}
        for name in free:
            if name not in declared:
                names = ", ".join(declared) or "none"
                raise ParameterError(
                    f"unknown free parameter '{name}' (declared parameters: {names})"
                )
        if len(set(free)) != len(free):
            raise ParameterError("a free parameter is named twice")
        overlap = [n for n in free if n in dict(params or {})]
        if overlap:
            raise ParameterError(f"parameter '{overlap[0]}' is both free and fixed")
        self.game = game
        self.free = tuple(free)
        binding = game.bind(params)
        self.fixed = dict(binding.values)
        self.bounds = [
            (
                -math.inf if declared[n].minimum is None else float(declared[n].minimum),
                math.inf if declared[n].maximum is None else float(declared[n].maximum),
            )
            for n in free
        ]
        self.start = [float(self.fixed[n]) for n in free]
        symbols = [declared[n].symbol for n in free]
        subs = {p.symbol: self.fixed[p.name] for p in game.parameters if p.name not in free}
        self._cache: dict[tuple[float, ...], Any] = {}
        if game.kind == "tree":
            self.tree = compile_tree(game)
            self.terminals = self.tree.terminals
            self.labels = [self.tree.labels[i] for i in self.terminals]
            self.funcs = [
                tuple(_lambdify(x, symbols, subs) for x in exprs) if kind != "decision" else ()
                for kind, exprs in zip(self.tree.kinds, self.tree.expressions)
            ]
            self.n = np.array([_count(counts, label) for label in self.labels], dtype=float)
            self.observed_labels = self.labels
            self.observed_counts = self.n
            self.groups = [len(self.n)]
        elif game.kind in TRACED:
            self.observations_of = observations(game, counts)
            self.observed_labels = [x for group in self.observations_of.labels for x in group]
            self.observed_counts = np.concatenate(self.observations_of.counts)
            self.groups = [len(c) for c in self.observations_of.counts]
        else:
            self.A_funcs = [[_lambdify(x, symbols, subs) for x in row] for row in game.A]
            self.B_funcs = [[_lambdify(x, symbols, subs) for x in row] for row in game.B]
            rows, cols = game.row_strategies, game.column_strategies
            self.r, self.c = _marginals(game, counts)
            if self.r.sum() != self.c.sum():
                raise CredibilityError(
                    f"the players' counts differ ({game.players[0]}: {int(self.r.sum())}, "
                    f"{game.players[1]}: {int(self.c.sum())}): each observation is one "
                    "choice of each player"
                )
            self.observed_labels = [f"{game.players[0]}: {s}" for s in rows] + [
                f"{game.players[1]}: {s}" for s in cols
            ]
            self.observed_counts = np.concatenate([self.r, self.c])
            self.groups = [len(self.r), len(self.c)]
        total = float(self.observed_counts[: self.groups[0]].sum())
        if total <= 0:
            raise CredibilityError("every count is zero: there is nothing to fit")
        self.observations = int(total)
        self.scale = self._scale()

    def _traced(self, free: Sequence[float], lam: float = 0.0) -> tuple[BranchSystem, float, Array]:
        """The branch system at ``free``, its payoffs' scale and the branch traced at least to
        ``lam`` (of the normalised game), or to its end (cached, extended on demand: a
        mixed limit is approached like ``1 / lambda``, so tracing it all is dear)."""
        key = tuple(free)
        cached = self._cache.get(key)
        if cached is None or (cached[2][-1, -1] < lam and not cached[3]):
            if len(self._cache) > 256:
                self._cache.clear()
            values = {**self.fixed, **dict(zip(self.free, free))}
            built, unit = self.observations_of.system(values)
            top = 1e9 / built.scale
            reach = min(top, max(4 * lam, 1.0 / built.scale))
            path, _ = trace_system(built, lambda_max=reach)
            ended = path[-1, -1] < reach or reach >= top  # converged, or at the end
            cached = (built, unit, path, ended)
            self._cache[key] = cached
        return cast("tuple[BranchSystem, float, Array]", cached[:3])

    def _scale(self) -> float:
        if self.game.kind in TRACED:
            built, unit, _ = self._traced(self.start)
            return built.scale * unit if built.scale > 1e-300 else 1.0
        if self.game.kind == "tree":
            values = self._values(self.start)
            pays = [x for v, k in zip(values, self.tree.kinds) if k == "terminal" for x in v]
            spread = max(pays) - min(pays)
        else:
            A, B = self._matrices(self.start)
            spread = max(float(np.ptp(A)), float(np.ptp(B)))
        return spread if spread > 0 else 1.0

    def _values(self, free: Sequence[float]) -> list[Any]:
        return [tuple(float(f(*free)) for f in fs) for fs in self.funcs]

    def _matrices(self, free: Sequence[float]) -> tuple[Array, Array]:
        A = np.array([[float(f(*free)) for f in row] for row in self.A_funcs])
        B = np.array([[float(f(*free)) for f in row] for row in self.B_funcs])
        return A, B

    def inside(self, theta: Sequence[float]) -> bool:
        return theta[0] > 0 and all(lo <= x <= hi for x, (lo, hi) in zip(theta[1:], self.bounds))

    def probabilities(self, theta: Sequence[float]) -> Array | None:
        """Tree: terminal probabilities. Bimatrix: ``(p, q)`` concatenated. Normal-form,
        signalling and symmetric games: each group's (:mod:`.observations`). None if invalid."""
        lam, free = float(theta[0]), [float(x) for x in theta[1:]]
        if self.game.kind in TRACED:
            try:
                built, unit = self._traced(free)[:2]
                built, unit, path = self._traced(free, lam * unit)
            except (CredibilityError, ArithmeticError):
                return None  # parameter values the game refuses (n not an integer, say)
            [(_, x)] = points_on_system(built, path, [lam * unit])
            return np.concatenate(self.observations_of.predict(built, x))
        if self.game.kind == "tree":
            values = self._values(free)
            for v, kind in zip(values, self.tree.kinds):
                if kind == "chance" and (min(v) < 0 or abs(sum(v) - 1) > 1e-9):
                    return None
            _, reach, _ = agent_qre(self.tree, lam, values)
            return np.array([float(reach[i]) for i in self.terminals])
        key = tuple(free)
        if key not in self._cache:
            A, B = self._matrices(free)
            if len(self._cache) > 256:
                self._cache.clear()
            path, _ = trace_branch(A, B, lambda_max=1e9 / self.scale)
            self._cache[key] = (A, B, path)
        A, B, path = self._cache[key]
        x = solve_at(A, B, lam, crossings(path, [lam])[0])
        return np.exp(x)

    def loglik(self, theta: Sequence[float]) -> float:
        if not self.inside(theta):
            return -math.inf
        probs = self.probabilities(theta)
        if probs is None:
            return -math.inf
        n = self.observed_counts
        mask = n > 0
        if np.any(probs[mask] <= 0):
            return -math.inf
        return float(n[mask] @ np.log(probs[mask]))

    def predicted(self, theta: Sequence[float]) -> dict[str, float]:
        probs = self.probabilities(theta)
        assert probs is not None
        return dict(zip(self.observed_labels, probs.tolist()))


def _count(counts: Mapping[str, Any], label: str) -> int:
    value = counts.get(label, 0)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise CredibilityError(f"the count of {label!r} must be a whole number >= 0, got {value!r}")
    return int(value)


def _marginals(game: Any, counts: Mapping[str, Any]) -> tuple[Array, Array]:
    rows, cols = game.row_strategies, game.column_strategies
    r, c = np.zeros(len(rows)), np.zeros(len(cols))
    if any(isinstance(v, Mapping) for v in counts.values()):
        unknown = [k for k in counts if k not in game.players]
        if unknown:
            raise CredibilityError(
                f"unknown player {unknown[0]!r} (players: {', '.join(game.players)})"
            )
        for player, strategies, out in ((0, rows, r), (1, cols, c)):
            mine = counts.get(game.players[player], {})
            bad = [s for s in mine if s not in strategies]
            if bad:
                raise CredibilityError(
                    f"{game.players[player]} has no strategy {bad[0]!r} "
                    f"(strategies: {', '.join(strategies)})"
                )
            for i, s in enumerate(strategies):
                out[i] = _count(mine, s)
        return r, c
    labels = _labels(game)
    unknown = [k for k in counts if k not in labels]
    if unknown:
        raise CredibilityError(f"unknown outcome {unknown[0]!r} (outcomes: {'; '.join(labels)})")
    for i, s in enumerate(rows):
        for j, t in enumerate(cols):
            k = _count(counts, f"{s}/{t}")
            r[i] += k
            c[j] += k
    return r, c


# ---- optimisation ---------------------------------------------------------------------------


def _gradient_hessian(f: Any, u: Array, steps: Array) -> tuple[Array, Array]:
    """Central differences of ``f`` at ``u``: gradient and Hessian."""
    k = len(u)
    f0 = f(u)
    g, H = np.zeros(k), np.zeros((k, k))
    plus, minus = np.zeros(k), np.zeros(k)
    for i in range(k):
        e = np.zeros(k)
        e[i] = steps[i]
        plus[i], minus[i] = f(u + e), f(u - e)
        g[i] = (plus[i] - minus[i]) / (2 * steps[i])
        H[i, i] = (plus[i] - 2 * f0 + minus[i]) / steps[i] ** 2
    for i in range(k):
        for j in range(i):
            ei, ej = np.zeros(k), np.zeros(k)
            ei[i], ej[j] = steps[i], steps[j]
            H[i, j] = H[j, i] = (
                f(u + ei + ej) - f(u + ei - ej) - f(u - ei + ej) + f(u - ei - ej)
            ) / (4 * steps[i] * steps[j])
    return g, H


def _newton(f: Any, u: Array, tolerance: float, cap: Array, iterations: int = 100) -> Array:
    """Minimise ``f`` from ``u``: damped Newton with a backtracking line search."""
    value = f(u)
    if not math.isfinite(value):
        return u
    for _ in range(iterations):
        steps = _GRAD_STEP * (1 + np.abs(u))
        g, H = _gradient_hessian(f, u, steps)
        if not (np.all(np.isfinite(g)) and np.all(np.isfinite(H))):
            g, H = _one_sided(f, u, steps, value)
        if np.abs(g).max() < tolerance:
            break
        shift = 0.0
        scale = max(float(np.abs(np.diag(H)).max()), 1e-12)
        while True:
            try:
                np.linalg.cholesky(H + shift * np.eye(len(u)))
                break
            except np.linalg.LinAlgError:
                shift = max(2 * shift, 1e-6 * scale)
        d = np.linalg.solve(H + shift * np.eye(len(u)), -g)
        d *= min(1.0, float(np.min(cap / np.maximum(np.abs(d), 1e-300))))
        t, slope = 1.0, float(g @ d)
        while t > 1e-10:
            trial = f(u + t * d)
            if math.isfinite(trial) and trial <= value + 1e-4 * t * slope:
                break
            t /= 2
        else:
            break
        u, value = u + t * d, trial
    return u


def _one_sided(f: Any, u: Array, steps: Array, f0: float) -> tuple[Array, Array]:
    """Near a bound: a gradient from whichever side is finite, and a unit Hessian."""
    g = np.zeros(len(u))
    for i in range(len(u)):
        e = np.zeros(len(u))
        e[i] = steps[i]
        up, down = f(u + e), f(u - e)
        g[i] = (up - f0) / steps[i] if math.isfinite(up) else (f0 - down) / steps[i]
    return g, np.eye(len(u)) * max(1.0, float(np.abs(g).max()))


def fit_qre(
    game: Any,
    counts: Mapping[str, Any],
    *,
    free: Sequence[str] = (),
    params: ParamValues | None = None,
) -> QREFit:
    """Estimate ``lambda`` (and ``free`` parameters) by maximum likelihood; see the module."""
    model = _Model(game, counts, free, params)
    k = 1 + len(model.free)
    lo, hi = (x - math.log(model.scale) for x in _LOG_LAMBDA)

    def theta_of(u: Array) -> list[float]:
        return [math.exp(u[0]), *u[1:].tolist()]

    def negative(u: Array) -> float:
        if not lo <= u[0] <= hi:
            return math.inf
        return -model.loglik(theta_of(u))

    tolerance = 1e-6 * model.observations
    cap = np.array([2.0] + [math.inf] * (k - 1))
    finals = []
    for start in STARTS:
        u0 = np.array([math.log(start / model.scale), *model.start])
        u = _newton(negative, u0, 1e-3 * tolerance, cap)  # aim well below the test
        finals.append((negative(u), u))
    best_value, best_u = min(finals, key=lambda pair: pair[0])
    if not math.isfinite(best_value):
        raise CredibilityError(
            "the data have probability zero under the QRE at every starting point "
            "(an outcome the fixed parameters rule out?)"
        )
    reached = sum(1 for v, _ in finals if v <= best_value + 1e-6 * max(1.0, abs(best_value)))
    g, _ = _gradient_hessian(negative, best_u, _GRAD_STEP * (1 + np.abs(best_u)))
    gradient_norm = float(np.abs(g).max()) if np.all(np.isfinite(g)) else math.inf
    theta = np.array(theta_of(best_u))
    messages = []
    at_bound = theta[0] * model.scale < 1e-3 or hi - best_u[0] < 1e-3
    if at_bound:
        messages.append(
            "lambda is at the edge of the search range: the data fit best "
            + ("uniform choice (lambda = 0)" if theta[0] * model.scale < 1e-3 else "best responses")
        )
    for name, x, (b_lo, b_hi) in zip(model.free, theta[1:], model.bounds):
        if min(x - b_lo, b_hi - x) < 1e-6 * max(1.0, abs(x)):
            messages.append(f"parameter '{name}' is at a bound of its range")
            at_bound = True
    converged = gradient_norm < tolerance and not at_bound
    if gradient_norm >= tolerance:
        messages.append(f"the gradient did not vanish (largest component {gradient_norm:.3g})")

    def natural(t: Array) -> float:
        return -model.loglik(t.tolist())

    steps = HESSIAN_STEP * np.maximum(1.0, np.abs(theta))
    steps[0] = min(steps[0], theta[0] / 2)
    _, H = _gradient_hessian(natural, theta, steps)
    covariance = None
    errors = None
    positive = False
    if np.all(np.isfinite(H)):
        try:
            np.linalg.cholesky(H)
            positive = True
        except np.linalg.LinAlgError:
            pass
    if positive:
        cov = np.linalg.inv(H)
        covariance = tuple(tuple(row) for row in cov.tolist())
        errors = dict(zip(("lambda", *model.free), np.sqrt(np.diag(cov)).tolist()))
    else:
        messages.append("the observed information is not positive definite: no standard errors")
    profile = _profile(model, negative, best_u, errors, tolerance)
    heights = [ll for _, ll in profile]
    if heights and max(heights) - min(heights) <= 1e-9 * model.observations:
        messages.append(
            "the likelihood does not change with lambda (a factor of 100 either way): the QRE "
            "is the same at every precision here, so the data cannot tell lambda"
        )
        converged = False
    parameters: dict[str, Fraction | float] = dict(model.fixed)
    parameters.update(zip(model.free, theta[1:].tolist()))
    n = model.observed_counts
    ends = np.cumsum([0, *model.groups])
    frequencies = [n[a:b] / n[a:b].sum() for a, b in itertools.pairwise(ends)]
    observed = dict(zip(model.observed_labels, np.concatenate(frequencies).tolist()))
    return QREFit(
        game=game,
        parameters=parameters,
        names=("lambda", *model.free),
        estimates=dict(zip(("lambda", *model.free), theta.tolist())),
        standard_errors=errors,
        covariance=covariance,
        log_likelihood=-best_value,
        observations=model.observations,
        converged=converged,
        gradient_norm=gradient_norm,
        positive_definite=positive,
        starts=reached,
        observed=observed,
        predicted=model.predicted(theta.tolist()),
        profile=profile,
        message="; ".join(messages),
    )


def _profile(
    model: _Model, negative: Any, best: Array, errors: dict[str, float] | None, tolerance: float
) -> tuple[tuple[float, float], ...]:
    lam = math.exp(best[0])
    width = 4 * errors["lambda"] / lam if errors else math.log(10)
    width = min(max(width, 1e-3), math.log(100))
    points = []
    u = best[1:].copy()
    for x in np.linspace(-width, width, 25):
        log_lam = best[0] + x

        def restricted(v: Array, log_lam: float = log_lam) -> float:
            return float(negative(np.concatenate([[log_lam], v])))

        if len(u):
            u = _newton(restricted, u, tolerance, np.full(len(u), math.inf), iterations=30)
        points.append((math.exp(log_lam), -restricted(u)))
    return tuple(points)


# ---- output ---------------------------------------------------------------------------------


def likelihood_interval(
    fit: QREFit, level: float = 3.841458820694124
) -> tuple[float, float] | None:
    """Where the profile falls ``level / 2`` below the maximum (default: 95%, chi-squared 1 df).

    Linear interpolation between profile points; None if the profile does not reach that far
    on both sides of the estimate.
    """
    drop = [ll - fit.log_likelihood + level / 2 for _, ll in fit.profile]
    lams = [lam for lam, _ in fit.profile]
    best = fit.estimates["lambda"]
    ends = []
    for side in (-1, 1):
        found = None
        for k in range(len(lams) - 1):
            a, b = drop[k], drop[k + 1]
            inside = (lams[k + 1] <= best) if side < 0 else (lams[k] >= best)
            if inside and (a < 0) != (b < 0):
                found = lams[k] + (lams[k + 1] - lams[k]) * a / (a - b)
        if found is None:
            return None
        ends.append(found)
    return ends[0], ends[1]


def fit_text(fit: QREFit, source: str = "", style: Style | None = None) -> str:
    """The fit as text: estimates with standard errors, diagnostics, observed vs fitted.

    Lines are wrapped to ``style``'s width (80 columns by default).
    """
    from ..render.table import table  # lazy: start-up time

    width = (style or Style()).width

    game = fit.game
    where = f" ({source})" if source else ""
    lines = [
        f"{game.info.label}: logit QRE fitted by maximum likelihood to "
        f"{fit.observations} observations{where}"
    ]
    fixed = {k: v for k, v in fit.parameters.items() if k not in fit.names}
    if fixed:
        lines.append("Fixed parameters: " + ", ".join(f"{k} = {v}" for k, v in fixed.items()))
    rows = []
    for name in fit.names:
        x = fit.estimates[name]
        if fit.standard_errors is None:
            rows.append([name, f"{x:.4g}", "-", "-"])
        else:
            se = fit.standard_errors[name]
            rows.append(
                [name, f"{x:.4g}", f"{se:.2g}", f"{x - 1.96 * se:.4g} to {x + 1.96 * se:.4g}"]
            )
    lines.append(table(["estimate", "value", "std. error", "95% interval (Wald)"], rows))
    interval = likelihood_interval(fit)
    if interval is not None:
        lines.append(
            f"Likelihood profile over lambda ({len(fit.profile)} points): 95% likelihood-ratio "
            f"interval {interval[0]:.4g} to {interval[1]:.4g}"
        )
    status = "converged" if fit.converged else "NOT converged"
    lines.append(
        f"Log-likelihood {fit.log_likelihood:.4f}; {status} (largest gradient component "
        f"{fit.gradient_norm:.1e}; {fit.starts} of {len(STARTS)} starting points reached it)"
    )
    if fit.message:
        lines.append(f"Warning: {fit.message}")
    lines.append("Observed and fitted frequencies:")
    lines.append(
        table(
            ["outcome", "observed", "fitted"],
            [[k, f"{fit.observed[k]:.4f}", f"{fit.predicted[k]:.4f}"] for k in fit.observed],
            width=width,
        )
    )
    return "\n".join(wrap(line, width) if len(line) > width else line for line in lines)


def plot_profile(fit: QREFit, path: Path) -> None:
    """Draw the likelihood profile over ``lambda`` to a PNG (needs matplotlib)."""
    from ..render.plot import figure as new_figure  # lazy: start-up time (numpy)

    figure = new_figure(6, 4)
    axes = figure.add_subplot()
    lams = [lam for lam, _ in fit.profile]
    axes.plot(lams, [ll - fit.log_likelihood for _, ll in fit.profile], marker=".")
    axes.axhline(-1.92, linestyle=":", color="grey", label="95% likelihood-ratio bound")
    axes.axvline(fit.estimates["lambda"], linestyle="--", color="black", label="estimate")
    axes.set_xlabel("lambda")
    axes.set_ylabel("log-likelihood minus its maximum")
    axes.set_title(f"{fit.game.info.label}: likelihood profile", fontsize=10)
    axes.legend(fontsize=8)
    try:
        figure.savefig(path)
    except OSError as error:
        raise CredibilityError(f"cannot write the plot: {error.strerror}") from None

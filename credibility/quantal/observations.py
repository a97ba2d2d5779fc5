"""What can be observed of a game's QRE, for fitting: normal-form, signalling and symmetric games.

The data are counts, in one or more *groups*; within a group the outcomes are exclusive
and the QRE gives each a probability; the groups are independent. The log-likelihood is
``sum over groups and outcomes of n log P``.

- Strategic forms of any number of players: one group per player, its strategies (the
  players mix independently, so counts per profile ``"A/B/C"`` add up to each player's
  counts per strategy, which is all the likelihood uses).
- Signalling games: one group, the terminal histories ``"type > message > response"``; or,
  where the type is not observed (the usual case: an analyst sees the signal and the
  response, not the resolve), ``"message > response"``, whose probability sums over types.
- Symmetric games: one group, each member's action (every member's choice one
  observation).

Each model gives the game's branch system (:class:`~credibility.quantal.branch.BranchSystem`)
at parameter values, the factor ``lambda`` is scaled by (its payoffs are normalised by
their largest magnitude), and the probabilities of the observed outcomes at a point of
the branch.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np

from ..errors import CredibilityError
from ..parameters import ParamValues
from .branch import Array, BranchSystem, normalised_payoffs, profile_system, split_profile
from .signalling import SignallingSystem, normalised_arrays, outcome_labels
from .symmetric import normalised_system

if TYPE_CHECKING:
    from ..models import Game, NormalForm, SignallingGame, SymmetricGame

__all__ = ["Observations", "count_labels", "observations"]

#: A count: a whole number of at least 0.
Counts = Mapping[str, object]


@dataclass(frozen=True)
class Observations:
    """Counts in groups, and how the QRE predicts them.

    Attributes
    ----------
    labels : tuple of tuple of str
        Each group's outcomes.
    counts : tuple of arrays
        Each group's counts, in the order of ``labels``.
    system : callable
        Parameter values -> (the branch system, the payoffs' largest magnitude).
    predict : callable
        The system and log-probabilities at a point of its branch -> each group's
        probabilities.
    """

    labels: tuple[tuple[str, ...], ...]
    counts: tuple[Array, ...]
    system: Callable[[ParamValues], tuple[BranchSystem, float]]
    predict: Callable[[BranchSystem, Array], list[Array]]

    @property
    def total(self) -> int:
        """The number of observations (of the first group: every group has as many)."""
        return int(self.counts[0].sum())


def count_labels(game: Game) -> list[str]:
    """The outcome labels a counts file may use for ``game`` (normal, signalling, symmetric)."""
    if game.kind == "normal":
        normal = cast("NormalForm", game)
        return ["/".join(p) for p in itertools.product(*normal.strategies)]
    if game.kind == "signalling":
        signalling = cast("SignallingGame", game)
        partial = [f"{m} > {r}" for m in signalling.messages for r in signalling.responses]
        return [*outcome_labels(signalling), *partial]
    symmetric = cast("SymmetricGame", game)
    return list(symmetric.actions)


def _count(counts: Counts, label: str) -> int:
    value = counts.get(label, 0)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise CredibilityError(f"the count of {label!r} must be a whole number >= 0, got {value!r}")
    return int(value)


def _unknown(counts: Counts, known: Sequence[str], what: str) -> None:
    bad = [k for k in counts if k not in known]
    if bad:
        raise CredibilityError(f"unknown {what} {bad[0]!r} ({what}s: {'; '.join(known)})")


def observations(game: Game, counts: Counts | Mapping[str, Counts]) -> Observations:
    """The groups of ``counts`` for ``game`` and its QRE's predictions of them.

    Raises
    ------
    CredibilityError
        An unknown outcome, player or strategy, a count that is not a whole number ``>= 0``,
        or (signalling games) labels that mix observed and unobserved types.
    """
    if game.kind == "normal":
        return _normal(cast("NormalForm", game), counts)
    if game.kind == "signalling":
        return _signalling(cast("SignallingGame", game), counts)
    if game.kind == "symmetric":
        return _symmetric(cast("SymmetricGame", game), counts)
    raise CredibilityError(f"no observation model for {game.kind} games")  # pragma: no cover


def _normal(game: NormalForm, counts: Counts | Mapping[str, Counts]) -> Observations:
    shape = game.shape
    groups = [np.zeros(m) for m in shape]
    if any(isinstance(v, Mapping) for v in counts.values()):
        nested = cast("Mapping[str, Counts]", counts)
        _unknown(nested, game.players, "player")
        for i, (player, strategies) in enumerate(zip(game.players, game.strategies)):
            mine = nested.get(player, {})
            _unknown(mine, strategies, f"strategy of {player}")
            groups[i] = np.array([_count(mine, s) for s in strategies], dtype=float)
    else:
        flat = counts
        labels = count_labels(game)
        _unknown(flat, labels, "outcome")
        for profile, label in zip(itertools.product(*(range(m) for m in shape)), labels):
            k = _count(flat, label)
            for i, s in enumerate(profile):
                groups[i][s] += k
    totals = {int(g.sum()) for g in groups}
    if len(totals) > 1:
        raise CredibilityError(
            "the players' counts differ: each observation is one choice of each player"
        )

    def system(params: ParamValues) -> tuple[BranchSystem, float]:
        tensors, unit = normalised_payoffs(game.numeric(game.bind(params)), shape)
        return profile_system(tensors), float(unit)

    return Observations(
        labels=tuple(
            tuple(f"{p}: {s}" for s in strategies)
            for p, strategies in zip(game.players, game.strategies)
        ),
        counts=tuple(groups),
        system=system,
        predict=lambda _, x: split_profile(shape, x),
    )


def _signalling(game: SignallingGame, counts: Counts) -> Observations:
    full = outcome_labels(game)
    known = count_labels(game)
    _unknown(counts, known, "outcome")
    partial = known[len(full) :]
    typed = [k for k in counts if k in full]
    untyped = [k for k in counts if k not in full]
    if typed and untyped:
        raise CredibilityError(
            f"the counts name the type in some outcomes ({typed[0]!r}) and not in others "
            f"({untyped[0]!r}): give every outcome as 'type > message > response', or every "
            "one as 'message > response' (the type unobserved)"
        )
    labels = tuple(partial if untyped else full)
    T, M, R = len(game.types), len(game.messages), len(game.responses)

    def system(params: ParamValues) -> tuple[BranchSystem, float]:
        prior, sender, receiver, scale = normalised_arrays(game, params)
        return SignallingSystem(prior, sender, receiver), scale

    def predict(built: BranchSystem, x: Array) -> list[Array]:
        prior = cast("SignallingSystem", built).prior
        sigma = np.exp(x[: T * M]).reshape(T, M)
        rho = np.exp(x[T * M :]).reshape(M, R)
        reach = prior[:, None, None] * sigma[:, :, None] * rho[None, :, :]
        return [reach.sum(axis=0).reshape(-1) if untyped else reach.reshape(-1)]

    return Observations(
        labels=(labels,),
        counts=(np.array([_count(counts, k) for k in labels], dtype=float),),
        system=system,
        predict=predict,
    )


def _symmetric(game: SymmetricGame, counts: Counts) -> Observations:
    _unknown(counts, game.actions, "action")

    def system(params: ParamValues) -> tuple[BranchSystem, float]:
        built, scale, _, _ = normalised_system(game, params)
        return built, scale

    return Observations(
        labels=(tuple(game.actions),),
        counts=(np.array([_count(counts, a) for a in game.actions], dtype=float),),
        system=system,
        predict=lambda _, x: [np.exp(x)],
    )

"""Every perfect Bayesian equilibrium of a signalling game, by support enumeration.

Fix the supports: the messages ``S[t]`` each type sends and the responses
``B[m]`` the receiver plays after each message. Then the equilibrium
conditions split into two systems of *linear* constraints:

* on the sender's strategy ``sigma`` (given the receiver's supports): after
  each message on the path, the responses in ``B[m]`` are equally good and no
  other is better under the *unnormalised* posterior ``p[t] * sigma[t][m]``
  (Bayes' rule, multiplied through by the message's probability);
* on the receiver's strategy ``rho`` (given the sender's supports): each type
  is indifferent between the messages in ``S[t]`` and prefers them to the rest.

Messages off the path need only that some belief makes all of ``B[m]`` best
replies (:mod:`credibility.solvers.pbe_beliefs`). The equilibria with these
supports therefore form a product of two polytopes ("a piece"), and the whole
set of equilibria is the union of the pieces, so it is described exactly by
the pieces' vertices: each reported equilibrium is such a vertex, and the
vertices of one piece span a continuum of equilibria (the receiver mixing
over a range, say). Vertices of pieces that touch belong to one *component*.

The steps:

1. for every sender support profile, the messages on the path;
2. for each message, the response sets that some admissible belief supports
   (with weight on every type that sends the message, if it is on the path);
3. for each combination, the vertices of both polytopes; a piece counts only
   if its polytopes contain a point with exactly the chosen supports (a piece
   that does not is contained in a piece with smaller supports);
4. pairs of vertices are the candidate equilibria, deduplicated exactly.

Every candidate is verified afterwards by
:func:`credibility.solvers.pbe_bound.pbe_violations`. The number of support
profiles grows as ``(2^n - 1)^k (2^R - 1)^n``; beyond ``MAX_PROFILES`` only
pure supports are enumerated (see :func:`enumerate_pbe_vertices`).

The enumeration can take a minute on a large game. It is silent, but reports
its progress (sender support profiles done, of how many) to a callback given
to it, or to the callback of :func:`credibility.solvers.reporting.reporting` set
around any call that reaches it (how the command line draws its progress display
during ``credibility solve``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import product

from ..errors import GameTooLargeError
from .pbe_beliefs import supporting_beliefs
from .pbe_bound import BoundSignallingGame, Matrix, Profile
from .pbe_classes import SignallingClass, ordered, sender_class
from .polytope import vertices
from .reporting import reporter
from .support_systems import System, receiver_system, sender_system, subsets
from .support_systems import profile_count as count_profiles

__all__ = [
    "MAX_PROFILES",
    "MAX_PURE_PROFILES",
    "PBEVertices",
    "enumerate_pbe_vertices",
    "profile_count",
]

#: Support profiles enumerated at most when mixed equilibria are sought.
MAX_PROFILES = 200_000
#: Pure profiles enumerated at most (4 types x 4 messages x 4 responses, 65,536, take about
#: 2 s here; 5 x 5 x 5, 9.8 million, took 3 minutes).
MAX_PURE_PROFILES = 300_000

Supports = tuple[tuple[int, ...], ...]
ZERO, ONE = Fraction(0), Fraction(1)
#: ``callback(done, total)``: sender support profiles enumerated, and in all.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PBEVertices:
    """Candidate equilibria with the components they belong to.

    Attributes
    ----------
    profiles : tuple of Profile
        ``(sigma, rho)`` pairs, each once.
    components : tuple of int
        For each profile, the number of its connected component.
    continuum : tuple of bool
        For each profile, whether it is an extreme point of a continuum of
        equilibria (a piece with more than one vertex).
    mixed : bool
        Whether mixed supports were enumerated (otherwise pure equilibria only).
    classes : tuple of SignallingClass
        The classes of every equilibrium, not only of the extreme points
        listed (each piece's class follows from its sender supports), in the
        enumeration's order.
    """

    profiles: tuple[Profile, ...]
    components: tuple[int, ...]
    continuum: tuple[bool, ...]
    mixed: bool
    classes: tuple[SignallingClass, ...] = ()


def profile_count(form: BoundSignallingGame, mixed: bool = True) -> int:
    """How many support profiles the enumeration visits at most.

    Examples
    --------
    >>> form = BoundSignallingGame.from_lists(["H", "L"], ["a", "b"], ["x", "y"], [1, 0],
    ...     [[[0, 0], [0, 0]]] * 2, [[[0, 0], [0, 0]]] * 2)
    >>> profile_count(form), profile_count(form, mixed=False)
    (81, 16)
    """
    return count_profiles(*form.shape, mixed=mixed)


def enumerate_pbe_vertices(
    form: BoundSignallingGame, mixed: bool = True, progress: Progress | None = None
) -> PBEVertices:
    """The vertices of every piece of the equilibrium set (pure supports only if not ``mixed``).

    Parameters
    ----------
    form : BoundSignallingGame
    mixed : bool
        Enumerate mixed supports too (default); False gives the pure
        equilibria only.
    progress : callable, optional
        Called as ``progress(done, total)`` before each sender support profile
        and once at the end (default: the callback of
        :func:`~credibility.solvers.reporting.reporting`, if any).

    Returns
    -------
    PBEVertices

    Examples
    --------
    A game where nobody cares about the response: the sender always sends
    ``b``, and after either message the receiver may play ``x``, ``y`` or any
    mixture; the equilibria form a square whose four corners are reported.

    >>> form = BoundSignallingGame.from_lists(["H", "L"], ["a", "b"], ["x", "y"], [1, 0],
    ...     [[[0, 0], [1, 1]], [[0, 0], [1, 1]]], [[[0, 0], [0, 0]], [[0, 0], [0, 0]]])
    >>> result = enumerate_pbe_vertices(form)
    >>> len(result.profiles), result.continuum
    (4, (True, True, True, True))

    Raises
    ------
    GameTooLargeError
        Beyond ``MAX_PURE_PROFILES`` pure profiles (a refusal in a second
        rather than minutes of work).
    """
    k, n, R = form.shape
    if profile_count(form, mixed=False) > MAX_PURE_PROFILES:
        raise GameTooLargeError(
            f"a game with {k} types, {n} messages and {R} responses has "
            f"{profile_count(form, mixed=False):,} pure profiles (at most {MAX_PURE_PROFILES:,} "
            "are enumerated, a few seconds' work): merge types, messages or responses"
        )
    message_sets, response_sets = subsets(n, mixed), subsets(R, mixed)
    order: dict[Profile, int] = {}
    parent: list[int] = []
    continuum: list[bool] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    classes: set[SignallingClass] = set()
    if progress is not None:
        report: Progress | None = progress
    elif (shared := reporter()) is not None:
        report = lambda done, total: shared(done, total, "sender support profiles")  # noqa: E731
    else:
        report = None
    total = len(message_sets) ** k
    for done, sender in enumerate(product(message_sets, repeat=k)):
        if report is not None:
            report(done, total)
        for _, piece in _pieces(form, sender, response_sets):
            present = tuple(s for p, s in zip(form.prior, sender) if p > 0)
            classes.add(sender_class(present))
            indices = []
            for profile in piece:
                if profile not in order:
                    order[profile] = len(parent)
                    parent.append(len(parent))
                    continuum.append(False)
                indices.append(order[profile])
            if len(indices) > 1:
                for i in indices:
                    continuum[i] = True
                    parent[find(i)] = find(indices[0])
    if report is not None:
        report(total, total)
    numbers: dict[int, int] = {}
    components = tuple(numbers.setdefault(find(i), len(numbers)) for i in range(len(parent)))
    return PBEVertices(tuple(order), components, tuple(continuum), mixed, tuple(ordered(classes)))


def _pieces(
    form: BoundSignallingGame, sender: Supports, response_sets: list[tuple[int, ...]]
) -> Iterator[tuple[Supports, list[Profile]]]:
    """The pieces with sender supports ``sender``: receiver supports and list of vertex pairs."""
    k, n, _ = form.shape
    senders = [tuple(t for t in range(k) if m in sender[t] and form.prior[t] > 0) for m in range(n)]
    options = [[B for B in response_sets if _admissible(form, m, B, senders[m])] for m in range(n)]
    for receiver in product(*options):
        on_path = tuple(receiver[m] if senders[m] else () for m in range(n))
        sigmas = _sender_vertices(form, sender, on_path)
        if not sigmas:
            continue
        rhos = _receiver_vertices(form, sender, receiver)
        if rhos:
            yield receiver, [(sigma, rho) for sigma in sigmas for rho in rhos]


def _admissible(
    form: BoundSignallingGame, m: int, support: tuple[int, ...], senders: tuple[int, ...]
) -> bool:
    """Some belief makes ``support`` best replies, with weight on every type in ``senders``."""
    corners = supporting_beliefs(form, m, support, senders or None)
    return bool(corners) and all(any(c[t] > 0 for c in corners) for t in senders)


@lru_cache(maxsize=4096)
def _sender_vertices(
    form: BoundSignallingGame, sender: Supports, on_path: Supports
) -> tuple[Matrix, ...]:
    """Vertices of the sender strategies that make each on-path ``B[m]`` the best replies."""
    k, n, _ = form.shape
    system = sender_system(form.receiver, sender, on_path, form.prior, [ONE] * k)
    return _strategies(system, k, n)


@lru_cache(maxsize=4096)
def _receiver_vertices(
    form: BoundSignallingGame, sender: Supports, receiver: Supports
) -> tuple[Matrix, ...]:
    """Vertices of the receiver strategies on ``receiver`` that make ``sender`` optimal."""
    _, n, R = form.shape
    return _strategies(receiver_system(form.sender, sender, receiver, ONE), n, R)


def _strategies(
    system: System[tuple[int, int], Fraction], rows: int, columns: int
) -> tuple[Matrix, ...]:
    """The vertices of ``system``'s polytope as strategies (none unless all are positive somewhere).

    The polytope is ``E x = e, G x <= 0``: the totals and the equalities
    (negated), then the inequalities (negated) and ``-x <= 0``.
    """
    index = {v: i for i, v in enumerate(system.variables)}
    size = len(index)
    equalities = [_row(size, {index[v]: ONE for v in group}) for group, _ in system.totals]
    eq_rhs = [total for _, total in system.totals]
    inequalities: list[list[Fraction]] = []
    for row in system.rows:
        negated = _row(size, {index[v]: -c for v, c in row.terms.items()})
        if row.relation == "==":
            equalities.append(negated)
            eq_rhs.append(ZERO)
        else:
            inequalities.append(negated)
    inequalities += [_row(size, {i: -ONE}) for i in range(size)]
    corners = vertices(equalities, eq_rhs, inequalities, [ZERO] * len(inequalities), size)
    if not _full_support(corners):
        return ()
    return tuple(
        tuple(
            tuple(point[index[i, j]] if (i, j) in index else ZERO for j in range(columns))
            for i in range(rows)
        )
        for point in corners
    )


def _row(size: int, entries: dict[int, Fraction]) -> list[Fraction]:
    row = [ZERO] * size
    for i, value in entries.items():
        row[i] += value
    return row


def _full_support(corners: Sequence[tuple[Fraction, ...]]) -> bool:
    """True if some point of the polytope is positive in every coordinate (its centre is)."""
    return bool(corners) and all(any(c[i] > 0 for c in corners) for i in range(len(corners[0])))

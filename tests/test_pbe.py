"""Perfect Bayesian equilibria: textbook games reproduced exactly; properties of random games."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import credibility as cr
from credibility.errors import GameTooLargeError
from credibility.io.toml_loader import parse_toml
from credibility.solvers.nash import is_equilibrium
from credibility.solvers.pbe import solve_signalling
from credibility.solvers.pbe_bound import BoundSignallingGame, pbe_violations
from credibility.solvers.pbe_supports import enumerate_pbe_vertices


def signalling_toml(types, messages, responses, priors, payoffs) -> str:
    """A game file from payoffs[t][m][r] = (sender, receiver)."""
    lines = [
        'kind = "signalling"',
        'players = ["Sender", "Receiver"]',
        f"messages = {list(messages)!r}".replace("'", '"'),
        f"responses = {list(responses)!r}".replace("'", '"'),
    ]
    for t, name in enumerate(types):
        lines += [f"[types.{name}]", f'prior = "{priors[t]}"', f"[types.{name}.payoffs]"]
        for m, message in enumerate(messages):
            pairs = ", ".join(
                f'{response} = ["{payoffs[t][m][r][0]}", "{payoffs[t][m][r][1]}"]'
                for r, response in enumerate(responses)
            )
            lines.append(f"{message} = {{ {pairs} }}")
    return "\n".join(lines)


def solve_lists(types, messages, responses, priors, payoffs):
    return solve_signalling(
        parse_toml(signalling_toml(types, messages, responses, priors, payoffs))
    )


def pure_summary(solution):
    """{(sender message per type, receiver response per message)} of the pure equilibria."""
    form = solution.form
    result = set()
    for e in solution.equilibria:
        if e.pure:
            sender = tuple(form.messages[row.index(1)] for row in e.sender)
            receiver = tuple(form.responses[row.index(1)] for row in e.receiver)
            result.add((sender, receiver))
    return result


# Beer-quiche: Cho & Kreps (1987), "Signaling games and stable equilibria", QJE 102, section II.
# The sender gets 1 for its preferred breakfast (strong: beer, weak: quiche) plus 2 if not
# challenged; the receiver gets 1 for duelling a weak sender or not duelling a strong one.
BEER_QUICHE = (
    ["Strong", "Weak"],
    ["Beer", "Quiche"],
    ["Duel", "Not"],
    ["9/10", "1/10"],
    [
        [[(1, 0), (3, 1)], [(0, 0), (2, 1)]],
        [[(0, 1), (2, 0)], [(1, 1), (3, 0)]],
    ],
)


def test_beer_quiche_two_poolings_only_beer_is_intuitive():
    solution = solve_lists(*BEER_QUICHE)
    pure = [e for e in solution.equilibria if e.pure]
    assert pure_summary(solution) == {
        (("Beer", "Beer"), ("Not", "Duel")),
        (("Quiche", "Quiche"), ("Duel", "Not")),
    }
    by_message = {e.sender[0].index(1): e for e in pure}
    beer, quiche = by_message[0], by_message[1]
    assert beer.equilibrium_class == quiche.equilibrium_class == "pooling"
    assert (beer.intuitive, quiche.intuitive) == (True, False)
    assert (beer.d1, quiche.d1) == (True, False)
    # Payoffs: beer pooling gives strong 3, weak 2; the challenger 9/10 from not duelling.
    assert beer.payoffs == (F(3), F(2), F(9, 10))
    assert quiche.payoffs == (F(2), F(3), F(9, 10))
    # Duelling after the unsent message needs P(strong) <= 1/2.
    assert beer.belief_range(1) == (F(0), F(1, 2))
    assert quiche.belief_range(0) == (F(0), F(1, 2))
    # No separating equilibrium: the weak type would mimic (prior 9/10 on strong).
    assert all(e.equilibrium_class != "separating" for e in solution.equilibria)


def test_d1_is_finer_than_the_intuitive_criterion_and_says_why():
    # Tying hands at the catalog defaults (Fearon 1997's audience costs): the irresolute type
    # gains from committing only if the challenger backs down with probability >= 2/3, the
    # resolved type whenever it backs down at all, so D1 (Cho & Kreps 1987, section 5) reads a
    # commitment as resolve; the intuitive criterion cannot, as both types could gain.
    solution = cr.solve(cr.load("tying_hands"))
    quiet = next(e for e in solution.equilibria if e.equilibrium_class == "pooling")
    assert (quiet.intuitive, quiet.d1) == (True, False)
    assert quiet.d1_reason.startswith("after Commit, D1 rules out Irresolute")
    data = solution.to_dict()["equilibria"]
    assert [e.get("d1_reason", "") for e in data] == [e.d1_reason for e in solution.equilibria]
    assert all(bool(e.d1_reason) != e.d1 for e in solution.equilibria)


def test_beer_quiche_off_path_mixtures_are_one_pooling_entry():
    # Pooling on beer survives with any duel probability d >= 1/2 after quiche (weak: 3 - 2d <= 2):
    # duelling for sure on beliefs P(strong | quiche) <= 1/2, mixing on exactly 1/2. The receiver's
    # mixing off the path makes no class of its own (Fudenberg & Tirole 1991, section 8.2): one
    # pooling entry, with the range of responses and of beliefs.
    solution = solve_lists(*BEER_QUICHE)
    assert [e.equilibrium_class for e in solution.equilibria] == ["pooling", "pooling"]
    beer = next(e for e in solution.equilibria if e.sender[0][0] == 1)
    assert beer.continuum and beer.pure
    assert beer.response_ranges(1) == ((F(1, 2), F(1)), (F(0), F(1, 2)))
    assert beer.belief_range(1) == (F(0), F(1, 2))
    assert (beer.intuitive, beer.d1) == (True, True)
    assert beer.receiver[1] == (F(1), F(0))  # the response D1 keeps is shown
    entry = solution.to_dict()["equilibria"][0]
    assert entry["off_path_responses"] == {"Quiche": {"Duel": ["1/2", "1"], "Not": ["0", "1/2"]}}
    # Quiche could only profit the weak type (Cho & Kreps 1987): both tests leave beliefs on Weak,
    # where duelling is the best reply, so the entry survives them.
    assert entry["surviving_beliefs"] == {"Quiche": {"intuitive": ["Weak"], "d1": ["Weak"]}}


def test_beer_quiche_with_a_weak_majority_has_one_semi_separating_equilibrium():
    # Prior 1/10 on strong: no pure equilibrium; weak mixes (beer with probability 1/9), the
    # receiver duels after beer with probability 1/2 (Gibbons 1992, section 4.4, beer-quiche).
    types, messages, responses, _, payoffs = BEER_QUICHE
    solution = solve_lists(types, messages, responses, ["1/10", "9/10"], payoffs)
    assert [e.equilibrium_class for e in solution.equilibria] == ["semi-separating"]
    (e,) = solution.equilibria
    assert e.sender == ((F(1), F(0)), (F(1, 9), F(8, 9)))
    assert e.receiver[0] == (F(1, 2), F(1, 2))


# Gibbons (1992), Game Theory for Applied Economists, section 4.2.A, Figure 4.2.3: two types with
# prior 1/2, messages L and R, responses u and d. Two pure PBE: pooling on L with (u, d) and
# off-path belief q = P(t1 | R) <= 2/3; separating (R, L) with (u, u).
GIBBONS_423 = (
    ["t1", "t2"],
    ["L", "R"],
    ["u", "d"],
    ["1/2", "1/2"],
    [
        [[(1, 3), (4, 0)], [(2, 1), (0, 0)]],
        [[(2, 4), (0, 1)], [(1, 0), (1, 2)]],
    ],
)


def test_gibbons_figure_4_2_3():
    solution = solve_lists(*GIBBONS_423)
    assert pure_summary(solution) == {
        (("L", "L"), ("u", "d")),
        (("R", "L"), ("u", "u")),
    }
    pooling = next(e for e in solution.equilibria if e.pure and e.equilibrium_class == "pooling")
    assert pooling.belief_range(1) == (F(0), F(2, 3))
    assert pooling.beliefs[0] == (F(1, 2), F(1, 2))
    separating = next(e for e in solution.equilibria if e.equilibrium_class == "separating")
    assert separating.beliefs == ((F(0), F(1)), (F(1), F(0)))
    assert separating.off_path == ()
    assert separating.payoffs == (F(2), F(2), F(5, 2))


# A Spence (1973, "Job market signaling", QJE 87) style market: a worker of high ability
# (prior 1/3) pays 1/2 for education, a low one 2; the firm wants a manager only if able.
SPENCE = (
    ["High", "Low"],
    ["Educate", "Skip"],
    ["Manager", "Clerk"],
    ["1/3", "2/3"],
    [
        [[("3/2", 1), ("1/2", 0)], [(2, 1), (1, 0)]],
        [[(0, 0), (-1, 1)], [(2, 0), (1, 1)]],
    ],
)


def test_spence_separating_is_the_intuitive_equilibrium():
    solution = solve_lists(*SPENCE)
    assert pure_summary(solution) == {
        (("Educate", "Skip"), ("Manager", "Clerk")),
        (("Skip", "Skip"), ("Clerk", "Clerk")),
    }
    pure = {e.equilibrium_class: e for e in solution.equilibria if e.pure}
    assert pure["separating"].intuitive and not pure["pooling"].intuitive
    # Pooling on no education needs P(High | Educate) <= 1/2 to assign the clerk's job.
    assert pure["pooling"].belief_range(0) == (F(0), F(1, 2))


def test_semi_separating_equilibrium_of_a_two_type_game():
    # A weak type that mixes between mimicking and revealing (the standard "hybrid" of
    # Gibbons 1992, section 4.2, in the contract's term "semi-separating"). Strong (prior 1/2)
    # always sends s; the receiver challenges (c) a weak type, concedes (a) to a strong one,
    # and the weak type gains 2 from a concession after s, 1 from revealing with w.
    game = (
        ["Strong", "Weak"],
        ["s", "w"],
        ["c", "a"],
        ["1/4", "3/4"],
        [
            [[(0, -1), (2, 1)], [(-1, -1), (0, 1)]],
            [[(0, 1), (2, 0)], [(1, 1), (1, 0)]],
        ],
    )
    solution = solve_lists(*game)
    semi = [e for e in solution.equilibria if e.equilibrium_class == "semi-separating"]
    assert len(semi) == 1
    e = semi[0]
    # After s the receiver gets P from conceding and 1 - 2P from challenging (P = P(Strong | s)),
    # so it mixes only at P = 1/3 = (1/4) / (1/4 + 3/4 x): the weak type sends s with x = 2/3;
    # the receiver concedes with probability 1/2 so that the weak type is indifferent (2 * 1/2 = 1).
    assert e.sender == ((F(1), F(0)), (F(2, 3), F(1, 3)))
    assert e.receiver[0] == (F(1, 2), F(1, 2))
    assert e.beliefs[0] == (F(1, 3), F(2, 3))
    assert e.payoffs[:2] == (F(1), F(1))


def test_three_types_partially_pooling():
    # Two high types pool on m1, the low type reveals itself with m2.
    game = (
        ["A", "B", "C"],
        ["m1", "m2"],
        ["x", "y"],
        ["1/3", "1/3", "1/3"],
        [
            [[(2, 1), (0, 0)], [(1, 1), (0, 0)]],
            [[(2, 1), (0, 0)], [(1, 1), (0, 0)]],
            [[(0, -3), (-1, 0)], [(1, -3), (1, 1)]],
        ],
    )
    solution = solve_lists(*game)
    classes = {e.equilibrium_class for e in solution.equilibria if e.pure}
    assert "partially pooling" in classes
    partial = next(e for e in solution.equilibria if e.equilibrium_class == "partially pooling")
    assert partial.sender == ((F(1), F(0)), (F(1), F(0)), (F(0), F(1)))
    assert partial.beliefs[0] == (F(1, 2), F(1, 2), F(0))


def test_json_contract_keys_and_strings():
    solution = solve_lists(*GIBBONS_423)
    data = solution.to_dict()
    assert data["format"] == 1 and data["kind"] == "signalling"
    assert data["players"] == ["Sender", "Receiver"]
    entry = next(e for e in data["equilibria"] if e["class"] == "pooling")
    assert entry["sender"] == {"t1": {"L": "1", "R": "0"}, "t2": {"L": "1", "R": "0"}}
    assert entry["receiver"] == {"L": {"u": "1", "d": "0"}, "R": {"u": "0", "d": "1"}}
    assert entry["off_path"] == ["R"]
    assert entry["belief_ranges"] == {"R": {"t1": ["0", "2/3"]}}
    assert set(entry["payoffs"]) == {"t1", "t2", "Receiver"}
    assert isinstance(entry["intuitive"], bool)
    floats = solve_signalling(solution.game, exact=False).to_dict()
    assert floats["exact"] is False
    assert all(isinstance(v, str) for v in floats["equilibria"][0]["payoffs"].values())


def test_harsanyi_form_flags_nash_equilibria_that_are_not_bayesian():
    # The receiver always prefers y, and the sender wants y after b. "Both send b, and answer
    # a with x" is a Nash equilibrium of the strategic form (a is never sent, so the threat x
    # costs nothing) but x is not a best reply to any belief: not perfect Bayesian.
    game = (
        ["H", "L"],
        ["a", "b"],
        ["x", "y"],
        ["1/2", "1/2"],
        [
            [[(0, 0), (1, 1)], [(0, 0), (2, 1)]],
            [[(0, 0), (1, 1)], [(0, 0), (2, 1)]],
        ],
    )
    solution = solve_lists(*game)
    flagged = solution.to_dict()["nash_not_perfect_bayesian"]
    assert flagged
    assert all("(off the path) no belief makes" in " ".join(f["reasons"]) for f in flagged)
    assert any(f["receiver"]["a"] == {"x": "1", "y": "0"} for f in flagged)
    assert pure_summary(solution) == {(("b", "b"), ("y", "y"))}


def test_too_large_for_mixed_enumeration():
    types = [f"T{i}" for i in range(4)]
    messages = [f"M{i}" for i in range(4)]
    payoffs = [[[(0, 0)] * 3 for _ in messages] for _ in types]
    game = parse_toml(signalling_toml(types, messages, ["a", "b", "c"], ["1/4"] * 4, payoffs))
    with pytest.raises(GameTooLargeError, match="support profiles"):
        solve_signalling(game, mixed=True)


# -- properties of random games ---------------------------------------------------------------


def brute_force_pure(form: BoundSignallingGame) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Pure PBE by checking every pure profile, with an LP (scipy) for off-path beliefs.

    The payoffs are small integers, so a float LP cannot mistake an infeasible belief
    system (infeasible by a margin of at least about 1/100) for a feasible one.
    """
    k, n, R = form.shape
    found = set()
    for s in product(range(n), repeat=k):
        for q in product(range(R), repeat=n):
            values_ok = all(
                form.sender[t][s[t]][q[s[t]]] >= max(form.sender[t][m][q[m]] for m in range(n))
                for t in range(k)
            )
            if values_ok and all(_receiver_ok(form, s, q, m) for m in range(n)):
                found.add((s, q))
    return found


def _receiver_ok(form, s, q, m) -> bool:
    k, _, R = form.shape
    mass = [form.prior[t] if s[t] == m else F(0) for t in range(k)]
    if sum(mass) > 0:
        value = [sum(mass[t] * form.receiver[t][m][r] for t in range(k)) for r in range(R)]
        return value[q[m]] == max(value)
    # Beliefs mu >= 0 summing to 1 with sum_t mu_t (u[t][q_m] - u[t][r]) >= 0 for every r.
    gains = [
        [float(form.receiver[t][m][r] - form.receiver[t][m][q[m]]) for t in range(k)]
        for r in range(R)
    ]
    result = linprog(
        np.zeros(k),
        A_ub=np.array(gains),
        b_ub=np.zeros(R),
        A_eq=np.ones((1, k)),
        b_eq=[1.0],
        bounds=[(0, None)] * k,
        method="highs",
    )
    return result.status == 0


@st.composite
def random_forms(draw, max_types=3, max_messages=2, max_responses=3):
    k = draw(st.integers(2, max_types))
    n = draw(st.integers(2, max_messages))
    R = draw(st.integers(2, max_responses))
    weights = draw(st.lists(st.integers(0, 4), min_size=k, max_size=k).filter(any))
    prior = [F(w, sum(weights)) for w in weights]
    payoff = st.integers(-2, 2)
    table = st.lists(
        st.lists(st.lists(payoff, min_size=R, max_size=R), min_size=n, max_size=n),
        min_size=k,
        max_size=k,
    )
    return BoundSignallingGame.from_lists(
        [f"T{i}" for i in range(k)],
        [f"M{i}" for i in range(n)],
        [f"R{i}" for i in range(R)],
        prior,
        draw(table),
        draw(table),
    )


def _solution_profiles(form: BoundSignallingGame):
    from credibility.solvers.pbe import _describe

    enumerated = enumerate_pbe_vertices(form)
    return [
        _describe(form, sigma, rho, c, cont)
        for (sigma, rho), c, cont in zip(
            enumerated.profiles, enumerated.components, enumerated.continuum
        )
    ]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_forms())
def test_every_reported_equilibrium_is_verified_and_unique(form):
    equilibria = _solution_profiles(form)
    keys = [(e.sender, e.receiver) for e in equilibria]
    assert len(keys) == len(set(keys))
    for e in equilibria:
        assert pbe_violations(form, e.sender, e.receiver, e.beliefs) == []
        for m, corners in e.belief_vertices.items():
            for belief in corners:
                beliefs = tuple(belief if i == m else b for i, b in enumerate(e.beliefs))
                assert pbe_violations(form, e.sender, e.receiver, beliefs) == []


# 30 examples (was 60): the pure equilibria are also checked on the fixed textbook games above
# (Beer-Quiche, Gibbons, Spence, three types) and every reported one is verified in the
# property above; brute force over all pure profiles is the slow part of each example.
@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_forms())
def test_pure_equilibria_equal_brute_force(form):
    equilibria = _solution_profiles(form)
    reported = {
        (tuple(row.index(1) for row in e.sender), tuple(row.index(1) for row in e.receiver))
        for e in equilibria
        if e.pure
    }
    assert reported == brute_force_pure(form)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_forms(max_types=2, max_messages=2, max_responses=2))
def test_harsanyi_nash_equilibria_that_are_pbe_lie_in_the_reported_set(form):
    # Completeness of the mixed enumeration (two types): every behaviour profile of an extreme
    # Nash equilibrium of the strategic form that is a PBE is a convex combination of reported
    # equilibria (the PBE set is a union of polytopes spanned by them).
    from credibility.solvers.enumeration import enumerate_extreme_equilibria
    from credibility.solvers.harsanyi import _reasons, harsanyi_form

    k, n, R = form.shape
    points = [
        tuple(x for row in e.sender + e.receiver for x in row) for e in _solution_profiles(form)
    ]
    senders, receivers, A, B = harsanyi_form(form)
    for eq in enumerate_extreme_equilibria(A, B).equilibria:
        sigma = tuple(
            tuple(sum(x for x, s in zip(eq.row, senders) if s[t] == m) for m in range(n))
            for t in range(k)
        )
        rho = tuple(
            tuple(sum(y for y, q in zip(eq.column, receivers) if q[m] == r) for r in range(R))
            for m in range(n)
        )
        if _reasons(form, sigma, rho):
            continue
        point = tuple(x for row in sigma + rho for x in row)
        assert _in_hull(point, points)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_forms(max_types=2, max_messages=2, max_responses=2))
def test_pure_pbe_are_nash_equilibria_of_the_harsanyi_form(form):
    from credibility.solvers.harsanyi import harsanyi_form

    senders, receivers, A, B = harsanyi_form(form)
    for e in _solution_profiles(form):
        if not e.pure:
            continue
        s = tuple(row.index(1) for row in e.sender)
        q = tuple(row.index(1) for row in e.receiver)
        x = tuple(F(int(p == s)) for p in senders)
        y = tuple(F(int(p == q)) for p in receivers)
        assert is_equilibrium(A, B, x, y)


def _in_hull(point, points) -> bool:
    """Whether point is a convex combination of points (a feasibility LP; inputs are rationals
    with small denominators, far above the solver's tolerance)."""
    size = len(points)
    equalities = np.array(
        [[float(p[i]) for p in points] for i in range(len(point))] + [[1.0] * size]
    )
    rhs = [float(x) for x in point] + [1.0]
    result = linprog(np.zeros(size), A_eq=equalities, b_eq=rhs, bounds=[(0, None)] * size)
    return result.status == 0


def test_a_game_too_large_to_enumerate_is_refused_at_once():
    # 5 types x 5 messages x 5 responses: 5^5 x 5^5 = 9,765,625 pure profiles took three minutes;
    # the solver refuses at once and says what to do instead.
    names = [f"x{i}" for i in range(5)]
    zeros = [[[0] * 5 for _ in range(5)] for _ in range(5)]
    form = BoundSignallingGame.from_lists(names, names, names, [F(1, 5)] * 5, zeros, zeros)
    with pytest.raises(cr.GameTooLargeError, match=r"9,765,625 pure profiles .* merge types"):
        enumerate_pbe_vertices(form, mixed=False)

"""Thresholds with a budget: refusal up front, partial results, suggestions, progress display.

Budgets run out deterministically: at once (``budget=0``, ``--budget 0``), or through a fake
clock that jumps past the budget when the derivation reaches a given stage. No test depends on
how fast the machine is; the one that uses the real clock asserts only what happens, not when.
"""

from __future__ import annotations

import gc
import json
import signal
import sys
import time
import weakref
from fractions import Fraction

import pytest
import sympy
from click.testing import CliRunner

import credibility as cr
import credibility.symbolic.budget as budget_module
from cli import cli
from credibility.errors import CredibilityError, GameTooLargeError
from credibility.io.toml_loader import parse_toml
from credibility.solvers.reporting import reporting
from credibility.sweeps.progress import Progress
from credibility.symbolic import regions as regions_module
from credibility.symbolic.budget import MAX_FREE_PARAMETERS, Budget, checkpoint, running
from credibility.symbolic.partial import suggest
from credibility.symbolic.regions import TooManyRegions, tree_regions
from credibility.symbolic.threshold_result import DerivationStopped

CHICKEN_ONE_FREE = {"w_row": 1, "l_row": -1, "w_column": 1, "l_column": -1, "c_column": 5}

#: A 3 x 3 game whose twelve payoffs of the first two rows are free (issue 11).
TWELVE = """
kind = "bimatrix"
title = "Twelve free payoffs"
players = ["Row", "Column"]
[parameters]
a1 = {default = 1}
a2 = {default = 2}
a3 = {default = 0}
a4 = {default = 1}
a5 = {default = 2}
a6 = {default = 0}
b1 = {default = 2}
b2 = {default = 0}
b3 = {default = 1}
b4 = {default = 2}
b5 = {default = 0}
b6 = {default = 1}
[payoffs]
Row = [["a1", "a2", "a3"], ["a4", "a5", "a6"], [0, 1, 2]]
Column = [["b1", "b2", "b3"], ["b4", "b5", "b6"], [1, 0, 2]]
"""


def _many(count: int, used: int | None = None) -> str:
    """A 2 x 2 game declaring ``count`` parameters, the first ``used`` of them in its payoffs."""
    used = count if used is None else used
    lines = ['kind = "bimatrix"', 'title = "Many parameters"', 'players = ["Row", "Column"]']
    lines += [f"parameters.p{i} = {{default = 1, min = 0}}" for i in range(count)]
    sums = ["0"] * 4
    for i in range(used):
        sums[i % 4] += f" + p{i}"
    lines += [
        "[payoffs]",
        f'Row = [["{sums[0]}", 0], [1, "{sums[1]}"]]',
        f'Column = [["{sums[2]}", 1], [0, "{sums[3]}"]]',
    ]
    return "\n".join(lines)


def _signalling(free: int) -> str:
    """Two types, two messages, two responses; the first ``free`` payoffs are parameters."""
    lines = [
        'kind = "signalling"',
        'title = "Many free signalling payoffs"',
        'players = ["Sender", "Receiver"]',
        'messages = ["Signal", "Quiet"]',
        'responses = ["Fight", "Yield"]',
    ]
    lines += [f"parameters.s{i} = {{default = {i % 3 - 1}}}" for i in range(free)]
    index = 0
    for name in ("Strong", "Weak"):
        lines += [f"[types.{name}]", 'prior = "1/2"']
        for message in ("Signal", "Quiet"):
            cells = []
            for response in ("Fight", "Yield"):
                pair = []
                for _ in range(2):
                    pair.append(f'"s{index}"' if index < free else str(index % 5 - 2))
                    index += 1
                cells.append(f"{response} = [{pair[0]}, {pair[1]}]")
            lines.append(f"payoffs.{message} = {{{', '.join(cells)}}}")
    return "\n".join(lines)


class _StageClock:
    """A fake clock: 0 until the budget has reported ``stage`` with ``done`` units, then 1000."""

    def __init__(self, stage: str, done: int) -> None:
        self.stage, self.done = stage, done
        self.budget: Budget | None = None

    def __call__(self) -> float:
        last = self.budget.last if self.budget is not None else None
        reached = last is not None and last.stage == self.stage and last.done >= self.done
        return 1000.0 if reached else 0.0


def _stopping_at(stage: str, done: int = 0, seconds: float = 10, progress=None) -> Budget:
    """A budget that runs out once the derivation reaches ``stage`` (``done`` units in)."""
    clock = _StageClock(stage, done)
    budget = Budget(seconds, progress=progress, clock=clock)
    clock.budget = budget
    return budget


def _stop(game, parameter, params=None, budget=None) -> DerivationStopped:
    with pytest.raises(DerivationStopped) as caught:
        cr.thresholds(game, parameter, params, budget=budget)
    return caught.value


def _run(args: list[str], **options):
    return CliRunner().invoke(cli, args, **options)


def _game_file(tmp_path, text: str, name: str = "game.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- partial results from the library --------------------------------------------------------


def test_budget_zero_stops_before_any_work():
    stop = _stop(cr.load("chicken"), "c_row", budget=0)
    partial = stop.result.partial
    assert (partial.reason, partial.stage) == ("budget", "start")
    assert partial.finished == () and stop.result.regions == () and stop.result.thresholds == ()
    assert "c_row" not in [s.name for s in partial.bind]  # never the parameter sought
    assert isinstance(stop, CredibilityError)
    assert str(stop) == f"{partial.message}; {partial.params_advice}"


def test_stopped_while_finding_regions_lists_the_regions_found():
    stop = _stop(cr.load("chicken"), "c_row", budget=_stopping_at("regions", 10))
    result, partial = stop.result, stop.result.partial
    assert partial.stage == "regions"
    assert any("candidate" in item for item in partial.finished) is False
    assert "regions (listed piece by piece" in partial.finished[0]
    assert result.regions and all(region.pieces > 0 for region in result.regions)
    assert result.thresholds == ()
    # Each region found is exact: its equilibria are the solver's at a point inside it.
    found = sum(region.pieces for region in result.regions)
    assert 0 < found < len(cr.thresholds(cr.load("chicken"), "c_row").regions) * 10


def test_stopped_while_shortening_keeps_the_outcomes_done():
    complete = cr.thresholds(cr.load("chicken"), "c_row")
    stop = _stop(cr.load("chicken"), "c_row", budget=_stopping_at("conditions", 1))
    result = stop.result
    assert result.partial.stage == "conditions"
    assert {r.outcome for r in result.regions} == {r.outcome for r in complete.regions}
    shortened = [r for r in result.regions if not r.pieces]
    assert shortened and len(shortened) < len(result.regions)
    assert shortened[0] in complete.regions
    assert any("short form" in item for item in result.partial.unfinished)


def test_stopped_while_solving_for_thresholds_with_one_free():
    game = cr.load("chicken")
    stop = _stop(game, "c_row", CHICKEN_ONE_FREE, _stopping_at("thresholds", 1))
    result = stop.result
    assert result.partial.stage == "thresholds" and result.free == ("c_row",)
    assert result.partial.finished[0].startswith("the regions: ")
    assert result.thresholds == () and result.regions


def test_suggestion_names_the_parameter_in_the_most_conditions():
    game = cr.load("unilateral_deterrence")
    stop = _stop(game, "p", budget=_stopping_at("thresholds", 0))
    partial = stop.result.partial
    assert partial.bind[0].name == "b_DC" and partial.bind[0].conditions == 2
    assert "b_DC in 2" in partial.advice and "--param b_DC=-1" in partial.advice
    assert partial.advice.endswith("or every parameter but p with --defaults")


def test_suggest_ranks_by_conditions_then_occurrences_then_order():
    free = [cr.Parameter(name, Fraction(i)) for i, name in enumerate("xabc")]
    counts = {"x": 9, "a": 2, "b": 3, "c": 2}
    ties = {"c": 5, "a": 1}
    from collections import Counter

    ranked = suggest(free, "x", Counter(counts), ties=Counter(ties))
    assert [s.name for s in ranked] == ["b", "c", "a"]
    assert ranked[0].option == "--param b=2"


def test_region_limit_stops_with_a_partial_result(monkeypatch):
    monkeypatch.setattr(regions_module, "MAX_REGIONS", 2)
    stop = _stop(cr.load("chicken"), "c_row")
    partial = stop.result.partial
    assert partial.reason == "regions"
    assert partial.message == "the parameter space splits into more than 2 regions"
    assert sum(region.pieces for region in stop.result.regions) == 3


def test_region_limit_outside_thresholds_is_still_an_error(monkeypatch):
    monkeypatch.setattr(regions_module, "MAX_REGIONS", 0)
    with pytest.raises(TooManyRegions, match="more than 0 regions: bind some parameters"):
        tree_regions(cr.load("unilateral_deterrence"))


def test_no_budget_finishes_and_reports_every_stage():
    stages = []
    budget = Budget(None, progress=lambda step: stages.append(step.stage))
    result = cr.thresholds(cr.load("chicken"), "c_row", budget=budget)
    assert result.partial is None and "partial" not in result.to_dict()
    assert list(dict.fromkeys(stages)) == [
        "start",
        "candidates",
        "regions",
        "conditions",
        "thresholds",
    ]


# --- refusal up front -------------------------------------------------------------------------


def test_too_many_free_parameters_are_refused_before_any_work():
    game = parse_toml(_many(MAX_FREE_PARAMETERS + 1))
    budget = Budget(None)
    with pytest.raises(GameTooLargeError) as caught:
        cr.thresholds(game, "p0", budget=budget)
    assert budget.last is None  # not one step taken
    message = str(caught.value)
    assert message.startswith(f"{MAX_FREE_PARAMETERS + 1} free parameters appear")
    assert "bind at least 1 of them" in message and "params={'p1': 1, " in message
    assert "every parameter but p0 at its default" in message and "--" not in message
    assert caught.value.suggested_params["p1"] == 1


def test_declared_parameters_no_payoff_uses_do_not_count():
    game = parse_toml(_many(MAX_FREE_PARAMETERS + 10, used=4))
    result = cr.thresholds(game, "p0", {"p1": 1, "p2": 1, "p3": 1})
    assert result.partial is None and result.regions


def test_a_thousand_parameters_are_refused_at_once_on_the_command_line(tmp_path):
    result = _run(["threshold", _game_file(tmp_path, _many(1000)), "--for", "p0"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: 1,000 free parameters appear in the game's payoffs")
    assert len(result.stderr.strip().splitlines()) == 1


# --- the command line -------------------------------------------------------------------------


def test_budget_zero_on_the_command_line_prints_what_to_bind(tmp_path):
    result = _run(["threshold", _game_file(tmp_path, TWELVE), "--for", "a1", "--budget", "0"])
    assert result.exit_code == 3
    assert "thresholds of a1, partial result" in result.stdout
    assert "Finished:\n  nothing yet" in result.stdout
    assert "To finish, bind the parameters in the most payoffs" in result.stdout
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Stopped: the time budget of 0 s ran out before the derivation")
    assert "--param a2=2" in line and "or every parameter but a1 with --defaults" in line


def test_partial_json_is_valid_and_says_what_finished(tmp_path, monkeypatch):
    schema_checks = pytest.importorskip("test_json_schema")

    def stopping(seconds, progress=None):
        return _stopping_at("regions", 10, seconds=seconds, progress=progress)

    monkeypatch.setattr(budget_module, "Budget", stopping)
    result = _run(["threshold", "chicken", "--for", "c_row", "--format", "json"])
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    schema_checks._check(data, "threshold")
    partial = data["partial"]
    assert (partial["reason"], partial["stage"], partial["seconds"]) == ("budget", "regions", "60")
    assert data["regions"] and data["thresholds"] == []
    assert partial["bind"][0] == {"name": "l_column", "value": "-1", "conditions": 5}
    assert result.stderr.startswith("Stopped: ")


def test_partial_json_with_nothing_found_is_valid():
    schema_checks = pytest.importorskip("test_json_schema")
    result = _run(["threshold", "sinking_costs", "--for", "m", "--budget", "0", "-o", "x"])
    assert result.exit_code == 2  # a usage error stays one
    result = _run(["threshold", "sinking_costs", "--for", "m", "--budget", "0", "--format", "json"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["regions"] == [] and data["partial"]["stage"] == "start"
    schema_checks._check(data, "threshold")
    del data["partial"]  # without it, an empty list of regions is not a result
    with pytest.raises(schema_checks.jsonschema.ValidationError):
        schema_checks.VALIDATOR.validate(data)


def test_partial_latex_names_what_is_missing():
    result = _run(["threshold", "chicken", "--for", "c_row", "--budget", "0", "--format", "latex"])
    assert result.exit_code == 3
    assert "% Stopped after" in result.stdout and r"\begin{tabular}{ll}" in result.stdout
    assert "% To finish, bind the parameters" in result.stdout


def test_a_negative_budget_is_a_usage_error():
    result = _run(["threshold", "chicken", "--for", "c_row", "--budget", "-1"])
    assert result.exit_code == 2 and "--budget" in result.stderr


def test_twelve_parameters_stop_with_the_real_clock(tmp_path):
    """Issue 11: a partial answer and what to bind, never a silent hang (the time is not checked:
    the game cannot finish, so a budget of a second always stops it)."""
    path = _game_file(tmp_path, TWELVE)
    result = _run(["threshold", path, "--for", "a1", "--budget", "1", "--format", "json"])
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data["partial"]["reason"] == "budget" and data["partial"]["bind"]
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)  # the timer's handler went
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_signalling_game_with_many_free_payoffs_stops_with_advice(tmp_path):
    path = _game_file(tmp_path, _signalling(12))
    result = _run(["threshold", path, "--for", "s0", "--budget", "0"])
    assert result.exit_code == 3
    assert "--param s1=0" in result.stderr


def test_a_bound_game_finishes_within_the_default_budget():
    result = _run(["threshold", "chicken", "--for", "c_row", "--defaults"])
    assert result.exit_code == 0 and result.stderr == ""


# --- progress ---------------------------------------------------------------------------------


def test_threshold_progress_only_with_the_option():
    args = ["threshold", "chicken", "--for", "c_row"]
    shown = _run([*args, "--progress"])
    assert shown.exit_code == 0
    # The first step is drawn at once (later ones at most ten times a second).
    assert shown.stderr.startswith("\rcandidates: [") and "of 60 s" in shown.stderr
    assert "candidates: " not in shown.stdout
    for quiet in (_run(args), _run([*args, "--no-progress"])):  # stderr is no terminal here
        assert quiet.exit_code == 0 and quiet.stderr == ""
        assert quiet.stdout == shown.stdout


def test_solve_progress_only_with_the_option():
    shown = _run(["solve", "sinking_costs", "--progress"])
    assert shown.exit_code == 0
    assert "solving: [" in shown.stderr and "sender support profiles" in shown.stderr
    assert shown.stderr.endswith("\n")
    quiet = _run(["solve", "sinking_costs"])
    assert quiet.stderr == "" and quiet.stdout == shown.stdout
    assert _run(["solve", "chicken", "--progress"]).stderr == ""  # nothing long to report


def test_enumeration_reports_to_a_callback_only_when_asked():
    seen: list[tuple[int, int | None, str]] = []
    cr.solve(cr.load("tying_hands"))  # silent by default
    with reporting(lambda done, total, unit: seen.append((done, total, unit))):
        cr.solve(cr.load("tying_hands"))
    total = seen[0][1]
    assert seen[0] == (0, total, "sender support profiles")
    assert seen[-1] == (total, total, "sender support profiles")


def test_reverse_search_reports_the_bases_it_visits():
    # A 9 x 9 game is past the subsets method's range: the reverse search counts its bases,
    # with no total known in advance, rising to the end of each polytope's enumeration.
    rng = __import__("random").Random(5)
    A = [[rng.randint(-9, 9) for _ in range(9)] for _ in range(9)]
    B = [[rng.randint(-9, 9) for _ in range(9)] for _ in range(9)]
    seen: list[tuple[int, int | None, str]] = []
    with reporting(lambda done, total, unit: seen.append((done, total, unit))):
        solution = cr.solve(cr.Bimatrix.from_arrays(A, B))
    assert solution.equilibria and seen
    assert {(total, unit) for _, total, unit in seen} == {
        (None, "bases of a best-response polytope")
    }
    assert max(done for done, _, _ in seen) > 81


def test_progress_line_for_a_stage_and_its_delay():
    import io

    now = [0.0]
    stream = io.StringIO()
    bar = Progress(None, enabled=True, stream=stream, delay=1.0, clock=lambda: now[0])
    now[0] = 0.5
    bar.show(3, 9, label="candidates", unit="support pairs")  # not yet
    assert stream.getvalue() == ""
    now[0] = 2.0
    bar.show(6, 9, label="candidates", unit="support pairs")
    assert stream.getvalue().startswith("\rcandidates: [##########......] 6 / 9 support pairs")
    bar.close()
    assert stream.getvalue().endswith("\n")
    quiet = Progress(None, enabled=True, stream=io.StringIO(), delay=5.0)
    quiet.close()
    assert quiet.stream.getvalue() == ""


# --- the budget itself ------------------------------------------------------------------------


def test_budget_checks():
    with pytest.raises(ValueError, match="seconds >= 0"):
        Budget(-1)
    assert Budget(float("inf")).seconds is None
    checkpoint("regions", 1)  # no budget running: nothing happens
    budget = Budget(None)
    with running(budget):
        checkpoint("regions", 5, unit="branches")
    assert budget.last is not None and budget.last.done == 5


def test_timer_is_set_and_cleared_around_a_budget():
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer on this system")
    budget = Budget(30)
    with running(budget):
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)


def _busy(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


class _SlowFinalizer:
    def __del__(self):
        _busy(0.3)


class _Referent:
    pass


@pytest.mark.parametrize("where", ["gc callback", "finalizer", "weakref callback"])
def test_a_timer_ringing_where_exceptions_are_dropped_stops_the_derivation_just_after(where):
    # An exception raised in a gc callback (Hypothesis installs one), a finalizer or a weak
    # reference's callback is reported as unraisable and lost, and the timer with it: the stop
    # is dropped quietly and the timer rings again 10 ms later.
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer on this system")
    lost = []
    previous_hook, sys.unraisablehook = sys.unraisablehook, lost.append

    def slow_callback(phase, info):
        if phase == "start":
            _busy(0.3)

    started = time.monotonic()
    try:
        with pytest.raises(budget_module.OutOfBudget), running(Budget(0.05)):
            if where == "gc callback":
                gc.callbacks.append(slow_callback)
                gc.collect()
            elif where == "finalizer":
                _SlowFinalizer()  # dropped at once: its finalizer runs here
            else:
                referent = _Referent()
                watch = weakref.ref(referent, lambda _: _busy(0.3))
                del referent  # the callback runs here
                assert watch() is None
            _busy(5)  # not reached past the timer's second ring
    finally:
        if slow_callback in gc.callbacks:
            gc.callbacks.remove(slow_callback)
        sys.unraisablehook = previous_hook
    assert lost == []
    assert time.monotonic() - started < 2


def test_stopped_result_is_built_fast_enough_to_print():
    """A partial result prints its conditions as found (no simplification) and stays exact."""
    stop = _stop(cr.load("chicken"), "c_row", budget=_stopping_at("regions", 10))
    region = stop.result.regions[0]
    assert region.pieces and region.text.count(" > 0") >= region.pieces
    values = {s: 1 for s in region.condition.free_symbols}
    assert region.condition.subs(values) in (sympy.true, sympy.false)


def test_a_long_step_keeps_the_progress_display_moving():
    now = [0.0]
    steps = []
    budget = Budget(10, progress=steps.append, clock=lambda: now[0])
    with running(budget):
        checkpoint("conditions", 0, 3, unit="outcomes")
        now[0] = 0.2
        budget.check()  # too soon to report again
        now[0] = 1.0
        budget.check()
    assert [(s.stage, s.done, s.elapsed) for s in steps] == [
        ("conditions", 0, 0.0),
        ("conditions", 0, 1.0),
    ]


def test_ctrl_c_during_a_derivation_exits_130_and_cleans_up(monkeypatch):
    real = budget_module.Budget

    def interrupting(seconds, progress=None):
        def stop(step):
            if step.stage == "regions":
                raise KeyboardInterrupt
            if progress is not None:
                progress(step)

        return real(seconds, progress=stop)

    monkeypatch.setattr(budget_module, "Budget", interrupting)
    result = _run(["threshold", "chicken", "--for", "c_row", "--progress"])
    assert result.exit_code == 130 and result.stdout == ""
    assert result.stderr.endswith("\ninterrupted\n")
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)

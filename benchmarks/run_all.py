"""Every peer comparison of issue 17 in one command: one table of ratios measured in one run.

Run from the repository root:

    .venv/bin/python benchmarks/run_all.py            # about ten minutes
    .venv/bin/python benchmarks/run_all.py --quick    # about three minutes

Each cell of the table (one solver or command on one row) runs in a fresh subprocess with its own
timeout: a cell that times out or fails is reported as such and the run goes on. A peer that timed
out on a smaller game of a family is not run on the larger ones. The functions that do the work
are those of the other benchmark scripts, imported (``bench_large_games.py``,
``bench_sweep_bimatrix.py``, ``bench_startup.py``, ``bench_sweep.py``); this script only
schedules them, times them out and gathers their figures.

Rows:

- large bimatrix games (8x8, 10x10 and 12x12, 15x15 with float payoffs, 10x10 with integer
  payoffs): CPU seconds per game of our exact enumeration, our float enumeration, Gambit's
  ``enummixed_solve`` in floats, quantecon's ``vertex_enumeration`` and nashpy's
  ``vertex_enumeration``;
- the sweep's kernels on integer games with payoffs in -5..5: games per second of the 2x2 sign
  kernel and of the 3x3 / 4x4 exact batch against quantecon's ``support_enumeration``, Gambit's
  ``enummixed_solve`` (rational and float) and nashpy's ``support_enumeration``;
- start-up: median wall time of ``import credibility``, ``credibility --help``, ``models``,
  ``show chicken``, ``solve chicken`` (fresh processes, bytecode cached);
- sweeps through the command line: 10^6 points of ``chicken`` to CSV, 10^7 to Parquet and CSV
  (not with ``--quick``), and ``--workers 2`` against in-process on 10^6 points;
- ``credibility threshold`` on a generated 3x3 game with 12 parameters: the time to the partial
  answer with ``--budget 10``, and the time with ``--defaults`` (one free parameter).

Ratios are peer / ours in time (above 1: ours is faster). The results go to
``benchmarks/results/summary.md`` and ``summary.json`` (``--out`` to change the folder), with the
machine: CPU, cores, load average at the start and the end, versions, date. The machine may be
shared: compare the ratios of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_sweep import cpu_and_memory  # noqa: E402 (found through the path above)

MARK = "RUN_ALL_RESULT "
SEED = 20260601

# ---------------------------------------------------------------------------------------------
# The cells: each runs in a child process (``run_all.py --cell ROW SOLVER``) and returns a dict.


def _large(size: int, family: str) -> Callable[[str, bool], dict[str, Any]]:
    def cell(solver: str, quick: bool) -> dict[str, Any]:
        import bench_large_games as large
        import numpy as np

        count = 1 if quick else large.FULL_GAMES[size]
        rng = np.random.default_rng([SEED, size, ["float", "int", "int2"].index(family)])
        games = large.random_games(rng, size, family, count)
        chosen = {s.name: s for s in large.available_solvers()}
        if solver not in chosen:
            return {"status": "missing"}
        seconds, found = large.run(chosen[solver], games)
        return {"seconds": seconds, "equilibria": found, "games": count, "unit": "CPU s/game"}

    return cell


def _sweep_kernel(size: int) -> Callable[[str, bool], dict[str, Any]]:
    def cell(solver: str, quick: bool) -> dict[str, Any]:
        import bench_sweep_bimatrix as sb
        import numpy as np

        mode = "quick" if quick else "full"
        count = sb.GAMES[mode] // {2: 1, 3: 4, 4: 8}[size]
        A, B = sb.random_games(np.random.default_rng([SEED, size]), count, size)
        if solver == "ours":
            if size == 2:
                rate = sb.best_rate(lambda: sb.solve_2x2(A, B, rtol=0), count)
            else:
                sb.solve_exact_batch(A[:100], B[:100])  # warm-up
                rate = sb.best_rate(lambda: sb.solve_exact_batch(A, B), count)
            return {"rate": rate, "games": count}
        peers = sb.peers()
        first_key = solver
        if solver == "gambit-rational" and "gambit" in peers:
            import pygambit

            def rational(game: Any) -> Any:
                return pygambit.nash.enummixed_solve(game, rational=True).equilibria

            peers[solver] = (peers["gambit"][0], rational)
            first_key = "gambit"
        elif solver == "gambit-float":
            solver, first_key = "gambit", "gambit"
        if solver not in peers:
            return {"status": "missing"}
        first = min(sb.FIRST[first_key][quick] // (1 if size == 2 else size), count)
        prepare, solve = peers[solver]
        rate, _ = sb.rate_of_peer(prepare, solve, A[:first], B[:first])
        return {"rate": rate, "games": first}

    return cell


def _startup(label: str) -> Callable[[str, bool], dict[str, Any]]:
    def cell(solver: str, quick: bool) -> dict[str, Any]:
        import bench_startup as st

        runs = 5 if quick else 10
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")
        }
        with tempfile.TemporaryDirectory(prefix="run-all-startup-") as cache:
            env["PYTHONPYCACHEPREFIX"] = cache
            st.run_times(st.COMMANDS[label], 1, env)  # fills the bytecode cache
            walls, cpus = st.run_times(st.COMMANDS[label], runs, env)
        return {
            "seconds": statistics.median(walls),
            "fastest": min(walls),
            "slowest": max(walls),
            "cpu_seconds": statistics.median(cpus),
            "runs": runs,
        }

    return cell


def _sweep(points: int, suffix: str, *extra: str, model: str = "2x2") -> Callable[..., Any]:
    def cell(solver: str, quick: bool) -> dict[str, Any]:
        import bench_sweep as bs

        if model == "2x2":
            game, first, second = "chicken", "c_row=0:10", "l_column=-5:0"
        else:
            game, first, second = bs.MODELS[model]()
        sides = (1000, 1000) if points == 10**6 else (3163, 3162)
        with tempfile.TemporaryDirectory(prefix="run-all-sweep-") as folder:
            out = Path(folder) / f"map{suffix}"
            seconds, cpu, peak = bs.run_sweep(game, first, second, sides, out, *extra)
            size = out.stat().st_size / 1e6
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "peak_mib": peak,
            "megabytes": size,
            "points": sides[0] * sides[1],
        }

    return cell


def threshold_game(path: Path) -> list[str]:
    """Write a 3x3 bimatrix game with 12 parameters (6 payoffs of each player); their names."""
    import numpy as np

    rng = np.random.default_rng(17)
    lines = [
        'kind = "bimatrix"',
        'title = "Generated 3x3 game with 12 parameters (benchmarks/run_all.py)"',
        'players = ["Row", "Column"]',
        "",
    ]
    names: list[str] = []
    matrices: dict[str, list[list[str]]] = {}
    for player in "ab":
        rows = []
        for i in range(3):
            row = []
            for j in range(3):
                if j < 2:
                    name = f"{player}{i + 1}{j + 1}"
                    names.append(name)
                    lines += [f"[parameters.{name}]", f"default = {int(rng.integers(-5, 6))}", ""]
                    row.append(f'"{name}"')
                else:
                    row.append(str(int(rng.integers(-5, 6))))
            rows.append(row)
        matrices[player] = rows
    lines += ["[strategies]", 'Row = ["T", "M", "B"]', 'Column = ["L", "C", "R"]', "", "[payoffs]"]
    for player, label in (("a", "Row"), ("b", "Column")):
        cells = ", ".join("[" + ", ".join(row) + "]" for row in matrices[player])
        lines.append(f"{label} = [{cells}]")
    path.write_text("\n".join(lines) + "\n")
    return names


def _threshold(*extra: str) -> Callable[[str, bool], dict[str, Any]]:
    def cell(solver: str, quick: bool) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="run-all-threshold-") as folder:
            path = Path(folder) / "game3x3.toml"
            names = threshold_game(path)
            command = [sys.executable, "-m", "credibility", "threshold", str(path)]
            command += ["--for", names[0], *extra]
            start = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - start
        lines = done.stdout.splitlines()
        return {
            "seconds": seconds,
            "exit_status": done.returncode,
            "parameters": len(names),
            "command": "credibility threshold GAME3x3.toml --for a11 " + " ".join(extra),
            "output_head": lines[:30],
        }

    return cell


@dataclass
class Cell:
    row: str
    solver: str
    run: Callable[[str, bool], dict[str, Any]]
    timeout: tuple[float, float]  # (quick, full) seconds
    quick: bool = True  # run in --quick mode
    family: str = ""  # a solver that timed out in a family is skipped on its later rows


@dataclass
class Row:
    name: str
    group: str
    cells: list[Cell] = field(default_factory=list)


def table() -> list[Row]:
    rows: list[Row] = []
    large_solvers = ["ours", "ours-float", "gambit-float", "quantecon", "nashpy"]
    for size, family in ((8, "float"), (10, "float"), (10, "int"), (12, "float"), (15, "float")):
        row = Row(f"{size}x{size} {family}", "large")
        for solver in large_solvers:
            row.cells.append(Cell(row.name, solver, _large(size, family), (15, 120), family="L"))
        rows.append(row)
    for size in (2, 3, 4):
        label = "2x2 sweep kernel" if size == 2 else f"{size}x{size} exact batch"
        row = Row(f"{label}, -5..5", "kernel")
        for solver in ("ours", "quantecon", "gambit-rational", "gambit-float", "nashpy"):
            quick = solver in ("ours", "quantecon", "gambit-rational")  # the peers
            row.cells.append(Cell(row.name, solver, _sweep_kernel(size), (30, 120), quick))
        rows.append(row)
    for label in (
        "python -c pass",
        "import credibility",
        "credibility --help",
        "credibility models",
        "credibility show chicken",
        "credibility solve chicken",
    ):
        row = Row(label, "startup")
        row.cells.append(Cell(label, "ours", _startup(label), (30, 60)))
        rows.append(row)
    sweeps = [
        ("chicken 10^6 points, CSV", 10**6, ".csv", True),
        ("chicken 10^7 points, Parquet", 10**7, ".parquet", False),
        ("chicken 10^7 points, CSV", 10**7, ".csv", False),
    ]
    for label, points, suffix, quick in sweeps:
        row = Row(label, "sweep")
        row.cells.append(Cell(label, "ours", _sweep(points, suffix), (60, 120), quick))
        rows.append(row)
    for model, quick in (("2x2", True), ("tree", False), ("signalling", False)):
        label = f"{model} 10^6 points, CSV" if model != "2x2" else "chicken 10^6 points, CSV"
        row = Row(f"{label}: in-process vs --workers 2", "workers")
        row.cells.append(
            Cell(row.name, "in-process", _sweep(10**6, ".csv", model=model), (60, 120), quick)
        )
        row.cells.append(
            Cell(
                row.name,
                "--workers 2",
                _sweep(10**6, ".csv", "--workers", "2", model=model),
                (60, 120),
                quick,
            )
        )
        rows.append(row)
    row = Row("threshold, 3x3 game, 12 parameters", "threshold")
    row.cells.append(Cell(row.name, "--budget 10", _threshold("--budget", "10"), (40, 40)))
    row.cells.append(Cell(row.name, "--defaults", _threshold("--defaults"), (60, 120)))
    rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# The parent: run each cell in a child process with a timeout.


def run_cell(cell: Cell, quick: bool) -> dict[str, Any]:
    """Run one cell in a fresh process (its own session, killed whole on timeout)."""
    timeout = cell.timeout[0 if quick else 1]
    command = [sys.executable, str(Path(__file__).resolve())]
    command += [f"--cell-row={cell.row}", f"--cell-solver={cell.solver}"]
    if quick:
        command.append("--quick")
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the child and whatever it started
        process.communicate()
        return {"status": "timeout", "timeout": timeout, "wall": time.perf_counter() - start}
    wall = time.perf_counter() - start
    for line in reversed(out.splitlines()):
        if line.startswith(MARK):
            result = json.loads(line[len(MARK) :])
            result.setdefault("status", "ok")
            result["wall"] = wall
            return result
    tail = (err or out).strip().splitlines()[-3:]
    return {"status": "error", "returncode": process.returncode, "error": tail, "wall": wall}


def child(row: str, solver: str, quick: bool) -> None:
    for r in table():
        for cell in r.cells:
            if cell.row == row and cell.solver == solver:
                result = cell.run(solver, quick)
                print(MARK + json.dumps(result), flush=True)
                return
    raise SystemExit(f"no cell {row!r} / {solver!r}")


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # not installed
        return "not installed"


def machine(load_start: tuple[float, ...], load_end: tuple[float, ...]) -> dict[str, Any]:
    cpu, memory = cpu_and_memory()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in load_end],
        "python": platform.python_version(),
        "versions": {
            name: _version(name)
            for name in (
                "credibility",
                "numpy",
                "pygambit",
                "quantecon",
                "nashpy",
                "numba",
                "pyarrow",
                "sympy",
            )
        },
    }


# ---------------------------------------------------------------------------------------------
# The summary.


def _seconds(x: float) -> str:
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 0.001:
        return f"{x * 1000:.1f} ms"
    return f"{x * 1e6:.0f} µs"


def _rate(x: float) -> str:
    return f"{x:,.0f}/s"


def _failure(result: dict[str, Any] | None) -> str | None:
    if result is None:
        return "-"  # not run in this mode
    status = result["status"]
    if status == "timeout":
        return f"timeout ({result['timeout']:.0f} s)"
    if status == "skipped":
        return result["reason"]
    if status == "missing":
        return "not installed"
    if status == "error":
        return "error"
    return None


def _gist(lines: list[str], names: str) -> str:
    """What a threshold answer says: where the budget stopped it, or the thresholds found."""
    text = "\n".join(lines)
    if "Stopped after" in text:
        gist = text[text.index("Stopped after") :]
        for end in ("Not finished", "To finish"):
            gist = gist.split(end)[0]
        return " ".join(gist.split())
    found = [
        " ".join(line.split())
        for line in lines
        if line.strip().startswith(f"{names} = ") and ":" not in line
    ]
    return "thresholds: " + ", ".join(found) if found else " ".join(" ".join(lines[:2]).split())


def render(rows: list[dict[str, Any]], info: dict[str, Any], quick: bool, total: float) -> str:
    load0 = ", ".join(f"{x:.2f}" for x in info["load_average_start"])
    load1 = ", ".join(f"{x:.2f}" for x in info["load_average_end"])
    v = info["versions"]
    lines = [
        "# Benchmarks: one run of `benchmarks/run_all.py" + (" --quick`" if quick else "`"),
        "",
        f"- date: {info['date']}; whole run {total:.0f} s wall time",
        f"- CPU: {info['cpu']}, {info['cores']} logical cores, {info['memory']}",
        f"- system: {info['system']}",
        f"- load average (1, 5, 15 min): {load0} at the start, {load1} at the end "
        "(the machine is shared with other jobs)",
        f"- Python {info['python']}, credibility {v['credibility']}, numpy {v['numpy']}, "
        f"pygambit {v['pygambit']}, quantecon {v['quantecon']} (numba {v['numba']}), "
        f"nashpy {v['nashpy']}, pyarrow {v['pyarrow']}, sympy {v['sympy']}",
        "",
        "Each cell ran in its own process with its own timeout. Ratios are peer / ours in time "
        "(above 1: ours is faster); they are what to compare, not the figures across machines "
        "or runs.",
        "",
    ]
    by_group: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_group.setdefault(row["group"], []).append(row)

    def cells(row: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {c["solver"]: c["result"] for c in row["cells"]}

    if "large" in by_group:
        lines += [
            "## Large bimatrix games: CPU seconds per game (peer / ours exact)",
            "",
            "Random square games (float payoffs uniform in [0, 1), integer in -1000..1000); "
            "all extreme equilibria. `eq`: distinct equilibria found by ours (peers that found "
            "another number are marked).",
            "",
            "| game | ours exact | ours float | Gambit enummixed (float) "
            "| quantecon vertex_enumeration | nashpy vertex_enumeration | eq |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in by_group["large"]:
            c = cells(row)
            ours = c["ours"]
            base = ours.get("seconds") if ours["status"] == "ok" else None
            out = [f"{row['name']} ({ours.get('games', 1)})"]
            for solver in ("ours", "ours-float", "gambit-float", "quantecon", "nashpy"):
                r = c.get(solver)
                fail = _failure(r)
                if fail or r is None:
                    out.append(fail or "-")
                    continue
                text = _seconds(r["seconds"])
                if solver != "ours" and base:
                    text += f" ({r['seconds'] / base:.1f}x)"
                if solver != "ours" and ours.get("equilibria") not in (None, r["equilibria"]):
                    text += f" [{r['equilibria']} eq]"
                out.append(text)
            out.append(str(ours.get("equilibria", "-")))
            lines.append("| " + " | ".join(out) + " |")
        lines.append("")

    if "kernel" in by_group:
        lines += [
            "## The sweep's kernels, integer payoffs in -5..5: games per second (ours / peer)",
            "",
            "Ours: the 2x2 sign kernel (`solve_2x2`, exact) and the exact int64 batch "
            "(`solve_exact_batch`) for 3x3 and 4x4, every extreme equilibrium, degenerate games "
            "included. Slow peers run on the first games of the batch.",
            "",
            "| games | ours | quantecon support_enumeration | Gambit enummixed rational "
            "| Gambit enummixed float | nashpy support_enumeration |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in by_group["kernel"]:
            c = cells(row)
            ours = c["ours"]
            base = ours.get("rate") if ours["status"] == "ok" else None
            out = [row["name"]]
            for solver in ("ours", "quantecon", "gambit-rational", "gambit-float", "nashpy"):
                r = c.get(solver)
                fail = _failure(r)
                if fail or r is None:
                    out.append(fail or "-")
                    continue
                text = _rate(r["rate"])
                if solver != "ours" and base:
                    text += f" ({base / r['rate']:,.0f}x)"
                out.append(text)
            lines.append("| " + " | ".join(out) + " |")
        lines.append("")

    if "startup" in by_group:
        lines += [
            "## Start-up: median wall time of a fresh process (bytecode cached)",
            "",
            "| command | median wall | fastest - slowest | median CPU |",
            "| --- | ---: | ---: | ---: |",
        ]
        for row in by_group["startup"]:
            r = cells(row)["ours"]
            fail = _failure(r)
            if fail:
                lines.append(f"| `{row['name']}` | {fail} | | |")
                continue
            lines.append(
                f"| `{row['name']}` | {_seconds(r['seconds'])} | {_seconds(r['fastest'])} - "
                f"{_seconds(r['slowest'])} | {_seconds(r['cpu_seconds'])} |"
            )
        lines.append("")

    if "sweep" in by_group or "workers" in by_group:
        lines += [
            "## Sweeps through the command line (`credibility sweep`, a fresh process each)",
            "",
            "| run | wall | CPU | peak memory | file |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for row in by_group.get("sweep", []):
            r = cells(row)["ours"]
            fail = _failure(r)
            if fail:
                lines.append(f"| {row['name']} | {fail} | | | |")
                continue
            lines.append(
                f"| {row['name']} | {_seconds(r['seconds'])} | {_seconds(r['cpu_seconds'])} | "
                f"{r['peak_mib']:.0f} MiB | {r['megabytes']:.0f} MB |"
            )
        for row in by_group.get("workers", []):
            c = cells(row)
            inproc, workers = c["in-process"], c["--workers 2"]
            for label, r in (("in-process", inproc), ("--workers 2", workers)):
                name = row["name"].split(":")[0] + f", {label}"
                fail = _failure(r)
                if fail:
                    lines.append(f"| {name} | {fail} | | | |")
                    continue
                ratio = ""
                if label == "--workers 2" and inproc["status"] == "ok":
                    ratio = f" (in-process / workers {inproc['seconds'] / r['seconds']:.2f}x)"
                lines.append(
                    f"| {name} | {_seconds(r['seconds'])}{ratio} | {_seconds(r['cpu_seconds'])} | "
                    f"{r['peak_mib']:.0f} MiB | {r['megabytes']:.0f} MB |"
                )
        lines.append("")

    if "threshold" in by_group:
        lines += [
            "## `credibility threshold` on a 3x3 game with 12 parameters",
            "",
            "A generated bimatrix game (six payoffs of each player are parameters), thresholds of "
            "`a11`. Exit status 3: the budget ran out and a partial answer was printed.",
            "",
            "| command | wall | exit status | the answer |",
            "| --- | ---: | ---: | --- |",
        ]
        for row in by_group["threshold"]:
            for solver, r in cells(row).items():
                fail = _failure(r)
                command = f"`credibility threshold GAME --for a11 {solver}`"
                if fail:
                    lines.append(f"| {command} | {fail} | | |")
                    continue
                head = _gist(r["output_head"], names="a11").replace("|", "\\|")
                lines.append(
                    f"| {command} | {_seconds(r['seconds'])} | {r['exit_status']} | {head} |"
                )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller batches, short timeouts")
    parser.add_argument("--only", default="", help="comma-separated groups (large, kernel, "
                        "startup, sweep, workers, threshold)")  # fmt: skip
    parser.add_argument("--out", default=str(HERE / "results"), help="folder of the summary")
    parser.add_argument("--cell-row", help=argparse.SUPPRESS)
    parser.add_argument("--cell-solver", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cell_row:
        child(args.cell_row, args.cell_solver, args.quick)
        return
    groups = {g for g in args.only.split(",") if g}
    load_start = os.getloadavg()
    started = time.perf_counter()
    date = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    timed_out: set[tuple[str, str]] = set()
    rows = []
    for row in table():
        if groups and row.group not in groups:
            continue
        record: dict[str, Any] = {"name": row.name, "group": row.group, "cells": []}
        for cell in row.cells:
            if args.quick and not cell.quick:
                continue
            if cell.family and (cell.family, cell.solver) in timed_out:
                result = {"status": "skipped", "reason": "timed out on a smaller game"}
            else:
                result = run_cell(cell, args.quick)
                if result["status"] == "timeout" and cell.family:
                    timed_out.add((cell.family, cell.solver))
            record["cells"].append({"solver": cell.solver, "result": result})
            shown = {k: v for k, v in result.items() if k != "output_head"}
            print(f"{row.name:<45} {cell.solver:<16} {json.dumps(shown)}", flush=True)
        if record["cells"]:
            rows.append(record)
    total = time.perf_counter() - started
    info = machine(load_start, os.getloadavg()) | {"date": date}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = {"quick": args.quick, "seconds": total, "machine": info, "rows": rows}
    (out / "summary.json").write_text(json.dumps(report, indent=1) + "\n")
    text = render(rows, info, args.quick, total)
    (out / "summary.md").write_text(text + "\n")
    print()
    print(text)
    print(f"written: {out / 'summary.md'}, {out / 'summary.json'}")


if __name__ == "__main__":
    main()

"""Sweeps end to end through the command line: 10^6-point maps, 10^7 points, workers, scaling.

Each run is a fresh ``credibility sweep`` process (start-up, imports and the
symbolic derivation included), timed on the wall clock, with its CPU time
(user + system, of the process and its children: what the run costs whatever
else the machine runs) and peak resident memory read from the operating
system (``wait4``).

0. Ten million points of a 2x2 sweep (the catalog's ``chicken`` over Row's
   crash cost and Column's loss of face, 3163 x 3162) to Parquet and to CSV;
   goals: under 3 s and under 6 s on a 2-core machine.
0b. ``--workers 2`` against in-process, on 10^6 points of each model (the
   chunks are the same; the output is byte for byte the same). Workers run
   only where they add cores (``credibility.sweeps.dask_runner.processes_pay``):
   on a 2-core machine the 2x2 model, computed by two threads in-process,
   runs in-process with ``--workers 2`` too.

1. A 10^6-point (1000 x 1000) map of a catalog tree model and of a catalog
   signalling model; goal: under 5 s each on a 2-core machine.
2. A scaling curve: square grids of 10^4, 10^5, ... points up to
   ``--max-points`` for both models: points, seconds, points per second and
   peak memory, written to ``benchmarks/results/sweep_scaling.csv`` beside a
   description of the machine (``sweep_machine.txt``).

The tree model is the catalog's ``unilateral_deterrence`` over the defender's
credibility ``p`` and the challenger's payoff from conflict ``a_DD`` (else the
test tree ``tests/data/sweep_deterrence.toml``, of the same shape). The signalling
model is ``sinking_costs`` over the mobilisation cost ``m`` and the prior ``q``;
the grid includes the priors 0 and 1, where the game is degenerate and the
evaluator switches to the conditions of a game with one type.

Run from the repository root:
    .venv/bin/python benchmarks/bench_sweep.py [--max-points N]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))


def tree_model() -> tuple[str, str, str]:
    """The tree model to sweep, and its two swept parameters' ranges."""
    import credibility as cr

    if "unilateral_deterrence" in cr.catalog_names():
        return "unilateral_deterrence", "p=0:1", "a_DD=-6:-1"
    return str(ROOT / "tests" / "data" / "sweep_deterrence.toml"), "p=0:1", "c=0:5"


MODELS = {
    "tree": tree_model,
    "signalling": lambda: ("sinking_costs", "m=0:5", "q=0:1"),
}


def run_sweep(
    game: str, first: str, second: str, side: int | tuple[int, int], out: Path, *extra: str
) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak memory (MiB) of one ``credibility sweep`` process."""
    sides = (side, side) if isinstance(side, int) else side
    command = [
        sys.executable,
        "-m",
        "cli",
        "sweep",
        game,
        "--grid",
        f"{first}:{sides[0]}",
        "--grid",
        f"{second}:{sides[1]}",
        "--out",
        str(out),
        "--quiet",
        "--overwrite",
        *extra,
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"sweep failed: {' '.join(command)}")
    # the process's CPU time, its worker processes' included (it reaps them)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024


def ten_million(folder: Path) -> list[dict[str, str]]:
    """10^7 points of chicken to Parquet and CSV, against the goals."""
    rows = []
    print(f"{'output':<10} {'points':>12} {'seconds':>8} {'CPU s':>7} {'MB':>7} {'goal':>6}")
    for suffix, goal in ((".parquet", 3.0), (".csv", 6.0)):
        out = folder / f"chicken{suffix}"
        seconds, cpu, _ = run_sweep("chicken", "c_row=0:10", "l_column=-5:0", (3163, 3162), out)
        size = out.stat().st_size / 1e6
        out.unlink()
        print(
            f"{suffix[1:]:<10} {3163 * 3162:>12,} {seconds:>8.2f} {cpu:>7.2f} {size:>7.0f} "
            f"{goal:>5.0f}s",
            flush=True,
        )
        rows.append(
            {
                "run": f"chicken 10^7 {suffix[1:]}",
                "seconds": f"{seconds:.2f}",
                "cpu_seconds": f"{cpu:.2f}",
                "megabytes": f"{size:.0f}",
            }
        )
    return rows


def workers(folder: Path) -> list[dict[str, str]]:
    """``--workers 2`` against in-process on 10^6 points of each model."""
    rows = []
    models = {"2x2": lambda: ("chicken", "c_row=0:10", "l_column=-5:0"), **MODELS}
    print(f"{'model':<11} {'run':<12} {'seconds':>8} {'CPU s':>7}")
    for kind, model in models.items():
        game, first, second = model()
        outputs = []
        for label, extra in (("in-process", ()), ("--workers 2", ("--workers", "2"))):
            out = folder / f"{kind}-{len(outputs)}.csv"
            seconds, cpu, _ = run_sweep(game, first, second, 1000, out, *extra)
            outputs.append(out)
            print(f"{kind:<11} {label:<12} {seconds:>8.2f} {cpu:>7.2f}", flush=True)
            rows.append(
                {
                    "run": f"{kind} 10^6 csv {label}",
                    "seconds": f"{seconds:.2f}",
                    "cpu_seconds": f"{cpu:.2f}",
                }
            )
        same = outputs[0].read_bytes() == outputs[1].read_bytes()
        print(f"{'':<11} same bytes: {same}")
        for out in outputs:
            out.unlink()
    return rows


def cpu_and_memory() -> tuple[str, str]:
    """This machine's processor model and memory (from /proc where there is one)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return cpu, memory


def machine() -> str:
    """A few lines describing this machine."""
    import numpy

    cpu, memory = cpu_and_memory()
    return "\n".join(
        [
            f"cpu: {cpu} ({os.cpu_count()} logical cores)",
            f"memory: {memory}",
            f"system: {platform.platform()}",
            f"python: {platform.python_version()}, numpy {numpy.__version__}",
            "load average (1, 5, 15 min) at the end: "
            + ", ".join(f"{x:.2f}" for x in os.getloadavg())
            + " (other work shares the machine)",
            f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max-points",
        type=float,
        default=1e6,
        help="largest grid of the scaling curve (default 1e6; up to 1e8; 0: no curve)",
    )
    parser.add_argument(
        "--skip-targets",
        action="store_true",
        help="leave out the 10^7-point runs and the workers comparison",
    )
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = [10**k for k in range(4, 9) if 10**k <= args.max_points]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_targets:
            targets = ten_million(Path(folder)) + workers(Path(folder))
            with (RESULTS / "sweep_targets.csv").open("w", newline="") as f:
                writer = csv.DictWriter(
                    f, fieldnames=["run", "seconds", "cpu_seconds", "megabytes"]
                )
                writer.writeheader()
                writer.writerows(targets)
            print()
        print(f"{'model':<11} {'points':>12} {'seconds':>8} {'points/s':>12} {'peak MiB':>9}")
        for points in sizes:
            for kind, model in MODELS.items():
                game, first, second = model()
                side = math.isqrt(points)
                out = Path(folder) / f"{kind}.csv"
                seconds, _, peak = run_sweep(game, first, second, side, out)
                out.unlink()
                rows.append(
                    {
                        "model": kind,
                        "game": Path(game).stem,
                        "points": side * side,
                        "seconds": f"{seconds:.3f}",
                        "points_per_second": f"{side * side / seconds:.0f}",
                        "peak_mib": f"{peak:.0f}",
                    }
                )
                goal = "  (goal < 5 s)" if side * side == 10**6 else ""
                print(
                    f"{kind:<11} {side * side:>12,} {seconds:>8.2f} "
                    f"{side * side / seconds:>12,.0f} {peak:>9.0f}{goal}",
                    flush=True,
                )
    if rows:
        with (RESULTS / "sweep_scaling.csv").open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        (RESULTS / "sweep_machine.txt").write_text(machine() + "\n")
        print(f"written: {RESULTS / 'sweep_scaling.csv'}, {RESULTS / 'sweep_machine.txt'}")
    if not args.skip_targets:
        (RESULTS / "sweep_targets_machine.txt").write_text(machine() + "\n")
        print(f"written: {RESULTS / 'sweep_targets.csv'}, {RESULTS / 'sweep_targets_machine.txt'}")


if __name__ == "__main__":
    main()

"""Sweeps end to end through the command line: 10^6-point maps, and a scaling curve.

Each run is a fresh ``credibility sweep`` process (start-up, imports and the
symbolic derivation included), timed on the wall clock, with its peak
resident memory read from the operating system (``wait4``'s ``ru_maxrss``).

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


def run_sweep(game: str, first: str, second: str, side: int, out: Path) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one ``credibility sweep`` process."""
    command = [
        sys.executable,
        "-m",
        "cli",
        "sweep",
        game,
        "--grid",
        f"{first}:{side}",
        "--grid",
        f"{second}:{side}",
        "--out",
        str(out),
        "--quiet",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"sweep failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def machine() -> str:
    """A few lines describing this machine."""
    import numpy

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
        help="largest grid of the scaling curve (default 1e6; up to 1e8)",
    )
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = [10**k for k in range(4, 9) if 10**k <= args.max_points]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'model':<11} {'points':>12} {'seconds':>8} {'points/s':>12} {'peak MiB':>9}")
        for points in sizes:
            for kind, model in MODELS.items():
                game, first, second = model()
                side = math.isqrt(points)
                out = Path(folder) / f"{kind}.csv"
                seconds, peak = run_sweep(game, first, second, side, out)
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
    with (RESULTS / "sweep_scaling.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (RESULTS / "sweep_machine.txt").write_text(machine() + "\n")
    print(f"written: {RESULTS / 'sweep_scaling.csv'}, {RESULTS / 'sweep_machine.txt'}")


if __name__ == "__main__":
    main()

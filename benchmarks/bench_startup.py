"""Start-up time: the wall time of short commands, each in a fresh process (issue 17).

Each command runs ``--runs`` times (10 by default) in a new Python process, as a user's shell
would start it, and the median wall time is printed, with the fastest and slowest run, and the
median CPU time (user + system) of the process, which other load on the machine inflates less:

- ``python -c pass``: the interpreter alone, the floor under every other figure;
- ``import credibility``;
- ``credibility --help``, ``credibility models``, ``credibility show chicken``;
- ``credibility solve chicken`` (a small game solved exactly).

The goals of issue 17: ``--help``, ``models`` and ``show`` under 0.25 s, ``solve chicken`` under
0.5 s. The figures depend on the machine and on its load; compare figures from one run. Where the
time goes: ``.venv/bin/python -X importtime -m credibility show chicken 2> importtime.txt``.

The command line runs as ``python -m credibility``, which is what the ``credibility`` console
script runs (``credibility.__main__:main``) without the script's own small start-up.

Two columns: with the bytecode cache (``.pyc`` files, kept under a temporary
``PYTHONPYCACHEPREFIX`` so that the source tree stays clean), as an installed package starts;
and with ``PYTHONDONTWRITEBYTECODE=1`` in a source tree without ``__pycache__`` (the
project's own modules are compiled at each start, the installed packages' are cached), as a
checkout starts where writing bytecode is turned off.

Run from the repository root:  .venv/bin/python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "import credibility": ["-c", "import credibility"],
    "credibility --help": ["-m", "credibility", "--help"],
    "credibility models": ["-m", "credibility", "models"],
    "credibility show chicken": ["-m", "credibility", "show", "chicken"],
    "credibility solve chicken": ["-m", "credibility", "solve", "chicken"],
}


def run_times(
    arguments: list[str], runs: int, env: dict[str, str]
) -> tuple[list[float], list[float]]:
    """Wall and CPU times in seconds of ``runs`` fresh processes running ``python *arguments``."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, *arguments], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def summary(times: tuple[list[float], list[float]]) -> str:
    walls, cpus = times
    median = statistics.median
    return f"{median(walls):.3f} ({min(walls):.3f}-{max(walls):.3f}) cpu {median(cpus):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="processes per command (10)")
    runs = parser.parse_args().runs
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{runs} fresh processes each: median wall time (fastest-slowest), median CPU time; s")
    print(f"  {'':<26} {'bytecode cache':<32} no bytecode cache")
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONPYCACHEPREFIX")}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as cache:
        cached = {k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = cache
        uncached = base | {"PYTHONDONTWRITEBYTECODE": "1"}  # site-packages keep their cache
        for label, arguments in COMMANDS.items():
            run_times(arguments, 1, cached)  # fills the cache (and the file system's)
            with_cache = run_times(arguments, runs, cached)
            without = run_times(arguments, runs, uncached)
            print(f"  {label:<26} {summary(with_cache):<32} {summary(without)}")


if __name__ == "__main__":
    main()

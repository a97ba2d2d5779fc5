"""Where chunks run: in this process, in local worker processes, or on a Dask cluster.

Every runner yields the chunks' results **in grid order**, whatever order
they finish in, so the output does not depend on the choice. A bounded window
of chunks is in flight at once, which bounds the memory the buffered results
take.

- **In this process** (no ``workers``, or one): chunks are computed by a
  thread (two for evaluators safe to share) while the caller writes the
  previous ones, so that evaluating and encoding (numpy and pyarrow, which
  release the GIL) and writing (hashing, the disk) overlap on two cores.
- **Local workers** (``workers=N``, N > 1): a pool of N processes forked from
  this one (started in milliseconds, with the evaluator already built, where
  the platform forks; spawned elsewhere). Each task is a few consecutive
  chunks (about :data:`TASK_POINTS` points), so that starting a task and
  sending its result back stay small against the work; the chunks, and so
  the output, are those of an in-process run.

  Workers are used only where they can add cores: when this process would
  compute with fewer threads than ``min(N, usable cores)`` (see
  :func:`processes_pay`); otherwise the sweep runs in-process, as fast as
  it can here. Measured on a 2-core machine (``benchmarks/bench_sweep.py``):
  a pool starts in about 40 ms, but each chunk's encoded rows cross from a
  worker to this process at about 4 ms of CPU per MB, half of it here, in
  the process that also checksums and writes every chunk. A 131,072-point
  CSV chunk of a 2x2 game is 20 MB: 80 ms to move against about 45 ms to
  compute and encode it, and in-process its two threads (numpy and pyarrow
  release the GIL) already keep both cores busy with the writer. So on two
  cores ``--workers 2`` on a 2x2 game lost (10^6 points: 3.05 s against
  2.25 s in-process, under load); it now runs in-process and loses nothing.
  Trees and signalling games compute in one thread here (their evaluators
  hold the GIL), so two workers add a core, and a chunk costs far more to
  compute (about 0.3 s) than to move (a few MB).
- **A Dask cluster** (``scheduler=ADDRESS``): one task per chunk, the spec
  sent once to every worker.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

from ..errors import CredibilityError
from .tasks import ChunkResult, SweepSpec, compute_chunk, evaluator_for

__all__ = ["TASK_POINTS", "processes_pay", "run_chunks"]

#: Grid points a local worker's task holds at least (whole chunks).
TASK_POINTS = 1 << 18
#: The spec a forked or spawned worker computes chunks of.
_WORKER_SPEC: SweepSpec | None = None


def run_chunks(
    spec: SweepSpec,
    indices: Sequence[int],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[ChunkResult]:
    """Compute the chunks ``indices`` (consecutive) and yield their results in order.

    Parameters
    ----------
    spec : SweepSpec
    indices : sequence of int
    workers : int, optional
        Compute in a pool of this many local worker processes (1: in this
        process; so too where processes would add no core, see
        :func:`processes_pay`).
    scheduler : str, optional
        The address of an existing Dask scheduler (``tcp://host:8786``).

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = cr.load("sinking_costs")
    >>> grid = make_grid(dict([parse_grid("m=0:4:5")]), game.parameters)
    >>> spec = SweepSpec(game, grid, {}, chunk_size=2)
    >>> [(r.index, r.points) for r in run_chunks(spec, range(spec.chunks))]
    [(0, 2), (1, 2), (2, 1)]
    """
    if scheduler is not None:
        yield from _on_dask(spec, indices, scheduler)
    elif workers is not None and len(indices) > 1 and processes_pay(spec, workers):
        yield from _in_processes(spec, indices, workers)
    elif len(indices) > 1 and _cores() > 1:
        yield from _in_thread(spec, indices)
    else:
        for index in indices:
            yield compute_chunk(spec, index)


def processes_pay(spec: SweepSpec, workers: int) -> bool:
    """Whether ``workers`` local processes add cores to what this process computes with.

    In-process, chunks are computed by :func:`_threads` threads; worker
    processes only add the cost of moving every chunk's rows back (see the
    module's docstring) unless more of them than that can run at once.

    Examples
    --------
    >>> import credibility as cr
    >>> from credibility.sweeps.grid import make_grid, parse_grid
    >>> game = cr.load("chicken")
    >>> grid = make_grid(dict([parse_grid("c_row=0:10:5")]), game.parameters)
    >>> processes_pay(SweepSpec(game, grid, {}, chunk_size=2), 1)
    False
    """
    return min(workers, _cores()) > _threads(spec)


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _threads(spec: SweepSpec) -> int:
    """Threads computing chunks in-process: two for evaluators safe to share, else one."""
    return 2 if getattr(evaluator_for(spec), "thread_safe", False) else 1


def _in_thread(spec: SweepSpec, indices: Sequence[int]) -> Iterator[ChunkResult]:
    """Compute the next chunks in threads while the caller handles the current one.

    Two threads for evaluators that say they are safe to share
    (``thread_safe``: the bimatrix one), else one.
    """
    threads = _threads(spec)  # the evaluator built once, here, before any thread asks for it
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sweep") as pool:
        yield from _in_order(pool, spec, [[i] for i in indices], threads + 1)


def _compute_task(indices: list[int]) -> list[ChunkResult]:
    """A local worker's task: consecutive chunks of the spec it was started with."""
    assert _WORKER_SPEC is not None
    return [compute_chunk(_WORKER_SPEC, index) for index in indices]


def _start_worker(spec: SweepSpec) -> None:
    global _WORKER_SPEC
    _WORKER_SPEC = spec


def _in_processes(spec: SweepSpec, indices: Sequence[int], workers: int) -> Iterator[ChunkResult]:
    """Compute the chunks in a pool of local processes, a few chunks per task."""
    import multiprocessing  # lazy: start-up time (20 ms with the process pool, for --workers)
    from concurrent.futures import ProcessPoolExecutor  # lazy: start-up time (as above)

    evaluator_for(spec)  # forked workers inherit it
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    per_task = max(1, TASK_POINTS // spec.chunk_size)
    # no more than twice as many tasks as workers when chunks are few, so all get work
    per_task = max(1, min(per_task, len(indices) // (2 * workers)))
    tasks = [list(indices[i : i + per_task]) for i in range(0, len(indices), per_task)]
    pool = ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(spec,))
    try:
        yield from _in_order(pool, None, tasks, 2 * workers)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _in_order(
    pool: Any, spec: SweepSpec | None, tasks: list[list[int]], window: int
) -> Iterator[ChunkResult]:
    """Submit the tasks, at most ``window`` in flight, and yield their chunks in order.

    With a ``spec``, a task is one chunk computed by :func:`compute_chunk` (in
    a thread of this process); without, by :func:`_compute_task` in a worker
    process that holds the spec.
    """
    pending: deque[Future[Any]] = deque()
    queue = iter(tasks)

    def submit() -> None:
        task = next(queue, None)
        if task is None:
            return
        if spec is not None:
            pending.append(pool.submit(compute_chunk, spec, task[0]))
        else:
            pending.append(pool.submit(_compute_task, task))

    for _ in range(window):
        submit()
    try:
        while pending:
            result = pending.popleft().result()
            submit()
            yield from result if isinstance(result, list) else [result]
    finally:
        for future in pending:
            future.cancel()


def _on_dask(spec: SweepSpec, indices: Sequence[int], scheduler: str) -> Iterator[ChunkResult]:
    try:
        from distributed import Client, as_completed  # lazy: start-up time (dask)
    except ImportError:
        raise CredibilityError(
            "the scheduler= argument needs Dask: pip install 'credibility[sweep]'"
        ) from None
    with ExitStack() as stack:
        try:
            client = stack.enter_context(Client(scheduler))
        except (OSError, ValueError, TypeError) as error:  # unreachable, or a bad address
            raise CredibilityError(
                f"cannot reach the Dask scheduler at {scheduler}: {error}"
            ) from None
        window = 2 * max(len(client.scheduler_info()["workers"]), 1) + 2
        shared = client.scatter(spec, broadcast=True)
        pending = iter(indices)
        running = as_completed()
        for index in pending:
            running.add(client.submit(compute_chunk, shared, index, pure=False))
            if running.count() >= window:
                break
        finished: dict[int, ChunkResult] = {}
        expected = indices[0] if len(indices) else 0
        for future in running:
            result: ChunkResult = future.result()
            future.release()
            finished[result.index] = result
            following = next(pending, None)
            if following is not None:
                running.add(client.submit(compute_chunk, shared, following, pure=False))
            while expected in finished:
                yield finished.pop(expected)
                expected += 1

"""Where chunks run: in this process, on a local Dask cluster, or on an existing one.

Every runner yields the chunks' results **in grid order**, whatever order
they finish in, so the output does not depend on the choice. On Dask, a
bounded window of chunks is in flight at once (twice the workers, plus two),
which bounds the memory the buffered results take.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from typing import Any

from ..errors import CredibilityError
from .tasks import ChunkResult, SweepSpec, compute_chunk

__all__ = ["run_chunks"]


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
        Start a local Dask cluster of this many worker processes.
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
    if workers is None and scheduler is None:
        for index in indices:
            yield compute_chunk(spec, index)
        return
    yield from _on_dask(spec, indices, workers, scheduler)


def _on_dask(
    spec: SweepSpec, indices: Sequence[int], workers: int | None, scheduler: str | None
) -> Iterator[ChunkResult]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise CredibilityError(
            "--workers and --scheduler need Dask: pip install 'credibility[sweep]'"
        ) from None
    with ExitStack() as stack:
        if workers is not None:
            cluster: Any = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                )
            )
            client = stack.enter_context(Client(cluster))
        else:
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

"""Stop a sweep after a number of chunks, as a kill would: for the resume tests."""

from credibility.sweeps.store import PartialStore


class Stop(Exception):
    """Raised in place of the chunk after the last one allowed."""


def interrupt_after(patch, chunks: int) -> None:
    """Make ``PartialStore.append`` raise Stop once ``chunks`` chunks are stored.

    ``patch`` is a pytest MonkeyPatch (or its context), which undoes the change.
    """
    original = PartialStore.append
    calls = {"n": 0}

    def append(self, payload, counts):
        if calls["n"] == chunks:
            raise Stop
        calls["n"] += 1
        original(self, payload, counts)

    patch.setattr(PartialStore, "append", append)

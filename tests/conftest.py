"""pygambit for the tests marked ``oracle``, and the long property tests marked ``slow``.

pygambit is compiled from source (about ten minutes), so it is not in the ``dev`` extra but in
``oracle``. Without it the oracle tests skip, except on CI (``CI=true``), where they fail: a
broken install must not pass as a run of skips. A test that uses the fixture must be marked
``oracle``: CI's first run, before the extra is installed, leaves those out (.ci/run).

Tests marked ``slow`` (property tests over many random games, whose code paths faster tests
also cover; the LaTeX and TikZ compiles; the deepest escalation ladders; building the wheel; a
sweep killed and resumed; mypy from a cold cache) run only when asked for: ``pytest -m slow``
(or a ``-m`` expression naming slow), which CI runs after the README's command, so that the
README's command stays within its time.
"""

import importlib
import os
import sys

import pytest

from credibility.solvers import reverse_search

# Byte-code caches even where PYTHONDONTWRITEBYTECODE is set (as it is on the machine this
# project is developed on): without them each xdist worker, and each command-line subprocess a
# test starts, compiles the package again, and pytest rewrites every test module's asserts
# again. The caches go to __pycache__ folders, which git ignores.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


@pytest.fixture(scope="session")
def gbt():
    """The pygambit module (session-scoped, so Hypothesis tests can use it too)."""
    if os.environ.get("CI") != "true":
        return pytest.importorskip("pygambit")
    try:
        return importlib.import_module("pygambit")
    except ImportError as error:
        raise ImportError(
            "CI=true and pygambit cannot be imported: the oracle tests need the oracle extra"
            ' (pip install -e ".[dev,oracle]")'
        ) from error


@pytest.fixture(autouse=True)
def _a_compiled_walk_not_yet_run():
    """Each test starts as a fresh process does: the compiled walk not yet run in it.

    Once the walk has run, every later search takes it from the first basis, so without this the
    numpy batches would be tested or not depending on which tests a worker ran before.
    """
    reverse_search._WALK_LOADED.clear()


def pytest_collection_modifyitems(config, items):
    if "slow" not in (config.getoption("markexpr") or ""):
        slow = [item for item in items if item.get_closest_marker("slow") is not None]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if item.get_closest_marker("slow") is None]
    unmarked = [
        item.nodeid
        for item in items
        if "gbt" in getattr(item, "fixturenames", ()) and item.get_closest_marker("oracle") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"tests that use pygambit must be marked oracle: {unmarked}")

"""pygambit for the tests marked ``oracle``, which check our solvers against Gambit's.

pygambit is compiled from source (about ten minutes), so it is not in the ``dev`` extra but in
``oracle``. Without it the oracle tests skip, except on CI (``CI=true``), where they fail: a
broken install must not pass as a run of skips. A test that uses the fixture must be marked
``oracle``: CI's first run, before the extra is installed, leaves those out (.ci/run).
"""

import importlib
import os

import pytest


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


def pytest_collection_modifyitems(items):
    unmarked = [
        item.nodeid
        for item in items
        if "gbt" in getattr(item, "fixturenames", ()) and item.get_closest_marker("oracle") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"tests that use pygambit must be marked oracle: {unmarked}")

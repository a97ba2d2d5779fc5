"""Golden outputs: the CLI's text, JSON and sweep files unchanged byte for byte (see golden.py).

A failure shows the first differing lines. If the change was deliberate, regenerate the case with
``.venv/bin/python tests/golden.py NAME`` and commit the golden files on their own, saying why.
"""

import difflib

import pytest
from golden import OUT, Case, cases, run

CASES = cases()


@pytest.fixture(autouse=True, scope="module")
def one_derivation_for_text_and_json():
    """The text and JSON cases of a threshold share one derivation (half the time).

    What is compared is still each case's whole output; only the repeated derivation goes.
    """
    import credibility as cr

    original = cr.thresholds
    done = {}

    def thresholds(game, parameter, params=None, *, budget=None):
        key = (repr(game), parameter, repr(params))
        if key not in done:
            done[key] = original(game, parameter, params, budget=budget)
        return done[key]

    cr.thresholds = thresholds
    yield
    cr.thresholds = original


def test_every_case_has_a_golden_file_and_no_file_is_stale():
    expected = {case.name for case in CASES}
    present = {path.name for path in OUT.iterdir()}
    assert expected - present == set(), "cases without a golden file: run tests/golden.py"
    assert present - expected == set(), "golden files no case writes: delete them"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_output_is_unchanged(case: Case):
    golden = (OUT / case.name).read_text(encoding="utf-8")
    actual = run(case)
    if actual != golden:
        diff = difflib.unified_diff(
            golden.splitlines(), actual.splitlines(), "golden", "now", lineterm="", n=1
        )
        pytest.fail(f"{case.name} changed:\n" + "\n".join(list(diff)[:40]))

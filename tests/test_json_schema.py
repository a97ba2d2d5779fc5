"""Every command's ``--format json`` output validates against docs/json-output.schema.json.

Each catalog model is solved at its defaults, thresholded in its first parameter (the others at
their defaults), swept over a tiny grid and shown; ``models`` is checked once. A stricter copy of
the schema (no key beyond those documented) catches keys the output gained without the schema and
docs/json-output.md learning of them.

``solve`` and ``threshold --defaults`` of the catalog models are read from their golden files
(tests/golden/out/), which tests/test_golden.py keeps byte for byte equal to what those very
commands print (``threshold`` there with ``--budget inf``, which every catalog derivation at its
defaults finishes well within the default budget), instead of deriving each model a second time.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import credibility as cr
from cli import cli

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "json-output.schema.json").read_text()
)
MODELS = cr.catalog_names()
GOLDEN = Path(__file__).resolve().parent / "golden" / "out"
#: Definitions that other definitions extend through ``$ref`` (strictness belongs to the extenders).
_BASES = {"header", "signalling_profile"}


def _strict(schema: dict) -> dict:
    """The schema with ``unevaluatedProperties: false`` on every object that lists properties."""
    strict = copy.deepcopy(schema)

    def walk(node, name=""):
        if isinstance(node, dict):
            if (
                node.get("type") == "object"
                and "properties" in node
                and "additionalProperties" not in node
                and name not in _BASES
            ):
                node["unevaluatedProperties"] = False
            for key, value in node.items():
                walk(value, key if node is strict["$defs"] else "")
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(strict)
    return strict


VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
STRICT = jsonschema.Draft202012Validator(_strict(SCHEMA))


def _definition(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": SCHEMA["$defs"]})


def _json(args: list[str]) -> dict:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _golden_json(case: str) -> dict:
    """The JSON a golden case's command printed (its file: the exit status, then stdout)."""
    status, _, output = (GOLDEN / f"{case}.json").read_text(encoding="utf-8").partition("\n")
    assert status == "exit 0", output
    return json.loads(output)


def _check(data: dict, definition: str) -> None:
    _definition(definition).validate(data)
    VALIDATOR.validate(data)  # the top-level oneOf: exactly one definition matches
    STRICT.validate(data)


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_models():
    data = _json(["models"])
    _check(data, "models")
    assert [m["name"] for m in data["models"]] == MODELS


@pytest.mark.parametrize("name", MODELS)
def test_solve(name):
    data = _golden_json(f"{name}.solve")  # solve NAME --format json
    _check(data, f"solve_{data['kind']}")
    assert data["kind"] == cr.load(name).kind


@pytest.mark.parametrize("name", MODELS)
def test_threshold(name):
    parameter = cr.load(name).parameters[0].name
    data = _golden_json(f"{name}.threshold-{parameter}")  # threshold NAME --for P --defaults
    _check(data, "threshold")
    assert data["parameter"] == parameter


@pytest.mark.parametrize("name", MODELS)
def test_sweep(name, tmp_path):
    parameter = cr.load(name).parameters[0]
    values = f"{parameter.default},{parameter.default}"
    out = tmp_path / "map.csv"
    data = _json(["sweep", name, "--grid", f"{parameter.name}={values}", "--out", str(out)])
    _check(data, "sweep")
    assert data["points"] == 2 and out.exists()


@pytest.mark.parametrize("name", MODELS)
def test_show(name):
    _check(_json(["show", name]), "show")


@pytest.mark.parametrize(
    "args, definition",
    [
        (["solve", "chicken", "--float"], "solve_bimatrix"),
        (["solve", "chicken", "--method", "lemke-howson"], "solve_bimatrix"),
        (["solve", "chicken", "--limit", "2"], "solve_bimatrix"),
        (["solve", "--row", "0 -1; 1 -5", "--column", "0 1; -1 -5"], "solve_bimatrix"),
        (["solve", "sinking_costs", "--pure-only"], "solve_signalling"),
        (["threshold", "unilateral_deterrence", "--for", "p"], "threshold"),
        (["solve", "article5_threshold", "--param", "n=4"], "solve_symmetric"),
        (["solve", "collective_defence_n", "--param", "n=32"], "solve_symmetric"),
        (["threshold", "article5_threshold", "--for", "n", "--defaults"], "threshold"),
        (
            [
                *("qre-threshold", "unilateral_deterrence", "--level", "Status quo>0.9"),
                *("--over", "p", "--lambda", "2"),
            ],
            "qre_threshold",
        ),
        (
            [
                *("qre-threshold", "chicken", "--level", "Straight/Straight<0.1"),
                *("--over", "lambda", "--between", "0", "4", "--points", "11"),
            ],
            "qre_threshold",
        ),
    ],
)
def test_variants(args, definition):
    _check(_json(args), definition)


def test_three_types(tmp_path):
    """Three types: ``belief_vertices`` instead of ``belief_ranges``."""
    pairs = {
        "High": ("[1, -1]", "[3, 0]"),
        "Mid": ("[-1, 0]", "[2, 0]"),
        "Low": ("[-2, 1]", "[1, 0]"),
    }
    text = [
        'kind = "signalling"',
        'players = ["Sender", "Receiver"]',
        'messages = ["Strong", "Weak"]',
        'responses = ["Fight", "Yield"]',
    ]
    for name, (fight, give) in pairs.items():
        text += [
            f"[types.{name}]",
            'prior = "1/3"',
            f"payoffs.Strong = {{ Fight = {fight}, Yield = {give} }}",
            "payoffs.Weak = { Fight = [0, 0], Yield = [2, 0] }",
        ]
    path = tmp_path / "three.toml"
    path.write_text("\n".join(text) + "\n")
    data = _json(["solve", str(path)])
    _check(data, "solve_signalling")
    assert any("belief_vertices" in e for e in data["equilibria"])


@pytest.mark.parametrize(
    "args, location",
    [
        (["solve", "chicken"], ("equilibria", 0, "payoffs")),
        (["solve", "entry_deterrence"], ("non_credible_threats", 0, "best")),
        (["solve", "sinking_costs"], ("harsanyi",)),
        (["threshold", "unilateral_deterrence", "--for", "p", "--defaults"], ("thresholds",)),
        (["show", "chicken"], ("bound",)),
        (["models"], ("models", 0, "kind")),
    ],
)
def test_missing_required_key_fails(args, location):
    data = _json(args)
    *parents, key = location
    target = data
    for step in parents:
        target = target[step]
    del target[key]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)


def test_numbers_are_strings():
    data = _json(["solve", "chicken"])
    data["equilibria"][0]["payoffs"]["Row"] = -1
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)


@pytest.mark.parametrize("model", ["chicken", "unilateral_deterrence"])
def test_qre(model):
    _check(_json(["qre", model, "--lambda", "0", "--lambda", "2"]), "qre")

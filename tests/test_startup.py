"""Start-up time (issue 17): what importing and loading import, and the deferred expressions.

``import credibility`` imports its public names' modules when first used; loading a catalog
game keeps its linear expressions from sympy while sympy is not loaded
(:mod:`credibility.deferred`). What a fresh process has imported is checked in a subprocess:
the set of modules is deterministic, unlike a timing (``benchmarks/bench_startup.py`` times).
"""

import dataclasses
import json
import pickle
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from fresh import fresh
from hypothesis import given, settings
from hypothesis import strategies as st

import credibility as cr
from credibility.deferred import DeferredExpression, ParameterSymbols
from credibility.errors import ExpressionError
from credibility.expressions import LinearForm, evaluate, linear_form, parse_expression
from credibility.models import Bimatrix, Move, Node, SenderType
from credibility.models.common import symbols_of
from credibility.render.show import describe_dict

ROOT = Path(__file__).resolve().parent.parent
#: Modules a small command has no need of: sympy (0.4 s), the sweep extras, nashpy.
HEAVY = ("sympy", "dask", "pyarrow", "matplotlib", "nashpy")
F = Fraction

PARAMETERS = (
    cr.Parameter("a", F(1)),
    cr.Parameter("b", F(1, 2), F(0), F(1)),
    cr.Parameter("c", F(5), F(0)),
)
NAMES = {p.name for p in PARAMETERS}
SYMBOLS = dict(symbols_of(PARAMETERS))  # sympy is loaded here, so nothing is deferred


def _deferred(text) -> DeferredExpression:
    form = linear_form(text, NAMES)
    assert form is not None, text
    return DeferredExpression(text, ParameterSymbols(PARAMETERS), form)


# -- what a fresh process imports ---------------------------------------------------------


def test_import_loads_neither_sympy_nor_numpy():
    loaded = fresh(
        f"""
        import json, sys
        import credibility
        print(json.dumps(sorted(m for m in {(*HEAVY, "numpy", "click")} if m in sys.modules)))
        """
    )
    assert loaded == []


@pytest.mark.parametrize("name", ["chicken", "entry_deterrence"])
def test_loading_showing_and_solving_a_catalog_model_needs_no_sympy(name):
    # What `credibility show NAME --format json` and `credibility solve NAME` call.
    run = fresh(
        f"""
        import json, sys
        import credibility as cr
        from credibility.render.show import describe_dict

        def heavy():
            return sorted(m for m in {HEAVY} if m in sys.modules)

        game = cr.load({name!r})
        values = game.bind({{}}).values
        shown = describe_dict(game) if game.kind == "bimatrix" else None
        after_show = heavy()
        cr.render(cr.solve(game))
        print(json.dumps({{"loaded": [after_show, heavy()], "show": shown}}))
        """
    )
    assert run["loaded"] == [[], []]
    if run["show"] is not None:  # as with sympy loaded from the start, as here
        assert run["show"] == json.loads(json.dumps(describe_dict(cr.load(name))))


CATALOG = [name for name in cr.catalog_names() if cr.load(name).kind != "signalling"]


@pytest.mark.parametrize("name", CATALOG)
def test_a_model_loaded_without_sympy_solves_as_one_loaded_with_it(name):
    # In the subprocess the linear expressions are deferred; here sympy is loaded, so they
    # are sympy expressions from the start.
    code = f"""
        import json
        import credibility as cr

        game = cr.load({name!r})
        values = {{k: str(v) for k, v in game.bind({{}}).values.items()}}
        solution = cr.solve(game)
        print(json.dumps([values, solution.to_dict(), cr.render(solution)]))
    """
    game = cr.load(name)
    solution = cr.solve(game)
    values = {k: str(v) for k, v in game.bind({}).values.items()}
    expected = [values, solution.to_dict(), cr.render(solution)]
    assert fresh(code) == json.loads(json.dumps(expected))


def test_the_command_line_shows_a_catalog_model_without_sympy():
    loaded = fresh(
        f"""
        import contextlib, io, json, sys
        from credibility.__main__ import main

        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["show", "chicken"])
            except SystemExit as exit:
                assert not exit.code, exit.code
            try:
                main(["models"])
            except SystemExit as exit:
                assert not exit.code, exit.code
        print(json.dumps(sorted(m for m in {HEAVY} if m in sys.modules)))
        """
    )
    assert loaded == []


# -- the public names -----------------------------------------------------------------------


def test_public_names_are_unchanged_and_resolve():
    assert cr.__all__ == [
        "Bimatrix",
        "CredibilityError",
        "ExpressionError",
        "GameFileError",
        "GameInfo",
        "GameTooLargeError",
        "GameTree",
        "Move",
        "Node",
        "NormalForm",
        "Parameter",
        "ParameterError",
        "SenderType",
        "SignallingGame",
        "UnknownGameError",
        "catalog_names",
        "load",
        "qre",
        "qre_threshold",
        "render",
        "solve",
        "sweep",
        "thresholds",
    ]
    for name in cr.__all__:
        assert getattr(cr, name) is not None
    assert set(cr.__all__) <= set(dir(cr))
    from credibility.render import render
    from credibility.sweeps import sweep

    assert cr.render is render and cr.sweep is sweep and cr.Bimatrix is Bimatrix
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        cr.nothing  # noqa: B018


# -- the linear fragment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        pytest.param("-c", LinearForm(F(0), (("c", F(-1)),)), id="negated-name"),
        pytest.param(
            "2*(a - c)/4 + 0.1", LinearForm(F(1, 10), (("a", F(1, 2)), ("c", F(-1, 2)))), id="sum"
        ),
        pytest.param("c - c + 2", LinearForm(F(2), ()), id="cancelled"),
        pytest.param("a / (c - c + 2)", LinearForm(F(0), (("a", F(1, 2)),)), id="by-constant"),
        pytest.param(3, LinearForm(F(3), ()), id="int"),
        pytest.param(0.1, LinearForm(F(1, 10), ()), id="float"),
        pytest.param("a * b", None, id="product-of-names"),
        pytest.param("a / b", None, id="division-by-name"),
        pytest.param("a / (c - c)", None, id="division-by-zero"),
        pytest.param("a ** 2", None, id="power"),
        pytest.param("min(a, 1)", None, id="function"),
        pytest.param("d", None, id="unknown-name"),
        pytest.param("a.real", None, id="attribute"),
        pytest.param("__import__('os')", None, id="call"),
        pytest.param("\U0001d41a", None, id="nfkc-name"),
        pytest.param("1e99999", None, id="huge-number"),
        pytest.param("'a'", None, id="string"),
        pytest.param("True", None, id="bool-literal"),
        pytest.param(True, None, id="bool"),
        pytest.param("", None, id="empty"),
        pytest.param("a +", None, id="syntax-error"),
        pytest.param(f"{'9' * 600} * {'9' * 600} * a", None, id="coefficient-too-long"),
        pytest.param("+".join(["a"] * 600), None, id="nested-too-deeply"),
    ],
)
def test_linear_form(text, form):
    assert linear_form(text, NAMES) == form


_LEAVES = st.sampled_from(
    ["a", "b", "c", "d", "0", "1", "2", "7", "0.1", "2.5e2", "1e-3", "1_0", "1/3", "9" * 600]
)
_TEXTS = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.builds("-{}".format, inner),
        st.builds("+({})".format, inner),
        st.builds("({} {} {})".format, inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner),
        st.builds("min({}, {})".format, inner, inner),
        st.builds("abs({})".format, inner),
    ),
    max_leaves=8,
)


@settings(deadline=None, max_examples=400)
@given(_TEXTS, st.tuples(*[st.fractions(max_denominator=50) for _ in range(3)]))
def test_a_deferred_expression_is_its_sympy_expression(text, point):
    form = linear_form(text, NAMES)
    try:
        expr = parse_expression(text, SYMBOLS)
    except ExpressionError:
        assert form is None  # never deferred: parse_expression raises at load time
        return
    if form is None:
        return
    # sympy's own form of the text is the linear form, number for number.
    symbols = [SYMBOLS[name] for name, _ in form.terms]
    built = sympy.Add(
        sympy.Rational(form.constant),
        *(sympy.Rational(k) * s for s, (_, k) in zip(symbols, form.terms)),
    )
    assert expr == built
    deferred = DeferredExpression(text, ParameterSymbols(PARAMETERS), form)
    assert (str(deferred), repr(deferred)) == (str(expr), repr(expr))
    assert deferred == expr and hash(deferred) == hash(expr) and bool(deferred) == bool(expr)
    values = dict(zip(("a", "b", "c"), point))
    exact = evaluate(expr, {SYMBOLS[k]: v for k, v in values.items()})
    assert deferred.exact_value(values) == form.value(values) == exact


def test_a_deferred_expression_answers_as_sympy():
    deferred, expr = _deferred("2*c - a"), parse_expression("2*c - a", SYMBOLS)
    assert sympy.sympify(deferred) is deferred._sympy_() and deferred._sympy_() == expr
    assert deferred + 1 == expr + 1 and 1 - deferred == 1 - expr and -deferred == -expr
    assert sympy.Add(deferred, SYMBOLS["a"]) == 2 * SYMBOLS["c"]
    assert deferred.free_symbols == expr.free_symbols
    assert deferred.subs(SYMBOLS["c"], 1) == 2 - SYMBOLS["a"]
    assert float(_deferred("0.5")) == 0.5 and not _deferred("c - c")
    assert f"{deferred}" == f"{expr}" and f"{_deferred('1/3'):.2f}" == "0.33"
    again = pickle.loads(pickle.dumps(deferred))
    assert isinstance(again, DeferredExpression) and again == expr
    with pytest.raises(AttributeError):
        deferred.__sympy__  # noqa: B018 - sympify must not take it for a sympy object


def test_parameter_symbols_defer_nothing_once_sympy_is_loaded():
    symbols = symbols_of(PARAMETERS)
    assert dict(symbols) == SYMBOLS and "c" in symbols and "d" not in symbols
    expr = parse_expression("-c", symbols)
    assert isinstance(expr, sympy.Expr) and expr == -SYMBOLS["c"]


def test_model_fields_give_sympy_expressions_once_sympy_is_loaded():
    zero, c = _deferred("0"), _deferred("-c")
    game = Bimatrix.from_arrays([[zero, "a"]], [[c, 1]], parameters=PARAMETERS)
    assert all(isinstance(x, sympy.Expr) for row in game.A + game.B for x in row)
    assert game.B[0][0] == -SYMBOLS["c"] and game.A[0][0] == 0
    assert game == Bimatrix.from_arrays([[0, "a"]], [["-c", 1]], parameters=PARAMETERS)
    assert pickle.loads(pickle.dumps(game)) == game and hash(game) == hash(
        dataclasses.replace(game)
    )
    leaf = Node("x", payoffs=(zero, c))
    move = Move("m", leaf, _deferred("b"))
    assert isinstance(leaf.payoffs[1], sympy.Expr) and isinstance(move.probability, sympy.Expr)
    sender = SenderType("t", _deferred("b"), (((c, zero),),))
    assert isinstance(sender.prior, sympy.Expr) and isinstance(sender.payoffs[0][0][0], sympy.Expr)
    # The fields' defaults and the dataclasses' fields are as before.
    assert Node.payoffs is None and Move.probability is None
    assert [f.name for f in dataclasses.fields(Node)] == [
        "path",
        "player",
        "chance",
        "payoffs",
        "moves",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        game.A = ()  # type: ignore[misc]

"""One adapter per kind of game (issue 14): the protocol, the registry and its use."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

import credibility as cr
from credibility.catalog import catalog_names, load_catalog_model
from credibility.errors import CredibilityError
from credibility.io.toml_loader import parse_toml
from credibility.kinds import (
    BIMATRIX,
    KindAdapter,
    adapter_for,
    adapter_named,
    kinds,
    register,
    unregister,
)
from credibility.kinds.tree import TreeKind

#: Every member of the protocol (the checklist of :mod:`credibility.kinds`).
MEMBERS = [
    name for name in dir(KindAdapter) if not name.startswith("_") and name not in dir(object)
]


def test_the_checklist_names_every_member():
    import credibility.kinds as package

    assert len(MEMBERS) > 25
    for name in MEMBERS:
        assert f"``{name}" in package.__doc__, name


@pytest.mark.parametrize("kind", kinds())
def test_every_registered_kind_implements_every_member(kind):
    adapter = adapter_named(kind)
    assert adapter.kind == kind
    assert adapter.model.kind == kind
    for name in MEMBERS:
        assert hasattr(adapter, name), f"{kind} lacks {name}"
    assert isinstance(adapter.toml_keys, frozenset)


def test_the_four_kinds_are_registered_in_order():
    assert kinds() == ("bimatrix", "tree", "signalling", "normal", "symmetric")


@pytest.mark.parametrize("name", catalog_names())
def test_adapter_for_a_catalog_model_is_its_kinds(name):
    game = load_catalog_model(name)
    adapter = adapter_for(game)
    assert adapter is adapter_named(game.kind)
    assert isinstance(game, adapter.model)


def test_an_unknown_kind_is_refused_clearly():
    with pytest.raises(CredibilityError, match="unknown kind of game 'poker'"):
        adapter_named("poker")


def test_an_object_of_no_kind_is_refused_clearly():
    with pytest.raises(CredibilityError, match="a dict is no game: expected a Bimatrix"):
        adapter_for({"kind": "bimatrix"})
    with pytest.raises(CredibilityError, match="is no game"):
        cr.solve(object())  # type: ignore[call-overload]


def test_a_game_file_of_an_unknown_kind_names_the_registered_ones():
    with pytest.raises(CredibilityError) as caught:
        parse_toml('kind = "poker"\nplayers = ["A", "B"]')
    expected = "expected one of 'bimatrix', 'tree', 'signalling', 'normal', 'symmetric'"
    assert f"{expected}, got 'poker'" in str(caught.value)


@dataclass(frozen=True)
class Toy:
    """A toy model: a kind of game of its own."""

    kind = "toy"


class ToyKind(TreeKind):
    """A toy adapter (a tree's members will do: only the registry is tested)."""

    kind = "toy"
    model = Toy  # type: ignore[assignment]


@pytest.fixture
def toy() -> Iterator[ToyKind]:
    adapter = ToyKind()
    register(adapter)  # type: ignore[arg-type,misc]
    try:
        yield adapter
    finally:
        unregister("toy")


def test_registering_a_kind_makes_it_known(toy):
    assert adapter_named("toy") is toy
    assert adapter_for(Toy()) is toy
    assert kinds()[-1] == "toy"


def test_unregistering_a_kind_forgets_it(toy):
    unregister("toy")
    assert "toy" not in kinds()
    with pytest.raises(CredibilityError, match="unknown kind of game 'toy'"):
        adapter_named("toy")


def test_solve_options_a_kind_has_no_use_for_are_refused():
    with pytest.raises(CredibilityError, match="applies to bimatrix and normal-form games only"):
        cr.solve(cr.load("entry_deterrence"), method="support")
    with pytest.raises(CredibilityError, match="applies to signalling and normal-form games only"):
        cr.solve(cr.load("chicken"), mixed=True)


def test_a_solution_renders_through_its_kinds_adapter():
    from credibility.render import renderer

    solution = cr.solve(cr.load("chicken"))
    assert renderer(solution) is BIMATRIX.renderer()
    with pytest.raises(CredibilityError, match="cannot render a Bimatrix"):
        renderer(cr.load("chicken"))


# -- the members of the last per-kind dispatches (issue 14): qre, legends, pictures ----------

#: One catalog game of each kind.
ONE_OF_EACH = {
    "bimatrix": "chicken",
    "tree": "unilateral_deterrence",
    "signalling": "sinking_costs",
    "normal": "volunteers_dilemma",
    "symmetric": "collective_defence_n",
}


def test_one_of_each_kind_is_listed():
    assert tuple(ONE_OF_EACH) == kinds()


@pytest.mark.parametrize("kind", list(ONE_OF_EACH))
def test_qre_goes_through_the_kinds_adapter(kind):
    from credibility.quantal.bimatrix import qre_bimatrix
    from credibility.quantal.normal import qre_normal
    from credibility.quantal.signalling import qre_signalling
    from credibility.quantal.symmetric import qre_symmetric
    from credibility.quantal.tree import qre_tree

    game = cr.load(ONE_OF_EACH[kind])
    direct = {
        "bimatrix": qre_bimatrix,
        "tree": qre_tree,
        "signalling": qre_signalling,
        "normal": qre_normal,
        "symmetric": qre_symmetric,
    }[kind]
    expected = direct(game, [0.0, 1.0, 4.0], {})  # type: ignore[operator]
    assert adapter_named(kind).qre(game, [0.0, 1.0, 4.0], {}).to_dict() == expected.to_dict()
    assert cr.qre(game, [0, 1, 4]).to_dict() == expected.to_dict()
    with pytest.raises(CredibilityError, match="lambda must be a finite number"):
        cr.qre(game, [-1])  # the precisions are checked first, whatever the kind


def test_qre_and_the_pictures_ask_the_adapter_not_the_kinds_name():
    import inspect

    from credibility.quantal import api
    from credibility.render import plot, tree_plot

    for function in (
        api.qre,
        plot.outcome_meaning,
        plot.legend_label,
        plot.sweep_title,
        tree_plot.layouts,
    ):
        assert 'kind == "' not in inspect.getsource(function), function.__qualname__


@pytest.mark.parametrize(
    ("kind", "label", "meaning"),
    [
        ("bimatrix", "Swerve/Straight | Straight/Swerve | mixed", "3 equilibria"),
        ("bimatrix", "degenerate: A/B", "payoffs tie here, one equilibrium"),
        ("tree", "Status quo", "deterrence holds"),
        (
            "signalling",
            "separating + pooling",
            "the signal reveals the type or says nothing, depending on the equilibrium",
        ),
        ("normal", "Volunteer/Ignore/Ignore", ""),
    ],
)
def test_each_kind_says_what_an_outcome_means(kind, label, meaning):
    from credibility.render.plot import outcome_meaning

    game = cr.load(ONE_OF_EACH[kind])
    assert adapter_named(kind).outcome_meaning(game, label) == meaning
    assert outcome_meaning(game, label) == meaning
    assert outcome_meaning(game, "no equilibrium") == "no equilibrium found"


def test_only_a_bimatrix_legend_drops_the_degenerate_prefix():
    from credibility.render.plot import legend_label

    label = "degenerate: A/B"
    for kind, name in ONE_OF_EACH.items():
        shown = adapter_named(kind).legend_outcome(cr.load(name), label)
        assert shown == ("A/B" if kind == "bimatrix" else label)
    assert legend_label(cr.load("chicken"), label) == "payoffs tie here, one equilibrium: A/B"
    assert legend_label(None, label) == label


def test_trees_and_signalling_games_are_drawn_by_their_adapters():
    from credibility.render import tree_plot

    tree = cr.solve(cr.load("unilateral_deterrence"))
    assert adapter_named("tree").layouts(tree, None) == [tree_plot.tree_layout(tree)]
    assert tree_plot.layouts(tree) == [tree_plot.tree_layout(tree)]
    signalling = cr.solve(cr.load("sinking_costs"))
    expected = tree_plot.signalling_layouts(signalling, 1)
    assert adapter_named("signalling").layouts(signalling, 1) == expected
    assert tree_plot.layouts(signalling, 1) == expected


def test_show_draws_a_tree_solved_and_a_signalling_game_unsolved():
    from credibility.render import tree_plot

    tree = cr.load("unilateral_deterrence")
    assert adapter_for(tree).game_layouts(tree, None) == tree_plot.layouts(cr.solve(tree))
    signalling = cr.load("sinking_costs")
    assert adapter_for(signalling).game_layouts(signalling, {"c": 3}) == [
        tree_plot.game_layout(signalling, {"c": 3})
    ]


@pytest.mark.parametrize("kind", ["bimatrix", "normal"])
def test_a_strategic_form_is_not_drawn_as_before(kind):
    from credibility.render import tree_plot

    game = cr.load(ONE_OF_EACH[kind])
    message = (
        "only game trees and signalling games are drawn; "
        f"a {kind} game's picture is its payoff table"
    )
    for call in (
        lambda: tree_plot.layouts(cr.solve(game)),
        lambda: adapter_named(kind).layouts(cr.solve(game), None),
        lambda: adapter_named(kind).game_layouts(game, None),
    ):
        with pytest.raises(CredibilityError) as caught:
            call()
        assert str(caught.value) == message


def test_what_is_of_no_kind_is_not_drawn_as_before():
    from credibility.render import tree_plot

    with pytest.raises(CredibilityError) as caught:
        tree_plot.layouts(object())
    assert str(caught.value) == (
        "only game trees and signalling games are drawn; "
        "a strategic-form game's picture is its payoff table"
    )


def test_only_a_bimatrix_sweep_title_says_how_to_read_its_labels():
    from credibility.render.plot import sweep_title

    for kind, name in ONE_OF_EACH.items():
        game = cr.load(name)
        reading = adapter_named(kind).outcome_reading(game)
        assert reading == (
            " (Row's strategy/Column's; mixed: that player randomises)"
            if kind == "bimatrix"
            else ""
        )
        swept = [game.parameters[0].name]
        assert sweep_title(game, swept).split("\n")[1] == (
            f"equilibrium outcome over {swept[0]}{reading}"
        )

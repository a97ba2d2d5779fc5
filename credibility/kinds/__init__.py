"""One adapter per kind of game, behind one protocol (:class:`KindAdapter`), and their registry.

What is specific to a kind of game (bimatrix, tree, signalling, normal, symmetric) lives in its
adapter; the rest of the library asks :func:`adapter_for` (a game) or
:func:`adapter_named` (a game file's ``kind = "..."``) and talks to the protocol only.
Each kind's module (:mod:`credibility.kinds.signalling`, ...) is the map of everything
about that kind: which modules hold its model, loader, solver, symbolic regions, sweep
evaluator and renderers.

Adding a kind = adding a module implementing :class:`KindAdapter` + one registration
line below (``register(MY_KIND)``), and adding its model to
:data:`credibility.models.Game`. The checklist of what a kind provides:

- ``kind``: the name of the kind, as games and game files give it;
- ``model``: the model class;
- ``two_player``: whether a game file lists exactly two players;
- ``toml_keys``: the game file's top-level keys of the kind;
- ``regions_by_class``: whether threshold regions list classes, not equilibria;
- ``region_mixed``: the ``mixed=`` a threshold derivation solves a point with (None: the
  kind's default; False: its regions are of pure equilibria);
- ``check_solve_options(game, method, mixed, limit)``: refuse keywords the kind has no use for;
- ``solve(game, params, *, exact, method, mixed, limit)``: every equilibrium (bimatrix: at most
  ``limit`` listed);
- ``solution_type()``: the class ``solve`` returns;
- ``check_thresholds(game)``: refuse a derivation the kind does not support;
- ``region_map(game, params)``: the symbolic regions of one equilibrium set;
- ``incomplete_note(one_free)``: the note of a result whose regions are incomplete;
- ``equilibrium_key(game, entries)``: what identifies an equilibrium set across a threshold;
- ``outcome_label(game, entries, complete)``: the short label of an equilibrium set;
- ``at_point(game, solution, complete)``: a solution's key, entries and label;
- ``equilibrium_dict(game, entry, text)``: a region's equilibrium in JSON;
- ``equilibrium_names(game)``: the names a region's equilibria carry;
- ``region_details(game, entries, shown)``: text details of a region's equilibria;
- ``expressions(game)``: every payoff, probability and prior (to suggest what to bind);
- ``check_sweep(game)``: refuse a sweep the kind does not support;
- ``evaluator(game, swept, params)``: the sweep evaluator;
- ``output_columns(game)``: the sweep's columns after the swept parameters;
- ``renderer()``: the module rendering a solution as text, LaTeX and HTML;
- ``payoff_lines(game, shown)``: ``credibility show``'s payoffs (lines and tables);
- ``payoffs_dict(game)``: ``credibility show --format json``'s payoffs;
- ``outcome_meaning(game, label)``: an outcome label in words, for a sweep picture's legend;
- ``legend_outcome(game, label)``: the label as the legend shows it after its meaning;
- ``outcome_reading(game)``: how to read an outcome label, after a sweep picture's title;
- ``layouts(solution, equilibrium)``: the pictures of a solution, or a refusal;
- ``game_layouts(game, params)``: the pictures ``credibility show --plot`` draws, or a refusal;
- ``qre(game, lambdas, params)``: logit quantal response equilibria, or a refusal;
- ``format_nfg(game, params)``, ``format_efg(game, params)``: Gambit files, or a refusal;
- ``write_toml_header(writer, game)``, ``write_toml(writer, game)``: a game file's parts;
- ``read_toml(reader)``: read a game file's part of the kind.

A new solution concept is a new member of the protocol with one implementation per kind
(``qre`` is one); generic code (``cr.qre``, the pictures, the legends) calls the member and
never tests ``game.kind``. A kind without the concept refuses in its implementation, in one
line.

Heavy modules (sympy, numpy, the solvers) are imported inside the adapters' methods,
marked ``# lazy: start-up time``.

Examples
--------
>>> import credibility as cr
>>> from credibility.kinds import adapter_for, adapter_named
>>> adapter_for(cr.load("tying_hands")) is adapter_named("signalling")
True
"""

from .base import (
    KindAdapter,
    PayoffTable,
    adapter_for,
    adapter_named,
    kinds,
    register,
    unregister,
)
from .bimatrix import BIMATRIX
from .normal import NORMAL
from .signalling import SIGNALLING
from .symmetric import SYMMETRIC
from .tree import TREE

__all__ = [
    "BIMATRIX",
    "NORMAL",
    "SIGNALLING",
    "SYMMETRIC",
    "TREE",
    "KindAdapter",
    "PayoffTable",
    "adapter_for",
    "adapter_named",
    "kinds",
    "register",
    "unregister",
]

register(BIMATRIX)
register(TREE)
register(SIGNALLING)
register(NORMAL)
register(SYMMETRIC)

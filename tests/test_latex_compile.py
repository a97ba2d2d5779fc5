"""Every catalog model's LaTeX compiles with a real engine, inside the preamble docs/latex.md gives.

``solve`` and ``threshold`` (for the model's first parameter, the others symbolic) of every
catalog model are rendered as LaTeX and compiled as fragments of one document, with
``pdflatex`` (or ``lualatex``) and only the preamble that docs/latex.md documents. The
document is built with ``-halt-on-error``: an undefined command, a character the engine
cannot typeset or a math-mode error fails the test, and so does a warning of a missing
character in the log (the glyphs ``¿`` and ``—`` that ``>`` and ``|`` become in text).

Without a TeX engine the test skips, except on CI (``CI=true``), where it fails: a broken
install must not pass as a skip (.ci/run installs Debian's texlive-latex-base).
"""

import functools
from pathlib import Path

import latex
import pytest

import credibility as cr
from credibility.render import render

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def engine() -> str:
    """The path of pdflatex or lualatex."""
    return latex.engine()


@functools.cache
def fragments() -> list[tuple[str, str]]:
    """(label, LaTeX) for solve and threshold of every catalog model."""
    out = []
    for name in cr.catalog_names():
        game = cr.load(name)
        out.append((f"solve {name}", render(cr.solve(game), "latex")))
        first = game.parameters[0].name
        bound = None
        if game.kind == "symmetric":  # thresholds in the number of players, the rest bound
            first = game.count_parameter.name
            bound = {p.name: p.default for p in game.parameters if p.name != first}
        result = cr.thresholds(game, first, bound)
        out.append((f"threshold {name} --for {first}", render(result, "latex")))
    return out


def test_preamble_is_documented_and_minimal():
    lines = [line for line in latex.preamble().splitlines() if line.strip()]
    assert lines[0].startswith(r"\documentclass")
    assert r"\usepackage{amsmath}" in lines
    assert lines[-1] == r"\begin{document}"


@pytest.mark.slow
def test_every_latex_output_states_its_preamble_and_parameters():
    for label, fragment in fragments():
        first, second = fragment.splitlines()[:2]
        assert first.startswith("% credibility: "), label
        assert r"\usepackage{amsmath}" in second and "docs/latex.md" in second, label
        if label.startswith("solve"):
            assert "Parameters: $" in fragment, label
        assert r"\text{True}" not in fragment, label


@pytest.mark.slow
def test_catalog_latex_compiles(engine, tmp_path):
    body = []
    for label, fragment in fragments():
        body += [f"% ---- {label}", r"\noindent", fragment, r"\par\bigskip", ""]
    latex.compile_document(
        engine, tmp_path, "catalog", latex.preamble() + "\n".join(body) + "\n\\end{document}\n"
    )

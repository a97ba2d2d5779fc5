"""What the LaTeX and TikZ compile tests share: the documented preamble, the engine, a build.

Without the engine (or TikZ, when asked for) a test skips, except on CI (``CI=true``), where
it fails: a broken install must not pass as a skip (.ci/run installs Debian's
texlive-latex-base and texlive-pictures).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def preamble(tikz: bool = False) -> str:
    """The minimal preamble docs/latex.md writes (its first ``latex`` block), plus TikZ if asked."""
    text = (ROOT / "docs" / "latex.md").read_text(encoding="utf-8")
    block = re.search(r"```latex\n(.*?)```", text, re.S)
    assert block, "docs/latex.md has no ```latex block with the preamble"
    if not tikz:
        return block.group(1)
    assert r"\usepackage{tikz}" in text.split("## TikZ", 1)[1]
    return block.group(1).replace(r"\begin{document}", "\\usepackage{tikz}\n\\begin{document}")


def engine(tikz: bool = False) -> str:
    """The path of pdflatex (or lualatex, when TikZ is not needed); skip or fail without."""
    names = ("pdflatex",) if tikz else ("pdflatex", "lualatex")
    found = next((path for path in map(shutil.which, names) if path), None)
    kpsewhich = shutil.which("kpsewhich")
    if found and tikz:
        located = (
            kpsewhich
            and subprocess.run(
                [kpsewhich, "tikz.sty"], capture_output=True, text=True, check=False
            ).stdout.strip()
        )
        found = found if located else None
    if found:
        return found
    what = "pdflatex with TikZ" if tikz else "a TeX engine (pdflatex or lualatex)"
    packages = "texlive-latex-base texlive-pictures" if tikz else "texlive-latex-base"
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true and {what} is not installed: apt-get install {packages}")
    pytest.skip(f"{what} is not installed")


def compile_document(engine_path: str, folder: Path, stem: str, body: str) -> str:
    """Compile ``body`` (a whole document) with ``-halt-on-error``; assert it built; the log."""
    (folder / f"{stem}.tex").write_text(body, encoding="utf-8")
    done = subprocess.run(
        [engine_path, "-interaction=nonstopmode", "-halt-on-error", f"{stem}.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    log = (folder / f"{stem}.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert done.returncode == 0, "\n".join(errors) or done.stdout[-2000:]
    assert (folder / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    assert "Missing character" not in log
    return log

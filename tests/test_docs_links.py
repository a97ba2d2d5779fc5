"""The documentation stands on its own: every relative link resolves inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: [text](target) and [text]: target, skipping images' and links' titles.
_INLINE = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


def _targets(text: str) -> list[str]:
    return _INLINE.findall(text) + _REFERENCE.findall(text)


def _relative(target: str) -> bool:
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^//", target)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve_inside_the_repository(page):
    broken = []
    for target in _targets(page.read_text(encoding="utf-8")):
        if not _relative(target):
            continue
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not path:
            continue
        resolved = (page.parent / path).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert not broken, f"{page.name}: links that do not resolve inside the repository: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_mention_of_the_shared_spec(page):
    text = page.read_text(encoding="utf-8")
    assert "../shared" not in text and "shared/spec" not in text


def test_docstrings_name_the_pages_in_the_repository():
    for path in (ROOT / "credibility").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "shared/spec" not in text, path
        for page in ("game-format.md", "json-output.md", "cli.md"):
            for match in re.finditer(rf"[\w./-]*{re.escape(page)}", text):
                assert match.group().startswith("docs/"), (path, match.group())


def test_the_reference_pages_exist_and_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("game-format.md", "json-output.md", "cli.md", "json-output.schema.json"):
        assert (ROOT / "docs" / page).exists()
        assert f"(docs/{page})" in readme

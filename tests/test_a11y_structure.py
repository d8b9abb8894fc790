"""Structure of every chapter for screen readers (WCAG 2.1 1.3.1, 2.4.4, 2.4.6, 1.1.1):
one h1 per notebook, headings in order without skipped levels, link texts that say where they go,
and a stored text alternative (output metadata "alt") for every figure."""
import re
from pathlib import Path

import nbformat
import pytest

from cnnlib.viz.alt import stored_images

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
VAGUE_LINK_TEXT = {"here", "click here", "this", "link", "more", "read more", "this link", "see here", "page"}


def strip_code(markdown):
    """Markdown without fenced code blocks (a '# comment' in a code block is not a heading)."""
    return re.sub(r"^(```|~~~).*?^\1", "", markdown, flags=re.MULTILINE | re.DOTALL)


def headings(nb):
    """[(level, text)] of the markdown headings ('#' lines and <h1>-<h6> tags), in order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = strip_code(cell.source)
        for match in re.finditer(r"^(#{1,6})\s+(.+?)\s*#*$|<h([1-6])[^>]*>(.*?)</h\3>", text, flags=re.MULTILINE):
            if match.group(1):
                found.append((len(match.group(1)), match.group(2)))
            else:
                found.append((int(match.group(3)), match.group(4)))
    return found


def heading_problems(nb):
    """What breaks the heading structure: not exactly one h1, the first heading not the h1, skipped levels."""
    found = headings(nb)
    problems = []
    h1 = [text for level, text in found if level == 1]
    if len(h1) != 1:
        problems.append(f"{len(h1)} level-1 headings (need exactly one): {h1}")
    if found and found[0][0] != 1:
        problems.append(f"the first heading is level {found[0][0]}, not the h1: {found[0][1]!r}")
    for (before, _), (level, text) in zip(found, found[1:]):
        if level > before + 1:
            problems.append(f"level {before} then level {level} (skips a level): {text!r}")
    return problems


def link_problems(nb):
    """Links whose text does not say where they go ('here', a bare address, an empty text)."""
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for text, url in re.findall(r"(?<!!)\[([^\]]*)\]\(([^)]*)\)", strip_code(cell.source)):
            words = " ".join(text.split()).strip(" .:").lower()
            if not words or words in VAGUE_LINK_TEXT or re.fullmatch(r"https?://\S+", words):
                problems.append(f"link text {text!r} for {url}")
    return problems


def figures_without_alt(nb):
    """(cell index, mime type) of stored images that have no alt text in their output metadata."""
    missing = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            for image in stored_images(output):
                if not image["alt"]:
                    missing.append((index, image["mime"]))
    return missing


def md(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s) for s in sources])


def test_checks_catch_bad_structure():
    assert heading_problems(md("# Title\n## A\n### B", "## C")) == []
    assert heading_problems(md("# Title", "# Again"))[0].startswith("2 level-1 headings")
    assert "skips a level" in heading_problems(md("# Title", "### Deep"))[0]
    assert "not the h1" in heading_problems(md("## Intro", "# Title"))[0]
    assert heading_problems(md("# Title\n```python\n# a comment\n```")) == []
    assert link_problems(md("See [here](https://a.b) and [the numpy docs](https://numpy.org)")) == [
        "link text 'here' for https://a.b"]
    assert link_problems(md("[https://numpy.org](https://numpy.org)")) != []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_headings_one_h1_in_order(path):
    problems = heading_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_link_texts_are_descriptive(path):
    problems = link_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_stored_figure_has_alt_text(path):
    """cnnlib.viz adds the alt text when a chapter runs: a chapter whose stored figures have none was
    last executed before that (re-run it: README, 'Refreshing a notebook's stored outputs')."""
    missing = figures_without_alt(nbformat.read(path, as_version=4))
    assert not missing, (f"{path.name}: {len(missing)} stored figures without alt text (cells "
                         f"{sorted({i for i, _ in missing})}); re-execute the notebook")

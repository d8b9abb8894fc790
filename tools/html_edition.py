#!/usr/bin/env python3
"""The accessible HTML edition: every chapter with its stored outputs, as a static site.

    python3 course.py html DEST          # DEST/index.html (contents) + one page per chapter

Read without a kernel, on any device. Each page is nbconvert's JupyterLab ('lab') page with:
  - every figure's alt text from its output metadata (cnnlib.viz stores it when the chapter runs;
    nbconvert 7.17's lab template does not write it, tools/html_template/a11y.html.j2 does),
  - code colours from the `a11y-high-contrast-light` Pygments style (package accessible-pygments,
    requirements-a11y.txt), every colour at least 4.5:1 on the code background (WCAG 2.1 AA 1.4.3),
  - darker prompts than JupyterLab's grey (#b0b0b0 on white is 2.2:1), a language, a <main>
    landmark, and a navigation bar with descriptive links ("Previous chapter: 05 Pooling ...").
  - widget outputs replaced by a sentence: a widget needs a kernel; the static figure beside it
    shows the same drawing.
Headings are the notebook's own: one h1 per chapter (tests/test_a11y_structure.py checks it).
Maths stays in TeX and is typeset by MathJax (loaded from its CDN by the page) when online.

The pages are what `tests/test_a11y_audit.py` audits with axe-core.
"""
import argparse
import html
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE_DIR = Path(__file__).resolve().parent / "html_template"
PYGMENTS_STYLE = "a11y-high-contrast-light"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MISSING_ALT = "Figure without a stored text description: run the chapter again with cnnlib to add one."
WIDGET_NOTE = ("<p class='a11y-widget-note'>Interactive widget: it needs a running notebook "
               "(python3 course.py lab). The static figure next to it shows the same drawing.</p>")
# Colours chosen for contrast >= 4.5:1 on white and on the light-grey code background
PAGE_CSS = """
.jp-InputPrompt, .jp-OutputPrompt { color: #595959 !important; opacity: 1 !important; }
.jp-OutputPrompt { color: #8c2a00 !important; }  /* JupyterLab dims prompts with opacity 0.5 */
.jp-InputArea-editor, .jp-InputArea-editor .highlight { background: #f2f2f2 !important; }
.jp-RenderedHTMLCommon a, nav.a11y-nav a { color: #0b57a3; text-decoration: underline; }
nav.a11y-nav { margin: 1em auto; max-width: 60em; font-family: sans-serif; }
nav.a11y-nav ul { list-style: none; padding: 0; display: flex; gap: 2em; flex-wrap: wrap; }
.a11y-widget-note { font-style: italic; color: #333333; }
"""


def chapter_title(nb, fallback):
    """The text of the notebook's first level-1 heading (markdown '# ...'), or `fallback`."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return re.sub(r"[*_`$]", "", match.group(1)).strip()
    return fallback


def replace_widgets(nb):
    """A copy of nb whose widget outputs are a sentence (no kernel, no widget state here)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):
                output["data"] = {"text/html": WIDGET_NOTE, "text/plain": "interactive widget"}
    return nb


def exporter():
    """nbconvert's HTML exporter with the edition's template and accessible code colours."""
    return HTMLExporter(template_name="lab", extra_template_paths=[str(TEMPLATE_DIR)],
                        template_file="a11y.html.j2", exclude_anchor_links=True)


def page_css():
    """The Pygments style's CSS for the code cells, then the page's own colours."""
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight") + PAGE_CSS


def add_navigation(page, nav_html):
    """Wrap the body in a <main> landmark and put the chapter navigation before it."""
    page = re.sub(r"(<body[^>]*>)", r"\1\n" + nav_html.replace("\\", r"\\") + "\n<main>", page, count=1)
    return page.replace("</body>", "</main>\n</body>", 1)


def export_notebook(nb, title, nav_html=""):
    """One chapter as a complete HTML page (str). nb: a NotebookNode with stored outputs."""
    resources = {"metadata": {"name": title}, "a11y_css": page_css(), "missing_alt": MISSING_ALT,
                 "language_code": "en"}
    page, _ = exporter().from_notebook_node(replace_widgets(nb), resources=resources)
    return add_navigation(page, nav_html)


def nav(links, label):
    """A <nav> with a list of (href, text) links."""
    items = "".join(f"<li><a href='{html.escape(href)}'>{html.escape(text)}</a></li>" for href, text in links)
    return f"<nav class='a11y-nav' aria-label='{html.escape(label)}'><ul>{items}</ul></nav>"


def contents_page(chapters):
    """The contents page: chapters = [(file name, title)]."""
    items = "".join(f"<li><a href='{html.escape(name)}'>{html.escape(title)}</a></li>" for name, title in chapters)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CNNs from scratch: contents</title>
<style>body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; line-height: 1.5; color: #1e1e1e; }}
a {{ color: #0b57a3; }}</style></head>
<body>
<main>
<h1>CNNs from scratch: contents</h1>
<p>Every chapter of the course with its stored outputs, readable without running anything. Each figure
has a text description of what it shows. To run the code and the interactive widgets, open the
course in JupyterLab (python3 course.py lab).</p>
<ol>{items}</ol>
</main>
</body>
</html>
"""


def build(dest, notebooks=None):
    """Write the edition into dest (created if needed). Returns the list of files written."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    paths = sorted(notebooks or NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    books = [nbformat.read(path, as_version=4) for path in paths]
    chapters = [(path.stem + ".html", chapter_title(nb, path.stem)) for path, nb in zip(paths, books)]
    written = []
    for k, ((name, title), nb) in enumerate(zip(chapters, books)):
        links = [("index.html", "Contents")]
        if k > 0:
            links.append((chapters[k - 1][0], f"Previous chapter: {chapters[k - 1][1]}"))
        if k + 1 < len(chapters):
            links.append((chapters[k + 1][0], f"Next chapter: {chapters[k + 1][1]}"))
        written.append(_write(dest / name, export_notebook(nb, title, nav(links, "Chapters"))))
    written.append(_write(dest / "index.html", contents_page(chapters)))
    return written


def _write(path, text):
    """Write through a temporary file and a rename, so a reader never sees half a page."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", help="folder for the site (index.html + one page per chapter)")
    args = parser.parse_args(argv)
    files = build(args.dest)
    print(f"Wrote {len(files)} pages to {args.dest} (open {Path(args.dest) / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

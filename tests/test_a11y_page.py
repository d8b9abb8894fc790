"""The chapters' pages in JupyterLab 4.6 + headless Chromium: legible at 100% zoom (issue 14, point 6)
and maths a screen reader can read (point 7).

tests/test_a11y_legibility.py computes every figure's smallest text on screen from two numbers of
the page: the body text size and the output width a picture is shrunk to. Here they are measured
in JupyterLab itself (1280-px-wide window, file browser open, 100% zoom), and the pictures the grid
widgets (chapters 03, 05, 06, 08) and every stored figure of those chapters show are checked as the
browser lays them out: displayed width / natural width, times the figure's smallest text
(stored with the figure, output metadata "text_px", read by cnnlib.viz.alt.stored_images) must be
at least the body text.

Maths: every formula of every chapter is typeset (no TeX left as text) and carries MathJax's
assistive MathML (<mjx-assistive-mml> holding a <math> element, what screen readers read; the
visual glyphs are aria-hidden).

Uses the JupyterLab server and Chromium of tests/test_browser.py (skipped like it without Chromium or
Playwright; required under CI=true / CNNLIB_REQUIRE_BROWSER=1). About two minutes.
"""
import json
import time

import pytest

from cnnlib.viz.alt import stored_images
from cnnlib.viz.scale import BODY_TEXT_PX, OUTPUT_WIDTH_PX
from test_browser import JS_KERNEL_IDLE, JS_RUN_ALL, NOTEBOOKS, browser, finished, lab, wait_for  # noqa: F401

WIDTH, HEIGHT = 1280, 800
GRID_CHAPTERS = ["03_conv_layer_padding_stride", "05_pooling_flatten_dense", "06_forward_propagation",
                 "08_backprop_padding_stride_pooling"]
JS_PAGE = """() => {
  const p = document.querySelector('.jp-RenderedMarkdown p');
  const out = document.querySelector('.jp-OutputArea-output');
  const cs = getComputedStyle(out);
  return {body: parseFloat(getComputedStyle(p).fontSize),
          output: out.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
          leftOpen: !!document.querySelector('#jp-left-stack:not(.lm-mod-hidden)')};
}"""
# Every picture in the notebook: a stored output's <img> (with its cell index and position among the
# cell's images) or a widget's picture; natural and displayed width.
JS_PICTURES = """() => {
  const panel = document.getElementById(window.jupyterapp.shell.currentWidget.id);
  const out = [];
  panel.querySelectorAll('.jp-Notebook .jp-Cell').forEach((cell, index) => {
    const stored = Array.from(cell.querySelectorAll('.jp-OutputArea-output > img, .jp-RenderedImage img'))
                        .filter(img => !img.closest('.jupyter-widgets'));
    stored.forEach((img, k) => out.push({cell: index, k: k, widget: false, natural: img.naturalWidth,
                                         shown: img.getBoundingClientRect().width}));
    cell.querySelectorAll('.jupyter-widgets img').forEach(img => out.push(
      {cell: index, k: -1, widget: true, natural: img.naturalWidth, shown: img.getBoundingClientRect().width}));
  });
  return out;
}"""


def stored_text_px(path):
    """{(cell index, k): text_px} of the k-th image each cell stores."""
    found = {}
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        images = [i for o in cell.get("outputs", []) for i in stored_images(o)]
        for k, image in enumerate(images):
            found[(index, k)] = image["text_px"]
    return found


@pytest.fixture(scope="module")
def page(browser, lab):  # noqa: F811
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    yield page
    page.close()


def open_chapter(page, lab, stem, run):  # noqa: F811
    lab.shutdown_kernels()  # the chapter opened before
    page.goto(lab.url(f"notebooks/{stem}.ipynb"))
    page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
    page.wait_for_selector(".jp-RenderedMarkdown p")
    if run:
        page.evaluate(JS_RUN_ALL, 300_000)
        assert wait_for(lambda: finished(page) and (time.sleep(1.0) or finished(page)), 300), f"{stem} still running"
        page.wait_for_selector(".jupyter-widgets img")
        time.sleep(1.0)  # the last pictures' bytes arrive


def test_body_text_and_output_width_are_what_the_fast_test_assumes(page, lab):  # noqa: F811
    open_chapter(page, lab, GRID_CHAPTERS[0], run=False)
    measured = page.evaluate(JS_PAGE)
    assert measured["leftOpen"], "the file browser should be open (JupyterLab's default layout)"
    assert measured["body"] == pytest.approx(BODY_TEXT_PX, abs=0.01), measured
    assert measured["output"] == pytest.approx(OUTPUT_WIDTH_PX, abs=1.0), measured


@pytest.mark.parametrize("stem", GRID_CHAPTERS)
def test_pictures_show_their_text_at_least_at_body_size(stem, page, lab):  # noqa: F811
    open_chapter(page, lab, stem, run=True)
    pictures = page.evaluate(JS_PICTURES)
    widgets = [p for p in pictures if p["widget"] and p["natural"]]
    assert widgets, f"{stem}: no widget picture rendered"
    # a widget picture is shown at its own width (never shrunk): the fast test's sizes hold on screen
    shrunk = [p for p in widgets if p["shown"] < p["natural"] - 0.5]
    assert not shrunk, f"{stem}: widget pictures shrunk by the page: {shrunk}"
    sizes = stored_text_px(NOTEBOOKS / f"{stem}.ipynb")
    small = []
    for p in pictures:
        if p["widget"] or not p["natural"]:
            continue
        px = sizes.get((p["cell"], p["k"]))
        assert px is not None, f"{stem}: cell {p['cell']} shows a picture the stored notebook lacks"
        if px and px * p["shown"] / p["natural"] < BODY_TEXT_PX - 0.01:
            small.append(f"cell {p['cell']}: {px * p['shown'] / p['natural']:.1f} px")
    assert not small, f"{stem}: text below the {BODY_TEXT_PX:g}-px body text: {small}"


JS_MATHS = """() => {
  const panel = document.getElementById(window.jupyterapp.shell.currentWidget.id);
  const formulas = Array.from(panel.querySelectorAll('.jp-RenderedMarkdown mjx-container'));
  const unreadable = formulas.filter(m => !m.querySelector('mjx-assistive-mml math')
                                          || m.querySelector('mjx-math').getAttribute('aria-hidden') !== 'true');
  // TeX left as text: a $...$ or \\begin outside code, in a rendered markdown cell
  const raw = Array.from(panel.querySelectorAll('.jp-RenderedMarkdown')).map(e => {
    const copy = e.cloneNode(true);
    copy.querySelectorAll('code, pre, mjx-container').forEach(c => c.remove());
    return copy.textContent;
  }).filter(t => /\\$[^$\\s][^$]*\\$|\\\\(begin|frac|sum)\\b/.test(t));
  return {formulas: formulas.length, unreadable: unreadable.map(m => m.textContent.slice(0, 60)), raw: raw.map(t => t.slice(0, 80))};
}"""


def tex_formulas(path):
    """How many $...$ / $$...$$ formulas the chapter's markdown holds (outside code)."""
    import re
    count = 0
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            text = re.sub(r"```.*?```|`[^`]*`", "", "".join(cell["source"]), flags=re.DOTALL)
            count += len(re.findall(r"\$\$.+?\$\$|\$[^$]+?\$", text, flags=re.DOTALL))
    return count


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_maths_is_typeset_with_assistive_mathml(path, page, lab):  # noqa: F811
    expected = tex_formulas(path)
    open_chapter(page, lab, path.stem, run=False)
    if expected:
        page.wait_for_function(f"() => document.querySelectorAll('.jp-RenderedMarkdown mjx-container').length >= {expected}",
                               timeout=60_000)
    found = page.evaluate(JS_MATHS)
    assert found["formulas"] >= expected, f"{path.name}: {found['formulas']} of {expected} formulas typeset"
    assert not found["unreadable"], f"{path.name}: formulas without assistive MathML: {found['unreadable']}"
    assert not found["raw"], f"{path.name}: TeX shown as text: {found['raw']}"

"""Legible at 100% zoom (issue 14, point 6): the smallest text in every figure and widget picture is
at least as large on screen as the notebook's body text.

What the page does, measured in JupyterLab 4.6.6 + Chromium (tests/test_a11y_legibility_browser.py
checks these two numbers in the real browser, so they cannot drift unnoticed):
- body text (`.jp-RenderedMarkdown p`) is BODY_TEXT_PX = 14 CSS px;
- in a 1280-px-wide window with the file browser open, an output is OUTPUT_WIDTH_PX = 840 px wide,
  and a wider picture is shrunk to fit (max-width: 100%).
So a text of s points in a picture of natural width N pixels made at d dpi shows at
    s * d / 72 * min(1, OUTPUT_WIDTH_PX / N)  CSS px,
which must be >= BODY_TEXT_PX.

Static figures: every image a chapter stores carries its smallest text size (output metadata
"text_px", written by cnnlib.viz when the figure is shown); the test reads every chapter found in
notebooks/, so a new chapter is covered once it is run. Widget pictures: every widget constructor in
cnnlib.widgets (a public name ending in _widget, _stepper or _explorer, and LivePlot) is built with
the inputs its chapter gives it and every control is moved through its range; every figure it renders
(through Blitter, or display()) is measured.
"""
import base64
import importlib
import inspect
import io
import json
import pkgutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

import cnnlib.widgets  # noqa: E402
from cnnlib.pretrained import load_pretrained  # noqa: E402
from cnnlib import viz  # noqa: E402
from cnnlib.viz.alt import _InHtml, stored_images  # noqa: E402
from cnnlib.viz.scale import BODY_TEXT_PX, FIGURE_WIDTH_PX, OUTPUT_WIDTH_PX, text_px  # noqa: E402
from cnnlib.widgets import common  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_SUFFIXES = ("_widget", "_stepper", "_explorer")


def shown_px(text_size_px, natural_width):
    """The on-screen size of text of text_size_px in a picture natural_width pixels wide."""
    return text_size_px * min(1.0, FIGURE_WIDTH_PX / natural_width)  # the narrower of the two: a figure's <img>


# ----------------------------------------------------------------------------- static figures

def stored_figures(path):
    """[(cell index, text_px or None, natural width)] for every image stored in a chapter."""
    found = []
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        for output in cell.get("outputs", []):
            for image in stored_images(output):
                width = Image.open(io.BytesIO(image["data"])).width
                found.append((index, image["text_px"], width))
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_figures_text_at_least_body_size(path):
    figures = stored_figures(path)
    unmeasured = [i for i, px, _ in figures if px is None]
    assert not unmeasured, (f"{path.name}: figures in cells {unmeasured} carry no text_px (run before "
                            "cnnlib.viz recorded it): refresh the notebook (README)")
    small = [f"cell {i}: {shown_px(px, w):.1f} px ({px:.1f} px in a {w}-px-wide picture)"
             for i, px, w in figures if px and shown_px(px, w) < BODY_TEXT_PX]
    assert not small, (f"{path.name}: text smaller than the {BODY_TEXT_PX:g}-px body text at 100% zoom: "
                       + "; ".join(small))


# ----------------------------------------------------------------------------- widget pictures

def digit_model():
    from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
    from cnnlib.model import Sequential
    return Sequential(Conv2D(1, 8, 3, rng=1), ReLU(), MaxPool2D(2), Conv2D(8, 16, 3, rng=2), ReLU(),
                      MaxPool2D(2), Flatten(), Dense(16 * 5 * 5, 10, rng=3))


def live_plot():
    """A LivePlot drawn as during a fit (it draws only when enabled, i.e. in a kernel)."""
    from cnnlib.optim import Adam
    from cnnlib.widgets.training import LivePlot
    live = LivePlot(enabled=True)
    x, y = RNG.random((40, 1, 28, 28)).astype(np.float32), RNG.integers(0, 10, 40)
    digit_model().fit(x, y, optimizer=Adam(1e-3), epochs=2, batch_size=10, validation_data=(x, y),
                      verbose=False, on_batch_end=live.on_batch_end, on_epoch_end=live.on_epoch_end)
    return live


RNG = np.random.default_rng(0)
DIGIT = RNG.random((28, 28))
# Each constructor with the inputs its chapter gives it (shapes as in the notebooks).
WIDGET_CALLS = {
    "shift_widget": lambda w: w(DIGIT, np.array([[1., 0., -1.], [2., 0., -2.], [1., 0., -1.]])),
    "smoothing_widget": lambda w: w(np.sin(np.arange(200) / 15) + RNG.normal(0, 0.4, 200),
                                    np.sin(np.arange(200) / 15)),
    "filter_widget": lambda w: w({"digit": DIGIT, "photo": RNG.random((3, 150, 128))}),
    "conv_stepper": lambda w: w(seed=0),
    "colour_filter_explorer": lambda w: w(RNG.random((3, 150, 128))),
    "pool_stepper": lambda w: w(seed=0),
    "filter_sum_widget": lambda w: w(RNG.integers(0, 4, (3, 4, 4)).astype(float),
                                     RNG.integers(-1, 2, (2, 3, 2, 2)).astype(float), np.array([1.0, -2.0])),
    "conv_links_widget": lambda w: w((3, 3), (2, 2)),
    "dilation_widget": lambda w: w(np.array([[1., 2.], [3., 4.]]),
                                   np.array([[1., 0., -1.], [2., 0., -2.], [1., 0., -1.]])),
    "pool_backward_widget": lambda w: w(RNG.integers(0, 9, (6, 6)).astype(float)),
    "im2col_explorer": lambda w: w(seed=0),
    "digit_explorer": lambda w: w(digit_model(), RNG.random((3, 1, 28, 28)).astype(np.float32),
                                  np.array([7, 2, 1])),
    "LivePlot": lambda w: live_plot(),
    "attack_explorer": lambda w: w(load_pretrained(), RNG.random((3, 1, 28, 28)).astype(np.float32),
                                   np.array([7, 2, 1])),
    "drawing_pad": lambda w: drawn_pad(w),
}


def drawn_pad(make):
    """Chapter 11's pad with a stroke like a 1 drawn (the panel redraws after each stroke)."""
    pad = make(load_pretrained())
    pad.add_stroke([(100, 30 + 7 * k) for k in range(21)])
    return pad.widget


def widget_constructors():
    """{name: callable} of every widget constructor in cnnlib.widgets' modules."""
    found = {}
    for info in pkgutil.iter_modules(cnnlib.widgets.__path__):
        module = importlib.import_module(f"cnnlib.widgets.{info.name}")
        for name, obj in vars(module).items():
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__ \
                    and not name.startswith("_") and (name.endswith(WIDGET_SUFFIXES) or name in ("LivePlot", "drawing_pad")):
                found[name] = obj
    return found


def controls(widget):
    """Every control with a range or options inside a widget tree (Play buttons left out: they only
    move their slider)."""
    found, stack, seen = [], [widget], set()
    while stack:
        w = stack.pop()
        if id(w) in seen or not isinstance(w, widgets.Widget):
            continue
        seen.add(id(w))
        if isinstance(w, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons, widgets.IntSlider,
                          widgets.FloatSlider, widgets.Checkbox)):
            found.append(w)
        stack.extend(getattr(w, "children", ()))
        stack.extend(getattr(w, "kwargs_widgets", ()))
    return found


def settings(control):
    """The values to try: every option, both ends of a range, both states of a checkbox."""
    if isinstance(control, widgets.Checkbox):
        return [not control.value, control.value]
    if hasattr(control, "options"):
        return [value for _, value in control._options_full] if hasattr(control, "_options_full") \
            else list(control.options)
    return [control.max, control.min, control.value]


@pytest.fixture
def rendered(monkeypatch):
    """Record every figure a widget renders: through a Blitter, or with display()."""
    figures, displayed = [], set()
    apply_scale = common.apply_scale

    def recording(fig):
        figures.append(fig)
        return apply_scale(fig)
    monkeypatch.setattr(common, "apply_scale", recording)

    def shown(obj):  # display(fig) in a kernel: the inline backend's printer, wrapped by cnnlib.viz
        if isinstance(obj, Figure):
            _InHtml(lambda fig: (b"", {}), "image/png").html(obj)
            figures.append(obj)
            displayed.add(id(obj))
    for info in pkgutil.iter_modules(cnnlib.widgets.__path__):
        module = importlib.import_module(f"cnnlib.widgets.{info.name}")
        if hasattr(module, "display"):
            monkeypatch.setattr(module, "display", lambda *objs, **kw: [shown(o) for o in objs])
    viz.set_scale(1)
    yield figures, displayed
    plt.close("all")


def natural_width(fig, displayed):
    """The picture's width in pixels as the page gets it: a Blitter renders the figure as it is
    (inches x dpi); display() goes through the inline backend, which crops to bbox_inches='tight'."""
    if not displayed:
        return common.pixel_width(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    return Image.open(out).width


def test_every_widget_constructor_has_an_example_call():
    missing = sorted(set(widget_constructors()) - set(WIDGET_CALLS))
    assert not missing, f"add an example call for {missing} to WIDGET_CALLS (the inputs its chapter gives it)"


@pytest.mark.parametrize("name", sorted(WIDGET_CALLS))
def test_widget_pictures_text_at_least_body_size(name, rendered):
    constructor = widget_constructors()[name]
    widget = WIDGET_CALLS[name](constructor)
    for control in controls(widget):
        original = control.value
        for value in settings(control):
            control.value = value
        control.value = original
    figures, displayed = rendered
    assert figures, f"{name} rendered no figure"
    small = {}
    for fig in figures:
        px, width = text_px(fig), natural_width(fig, id(fig) in displayed)
        if px and shown_px(px, width) < BODY_TEXT_PX:
            small[f"{fig.get_figwidth():.2f}x{fig.get_figheight():.2f} in at {fig.dpi:g} dpi"] = \
                f"{shown_px(px, width):.1f} px"
    assert not small, f"{name}: text below the {BODY_TEXT_PX:g}-px body text at 100% zoom: {small}"


def test_measure_counts_only_text_that_is_drawn():
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot()
    ax.set_title("t", fontsize=12)
    ax.tick_params(labelsize=6)
    assert text_px(fig) == pytest.approx(6 * 100 / 72)
    ax.axis("off")  # tick labels no longer drawn
    assert text_px(fig) == pytest.approx(12 * 100 / 72)
    note = ax.text(0, 0, "n", fontsize=9, animated=True)  # a widget's animated text still counts
    assert text_px(fig) == pytest.approx(9 * 100 / 72) and note.get_animated()
    assert shown_px(20, 2 * FIGURE_WIDTH_PX) == pytest.approx(10)  # a picture twice the <img> width: half size


def test_a_real_kernel_shows_small_text_in_a_wide_figure_at_body_size():
    """The display hook end to end: a 14-inch figure with 6-pt tick labels, shown by the inline
    backend in a real kernel, stores text_px, and its text shows at body size in the page."""
    import nbformat
    from nbclient import NotebookClient
    cells = ["%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np\nimport cnnlib.viz",
             "fig, ax = plt.subplots(figsize=(14, 3))\nax.plot(np.arange(10))\nax.tick_params(labelsize=6)\n"
             "ax.set_title('a wide figure', fontsize=8)\nplt.show()"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    (image,) = [i for o in nb.cells[1].outputs for i in stored_images(o)]
    assert image["mime"] == "image/png" and image["alt"]
    width = Image.open(io.BytesIO(image["data"])).width
    px = image["text_px"]
    assert width > OUTPUT_WIDTH_PX  # shrunk by the page ...
    assert shown_px(px, width) >= BODY_TEXT_PX  # ... and still at body size
    assert shown_px(6 * 100 / 72, width) < 0.6 * BODY_TEXT_PX  # what the 6-pt labels would have shown

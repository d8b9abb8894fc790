"""Colour (WCAG 2.1 1.4.1, 1.4.3, 1.4.11): numbers on coloured cells have contrast >= 4.5:1 with their
cell, for every colour the colour maps can give; the categorical colours of the figures stay apart
under simulated deuteranopia, protanopia and tritanopia; colour maps keep their order of lightness.

Colour-vision deficiency is simulated with the model of Machado, Oliveira & Fernandes (2009), full
severity, as implemented by the maintained `colorspacious` package (requirements-a11y.txt); colour
differences are Delta E in CAM02-UCS (the same package). Skipped without colorspacious, except
under CNNLIB_REQUIRE_A11Y=1 (CI), where it fails.
"""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

from cnnlib.viz import contrast  # noqa: E402
from cnnlib.pretrained import load_pretrained  # noqa: E402
from cnnlib.viz.attribution import drawing_panel_figure, update_drawing_panel  # noqa: E402
from cnnlib.viz.backprop import dilation_figure, draw_dilation, draw_pool_backward  # noqa: E402
from cnnlib.viz.common import draw_matrix  # noqa: E402
from cnnlib.viz.correlation import draw_smoothing  # noqa: E402
from cnnlib.viz.fast import TIMING_COLOURS, draw_im2col, draw_timings  # noqa: E402
from cnnlib.viz.forward import draw_filter_sum, filter_sum_figure  # noqa: E402
from cnnlib.viz.pooling import draw_pool_step  # noqa: E402
from cnnlib.viz.sliding import draw_conv_step  # noqa: E402
from cnnlib.viz.training import draw_confusion, draw_history, draw_probabilities  # noqa: E402

CVD_TYPES = ("deuteranomaly", "protanomaly", "tritanomaly")  # severity 100 = deuteranopia etc.
MIN_DELTA_E = 10.0   # CAM02-UCS; about 1 is a just-noticeable difference side by side
AA_TEXT = 4.5
# every colour map that numbers are written on, in cnnlib.viz
NUMBER_CMAPS = ("Blues", "RdBu_r", "Purples", "Greys", "Oranges", "Greens", "viridis", "magma", "gray")
RNG = np.random.default_rng(0)


@pytest.fixture(scope="module")
def cvd():
    try:
        import colorspacious
    except ImportError:
        if os.environ.get("CNNLIB_REQUIRE_A11Y", "") == "1":
            pytest.fail("colorspacious is required (CNNLIB_REQUIRE_A11Y=1): pip install -r requirements-a11y.txt")
        pytest.skip("colour-vision test skipped: colorspacious missing (pip install -r requirements-a11y.txt)")
    return colorspacious


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def simulate(cvd, rgb, kind):
    """rgb (..., 3) in [0, 1] as seen with full-severity `kind` deficiency (Machado 2009)."""
    space = {"name": "sRGB1+CVD", "cvd_type": kind, "severity": 100}
    return np.clip(cvd.cspace_convert(np.asarray(rgb, dtype=float), space, "sRGB1"), 0, 1)


def min_difference(cvd, colours, kind):
    """The smallest Delta E (CAM02-UCS) between any two of `colours` as seen with `kind`."""
    seen = [simulate(cvd, to_rgb(c), kind) for c in colours]
    return min(cvd.deltaE(seen[i], seen[j], input_space="sRGB1")
               for i in range(len(seen)) for j in range(i + 1, len(seen)))


# ------------------------------------------------------------------ contrast of numbers on cells

def test_contrast_ratio_matches_wcag_examples():
    assert contrast.contrast_ratio("black", "white") == pytest.approx(21.0)
    assert contrast.contrast_ratio("#767676", "white") == pytest.approx(4.54, abs=0.01)
    assert contrast.contrast_ratio("#b0b0b0", "white") == pytest.approx(2.17, abs=0.01)  # JupyterLab's old prompt


@pytest.mark.parametrize("cmap", NUMBER_CMAPS)
def test_text_colour_reaches_aa_on_every_colour_of_the_map(cmap):
    colours = plt.get_cmap(cmap)(np.linspace(0, 1, 256))[:, :3]
    worst = min(contrast.contrast_ratio(c, contrast.text_colour(c)) for c in colours)
    assert worst >= AA_TEXT, f"{cmap}: a number on one of its colours has contrast {worst:.2f} < 4.5"


def cell_text_contrasts(fig):
    """(where, text, ratio) for every number written on a cell of a colour-mapped image in fig."""
    found = []
    for ax in fig.axes:
        images = [im for im in ax.images if isinstance(im, AxesImage) and np.ndim(im.get_array()) == 2]
        for text in ax.texts:
            if not text.get_text().strip() or not text.get_visible() or not images:
                continue
            x, y = text.get_position()
            for image in images:
                a = np.ma.getdata(image.get_array())
                r, c = int(round(y)), int(round(x))
                if 0 <= r < a.shape[0] and 0 <= c < a.shape[1]:
                    cell = image.cmap(image.norm(a[r, c]))[:3]
                    found.append((ax.get_title() or "untitled axes", text.get_text(),
                                  contrast.contrast_ratio(cell, text.get_color())))
    return found


def drawn_figures():
    """Every figure kind that writes numbers on coloured cells, with data spanning the colour map."""
    x = RNG.integers(-9, 10, (6, 6)).astype(float)
    w = RNG.integers(-2, 3, (3, 3)).astype(float)
    figures = {}
    for cmap in ("Blues", "RdBu_r", "Purples", "Greys"):
        fig, ax = plt.subplots()
        draw_matrix(ax, x, cmap=cmap)
        figures[f"draw_matrix {cmap}"] = fig
    fig, axes = plt.subplots(1, 3)
    draw_conv_step(axes, x, w, stride=1, padding=1, step=5)
    figures["draw_conv_step"] = fig
    fig, axes = plt.subplots(1, 2)
    draw_pool_step(axes, np.abs(x), 2, 2, "max", step=2)
    figures["draw_pool_step"] = fig
    fig, axes = filter_sum_figure(2)
    draw_filter_sum(axes, RNG.integers(0, 5, (2, 5, 5)).astype(float), RNG.integers(-2, 3, (1, 2, 3, 3)).astype(float),
                    np.array([1.0]), 0)
    figures["draw_filter_sum"] = fig
    fig, axes = dilation_figure((2, 2), (3, 3), 2)
    draw_dilation(axes, np.array([[1.0, -2.0], [3.0, 4.0]]), w, 2)
    figures["draw_dilation"] = fig
    fig, axes = plt.subplots(1, 3)
    draw_pool_backward(axes, x, RNG.normal(size=(3, 3)), "max", 2, 2)
    figures["draw_pool_backward"] = fig
    fig, axes = plt.subplots(1, 4)
    draw_im2col(axes, x[:4, :4], w[:2, :2])
    figures["draw_im2col"] = fig
    fig, ax = plt.subplots()
    draw_confusion(ax, np.array([[980, 2, 5], [1, 1100, 30], [9, 0, 1000]]))
    figures["draw_confusion"] = fig
    return figures


def test_numbers_on_drawn_cells_reach_aa():
    failures = []
    checked = 0
    for name, fig in drawn_figures().items():
        for where, text, ratio in cell_text_contrasts(fig):
            checked += 1
            if ratio < AA_TEXT:
                failures.append(f"{name} / {where}: {text!r} at {ratio:.2f}:1")
    assert checked > 200
    assert not failures, f"{len(failures)} numbers below 4.5:1 on their cell:\n" + "\n".join(failures[:30])


# ------------------------------------------------------------------ colour-vision deficiency

def categorical_colours():
    """The colours that must differ from each other, per figure, read from the drawn artists."""
    groups = {}
    history = {"batch_loss": [2.0, 1.0, 0.5, 0.3], "batch_acc": [0.1, 0.5, 0.8, 0.9], "loss": [1.0, 0.4],
               "val_loss": [0.9, 0.3], "acc": [0.5, 0.85], "val_acc": [0.7, 0.95]}
    fig, axes = plt.subplots(1, 2)
    drawn = draw_history(axes, history, smooth=2)
    groups["draw_history: train vs test"] = [drawn["loss_smooth"].get_color(), drawn["val_loss"].get_color()]
    fig, ax = plt.subplots()
    bars = draw_probabilities(ax, [0.1, 0.7, 0.2])
    groups["draw_probabilities: predicted vs other"] = [bars[1].get_facecolor(), bars[0].get_facecolor()]
    fig, ax = plt.subplots()
    bars = draw_timings(ax, ["loops", "im2col", "library", "fast"], [2.0, 0.1, 0.01, 0.005])
    groups["draw_timings: the four methods"] = [b.get_facecolor() for b in bars]
    fig, ax = plt.subplots()
    drawn = draw_smoothing(ax, np.sin(np.arange(20.0)), np.ones(3) / 3, clean=np.sin(np.arange(20.0)))
    groups["draw_smoothing: samples, clean, average"] = [drawn[k].get_color() for k in ("samples", "clean", "average")]
    fig, handles = drawing_panel_figure()
    digit = np.zeros((28, 28))
    digit[4:24, 13:16] = 1.0  # a stroke like a 1
    update_drawing_panel(handles, load_pretrained(), digit)
    bars = handles["bars"]
    best = max(range(10), key=lambda k: bars[k].get_width())
    groups["drawing panel (chapter 11): predicted vs other"] = [bars[best].get_facecolor(),
                                                                 bars[(best + 1) % 10].get_facecolor()]
    return {name: [to_rgb(c) for c in colours] for name, colours in groups.items()}


@pytest.mark.parametrize("kind", CVD_TYPES)
def test_categorical_colours_stay_apart_under_colour_blindness(cvd, kind):
    failures = []
    for name, colours in categorical_colours().items():
        d = min_difference(cvd, colours, kind)
        if d < MIN_DELTA_E:
            failures.append(f"{name}: Delta E {d:.1f} < {MIN_DELTA_E}")
    assert not failures, f"{kind}: " + "; ".join(failures)


def test_the_check_catches_a_protanope_confusion(cvd):
    """tab:blue and tab:purple, the old timing colours, are too close for a protanope."""
    assert min_difference(cvd, ["tab:blue", "tab:purple"], "protanomaly") < MIN_DELTA_E
    assert min_difference(cvd, TIMING_COLOURS, "protanomaly") >= MIN_DELTA_E


@pytest.mark.parametrize("kind", CVD_TYPES)
@pytest.mark.parametrize("cmap", ("Blues", "Purples", "Greys", "gray", "magma", "hot", "Reds"))
def test_sequential_maps_keep_their_lightness_order(cvd, cmap, kind):
    """Low to high stays dark-to-light (or light-to-dark) for a colour-blind reader: J' is monotonic."""
    seen = simulate(cvd, plt.get_cmap(cmap)(np.linspace(0, 1, 64))[:, :3], kind)
    lightness = cvd.cspace_convert(seen, "sRGB1", "CAM02-UCS")[:, 0]
    steps = np.diff(lightness)
    assert np.all(steps > 0) or np.all(steps < 0), f"{cmap} under {kind}: lightness is not monotonic"


@pytest.mark.parametrize("kind", CVD_TYPES)
def test_diverging_map_tells_sign_apart(cvd, kind):
    """RdBu_r (signed values): a value and its negative stay distinguishable from a quarter of the range on."""
    cmap = plt.get_cmap("RdBu_r")
    for v in np.linspace(0.25, 1.0, 16):
        pos, neg = simulate(cvd, cmap(0.5 + v / 2)[:3], kind), simulate(cvd, cmap(0.5 - v / 2)[:3], kind)
        assert cvd.deltaE(pos, neg, input_space="sRGB1") >= MIN_DELTA_E, f"RdBu_r at +-{v:.2f} under {kind}"


def test_predicted_class_is_marked_by_more_than_colour():
    """draw_probabilities: the predicted bar is hatched as well as orange, the true one outlined."""
    fig, ax = plt.subplots()
    bars = draw_probabilities(ax, [0.1, 0.7, 0.2], true_class=2)
    assert [b.get_hatch() for b in bars] == [None, "//", None]
    assert bars[2].get_linewidth() > 0 and to_rgb(bars[2].get_edgecolor()) == (0, 0, 0)


def test_drawing_panel_marks_the_prediction_by_more_than_colour():
    """Chapter 11's drawing panel: the predicted bar is hatched, the others not, and the title says it."""
    fig, handles = drawing_panel_figure()
    digit = np.zeros((28, 28))
    digit[4:24, 13:16] = 1.0
    p, _ = update_drawing_panel(handles, load_pretrained(), digit)
    best = int(np.argmax(p))
    assert [b.get_hatch() for b in handles["bars"]] == ["//" if k == best else None for k in range(10)]
    assert handles["title"].get_text().startswith(f"prediction: {best}")

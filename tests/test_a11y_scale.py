"""Presentation scale (cnnlib.viz.set_scale): every figure and widget picture grows by the same
factor, text included (its size in pixels is points x dpi / 72)."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from cnnlib import viz  # noqa: E402
from cnnlib.viz.common import draw_matrix  # noqa: E402
from cnnlib.viz.scale import text_px  # noqa: E402
from cnnlib.widgets.common import Blitter  # noqa: E402
from cnnlib.widgets.pooling import pool_stepper  # noqa: E402
from cnnlib.widgets.why import shift_widget  # noqa: E402


@pytest.fixture(autouse=True)
def default_scale():
    viz.set_scale(1)
    yield
    viz.set_scale(1)
    plt.close("all")


def static_figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    draw_matrix(ax, np.arange(9.0).reshape(3, 3), title="x")
    return fig


def png_size(data):
    return Image.open(io.BytesIO(bytes(data))).size


def test_bad_scale_is_refused_with_the_range():
    for bad in (0, 10, "big", None):
        with pytest.raises(ValueError, match="from 0.5 to 4"):
            viz.set_scale(bad)


def test_static_figures_grow_with_their_text():
    small = static_figure()
    viz.set_scale(1.5)
    large = static_figure()
    assert viz.get_scale() == 1.5
    assert large.dpi == pytest.approx(1.5 * small.dpi)
    assert text_px(large) == pytest.approx(1.5 * text_px(small))
    out_small, out_large = io.BytesIO(), io.BytesIO()  # what the inline backend saves: figure dpi
    small.savefig(out_small, format="png")
    large.savefig(out_large, format="png")
    (w1, h1), (w2, h2) = png_size(out_small.getvalue()), png_size(out_large.getvalue())
    assert w2 == pytest.approx(1.5 * w1, abs=1) and h2 == pytest.approx(1.5 * h1, abs=1)


def test_widget_pictures_grow_by_the_same_factor():
    widths, sizes = [], []
    for scale in (1, 1.5):
        viz.set_scale(scale)
        stepper = pool_stepper().stepper
        widths.append(int(stepper.image.layout.width.removesuffix("px")))
        sizes.append(png_size(stepper.image.value))
    assert widths[1] == pytest.approx(1.5 * widths[0], abs=1)
    assert sizes[1][0] == pytest.approx(1.5 * sizes[0][0], abs=2)
    assert sizes[0][0] == widths[0]  # shown at its own pixel width: sharp


def test_shift_widget_picture_grows():
    widths = []
    for scale in (1, 2):
        viz.set_scale(scale)
        box = shift_widget(np.eye(28), np.ones((3, 3)))
        picture = box.children[-1]
        widths.append((int(picture.layout.width.removesuffix("px")), png_size(picture.value)[0]))
    assert widths[1][0] == pytest.approx(2 * widths[0][0], abs=1)
    assert widths[1][1] == pytest.approx(2 * widths[0][1], abs=2)


def test_a_blitter_scales_a_widget_figure_once_and_a_pyplot_figure_not_again():
    from matplotlib.figure import Figure
    viz.set_scale(2)
    fig = Figure(figsize=(4, 3), dpi=72)  # how the widgets make their figures
    Blitter(fig, [])
    Blitter(fig, [])  # a widget that builds a new Blitter on the same figure
    assert fig.dpi == pytest.approx(144)
    pyplot_fig = static_figure()  # already made at 2 x 100 dpi
    Blitter(pyplot_fig, [])
    assert pyplot_fig.dpi == pytest.approx(200)


def test_legible_text_grows_with_the_scale_too():
    """The minimum text size (scale.legible) is the body text's at scale 1: at 1.5 every widget
    picture's smallest text is 1.5 times as large, like the rest of the picture."""
    sizes = []
    for scale in (1, 1.5):
        viz.set_scale(scale)
        sizes.append(text_px(pool_stepper().stepper.blitter.fig))
    assert sizes[0] >= 14 and sizes[1] == pytest.approx(1.5 * sizes[0])

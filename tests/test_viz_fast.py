"""Chapter 09 drawings and widget: drawn from the library's numbers, highlights in the right place."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.viz.fast import draw_col2im_steps, draw_im2col, draw_timings  # noqa: E402
from cnnlib.widgets.common import pixel_width  # noqa: E402
from cnnlib.widgets.fast import example_image, im2col_explorer, im2col_figure  # noqa: E402


def four_axes():
    fig = plt.figure(figsize=(8, 6))
    return fig, [fig.add_subplot(2, 3, k) for k in (1, 2, 3)] + [fig.add_subplot(2, 1, 2)]


@pytest.mark.parametrize("n, k, stride", [(4, 2, 1), (5, 3, 1), (6, 2, 2), (5, 3, 2)])
def test_draw_im2col_matches_library_and_highlights(n, k, stride):
    x, w = example_image(n, k, seed=1)
    fig, axes = four_axes()
    view = draw_im2col(axes, x, w, stride, cell=0, offset=0)
    np.testing.assert_array_equal(view.cols, F.im2col(x[None, None], (k, k), stride)[0])
    np.testing.assert_allclose(view.out, F.conv2d(x[None, None], w[None, None], None, stride)[0, 0])
    # the matrix drawn in the bottom axes is the im2col matrix, every number written
    assert np.array_equal(axes[3].images[0].get_array(), view.cols)
    assert len(axes[3].texts) == view.cols.size
    last_cell, last_offset = view.n_cells - 1, view.n_offsets - 1
    view.set_highlight(last_cell, last_offset)
    i, j = divmod(last_cell, view.W_out)
    u, v = divmod(last_offset, k)
    assert view.window_box.get_xy() == (j * stride - 0.5, i * stride - 0.5)
    assert view.column_box.get_xy() == (last_cell - 0.5, -0.5)
    assert view.row_box.get_xy() == (-0.5, last_offset - 0.5)
    assert view.out_box.get_xy() == (j - 0.5, i - 0.5)
    # the orange pixels are exactly the image entries in the highlighted row of cols
    pixels = view.offset_pixels.get_offsets()                 # (x, y) = (column, row)
    np.testing.assert_array_equal(np.sort(x[pixels[:, 1].astype(int), pixels[:, 0].astype(int)]),
                                  np.sort(view.cols[last_offset]))
    # and the marked meeting point is the number at (row, column) of the matrix
    mx, my = view.meet.get_offsets()[0]
    assert x[int(my), int(mx)] == view.cols[last_offset, last_cell]
    assert f"= {view.cols[last_offset, last_cell]:g}" in view.describe(last_cell, last_offset)
    with pytest.raises(ValueError, match="cell must be in"):
        view.set_highlight(view.n_cells, 0)
    plt.close(fig)


def test_draw_col2im_steps_ends_at_col2im():
    rng = np.random.default_rng(0)
    dcols = rng.normal(size=(9, 4))
    fig, axes = plt.subplots(1, 9)
    sums = draw_col2im_steps(axes, dcols, (5, 5), (3, 3), stride=2)
    assert len(sums) == 9
    np.testing.assert_allclose(sums[-1], F.col2im(dcols[None], (1, 1, 5, 5), (3, 3), 2)[0, 0])
    # step k adds row k only onto the pixels (i*s + u, j*s + v)
    np.testing.assert_allclose(sums[0][::2, ::2][:2, :2], dcols[0].reshape(2, 2))
    assert len(axes[0].patches) == 4                            # one outline per window
    with pytest.raises(ValueError, match="need dcols of shape"):
        draw_col2im_steps(axes[:4], dcols, (5, 5), (3, 3), 2)
    plt.close(fig)


def test_draw_timings():
    fig, ax = plt.subplots()
    bars = draw_timings(ax, ["loops", "im2col"], [2.5, 0.001])
    assert len(bars) == 2 and ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.texts] == ["2.5 s", "1 ms"]
    with pytest.raises(ValueError):
        draw_timings(ax, ["a"], [0.0])
    plt.close(fig)


def test_widget_runs_and_redraws():
    view = im2col_explorer()
    explorer = view.explorer
    first = explorer.image.value
    assert first and "cols[1, 4]" in explorer.text.value
    explorer.cell.value = 0
    assert explorer.image.value != first and "column 0" in explorer.text.value
    # shown at the figure's own pixel width (not stretched and blurred), never wider than the output
    assert explorer.image.layout.width == f"{pixel_width(explorer.blitter.fig)}px"
    assert explorer.image.layout.max_width == "100%"
    explorer.k.value = 3                                        # a new figure: ranges follow
    assert explorer.offset.max == 8 and explorer.cell.max == 3  # 4x4 image, 3x3 kernel: 2x2 windows
    assert explorer.image.layout.width == f"{pixel_width(explorer.blitter.fig)}px"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_example_kernels_never_give_a_flat_output(seed):
    for n in range(3, 7):
        for k in range(1, 4):
            x, w = example_image(n, k, seed)
            out = F.correlate2d(x, w)
            assert w.sum() != 0 and (out.size == 1 or out.std() > 0)


def test_im2col_figure_standalone():
    x, w = example_image(4, 2)
    fig, view = im2col_figure(x, w)
    assert view.cols.shape == (4, 9) and len(fig.axes) == 4

"""Chapters 07-08 drawings (cnnlib/viz/backprop.py) and widget machinery (cnnlib/widgets/backprop.py)."""
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib.viz.backprop import conv_links_figure, draw_conv_links, update_conv_links  # noqa: E402
from cnnlib.widgets.backprop import conv_links_cells, conv_links_frames, conv_links_widget  # noqa: E402


def highlighted(drawn, panel):
    """(row, col) -> mask value (0 none, 1 linked, 2 chosen) of one panel (0 X, 1 K, 2 Y)."""
    return np.asarray(drawn["images"][panel].get_array())


@pytest.fixture
def links():
    fig, axes = conv_links_figure((3, 3), (2, 2))
    yield draw_conv_links(axes[0], (3, 3), (2, 2), ("y", 0, 1))
    plt.close(fig)


def test_output_cell_shows_its_window_and_every_weight(links):
    x_mask = highlighted(links, 0)
    np.testing.assert_array_equal(x_mask, [[0, 1, 1], [0, 1, 1], [0, 0, 0]])   # window of y12
    np.testing.assert_array_equal(highlighted(links, 1), np.ones((2, 2)))
    np.testing.assert_array_equal(highlighted(links, 2), [[0, 2], [0, 0]])
    assert links["caption"].get_text() == "y₁₂ = b + x₁₂k₁₁ + x₁₃k₁₂ + x₂₂k₂₁ + x₂₃k₂₂   (4 terms)"
    assert [t.get_text() for t in links["texts"][0]][1] == "x₁₂\n·k₁₁"


@pytest.mark.parametrize("cell, n_terms", [((0, 0), 1), ((0, 1), 2), ((1, 1), 4), ((2, 2), 1),
                                           ((2, 1), 2)])
def test_input_cell_lists_the_terms_of_its_gradient(links, cell, n_terms):
    update_conv_links(links, ("x",) + cell)
    y_mask = highlighted(links, 2)
    assert (y_mask == 1).sum() == n_terms
    assert f"({n_terms} term" in links["caption"].get_text()
    assert highlighted(links, 0)[cell] == 2 and (highlighted(links, 0) > 0).sum() == 1


def test_the_flip_is_visible_for_the_centre(links):
    update_conv_links(links, ("x", 1, 1))
    labels = [t.get_text() for t in links["texts"][2]]      # y11 y12 y21 y22, row-major
    assert [s.split("·")[1] for s in labels] == ["k₂₂", "k₂₁", "k₁₂", "k₁₁"]


def test_bad_cells_are_explained(links):
    with pytest.raises(ValueError, match="outside the 2x2 output"):
        update_conv_links(links, ("y", 2, 0))
    with pytest.raises(ValueError, match="outside the 3x3 input"):
        update_conv_links(links, ("x", 0, 3))
    with pytest.raises(ValueError, match="must be"):
        update_conv_links(links, ("k", 0, 0))


def test_frames_and_widget():
    cells = conv_links_cells((3, 3), (2, 2))
    assert len(cells) == 4 + 9
    step = conv_links_frames((3, 3), (2, 2))
    first, other = step(cells[0][1]), step(("x", 1, 1))
    assert first[:4] == b"\x89PNG" and first != other and step(cells[0][1]) == first
    uncached = conv_links_frames((3, 3), (2, 2), cache=False)
    assert uncached(cells[0][1]) == first and uncached(("x", 1, 1)) == other
    assert uncached(cells[0][1]) == first                  # blitting restores the same picture
    w = conv_links_widget((4, 4), (3, 3))
    dropdown = w.children[0]
    assert len(dropdown.options) == 4 + 16
    first = w.image.value
    dropdown.value = ("x", 3, 3)
    assert w.image.value != first


# ---------------------------------------------------------------------------------- chapter 08

from cnnlib import functional as F  # noqa: E402
from cnnlib.backprop_tools import dilate  # noqa: E402
from cnnlib.viz.backprop import (dilation_figure, draw_dilation, draw_pool_backward,  # noqa: E402
                                 pool_windows)
from cnnlib.widgets.backprop import pool_backward_frames, pool_backward_widget, pool_dout  # noqa: E402

X6 = np.array([[8., 6., 5., 2., 3., 0.],
               [0., 0., 1., 8., 6., 9.],
               [5., 6., 9., 7., 6., 5.],
               [5., 9., 2., 8., 6., 0.],
               [3., 8., 5., 0., 7., 7.],
               [8., 1., 0., 8., 0., 5.]])


def values(pair):
    return np.array([float(Fraction(t.get_text())) for t in pair[1]])  # '0.5', '-2', '5/4' 


def test_dilation_panels_follow_the_equations():
    dout, w = np.array([[1., 2.], [3., 4.]]), np.array([[1., 0., -1.], [2., 1., 0.], [0., 1., 1.]])
    fig, axes = dilation_figure(dout.shape, w.shape, 2)
    drawn = draw_dilation(axes, dout, w, 2)
    np.testing.assert_array_equal(values(drawn[1]), [1, 0, 2, 0, 0, 0, 3, 0, 4])
    assert drawn[2][0].get_array().shape == (7, 7)                    # 3x3 padded by 2 each side
    np.testing.assert_array_equal(values(drawn[3]), w[::-1, ::-1].ravel())
    x = np.zeros((5, 5))
    dx, _, _ = F.conv2d_backward(dout[None, None], x[None, None], w[None, None], stride=2)
    np.testing.assert_array_equal(values(drawn[4]), dx[0, 0].ravel())  # the picture is the gradient
    plt.close(fig)
    with pytest.raises(ValueError, match="5 axes"):
        draw_dilation(axes[:3], dout, w, 2)


def test_pool_windows_follow_the_floor():
    assert pool_windows((6, 6), 3, 2) == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert len(pool_windows((7, 5), 2, 2)) == 3 * 2


@pytest.mark.parametrize("kind, size, stride", [("max", 2, 2), ("max", 3, 2), ("avg", 2, 1),
                                                ("avg", 3, 2), ("max", 4, 4)])
def test_pool_backward_shows_the_library_gradient(kind, size, stride):
    fig, axes = plt.subplots(1, 3)
    dout = pool_dout(X6.shape, size, stride)
    drawn = draw_pool_backward(axes, X6, dout, kind, size, stride, window=dout.size - 1)
    backward = F.max_pool2d_backward if kind == "max" else F.avg_pool2d_backward
    want = backward(dout[None, None], X6[None, None], size, stride)[0, 0]
    np.testing.assert_allclose(drawn["dx"], want)
    np.testing.assert_allclose(values(drawn["panels"][2]), want.ravel(), rtol=1e-2)  # 3 digits shown
    assert np.isclose(drawn["dx"].sum(), dout.sum())        # each window hands on exactly its dout
    caption = drawn["caption"].get_text()
    assert ("overlap" in caption) == (stride < size)
    assert ("gradient 0 there" in caption) == ((6 - size) % stride != 0)
    r, c = pool_windows(X6.shape, size, stride)[-1]
    assert drawn["boxes"][0].get_xy() == (c - 0.5, r - 0.5)
    plt.close(fig)


def test_max_pool_overlap_collects_in_the_centre():
    fig, axes = plt.subplots(1, 3)
    drawn = draw_pool_backward(axes, X6, pool_dout(X6.shape, 3, 2), "max", 3, 2)
    assert drawn["dx"][2, 2] == 1 + 2 + 3 + 4                 # the 9 is the max of all four windows
    plt.close(fig)


def test_pool_backward_bad_input():
    fig, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="'max' or 'avg'"):
        draw_pool_backward(axes, X6, np.ones((3, 3)), "min", 2, 2)
    with pytest.raises(ValueError, match=r"\(3, 3\)"):
        draw_pool_backward(axes, X6, np.ones((2, 2)), "max", 2, 2)
    with pytest.raises(ValueError, match="9 windows"):
        draw_pool_backward(axes, X6, np.ones((3, 3)), "max", 2, 2, window=9)
    plt.close(fig)


def test_pool_frames_and_widget():
    step = pool_backward_frames(X6)
    a, b = step(("max", 2, 2, 0)), step(("avg", 2, 2, 0))
    assert a[:4] == b"\x89PNG" and a != b and step(("max", 2, 2, 0)) == a
    step(("max", 3, 2, 11))                                   # window index wraps around
    uncached = pool_backward_frames(X6, cache=False)
    assert uncached(("max", 2, 2, 0)) == a and uncached(("avg", 2, 2, 0)) == b
    assert uncached(("max", 2, 2, 0)) == a                    # blitting restores the same picture
    w = pool_backward_widget(X6)
    kind, size, stride, window = w.children[:4]
    assert window.max == 8
    first = w.image.value
    size.value, stride.value = 3, 1
    assert window.max == 15 and w.image.value != first


def test_mark_dout_cell_follows_one_gradient_entry():
    from cnnlib.viz.backprop import mark_dout_cell
    from cnnlib.widgets.backprop import dilation_frames, dilation_widget
    G2, k3 = np.array([[1., 2.], [3., 4.]]), np.ones((3, 3))
    fig, axes = dilation_figure(G2.shape, k3.shape, 2)
    draw_dilation(axes, G2, k3, 2)
    boxes = mark_dout_cell(axes, G2.shape, k3.shape, 2, (1, 0))
    corners = [(b.get_y() + 0.5, b.get_x() + 0.5, b.get_height(), b.get_width()) for b in boxes]
    # dout[1, 0] -> D[2, 0] -> padded D[4, 2] -> the 3x3 block of dx_pad at (2, 0)
    assert corners == [(1, 0, 1, 1), (2, 0, 1, 1), (4, 2, 1, 1), (2, 0, 3, 3)]
    # that block is where dout[1, 0] alone lands: the full convolution of a one-hot D
    one = np.zeros((2, 2))
    one[1, 0] = 1.0
    dx_one = F.convolve2d(dilate(one, 2), k3, mode="full")
    assert set(zip(*np.nonzero(dx_one))) == {(r, c) for r in range(2, 5) for c in range(0, 3)}
    assert mark_dout_cell(axes, G2.shape, k3.shape, 2, (0, 1), boxes) is boxes
    assert (boxes[3].get_y() + 0.5, boxes[3].get_x() + 0.5) == (0, 2)
    with pytest.raises(ValueError, match="outside"):
        mark_dout_cell(axes, G2.shape, k3.shape, 2, (2, 0))
    plt.close(fig)
    step = dilation_frames(G2, k3)
    a, b = step((2, (0, 0))), step((2, (1, 1)))
    assert a[:4] == b"\x89PNG" and a != b and step((2, (0, 0))) == a
    uncached = dilation_frames(G2, k3, cache=False)
    assert uncached((2, (0, 0))) == a and uncached((2, (1, 1))) == b and uncached((2, (0, 0))) == a
    w = dilation_widget(G2, k3)
    stride, cell = w.children[:2]
    first, narrow = w.image.value, w.image.layout.width
    stride.value = 3                                        # a wider picture, shown at its own width
    assert w.image.value != first and w.image.layout.width != narrow
    cell.value = (0, 0)


def test_average_pool_gradients_are_written_as_shares():
    from cnnlib.viz.backprop import SharesOf
    assert [SharesOf(9).format(v) for v in (1 / 9, 10 / 9, 2.0, 0.0, 0.123)] == ["1/9", "10/9", "2", "0", "0.123"]
    assert SharesOf(4).format(1.25) == "5/4"

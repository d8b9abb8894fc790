"""cnnlib.viz.why (chapter 01) and its widget's redraw: drawn on the Agg backend, no browser."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.viz import why  # noqa: E402
from cnnlib.widgets.common import full_redraw  # noqa: E402
from cnnlib.widgets.why import shift_redraw, shift_widget  # noqa: E402

SOBEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def stroke_image():
    img = np.zeros((12, 10))
    img[3:8, 4] = 1.0
    img[7, 4:7] = 0.5
    return img


def shift_loops(img, dy, dx):
    """Loop version: out[r, c] = img[r - dy, c - dx] where that is inside, else 0."""
    H, W = img.shape
    out = np.zeros_like(img)
    for r in range(H):
        for c in range(W):
            if 0 <= r - dy < H and 0 <= c - dx < W:
                out[r, c] = img[r - dy, c - dx]
    return out


@pytest.mark.parametrize("dy, dx", [(0, 0), (1, 0), (0, -2), (-3, 4), (11, 0), (0, -10), (50, 50)])
def test_shift_image_matches_loops_and_keeps_input(dy, dx):
    img = np.arange(120.0).reshape(12, 10)
    before = img.copy()
    out = why.shift_image(img, dy, dx)
    np.testing.assert_array_equal(out, shift_loops(img, dy, dx))
    np.testing.assert_array_equal(img, before)
    assert out.dtype == img.dtype


def test_shift_image_rejects_batches():
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        why.shift_image(np.zeros((1, 4, 4)), 1, 1)


def test_shuffle_pixels_is_a_fixed_permutation():
    rng = np.random.default_rng(0)
    images = rng.random((3, 1, 4, 5))
    perm = rng.permutation(20)
    out = why.shuffle_pixels(images, perm)
    assert out.shape == images.shape
    np.testing.assert_array_equal(out.reshape(3, -1), images.reshape(3, -1)[:, perm])
    # undoing with the inverse permutation gives the images back
    np.testing.assert_array_equal(why.shuffle_pixels(out, np.argsort(perm)), images)
    with pytest.raises(ValueError, match="permutation"):
        why.shuffle_pixels(images, np.zeros(20, int))


def test_dense_layer_cannot_tell_shuffled_pixels():
    # eq. (1.1): W[:, perm] on shuffled pixels gives the same outputs as W on the originals
    rng = np.random.default_rng(1)
    x = rng.random((4, 36))
    perm = rng.permutation(36)
    W = rng.standard_normal((5, 36))
    np.testing.assert_allclose(x[:, perm] @ W[:, perm].T, x @ W.T)


def test_equivariance_away_from_the_border():
    img = stroke_image()
    for dy, dx in [(1, 2), (-2, -3), (3, 2)]:
        left = why.feature_map(why.shift_image(img, dy, dx), SOBEL)
        right = why.shift_image(why.feature_map(img, SOBEL), dy, dx)
        np.testing.assert_array_equal(left, right)


def test_draw_shuffle_and_templates():
    rng = np.random.default_rng(2)
    images = rng.random((3, 4, 4))
    perm = rng.permutation(16)
    fig, axes = plt.subplots(2, 3)
    drawn = why.draw_shuffle(axes, images, perm)
    np.testing.assert_array_equal(drawn[0][1].get_array(), images[1])
    np.testing.assert_array_equal(drawn[1][2].get_array(), images[2].ravel()[perm].reshape(4, 4))
    fig2, axes2 = plt.subplots(1, 2)
    w = np.array([np.arange(16.0) - 8, np.ones(16)])
    shown = why.draw_templates(axes2, w, shape=(4, 4), titles=["a", "b"])
    assert len(shown) == 2 and shown[0].get_clim() == (-8.0, 8.0) and axes2[1].get_title() == "b"
    plt.close("all")


def test_draw_param_counts_labels_exact_numbers():
    fig, ax = plt.subplots()
    bars = why.draw_param_counts(ax, {"dense a": 78500, "conv b": 10})
    assert [b.get_width() for b in bars] == [78500, 10]
    texts = [t.get_text() for t in ax.texts]
    assert "78,500" in texts and "10" in texts and ax.get_xscale() == "log"
    plt.close(fig)


def test_draw_shift_then_update_moves_input_map_and_marks():
    img = stroke_image()
    fig, (a, b) = plt.subplots(1, 2)
    artists = why.draw_shift(a, b, img, SOBEL, 0, 0)
    np.testing.assert_array_equal(artists["output"].get_array(), F.correlate2d(img, SOBEL, "same"))
    x0, y0 = artists["marks"][0].get_data()
    why.update_shift(artists, img, SOBEL, 2, -1)
    np.testing.assert_array_equal(artists["input"].get_array(), why.shift_image(img, 2, -1))
    np.testing.assert_array_equal(artists["output"].get_array(),
                                  F.correlate2d(why.shift_image(img, 2, -1), SOBEL, "same"))
    x1, y1 = artists["marks"][1].get_data()
    assert (x1[0] - x0[0], y1[0] - y0[0]) == pytest.approx((-1, 2))
    assert "dy=2, dx=-1" in a.get_title()
    plt.close(fig)


def test_widget_redraw_returns_png_and_widget_builds():
    img = stroke_image()
    fig, redraw = shift_redraw(img, SOBEL)
    first, second = redraw(0, 0), redraw(2, 1)
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first != second
    box = shift_widget(img, SOBEL, max_shift=3)
    sliders = box.children[0].children[:2]
    assert [s.max for s in sliders] == [3, 3]
    width, _ = Image.open(io.BytesIO(box.children[1].value)).size
    assert box.children[1].layout.width == f"{width}px"  # shown at its own size, not stretched (blurry)


def test_blitted_redraw_equals_a_full_draw():
    # the widget redraws only the moving artists (and the frames) over a cached background:
    # the picture must be exactly what drawing the whole figure again would give
    fig, redraw = shift_redraw(stroke_image(), SOBEL)
    redraw(0, 0)
    blitted = np.asarray(Image.open(io.BytesIO(redraw(2, -3))).convert("RGB"))
    np.testing.assert_array_equal(blitted, full_redraw(fig))

"""Chapter 06 drawing (cnnlib/viz/forward.py) and widget machinery (cnnlib/widgets/forward.py)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.viz.forward import draw_filter_sum, filter_sum_figure, update_filter_sum  # noqa: E402
from cnnlib.widgets.forward import filter_sum_frames, filter_sum_widget  # noqa: E402

rng = np.random.default_rng(0)
X = rng.integers(0, 4, size=(3, 4, 4)).astype(float)
W = rng.integers(-1, 2, size=(2, 3, 2, 2)).astype(float)
B = np.array([1.0, -2.0])


def numbers(pair):
    """The values written in a draw_matrix panel, as a float array in row-major order."""
    return np.array([float(t.get_text()) for t in pair[1]])


@pytest.fixture
def drawn():
    fig, axes = filter_sum_figure(3)
    yield draw_filter_sum(axes, X, W, B, 0)
    plt.close(fig)


def test_panels_show_the_equation(drawn):
    out = F.conv2d(X[None], W, B)[0]
    np.testing.assert_array_equal(numbers(drawn["y"]), out[0].ravel())
    for j in range(3):
        np.testing.assert_array_equal(numbers(drawn["x"][j]), X[j].ravel())
        np.testing.assert_array_equal(numbers(drawn["k"][j]), W[0, j].ravel())
        np.testing.assert_array_equal(numbers(drawn["corr"][j]), F.correlate2d(X[j], W[0, j]).ravel())
    # Y_i = B_i + the sum of the bottom row, read back from the drawing itself
    total = sum(numbers(drawn["corr"][j]) for j in range(3)) + numbers(drawn["bias"])
    np.testing.assert_array_equal(total, numbers(drawn["y"]))
    assert set(numbers(drawn["bias"])) == {1.0}
    assert "tied" in drawn["note"].get_text()
    assert drawn["axes"][2, 1].get_title() == "X₂ ⋆ K₁₂"


def test_update_in_place_matches_filter_2(drawn):
    texts_before = [t for t in drawn["y"][1]]
    update_filter_sum(drawn, X, W, B, 1)
    assert drawn["y"][1] == texts_before                     # the same Text objects, new values
    np.testing.assert_array_equal(numbers(drawn["y"]), F.conv2d(X[None], W, B)[0, 1].ravel())
    assert drawn["axes"][1, 0].get_title() == "K₂₁"
    lo, hi = drawn["y"][0].get_clim()
    assert lo == -hi and hi == np.abs(F.conv2d(X[None], W, B)[0, 1]).max()


def test_untied_bias_is_drawn_as_a_matrix():
    b_untied = rng.normal(size=(2, 3, 3)).round(1)
    fig, axes = filter_sum_figure(3)
    d = draw_filter_sum(axes, X, W, b_untied, 1, fmt="{:.1f}")
    np.testing.assert_allclose(numbers(d["bias"]), b_untied[1].ravel())
    np.testing.assert_allclose(numbers(d["y"]), F.conv2d(X[None], W, b_untied)[0, 1].ravel(), atol=0.051)
    assert "untied" in d["note"].get_text()
    plt.close(fig)


def test_bad_input_is_explained():
    fig, axes = filter_sum_figure(2)
    with pytest.raises(ValueError, match="3, 4"):
        draw_filter_sum(axes, X, W, B, 0)                    # 3 channels need a (3, 4) grid
    fig2, axes2 = filter_sum_figure(3)
    with pytest.raises(ValueError, match="out of range"):
        draw_filter_sum(axes2, X, W, B, 2)
    with pytest.raises(ValueError, match="same C"):
        draw_filter_sum(axes2, X[:2], W, B, 0)
    plt.close(fig)
    plt.close(fig2)


def test_frames_are_png_and_change_with_the_filter():
    step = filter_sum_frames(X, W, B)
    first, second, again = step(0), step(1), step(0)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first != second and first == again


def test_uncached_frames_restore_the_same_picture():
    step = filter_sum_frames(X, W, B, cache=False)           # every call renders (blitting)
    first, second, again = step(0), step(1), step(0)
    assert first != second and first == again               # the background is restored each time


def test_widget_builds_with_one_slider():
    w = filter_sum_widget(X, W, B)
    slider = w.children[0]
    assert (slider.min, slider.max, slider.value) == (1, 2, 1)
    first = w.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert w.image.layout.width == "{}px".format(int.from_bytes(first[16:20], "big"))  # PNG width
    slider.value = 2                                          # runs the redraw without a browser
    assert w.image.value != first                             # the same Image widget, new bytes


def test_photo_version_draws_pictures_on_one_scale():
    from cnnlib.viz.forward import draw_filter_sum_images
    img = rng.random((3, 12, 10))
    w = rng.normal(size=(2, 3, 3, 3))
    fig, axes = filter_sum_figure(3)
    d = draw_filter_sum_images(axes, img, w, np.array([0.5, -1.0]), 1)
    y = F.conv2d(img[None], w, np.array([0.5, -1.0]))[0, 1]
    np.testing.assert_allclose(d["y"].get_array(), y)
    red_alone = d["x"][0].get_array()
    assert red_alone.shape == (12, 10, 3) and np.all(red_alone[..., 1:] == 0)
    np.testing.assert_allclose(red_alone[..., 0], img[0])
    clims = {d["y"].get_clim()} | {im.get_clim() for im in d["corr"]}
    assert len(clims) == 1                                    # one shared, symmetric scale
    lo, hi = clims.pop()
    assert lo == -hi and hi >= np.abs(y).max() - 1e-9
    assert "-1" in d["note"].get_text()
    with pytest.raises(ValueError, match="same C"):
        draw_filter_sum_images(axes, img[:2], w, None, 0)
    plt.close(fig)

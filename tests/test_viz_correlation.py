"""cnnlib.viz.correlation (chapter 02) and its widgets' redraws: drawn on the Agg backend, no browser."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.viz import correlation as corr  # noqa: E402
from cnnlib.widgets.common import full_redraw  # noqa: E402
from cnnlib.widgets.correlation import (filter_redraw, filter_widget, smoothing_redraw,  # noqa: E402
                                        smoothing_widget)

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"


@pytest.mark.parametrize("kind", corr.WINDOW_KINDS)
@pytest.mark.parametrize("size", [1, 3, 9])
def test_window_weights_sum_to_one_and_are_symmetric(kind, size):
    w = corr.window_weights(kind, size)
    assert w.shape == (size,)
    assert w.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(w, w[::-1])
    assert np.argmax(w) == size // 2 or kind == "box"


def test_window_weights_values_and_errors():
    np.testing.assert_allclose(corr.window_weights("triangle", 3), [0.25, 0.5, 0.25])
    np.testing.assert_allclose(corr.window_weights("box", 5), np.full(5, 0.2))
    with pytest.raises(ValueError, match="odd"):
        corr.window_weights("box", 4)
    with pytest.raises(ValueError, match="kind"):
        corr.window_weights("hat", 3)


def test_smooth_is_a_moving_average():
    signal = np.array([2.0, 4.0, 6.0, 4.0, 2.0])
    out = corr.smooth(signal, np.full(3, 1 / 3))
    # middle samples: mean of the three around them; ends: zeros outside count in the mean
    np.testing.assert_allclose(out, [2.0, 4.0, 14 / 3, 4.0, 2.0])


def test_draw_and_update_smoothing():
    rng = np.random.default_rng(0)
    signal = rng.standard_normal(50)
    fig, ax = plt.subplots()
    drawn = corr.draw_smoothing(ax, signal, corr.window_weights("box", 5), clean=np.zeros(50))
    np.testing.assert_allclose(drawn["average"].get_ydata(), np.convolve(signal, np.full(5, 0.2), "same"))
    np.testing.assert_array_equal(drawn["samples"].get_ydata(), signal)
    corr.update_smoothing(drawn, signal, corr.window_weights("gaussian", 9))
    np.testing.assert_allclose(drawn["average"].get_ydata(),
                               np.convolve(signal, corr.window_weights("gaussian", 9), "same"))
    assert "9 samples" in ax.get_title()
    plt.close(fig)


def test_window_sum_text_and_drawing():
    X = np.arange(9.0).reshape(3, 3)
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    assert corr.window_sum_text(X, K, 0, 0) == "0*0 + 1*1 + 3*2 + 4*3 = 19"
    assert corr.window_sum_text(X, K, 1, 1).endswith("= 43")
    fig, ax = plt.subplots()
    image, texts, rect = corr.draw_window_sum(ax, X, K, 1, 0)
    assert rect.get_xy() == (-0.5, 0.5) and (rect.get_width(), rect.get_height()) == (2, 2)
    assert [t.get_text() for t in texts] == [f"{v:g}" for v in range(9)]
    assert "= 37" in ax.get_title()
    plt.close(fig)


def test_draw_modes_shapes():
    fig, axes = plt.subplots(1, 3)
    outs = corr.draw_modes(axes, np.ones((4, 5)), np.ones((3, 2)))
    assert [o.shape for o in outs] == [(2, 4), (4, 5), (6, 6)]
    assert [ax.get_title() for ax in axes] == ["'valid': 2x4", "'same': 4x5", "'full': 6x6"]
    plt.close(fig)


def test_presets_on_a_ramp():
    ramp = np.tile(np.arange(6.0), (5, 1))  # brightness rises left to right by 1 per column
    inner = (slice(1, -1), slice(1, -1))    # away from the zero padding
    np.testing.assert_allclose(corr.apply_filter(ramp, corr.PRESETS["identity"]), ramp)
    np.testing.assert_allclose(corr.apply_filter(ramp, corr.PRESETS["blur"])[inner], ramp[inner])
    np.testing.assert_allclose(corr.apply_filter(ramp, corr.PRESETS["sharpen"])[inner], ramp[inner])
    # weights [1, 0, -1] per row: left neighbour minus right one = -2, times the row weights 1 + 2 + 1
    np.testing.assert_allclose(corr.apply_filter(ramp, corr.PRESETS["edge (vertical)"])[inner], -8.0)
    np.testing.assert_allclose(corr.apply_filter(ramp, corr.PRESETS["edge (horizontal)"])[inner], 0.0)
    np.testing.assert_allclose(corr.apply_filter(ramp, corr.PRESETS["outline"])[inner], 0.0)


def test_apply_filter_colour_channels_and_display():
    rng = np.random.default_rng(1)
    photo = rng.random((3, 6, 7))
    before = photo.copy()
    k = corr.PRESETS["edge (vertical)"]
    out = corr.apply_filter(photo, k)
    assert out.shape == (3, 6, 7)
    for c in range(3):
        np.testing.assert_allclose(out[c], F.correlate2d(photo[c], k, "same"))
    np.testing.assert_array_equal(photo, before)
    shown = corr.filter_display(out, k)
    assert shown.shape == (6, 7, 3) and shown.min() >= 0 and shown.max() <= 1
    np.testing.assert_allclose(corr.filter_display(np.zeros((2, 2)), k), 0.5)  # zero-sum kernel: 0 is grey
    np.testing.assert_allclose(corr.filter_display(np.array([[2.0, -1.0]]), corr.PRESETS["blur"]), [[1.0, 0.0]])
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        corr.apply_filter(np.zeros((1, 2, 3, 4)), k)


def test_draw_filter_and_update():
    rng = np.random.default_rng(2)
    img = rng.random((8, 9))
    fig, axes = plt.subplots(1, 3)
    drawn = corr.draw_filter(*axes, img, corr.PRESETS["identity"])
    assert len(drawn["borders"]) == 2 and len(drawn["texts"]) == 9
    np.testing.assert_allclose(drawn["output"].get_array(), img)
    corr.update_filter(drawn, img, corr.PRESETS["sharpen"])
    assert [t.get_text() for t in drawn["texts"]] == ["0", "-1", "0", "-1", "5", "-1", "0", "-1", "0"]
    expected = np.clip(F.correlate2d(img, corr.PRESETS["sharpen"], "same"), 0, 1)
    np.testing.assert_allclose(drawn["output"].get_array(), expected)
    plt.close(fig)


def test_draw_filter_grid():
    names = ["identity", "blur"]
    fig, axes = plt.subplots(3, 2)
    outs = corr.draw_filter_grid(axes, [np.eye(5), np.ones((3, 5, 5))], names, labels=["a", "b"])
    assert len(outs) == 2 and outs[1][1].shape == (3, 5, 5)
    assert axes[0, 1].get_title() == "blur" and axes[2, 0].get_ylabel() == "b"
    plt.close(fig)


def test_widget_redraws_return_changing_pngs():
    rng = np.random.default_rng(3)
    signal = rng.standard_normal(40)
    _, redraw = smoothing_redraw(signal)
    a, b = redraw("box", 3), redraw("gaussian", 15)
    assert a.startswith(PNG) and a != b
    images = {"digit": rng.random((28, 28)), "photo": rng.random((3, 20, 16))}
    _, redraw = filter_redraw(images, "digit")
    first = redraw("digit", corr.PRESETS["identity"])
    assert first.startswith(JPEG) and redraw("digit", corr.PRESETS["blur"]) != first
    assert redraw("photo", corr.PRESETS["blur"]).startswith(JPEG)  # switching images rebuilds the panels
    assert redraw("digit", corr.PRESETS["identity"]) == first


def test_filter_widget_preset_fills_boxes():
    images = {"digit": np.eye(6)}
    box = filter_widget(images)
    preset, _ = box.children[0].children[0].children
    boxes = box.children[0].children[1].children
    picture = box.children[1]
    before = picture.value
    preset.value = "sharpen"
    assert [b.value for b in boxes] == [0.0, -1.0, 0.0, -1.0, 5.0, -1.0, 0.0, -1.0, 0.0]
    assert picture.value != before
    boxes[4].value = 1.0
    assert bytes(smoothing_widget(np.zeros(10)).children[1].value).startswith(PNG)


def decode(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def test_blitted_redraws_equal_a_full_draw():
    # only the moving artists are redrawn over a cached background; the result must be the whole figure
    rng = np.random.default_rng(4)
    fig, redraw = smoothing_redraw(rng.standard_normal(60), np.zeros(60))
    redraw("box", 3)
    np.testing.assert_array_equal(decode(redraw("gaussian", 9)), full_redraw(fig))
    images = {"digit": rng.random((28, 28)), "photo": rng.random((3, 20, 16))}
    fig, redraw = filter_redraw(images, "digit")
    redraw("digit", corr.PRESETS["identity"])
    for name in ("digit", "photo"):  # editing a kernel, then switching to another image
        shown = decode(redraw(name, corr.PRESETS["emboss"]))
        again = io.BytesIO()
        Image.fromarray(full_redraw(fig)).save(again, format="jpeg", quality=92)  # the Blitter's JPEG settings
        # equal but for anti-aliasing on the kernel's cell borders (drawn over the grid lines, not beside them)
        difference = np.abs(shown - decode(again.getvalue()))
        assert difference.max() <= 24 and difference.mean() < 0.5


def test_kernel_numbers_are_short():
    assert [corr.kernel_number(v) for v in (1 / 9, -0.25, 0.5, 2.0, 0.0, 0.3)] == ["1/9", "-1/4", "1/2", "2", "0",
                                                                                 "0.3"]

"""Chapter 05 drawing and widget: pooling steps, flatten order, network shapes (cnnlib/viz/pooling.py,
cnnlib/widgets/pooling.py)."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU  # noqa: E402
from cnnlib.model import Sequential  # noqa: E402
from cnnlib.viz.pooling import draw_flatten, draw_network_shapes, draw_pool_frames, draw_pool_step  # noqa: E402
from cnnlib.widgets.pooling import example_channel, pool_figure, pool_stepper  # noqa: E402
from cnnlib.widgets.sliding import Blitter  # noqa: E402

X = np.array([[1., 5., 2., 0., 3.],
              [4., 2., 9., 1., 1.],
              [0., 7., 3., 3., 8.],
              [6., 1., 2., 5., 2.],
              [2., 2., 4., 0., 1.]])


def test_output_is_the_library_pooling():
    for kind, fn in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
        fig, axes = plt.subplots(1, 2)
        steps = draw_pool_step(axes, X, 3, 2, kind)
        np.testing.assert_allclose(steps.out, fn(X[None, None], 3, 2)[0, 0])
        assert steps.out.shape == (2, 2)
        plt.close(fig)


def test_set_step_window_ring_and_text():
    fig, axes = plt.subplots(1, 2)
    steps = draw_pool_step(axes, X, 2, 1, "max")  # overlapping windows: 4x4 outputs
    assert steps.n_steps == 16 and "overlap" in axes[0].get_title()
    steps.set_step(6)  # out[1, 2]: rows 1-2, columns 2-3: 9 1 / 3 3 -> max 9 at (1, 2)
    assert steps.window_box.get_xy() == (2 - 0.5, 1 - 0.5)
    assert steps.ring.get_xy() == pytest.approx((2 - 0.4, 1 - 0.4))
    assert steps.describe(6).endswith("= 9")
    assert steps.out_box.get_xy() == (2 - 0.5, 1 - 0.5)
    with pytest.raises(ValueError, match="step must be in 0..15"):
        steps.set_step(16)
    plt.close(fig)


def test_first_maximum_wins_ties():
    fig, axes = plt.subplots(1, 2)
    steps = draw_pool_step(axes, np.ones((2, 2)), 2, 2, "max")
    assert steps.ring.get_xy() == pytest.approx((-0.4, -0.4))  # top-left, as np.argmax
    plt.close(fig)


def test_average_text_and_no_ring():
    fig, axes = plt.subplots(1, 2)
    steps = draw_pool_step(axes, X, 2, 2, "avg", step=3)
    assert steps.ring is None
    assert "mean (sum / 4)" in steps.describe(3) and steps.describe(3).endswith(f"{steps.out[1, 1]:.4g}")
    plt.close(fig)


def test_unreached_rows_and_columns():
    fig, axes = plt.subplots(1, 2)
    steps = draw_pool_step(axes, X, 2, 2, "max")  # floor((5 - 2) / 2) + 1 = 2: row 4, column 4 unused
    assert len(steps.unreached) == 2 and steps.unreached[0].get_y() == 3.5
    plt.close(fig)
    fig, axes = plt.subplots(1, 2)
    assert draw_pool_step(axes, X, 3, 2, "max").unreached == []  # 0-2, 2-4: everything covered
    plt.close(fig)
    fig, axes = plt.subplots(1, 2)
    steps = draw_pool_step(axes, X, 1, 2, "max")  # 1x1 windows every 2: rows / columns 1 and 3 unused
    # rows 1 and 3 across the width; columns 1 and 3 only on rows 0, 2, 4 (no cell hatched twice)
    assert len(steps.unreached) == 2 + 2 * 3
    area = sum(r.get_width() * r.get_height() for r in steps.unreached)
    assert area == 5 * 5 - 3 * 3   # every cell outside the 3 x 3 reached ones, once
    plt.close(fig)


def test_bad_input():
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="'max' or 'avg'"):
        draw_pool_step(axes, X, 2, 2, "min")
    with pytest.raises(ValueError, match="one channel"):
        draw_pool_step(axes, X[None], 2, 2)
    with pytest.raises(ValueError, match="does not fit"):
        draw_pool_step(axes, X, 6, 1)
    fig2, axes2 = plt.subplots(2, 2)
    with pytest.raises(ValueError, match=r"axes of shape \(2, 3\)"):
        draw_pool_frames(axes2, X, steps=(0, 1, 2))
    plt.close("all")


def test_flatten_labels_are_reshape_order():
    fig, ax = plt.subplots()
    shape = (2, 3, 4)
    drawn = draw_flatten(ax, shape)
    labels = np.array([int(t.get_text()) for t in drawn["grid_texts"]]).reshape(shape)
    x = np.arange(24).reshape(shape) * 10  # any array: position k of reshape(-1) holds x[c, i, j]
    flat = x.reshape(-1)
    for c, i, j in np.ndindex(*shape):
        assert flat[labels[c, i, j]] == x[c, i, j]
    assert [t.get_text() for t in drawn["vector_texts"]] == [str(k) for k in range(24)]
    with pytest.raises(ValueError, match="positive sizes"):
        draw_flatten(ax, (0, 2, 2))
    plt.close(fig)


def test_network_shapes_follow_the_summary():
    model = Sequential(Conv2D(1, 16, 5), ReLU(), MaxPool2D(2), Conv2D(16, 32, 5), ReLU(), MaxPool2D(2),
                       Flatten(), Dense(512, 10))
    rows = model.summary((1, 28, 28)).rows
    fig, ax = plt.subplots()
    drawn = draw_network_shapes(ax, rows, max_depth=8)
    # 1 + 8 + 8 + 8 + 8 + 8 + 8 stacked squares for the 3-D outputs, then 2 bars
    assert len(drawn) == 1 + 6 * 8 + 2
    texts = [t.get_text() for t in ax.texts]
    for shape in ("1x28x28", "16x24x24", "16x12x12", "32x8x8", "32x4x4", "512", "10"):
        assert shape in texts
    assert "5,130 params" in texts
    # the maps are drawn to scale: the 28-high input is 7 times as tall as the 4-high last map
    heights = {round(r.get_height(), 6) for r in drawn[:-2]}
    assert max(heights) / min(heights) == pytest.approx(28 / 4)
    with pytest.raises(ValueError, match="at least one row"):
        draw_network_shapes(ax, [])
    plt.close(fig)


def test_blitted_frames_change_and_return():
    fig, steps = pool_figure(example_channel(6), 2, 2, "max")
    blitter = Blitter(fig, steps.animated)
    frames = []
    for step in (0, 4, 0):
        steps.set_step(step)
        frames.append(np.asarray(Image.open(io.BytesIO(blitter.render()))))
    assert not np.array_equal(frames[0], frames[1])
    np.testing.assert_array_equal(frames[0], frames[2])


def test_widget_follows_the_controls():
    view = pool_stepper()
    stepper = view.stepper
    first = stepper.image.value
    assert stepper.step.max == 8  # 6x6, window 2, stride 2: 3x3
    stepper.step.value = 8
    assert stepper.image.value != first and "out[2, 2]" in stepper.text.value
    stepper.stride.value = 1  # overlapping: 5x5
    assert stepper.step.max == 24 and stepper.steps.out.shape == (5, 5)
    stepper.kind.value = "avg"
    assert "mean" in stepper.text.value
    stepper.size.value = 4
    stepper.n.value = 3
    assert "does not fit" in stepper.message.value

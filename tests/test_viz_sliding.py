"""Chapter 03 drawing and widget: the sliding window (cnnlib/viz/sliding.py, cnnlib/widgets/sliding.py)."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.viz.sliding import (dot_product_text, draw_conv_frames, draw_conv_step,  # noqa: E402
                                unreached_runs)
from cnnlib.widgets.sliding import Blitter, conv_figure, conv_stepper, example_input  # noqa: E402

X = np.arange(36.0).reshape(6, 6)
W = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def draw(stride=1, padding=0, step=0, text=True):
    fig, axes = plt.subplots(1, 4 if text else 3)
    steps = draw_conv_step(axes, X, W, 0.5, stride, padding, step)
    return fig, axes, steps


def test_output_is_the_library_conv():
    _, _, steps = draw(stride=2, padding=1)
    want = F.conv2d(X[None, None], W[None, None], np.array([0.5]), 2, 1)[0, 0]
    np.testing.assert_allclose(steps.out, want)
    assert steps.out.shape == (F.output_size(6, 3, 1, 2),) * 2 == (3, 3)
    plt.close("all")


def test_set_step_moves_window_and_output_box():
    _, _, steps = draw(stride=2, padding=1)
    steps.set_step(5)  # out[1, 2]: window top-left at row 2, column 4 of the padded input
    assert steps.window_box.get_xy() == (4 - 0.5, 2 - 0.5)
    assert steps.out_box.get_xy() == (2 - 0.5, 1 - 0.5)
    assert "out[1, 2]" in steps.text.get_text()
    # covers: nothing left in row 1 after column 2, and row 2 fully covered
    assert steps.cover[0].get_width() == 0
    assert steps.cover[1].get_y() == 1.5 and steps.cover[1].get_height() == 1
    with pytest.raises(ValueError, match="step must be in 0..8"):
        steps.set_step(9)
    plt.close("all")


def test_dot_product_text_sums_to_the_output():
    _, _, steps = draw(padding="same")
    for step in (0, 7, 35):
        (i, j), (r, c) = steps.position(step)
        text = dot_product_text(steps.x_pad[r:r + 3, c:c + 3], W, 0.5)
        assert text.endswith(f"= {steps.out[i, j]:g}")
        assert text.count("×") == 9
    plt.close("all")


def test_zero_frame_and_unreached_marks():
    _, _, steps = draw(stride=2, padding=0)  # (6 - 3) // 2 + 1 = 2: row 5 and column 5 never reached
    assert steps.input["pad"] == []
    assert len(steps.input["unreached"]) == 2
    assert steps.input["unreached"][0].get_y() == 4.5
    plt.close("all")
    _, _, steps = draw(stride=1, padding=(0, 1, 0, 1))  # one row below and one column right
    assert len(steps.input["pad"]) == 2 and steps.input["unreached"] == []
    plt.close("all")
    _, _, steps = draw(stride=1, padding=1)
    assert len(steps.input["pad"]) == 4 and steps.input["unreached"] == []
    plt.close("all")


@pytest.mark.parametrize("length, f, s, runs", [
    (6, 3, 2, [(5, 1)]),          # the floor drops the last row
    (7, 3, 2, []),                # 0-2, 2-4, 4-6: everything covered
    (7, 2, 3, [(2, 1), (5, 2)]),  # s > f: a gap between windows, and a ragged end
    (5, 1, 2, [(1, 1), (3, 1)]),  # 1x1 kernel, stride 2: every other row
    (4, 4, 3, []),
])
def test_unreached_runs(length, f, s, runs):
    assert unreached_runs(length, f, s) == runs
    covered = set()
    for k in range(F.output_size(length, f, 0, s)):
        covered |= set(range(k * s, k * s + f))
    assert sorted(covered | {i for start, n in runs for i in range(start, start + n)}) == list(range(length))


def test_gaps_between_windows_are_marked():
    fig, axes = plt.subplots(1, 3)
    steps = draw_conv_step(axes, np.ones((7, 7)), np.ones((2, 2)), 0.0, stride=3, padding=0)
    ys = sorted(r.get_y() for r in steps.input["unreached"] if r.get_x() == -0.5 and r.get_width() == 7)
    assert ys == [1.5, 4.5]   # row 2 (between windows 0-1 and 3-4) and rows 5-6 (after the last)
    plt.close(fig)


def test_frames_and_bad_axes():
    fig, axes = plt.subplots(2, 3)
    frames = draw_conv_frames(axes, X, W, 0.0, 1, 0, steps=(0, 5, 15))
    assert [f.step for f in frames] == [0, 5, 15]
    assert axes[1, 2].get_title() == f"out[3, 3] = {frames[2].out[3, 3]:g}"
    with pytest.raises(ValueError, match=r"axes of shape \(2, 2\)"):
        draw_conv_frames(axes, X, W, steps=(0, 1))
    plt.close("all")


def test_bad_shapes_and_no_fit():
    fig, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="x must be"):
        draw_conv_step(axes, X[None], W)
    with pytest.raises(ValueError, match="does not fit"):
        draw_conv_step(axes, X[:2, :2], W)
    plt.close("all")


def test_blitter_frames():
    x, w = example_input(5, 3)
    fig, steps = conv_figure(x, w, 1.0, 1, "same")
    blitter = Blitter(fig, steps.animated)
    frames = []
    for step in (0, 1, 0):
        steps.set_step(step)
        frames.append(np.asarray(Image.open(io.BytesIO(blitter.render()))))
    assert frames[0].shape == frames[1].shape and frames[0].ndim == 3
    assert not np.array_equal(frames[0], frames[1])  # the window moved
    np.testing.assert_array_equal(frames[0], frames[2])  # going back restores the same picture


def test_widget_follows_the_controls():
    view = conv_stepper()
    stepper = view.stepper
    first = stepper.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert stepper.step.max == 8  # 5x5 input, 3x3 kernel, valid: 3x3 outputs
    stepper.step.value = 4
    assert stepper.image.value != first and "out[1, 1]" in stepper.text.value
    stepper.padding.value = "same"  # 5x5 outputs now
    assert stepper.step.max == 24 and stepper.steps.out.shape == (5, 5)
    stepper.stride.value = 2  # ceil(5 / 2) = 3 with 'same'
    assert stepper.steps.out.shape == (3, 3) and stepper.step.max == 8
    stepper.padding.value = "valid"
    stepper.f.value = 5
    stepper.n.value = 3  # a 5x5 kernel does not fit a 3x3 input without padding
    assert "does not fit" in stepper.message.value


def test_set_bias_matches_a_fresh_drawing():
    fig, axes = plt.subplots(1, 3)
    steps = draw_conv_step(axes, X, W, 0.0, stride=2, padding=1, step=3)
    clim = steps.out_image.get_clim()
    steps.set_bias(-2.5)
    fig2, axes2 = plt.subplots(1, 3)
    fresh = draw_conv_step(axes2, X, W, -2.5, stride=2, padding=1, step=3)
    np.testing.assert_allclose(steps.out, fresh.out)
    assert [t.get_text() for t in steps.out_texts] == [t.get_text() for t in fresh.out_texts]
    assert clim[0] == -clim[1]                                   # centred at 0 before and after
    assert steps.out_image.get_clim() == pytest.approx(fresh.out_image.get_clim())
    assert [t.get_color() for t in steps.out_texts] == [t.get_color() for t in fresh.out_texts]
    assert steps.kernel_title.get_text() == "kernel 3x3, b = -2.5"
    assert "+ b (-2.5)" in steps.describe(3)
    plt.close(fig)
    plt.close(fig2)


def test_widget_bias_keeps_the_figure():
    stepper = conv_stepper().stepper
    stepper.step.value = 2
    fig, before = stepper.blitter.fig, stepper.image.value
    out = stepper.steps.out.copy()
    stepper.bias.value = 2
    assert stepper.blitter.fig is fig            # no new figure for the bias alone
    np.testing.assert_allclose(stepper.steps.out, out + 2)
    assert stepper.image.value != before and "+ b 2 =" in stepper.text.value
    stepper.stride.value = 2                     # a real configuration change: a new figure, bias kept
    assert stepper.blitter.fig is not fig and stepper.steps.b == 2


@pytest.mark.parametrize("b", [2.0, -3.0])
def test_bias_shift_renders_the_same_picture_as_a_new_figure(b):
    x, w = example_input(5, 3)
    fig, steps = conv_figure(x, w, 0.0, 1, "valid")
    Blitter(fig, steps.animated)
    steps.set_bias(b)
    shifted = Blitter(fig, steps.animated)
    steps.set_step(4)
    fig2, fresh = conv_figure(x, w, b, 1, "valid")
    fresh.set_step(4)
    assert np.array_equal(shifted.pixels(), Blitter(fig2, fresh.animated).pixels())

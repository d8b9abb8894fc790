"""Tests for cnnlib.widgets.common: Blitter, figure_image, Stepper and the timing helpers."""
import io

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from cnnlib.viz.scale import legible  # noqa: E402
from cnnlib.widgets import controls  # noqa: E402

from cnnlib.widgets import sliding  # noqa: E402
from cnnlib.widgets.common import (Blitter, Stepper, figure_image, full_redraw, pixel_width, pre,  # noqa: E402
                                   time_calls, time_steps, timing_row)


def line_figure(shift, dpi=50):
    """A small figure: a still sine curve and a dot at x = shift (the dot is what moves)."""
    fig = Figure(figsize=(3, 2), dpi=dpi)
    ax = fig.add_subplot()
    t = np.linspace(0, 6, 50)
    ax.plot(t, np.sin(t), color="0.5")
    ax.set_xlim(0, 6)
    ax.set_ylim(-1.5, 1.5)
    (dot,) = ax.plot([shift], [0.0], "o", color="tab:red", markersize=10)
    return legible(fig), dot  # the text sizes a Blitter gives it, so fresh figures compare equal


def test_blitted_frame_equals_a_full_redraw():
    fig, dot = line_figure(1.0)
    blitter = Blitter(fig, [dot])
    for shift in (2.0, 4.5, 0.5):
        dot.set_data([shift], [0.0])
        blitted = blitter.pixels().copy()
        fresh, _ = line_figure(shift)
        np.testing.assert_array_equal(blitted, full_redraw(fresh))
    assert not np.array_equal(blitted, full_redraw(line_figure(2.0)[0]))  # the test can tell frames apart
    np.testing.assert_array_equal(full_redraw(fig), blitted)  # the figure itself, drawn again
    dot.set_data([3.0], [0.0])  # the Blitter still works after full_redraw
    np.testing.assert_array_equal(blitter.pixels(), full_redraw(line_figure(3.0)[0]))


def test_pixels_shape_and_encodings():
    fig, dot = line_figure(1.0, dpi=50)
    blitter = Blitter(fig, [dot])
    assert blitter.fig is fig and blitter.animated == [dot] and blitter.format == "png"
    assert isinstance(blitter.canvas, FigureCanvasAgg)
    pixels = blitter.pixels()
    assert pixels.shape == (100, 150, 3) and pixels.dtype == np.uint8  # 2 x 3 inches at 50 dpi
    png = Image.open(io.BytesIO(blitter.render()))
    assert png.format == "PNG" and png.size == (150, 100)
    np.testing.assert_array_equal(np.asarray(png.convert("RGB")), pixels)  # PNG is lossless
    other_fig, other_dot = line_figure(1.0)
    jpeg = Blitter(other_fig, [other_dot], "jpeg")
    assert jpeg.format == "jpeg" and Image.open(io.BytesIO(jpeg.render())).format == "JPEG"
    assert blitter.jpeg()[:2] == b"\xff\xd8" and blitter.png()[:4] == b"\x89PNG"


def test_blitter_rejects_an_unknown_format():
    fig, dot = line_figure(1.0)
    with pytest.raises(ValueError, match="png' or 'jpeg'"):
        Blitter(fig, [dot], "gif")


def test_blitter_is_still_importable_from_sliding():
    assert sliding.Blitter is Blitter  # fast, forward, backprop and training import it from there


def test_figure_image_is_shown_at_the_figures_pixel_width():
    fig = Figure(figsize=(10.5, 3.9), dpi=72)
    assert pixel_width(fig) == 756
    image = figure_image(fig, b"bytes", "jpeg")
    assert isinstance(image, controls.Picture)  # an <img> with its alt text as a live line under it
    assert image.layout.width == "756px" and image.layout.max_width == "100%"
    assert image.value == b"bytes" and image.format == "jpeg"


def test_pre_escapes_html():
    assert pre("a < b & c") == "<pre style='margin:0'>a &lt; b &amp; c</pre>"


class Dots:
    """A toy `steps` object for Stepper: n dots, the red one at position `step`."""

    def __init__(self, n, dpi):
        self.fig = Figure(figsize=(n, 1), dpi=dpi)
        ax = self.fig.add_subplot()
        ax.set_xlim(-0.5, n - 0.5)
        ax.plot(range(n), [0] * n, "o", color="0.7")
        (self.dot,) = ax.plot([0], [0], "o", color="tab:red")
        self.n_steps, self.animated, self.offset = n, [self.dot], 0

    def set_step(self, step):
        self.dot.set_data([step], [0])

    def describe(self, step):
        return f"dot {step} of {self.n_steps}, offset {self.offset}"


class DotStepper(Stepper):
    """n dots (a new figure per n), an offset that changes the text in place; n > 6 does not fit."""

    def __init__(self):
        self.built = 0
        self.n = widgets.IntSlider(value=4, min=1, max=9)
        self.offset = widgets.IntSlider(value=0, min=0, max=3)
        super().__init__(dict(n=self.n, offset=self.offset), [[self.n], [self.offset]])

    def key(self, n, offset):
        return n

    def same_figure(self, n, offset):
        self.steps.offset = offset

    def problem(self, n, offset):
        return "too many dots" if n > 6 else ""

    def new_figure(self, n, offset):
        self.built += 1
        steps = Dots(n, dpi=40 + n)
        return steps.fig, steps


def test_stepper_builds_a_figure_only_for_a_new_configuration():
    stepper = DotStepper()
    assert stepper.built == 1 and stepper.step.max == 3 and stepper.play.max == 3
    assert stepper.image.layout.width == f"{4 * 44}px"  # the figure's own pixel width
    first = stepper.image.value
    stepper.step.value = 2
    assert stepper.built == 1 and stepper.image.value != first and "dot 2 of 4" in stepper.text.value
    stepper.offset.value = 3  # not part of the key: same figure, changed in place
    assert stepper.built == 1 and "offset 3" in stepper.text.value
    stepper.n.value = 6
    assert stepper.built == 2 and stepper.step.max == 5 and stepper.image.layout.width == f"{6 * 46}px"
    stepper.step.value = 5
    stepper.n.value = 2  # the step is clamped to the new range
    assert stepper.step.max == 1 and stepper.step.value == 1 and "dot 1 of 2" in stepper.text.value
    stepper.n.value = 8
    assert stepper.message.value == "too many dots" and stepper.built == 3  # nothing new drawn
    stepper.n.value = 3
    assert stepper.message.value == "" and stepper.built == 4
    assert stepper.view.stepper is stepper
    controls = stepper.view.children[0]  # columns: [n], [offset], [Play, step]
    assert [column.children for column in controls.children] == [(stepper.n,), (stepper.offset,),
                                                                 (stepper.play, stepper.step)]


def test_timing_helpers():
    wall, cpu = time_calls([(sum, ([1, 2],)), (sorted, ([3, 1],))])
    assert len(wall) == len(cpu) == 2 and min(wall) >= 0 and min(cpu) >= 0
    def new_figure():
        dots = Dots(3, dpi=30)
        return dots.fig, dots

    steps, first, wall, cpu = time_steps(new_figure)
    assert steps.n_steps == 3 and len(wall) == 6 and first > 0  # every step twice
    assert len(timing_row(first, wall, cpu).split()) == 5

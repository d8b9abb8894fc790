"""Chapter 03 widget: a kernel sliding over a padded input, with a Play button.

    conv_stepper(seed=0) -> ipywidgets.interactive (display it)
    conv_figure(x, w, b, stride, padding) -> (Figure, ConvSteps)      the picture behind it

Controls: input size, kernel size, padding, stride, bias, and a Play button linked (jslink, in the
browser) to the step slider. Changing the configuration draws a new figure (the bias alone only
shifts the output numbers and re-renders the background, ~2.5x cheaper); a step only moves the
window, uncovers one output cell (ConvSteps.set_step) and rewrites the dot product (HTML). The rest
of the figure is rendered once and kept as a background (blitting, cnnlib.widgets.common.Blitter),
so a step stays well under 100 ms (benchmarks/redraw_sliding.py). The Play-driven mechanics are
cnnlib.widgets.common.Stepper, shared with chapter 05.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..viz.sliding import draw_conv_step
from . import controls
from .common import STYLE, Blitter, Stepper  # Blitter: also imported from here by older modules


def example_input(n, f, seed=0):
    """Small integer input (n, n) in 0..9 and kernel (f, f) in -1..1, the same for the same seed."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 10, size=(n, n)).astype(float)
    w = rng.integers(-1, 2, size=(f, f)).astype(float)
    return x, w


def conv_figure(x, w, b=0.0, stride=1, padding=0, step=0, dpi=72, with_text=False):
    """A new Figure (not managed by pyplot): input | kernel | output, and with_text the sum below.

    Returns (fig, ConvSteps). The widget shows the sum as HTML instead (text is slow to render)."""
    fig = Figure(figsize=(10.5, 4.9 if with_text else 3.9), dpi=dpi, layout="constrained")
    grid = fig.add_gridspec(2 if with_text else 1, 3, width_ratios=[1.6, 0.8, 1.2],
                            height_ratios=[3, 1] if with_text else [1])
    axes = [fig.add_subplot(grid[0, k]) for k in range(3)]
    if with_text:
        axes.append(fig.add_subplot(grid[1, :]))
    return fig, draw_conv_step(axes, x, w, b, stride, padding, step)


def fits(n, f, padding):
    """True if an f x f kernel fits an n x n input with this padding spec."""
    total = {"valid": 0, "same": f}.get(padding, 2 * padding if isinstance(padding, int) else 0)
    return f <= n + total


class ConvStepper(Stepper):
    """State behind conv_stepper (see Stepper): sliders n, f, padding, stride, bias; its ConvSteps."""

    def __init__(self, seed=0):
        self.seed = seed
        self.n = controls.IntSlider(value=5, min=3, max=8, description="input n", style=STYLE)
        self.f = controls.IntSlider(value=3, min=1, max=5, description="kernel f", style=STYLE)
        self.padding = controls.Dropdown(options=["valid", "same", 1, 2], value="valid",
                                        description="padding", style=STYLE)
        self.stride = controls.IntSlider(value=1, min=1, max=3, description="stride s", style=STYLE)
        self.bias = controls.IntSlider(value=0, min=-3, max=3, description="bias b", style=STYLE)
        super().__init__(dict(n=self.n, f=self.f, padding=self.padding, stride=self.stride, b=self.bias),
                         [[self.n, self.f, self.padding], [self.stride, self.bias]])

    def key(self, n, f, padding, stride, b):
        """The bias alone needs no new figure (see same_figure)."""
        return (n, f, padding, stride)

    def same_figure(self, n, f, padding, stride, b):
        """Only the bias changed: shift the output numbers in place and re-render the background."""
        if b != self.steps.b:
            self.steps.set_bias(b)
            self.blitter = Blitter(self.blitter.fig, self.steps.animated)

    def problem(self, n, f, padding, stride, b):
        """Why this configuration cannot be drawn ("" if it can)."""
        if fits(n, f, padding):
            return ""
        return (f"A {f}x{f} kernel does not fit a {n}x{n} input with padding {padding!r}: "
                f"n + 2p - f < 0. Pick a smaller kernel or pad.")

    def new_figure(self, n, f, padding, stride, b):
        """(Figure, ConvSteps) for this configuration, the seed's example input and kernel."""
        x, w = example_input(n, f, self.seed)
        return conv_figure(x, w, b, stride, padding)


def conv_stepper(seed=0):
    """The chapter 03 widget: sliders, Play and the figure. Returns the interactive widget
    (view.stepper is the ConvStepper behind it)."""
    return ConvStepper(seed).view

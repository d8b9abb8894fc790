"""Chapter 05 widget: a pooling window stepping over one channel, with a Play button.

    pool_stepper(seed=0) -> ipywidgets.interactive (display it)

Controls: max or average, window size, stride (smaller than the window: overlapping windows), input
size, and Play linked (jslink) to the step slider. A configuration change draws a new figure; a step
only moves the window, the ring on the maximum and the covers (PoolSteps.set_step), re-rendered over
a cached background (cnnlib.widgets.common: Stepper and Blitter, as in chapter 03;
benchmarks/redraw_pooling.py).
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..viz.pooling import draw_pool_step
from . import controls
from .common import STYLE, Stepper


def example_channel(n, seed=0):
    """A small (n, n) channel of integers 0..9, the same for the same seed."""
    return np.random.default_rng(seed).integers(0, 10, size=(n, n)).astype(float)


def pool_figure(x, size, stride, kind, step=0, dpi=72):
    """A new Figure (not managed by pyplot): input | output. Returns (fig, PoolSteps)."""
    fig = Figure(figsize=(9.5, 3.9), dpi=dpi, layout="constrained")
    axes = fig.subplots(1, 2, width_ratios=[1.5, 1])
    return fig, draw_pool_step(axes, x, size, stride, kind, step)


class PoolStepper(Stepper):
    """State behind pool_stepper (see Stepper): pooling kind, input size, window, stride; its PoolSteps."""

    def __init__(self, seed=0):
        self.seed = seed
        self.kind = controls.Dropdown(options=["max", "avg"], value="max", description="pooling", style=STYLE)
        self.n = controls.IntSlider(value=6, min=3, max=9, description="input n", style=STYLE)
        self.size = controls.IntSlider(value=2, min=1, max=4, description="window", style=STYLE)
        self.stride = controls.IntSlider(value=2, min=1, max=4, description="stride s", style=STYLE)
        super().__init__(dict(kind=self.kind, n=self.n, size=self.size, stride=self.stride),
                         [[self.kind, self.n], [self.size, self.stride]])

    def problem(self, kind, n, size, stride):
        """Why this configuration cannot be drawn ("" if it can)."""
        return f"A {size}x{size} window does not fit a {n}x{n} input." if size > n else ""

    def new_figure(self, kind, n, size, stride):
        """(Figure, PoolSteps) for this configuration and the seed's example channel."""
        return pool_figure(example_channel(n, self.seed), size, stride, kind)


def pool_stepper(seed=0):
    """The chapter 05 widget. Returns the interactive widget (controls, Play, picture, text);
    view.stepper is the PoolStepper behind it."""
    return PoolStepper(seed).view

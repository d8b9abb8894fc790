"""Chapter 05 widget: a pooling window stepping over one channel, with a Play button.

    pool_stepper(seed=0) -> ipywidgets.interactive (display it)

Controls: max or average, window size, stride (smaller than the window: overlapping windows), input
size, and Play linked (jslink) to the step slider. A configuration change draws a new figure; a step
only moves the window, the ring on the maximum and the covers (PoolSteps.set_step), re-rendered over
a cached background with the Blitter of widgets.sliding (benchmarks/redraw_pooling.py).
"""
import html

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

from ..viz.pooling import draw_pool_step
from .sliding import Blitter


def example_channel(n, seed=0):
    """A small (n, n) channel of integers 0..9, the same for the same seed."""
    return np.random.default_rng(seed).integers(0, 10, size=(n, n)).astype(float)


def pool_figure(x, size, stride, kind, step=0, dpi=72):
    """A new Figure (not managed by pyplot): input | output. Returns (fig, PoolSteps)."""
    fig = Figure(figsize=(9.5, 3.9), dpi=dpi, layout="constrained")
    axes = fig.subplots(1, 2, width_ratios=[1.5, 1])
    return fig, draw_pool_step(axes, x, size, stride, kind, step)


class PoolStepper:
    """State behind pool_stepper: the current figure, its PoolSteps and Blitter."""

    def __init__(self, seed=0):
        self.seed = seed
        self.key = self.steps = self.blitter = None
        self.busy = False
        style = {"description_width": "70px"}
        self.kind = widgets.Dropdown(options=["max", "avg"], value="max", description="pooling", style=style)
        self.n = widgets.IntSlider(value=6, min=3, max=9, description="input n", style=style)
        self.size = widgets.IntSlider(value=2, min=1, max=4, description="window", style=style)
        self.stride = widgets.IntSlider(value=2, min=1, max=4, description="stride s", style=style)
        self.step = widgets.IntSlider(value=0, min=0, max=8, description="step", style=style)
        self.play = widgets.Play(value=0, min=0, max=8, interval=600, description="Play")
        widgets.jslink((self.play, "value"), (self.step, "value"))
        widgets.jslink((self.play, "max"), (self.step, "max"))
        self.image = widgets.Image(format="png")
        self.text = widgets.HTML()
        self.message = widgets.Label()
        self.view = widgets.interactive(self.show, clear_output=False, kind=self.kind, n=self.n,
                                        size=self.size, stride=self.stride, step=self.step)

    def show(self, kind, n, size, stride, step):
        """Called on every change: a new figure only if the configuration changed."""
        if self.busy:  # a nested call while we adjust the step slider's range
            return
        key = (kind, n, size, stride)
        if key != self.key:
            if size > n:
                self.message.value = f"A {size}x{size} window does not fit a {n}x{n} input."
                return
            self.message.value = ""
            fig, self.steps = pool_figure(example_channel(n, self.seed), size, stride, kind)
            self.blitter = Blitter(fig, self.steps.animated)
            self.key = key
            self.busy = True
            try:  # the step slider's range follows the output size
                self.step.max = self.play.max = self.steps.n_steps - 1
            finally:
                self.busy = False
            step = self.step.value
        step = min(step, self.steps.n_steps - 1)
        self.steps.set_step(step)
        self.image.value = self.blitter.render()
        self.text.value = f"<pre style='margin:0'>{html.escape(self.steps.describe(step))}</pre>"


def pool_stepper(seed=0):
    """The chapter 05 widget. Returns the interactive widget (controls, Play, picture, text)."""
    stepper = PoolStepper(seed)
    view = stepper.view
    *controls, output = view.children
    view.children = (widgets.HBox([widgets.VBox(controls[:2]), widgets.VBox(controls[2:4]),
                                   widgets.VBox([stepper.play, controls[4]])]), stepper.message, output)
    with output:  # shown once; each step only replaces the picture's bytes and the text
        display(widgets.VBox([stepper.image, stepper.text]))
    view.stepper = stepper
    return view

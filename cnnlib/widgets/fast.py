"""Chapter 09 widget: pick an output cell and a kernel offset, see the im2col column and row they use.

    im2col_explorer(seed=0) -> ipywidgets.interactive (display it)

Controls: image size, kernel size, stride (a new figure), output cell (a column of the matrix) and
kernel offset (a row). Moving the cell or the offset only moves the highlights
(Im2colView.set_highlight) and re-renders them over a cached background (Blitter), so a step stays
under 100 ms (benchmarks/redraw_fast.py). The picture is shown at its own pixel width
(figure_image), so JupyterLab does not stretch and blur it.
"""
import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

from ..viz.fast import draw_im2col
from . import controls
from .common import Blitter, figure_image, pixel_width, pre


def example_image(n, k, seed=0):
    """An n x n image of the numbers 1..n*n (each pixel names itself) and a small integer k x k kernel.

    On this ramp image every output is w.sum() * (the window's top-left pixel) + a constant, so a
    kernel that sums to 0 would give a flat output: its last entry is then raised by 1."""
    x = np.arange(1.0, n * n + 1).reshape(n, n)
    w = np.random.default_rng(seed).integers(-1, 3, size=(k, k)).astype(float)
    if w.sum() == 0:
        w[-1, -1] += 1
    return x, w


def im2col_figure(x, w, stride=1, cell=0, offset=0, dpi=84):
    """A new Figure (not managed by pyplot): image | kernel | output above, the im2col matrix below.

    Returns (fig, Im2colView)."""
    fig = Figure(figsize=(10, 6.6), dpi=dpi, layout="constrained")
    grid = fig.add_gridspec(2, 3, height_ratios=[1, 1.1])
    axes = [fig.add_subplot(grid[0, k]) for k in range(3)] + [fig.add_subplot(grid[1, :])]
    return fig, draw_im2col(axes, x, w, stride, cell, offset)


class Im2colExplorer:
    """State behind im2col_explorer: the current figure, its Im2colView and its Blitter."""

    def __init__(self, seed=0):
        self.seed = seed
        self.key = self.view = self.blitter = None
        self.busy = False
        style = {"description_width": "90px"}
        self.n = controls.IntSlider(value=4, min=3, max=6, description="image n", style=style)
        self.k = controls.IntSlider(value=2, min=1, max=3, description="kernel k", style=style)
        self.stride = controls.IntSlider(value=1, min=1, max=2, description="stride s", style=style)
        self.cell = controls.IntSlider(value=4, min=0, max=8, description="output cell", style=style)
        self.offset = controls.IntSlider(value=1, min=0, max=3, description="kernel offset", style=style)
        self.new_figure(self.n.value, self.k.value, self.stride.value)   # the first picture, to size the image
        self.image = figure_image(self.blitter.fig)
        self.text = widgets.HTML()
        self.interactive = widgets.interactive(self.show, clear_output=False, n=self.n, k=self.k,
                                               stride=self.stride, cell=self.cell, offset=self.offset)

    def show(self, n, k, stride, cell, offset):
        """Called by ipywidgets on every change: a new figure only if n, k or stride changed."""
        if self.busy:  # a nested call while we adjust the sliders' ranges
            return
        if (n, k, stride) != self.key:
            self.new_figure(n, k, stride)
            self.image.layout.width = f"{pixel_width(self.blitter.fig)}px"  # sharp: one pixel per pixel
            self.busy = True
            try:  # the sliders' ranges follow the matrix: columns = output cells, rows = offsets
                self.cell.max, self.offset.max = self.view.n_cells - 1, self.view.n_offsets - 1
            finally:
                self.busy = False
            cell, offset = self.cell.value, self.offset.value
        cell, offset = min(cell, self.view.n_cells - 1), min(offset, self.view.n_offsets - 1)
        self.view.set_highlight(cell, offset)
        self.image.value = self.blitter.png()
        self.text.value = pre(self.view.describe(cell, offset))

    def new_figure(self, n, k, stride):
        """Draw the figure of an n x n image and a k x k kernel with this stride, ready for blitting."""
        x, w = example_image(n, k, self.seed)
        fig, self.view = im2col_figure(x, w, stride)
        self.blitter = Blitter(fig, self.view.animated)
        self.key = (n, k, stride)


def im2col_explorer(seed=0):
    """The chapter 09 widget: sliders and the figure. Returns the interactive widget."""
    explorer = Im2colExplorer(seed)
    view = explorer.interactive
    *inputs, output = view.children
    view.children = (widgets.HBox([widgets.VBox(inputs[:3]), widgets.VBox(inputs[3:5])]), output)
    with output:  # shown once; each change only replaces the picture's bytes and the text
        display(widgets.VBox([explorer.image, explorer.text]))
    view.explorer = explorer
    return view

"""Chapters 07-08 widgets: where each gradient comes from and where it goes.

    conv_links_widget(in_hw, k_hw)           chapter 07: pick an output or an input cell
    pool_backward_widget(x, dout)            chapter 08: pick pool type, size, stride and a window

Each draws once through cnnlib.viz.backprop and then updates in place, re-rendering only the axes
that change (AxesBlitter from cnnlib.widgets.forward).
"""
import ipywidgets as widgets
import numpy as np
from IPython.display import Image, display
from matplotlib.figure import Figure

from ..viz.backprop import draw_conv_links, name, update_conv_links
from .forward import AxesBlitter


def conv_links_cells(in_hw, k_hw):
    """Dropdown options: [(label, cell)] for every output cell, then every input cell."""
    (H, W), (KH, KW) = in_hw, k_hw
    outputs = [(f"output {name('y', i, j)}: where it comes from", ("y", i, j))
               for i in range(H - KH + 1) for j in range(W - KW + 1)]
    inputs = [(f"input {name('x', a, b)}: where its gradient comes from", ("x", a, b))
              for a in range(H) for b in range(W)]
    return outputs + inputs


def conv_links_frames(in_hw=(3, 3), k_hw=(2, 2), dpi=80):
    """The widget's machinery: returns step(cell) -> PNG bytes (see draw_conv_links for `cell`)."""
    (H, W), (KH, KW) = in_hw, k_hw
    fig = Figure(figsize=(7.6, 3.0), dpi=dpi, layout="tight")
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [W, KW, W - KW + 1]})
    drawn = draw_conv_links(axes, in_hw, k_hw, ("y", 0, 0))
    fig.get_layout_engine().set(rect=(0, 0.12, 1, 0.88))    # room for the caption under the axes
    blitter = AxesBlitter(fig, axes)

    def step(cell):
        update_conv_links(drawn, cell)
        return blitter.png()
    return step


def conv_links_widget(in_hw=(3, 3), k_hw=(2, 2)):
    """An `interactive` with one dropdown: the output or input cell to explain. Returns the widget."""
    step = conv_links_frames(in_hw, k_hw)

    def show(cell):
        display(Image(data=step(cell)))

    options = conv_links_cells(in_hw, k_hw)
    dropdown = widgets.Dropdown(options=options, value=options[0][1], description="cell",
                                layout=widgets.Layout(width="420px"))
    return widgets.interactive(show, cell=dropdown)

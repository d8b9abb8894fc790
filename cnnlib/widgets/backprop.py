"""Chapters 07-08 widgets: where each gradient comes from and where it goes.

    conv_links_widget(in_hw, k_hw)           chapter 07: pick an output or an input cell
    dilation_widget(dout, w)                 chapter 08: pick a stride and one entry of dL/dY
    pool_backward_widget(x)                  chapter 08: pick pool type, size, stride and a window

Each draws once through cnnlib.viz.backprop and then updates in place, re-rendering only the
artists that change (Blitter from cnnlib.widgets.sliding: grid lines, frames and still panels stay
in a cached background). A setting shown before is not rendered again: its PNG is kept.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..viz.backprop import (draw_conv_links, draw_dilation, draw_pool_backward, mark_dout_cell, name,
                             update_conv_links, update_pool_backward)
from .forward import show_once
from . import controls
from .common import Blitter, follow_alt


def conv_links_cells(in_hw, k_hw):
    """Dropdown options: [(label, cell)] for every output cell, then every input cell."""
    (H, W), (KH, KW) = in_hw, k_hw
    outputs = [(f"output {name('y', i, j)}: where it comes from", ("y", i, j))
               for i in range(H - KH + 1) for j in range(W - KW + 1)]
    inputs = [(f"input {name('x', a, b)}: where its gradient comes from", ("x", a, b))
              for a in range(H) for b in range(W)]
    return outputs + inputs


def conv_links_frames(in_hw=(3, 3), k_hw=(2, 2), dpi=90, cache=True):
    """The widget's machinery: returns step(cell) -> PNG bytes (see draw_conv_links for `cell`).

    With cache=True a cell shown before returns its stored PNG (cache=False: render every time)."""
    (H, W), (KH, KW) = in_hw, k_hw
    fig = Figure(figsize=(7.6, 3.0), dpi=dpi, layout="tight")
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [W, KW, W - KW + 1]})
    drawn = draw_conv_links(axes, in_hw, k_hw, ("y", 0, 0))
    fig.get_layout_engine().set(rect=(0, 0.12, 1, 0.88))    # room for the caption under the axes
    # the cell colours, their labels and the caption change; the grid lines are redrawn over the
    # colours (which would cover them), the titles stay in the background
    blitter = Blitter(fig, [a for image, texts in zip(drawn["images"], drawn["texts"])
                            for a in (image, *image.axes.collections, *texts)] + [drawn["caption"]])
    frames = {}

    def step(cell):
        if cache and cell in frames:
            return frames[cell]
        update_conv_links(drawn, cell)
        frames[cell] = blitter.render()
        return frames[cell]
    return step


def conv_links_widget(in_hw=(3, 3), k_hw=(2, 2)):
    """An `interactive` with one dropdown: the output or input cell to explain. Returns the widget."""
    step = conv_links_frames(in_hw, k_hw)
    image = follow_alt(controls.Picture(format="png"))

    def show(cell):
        image.value = step(cell)

    options = conv_links_cells(in_hw, k_hw)
    dropdown = controls.Dropdown(options=options, value=options[0][1], description="cell",
                                layout=widgets.Layout(width="420px"))
    return show_once(widgets.interactive(show, clear_output=False, cell=dropdown), image)


def dilation_frames(dout, w, dpi=72, cache=True):
    """The widget's machinery: step((stride, cell)) -> PNG bytes, cell = (i, j) of dout.

    dout: (H_out, W_out), w: (KH, KW). Each stride gets its own figure (draw_dilation), drawn once;
    choosing another cell then only moves the four teal boxes (mark_dout_cell), the only animated
    artists. With cache=True a setting shown before returns its stored PNG.
    """
    dout, w = np.asarray(dout, dtype=float), np.asarray(w, dtype=float)
    (H_out, W_out), (KH, KW) = dout.shape, w.shape
    layouts, frames = {}, {}

    def step(setting):
        stride, cell = setting
        if stride not in layouts:
            Wd = (W_out - 1) * stride + 1
            ratios = [W_out, Wd, Wd + 2 * (KW - 1), KW, Wd + KW - 1]
            fig = Figure(figsize=(0.5 * sum(ratios) + 1.5, 2.6), dpi=dpi, layout="tight")
            axes = fig.subplots(1, 5, width_ratios=ratios)
            draw_dilation(axes, dout, w, stride)
            boxes = mark_dout_cell(axes, dout.shape, w.shape, stride, cell)
            layouts[stride] = axes, boxes, Blitter(fig, boxes)
        axes, boxes, blitter = layouts[stride]
        if cache and (stride, cell) in frames:
            return frames[(stride, cell)]
        mark_dout_cell(axes, dout.shape, w.shape, stride, cell, boxes)
        frames[(stride, cell)] = blitter.render()
        return frames[(stride, cell)]
    return step


def dilation_widget(dout, w, max_stride=3):
    """An `interactive` with the stride and the entry of dL/dY to follow. Returns the widget.

    dout: (H_out, W_out) at most 9x9 (for the labels), w: (KH, KW). The picture's width follows the
    stride (a larger stride spreads D out)."""
    dout = np.asarray(dout, dtype=float)
    step = dilation_frames(dout, w)
    image = follow_alt(controls.Picture(format="png"))

    def show(stride, cell):
        image.value = step((stride, cell))
        width = int.from_bytes(image.value[16:20], "big")           # PNG header: the pixel width
        image.layout.width = f"{width}px"

    stride = controls.IntSlider(value=2, min=1, max=max_stride, description="stride s",
                               continuous_update=False)
    cells = [(f"{name('y', i, j)}: dL/dY = {dout[i, j]:g}", (i, j))
             for i in range(dout.shape[0]) for j in range(dout.shape[1])]
    cell = controls.Dropdown(options=cells, value=cells[-1][1], description="follow")
    return show_once(widgets.interactive(show, clear_output=False, stride=stride, cell=cell), image)


def pool_dout(x_hw, size, stride):
    """The widget's dout: 1, 2, 3, ... in row-major order, so each number can be followed to dx."""
    H_out, W_out = (x_hw[0] - size) // stride + 1, (x_hw[1] - size) // stride + 1
    return np.arange(1, H_out * W_out + 1, dtype=float).reshape(H_out, W_out)


def _pool_changing(drawn):
    """The artists of a draw_pool_backward drawing that change with the pool type and the window:
    the dx panel (colours, grid lines drawn over them, numbers, title), the three boxes, the dots
    and the caption. The input and dout panels stay in the background."""
    image, texts = drawn["panels"][2]
    return [image, *image.axes.collections, *texts, drawn["axes"][2].title, *drawn["boxes"],
            drawn["dots"], drawn["caption"]]


def pool_backward_frames(x, dpi=72, cache=True):
    """The widget's machinery: step((kind, size, stride, window)) -> PNG bytes.

    x: (H, W) one channel. dout is pool_dout(...) (1, 2, 3, ...). The window index wraps around
    when it exceeds the number of windows. Each (size, stride) gets its own figure, drawn once;
    changing the pool type or the window then updates it in place and re-renders only what
    changed. With cache=True a setting shown before returns its stored PNG.
    """
    x = np.asarray(x, dtype=float)
    layouts = {}                                   # (size, stride) -> (drawn, Blitter)
    frames = {}

    def step(setting):
        kind, size, stride, window = setting
        if (size, stride) not in layouts:
            dout = pool_dout(x.shape, size, stride)
            fig = Figure(figsize=(10.5, 4.3), dpi=dpi)
            axes = fig.subplots(1, 3)
            fig.subplots_adjust(left=0.02, right=0.98, top=0.9, bottom=0.2, wspace=0.15)
            drawn = draw_pool_backward(axes, x, dout, kind, size, stride, window % dout.size)
            layouts[(size, stride)] = drawn, Blitter(fig, _pool_changing(drawn))
        drawn, blitter = layouts[(size, stride)]
        key = (kind, size, stride, window % drawn["dout"].size)
        if cache and key in frames:
            return frames[key]
        update_pool_backward(drawn, kind, key[3])
        frames[key] = blitter.render()
        return frames[key]
    return step


def pool_backward_widget(x):
    """An `interactive` with pool type, size, stride and the window to outline. Returns the widget.

    x: (H, W) one channel. The window slider's range follows size and stride.
    """
    x = np.asarray(x, dtype=float)
    step = pool_backward_frames(x)
    image = follow_alt(controls.Picture(format="png"))

    def show(kind, size, stride, window):
        image.value = step((kind, size, stride, window))

    kind = controls.Dropdown(options=[("max pooling", "max"), ("average pooling", "avg")], value="max",
                            description="pool")
    limit = min(x.shape)
    size = controls.IntSlider(value=2, min=1, max=min(4, limit), description="size",
                             continuous_update=False)
    stride = controls.IntSlider(value=2, min=1, max=4, description="stride", continuous_update=False)
    window = controls.IntSlider(value=0, min=0, max=pool_dout(x.shape, 2, 2).size - 1,
                               description="window", continuous_update=False)

    def follow(_):
        window.max = pool_dout(x.shape, size.value, stride.value).size - 1
    size.observe(follow, "value")
    stride.observe(follow, "value")
    view = widgets.interactive(show, clear_output=False, kind=kind, size=size, stride=stride,
                               window=window)
    return show_once(view, image)

"""Chapter 05: pooling windows step by step, the flatten order, and the shapes through a network.

    draw_pool_step(axes, x, size, stride, kind, step) -> PoolSteps
        axes = (ax_input, ax_output). The window at `step` (its maximum ringed for 'max'), the rows /
        columns no window reaches (hatched orange), the output filled up to `step`.
        PoolSteps.set_step(k) moves only the window, the ring and the covers (for a widget).
    draw_pool_frames(axes, x, size, stride, kind, steps) -> list of PoolSteps (axes (2, len(steps)))
    draw_flatten(ax, shape) -> dict      a small (C, H, W) array, each cell labelled with its index
                                          in x.reshape(-1) (C order), above the flat vector
    draw_network_shapes(ax, rows) -> list of patches   one box per layer output, sized by its shape
        rows: Sequential.summary(...).rows, [(layer text, output shape, parameter count), ...]

x: (H, W) one channel; size, stride: ints; kind: 'max' or 'avg'. Output size: equation (1) without
padding, floor((H - size) / stride) + 1.
"""
import textwrap

import matplotlib.patches as patches
import numpy as np
from matplotlib import colormaps

from .. import functional as F
from .common import draw_matrix
from .sliding import WindowSteps, draw_frames, draw_output, draw_window, shade_unreached

KINDS = {"max": F.max_pool2d, "avg": F.avg_pool2d}


class PoolSteps(WindowSteps):
    """What draw_pool_step drew, and `set_step` to move to another output cell.

    Attributes: x, size, stride, kind, out (H_out, W_out), n_steps, window, window_fill, ring (the
    maximum, 'max' only), cover (two Rectangles over the cells not yet computed), out_box,
    unreached (patches), animated (the artists set_step changes), step.
    """

    def __init__(self, x, size, stride, kind):
        self.x = np.asarray(x, dtype=float)
        if self.x.ndim != 2:
            raise ValueError(f"draw_pool_step: x must be one channel (H, W), got shape {self.x.shape}.")
        if kind not in KINDS:
            raise ValueError(f"draw_pool_step: kind must be 'max' or 'avg', got {kind!r}.")
        self.size, self.stride, self.kind = int(size), int(stride), kind
        self.out = KINDS[kind](self.x[None, None], self.size, self.stride)[0, 0]  # (H_out, W_out)
        self.n_steps = self.out.size
        self.step = None

    def window(self, step):
        """The input numbers of the window of output cell `step`, (size, size)."""
        _, (r, c) = self.position(step)
        return self.x[r:r + self.size, c:c + self.size]

    def describe(self, step):
        """out[i, j] = max (or mean) of its window, written out."""
        (i, j), (r, c) = self.position(step)
        values = ", ".join(f"{v:g}" for v in self.window(step).ravel())
        how = "max" if self.kind == "max" else f"mean (sum / {self.size * self.size})"
        return (f"out[{i}, {j}] = {how} of rows {r}..{r + self.size - 1}, columns {c}..{c + self.size - 1}"
                f"\n  = {how.split()[0]}({values}) = {self.out[i, j]:.4g}")

    def set_step(self, step):
        """Show output cell number `step` (row-major): move the window, uncover cells 0..step."""
        _, (r, c) = self.move_to(step)
        if self.ring is not None:  # the first maximum in row-major order, as np.argmax picks it
            u, v = np.unravel_index(np.argmax(self.window(step)), (self.size, self.size))
            self.ring.set_xy((c + v - 0.4, r + u - 0.4))
        self.step = int(step)
        return self


def draw_pool_step(axes, x, size=2, stride=2, kind="max", step=0, show_numbers=True):
    """Draw one step of a pooling window sliding over one channel; return a PoolSteps.

    axes: (ax_input, ax_output). x: (H, W). size, stride: ints (stride < size: windows overlap).
    kind: 'max' or 'avg'. step: which output cell, 0..H_out*W_out - 1.
    """
    ax_in, ax_out = axes
    steps = PoolSteps(x, size, stride, kind)
    H, W = steps.x.shape
    H_out, W_out = steps.out.shape
    fmt = "{:g}" if kind == "max" else "{:.3g}"
    draw_matrix(ax_in, steps.x, cmap="Blues", vmin=steps.x.min() - 0.3 * np.ptp(steps.x),
                vmax=steps.x.max() + 0.5 * np.ptp(steps.x), show_numbers=show_numbers, fontsize=9, chips=True)
    steps.unreached = shade_unreached(ax_in, (H, W), steps.size, steps.stride)  # never in any window
    overlap = " (windows overlap)" if steps.stride < steps.size else ""
    ax_in.set_title(f"input {H}x{W}, {kind} pool {steps.size}x{steps.size}, stride {steps.stride}{overlap}",
                    fontsize=10)
    draw_window(ax_in, steps, steps.size, steps.size)
    steps.ring = None
    if kind == "max":
        steps.ring = patches.Rectangle((-0.4, -0.4), 0.8, 0.8, fill=False, edgecolor="gold", linewidth=2.5,
                                       zorder=4.5)
        ax_in.add_patch(steps.ring)
    draw_output(ax_out, steps, fmt, show_numbers)
    ax_out.set_title(f"output {H_out}x{W_out}:\nfloor(({H} - {steps.size}) / {steps.stride}) + 1 = {H_out}",
                     fontsize=10)
    steps.animated = [steps.window_fill, steps.window_box, *steps.cover, steps.out_box] + (
        [steps.ring] if steps.ring is not None else [])
    return steps.set_step(step)


def draw_pool_frames(axes, x, size=2, stride=2, kind="max", steps=(0, 1, 2)):
    """A static strip of frames: axes (2, len(steps)), inputs on top, outputs below."""
    def draw_step(ax_in, ax_out, step):
        return draw_pool_step((ax_in, ax_out), x, size, stride, kind, step)

    return draw_frames(axes, steps, draw_step,
                       lambda frame, i, j: f"out[{i}, {j}] = {kind} = {frame.out[i, j]:.3g}", "draw_pool_frames")


def draw_flatten(ax, shape=(2, 2, 3), cmap="tab10"):
    """A (C, H, W) array drawn as C small grids (top) and its flat vector x.reshape(-1) (bottom).

    Every cell shows its flat index k = c*H*W + i*W + j, equation (5.1) of chapter 05 (C order: the
    last axis changes fastest);
    each channel has its own colour, in the grids and in the vector. Returns {'grid_texts',
    'vector_texts', 'cells'}."""
    C, H, W = (int(s) for s in shape)
    if min(C, H, W) < 1:
        raise ValueError(f"draw_flatten needs a shape (C, H, W) of positive sizes, got {shape}.")
    colours = [colormaps[cmap](c % 10) for c in range(C)]
    index = np.arange(C * H * W).reshape(C, H, W)  # what x.reshape(-1) does to positions
    n = C * H * W
    gap = 1.0
    grid_width = C * W + (C - 1) * gap
    x0 = (max(n, grid_width) - grid_width) / 2  # centre the grids over the vector
    top = H + 2.5  # grids from y = top down to top - H; the vector at y = 0
    drawn = {"grid_texts": [], "vector_texts": [], "cells": []}
    def shade(rest):  # lighter to darker along a channel, so the order is visible in both places
        return 0.35 + 0.5 * rest / max(H * W - 1, 1)

    for c in range(C):
        left = x0 + c * (W + gap)
        ax.text(left + W / 2, top + 0.3, f"channel {c}", ha="center", va="bottom", fontsize=9)
        for i in range(H):
            for j in range(W):
                cell = patches.Rectangle((left + j, top - i - 1), 1, 1, facecolor=colours[c],
                                         alpha=shade(i * W + j), edgecolor="white", linewidth=1.5)
                ax.add_patch(cell)
                drawn["cells"].append(cell)
                drawn["grid_texts"].append(ax.text(left + j + 0.5, top - i - 0.5, f"{index[c, i, j]}",
                                                   ha="center", va="center", fontsize=9))
    for k in range(n):
        c, rest = divmod(k, H * W)
        cell = patches.Rectangle((k, 0), 1, 1, facecolor=colours[c], alpha=shade(rest), edgecolor="white",
                                 linewidth=1.5)
        ax.add_patch(cell)
        drawn["vector_texts"].append(ax.text(k + 0.5, 0.5, f"{k}", ha="center", va="center", fontsize=9))
    ax.annotate("", xy=(n / 2, 1.15), xytext=(n / 2, top - H - 0.2),
                arrowprops={"arrowstyle": "->", "color": "0.3", "linewidth": 1.5})
    ax.text(n / 2 + 0.3, (top - H + 1) / 2 + 0.1, "reshape(-1)", fontsize=9, va="center", color="0.3")
    ax.text(-0.3, 0.5, f"flat ({n},)", ha="right", va="center", fontsize=9)
    ax.set_xlim(-0.5 - 0.12 * n, max(n, grid_width) + 0.5)
    ax.set_ylim(-0.6, top + 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return drawn


LAYER_COLOURS = {"Input": "0.75", "Conv2D": "tab:blue", "ReLU": "tab:orange", "MaxPool2D": "tab:green",
                 "AvgPool2D": "tab:green", "Flatten": "tab:purple", "Dense": "tab:red"}


def draw_network_shapes(ax, rows, max_depth=8):
    """One box per layer output, left to right, sized by its shape; returns the list of patches.

    rows: [(layer text, output shape, parameter count), ...], e.g. Sequential.summary(...).rows.
    A (C, H, W) output is drawn as a stack of min(C, max_depth) rectangles, their height
    proportional to H (to scale between layers); a vector (D,) as a bar whose height grows with
    log10(D) (not to scale: 512 and 10 would not fit one picture). Labels: the shape above, the
    layer and its parameter count below.
    """
    if not rows:
        raise ValueError("draw_network_shapes needs at least one row (layer text, shape, params).")
    biggest = max(shape[1] if len(shape) == 3 else 1 for _, shape, _ in rows)  # the tallest map
    drawn, x = [], 0.0
    for name, shape, count in rows:
        kind = name.split(": ")[-1].split("(")[0]
        colour = LAYER_COLOURS.get(kind, "0.6")
        if len(shape) == 3:
            C, H, W = shape
            side = 1.75 * H / biggest  # to scale
            depth = min(C, max_depth)
            step = 0.06
            for d in range(depth):
                rect = patches.Rectangle((x + d * step, d * step - side / 2), side * W / H, side,
                                         facecolor=colour, edgecolor="white", alpha=0.85, linewidth=0.8)
                ax.add_patch(rect)
                drawn.append(rect)
            width = side * W / H + depth * step
            top = side / 2 + depth * step
        else:
            (D,) = shape
            height = 0.3 + 0.35 * np.log10(D)
            rect = patches.Rectangle((x, -height / 2), 0.18, height, facecolor=colour, edgecolor="white")
            ax.add_patch(rect)
            drawn.append(rect)
            width, top = 0.18, height / 2
        # "Conv2D" / "(1, 16," / "k=5)": short lines, so that neighbouring labels never touch
        kind_text, _, args = name.split(": ", 1)[-1].replace("kernel_size=", "k=").partition("(")
        label = kind_text + ("\n" + textwrap.fill("(" + args, 9, break_long_words=False) if args else "")
        ax.text(x + width / 2, top + 0.12, "x".join(str(s) for s in shape), ha="center", va="bottom",
                fontsize=10, fontweight="bold")
        ax.text(x + width / 2, -1.2, label, ha="center", va="top", fontsize=10)
        if count:  # under the label's last line, whatever the font size
            ax.annotate(f"{count:,} params", (x + width / 2, -1.2), xytext=(0, -1.25 * 10 * (label.count("\n") + 1)),
                        textcoords="offset points", ha="center", va="top", fontsize=10, color="0.3")
        x += max(width, 1.2) + 0.75  # room for a 9-character label line ("MaxPool2D") at 10 pt
    ax.set_xlim(-0.3, x - 0.25)
    ax.set_ylim(-3.2, 1.8)
    ax.set_aspect("equal")
    ax.axis("off")
    return drawn

"""Chapter 09 drawings: im2col (every window becomes a column), col2im (+= back into place), timings.

    draw_im2col(axes, x, w, stride, cell, offset) -> Im2colView   image | kernel | output, and the
                                                                  im2col matrix below; one output cell
                                                                  (a column) and one kernel offset (a row)
                                                                  highlighted; view.set_highlight moves them
    draw_col2im_steps(axes, dcols, x_shape, kernel_hw, stride) -> list of partial sums, one per offset
    draw_timings(ax, labels, seconds) -> the bars: a log-scale bar chart of measured times
"""
import numpy as np

from .. import functional as F
from .common import draw_box, draw_matrix

WINDOW = "tab:red"      # an output cell, its window, its column
OFFSET = "tab:orange"   # a kernel offset (u, v), its row, the pixels it meets


class Im2colView:
    """What draw_im2col drew, and set_highlight(cell, offset) to move the highlights.

    cols: (KH*KW, H_out*W_out) the im2col matrix (equation (9.1)); out: (H_out, W_out) =
    (w.ravel() @ cols) reshaped (equation (9.2)).
    animated: the artists that change with the highlight (for blitting in the widget).
    """

    def __init__(self, x, w, stride, axes):
        self.x, self.w, self.stride = x, w, stride
        self.KH, self.KW = w.shape
        self.cols = F.im2col(x[None, None], w.shape, stride)[0]            # (KH*KW, H_out*W_out)
        self.H_out = F.output_size(x.shape[0], self.KH, 0, stride)
        self.W_out = F.output_size(x.shape[1], self.KW, 0, stride)
        self.out = (w.ravel() @ self.cols).reshape(self.H_out, self.W_out)
        self.n_cells, self.n_offsets = self.cols.shape[1], self.cols.shape[0]
        self.axes = axes
        self.cell = self.offset = 0

    def describe(self, cell, offset):
        """One line: which window, which kernel entry, and the number where they meet."""
        i, j = divmod(cell, self.W_out)
        u, v = divmod(offset, self.KW)
        r, c = i * self.stride + u, j * self.stride + v
        return (f"column {cell} = window under out[{i}, {j}];  row {offset} = kernel offset (u, v) = "
                f"({u}, {v});  cols[{offset}, {cell}] = x[{i}*{self.stride}+{u}, {j}*{self.stride}+{v}] "
                f"= x[{r}, {c}] = {self.x[r, c]:g}")

    def set_highlight(self, cell, offset):
        """Move the highlights to output cell `cell` (row-major index) and kernel offset `offset`."""
        if not (0 <= cell < self.n_cells and 0 <= offset < self.n_offsets):
            raise ValueError(f"cell must be in [0, {self.n_cells}) and offset in [0, {self.n_offsets}), "
                             f"got cell={cell}, offset={offset}.")
        self.cell, self.offset = cell, offset
        i, j = divmod(cell, self.W_out)
        u, v = divmod(offset, self.KW)
        s = self.stride
        self.window_box.set_xy((j * s - 0.5, i * s - 0.5))                  # the window on the image
        self.column_box.set_xy((cell - 0.5, -0.5))                          # its column in cols
        self.out_box.set_xy((j - 0.5, i - 0.5))                             # its output cell
        self.row_box.set_xy((-0.5, offset - 0.5))                           # the offset's row in cols
        self.kernel_box.set_xy((v - 0.5, u - 0.5))                          # the offset in the kernel
        rows, cols = np.meshgrid(np.arange(self.H_out) * s + u, np.arange(self.W_out) * s + v,
                                 indexing="ij")
        self.offset_pixels.set_offsets(np.column_stack([cols.ravel(), rows.ravel()]))  # (x, y) = (col, row)
        self.meet.set_offsets([[j * s + v, i * s + u]])
        return self


def _light(a, kwargs):
    """Colour limits that keep the cells light (black numbers stay readable): vmin, vmax around a."""
    lo, hi = float(np.min(a)), float(np.max(a))
    span = hi - lo or 1.0
    return dict(kwargs, vmin=lo - span, vmax=hi + 2 * span)


def draw_im2col(axes, x, w, stride=1, cell=0, offset=0, fontsize=9):
    """Draw the im2col picture of one channel.

    axes: (ax_image, ax_kernel, ax_out, ax_cols). x: (H, W) image, w: (KH, KW) kernel, no padding.
    cell: an output cell as a row-major index (column `cell` of the matrix); offset: a kernel offset
    u*KW + v (row `offset`). Red: the window of the cell, its column and its output. Orange: the
    pixels the kernel entry w[u, v] meets, which form row `offset`. Returns an Im2colView.
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    ax_image, ax_kernel, ax_out, ax_cols = axes
    view = Im2colView(x, w, stride, axes)
    KH, KW = w.shape
    light = dict(fontsize=fontsize, vmin=None, vmax=None)
    draw_matrix(ax_image, x, cmap="Greys", title=f"image x {x.shape[0]}x{x.shape[1]}", **_light(x, light))
    draw_matrix(ax_kernel, w, cmap="Purples", title=f"kernel w {KH}x{KW}", **_light(w, light))
    draw_matrix(ax_out, view.out, cmap="Greys", title=f"out = w.ravel() @ cols\n({view.H_out}x{view.W_out})",
                **_light(view.out, light))
    draw_matrix(ax_cols, view.cols, cmap="Greys", **_light(x, light),
                title=f"im2col matrix cols: {KH * KW} rows (kernel offsets) x "
                      f"{view.n_cells} columns (output cells)")
    ax_cols.set_yticks(np.arange(KH * KW), [f"({u},{v})" for u in range(KH) for v in range(KW)])
    ax_cols.set_xticks(np.arange(view.n_cells),
                       [f"{i},{j}" for i in range(view.H_out) for j in range(view.W_out)],
                       rotation=90 if view.n_cells > 4 else 0)  # "i,j" labels side by side collide
    ax_cols.set_ylabel("(u, v)")
    ax_cols.set_xlabel("output cell (i, j)")
    # the highlights, created once and moved by set_highlight
    view.window_box = draw_box(ax_image, 0, 0, KH, KW, color=WINDOW)
    view.column_box = draw_box(ax_cols, 0, 0, KH * KW, 1, color=WINDOW)
    view.out_box = draw_box(ax_out, 0, 0, 1, 1, color=WINDOW)
    view.row_box = draw_box(ax_cols, 0, 0, 1, view.n_cells, color=OFFSET)
    view.kernel_box = draw_box(ax_kernel, 0, 0, 1, 1, color=OFFSET)
    size = (ax_image.figure.dpi * 0.22) ** 2
    view.offset_pixels = ax_image.scatter([], [], s=size, marker="s", facecolors="none",
                                          edgecolors=OFFSET, linewidths=2)
    view.meet = ax_image.scatter([], [], s=size * 2.2, marker="o", facecolors="none", edgecolors=WINDOW,
                                 linewidths=2)                      # where window and offset meet
    view.animated = [view.window_box, view.column_box, view.out_box, view.row_box, view.kernel_box,
                     view.offset_pixels, view.meet]
    return view.set_highlight(cell, offset)


def draw_col2im_steps(axes, dcols, x_shape, kernel_hw, stride=1, fontsize=9):
    """col2im one kernel offset at a time: panel k shows the sum after adding rows 0..k of dcols
    (dcols as in equation (9.5); the last panel is F.col2im of it).

    axes: KH*KW axes. dcols: (KH*KW, H_out*W_out) one channel's window gradients; x_shape: (H, W).
    Each step adds row u*KW + v onto the pixels x[i*s + u, j*s + v] (outlined) with +=, so a pixel
    covered by several windows collects a share from each. Returns the list of partial sums (H, W).
    """
    (KH, KW), (H, W) = kernel_hw, x_shape
    H_out, W_out = F.output_size(H, KH, 0, stride), F.output_size(W, KW, 0, stride)
    dcols = np.asarray(dcols, dtype=float)
    if dcols.shape != (KH * KW, H_out * W_out) or len(axes) != KH * KW:
        raise ValueError(f"draw_col2im_steps: need dcols of shape {(KH * KW, H_out * W_out)} and "
                         f"{KH * KW} axes, got {dcols.shape} and {len(axes)}.")
    total = np.zeros((H, W))
    partial_sums = []
    vmax = np.abs(F.col2im(dcols[None], (1, 1, H, W), kernel_hw, stride)).max()
    for k, ax in enumerate(axes):
        u, v = divmod(k, KW)
        rows = slice(u, u + (H_out - 1) * stride + 1, stride)
        cols = slice(v, v + (W_out - 1) * stride + 1, stride)
        total[rows, cols] += dcols[k].reshape(H_out, W_out)                 # the col2im step
        partial_sums.append(total.copy())
        draw_matrix(ax, total, cmap="Greens", vmin=0, vmax=vmax * 1.6 or 1, fontsize=fontsize,
                    title=f"+= row {k}, offset ({u},{v})")
        for i in range(H_out):
            for j in range(W_out):
                draw_box(ax, i * stride + u, j * stride + v, 1, 1, color=OFFSET, linewidth=1.5)
    return partial_sums


# Okabe & Ito's colour-blind-safe colours (grey, blue, orange, reddish purple): tab:blue and
# tab:purple look alike to a protanope (tests/test_a11y_colour.py simulates it)
TIMING_COLOURS = ("0.45", "#0072B2", "#E69F00", "#CC79A7")


def draw_timings(ax, labels, seconds, title=None):
    """Horizontal bars of measured times on a log scale, each bar labelled with its time.

    labels: names; seconds: the times in seconds (same length). Returns the BarContainer.
    """
    seconds = np.asarray(seconds, dtype=float)
    if len(labels) != len(seconds) or np.any(seconds <= 0):
        raise ValueError("draw_timings: need one positive time per label.")
    bars = ax.barh(np.arange(len(labels)), seconds, color=TIMING_COLOURS[:len(labels)])
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(seconds.min() / 3, seconds.max() * 8)
    for k, t in enumerate(seconds):
        text = f"{t * 1e3:.3g} ms" if t < 1 else f"{t:.3g} s"
        ax.text(t * 1.15, k, text, va="center", fontsize=10)
    ax.set_xlabel("time (seconds, log scale)")
    if title:
        ax.set_title(title)
    return bars

"""Chapters 07-08 drawings: where each gradient comes from and where it goes.

Chapter 07, one channel, stride 1, no padding (the paper's equation block (4)):
    draw_conv_links(axes, in_hw, k_hw, cell)   cell = ("y", i, j): the inputs and weights behind y_ij
                                               cell = ("x", a, b): the outputs x_ab feeds, and with
                                               which weight (the terms of dL/dx_ab, eq. (8))
    update_conv_links(drawn, cell)             the same in place (widgets)

Chapter 08:
    draw_dilation(axes, dout, w, stride)       dout -> dilated (eq. (8.1)) -> full convolution -> dx_pad
    mark_dout_cell(axes, ..., cell)            where one entry of dout goes in that picture
    draw_pool_backward(axes, x, dout, kind, size, stride, window)
                                               x with one window, dout, and dx = where dout went
                                               (eq. (10) max, eq. (11) average)
Indices in labels are 1-based, like the paper (x11 is x[0, 0]).
"""
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from .. import functional as F
from ..backprop_tools import conv_terms, dilate
from .common import draw_box
from .forward import _set_matrix, draw_cells, draw_signed_matrix

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
# 0: not involved, 1: involved, 2: the chosen cell
_LINK_CMAP = ListedColormap(["white", "#a8d5e2", "#f4a261"])
MARK = "#2a9d8f"   # teal: one dL/dy entry followed through the strided backward pass


def name(letter, row, col):
    """'x' , 0, 1 -> 'x₁₂' (1-based, subscript digits)."""
    return letter + f"{row + 1}{col + 1}".translate(_SUB)


def _grid(ax, shape):
    """Cell borders without tick machinery (fast to redraw)."""
    H, W = shape
    ax.set_axis_off()
    ax.hlines(np.arange(-0.5, H + 0.5), -0.5, W - 0.5, color="0.45", linewidth=0.8, clip_on=False)
    ax.vlines(np.arange(-0.5, W + 0.5), -0.5, H - 0.5, color="0.45", linewidth=0.8, clip_on=False)
    ax.set_xlim(-0.52, W - 0.48)
    ax.set_ylim(H - 0.48, -0.52)


# ------------------------------------------------------------------------------------ chapter 07

def _links(in_hw, k_hw, cell):
    """Masks (0/1/2), labels and a caption for draw_conv_links. See its docstring for `cell`."""
    terms = conv_terms(in_hw, k_hw)
    (H, W), (KH, KW) = in_hw, k_hw
    H_out, W_out = H - KH + 1, W - KW + 1
    masks = [np.zeros((H, W)), np.zeros((KH, KW)), np.zeros((H_out, W_out))]
    labels = [[[name("x", a, b) for b in range(W)] for a in range(H)],
              [[name("k", u, v) for v in range(KW)] for u in range(KH)],
              [[name("y", i, j) for j in range(W_out)] for i in range(H_out)]]
    kind, r, c = cell
    if kind == "y":
        if not (0 <= r < H_out and 0 <= c < W_out):
            raise ValueError(f"draw_conv_links: output cell ({r}, {c}) is outside the {H_out}x{W_out} "
                             "output; rows and columns are 0-based.")
        masks[2][r, c] = 2
        parts = []
        for (a, b), (u, v) in terms[(r, c)]:
            masks[0][a, b], masks[1][u, v] = 1, 1
            labels[0][a][b] += "\n·" + name("k", u, v)
            parts.append(name("x", a, b) + name("k", u, v))
        caption = f"{name('y', r, c)} = b + " + " + ".join(parts) + f"   ({len(parts)} terms)"
    elif kind == "x":
        if not (0 <= r < H and 0 <= c < W):
            raise ValueError(f"draw_conv_links: input cell ({r}, {c}) is outside the {H}x{W} input; "
                             "rows and columns are 0-based.")
        masks[0][r, c] = 2
        parts = []
        for (i, j), pairs in terms.items():
            for (a, b), (u, v) in pairs:
                if (a, b) == (r, c):
                    masks[2][i, j], masks[1][u, v] = 1, 1
                    labels[2][i][j] += "\n·" + name("k", u, v)
                    parts.append(f"∂L/∂{name('y', i, j)}·{name('k', u, v)}")
        caption = (f"∂L/∂{name('x', r, c)} = " + " + ".join(parts)
                   + f"   ({len(parts)} term{'s' if len(parts) != 1 else ''})")
    else:
        raise ValueError(f"draw_conv_links: cell must be ('y', i, j) or ('x', a, b), got {cell!r}.")
    return masks, labels, caption


def conv_links_figure(in_hw=(3, 3), k_hw=(2, 2), n_frames=1, width=7.6):
    """A new figure with an (n_frames, 3) grid of axes (X | K | Y) for draw_conv_links."""
    (H, W), (KH, KW) = in_hw, k_hw
    ratios = [W, KW, W - KW + 1]
    fig, axes = plt.subplots(n_frames, 3, figsize=(width, 2.4 * n_frames), squeeze=False,
                             gridspec_kw={"width_ratios": ratios})
    return fig, axes


def draw_conv_links(axes, in_hw, k_hw, cell):
    """Draw input X, kernel K and output Y of a valid single-channel cross-correlation as labelled
    cells, and colour what `cell` is linked to (orange: the chosen cell, blue: linked cells).

    axes: 3 axes (X, K, Y). in_hw: (H, W), k_hw: (KH, KW) (at most 9 each, for the labels).
    cell: ("y", i, j) shows the window and weights that make y_ij (eq. block (4));
          ("x", a, b) shows every output x_ab feeds and the weight it meets there: the terms of
          dL/dx_ab = sum over those outputs of dL/dy_ij * k_uv (eq. (8)).
    Returns {"images": [3 AxesImage], "texts": [3 lists of Text], "caption": Text, "in_hw", "k_hw"}.
    """
    axes = list(np.ravel(axes))
    if len(axes) != 3:
        raise ValueError(f"draw_conv_links: need 3 axes (X, K, Y), got {len(axes)}.")
    in_hw, k_hw = tuple(in_hw), tuple(k_hw)
    if max(in_hw + k_hw) > 9 or k_hw[0] > in_hw[0] or k_hw[1] > in_hw[1]:
        raise ValueError(f"draw_conv_links: the kernel {k_hw} must fit the input {in_hw}, and sizes "
                         "must be at most 9 (the labels use one digit per index).")
    masks, labels, caption = _links(in_hw, k_hw, cell)
    drawn = {"images": [], "texts": [], "in_hw": in_hw, "k_hw": k_hw}
    for ax, mask, label, title in zip(axes, masks, labels, ["input X", "kernel K", "output Y"]):
        drawn["images"].append(ax.imshow(mask, cmap=_LINK_CMAP, vmin=0, vmax=2))
        drawn["texts"].append([ax.text(c, r, label[r][c], ha="center", va="center", fontsize=11)
                               for r in range(mask.shape[0]) for c in range(mask.shape[1])])
        _grid(ax, mask.shape)
        ax.set_title(title, y=1.0)
    # Equal cells in every panel: X is H / KH times as tall as K (both centred), so in K's axes
    # coordinates X's bottom edge is at 0.5 - 0.5 * H / KH. The caption goes just below it.
    scale = in_hw[0] / k_hw[0]
    drawn["caption"] = axes[1].text(0.5, 0.5 - 0.56 * scale, caption, transform=axes[1].transAxes,
                                    ha="center", va="top", fontsize=11)
    return drawn


def update_conv_links(drawn, cell):
    """Recolour and relabel a draw_conv_links drawing for another cell, in place."""
    masks, labels, caption = _links(drawn["in_hw"], drawn["k_hw"], cell)
    for image, texts, mask, label in zip(drawn["images"], drawn["texts"], masks, labels):
        image.set_data(mask)
        for text, string in zip(texts, [s for row in label for s in row]):
            text.set_text(string)
    drawn["caption"].set_text(caption)
    return drawn


# ------------------------------------------------------------------------------------ chapter 08

def draw_dilation(axes, dout, w, stride, fmt="{:g}"):
    """The strided backward pass of one channel as pictures, eqs. (8.1) and (8):

        dout  ->  D = dilate(dout, s)  ->  D padded by KH-1, KW-1 (full)  ->  rotated w  ->  D *full w

    axes: 5 axes. dout: (H_out, W_out), w: (KH, KW), stride: int. The fourth panel is w rotated by
    180 degrees; the third outlines its first position on the padded D. The last panel is the
    gradient of the (padded) input rows that the windows reach: (H_out - 1)*s + KH rows.
    Returns the list of draw_cells results (image, texts), one per panel.
    """
    axes = list(np.ravel(axes))
    if len(axes) != 5:
        raise ValueError(f"draw_dilation: need 5 axes, got {len(axes)}.")
    dout, w = np.asarray(dout, dtype=float), np.asarray(w, dtype=float)
    KH, KW = w.shape
    d = dilate(dout, stride)
    d_pad = np.pad(d, ((KH - 1, KH - 1), (KW - 1, KW - 1)))
    dx = F.convolve2d(d, w, "full")
    panels = [(dout, "dL/dY"), (d, f"dilated (s = {stride})"), (d_pad, "padded for 'full'"),
              (w[::-1, ::-1], "w rotated 180°"), (dx, "dL/dX_pad = D *full w")]
    drawn = [draw_signed_matrix(ax, a, fmt, title) for ax, (a, title) in zip(axes, panels)]
    draw_box(axes[2], 0, 0, KH, KW, color="darkorange")
    return drawn


def mark_dout_cell(axes, dout_shape, k_shape, stride, cell, boxes=None):
    """Outline where one entry dL/dy[i, j] goes in a draw_dilation picture (eqs. (8.1), (8)): it
    sits at D[i*s, j*s] (panel 2; panel 3 adds the KH - 1, KW - 1 rows and columns of zeros), and
    the full convolution spreads it, times w, over the KH x KW block of dL/dX_pad that starts at
    (i*s, j*s): exactly the window that produced y[i, j] in the forward pass.

    axes: the 5 axes of draw_dilation. cell: (i, j), 0-based. boxes: the result of an earlier call,
    to move those boxes instead of drawing new ones. Returns the 4 Rectangles.
    """
    axes = list(np.ravel(axes))
    (H_out, W_out), (KH, KW) = dout_shape, k_shape
    i, j = cell
    if not (0 <= i < H_out and 0 <= j < W_out):
        raise ValueError(f"mark_dout_cell: cell ({i}, {j}) is outside dL/dY of shape {tuple(dout_shape)}; "
                         "rows and columns are 0-based.")
    spots = [(axes[0], i, j, 1, 1), (axes[1], i * stride, j * stride, 1, 1),
             (axes[2], i * stride + KH - 1, j * stride + KW - 1, 1, 1),
             (axes[4], i * stride, j * stride, KH, KW)]
    if boxes is None:
        return [draw_box(ax, r, c, h, w, color=MARK) for ax, r, c, h, w in spots]
    for box, (ax, r, c, h, w) in zip(boxes, spots):
        box.set_xy((c - 0.5, r - 0.5))
    return boxes


def pool_windows(x_hw, size, stride):
    """Top-left corners of every pooling window, row-major: [(row, col), ...] (eq. (1), no padding)."""
    (H, W) = x_hw
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    return [(i * stride, j * stride) for i in range(H_out) for j in range(W_out)]


def _pool_state(x, dout, kind, size, stride, window, where):
    """Validate a pooling picture's inputs; return (corners, W_out, dx, caption)."""
    if kind not in ("max", "avg"):
        raise ValueError(f"{where}: kind must be 'max' or 'avg', got {kind!r}.")
    corners = pool_windows(x.shape, size, stride)
    H_out, W_out = (x.shape[0] - size) // stride + 1, (x.shape[1] - size) // stride + 1
    if dout.shape != (H_out, W_out):
        raise ValueError(f"{where}: dout must have the output's shape ({H_out}, {W_out}) for a "
                         f"{x.shape} input, size {size}, stride {stride}; got {dout.shape}.")
    if not 0 <= window < len(corners):
        raise ValueError(f"{where}: window {window} does not exist; there are {len(corners)} "
                         f"windows (0..{len(corners) - 1}).")
    backward = F.max_pool2d_backward if kind == "max" else F.avg_pool2d_backward
    dx = backward(dout[None, None], x[None, None], size, stride)[0, 0]
    (r, c), (i, j) = corners[window], divmod(window, W_out)
    if kind == "max":
        u, v = np.unravel_index(np.argmax(x[r:r + size, c:c + size]), (size, size))
        caption = (f"window {window}: its maximum {x[r + u, c + v]:g} at ({r + u}, {c + v}) "
                   f"gets all of dout = {dout[i, j]:g}; the others get 0")
    else:
        caption = (f"window {window}: each of its {size * size} cells gets dout / {size * size} = "
                   f"{dout[i, j]:g} / {size * size} = {dout[i, j] / size ** 2:.4g}")
    if stride < size:
        caption += "\nwindows overlap: a cell in several windows gets the sum (+=)"
    if any((x.shape[k] - size) % stride for k in (0, 1)):
        caption += "\nno window reaches the last row/column (floor in eq. (1)): gradient 0 there"
    return corners, W_out, dx, caption


def draw_pool_backward(axes, x, dout, kind, size, stride, window=0, fmt="{:.3g}"):
    """Where the gradient of a pooling layer goes, one channel (eq. (10) max, eq. (11) average).

    axes: 3 axes (x | dout | dx). x: (H, W) forward input, dout: (H_out, W_out) = dL/d(out),
    kind: 'max' or 'avg', size, stride: ints, window: index of the window to outline (row-major).
    Panel 1 outlines the window and, for max pooling, marks each window's first maximum (the cells
    that receive gradient) with a dot; panel 3 shows dx, summed where windows overlap.
    Returns {"panels": [draw_cells results], "boxes": [3 Rectangles], "dots": Line2D,
    "caption": Text, "dx": dx, ...}; update_pool_backward changes kind and window in place.
    """
    axes = list(np.ravel(axes))
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    corners, W_out, dx, caption = _pool_state(x, dout, kind, size, stride, window, "draw_pool_backward")
    panels = [draw_cells(axes[0], x, fmt, "Greys", x.min() - 0.3 * np.ptp(x) - 1e-9,
                         x.max() + 0.6 * np.ptp(x) + 1e-9, "input x"),
              draw_signed_matrix(axes[1], dout, fmt, "dL/d(out)"),
              draw_signed_matrix(axes[2], dx, fmt)]
    firsts = [np.unravel_index(np.argmax(x[r:r + size, c:c + size]), (size, size)) for r, c in corners]
    dots, = axes[0].plot([c + v + 0.33 for (r, c), (u, v) in zip(corners, firsts)],
                         [r + u - 0.3 for (r, c), (u, v) in zip(corners, firsts)],
                         "o", color="crimson", markersize=4)
    boxes = [draw_box(axes[0], 0, 0, size, size, color="darkorange"),
             draw_box(axes[1], 0, 0, 1, 1, color="darkorange"),
             draw_box(axes[2], 0, 0, size, size, color="darkorange")]
    text = axes[1].text(0.5, -0.12, "", transform=axes[1].transAxes, ha="center", va="top",
                        fontsize=10)
    drawn = {"panels": panels, "boxes": boxes, "dots": dots, "caption": text, "axes": axes,
             "x": x, "dout": dout, "size": size, "stride": stride, "fmt": fmt}
    _show_pool(drawn, kind, window, corners, W_out, dx, caption)
    return drawn


class SharesOf:
    """A number format (used as fmt.format(v)) writing multiples of 1/n as fractions: an average pool
    of size k hands each cell dout / k^2, so its dx reads '1/9', '5/4' (exact and shorter than
    0.111, 1.25, which do not fit a small cell at a legible size); other values as `fallback`."""

    def __init__(self, n, fallback="{:.3g}"):
        self.n, self.fallback = n, fallback

    def format(self, value):
        shares = value * self.n
        if abs(shares - round(shares)) > 1e-9 or value == round(value):
            return self.fallback.format(value)
        return str(Fraction(round(shares), self.n))


def _show_pool(drawn, kind, window, corners, W_out, dx, caption):
    (r, c), (i, j) = corners[window], divmod(window, W_out)
    for box, (row, col) in zip(drawn["boxes"], [(r, c), (i, j), (r, c)]):
        box.set_xy((col - 0.5, row - 0.5))
    drawn["dots"].set_visible(kind == "max")
    _set_matrix(drawn["panels"][2], dx, SharesOf(drawn["size"] ** 2, drawn["fmt"]) if kind == "avg" else drawn["fmt"])
    drawn["axes"][2].title.set_text(f"dL/dx ({kind} pool {drawn['size']}x{drawn['size']}, "
                                    f"s={drawn['stride']})")  # only the text: keeps its size
    drawn["caption"].set_text(caption)
    drawn["dx"], drawn["kind"], drawn["window"] = dx, kind, window


def update_pool_backward(drawn, kind, window):
    """Switch a draw_pool_backward picture to another pool type and window, in place (same x, dout,
    size and stride)."""
    state = _pool_state(drawn["x"], drawn["dout"], kind, drawn["size"], drawn["stride"], window,
                        "update_pool_backward")
    _show_pool(drawn, kind, window, *state)
    return drawn


def dilation_figure(dout_shape, k_shape, stride, height=2.6):
    """A new figure with 5 axes for draw_dilation, widths proportional to each panel's columns."""
    (H_out, W_out), (KH, KW) = dout_shape, k_shape
    Wd = (W_out - 1) * stride + 1
    ratios = [W_out, Wd, Wd + 2 * (KW - 1), KW, Wd + KW - 1]
    fig, axes = plt.subplots(1, 5, figsize=(0.5 * sum(ratios) + 1.5, height),
                             gridspec_kw={"width_ratios": ratios})
    return fig, axes

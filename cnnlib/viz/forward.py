"""Chapter 06 drawings: how filter i of a conv layer sums its channel correlations into Y_i (eq. (5)).

    fig, axes = filter_sum_figure(C)                   # a (3, C + 1) grid of axes
    drawn = draw_filter_sum(axes, x, w, b, i)          # draw filter i
    update_filter_sum(drawn, x, w, b, i2)              # redraw in place for another filter (widgets)

Layout: column j shows X_j (top), K_ij (middle) and X_j * K_ij (bottom); the last column shows the
bias B_i as a matrix (every entry the same for a tied bias) and the output Y_i = B_i + sum_j X_j * K_ij.
"""
import matplotlib.pyplot as plt
import numpy as np

from .. import functional as F
from .contrast import cell_text_colour


def filter_sum_figure(C, cell=1.55):
    """A new figure with a (3, C + 1) grid of axes for draw_filter_sum. Returns (fig, axes)."""
    fig, axes = plt.subplots(3, C + 1, figsize=(cell * (C + 1) + 0.6, cell * 3 + 0.9), squeeze=False)
    return fig, axes


def _limits(a):
    """Symmetric colour limits, so zero is always the palest colour."""
    top = float(np.max(np.abs(a))) if np.size(a) else 1.0
    return -max(top, 1e-12), max(top, 1e-12)


def draw_cells(ax, a, fmt="{:g}", cmap="RdBu_r", vmin=None, vmax=None, title=None, fontsize=8):
    """A matrix as coloured cells with its numbers, like common.draw_matrix but without tick marks
    (creating and drawing ticks is most of the cost of a matplotlib frame; widgets redraw often).

    a: (H, W). Returns (image, texts), texts in row-major order; update them with _set_matrix.
    """
    a = np.asarray(a)
    vmin = float(np.min(a)) if vmin is None else vmin
    vmax = float(np.max(a)) if vmax is None else vmax
    image = ax.imshow(a, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    texts = [ax.text(c, r, "", ha="center", va="center", fontsize=fontsize)
             for r in range(a.shape[0]) for c in range(a.shape[1])]
    pair = (image, texts)
    _set_matrix(pair, a, fmt)
    plain_grid(ax, a.shape)
    if title:
        ax.set_title(title, y=1.0)  # a fixed y skips matplotlib's title placement (slow) at each redraw
    return pair


def plain_grid(ax, shape):
    """A cell grid drawn as two line collections, axis off (no ticks: cheap to redraw)."""
    H, W = shape
    ax.set_axis_off()
    ax.hlines(np.arange(-0.5, H), -0.5, W - 0.5, color="0.6", linewidth=0.5)
    ax.vlines(np.arange(-0.5, W), -0.5, H - 0.5, color="0.6", linewidth=0.5)


def draw_signed_matrix(ax, a, fmt="{:g}", title=None):
    """draw_cells on a red (positive) / blue (negative) scale with zero white. Returns (image, texts)."""
    vmin, vmax = _limits(a)
    return draw_cells(ax, a, fmt, "RdBu_r", vmin, vmax, title)


def _set_matrix(pair, a, fmt):
    """Update a draw_cells result in place: data, colour limits, numbers and their colours."""
    image, texts = pair
    if image.get_cmap().name == "RdBu_r":      # signed: symmetric limits, zero white
        vmin, vmax = _limits(a)
        image.set_clim(vmin, vmax)
    vmin, vmax = image.get_clim()
    image.set_data(a)
    for text, value in zip(texts, np.ravel(a)):
        text.set_text(fmt.format(value))
        text.set_color(cell_text_colour(image, value))  # >= 4.5:1 on the cell colour (viz/contrast.py)


def _pieces(x, w, b, i):
    """Everything filter i draws: kernels (C, KH, KW), correlations (C, H_out, W_out), bias, output."""
    C = x.shape[0]
    if not 0 <= i < w.shape[0]:
        raise ValueError(f"draw_filter_sum: filter index i={i} is out of range; w has {w.shape[0]} "
                         f"filters (w: (F, C, KH, KW) = {w.shape}).")
    corr = np.stack([F.correlate2d(x[j], w[i, j]) for j in range(C)])   # (C, H_out, W_out)
    b = np.zeros(w.shape[0]) if b is None else np.asarray(b, dtype=float)
    bias = np.full(corr.shape[1:], b[i]) if b.ndim == 1 else b[i]       # (H_out, W_out)
    return w[i], corr, bias, bias + corr.sum(axis=0)


def draw_filter_sum(axes, x, w, b, i, fmt="{:g}"):
    """Draw Y_i = B_i + sum_j X_j * K_ij for one image and filter i (stride 1, no padding).

    axes: (3, C + 1) array of axes (see filter_sum_figure). x: (C, H, W), w: (F, C, KH, KW),
    b: (F,) tied, (F, H_out, W_out) untied, or None. Returns a dict of what was drawn:
    {"x", "k", "corr": lists of (image, texts) per channel, "bias", "y": (image, texts), "titles"}.
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.ndim != 3 or w.ndim != 4 or w.shape[1] != x.shape[0]:
        raise ValueError(f"draw_filter_sum: need x (C, H, W) and w (F, C, KH, KW) with the same C; "
                         f"got x {x.shape}, w {w.shape}.")
    C = x.shape[0]
    axes = np.asarray(axes)
    if axes.shape != (3, C + 1):
        raise ValueError(f"draw_filter_sum: axes must be a (3, C + 1) = (3, {C + 1}) grid, got "
                         f"{axes.shape}. Use filter_sum_figure(C).")
    k, corr, bias, y = _pieces(x, w, b, i)
    drawn = {"x": [], "k": [], "corr": [], "titles": []}
    for j in range(C):
        drawn["x"].append(draw_signed_matrix(axes[0, j], x[j], fmt, f"X{sub(j + 1)}"))
        drawn["k"].append(draw_signed_matrix(axes[1, j], k[j], fmt))
        drawn["corr"].append(draw_signed_matrix(axes[2, j], corr[j], fmt))
    axes[0, C].axis("off")
    drawn["note"] = axes[0, C].text(0.5, 0.5, "", ha="center", va="center", fontsize=10,
                                    transform=axes[0, C].transAxes)
    drawn["bias"] = draw_signed_matrix(axes[1, C], bias, fmt)
    drawn["y"] = draw_signed_matrix(axes[2, C], y, fmt)
    drawn["axes"] = axes
    _set_titles(drawn, b, i, C)
    return drawn


_SUB = str.maketrans("0123456789j", "₀₁₂₃₄₅₆₇₈₉ⱼ")


def sub(text):
    """Digits and j as subscripts: sub('12') -> '₁₂'. Plain text, not mathtext: mathtext titles
    are parsed again whenever they change, which made each widget step ~10 ms slower per title."""
    return str(text).translate(_SUB)


def _retitle(ax, text, **kw):
    """A title set when drawing; on a redraw only its text changes (its size and colour stay)."""
    if ax.get_title():
        ax.title.set_text(text)
    else:
        ax.set_title(text, y=1.0, **kw)


def _set_titles(drawn, b, i, C):
    axes = drawn["axes"]
    for j in range(C):
        _retitle(axes[1, j], f"K{sub(f'{i + 1}{j + 1}')}")
        _retitle(axes[2, j], f"X{sub(j + 1)} ⋆ K{sub(f'{i + 1}{j + 1}')}")
    _retitle(axes[1, C], f"B{sub(i + 1)}")
    _retitle(axes[2, C], f"Y{sub(i + 1)}", color="darkred")
    tied = b is None or np.ndim(b) == 1
    drawn["note"].set_text(f"filter {i + 1}:\nY{sub(i + 1)} = B{sub(i + 1)} + Σ{sub('j')} X{sub('j')} ⋆ "
                           f"K{sub(f'{i + 1}j')}\n" + ("tied bias: one number" if tied else "untied bias: a matrix"))


def update_filter_sum(drawn, x, w, b, i, fmt="{:g}"):
    """Redraw a draw_filter_sum result in place for filter i (same x and shapes): no new artists."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    k, corr, bias, y = _pieces(x, w, b, i)
    for j in range(x.shape[0]):
        _set_matrix(drawn["k"][j], k[j], fmt)
        _set_matrix(drawn["corr"][j], corr[j], fmt)
    _set_matrix(drawn["bias"], bias, fmt)
    _set_matrix(drawn["y"], y, fmt)
    _set_titles(drawn, b, i, x.shape[0])
    return drawn


def draw_filter_sum_images(axes, x, w, b, i, channel_names=("R", "G", "B")):
    """Eq. (5) on a real image: the same (3, C + 1) layout as draw_filter_sum, with pictures instead
    of numbers for the channels X_j, the correlations X_j * K_ij and the output Y_i (kernels still
    show their numbers). x: (C, H, W) (for C = 3, RGB in [0, 1]: each channel shown in its colour),
    w: (F, C, KH, KW), b: (F,) or None. Correlations and Y_i: red positive, blue negative, on one
    colour scale, so their sizes compare.
    Returns {"x", "k", "corr": lists per channel, "y", "note"}.
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    C = x.shape[0]
    axes = np.asarray(axes)
    if x.ndim != 3 or w.ndim != 4 or w.shape[1] != C or axes.shape != (3, C + 1):
        raise ValueError(f"draw_filter_sum_images: need x (C, H, W), w (F, C, KH, KW) with the same C "
                         f"and a (3, C + 1) grid of axes; got x {x.shape}, w {w.shape}, axes {axes.shape}.")
    k, corr, bias, y = _pieces(x, w, b, i)
    top = float(max(np.abs(corr).max(), np.abs(y).max(), 1e-12))
    names = list(channel_names) if C == len(channel_names) else [str(j + 1) for j in range(C)]
    drawn = {"x": [], "k": [], "corr": []}
    for j in range(C):
        if C == 3:   # colour channel j alone: black -> pure red / green / blue
            alone = np.zeros(x.shape[1:] + (3,))
            alone[..., j] = np.clip(x[j], 0, 1)
            drawn["x"].append(axes[0, j].imshow(alone))
        else:
            drawn["x"].append(axes[0, j].imshow(x[j], cmap="gray"))
        axes[0, j].set_title(f"$X_{j + 1}$ ({names[j]})", y=1.0)
        drawn["k"].append(draw_signed_matrix(axes[1, j], k[j], "{:.2g}", f"$K_{{{i + 1}{j + 1}}}$"))
        drawn["corr"].append(axes[2, j].imshow(corr[j], cmap="RdBu_r", vmin=-top, vmax=top))
        axes[2, j].set_title(f"$X_{j + 1} \\star K_{{{i + 1}{j + 1}}}$", y=1.0)
    drawn["y"] = axes[2, C].imshow(y, cmap="RdBu_r", vmin=-top, vmax=top)
    axes[2, C].set_title(f"$Y_{i + 1}$", color="darkred", y=1.0)
    b_i = 0.0 if b is None else float(np.ravel(bias)[0])
    for ax in [axes[0, C], axes[1, C]]:
        ax.axis("off")
    drawn["note"] = axes[0, C].text(0.5, 0.5, f"filter {i + 1}:\n$Y_{i + 1} = B_{i + 1} + \\sum_j X_j "
                                    f"\\star K_{{{i + 1}j}}$\n$B_{i + 1}$ = {b_i:g}", ha="center",
                                    va="center", fontsize=10, transform=axes[0, C].transAxes)
    for ax in list(axes[0, :C]) + list(axes[2]):
        ax.set_xticks([])
        ax.set_yticks([])
    return drawn

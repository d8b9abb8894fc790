"""Drawings for chapter 02 (convolution and cross-correlation).

    window_weights(kind, size)                 box / triangle / gaussian weights that sum to 1
    draw_smoothing(ax, signal, weights, clean) a noisy signal and its weighted moving average
    draw_window_sum(ax, image, kernel, i, j)   the image with the window of output (i, j) boxed
    draw_modes(axes, image, kernel)            'valid', 'same', 'full' outputs with their shapes
    PRESETS, apply_filter, filter_display      "Photoshop" 3x3 filters on a grey or colour image
    draw_filter / update_filter                kernel | input | output, redrawn by the widget
    draw_filter_grid(axes, images, names)      every preset on every image (the static figure)

Every draw_* function takes its axes, draws, and returns what it drew.
"""
import numpy as np

from .. import functional as F
from .common import draw_box, draw_image, draw_matrix

# 3x3 kernels, used with cross-correlation (F.correlate2d, what CNN layers compute)
PRESETS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "blur": np.full((3, 3), 1 / 9),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "edge (vertical)": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float),
    "edge (horizontal)": np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], dtype=float),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=float),
    "outline": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float),
}

WINDOW_KINDS = ("box", "triangle", "gaussian")


def window_weights(kind, size):
    """Weights of a moving average over `size` samples (odd, >= 1), summing to 1.

    'box': all equal; 'triangle': rising to the middle, then falling; 'gaussian': exp(-d^2 / 2s^2)
    with s = size / 4. Returns (size,) float64.
    """
    if kind not in WINDOW_KINDS:
        raise ValueError(f"window_weights: unknown kind {kind!r}; use one of {WINDOW_KINDS}.")
    if int(size) != size or size < 1 or size % 2 == 0:
        raise ValueError(f"window_weights: size must be an odd int >= 1 (a centre sample), got {size!r}.")
    d = np.arange(size) - (size - 1) / 2  # distance from the centre
    if kind == "box":
        w = np.ones(size)
    elif kind == "triangle":
        w = (size + 1) / 2 - np.abs(d)
    else:
        w = np.exp(-d ** 2 / (2 * (size / 4) ** 2))
    return w / w.sum()


def smooth(signal, weights):
    """Weighted moving average, same length as signal: np.convolve(signal, weights, 'same'), i.e.
    eq. (2.1) of chapter 02, out[n] = sum_k signal[n - k] weights[k], with zeros outside the signal."""
    return np.convolve(signal, weights, mode="same")


def draw_smoothing(ax, signal, weights, clean=None):
    """The noisy samples (grey dots), their weighted moving average (line), the clean curve (dashed).

    signal, clean: (n,); weights: (k,). Returns {'samples', 'average', 'clean'} (Line2D, clean may be None).
    """
    n = np.arange(len(signal))
    drawn = {"samples": ax.plot(n, signal, ".", color="0.6", markersize=4, label="noisy samples")[0],
             "clean": None}
    if clean is not None:
        drawn["clean"] = ax.plot(n, clean, "--", color="black", linewidth=1, label="signal without noise")[0]
    drawn["average"] = ax.plot(n, smooth(signal, weights), color="tab:red", linewidth=2,
                               label="weighted moving average")[0]
    ax.set_title(f"moving average over {len(weights)} samples", fontsize=10)
    ax.set_xlabel("sample n")
    lo, hi = float(np.min(signal)), float(np.max(signal))
    span = (hi - lo) or 1.0  # a constant signal still gets a visible range
    ax.set_ylim(lo - 0.05 * span, hi + 0.3 * span)  # room for the legend above the data
    ax.legend(loc="upper center", ncol=3, fontsize=8, frameon=False)
    return drawn


def update_smoothing(drawn, signal, weights):
    """Redraw draw_smoothing's average for new weights (data and title only)."""
    drawn["average"].set_ydata(smooth(signal, weights))
    drawn["average"].axes.title.set_text(f"moving average over {len(weights)} samples")  # keeps its size
    return drawn


def window_sum_text(image, kernel, i, j):
    """'0*0 + 1*1 + 3*2 + 4*3 = 19': the products summed for output (i, j) of a 'valid' correlation."""
    KH, KW = kernel.shape
    window = image[i:i + KH, j:j + KW]
    terms = " + ".join(f"{a:g}*{b:g}" for a, b in zip(window.ravel(), kernel.ravel()))
    return f"{terms} = {np.sum(window * kernel):g}"


def window_sum_lines(image, kernel, i, j):
    """window_sum_text with one line per kernel row ('0*0 + 1*1 +' / '3*2 + 4*3 = 19'): fits a title
    over a narrow panel at a legible size."""
    KH, KW = kernel.shape
    window = image[i:i + KH, j:j + KW]
    rows = [" + ".join(f"{a:g}*{b:g}" for a, b in zip(window[r], kernel[r])) for r in range(KH)]
    return " +\n".join(rows) + f" = {np.sum(window * kernel):g}"


def draw_window_sum(ax, image, kernel, i, j):
    """The image with its numbers and the window of output (i, j) of a 'valid' correlation boxed;
    the title writes out the sum. Returns (image, texts, rect)."""
    KH, KW = np.shape(kernel)
    drawn_image, texts = draw_matrix(ax, image, cmap="Greys", vmin=0, vmax=2 * np.max(np.abs(image)))
    rect = draw_box(ax, i, j, KH, KW)
    ax.set_title(f"out[{i}, {j}]:\n{window_sum_lines(np.asarray(image), np.asarray(kernel), i, j)}", fontsize=10)
    return drawn_image, texts, rect


def draw_modes(axes, image, kernel, fmt="{:g}"):
    """F.correlate2d(image, kernel, mode) for mode in ('valid', 'same', 'full'), one per ax,
    titled with the output shape. Returns the three outputs."""
    outs = []
    for ax, mode in zip(axes, ("valid", "same", "full")):
        out = F.correlate2d(image, kernel, mode)
        draw_matrix(ax, out, fmt=fmt, cmap="Oranges", title=f"'{mode}': {out.shape[0]}x{out.shape[1]}")
        outs.append(out)
    return outs


def apply_filter(img, kernel):
    """Cross-correlate every channel with the same kernel, 'same' size (equation (2) per channel).

    img: (H, W) grey or (C, H, W) channels first. Returns the same shape, float.
    """
    img = np.asarray(img)
    if img.ndim == 2:
        return F.correlate2d(img, kernel, mode="same")
    if img.ndim == 3:
        return np.stack([F.correlate2d(channel, kernel, mode="same") for channel in img])  # (C, H, W)
    raise ValueError(f"apply_filter needs (H, W) or (C, H, W), got shape {img.shape}.")


def filter_display(out, kernel):
    """An output of apply_filter made ready for imshow with values in [0, 1].

    Kernels whose weights sum to 0 (edges, outline) give 0 on flat areas: those are shown as
    0.5 + out / 2 (mid grey = 0), like an image editor's edge and emboss filters. Others are clipped.
    (C, H, W) becomes (H, W, C).
    """
    if abs(float(np.sum(kernel))) < 1e-9:
        out = 0.5 + out / 2
    out = np.clip(out, 0.0, 1.0)
    return out.transpose(1, 2, 0) if out.ndim == 3 else out


def kernel_number(value):
    """A kernel entry as written in its cell: '1/9' for one over a whole number (the blur's 0.111...,
    shorter and exact), otherwise 2 significant digits ('-2', '0.5')."""
    if value != 0 and abs(round(1 / value) - 1 / value) < 1e-9 and abs(round(1 / value)) > 1:
        return f"{'-' if value < 0 else ''}1/{abs(round(1 / value))}"
    return f"{value:.2g}"


def _label_kernel(texts, kernel):
    """Write the kernel's numbers in its cells, white on the dark (|value| > 2) ones."""
    for text, value in zip(texts, np.ravel(kernel)):
        text.set_text(kernel_number(value))
        text.set_color("white" if abs(value) > 2 else "black")


def _show(img):
    return img.transpose(1, 2, 0) if img.ndim == 3 else img


def draw_filter(ax_kernel, ax_in, ax_out, img, kernel):
    """Kernel (numbers) | input | filtered output.

    Returns {'kernel', 'texts', 'borders', 'output'}: update_filter changes the first two and the last."""
    kernel = np.asarray(kernel, dtype=float)
    k_image, texts = draw_matrix(ax_kernel, kernel, fmt="{:.2g}", cmap="RdBu_r", vmin=-4, vmax=4,
                                 title="kernel")
    _label_kernel(texts, kernel)
    KH, KW = kernel.shape  # cell borders as their own artists, so a widget can redraw them over the cells
    borders = [ax_kernel.hlines(np.arange(0.5, KH - 1), -0.5, KW - 0.5, color="0.6", linewidth=0.8),
               ax_kernel.vlines(np.arange(0.5, KW - 1), -0.5, KH - 0.5, color="0.6", linewidth=0.8)]
    draw_image(ax_in, _show(np.asarray(img)), title="input", vmin=0, vmax=1)
    out = draw_image(ax_out, filter_display(apply_filter(img, kernel), kernel), title="output", vmin=0, vmax=1)
    return {"kernel": k_image, "texts": texts, "borders": borders, "output": out}


def update_filter(drawn, img, kernel):
    """Redraw draw_filter for a new kernel: the kernel's colours and numbers, and the output."""
    kernel = np.asarray(kernel, dtype=float)
    drawn["kernel"].set_data(kernel)
    _label_kernel(drawn["texts"], kernel)
    drawn["output"].set_data(filter_display(apply_filter(img, kernel), kernel))
    return drawn


def draw_filter_grid(axes, images, names, labels=None):
    """Top row: the kernels of PRESETS[name] for name in names; each further row: one image filtered
    by each of them, labelled labels[row] on the left. axes: (1 + len(images), len(names)).
    Returns the outputs of apply_filter as a (len(images), len(names)) nested list."""
    axes = np.asarray(axes)
    outs = []
    for col, name in enumerate(names):
        _, texts = draw_matrix(axes[0, col], PRESETS[name], cmap="RdBu_r", vmin=-4, vmax=4, fontsize=8)
        _label_kernel(texts, PRESETS[name])
        axes[0, col].set_title(name.replace(" (", "\n("), fontsize=10)  # "edge\n(vertical)": fits its column
        axes[0, col].set_xticks([])
        axes[0, col].set_yticks([])
    for row, img in enumerate(images, start=1):
        outs.append([])
        for col, name in enumerate(names):
            out = apply_filter(img, PRESETS[name])
            draw_image(axes[row, col], filter_display(out, PRESETS[name]), vmin=0, vmax=1)
            outs[-1].append(out)
        if labels is not None:
            axes[row, 0].set_ylabel(labels[row - 1])
    return outs

"""Drawings for chapter 01 (why CNNs): shuffled pixels, parameter counts, translation equivariance.

Every draw_* function takes its axes, draws, and returns what it drew, so the static figures,
the widget in cnnlib.widgets.why and the tests all use the same code.
"""
import numpy as np

from .. import functional as F
from .common import draw_image


def shift_image(img, dy, dx):
    """A copy of img moved dy pixels down and dx pixels right; the pixels that enter are 0.

    img: (H, W). Returns (H, W), same dtype. Pixels pushed past the border are lost (no wrap-around,
    unlike np.roll). Negative dy / dx move up / left.
    """
    img = np.asarray(img)
    if img.ndim != 2:
        raise ValueError(f"shift_image needs one channel (H, W), got shape {img.shape}. "
                         "Fix: pass x[n, c] of an NCHW batch.")
    H, W = img.shape
    dy, dx = int(dy), int(dx)
    out = np.zeros_like(img)
    if abs(dy) >= H or abs(dx) >= W:
        return out  # everything moved out of the frame
    # out[r + dy, c + dx] = img[r, c] wherever both are inside the frame
    out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \
        img[max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out


def shuffle_pixels(images, perm):
    """Apply one fixed permutation of the pixel positions to every image.

    images: (N, H, W) or (N, 1, H, W); perm: (H*W,) a permutation of 0..H*W-1.
    Returns the shuffled images with the input's shape: flat_out[n, k] = flat_in[n, perm[k]].
    """
    images = np.asarray(images)
    flat = images.reshape(len(images), -1)  # (N, H*W)
    perm = np.asarray(perm)
    if sorted(perm.tolist()) != list(range(flat.shape[1])):
        raise ValueError(f"shuffle_pixels: perm must be a permutation of 0..{flat.shape[1] - 1} "
                         f"(one index per pixel), got shape {perm.shape}. Fix: rng.permutation(H * W).")
    return flat[:, perm].reshape(images.shape)


def draw_shuffle(axes, images, perm):
    """Top row: the images; bottom row: the same images with one fixed pixel shuffle.

    axes: (2, k) array of Axes; images: (k, H, W). Returns the (2, k) list of AxesImages.
    """
    axes = np.asarray(axes)
    shuffled = shuffle_pixels(images, perm)
    drawn = [[], []]
    for j in range(axes.shape[1]):
        drawn[0].append(draw_image(axes[0, j], images[j], vmin=0, vmax=1))
        drawn[1].append(draw_image(axes[1, j], shuffled[j], vmin=0, vmax=1))
    axes[0, 0].set_ylabel("original")
    axes[1, 0].set_ylabel("shuffled")
    return drawn


def draw_templates(axes, w, shape=(28, 28), titles=None):
    """Draw each row of a dense layer's weights w: (K, H*W) as an (H, W) picture, blue < 0 < red.

    axes: K Axes. The colour scale is symmetric about 0 and shared by all K. Returns the AxesImages.
    """
    w = np.asarray(w)
    limit = float(np.abs(w).max()) or 1.0
    drawn = []
    for k, ax in enumerate(np.ravel(axes)):
        title = None if titles is None else titles[k]
        drawn.append(draw_image(ax, w[k].reshape(shape), title=title, cmap="RdBu_r",
                                vmin=-limit, vmax=limit))
    return drawn


def draw_param_counts(ax, counts):
    """Horizontal bars of parameter counts on a log scale, each labelled with its exact number.

    counts: dict {label: count}. Returns the BarContainer.
    """
    labels = list(counts)
    values = [counts[k] for k in labels]
    bars = ax.barh(labels, values, color=["tab:red" if "dense" in k else "tab:blue" for k in labels])
    ax.set_xscale("log")
    ax.invert_yaxis()
    for bar, value in zip(bars, values):
        ax.text(value * 1.15, bar.get_y() + bar.get_height() / 2, f"{value:,}", va="center", fontsize=9)
    ax.set_xlim(1, max(values) * 40)
    ax.set_xlabel("parameters (log scale)")
    return bars


def feature_map(img, kernel):
    """The feature map drawn by draw_shift: F.correlate2d(img, kernel, 'same'), shape (H, W)."""
    return F.correlate2d(img, kernel, mode="same")


def _centre(img):
    """(row, col) of the centre of mass of |img|, or the middle if it is all zeros."""
    weights = np.abs(img)
    total = weights.sum()
    if total == 0:
        return (img.shape[0] - 1) / 2, (img.shape[1] - 1) / 2
    rows, cols = np.indices(img.shape)
    return float((rows * weights).sum() / total), float((cols * weights).sum() / total)


def draw_shift(ax_in, ax_out, img, kernel, dy, dx, limit=None):
    """Left: img shifted by (dy, dx); right: its feature map. A cross marks the input's centre of mass
    in both, so you can see them move together (translation equivariance, chapter 01 eq. (1.4)).

    img: (H, W), kernel: (KH, KW). limit: colour range +-limit of the map (default: from the unshifted map).
    Returns a dict of the artists {'input', 'output', 'marks'} that update_shift changes.
    """
    if limit is None:
        limit = float(np.abs(feature_map(img, kernel)).max()) or 1.0
    shifted = shift_image(img, dy, dx)
    artists = {
        "input": draw_image(ax_in, shifted, vmin=0, vmax=1),
        "output": draw_image(ax_out, feature_map(shifted, kernel), cmap="RdBu_r", vmin=-limit, vmax=limit),
    }
    r, c = _centre(shifted)
    artists["marks"] = [ax.plot([c], [r], marker="+", color="gold", markersize=14, mew=2)[0]
                        for ax in (ax_in, ax_out)]
    ax_in.set_title(f"input shifted by dy={dy}, dx={dx}", fontsize=10)
    ax_out.set_title("feature map", fontsize=10)
    return artists


def update_shift(artists, img, kernel, dy, dx):
    """Redraw a draw_shift figure for a new shift by changing data only (no new artists)."""
    shifted = shift_image(img, dy, dx)
    artists["input"].set_data(shifted)
    artists["output"].set_data(feature_map(shifted, kernel))
    r, c = _centre(shifted)
    for mark in artists["marks"]:
        mark.set_data([c], [r])
    artists["input"].axes.title.set_text(f"input shifted by dy={dy}, dx={dx}")  # keeps its size
    return artists

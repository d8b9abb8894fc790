"""Chapter 04: a filter on a colour image, one kernel slice per channel, summed, plus bias, ReLU.

    colour_filters() -> {name: (w (3, 3, 3), b)}     a few filters with a meaning on RGB photos
    channel_contributions(x, w, b) -> (maps (C, H_out, W_out), total (H_out, W_out), relu)
    draw_channel_sum(axes, x, w, b) -> ChannelSum    axes (2, 5): channels, photo, filter / maps
        ChannelSum.set_filter(w, b) swaps the filter: only the image data, colour limits and the
        kernel numbers change, so a widget can redraw just those.
    draw_filter_slices(ax, w) -> (image, texts)      the C kernel slices side by side, with numbers
    draw_feature_maps(axes, maps, titles) -> images  one panel per output channel

x: (C, H, W) with C = 3 (R, G, B) in [0, 1]; w: (C, KH, KW); b: a number. Equation (5) for one
output channel: out = b + sum_c x[c] * w[c] (each * a cross-correlation, 'valid').
"""
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from .. import functional as F
from .common import draw_image

CHANNEL_NAMES = ("R", "G", "B")
# black -> pure colour, so a bright pixel of the photo is bright in its channel too
CHANNEL_CMAPS = tuple(LinearSegmentedColormap.from_list(f"black_{c}", ["black", c]) for c in
                      ("red", "lime", "blue"))
LUMA = np.array([0.299, 0.587, 0.114])  # how much each channel contributes to brightness (ITU-R BT.601)


def colour_filters():
    """A few 3x3 colour filters with a meaning, as {name: (w (3, 3, 3), b)}.

    'red minus green':   R slice +1/9, G slice -1/9: positive where a 3x3 patch is redder than green.
    'blue detector':     B slice +1/9, R and G -1/18: positive where blue beats the mean of R and G.
    'luminance edge |':  a Sobel kernel for vertical edges, weighted by LUMA in each channel.
    'luminance edge -':  the same for horizontal edges.
    'brightness':        the mean of the 3x3 patch in each channel, weighted by LUMA; b = -0.5.
    """
    box = np.ones((3, 3)) / 9
    sobel = np.array([[1., 0., -1.], [2., 0., -2.], [1., 0., -1.]]) / 4
    return {
        "red minus green": (np.stack([box, -box, 0 * box]), 0.0),
        "blue detector": (np.stack([-box / 2, -box / 2, box]), 0.0),
        "luminance edge |": (LUMA[:, None, None] * sobel, 0.0),
        "luminance edge -": (LUMA[:, None, None] * sobel.T, 0.0),
        "brightness": (LUMA[:, None, None] * box, -0.5),
    }


def channel_contributions(x, w, b=0.0):
    """Each channel's map x[c] * w[c], their sum plus b, and ReLU of that (equation (5), one filter).

    x: (C, H, W), w: (C, KH, KW). Returns maps (C, H_out, W_out), total (H_out, W_out), relu (same)."""
    x, w = np.asarray(x), np.asarray(w)
    if x.ndim != 3 or w.ndim != 3 or x.shape[0] != w.shape[0]:
        raise ValueError(f"channel_contributions needs x (C, H, W) and w (C, KH, KW) with the same C, "
                         f"got {x.shape} and {w.shape}. Fix: one kernel slice per input channel.")
    maps = np.stack([F.correlate2d(x[c], w[c]) for c in range(x.shape[0])])  # (C, H_out, W_out)
    total = maps.sum(axis=0) + b                                              # (H_out, W_out)
    return maps, total, F.relu(total)


def _slices_canvas(w):
    """(C, KH, KW) -> (C*KH + C - 1, KW): the slices stacked top to bottom, NaN rows between them."""
    C, KH, KW = w.shape
    canvas = np.full((C * (KH + 1) - 1, KW), np.nan)
    for c in range(C):
        canvas[c * (KH + 1):c * (KH + 1) + KH] = w[c]
    return canvas


def draw_filter_slices(ax, w, fmt="{:+.2f}", fontsize=8, show_numbers=True):
    """The C slices of one filter stacked top to bottom (a blank row between), each number written.

    w: (C, KH, KW). Returns (image, texts) with texts in (c, u, v) order ([] without numbers)."""
    w = np.asarray(w, dtype=float)
    C, KH, KW = w.shape
    canvas = _slices_canvas(w)
    limit = max(np.nanmax(np.abs(canvas)), 1e-12)
    image = ax.imshow(np.ma.masked_invalid(canvas), cmap="RdBu_r", vmin=-1.6 * limit, vmax=1.6 * limit,
                      aspect="auto")  # fill the panel: the numbers need the room
    texts = [ax.text(v, c * (KH + 1) + u, fmt.format(w[c, u, v]), ha="center", va="center",
                     fontsize=fontsize) for c in range(C) for u in range(KH) for v in range(KW)
             if show_numbers]
    ax.set_yticks([c * (KH + 1) + (KH - 1) / 2 for c in range(C)])
    ax.set_yticklabels([f"K_{CHANNEL_NAMES[c]}" if C == 3 else f"K_{c}" for c in range(C)])
    ax.set_xticks([])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    return image, texts


class ChannelSum:
    """What draw_channel_sum drew: images maps (C), total, relu, kernel (image, texts); set_filter."""

    def __init__(self, x):
        self.x = np.asarray(x)

    def set_filter(self, w, b=0.0):
        """Show the filter w (C, KH, KW) with bias b: new maps, colour limits and kernel numbers."""
        w = np.asarray(w, dtype=float)
        if w.shape != self.w_shape:
            raise ValueError(f"set_filter: w must keep the drawn shape {self.w_shape}, got {w.shape}.")
        self.w, self.b = w, float(b)
        self.maps, self.total, self.relu = channel_contributions(self.x, w, b)
        # one symmetric scale for the four maps (blue < 0 < red), so they can be compared; the 99.5th
        # percentile rather than the maximum, so thin edges are not washed out by a few extremes
        limit = max(np.percentile(np.abs(np.concatenate([self.maps, self.total[None]])), 99.5), 1e-6)
        for image, data in zip(self.map_images + [self.total_image], list(self.maps) + [self.total]):
            image.set_data(data)
            image.set_clim(-limit, limit)
        self.relu_image.set_data(self.relu)
        self.relu_image.set_clim(0, max(np.percentile(self.relu, 99.5), 1e-6))
        kernel_image, kernel_texts = self.kernel
        kernel_image.set_data(np.ma.masked_invalid(_slices_canvas(w)))
        w_limit = max(np.abs(w).max(), 1e-12)
        kernel_image.set_clim(-1.6 * w_limit, 1.6 * w_limit)
        for text, value in zip(kernel_texts, w.ravel()):
            text.set_text(f"{value:+.2f}")
        return self

    def summary(self):
        """One line of numbers about the current filter's output."""
        zeroed = np.mean(self.total <= 0)
        return (f"sum + b in [{self.total.min():.3f}, {self.total.max():.3f}]; "
                f"ReLU sets {100 * zeroed:.0f}% of the {self.total.size} outputs to 0")


def draw_channel_sum(axes, x, w, b=0.0, show_numbers=True):
    """Equation (5) for one filter on a colour image, as a 2 x 5 grid of panels.

    axes: (2, 5). Top row: the R, G, B channels, the photo, the filter's slices.
    Bottom row: R * K_R, G * K_G, B * K_B (one colour scale, blue < 0 < red), their sum + b, ReLU.
    x: (3, H, W) in [0, 1], w: (3, KH, KW), b: a number. show_numbers: write the kernel's numbers
    (a widget may leave them out: text is slow to render, and print them beside). Returns a ChannelSum.
    """
    axes = np.asarray(axes)
    x = np.asarray(x)
    if axes.shape != (2, 5):
        raise ValueError(f"draw_channel_sum needs axes of shape (2, 5), got {axes.shape}.")
    if x.ndim != 3 or x.shape[0] != 3:
        raise ValueError(f"draw_channel_sum needs an RGB image (3, H, W), got shape {x.shape}. "
                         "Fix: for an (H, W, 3) image pass img.transpose(2, 0, 1).")
    drawn = ChannelSum(x)
    w = np.asarray(w, dtype=float)
    drawn.w_shape = w.shape
    maps, total, relu = channel_contributions(x, w, b)
    drawn.channel_images = [draw_image(axes[0, c], x[c], f"channel {CHANNEL_NAMES[c]}: x[{c}]",
                                       cmap=CHANNEL_CMAPS[c], vmin=0, vmax=1) for c in range(3)]
    drawn.photo = draw_image(axes[0, 3], np.clip(x.transpose(1, 2, 0), 0, 1), "photo (3, H, W)")
    drawn.kernel = draw_filter_slices(axes[0, 4], w, show_numbers=show_numbers)
    axes[0, 4].set_title("filter:\none slice per channel")
    titles = [f"x[{c}] ⋆ K_{CHANNEL_NAMES[c]}" if c == 0 else f"+ x[{c}] ⋆ K_{CHANNEL_NAMES[c]}"
              for c in range(3)]
    drawn.map_images = [draw_image(axes[1, c], maps[c], titles[c], cmap="RdBu_r") for c in range(3)]
    drawn.total_image = draw_image(axes[1, 3], total, "= sum + b", cmap="RdBu_r")
    drawn.relu_image = draw_image(axes[1, 4], relu, "ReLU(sum + b)", cmap="magma")
    drawn.animated = drawn.map_images + [drawn.total_image, drawn.relu_image, drawn.kernel[0]] + drawn.kernel[1]
    return drawn.set_filter(w, b)


def draw_feature_maps(axes, maps, titles=None, cmap="magma"):
    """One panel per output channel. maps: (F, H, W); axes: F axes. Returns the images."""
    maps = np.asarray(maps)
    axes = np.ravel(axes)
    if maps.ndim != 3 or len(axes) != maps.shape[0]:
        raise ValueError(f"draw_feature_maps needs maps (F, H, W) and F axes, got maps {maps.shape} "
                         f"and {len(axes)} axes.")
    titles = titles if titles is not None else [f"channel {k}" for k in range(maps.shape[0])]
    return [draw_image(ax, m, t, cmap=cmap, vmin=0 if m.min() >= 0 else None)
            for ax, m, t in zip(axes, maps, titles)]

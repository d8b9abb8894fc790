"""Chapter 10: what a trained CNN learned, and how training went.

Numbers first (numpy only; the metrics themselves are in cnnlib.metrics), then the drawing
functions that show them:

    layer_outputs(model, x)                   every layer's output for one batch (for feature maps)
    distort(image, dx, dy, angle, noise)      a shifted / rotated / noisy copy of one digit

    draw_history(axes, history)               loss and accuracy curves from Sequential.fit's history
    draw_filters(axes, w)                     first-layer filters (F, 1, KH, KW) as small images
    draw_feature_maps(ax, maps)               one layer's output (C, H, W) as a mosaic, a tile per channel
    draw_confusion(ax, cm)                    the confusion matrix with counts
    draw_per_class(ax, acc)                   per-class accuracy as bars
    draw_digits(axes, images, titles)         a row of digits with a title each (e.g. the mistakes)
    draw_probabilities(ax, proba)             the 10 class probabilities of one digit as bars

Each draw_* takes its axes, draws, and returns what it drew (AxesImage / Line2D / bar containers), so
a widget can update the data in place instead of drawing again.
"""
import matplotlib.pyplot as plt
import numpy as np

from .alt import describe, number
from .common import draw_image, draw_matrix


# --------------------------------------------------------------------------------- the numbers

def layer_outputs(model, x):
    """Run x through model.layers one at a time and keep every output.

    model: a Sequential (anything with .layers), x: (N, C, H, W) in the model's dtype.
    Returns a list of (index, layer, output) with output: (N, ...) for every layer, in order.
    """
    outputs = []
    for i, layer in enumerate(model.layers):
        x = layer.forward(x)
        outputs.append((i, layer, x))
    return outputs


def distort(image, dx=0.0, dy=0.0, angle=0.0, noise=0.0, seed=0):
    """A distorted copy of one grey image: rotated by `angle` degrees (counter-clockwise, about the
    centre), shifted by (dx, dy) pixels (right, down), plus Gaussian noise of std `noise`; clipped to
    [0, 1]. Bilinear interpolation: each output pixel looks up where it came from in the input.

    image: (H, W) floats in [0, 1]. Returns (H, W) float32; the input is not changed.
    """
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(f"distort: image must be one grey image (H, W), got shape {image.shape}. "
                         "Fix: pass x[0] for a (1, H, W) digit.")
    H, W = image.shape
    rows, cols = np.mgrid[0:H, 0:W].astype(np.float64)
    cy, cx = (H - 1) / 2, (W - 1) / 2
    t = np.deg2rad(angle)
    # inverse map: output pixel (r, c) comes from input (src_r, src_c): undo the shift, then the rotation
    r0, c0 = rows - dy - cy, cols - dx - cx
    src_c = np.cos(t) * c0 - np.sin(t) * r0 + cx
    src_r = np.sin(t) * c0 + np.cos(t) * r0 + cy
    r_lo, c_lo = np.floor(src_r).astype(int), np.floor(src_c).astype(int)
    fr, fc = src_r - r_lo, src_c - c_lo
    padded = np.pad(image, 1)  # a border of zeros: lookups outside the image read 0

    def at(r, c):
        return padded[np.clip(r + 1, 0, H + 1), np.clip(c + 1, 0, W + 1)]

    out = ((1 - fr) * (1 - fc) * at(r_lo, c_lo) + (1 - fr) * fc * at(r_lo, c_lo + 1)
           + fr * (1 - fc) * at(r_lo + 1, c_lo) + fr * fc * at(r_lo + 1, c_lo + 1))
    if noise:
        out = out + np.random.default_rng(seed).normal(0.0, noise, size=out.shape)
    return np.clip(out, 0, 1).astype(np.float32)


# ------------------------------------------------------------------------------------- drawing

def draw_history(axes, history, smooth=50):
    """Loss (left) and accuracy (right) during training, from the history dict of Sequential.fit.

    axes: two Axes. Per-batch training loss and accuracy are drawn faint, their running mean over
    `smooth` batches solid, and the validation values after each epoch as dots on the same x axis
    (epochs). Returns {'loss': Line2D, 'loss_smooth', 'val_loss', 'acc', 'acc_smooth', 'val_acc'}.
    """
    ax_loss, ax_acc = axes
    drawn = {}
    for ax, key, label in ((ax_loss, "loss", "loss"), (ax_acc, "acc", "accuracy")):
        drawn[key], = ax.plot([], [], color="C0", alpha=0.25, linewidth=0.8, label=f"train (batch)")
        drawn[key + "_smooth"], = ax.plot([], [], color="C0", linewidth=1.8, label=f"train (mean of {smooth})")
        drawn["val_" + key], = ax.plot([], [], "o-", color="C3", markersize=4, label="test, after each epoch")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    ax_loss.set_yscale("log")
    ax_loss.set_title("Loss (cross-entropy, log scale)")
    ax_acc.set_title("Accuracy")
    update_history(drawn, history, smooth)
    ax_acc.legend(loc="lower right", fontsize=8)
    return drawn


def _running_mean(values, n):
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return values
    cumsum = np.cumsum(np.insert(values, 0, 0.0))
    starts = np.maximum(np.arange(1, len(values) + 1) - n, 0)
    return (cumsum[1:] - cumsum[starts]) / (np.arange(1, len(values) + 1) - starts)


def update_history(drawn, history, smooth=50):
    """Put the current history into the lines made by draw_history (for live plots); rescale axes."""
    steps = len(history["batch_loss"])
    epochs_done = max(len(history["loss"]), 1)
    per_epoch = steps / len(history["loss"]) if history["loss"] else max(steps, 1)
    x = np.arange(1, steps + 1) / per_epoch  # batch -> position in epochs
    acc_pct = 100 * np.asarray(history["batch_acc"], dtype=float)
    drawn["loss"].set_data(x, history["batch_loss"])
    drawn["loss_smooth"].set_data(x, _running_mean(history["batch_loss"], smooth))
    drawn["acc"].set_data(x, acc_pct)
    drawn["acc_smooth"].set_data(x, _running_mean(acc_pct, smooth))
    val_x = np.arange(1, len(history["val_loss"]) + 1)
    drawn["val_loss"].set_data(val_x, history["val_loss"])
    drawn["val_acc"].set_data(val_x, 100 * np.asarray(history["val_acc"], dtype=float))
    for key in ("loss", "acc"):
        ax = drawn[key].axes
        ax.relim()
        ax.autoscale_view()
        ax.set_xlim(0, max(epochs_done, x[-1] if steps else 1))
    drawn["acc"].axes.set_ylim(max(0.0, min(90.0, *acc_pct[-smooth:])) if steps else 0, 100.5)
    drawn["acc"].axes.set_ylabel("accuracy (%)")
    return drawn


def draw_filters(axes, w, titles=True):
    """Filters of a conv layer as grey-scale images, one per axes, on one colour scale centred at 0
    (white = positive, black = negative weights) so their strengths compare.

    axes: at least F Axes (extra ones are hidden). w: (F, C, KH, KW); channel 0 is shown.
    Returns the list of F AxesImage.
    """
    w = np.asarray(w)
    if w.ndim != 4:
        raise ValueError(f"draw_filters: w must be conv weights (F, C, KH, KW), got shape {w.shape}.")
    axes = np.ravel(axes)
    if len(axes) < len(w):
        raise ValueError(f"draw_filters: {len(w)} filters need at least {len(w)} axes, got {len(axes)}.")
    limit = float(np.abs(w[:, 0]).max()) or 1.0
    images = []
    for f, ax in enumerate(axes):
        if f >= len(w):
            ax.axis("off")
            continue
        images.append(draw_image(ax, w[f, 0], title=f"filter {f}" if titles else None, vmin=-limit, vmax=limit))
    return images


def tile_maps(maps, columns=8):
    """Arrange C small images in one mosaic, `columns` per row, with a 1-pixel gap (nan) between them.

    maps: (C, H, W). Returns (rows * (H + 1) - 1, columns * (W + 1) - 1) float32; unused tiles are nan.
    One image for a whole layer draws (and redraws) far faster than C separate axes.
    """
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3:
        raise ValueError(f"tile_maps: maps must be one sample's output (C, H, W), got shape {maps.shape}. "
                         "Fix: pass outputs[n] for sample n.")
    C, H, W = maps.shape
    columns = min(columns, C)
    rows = -(-C // columns)  # ceil
    mosaic = np.full((rows * (H + 1) - 1, columns * (W + 1) - 1), np.nan, dtype=np.float32)
    for c in range(C):
        r, k = divmod(c, columns)
        mosaic[r * (H + 1):r * (H + 1) + H, k * (W + 1):k * (W + 1) + W] = maps[c]
    return mosaic


def _map_columns(channels):
    return 8 if channels <= 16 else 16


def draw_feature_maps(ax, maps, title=None, columns=None):
    """One layer's output for one digit as a mosaic of small images, one per channel, read left to
    right and top to bottom (black = 0, bright = the layer's largest value for this digit).

    maps: (C, H, W). columns: tiles per row (default 8, or 16 for more than 16 channels).
    Returns the AxesImage (update it with image.set_data(tile_maps(...)) and image.set_clim).
    """
    maps = np.asarray(maps)
    columns = _map_columns(len(maps)) if columns is None else columns
    mosaic = tile_maps(maps, columns)
    cmap = plt.get_cmap("magma").with_extremes(bad="white")
    image = draw_image(ax, mosaic, cmap=cmap, vmin=min(0.0, float(maps.min())), vmax=max(float(maps.max()), 1e-6))
    if title:
        ax.set_title(title, loc="left", fontsize=9)
    return image


def draw_confusion(ax, cm, class_names=None):
    """The confusion matrix with its counts; rows = true class, columns = predicted. The colour is
    log-scaled so the few mistakes off the diagonal show next to the ~1000 correct per class.
    Returns (image, texts) as draw_matrix does."""
    cm = np.asarray(cm)
    names = [str(k) for k in range(len(cm))] if class_names is None else list(class_names)
    image, texts = draw_matrix(ax, np.log10(cm + 1.0), fmt="{:.0f}", cmap="Blues", fontsize=7)
    for text, value in zip(texts, cm.ravel()):  # write the counts, not their logs
        text.set_text(str(value) if value else "")
    ax.set_xticklabels(names)
    ax.set_yticklabels(names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"Confusion matrix ({cm.trace()} of {cm.sum()} right)")
    describe(ax, confusion_text(cm, names))
    return image, texts


def confusion_text(cm, names):
    """The finding of a confusion matrix in words: accuracy and the most frequent mistake."""
    off = cm - np.diag(np.diag(cm))
    text = f"{cm.trace()} of {cm.sum()} right ({number(100 * cm.trace() / max(cm.sum(), 1))}%)"
    if off.any():
        t, p = np.unravel_index(np.argmax(off), off.shape)
        text += f"; most frequent mistake: true {names[t]} predicted as {names[p]}, {off[t, p]} times"
    return text


def draw_per_class(ax, acc, class_names=None):
    """Per-class accuracy (%) as horizontal bars, each labelled with its value. Returns the bars."""
    acc = 100 * np.asarray(acc, dtype=float)
    names = [str(k) for k in range(len(acc))] if class_names is None else list(class_names)
    bars = ax.barh(np.arange(len(acc)), acc, color="C0")
    for k, value in enumerate(acc):
        ax.text(value, k, f" {value:.1f}", va="center", fontsize=8)
    ax.set_yticks(np.arange(len(acc)), names)
    ax.invert_yaxis()
    low = np.nanmin(acc) if len(acc) else 0
    ax.set_xlim(max(0.0, np.floor(low - 1)), 100.8)
    ax.set_xlabel("accuracy on the test digits of this class (%)")
    ax.set_title("Per-class accuracy")
    return bars


def draw_digits(axes, images, titles=None):
    """A row (or grid) of grey digits. images: (N, 1, H, W) or (N, H, W), titles: N strings or None.
    Returns the list of AxesImage; extra axes are hidden."""
    images = np.asarray(images)
    if images.ndim == 4:
        images = images[:, 0]
    axes = np.ravel(axes)
    drawn = []
    for i, ax in enumerate(axes):
        if i >= len(images):
            ax.axis("off")
            continue
        drawn.append(draw_image(ax, images[i], vmin=0, vmax=1))
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    return drawn


def draw_probabilities(ax, proba, true_class=None):
    """The class probabilities of one digit as bars; the predicted class in orange, the true one (if
    given) outlined. proba: (K,). Returns the bar container (update heights with bar.set_height)."""
    proba = np.asarray(proba, dtype=float)
    bars = ax.bar(np.arange(len(proba)), proba, color="C0")
    bars[int(proba.argmax())].set_facecolor("C1")
    bars[int(proba.argmax())].set_hatch("//")  # not by colour alone: the predicted bar is hatched too
    if true_class is not None:
        bars[int(true_class)].set_edgecolor("black")
        bars[int(true_class)].set_linewidth(1.5)
    ax.set_xticks(np.arange(len(proba)))
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("probability")
    ax.set_title("class probabilities (orange, hatched: predicted; outlined: true)", fontsize=9)

    def finding():  # read from the bars when described, so it follows update_digit_explorer
        heights = np.array([bar.get_height() for bar in bars])
        return (f"predicted class {int(heights.argmax())} with probability {number(heights.max())}"
                + ("" if true_class is None else f", true class {int(true_class)}"))
    describe(ax, finding)
    return bars





# ------------------------------------------------------- one digit: prediction and feature maps

def feature_map_layers(model):
    """Indices of the layers whose outputs are the 'feature maps' of each conv layer: the ReLU right
    after a Conv2D if there is one (what the next layer sees), else the Conv2D itself."""
    shown = []
    for i, layer in enumerate(model.layers):
        if type(layer).__name__ == "Conv2D":
            after = model.layers[i + 1] if i + 1 < len(model.layers) else None
            shown.append(i + 1 if type(after).__name__ == "ReLU" else i)
    return shown


def digit_explorer_figure(model, input_shape=(1, 28, 28)):
    """A figure laid out for draw_digit_explorer: the digit and its class probabilities on top, then
    one mosaic of feature maps per conv layer. Returns (fig, axes), axes = {'digit': Axes,
    'proba': Axes, 'maps': [one Axes per conv layer]}."""
    shapes = model.summary(input_shape).rows  # rows[i + 1][1] = output shape of layer i (one sample)
    heights = [3.0]
    for i in feature_map_layers(model):
        C, H, W = shapes[i + 1][1]
        columns = _map_columns(C)
        rows = -(-C // columns)
        heights.append(10 * rows * (H + 1) / (columns * (W + 1)) + 0.35)  # a 10-inch-wide mosaic + title
    fig = plt.figure(figsize=(10, sum(heights)))
    grid = fig.add_gridspec(len(heights), 2, height_ratios=heights, width_ratios=[1, 2.6], hspace=0.45)
    axes = {"digit": fig.add_subplot(grid[0, 0]), "proba": fig.add_subplot(grid[0, 1]),
            "maps": [fig.add_subplot(grid[k, :]) for k in range(1, len(heights))]}
    return fig, axes


def _map_title(model, i, maps):
    conv = i - 1 if type(model.layers[i]).__name__ == "ReLU" else i
    after = " after ReLU" if conv != i else ""
    return (f"layer {conv}, {model.layers[conv]!r}{after}: {maps.shape[0]} feature maps of "
            f"{maps.shape[1]}x{maps.shape[2]}")


def draw_digit_explorer(axes, model, image, true_class=None):
    """Run one digit through the model; draw it, its class probabilities and the feature maps of
    every conv layer (after its ReLU). image: (1, H, W) or (H, W) in [0, 1]; axes from
    digit_explorer_figure. Returns handles for update_digit_explorer: {'digit', 'bars', 'maps'}."""
    proba, maps = _digit_forward(model, image)
    handles = {"digit": draw_image(axes["digit"], np.asarray(image).reshape(_image_hw(image)), vmin=0, vmax=1),
               "bars": draw_probabilities(axes["proba"], proba, true_class), "maps": []}
    axes["digit"].set_title(_digit_title(proba, true_class), fontsize=10)
    for ax, m, i in zip(axes["maps"], maps, feature_map_layers(model)):
        handles["maps"].append(draw_feature_maps(ax, m, title=_map_title(model, i, m)))
    return handles


def update_digit_explorer(handles, model, image, true_class=None):
    """Redraw in place (no new artists): the digit, the bar heights and colours, every mosaic."""
    proba, maps = _digit_forward(model, image)
    handles["digit"].set_data(np.asarray(image).reshape(_image_hw(image)))
    handles["digit"].axes.set_title(_digit_title(proba, true_class), fontsize=10)
    for k, bar in enumerate(handles["bars"]):
        bar.set_height(proba[k])
        bar.set_facecolor("C1" if k == proba.argmax() else "C0")
        bar.set_hatch("//" if k == proba.argmax() else None)
        bar.set_edgecolor("black" if k == true_class else "none")
        bar.set_linewidth(1.5 if k == true_class else 0)
    for image_artist, m in zip(handles["maps"], maps):
        image_artist.set_data(tile_maps(m, _map_columns(len(m))))
        image_artist.set_clim(min(0.0, float(m.min())), max(float(m.max()), 1e-6))
    return handles


def _image_hw(image):
    """(H, W) of a (1, H, W) or (H, W) image."""
    return np.asarray(image).shape[-2:]


def _digit_forward(model, image):
    """Class probabilities (K,) and the shown feature maps [(C, H, W), ...] for one image."""
    x = np.asarray(image, dtype=model.dtype).reshape((1, 1) + _image_hw(image))
    outputs = layer_outputs(model, x)
    logits = outputs[-1][2][0]
    proba = np.exp(logits - logits.max())
    proba /= proba.sum()
    maps = [outputs[i][2][0] for i in feature_map_layers(model)]
    return proba, maps


def _digit_title(proba, true_class):
    text = f"predicted {proba.argmax()} ({100 * proba.max():.1f}%)"
    return text if true_class is None else f"true {true_class}, " + text


__all__ = ["layer_outputs", "distort",
           "feature_map_layers", "digit_explorer_figure", "draw_digit_explorer", "update_digit_explorer",
           "draw_history", "update_history", "draw_filters", "tile_maps", "draw_feature_maps", "draw_confusion",
           "draw_per_class", "draw_digits", "draw_probabilities"]

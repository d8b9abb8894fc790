"""Chapter 11's figures. Every drawing function returns the figure AND its text alternative (for screen
readers): the finding in words, added to the figure with cnnlib.viz.alt.describe, followed by what
each panel holds (alt.alt_text); show(fig, alt) displays the PNG with that alt text.

    fig, alt = saliency_figure(images, titles, maps)       rows: digit, |gradient|
    fig, alt = occlusion_figure(image, heat, title)        digit and probability drop per pixel
    fig, alt = attack_curve_figure(eps, {"FGSM": acc, ...})
    fig, alt = adversarial_figure(x, x_adv, eps, label, p_before, pred_after, p_after)
    fig, alt = preprocess_figure(drawing, steps)           the MNIST preprocessing, step by step
    fig, handles = drawing_panel_figure(); alt = update_drawing_panel(handles, model, digit)
"""
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from ..attribution import logit_and_gradient
from ..losses import softmax
from .alt import alt_text, describe


def show(fig, alt=None):
    """Display a figure with alt text (default alt_text(fig); cnnlib.viz.alt shows it as <img alt>), then close it."""
    fig._cnnlib_figure_alt = alt_text(fig) if alt is None else alt
    display(fig)
    plt.close(fig)


def _describe_map(heat, name):
    """Where a (H, W) map is largest, in words: the 3x3 region (top/middle/bottom, left/centre/right)."""
    H, W = heat.shape
    r, c = np.unravel_index(np.argmax(heat), heat.shape)
    rows, cols = ["top", "middle", "bottom"], ["left", "centre", "right"]
    return f"{name} is largest in the {rows[min(2, 3 * r // H)]} {cols[min(2, 3 * c // W)]} of the image"


def saliency_figure(images, titles, maps):
    """images (N, H, W), titles N strings, maps (N, H, W) saliency -> two rows: digit, |gradient|."""
    n = len(images)
    fig, axes = plt.subplots(2, n, figsize=(1.6 * n, 3.6), squeeze=False)
    parts = []
    for k in range(n):
        axes[0, k].imshow(images[k], cmap="gray", vmin=0, vmax=1)
        axes[0, k].set_title(titles[k], fontsize=9)
        axes[1, k].imshow(maps[k], cmap="hot")
        parts.append(f"{titles[k].replace(chr(10), ', ')}: " + _describe_map(maps[k], "the gradient"))
    for ax in axes.ravel():
        ax.set_axis_off()
    axes[1, 0].text(-3, 14, "|d logit / d pixel|", rotation=90, va="center", ha="right", fontsize=8)
    fig.tight_layout()
    describe(axes[0, 0], f"Saliency of {n} test digits: top row the digits, bottom row the absolute gradient "
             "of the predicted class's logit with respect to each pixel (bright = large). "
             + "; ".join(parts) + ".")
    return fig, alt_text(fig)


def occlusion_figure(image, heat, title):
    """image (H, W), heat (H, W) drop in probability per pixel -> digit, heat map, overlay."""
    fig, axes = plt.subplots(1, 3, figsize=(6.6, 2.4))
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(title, fontsize=9)
    lim = max(float(np.abs(heat).max()), 1e-6)
    im = axes[1].imshow(heat, cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[1].set_title("drop in p(class)", fontsize=9)
    fig.colorbar(im, ax=axes[1], fraction=0.046)
    axes[2].imshow(image, cmap="gray", vmin=0, vmax=1)
    axes[2].imshow(np.clip(heat, 0, None), cmap="Reds", alpha=0.55)
    axes[2].set_title("overlay", fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    fig.tight_layout()
    describe(axes[0], f"Occlusion sensitivity of {title.replace(chr(10), ', ')}: covering the digit with a grey "
             f"patch lowers the class probability by up to {round(100 * float(heat.max()))} percentage points; "
             + _describe_map(heat, "the drop") + ".")
    return fig, alt_text(fig)


def attack_curve_figure(epsilons, curves):
    """epsilons (E,), curves {name: (E,) accuracies in [0, 1]} -> accuracy against eps."""
    fig, ax = plt.subplots(figsize=(5, 3))
    parts = []
    for name, acc in curves.items():
        ax.plot(epsilons, 100 * np.asarray(acc), "o-", label=name)
        parts.append(f"{name}: " + ", ".join(f"{round(100 * a)}% at {e:g}" for e, a in zip(epsilons, acc)))
    ax.set_xlabel("eps (largest change per pixel, pixels in [0, 1])")
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    describe(ax, "Test accuracy against the attack strength eps. " + "; ".join(parts) + ".")
    return fig, alt_text(fig)


def adversarial_figure(x, x_adv, eps, label, p_before, pred_after, p_after):
    """Original, perturbation (scaled to +-eps), adversarial image; x, x_adv (H, W)."""
    fig, axes = plt.subplots(1, 3, figsize=(6.6, 2.5))
    axes[0].imshow(x, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(f"{label}: p = {p_before:.2f}", fontsize=9)
    im = axes[1].imshow(x_adv - x, cmap="RdBu_r", vmin=-eps, vmax=eps)
    axes[1].set_title(f"change, scale +-{eps:.3f}", fontsize=9)
    fig.colorbar(im, ax=axes[1], fraction=0.046)
    axes[2].imshow(x_adv, cmap="gray", vmin=0, vmax=1)
    axes[2].set_title(f"predicted {pred_after}: p = {p_after:.2f}", fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    fig.tight_layout()
    describe(axes[0], f"A test digit {label}, the change added to it (every pixel moved by at most {eps:.3f}, "
             f"shown stretched to full contrast), and the changed digit, still plainly a {label} to a person "
             f"but predicted as {pred_after} with probability {p_after:.2f}.")
    return fig, alt_text(fig)


def preprocess_figure(drawing, steps):
    """The drawing and each step of cnnlib.handwriting.mnist_preprocess."""
    names = [("drawing", drawing), ("crop to the ink", steps["crop"]), ("longer side 20 px", steps["scaled"]),
             ("into 28 x 28", steps["pasted"]), ("centre of mass centred", steps["digit"])]
    fig, axes = plt.subplots(1, 5, figsize=(9, 2.1))
    for ax, (name, img) in zip(axes, names):
        ax.imshow(img, cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{name}\n{img.shape[0]} x {img.shape[1]}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    if steps["com"] is not None:
        axes[3].plot(steps["com"][1], steps["com"][0], "r+", markersize=10)
        axes[4].plot(13.5, 13.5, "g+", markersize=10)
    fig.tight_layout()
    describe(axes[0], "The MNIST preprocessing in five pictures: " + ", then ".join(
        f"{name} ({img.shape[0]} by {img.shape[1]} pixels)" for name, img in names) + ".")
    return fig, alt_text(fig)


PREDICTED, OTHER = "C1", "C0"  # the drawing panel's bars: as chapter 10's draw_probabilities (orange, hatched)


def drawing_panel_figure():
    """The live panel of the drawing widget: the 28x28 digit, the 10 probabilities, its saliency and the
    first 12 of the first layer's 16 feature maps. Returns (fig, handles) for update_drawing_panel."""
    fig = plt.figure(figsize=(8.4, 3.2))
    # column 2 stays empty for the bar chart's class labels; the bottom margin holds its axis label
    grid = fig.add_gridspec(2, 12, wspace=0.3, hspace=0.35, left=0.02, right=0.97, bottom=0.16, top=0.9)
    ax_digit, ax_sal = fig.add_subplot(grid[0, 0:2]), fig.add_subplot(grid[1, 0:2])
    ax_bar = fig.add_subplot(grid[:, 3:6])
    maps = [fig.add_subplot(grid[r, 6 + c]) for r in range(2) for c in range(6)]
    zero = np.zeros((28, 28))
    handles = {"digit": ax_digit.imshow(zero, cmap="gray", vmin=0, vmax=1),
               "saliency": ax_sal.imshow(zero, cmap="hot", vmin=0, vmax=1),
               "bars": ax_bar.barh(np.arange(10), np.zeros(10), color=OTHER),
               "maps": [ax.imshow(np.zeros((24, 24)), cmap="magma", vmin=0, vmax=1) for ax in maps],
               "title": ax_bar.set_title("", fontsize=9), "text": ["Nothing drawn yet."]}
    # the widget's picture is described by the current probabilities (follows each redraw)
    describe(ax_bar, lambda: "Class probabilities of the drawing. " + handles["text"][0], only=True)
    ax_digit.set_title("model input", fontsize=8)
    ax_sal.set_title("saliency", fontsize=8)
    ax_bar.set_xlim(0, 1)
    ax_bar.set_yticks(np.arange(10))
    ax_bar.invert_yaxis()
    ax_bar.set_xlabel("probability", fontsize=8)
    for k, ax in enumerate(maps):
        ax.set_title(f"map {k}", fontsize=7)
    for ax in [ax_digit, ax_sal] + maps:
        ax.set_axis_off()
    return fig, handles


def update_drawing_panel(handles, model, digit):
    """Run the model on digit (28, 28) and update the panel in place. Returns (probabilities (10,), alt)."""
    x = digit[None, None].astype(model.dtype)
    logits, grad = logit_and_gradient(model, x, int(np.argmax(model.forward(x)[0])))
    maps = model.layers[1].forward(model.layers[0].forward(x))[0]  # conv 1 + ReLU: (16, 24, 24)
    p = softmax(logits)[0]
    best = int(p.argmax())
    handles["digit"].set_data(digit)
    sal = np.abs(grad[0, 0])
    handles["saliency"].set_data(sal / max(float(sal.max()), 1e-12))
    for k, bar in enumerate(handles["bars"]):
        bar.set_width(p[k])
        bar.set_facecolor(PREDICTED if k == best else OTHER)
        bar.set_edgecolor("black" if k == best else OTHER)  # the hatch is drawn in the edge colour
        bar.set_hatch("//" if k == best else None)  # not by colour alone: the predicted bar is hatched too
    top = max(float(maps.max()), 1e-12)
    for image, fmap in zip(handles["maps"], maps):
        image.set_data(fmap / top)
    empty = not digit.any()
    handles["title"].set_text("draw a digit" if empty else f"prediction: {best} ({100 * p[best]:.0f}%)")
    alt = probability_text(p, empty)
    handles["text"][0] = alt
    return p, alt


def probability_text(p, empty=False):
    """One line naming the prediction and every class probability in whole percent."""
    if empty:
        return "Nothing drawn yet."
    best = int(np.argmax(p))
    return (f"Prediction {best} ({round(100 * float(p[best]))}%). Probabilities: "
            + ", ".join(f"{k}: {round(100 * float(v))}%" for k, v in enumerate(p)) + ".")


__all__ = ["show", "saliency_figure", "occlusion_figure", "attack_curve_figure", "adversarial_figure",
           "preprocess_figure", "drawing_panel_figure", "update_drawing_panel", "probability_text"]

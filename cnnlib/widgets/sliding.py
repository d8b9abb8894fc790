"""Chapter 03 widget: a kernel sliding over a padded input, with a Play button.

    conv_stepper(seed=0) -> ipywidgets.interactive (display it)
    Blitter(fig, animated, image_format).render() -> PNG / JPEG bytes, redrawing only the animated artists

Controls: input size, kernel size, padding, stride, bias, and a Play button linked (jslink, in the
browser) to the step slider. Changing the configuration draws a new figure (the bias alone only
shifts the output numbers and re-renders the background, ~2.5x cheaper); a step only moves the
window, uncovers one output cell (ConvSteps.set_step) and rewrites the dot product (HTML). The rest
of the figure is rendered once and kept as a background (blitting), so a step stays well under
100 ms (benchmarks/redraw_sliding.py).
"""
import html
import io

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..viz.sliding import draw_conv_step


class Blitter:
    """Render a figure once without its `animated` artists, then per frame only those artists.

    fig: a matplotlib Figure (given an Agg canvas here). animated: the artists that change.
    image_format: "png" (sharp text and lines) or "jpeg" (photos: encodes ~5x faster).
    render(): restore the cached background, draw the animated artists, return the image bytes.
    """

    def __init__(self, fig, animated, image_format="png"):
        if image_format not in ("png", "jpeg"):
            raise ValueError(f"Blitter: image_format must be 'png' or 'jpeg', got {image_format!r}.")
        self.format = image_format
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.animated = list(animated)
        for artist in self.animated:
            artist.set_animated(True)  # left out of the full draw below
        self.canvas.draw()
        fig.set_layout_engine("none")  # the layout is settled; do not recompute it per frame
        self.background = self.canvas.copy_from_bbox(fig.bbox)

    def _frame(self):
        """Cached background + animated artists, drawn into the canvas; returns its RGBA buffer."""
        self.canvas.restore_region(self.background)
        for artist in self.animated:
            self.fig.draw_artist(artist)
        return self.canvas.buffer_rgba()  # (H, W, 4) uint8, a view of the canvas

    def pixels(self):
        """The current frame as an (H, W, 3) uint8 array: cached background + animated artists."""
        return np.asarray(self._frame())[..., :3]  # (H, W, 3) uint8

    def _image(self):
        """The current frame as an RGB PIL image. Handing PIL the contiguous RGBA buffer and letting
        it drop alpha is ~10x cheaper than Image.fromarray on the strided (H, W, 3) view."""
        rgba = self._frame()
        height, width = rgba.shape[:2]
        return Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")

    def render(self):
        """The current frame as bytes in image_format (PNG with a fast zlib level, or JPEG quality 92)."""
        return self.png() if self.format == "png" else self.jpeg()

    def png(self):
        """The current frame as PNG bytes."""
        out = io.BytesIO()
        self._image().save(out, format="png", compress_level=1)
        return out.getvalue()

    def jpeg(self):
        """The current frame as JPEG bytes (quality 92)."""
        out = io.BytesIO()
        self._image().save(out, format="jpeg", quality=92)
        return out.getvalue()


def example_input(n, f, seed=0):
    """Small integer input (n, n) in 0..9 and kernel (f, f) in -1..1, the same for the same seed."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 10, size=(n, n)).astype(float)
    w = rng.integers(-1, 2, size=(f, f)).astype(float)
    return x, w


def conv_figure(x, w, b=0.0, stride=1, padding=0, step=0, dpi=72, with_text=False):
    """A new Figure (not managed by pyplot): input | kernel | output, and with_text the sum below.

    Returns (fig, ConvSteps). The widget shows the sum as HTML instead (text is slow to render)."""
    fig = Figure(figsize=(10.5, 4.9 if with_text else 3.9), dpi=dpi, layout="constrained")
    grid = fig.add_gridspec(2 if with_text else 1, 3, width_ratios=[1.6, 0.8, 1.2],
                            height_ratios=[3, 1] if with_text else [1])
    axes = [fig.add_subplot(grid[0, k]) for k in range(3)]
    if with_text:
        axes.append(fig.add_subplot(grid[1, :]))
    return fig, draw_conv_step(axes, x, w, b, stride, padding, step)


def fits(n, f, padding):
    """True if an f x f kernel fits an n x n input with this padding spec."""
    total = {"valid": 0, "same": f}.get(padding, 2 * padding if isinstance(padding, int) else 0)
    return f <= n + total


class ConvStepper:
    """State behind conv_stepper: the current figure, its ConvSteps and its Blitter."""

    def __init__(self, seed=0):
        self.seed = seed
        self.key = self.steps = self.blitter = None
        self.busy = False
        style = {"description_width": "70px"}
        self.n = widgets.IntSlider(value=5, min=3, max=8, description="input n", style=style)
        self.f = widgets.IntSlider(value=3, min=1, max=5, description="kernel f", style=style)
        self.padding = widgets.Dropdown(options=["valid", "same", 1, 2], value="valid",
                                        description="padding", style=style)
        self.stride = widgets.IntSlider(value=1, min=1, max=3, description="stride s", style=style)
        self.bias = widgets.IntSlider(value=0, min=-3, max=3, description="bias b", style=style)
        self.step = widgets.IntSlider(value=0, min=0, max=8, description="step", style=style)
        self.play = widgets.Play(value=0, min=0, max=8, interval=600, description="Play")
        widgets.jslink((self.play, "value"), (self.step, "value"))
        widgets.jslink((self.play, "max"), (self.step, "max"))
        self.image = widgets.Image(format="png")
        self.products = widgets.HTML()
        self.message = widgets.Label()
        self.view = widgets.interactive(self.show, clear_output=False, n=self.n, f=self.f,
                                        padding=self.padding, stride=self.stride, b=self.bias,
                                        step=self.step)

    def show(self, n, f, padding, stride, b, step):
        """Called by ipywidgets on every change: a new figure only if the configuration changed."""
        if self.busy:  # a nested call while we adjust the step slider's range
            return
        key = (n, f, padding, stride)
        if key == self.key and b != self.steps.b:  # only the bias: shift the output, redraw the background
            self.steps.set_bias(b)
            self.blitter = Blitter(self.blitter.fig, self.steps.animated)
        if key != self.key:
            if not fits(n, f, padding):
                self.message.value = (f"A {f}x{f} kernel does not fit a {n}x{n} input with padding "
                                      f"{padding!r}: n + 2p - f < 0. Pick a smaller kernel or pad.")
                return
            self.message.value = ""
            x, w = example_input(n, f, self.seed)
            fig, self.steps = conv_figure(x, w, b, stride, padding)
            self.blitter = Blitter(fig, self.steps.animated)
            self.key = key
            self.busy = True
            try:  # the step slider's range follows the output size
                self.step.max = self.play.max = self.steps.n_steps - 1
            finally:
                self.busy = False
            step = self.step.value
        step = min(step, self.steps.n_steps - 1)
        self.steps.set_step(step)
        self.image.value = self.blitter.render()
        self.products.value = f"<pre style='margin:0'>{html.escape(self.steps.describe(step))}</pre>"


def conv_stepper(seed=0):
    """The chapter 03 widget: sliders, Play and the figure. Returns the interactive widget."""
    stepper = ConvStepper(seed)
    view = stepper.view
    *controls, output = view.children
    # the same interactive widget, its controls in three columns above the picture
    view.children = (widgets.HBox([widgets.VBox(controls[:3]), widgets.VBox(controls[3:5]),
                                   widgets.VBox([stepper.play, controls[5]])]), stepper.message, output)
    with output:  # shown once; each step only replaces the picture's bytes and the text
        display(widgets.VBox([stepper.image, stepper.products]))
    view.stepper = stepper
    return view

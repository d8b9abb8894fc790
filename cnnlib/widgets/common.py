"""What the chapter widgets share: fast re-rendering, sharp pictures, the Play-driven stepper.

    Blitter(fig, animated, image_format="png")   render() / png() / jpeg() -> bytes, pixels() -> (H, W, 3)
        draws the still part of a figure once, then per frame only the `animated` artists
    full_redraw(fig) -> (H, W, 3)                every artist drawn from scratch (what a frame must equal)
    pixel_width(fig) -> int                       the figure's width in pixels (inches x dpi)
    figure_image(fig, data=b"", image_format="png") -> controls.Picture shown at that width
    follow_alt(image) -> image                    its text equivalent (alt, a live line under the
                                                  picture) follows each frame's alt text
    pre(text) -> str                              text as an HTML <pre> block (escaped)
    link_play(play, slider), kernel_links()       Play <-> slider: jslink, or a kernel link on Colab
    Stepper                                       base class of the chapter 03 / 05 steppers:
        configuration controls + a step slider driven by a Play button; a new figure only when the
        configuration changes, otherwise one blitted frame per step
    time_calls, time_first, time_steps, TIMING_COLUMNS, timing_row, load_note
                                                  timing for the benchmarks/redraw_*.py scripts

Why figure_image: an image widget without a width is stretched by JupyterLab to the output
area's width; a 756-px picture shown 1200 px wide is blurry. Shown at its own pixel width (and
never wider than the output area) every pixel of the rendered PNG lands on one screen pixel.
"""
import html
import io
import os
import time

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from ..viz.alt import alt_text
from . import controls as ctl  # (Stepper has an argument named controls)
from ..viz.scale import apply_scale, legible

STYLE = {"description_width": "70px"}  # the controls' label width, the same in every stepper


class Blitter:
    """Render a figure once without its `animated` artists, then per frame only those artists.

    fig: a matplotlib Figure (given an Agg canvas here). animated: the artists that change.
    image_format: "png" (sharp text and lines) or "jpeg" (photos: encodes ~5x faster).
    render(): restore the cached background, draw the animated artists, return the image bytes.
    Attributes: fig, canvas, animated (list), format, background.
    """

    def __init__(self, fig, animated, image_format="png"):
        if image_format not in ("png", "jpeg"):
            raise ValueError(f"Blitter: image_format must be 'png' or 'jpeg', got {image_format!r}.")
        self.format = image_format
        self.fig = legible(apply_scale(fig))  # the presentation scale; no text below the body text's size
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
        """The current frame as PNG bytes (a Frame: bytes that carry the figure's alt text)."""
        out = io.BytesIO()
        self._image().save(out, format="png", compress_level=1)
        return Frame(out.getvalue(), alt_text(self.fig))

    def jpeg(self):
        """The current frame as JPEG bytes (quality 92), a Frame like png()."""
        out = io.BytesIO()
        self._image().save(out, format="jpeg", quality=92)
        return Frame(out.getvalue(), alt_text(self.fig))


class Frame(bytes):
    """A rendered picture's bytes with the figure's text alternative at that moment (frame.alt), so
    that a widget showing the bytes can give the picture its words too (follow_alt)."""

    def __new__(cls, data, alt):
        frame = super().__new__(cls, data)
        frame.alt = alt
        return frame


def _alt_of(value):
    """The alt text a Frame carries; ipywidgets keeps the value as a memoryview of it (.obj)."""
    return getattr(getattr(value, "obj", value), "alt", None)


def follow_alt(image):
    """Keep the alt text of each Frame an image widget is given in image.alt_text, updated with every
    frame. On a controls.Picture that is its `alt`: a visible line under the picture in an aria-live
    region, so a screen reader hears the new words with each new frame. (On an ipywidgets.Image it stays
    kernel-side: in ipywidgets 8.1.9 / jupyterlab_widgets 3.0.17 setting `tooltip` on an Image breaks
    its view, "Cannot read properties of undefined (reading 'length')" in Chromium.) Returns the image."""
    image.alt_text = None

    def update(change):
        alt = _alt_of(change["new"])
        if alt is not None:
            image.alt_text = alt
    image.observe(update, "value")
    update({"new": image.value})
    return image


def full_redraw(fig):
    """`fig` drawn from scratch with every artist, the animated ones too: (H, W, 3) uint8.

    What a Blitter's frame must equal (the tests compare the two). Draws on a canvas of its own;
    the figure keeps its canvas and its artists stay animated, so a Blitter on it goes on working."""
    animated = [artist for artist in fig.findobj() if artist.get_animated()]
    canvas = fig.canvas
    for artist in animated:
        artist.set_animated(False)
    try:
        scratch = FigureCanvasAgg(fig)  # sets fig.canvas = scratch
        scratch.draw()
        pixels = np.asarray(scratch.buffer_rgba())[..., :3].copy()
    finally:
        fig.set_canvas(canvas)
        for artist in animated:
            artist.set_animated(True)
    return pixels


def pixel_width(fig):
    """The width in pixels of the picture Agg renders for `fig` (figure width in inches x dpi)."""
    return int(round(fig.get_figwidth() * fig.dpi))


def figure_image(fig, data=b"", image_format="png"):
    """A controls.Picture for a figure's rendered bytes, shown at the figure's own pixel width.

    Left alone, JupyterLab stretches the image to the full output width, and an upscaled picture
    is blurry. max_width keeps it inside a narrow output area (then the browser scales it down).
    A widget that draws a figure of another size later sets image.layout.width = f"{pixel_width(fig)}px".
    """
    return follow_alt(ctl.Picture(value=data, format=image_format,
                                       layout=widgets.Layout(width=f"{pixel_width(fig)}px", max_width="100%",
                                                             height="auto")))


def pre(text):
    """Plain text as an HTML <pre> block (escaped, no margin), for an ipywidgets.HTML beside a picture."""
    return f"<pre style='margin:0'>{html.escape(text)}</pre>"


def kernel_links():
    """True where the Play button must be linked to its slider by the kernel (ipywidgets.link) rather
    than in the browser (jslink): on Google Colab, whose widget manager has broken jslink before, or
    when CNNLIB_KERNEL_LINK=1 (to try it anywhere); CNNLIB_KERNEL_LINK=0 forces jslink."""
    setting = os.environ.get("CNNLIB_KERNEL_LINK", "")
    if setting in ("0", "1"):
        return setting == "1"
    import sys
    return "google.colab" in sys.modules


def link_play(play, slider):
    """Keep play.value == slider.value and play.max == slider.max. In the browser (jslink) the
    Play button moves the slider without a round trip; the kernel-side link does the same through
    the kernel, slower but independent of the front end's link support. Returns the links."""
    link = widgets.link if kernel_links() else widgets.jslink
    return [link((play, "value"), (slider, "value")), link((play, "max"), (slider, "max"))]


class Stepper:
    """A window stepping over an input, driven by a Play button (chapter 03 convolution, 05 pooling).

    A subclass makes its configuration controls, then calls Stepper.__init__(controls, columns), and
    defines:
        new_figure(**config) -> (fig, steps)  a new Figure and the object that moves the window:
            steps.n_steps, steps.animated (the artists set_step changes), steps.set_step(k),
            steps.describe(k) -> text shown below the picture
    and may redefine problem(**config) -> str (why this configuration cannot be drawn; default ""),
    key(**config) (which controls need a new figure; default: all of them) and same_figure(**config)
    (a change of the other controls, applied to the figure in place).

    controls: {name: widget} passed to ipywidgets.interactive (the names are new_figure's arguments).
    columns: lists of those widgets, laid out side by side; the Play button and step slider follow.
    Attributes: step (IntSlider), play (Play, jslinked to step in the browser), image (controls.Picture, its
    width set to the figure's own pixel width), text (HTML), message (Label), steps, blitter,
    figure_key (key() of the figure shown), view (the interactive widget; view.stepper is self).
    """

    def __init__(self, controls, columns):
        self.figure_key = self.steps = self.blitter = None
        self.busy = False  # True while we change the step slider's range ourselves
        self.step = ctl.IntSlider(value=0, min=0, max=8, description="step", style=STYLE)
        self.play = ctl.Play(value=0, min=0, max=8, interval=600, description="Play")
        link_play(self.play, self.step)
        self.image = follow_alt(ctl.Picture(format="png", layout=widgets.Layout(max_width="100%", height="auto")))
        self.text = widgets.HTML()
        self.message = widgets.Label()
        self.view = widgets.interactive(self.show, clear_output=False, **controls, step=self.step)
        output = self.view.children[-1]
        # the same interactive widget: its controls in columns above the picture
        self.view.children = (widgets.HBox([widgets.VBox(column) for column in columns]
                                           + [widgets.VBox([self.play, self.step])]), self.message, output)
        with output:  # shown once; each step only replaces the picture's bytes and the text
            display(widgets.VBox([self.image, self.text]))
        self.view.stepper = self

    def key(self, **config):
        """The part of the configuration that needs a new figure when it changes (default: all)."""
        return tuple(config.items())

    def same_figure(self, **config):
        """Apply a change that does not need a new figure (default: there is none)."""

    def problem(self, **config):
        """Why this configuration cannot be drawn, shown instead of a new figure ("" if it can)."""
        return ""

    def new_figure(self, **config):
        """(fig, steps) for this configuration; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define new_figure(**config) -> (fig, steps)")

    def show(self, step, **config):
        """Called by ipywidgets on every change: a new figure only if the configuration changed."""
        if self.busy:  # a nested call while we adjust the step slider's range
            return
        key = self.key(**config)
        if key == self.figure_key:
            self.same_figure(**config)
        else:
            self.message.value = self.problem(**config)
            if self.message.value:
                return
            fig, self.steps = self.new_figure(**config)
            self.blitter = Blitter(fig, self.steps.animated)
            self.image.layout.width = f"{pixel_width(fig)}px"  # sharp: one picture pixel per screen pixel
            self.figure_key = key
            self.busy = True
            try:  # the step slider's range follows the output size
                self.step.max = self.play.max = self.steps.n_steps - 1
            finally:
                self.busy = False
            step = self.step.value
        step = min(step, self.steps.n_steps - 1)
        self.steps.set_step(step)
        self.image.value = self.blitter.render()
        self.text.value = pre(self.steps.describe(step))


def time_calls(calls):
    """Run each (function, args) in `calls` and time it. Returns two lists in ms: wall clock and this
    process's CPU time (on a loaded machine the wall time is mostly waiting for a CPU)."""
    wall, cpu = [], []
    for function, args in calls:
        start, start_cpu = time.perf_counter(), time.process_time()
        function(*args)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def time_first(build):
    """build() -> anything (e.g. a figure, its Blitter and the first frame). Returns (result, wall ms)."""
    start = time.perf_counter()
    result = build()
    return result, (time.perf_counter() - start) * 1000


def time_steps(new_figure):
    """Time a stepper's picture as the widget uses it. new_figure() -> (fig, steps) as in Stepper.

    First draw: build the figure, its Blitter and the first PNG. Then every step twice: set_step,
    render, describe. Returns (steps, first draw ms, wall ms per step, cpu ms per step)."""
    def build():
        fig, steps = new_figure()
        blitter = Blitter(fig, steps.animated)
        blitter.render()
        return steps, blitter

    (steps, blitter), first = time_first(build)

    def step(k):
        steps.set_step(k)
        blitter.render()
        steps.describe(k)

    wall, cpu = time_calls([(step, (k,)) for k in list(range(steps.n_steps)) * 2])
    return steps, first, wall, cpu


TIMING_COLUMNS = (f"{'first draw ms':>13} {'median ms':>9} {'max ms':>7} {'cpu median ms':>13} "
                  f"{'cpu max ms':>10}")  # the header of timing_row's columns


def timing_row(first, wall, cpu):
    """First draw (ms), then median and worst redraw in wall ms and CPU ms, as columns under TIMING_COLUMNS."""
    return (f"{first:>13.0f} {np.median(wall):>9.1f} {max(wall):>7.1f} {np.median(cpu):>13.1f} "
            f"{max(cpu):>10.1f}")


def load_note():
    """Lines for under a benchmark's table: the target, what wall and CPU ms mean, the machine's load."""
    return ("target: a redraw under 100 ms. wall ms include waiting for a CPU on a loaded machine; "
            "cpu ms are this process's own work\n"
            f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

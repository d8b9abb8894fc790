"""Chapter 11's widgets: draw a digit and watch the network read it; explore attacks on test digits.

    drawing_pad(model)                   an ipycanvas Canvas (mouse, pen or touch) + Clear button; after each
                                         stroke: MNIST preprocessing, probabilities, saliency and the first
                                         layer's feature maps (12 of 16), and a text line with the probabilities
    attack_explorer(model, x, y)         sliders for a test digit and eps, dropdown FGSM / PGD

Why ipycanvas: a maintained Jupyter widget (JupyterLab 4 prebuilt extension, on Binder with pip alone)
whose canvas reports mouse and touch events to Python; the strokes are drawn in the browser at once,
and the kernel keeps the points, so the model's input is made from exactly what was drawn.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..adversarial import fgsm, pgd
from ..handwriting import mnist_preprocess, strokes_to_image
from ..losses import softmax
from ..viz.attribution import adversarial_figure, drawing_panel_figure, update_drawing_panel
from . import controls
from .common import Blitter, figure_image

SIZE = 200       # canvas pixels
PEN_WIDTH = 16   # a 20-pixel digit box from a ~150-pixel drawing: strokes of ~2 MNIST pixels
IPYCANVAS = "ipycanvas==0.14.3"   # as pinned in requirements.txt


def _ipycanvas():
    """The ipycanvas module, imported only when a pad is made: the rest of chapter 11 runs without it
    (Google Colab, for one, does not have it installed)."""
    try:
        import ipycanvas
    except ImportError as err:
        raise ImportError(f"the drawing pad needs ipycanvas, which is not installed here: run "
                          f"`%pip install {IPYCANVAS}` in a cell, then restart the kernel "
                          f"(the static figure below the pad shows the same view)") from err
    return ipycanvas


class DrawingPad:
    """The state behind drawing_pad: strokes [[(x, y), ...], ...], the panel, and the widgets.

    add_stroke(points) / clear() update everything as a mouse-up / the Clear button would;
    redraw() -> (probabilities (10,), text) is what one stroke costs (benchmarks/redraw_drawing.py)."""

    def __init__(self, model):
        self.model = model
        self.strokes = []
        self.drawing = False
        self._ipycanvas = _ipycanvas()
        self.canvas = self._ipycanvas.Canvas(width=SIZE, height=SIZE,
                                             layout=widgets.Layout(width=f"{SIZE}px", height=f"{SIZE}px"))
        self.canvas.add_class("cnnlib-drawing-pad")
        self.fig, self.handles = drawing_panel_figure()
        plt.close(self.fig)
        self.blitter = Blitter(self.fig, self._animated())
        self.image = figure_image(self.fig)
        self.text = widgets.Label(value="Nothing drawn yet.")
        self.text.add_class("cnnlib-probabilities")
        self.clear_button = widgets.Button(description="Clear", icon="eraser")
        self.clear_button.on_click(lambda _: self.clear())
        self.canvas.on_mouse_down(self._down)
        self.canvas.on_mouse_move(self._move)
        self.canvas.on_mouse_up(self._up)
        self.canvas.on_mouse_out(self._up)
        self.canvas.on_touch_start(lambda touches: self._down(*touches[0]))
        self.canvas.on_touch_move(lambda touches: self._move(*touches[0]))
        self.canvas.on_touch_end(lambda touches: self._up(0, 0))
        self._paint_background()
        self.probabilities, _ = self.redraw()
        # The pad's box never shrinks (flex 0 0 auto) and the panel wraps below it when the output is
        # too narrow for both: a shrunken box (overflow: auto) hid the canvas's right part behind the
        # panel, where the mouse then left the canvas and ended the stroke (found by the browser test).
        pad_box = widgets.VBox([self.canvas, self.clear_button], layout=widgets.Layout(flex="0 0 auto"))
        self.widget = widgets.VBox([
            widgets.HBox([pad_box, self.image], layout=widgets.Layout(flex_flow="row wrap")), self.text])

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

    def _animated(self):
        h = self.handles
        return [h["digit"], h["saliency"], h["title"], *h["bars"], *h["maps"]]

    def _paint_background(self):
        with self._ipycanvas.hold_canvas():
            self.canvas.clear()
            self.canvas.fill_style = "black"
            self.canvas.fill_rect(0, 0, SIZE, SIZE)
            self.canvas.stroke_style = "white"
            self.canvas.fill_style = "white"
            self.canvas.line_width = PEN_WIDTH
            self.canvas.line_cap = "round"
            self.canvas.line_join = "round"

    def _down(self, x, y):
        self.drawing = True
        self.strokes.append([(x, y)])
        self.canvas.fill_circle(x, y, PEN_WIDTH / 2)

    def _move(self, x, y):
        if not self.drawing:
            return
        x0, y0 = self.strokes[-1][-1]
        self.strokes[-1].append((x, y))
        self.canvas.stroke_line(x0, y0, x, y)

    def _up(self, x, y):
        if not self.drawing:
            return
        self.drawing = False
        self.probabilities, _ = self.redraw()

    def add_stroke(self, points):
        """Draw a whole stroke [(x, y), ...] as the mouse would (for tests and the benchmark)."""
        self._down(*points[0])
        for point in points[1:]:
            self._move(*point)
        self._up(*points[-1])

    def clear(self):
        self.strokes = []
        self.drawing = False
        self._paint_background()
        self.probabilities, _ = self.redraw()

    def digit(self):
        """The strokes as the model sees them: mnist_preprocess(...)['digit'], (28, 28)."""
        return mnist_preprocess(strokes_to_image(self.strokes, SIZE, PEN_WIDTH))["digit"]

    def redraw(self):
        p, text = update_drawing_panel(self.handles, self.model, self.digit())
        self.image.value = self.blitter.render()
        self.text.value = text
        return p, text


def drawing_pad(model):
    """Show a drawing pad for model (a Sequential taking (N, 1, 28, 28)); returns the DrawingPad."""
    pad = DrawingPad(model)
    return pad


def attack_explorer(model, images, labels):
    """A test digit, the attack's change at full contrast and the attacked digit, with its prediction.
    images (N, 1, 28, 28), labels (N,). Returns the widget: named, keyboard-operable controls
    (cnnlib.widgets.controls) and a picture whose words (alt text) are a live line under it."""
    def figure(digit, eps, method):
        x, y = images[digit:digit + 1], labels[digit:digit + 1]
        attack = fgsm if method == "FGSM" else pgd
        xa = attack(model, x, y, eps) if eps > 0 else x.copy()
        p0, pa = softmax(model.forward(x))[0], softmax(model.forward(xa))[0]
        fig, alt = adversarial_figure(x[0, 0], xa[0, 0], max(eps, 1e-3), int(y[0]), float(p0[y[0]]),
                                      int(pa.argmax()), float(pa.max()))
        plt.close(fig)  # shown only through the picture below
        return fig

    first = figure(0, 0.1, "FGSM")
    shown = figure_image(first)

    def redraw(digit, eps, method):
        fig = figure(digit, eps, method)
        shown.value = Blitter(fig, []).render()  # a new figure each time: a full draw, with its alt text

    style = {"description_width": "70px"}
    view = widgets.interactive(
        redraw, clear_output=False,
        digit=controls.IntSlider(value=0, min=0, max=len(images) - 1, description="test digit",
                                 continuous_update=False, style=style),
        eps=controls.FloatSlider(value=0.1, min=0, max=0.3, step=0.01, description="eps",
                                 continuous_update=False, style=style),
        method=controls.Dropdown(options=["FGSM", "PGD"], description="attack", style=style))
    return widgets.VBox([view, shown])


__all__ = ["DrawingPad", "drawing_pad", "attack_explorer"]

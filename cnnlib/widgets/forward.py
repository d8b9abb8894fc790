"""Chapter 06 widget: pick filter i and watch its C channel correlations add up to Y_i (eq. (5)).

    filter_sum_widget(x, w, b)    # x (C, H, W), w (F, C, KH, KW), b (F,) or (F, H_out, W_out)

The figure is drawn once (cnnlib.viz.forward.draw_filter_sum). Moving the slider updates the
numbers and colours in place (update_filter_sum) and re-renders only the artists that change
(Blitter from cnnlib.widgets.sliding: the input row, grid lines and frames stay in a cached
background). A filter seen before is not rendered again: its PNG is kept.
"""
import io

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ..viz.forward import draw_filter_sum, update_filter_sum
from . import controls
from .common import Blitter, follow_alt


def _changing(drawn):
    """The artists of a draw_filter_sum drawing that change with the filter: kernels, correlations,
    bias and output (images and numbers), their titles and the note. The input row stays still."""
    axes = drawn["axes"]
    panels = drawn["k"] + drawn["corr"] + [drawn["bias"], drawn["y"]]
    # each panel: its colours, then its grid lines (the colours would cover them), then its numbers
    artists = [a for image, texts in panels for a in (image, *image.axes.collections, *texts)]
    return artists + [ax.title for ax in axes[1:].ravel()] + [drawn["note"]]


def filter_sum_frames(x, w, b=None, dpi=80, cell=1.45, cache=True):
    """The widget's machinery without the widget: returns step(i) -> PNG bytes for filter i (0-based).

    x: (C, H, W), w: (F, C, KH, KW), b: (F,), (F, H_out, W_out) or None. With cache=True a filter
    shown before returns its stored PNG (cache=False renders every time: what the benchmark times).
    """
    C = x.shape[0]
    fig = Figure(figsize=(cell * (C + 1) + 0.4, cell * 3 + 0.6), dpi=dpi, layout="tight")
    axes = np.array(fig.subplots(3, C + 1, squeeze=False))
    drawn = draw_filter_sum(axes, x, w, b, 0)
    blitter = Blitter(fig, _changing(drawn))
    frames = {}

    def step(i):
        if cache and i in frames:
            return frames[i]
        update_filter_sum(drawn, x, w, b, i)
        frames[i] = blitter.render()
        return frames[i]
    return step


def filter_sum_widget(x, w, b=None):
    """An `interactive` with one slider, the filter i (1..F), above the picture. Returns the widget.

    The picture is one controls.Picture whose bytes each step replaces (no output flicker)."""
    step = filter_sum_frames(x, w, b)
    image = follow_alt(controls.Picture(format="png"))

    def show(filter_i):
        image.value = step(filter_i - 1)

    slider = controls.IntSlider(value=1, min=1, max=w.shape[0], description="filter i",
                               continuous_update=False)
    view = widgets.interactive(show, clear_output=False, filter_i=slider)
    return show_once(view, image)


def show_once(view, image):
    """Display `image` once in an interactive's output area (built with clear_output=False);
    later steps only replace its bytes. Returns view, with the image as view.image.

    The image is shown at its own pixel width (read from the first frame): stretched to the
    output's width, an upscaled picture is blurry."""
    width = PILImage.open(io.BytesIO(image.value)).width
    image.layout = widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
    with view.out:
        display(image)
    view.image = image
    return view

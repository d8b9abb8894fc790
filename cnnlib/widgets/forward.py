"""Chapter 06 widget: pick filter i and watch its C channel correlations add up to Y_i (eq. (5)).

    filter_sum_widget(x, w, b)    # x (C, H, W), w (F, C, KH, KW), b (F,) or (F, H_out, W_out)

The figure is drawn once (cnnlib.viz.forward.draw_filter_sum). Moving the slider updates the
numbers and colours in place (update_filter_sum) and re-renders only the panels that change
(AxesBlitter), so a step stays cheap.
"""
import io

import ipywidgets as widgets
import numpy as np
from IPython.display import Image, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ..viz.forward import draw_filter_sum, update_filter_sum


class AxesBlitter:
    """Render a figure once without the axes that change, then per frame only those axes.

    fig: a matplotlib Figure; changing: the Axes redrawn each frame. png() returns PNG bytes.
    """

    def __init__(self, fig, changing):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.changing = list(changing)
        for ax in self.changing:
            ax.set_animated(True)          # left out of the full draw below
        self.canvas.draw()
        fig.set_layout_engine("none")      # the layout is settled: do not recompute it per frame
        self.background = self.canvas.copy_from_bbox(fig.bbox)

    def png(self):
        self.canvas.restore_region(self.background)
        for ax in self.changing:
            self.fig.draw_artist(ax)
        pixels = np.asarray(self.canvas.buffer_rgba())          # (H, W, 4) uint8
        out = io.BytesIO()
        PILImage.fromarray(pixels[..., :3]).save(out, format="png", compress_level=1)
        return out.getvalue()


def filter_sum_frames(x, w, b=None, dpi=80, cell=1.55):
    """The widget's machinery without the widget: returns step(i) -> PNG bytes for filter i (0-based).

    x: (C, H, W), w: (F, C, KH, KW), b: (F,), (F, H_out, W_out) or None.
    """
    C = x.shape[0]
    fig = Figure(figsize=(cell * (C + 1) + 0.6, cell * 3 + 0.9), dpi=dpi, layout="tight")
    axes = np.array(fig.subplots(3, C + 1, squeeze=False))
    drawn = draw_filter_sum(axes, x, w, b, 0)
    blitter = AxesBlitter(fig, list(axes[1:].ravel()) + [axes[0, C]])   # rows 1-2 and the note change

    def step(i):
        update_filter_sum(drawn, x, w, b, i)
        return blitter.png()
    return step


def filter_sum_widget(x, w, b=None):
    """An `interactive` with one slider, the filter i (1..F). Returns the widget."""
    step = filter_sum_frames(x, w, b)

    def show(filter_i):
        display(Image(data=step(filter_i - 1)))

    slider = widgets.IntSlider(value=1, min=1, max=w.shape[0], description="filter i",
                               continuous_update=False)
    return widgets.interactive(show, filter_i=slider)

"""Widget for chapter 01: shift a digit with two sliders; input and feature map move together.

The figure is built once (a matplotlib Figure outside pyplot, so the notebook does not show it a
second time); each slider move changes the images' data and re-renders the PNG shown in an
ipywidgets.Image. `figure_png` and `image_widget` are shared with the other chapters' widgets.
"""
import io

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..viz.why import draw_shift, update_shift


def new_figure(width, height):
    """A matplotlib Figure that pyplot does not track (never displayed twice by %matplotlib inline)."""
    return Figure(figsize=(width, height), dpi=80, layout="constrained")


def figure_png(fig):
    """Render fig to PNG bytes (the widget's one redraw cost besides updating data)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def freeze_layout(fig):
    """Lay the figure out once, then keep those positions: later redraws skip the layout engine."""
    fig.canvas.draw()
    fig.set_layout_engine("none")
    return fig


def image_widget(fig):
    """An ipywidgets.Image holding fig's current PNG."""
    return widgets.Image(value=figure_png(fig), format="png")


def shift_redraw(img, kernel, max_shift=6):
    """Build the shift figure and return (fig, redraw), redraw(dy, dx) -> PNG bytes. Used by
    shift_widget and by benchmarks/redraw_why.py, which times redraw."""
    fig = new_figure(6.4, 3.3)
    ax_in, ax_out = fig.subplots(1, 2)
    artists = draw_shift(ax_in, ax_out, img, kernel, 0, 0)
    freeze_layout(fig)

    def redraw(dy, dx):
        update_shift(artists, img, kernel, dy, dx)
        return figure_png(fig)

    return fig, redraw


def shift_widget(img, kernel, max_shift=6):
    """Sliders dy, dx in [-max_shift, max_shift]: the shifted digit and its feature map side by side.

    img: (H, W) in [0, 1]; kernel: (KH, KW). Returns a VBox (display it as a cell's last line).
    """
    fig, redraw = shift_redraw(img, kernel, max_shift)
    picture = image_widget(fig)

    def show(dy=0, dx=0):
        picture.value = redraw(dy, dx)

    slider = dict(min=-max_shift, max=max_shift, step=1, value=0, continuous_update=True)
    controls = widgets.interactive(show, dy=widgets.IntSlider(description="down dy", **slider),
                                   dx=widgets.IntSlider(description="right dx", **slider))
    return widgets.VBox([controls, picture])

"""Widget for chapter 01: shift a digit with two sliders; input and feature map move together.

The figure is built once (a matplotlib Figure outside pyplot, so the notebook does not show it a
second time). Each slider move changes the data of the moving artists; a Blitter
(cnnlib.widgets.common, shared by every chapter) redraws only those over the cached still background
and returns the PNG, shown in an ipywidgets.Image at the figure's own pixel width (figure_image).
"""
import ipywidgets as widgets
from matplotlib.figure import Figure

from ..viz.why import draw_shift, update_shift
from . import controls
from .common import Blitter, figure_image

DPI = 100  # the picture is shown at its own pixel size (figure_image), so this sets how large it looks


def shift_redraw(img, kernel):
    """Build the shift figure and return (fig, redraw), redraw(dy, dx) -> PNG bytes. Used by
    shift_widget and by benchmarks/redraw_why.py, which times redraw."""
    fig = Figure(figsize=(6.4, 3.3), dpi=DPI, layout="constrained")
    ax_in, ax_out = fig.subplots(1, 2)
    artists = draw_shift(ax_in, ax_out, img, kernel, 0, 0)
    frames = [spine for ax in (ax_in, ax_out) for spine in ax.spines.values()]  # drawn last: on top of the images
    blitter = Blitter(fig, [artists["input"], artists["output"], *artists["marks"], ax_in.title, *frames])

    def redraw(dy, dx):
        update_shift(artists, img, kernel, dy, dx)
        return blitter.render()

    return fig, redraw


def shift_widget(img, kernel, max_shift=6):
    """Sliders dy, dx in [-max_shift, max_shift]: the shifted digit and its feature map side by side.

    img: (H, W) in [0, 1]; kernel: (KH, KW). Returns a VBox (display it as a cell's last line).
    """
    fig, redraw = shift_redraw(img, kernel)
    shown = figure_image(fig, redraw(0, 0))

    def show(dy=0, dx=0):
        shown.value = redraw(dy, dx)

    slider = dict(min=-max_shift, max=max_shift, step=1, value=0, continuous_update=True)
    view = widgets.interactive(show, dy=controls.IntSlider(description="down dy", **slider),
                                   dx=controls.IntSlider(description="right dx", **slider))
    return widgets.VBox([view, shown])

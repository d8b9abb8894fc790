"""Widget for chapter 01: shift a digit with two sliders; input and feature map move together.

The figure is built once (a matplotlib Figure outside pyplot, so the notebook does not show it a
second time); each slider move changes the data of the moving artists, redraws only those over a
cached background (FastFigure) and shows the PNG in an ipywidgets.Image. `new_figure`, `FastFigure`
and `image_widget` are shared with chapter 02's widgets.
"""
import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..viz.why import draw_shift, update_shift


def new_figure(width, height):
    """A matplotlib Figure that pyplot does not track (never displayed twice by %matplotlib inline)."""
    return Figure(figsize=(width, height), dpi=80, layout="constrained")


class FastFigure:
    """Render a figure to PNG again and again, redrawing only the artists that change.

    The first draw lays the figure out and keeps a picture of everything that stays still (axes,
    ticks, fixed images); each png() pastes that picture back and draws only `moving` on top
    (matplotlib's blitting, done on the Agg canvas), then encodes the pixels as PNG.
    """

    def __init__(self, fig, moving, fmt="png"):
        self.fig = fig
        self.fmt = fmt  # "png" (sharp lines and text) or "jpeg" (photos: ~10x faster to encode)
        self.canvas = FigureCanvasAgg(fig)
        self.background = None
        self.moving = []
        self.reset(moving)
        fig.set_layout_engine("none")  # keep the positions of the first layout from now on

    def reset(self, moving):
        """New set of moving artists (after panels were redrawn): draw the still parts again."""
        for artist in self.moving:
            artist.set_animated(False)
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)  # left out of canvas.draw(), so out of the background
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def png(self):
        """The figure as it is now, encoded as self.fmt (PNG unless built with fmt="jpeg")."""
        self.canvas.restore_region(self.background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        for ax in {artist.axes for artist in self.moving if artist.axes is not None}:
            for spine in ax.spines.values():  # the frame goes back on top of a redrawn image
                self.fig.draw_artist(spine)
        buffer = io.BytesIO()
        pixels = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba())
        if self.fmt == "jpeg":
            pixels.convert("RGB").save(buffer, format="jpeg", quality=90)
        else:
            pixels.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def image_widget(data, fmt="png"):
    """An ipywidgets.Image showing encoded image bytes (fmt "png" or "jpeg")."""
    return widgets.Image(value=data, format=fmt)


def shift_redraw(img, kernel):
    """Build the shift figure and return (fig, redraw), redraw(dy, dx) -> PNG bytes. Used by
    shift_widget and by benchmarks/redraw_why.py, which times redraw."""
    fig = new_figure(6.4, 3.3)
    ax_in, ax_out = fig.subplots(1, 2)
    artists = draw_shift(ax_in, ax_out, img, kernel, 0, 0)
    fast = FastFigure(fig, [artists["input"], artists["output"], *artists["marks"], ax_in.title])

    def redraw(dy, dx):
        update_shift(artists, img, kernel, dy, dx)
        return fast.png()

    return fig, redraw


def shift_widget(img, kernel, max_shift=6):
    """Sliders dy, dx in [-max_shift, max_shift]: the shifted digit and its feature map side by side.

    img: (H, W) in [0, 1]; kernel: (KH, KW). Returns a VBox (display it as a cell's last line).
    """
    fig, redraw = shift_redraw(img, kernel)
    picture = image_widget(redraw(0, 0))

    def show(dy=0, dx=0):
        picture.value = redraw(dy, dx)

    slider = dict(min=-max_shift, max=max_shift, step=1, value=0, continuous_update=True)
    controls = widgets.interactive(show, dy=widgets.IntSlider(description="down dy", **slider),
                                   dx=widgets.IntSlider(description="right dx", **slider))
    return widgets.VBox([controls, picture])

"""Widgets for chapter 02: a moving average on a noisy signal, and "Photoshop" 3x3 filters.

Both build their figure once (a Figure outside pyplot, never shown twice) and, on each change,
update the data and let a Blitter (cnnlib.widgets.common) redraw only the changing artists over the
cached background; the bytes go to a controls.Picture shown at the figure's own pixel width.
The *_redraw functions return (fig, redraw) so benchmarks/redraw_correlation.py can time exactly
what a slider move costs.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..viz.correlation import (PRESETS, WINDOW_KINDS, draw_filter, draw_smoothing, update_filter,
                               update_smoothing, window_weights)
from . import controls
from .common import Blitter, figure_image
from .why import DPI


def _frames(*axes):
    """The spines of these axes: animated after the images, so the frames stay on top of them."""
    return [spine for ax in axes for spine in ax.spines.values()]


def smoothing_redraw(signal, clean=None):
    """Build the moving-average figure; redraw(kind, size) -> PNG bytes."""
    fig = Figure(figsize=(7.5, 3.0), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    drawn = draw_smoothing(ax, signal, window_weights("box", 5), clean)
    blitter = Blitter(fig, [drawn["average"], ax.title, *_frames(ax)])

    def redraw(kind, size):
        update_smoothing(drawn, signal, window_weights(kind, size))
        return blitter.render()

    return fig, redraw


def smoothing_widget(signal, clean=None):
    """Window size slider (odd, 1..41) and weight shape (box / triangle / gaussian). Returns a VBox."""
    fig, redraw = smoothing_redraw(signal, clean)
    shown = figure_image(fig, redraw("box", 5))

    def show(kind="box", size=5):
        shown.value = redraw(kind, size)

    view = widgets.interactive(
        show, kind=controls.Dropdown(options=WINDOW_KINDS, value="box", description="weights"),
        size=controls.IntSlider(min=1, max=41, step=2, value=5, description="window"))
    return widgets.VBox([view, shown])


def _moving(drawn):
    """The artists of a draw_filter figure that change with the kernel (then the frames around them)."""
    return [drawn["kernel"], *drawn["borders"], *drawn["texts"], drawn["output"],
            *_frames(drawn["kernel"].axes, drawn["output"].axes)]


def filter_redraw(images, name="identity"):
    """Build the kernel | input | output figure for images[name]; redraw(image_name, kernel) -> JPEG bytes.

    images: dict {name: (H, W) or (3, H, W) in [0, 1]}. Switching images rebuilds the input panel.
    """
    fig = Figure(figsize=(8.4, 3.0), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[0.7, 1, 1])
    drawn = draw_filter(*axes, images[name], PRESETS["identity"])
    state = {"name": name, "drawn": drawn,
             "blitter": Blitter(fig, _moving(drawn), "jpeg")}  # photos encode much faster as JPEG

    def redraw(image_name, kernel):
        if image_name != state["name"]:  # another picture (maybe another size): draw the panels again
            for ax in axes:
                ax.clear()
            state["drawn"] = draw_filter(*axes, images[image_name], kernel)
            state["name"] = image_name
            state["blitter"] = Blitter(fig, _moving(state["drawn"]), "jpeg")  # a new still background
        else:
            update_filter(state["drawn"], images[image_name], kernel)
        return state["blitter"].render()

    return fig, redraw


def filter_widget(images):
    """Preset dropdown, image dropdown and the 3x3 kernel as 9 editable number boxes.

    Choosing a preset fills the boxes; editing any box applies your own kernel. Returns a VBox.
    """
    names = list(images)
    fig, redraw = filter_redraw(images, names[0])
    shown = figure_image(fig, redraw(names[0], PRESETS["identity"]), "jpeg")
    preset = controls.Dropdown(options=list(PRESETS), value="identity", description="preset")
    image = controls.Dropdown(options=names, value=names[0], description="image")
    # each box is named by its visible label, the weight's numpy index as on the kernel figure's axes,
    # so a screen reader can tell the nine apart
    boxes = [widgets.FloatText(value=float(v), step=0.5, description=f"w[{k // 3},{k % 3}]",
                               style={"description_width": "46px"}, layout=widgets.Layout(width="120px"))
             for k, v in enumerate(PRESETS["identity"].ravel())]
    filling = {"on": False}  # True while a preset writes the boxes: one redraw, not nine

    def show(*_):
        if not filling["on"]:
            kernel = np.array([b.value for b in boxes], dtype=float).reshape(3, 3)
            shown.value = redraw(image.value, kernel)

    def use_preset(change):
        filling["on"] = True
        for box, value in zip(boxes, PRESETS[change["new"]].ravel()):
            box.value = round(float(value), 4)
        filling["on"] = False
        show()

    preset.observe(use_preset, names="value")
    image.observe(show, names="value")
    for box in boxes:
        box.observe(show, names="value")
    grid = widgets.GridBox(boxes, layout=widgets.Layout(grid_template_columns="repeat(3, 124px)"))
    return widgets.VBox([widgets.HBox([widgets.VBox([preset, image]), grid]), shown])

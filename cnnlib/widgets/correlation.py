"""Widgets for chapter 02: a moving average on a noisy signal, and "Photoshop" 3x3 filters.

Both build their figure once and, on each change, update the data and re-render the PNG shown in
an ipywidgets.Image (see cnnlib.widgets.why). The *_redraw functions return (fig, redraw) so
benchmarks/redraw_correlation.py can time exactly what a slider move costs.
"""
import ipywidgets as widgets
import numpy as np

from ..viz.correlation import (PRESETS, WINDOW_KINDS, draw_filter, draw_smoothing, update_filter,
                               update_smoothing, window_weights)
from .why import FastFigure, image_widget, new_figure


def smoothing_redraw(signal, clean=None):
    """Build the moving-average figure; redraw(kind, size) -> PNG bytes."""
    fig = new_figure(7.5, 3.0)
    ax = fig.subplots()
    drawn = draw_smoothing(ax, signal, window_weights("box", 5), clean)
    fast = FastFigure(fig, [drawn["average"], ax.title])

    def redraw(kind, size):
        update_smoothing(drawn, signal, window_weights(kind, size))
        return fast.png()

    return fig, redraw


def smoothing_widget(signal, clean=None):
    """Window size slider (odd, 1..41) and weight shape (box / triangle / gaussian). Returns a VBox."""
    fig, redraw = smoothing_redraw(signal, clean)
    picture = image_widget(redraw("box", 5))

    def show(kind="box", size=5):
        picture.value = redraw(kind, size)

    controls = widgets.interactive(
        show, kind=widgets.Dropdown(options=WINDOW_KINDS, value="box", description="weights"),
        size=widgets.IntSlider(min=1, max=41, step=2, value=5, description="window"))
    return widgets.VBox([controls, picture])


def _moving(drawn):
    """The artists of a draw_filter figure that change with the kernel."""
    return [drawn["kernel"], *drawn["borders"], *drawn["texts"], drawn["output"]]


def filter_redraw(images, name="identity"):
    """Build the kernel | input | output figure for images[name]; redraw(image_name, kernel) -> JPEG bytes.

    images: dict {name: (H, W) or (3, H, W) in [0, 1]}. Switching images rebuilds the input panel.
    """
    fig = new_figure(8.4, 3.0)
    axes = fig.subplots(1, 3, width_ratios=[0.7, 1, 1])
    drawn = draw_filter(*axes, images[name], PRESETS["identity"])
    fast = FastFigure(fig, _moving(drawn), fmt="jpeg")  # photos encode ~10x faster as JPEG
    state = {"name": name, "drawn": drawn}

    def redraw(image_name, kernel):
        if image_name != state["name"]:  # another picture (maybe another size): draw the panels again
            for ax in axes:
                ax.clear()
            state["drawn"] = draw_filter(*axes, images[image_name], kernel)
            state["name"] = image_name
            fast.reset(_moving(state["drawn"]))
        else:
            update_filter(state["drawn"], images[image_name], kernel)
        return fast.png()

    return fig, redraw


def filter_widget(images):
    """Preset dropdown, image dropdown and the 3x3 kernel as 9 editable number boxes.

    Choosing a preset fills the boxes; editing any box applies your own kernel. Returns a VBox.
    """
    names = list(images)
    fig, redraw = filter_redraw(images, names[0])
    picture = image_widget(redraw(names[0], PRESETS["identity"]), fmt="jpeg")
    preset = widgets.Dropdown(options=list(PRESETS), value="identity", description="preset")
    image = widgets.Dropdown(options=names, value=names[0], description="image")
    boxes = [widgets.FloatText(value=float(v), step=0.5, layout=widgets.Layout(width="70px"))
             for v in PRESETS["identity"].ravel()]
    filling = {"on": False}  # True while a preset writes the boxes: one redraw, not nine

    def show(*_):
        if not filling["on"]:
            kernel = np.array([b.value for b in boxes], dtype=float).reshape(3, 3)
            picture.value = redraw(image.value, kernel)

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
    grid = widgets.GridBox(boxes, layout=widgets.Layout(grid_template_columns="repeat(3, 75px)"))
    return widgets.VBox([widgets.HBox([widgets.VBox([preset, image]), grid]), picture])

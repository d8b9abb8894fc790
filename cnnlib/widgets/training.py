"""Chapter 10 widgets: a live training plot, and a digit explorer (pick a test digit, shift / rotate /
add noise, watch the prediction and the feature maps of every conv layer change).

    live = LivePlot()                                    # before training
    history = model.fit(..., on_batch_end=live.on_batch_end, on_epoch_end=live.on_epoch_end)
    digit_explorer(model, x_test, y_test)                # sliders: digit, shift x / y, rotation, noise

Both draw through cnnlib.viz.training (draw_history / update_history, draw_digit_explorer /
update_digit_explorer); the notebook shows static figures from the same functions beside them.
"""
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import clear_output, display

from ..progress import in_jupyter_kernel
from . import controls
from .common import Blitter, figure_image
from ..viz.training import (digit_explorer_figure, distort, draw_digit_explorer, draw_history,
                            update_digit_explorer, update_history)


class LivePlot:
    """Loss and accuracy curves that update while Sequential.fit runs.

    In a Jupyter kernel the figure lives in an ipywidgets Output and is redrawn at most every
    `every` seconds (a redraw costs ~0.1 s, so training is barely slowed) and after each epoch.
    Elsewhere (a terminal, a script) it does nothing: fit's own epoch lines are the report.
    Pass its two methods to fit: on_batch_end=live.on_batch_end, on_epoch_end=live.on_epoch_end.
    """

    def __init__(self, every=2.0, smooth=50, enabled=None):
        self.every = every
        self.smooth = smooth
        self.enabled = in_jupyter_kernel() if enabled is None else enabled
        self.last_draw = 0.0
        self.redraws = 0
        self.fig = self.drawn = self.output = None
        if self.enabled:
            self.output = widgets.Output()
            display(self.output)

    def _draw(self, history):
        if self.fig is None:
            self.fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
            self.drawn = draw_history(axes, history, self.smooth)
            self.fig.tight_layout()
            plt.close(self.fig)  # shown only inside the Output widget
        else:
            update_history(self.drawn, history, self.smooth)
        with self.output:
            clear_output(wait=True)
            display(self.fig)
        self.last_draw = time.perf_counter()
        self.redraws += 1

    def on_batch_end(self, step, history):
        """fit's per-batch hook: redraw if `every` seconds have passed since the last redraw."""
        if self.enabled and time.perf_counter() - self.last_draw >= self.every:
            self._draw(history)

    def on_epoch_end(self, epoch, history):
        """fit's per-epoch hook: redraw, so the test accuracy of the finished epoch shows at once."""
        if self.enabled:
            self._draw(history)


def digit_explorer(model, images, labels):
    """Sliders for the test digit and its distortion; shows the digit as the model sees it, the class
    probabilities and every conv layer's feature maps. images: (N, 1, H, W), labels: (N,).
    The figure is drawn once and then updated in place (update_digit_explorer). Returns the widget."""
    fig, axes = digit_explorer_figure(model, images.shape[1:])
    handles = draw_digit_explorer(axes, model, images[0], int(labels[0]))
    plt.close(fig)  # shown only through the picture below
    shown = figure_image(fig)  # its words (alt text) are a live line under it, redrawn with it

    def show(digit, shift_x, shift_y, rotation, noise):
        image = distort(images[digit, 0], shift_x, shift_y, rotation, noise, seed=digit)
        update_digit_explorer(handles, model, image, int(labels[digit]))
        shown.value = Blitter(fig, []).render()  # every artist changes: a full draw, with its alt text

    def slider(cls, description, **kw):
        return cls(description=description, continuous_update=False, style={"description_width": "70px"}, **kw)

    view = widgets.interactive(
        show, clear_output=False,
        digit=slider(controls.IntSlider, "test digit", value=0, min=0, max=len(images) - 1),
        shift_x=slider(controls.FloatSlider, "shift x", value=0, min=-6, max=6, step=0.5),
        shift_y=slider(controls.FloatSlider, "shift y", value=0, min=-6, max=6, step=0.5),
        rotation=slider(controls.FloatSlider, "rotation", value=0, min=-90, max=90, step=5),
        noise=slider(controls.FloatSlider, "noise", value=0, min=0, max=0.6, step=0.05))
    return widgets.VBox([view, shown])


__all__ = ["LivePlot", "digit_explorer"]

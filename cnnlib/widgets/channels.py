"""Chapter 04 widget: pick a colour filter and a bias; see each channel's map, the sum and ReLU.

    colour_filter_explorer(x, filters=None) -> ipywidgets.interactive (display it)

x: (3, H, W) in [0, 1]. filters: {name: (w (3, KH, KW), b)}, default cnnlib.viz.channels.colour_filters().
The figure is drawn once; a change only swaps image data and kernel numbers (ChannelSum.set_filter),
re-rendered with the Blitter of cnnlib.widgets.common (benchmarks/redraw_channels.py) and shown at
the figure's own pixel width (sharp).
"""
import ipywidgets as widgets
from IPython.display import display
from matplotlib.figure import Figure

from ..viz.channels import colour_filters, draw_channel_sum
from . import controls
from .common import Blitter, figure_image, pre


def channel_figure(x, w, b=0.0, dpi=72):
    """A new Figure (not managed by pyplot) with draw_channel_sum's 2 x 5 panels. Returns (fig, ChannelSum)."""
    fig = Figure(figsize=(12, 5.2), dpi=dpi, layout="constrained")
    axes = fig.subplots(2, 5)
    return fig, draw_channel_sum(axes, x, w, b, show_numbers=False)  # numbers go in the HTML text


def slices_text(w):
    """The kernel slices (3, KH, KW) side by side as text, e.g. 'K_R   K_G   K_B' over their rows."""
    names = ("K_R", "K_G", "K_B") if len(w) == 3 else [f"K_{c}" for c in range(len(w))]
    width = 7 * w.shape[2]
    lines = ["   ".join(f"{n:<{width}}" for n in names)]
    for u in range(w.shape[1]):
        lines.append("   ".join("".join(f"{v:+7.3f}" for v in w[c, u]) for c in range(len(w))))
    return "\n".join(lines)


class ColourFilterExplorer:
    """State behind colour_filter_explorer: the filters, the figure, its ChannelSum and Blitter."""

    def __init__(self, x, filters=None):
        self.filters = colour_filters() if filters is None else dict(filters)
        first = next(iter(self.filters))
        w, b = self.filters[first]
        fig, self.drawn = channel_figure(x, w, b)
        self.blitter = Blitter(fig, self.drawn.animated, "jpeg")
        self.image = figure_image(fig, image_format="jpeg")
        self.text = widgets.HTML()
        self.name = controls.Dropdown(options=list(self.filters), value=first, description="filter")
        self.bias = controls.FloatSlider(value=float(b), min=-0.5, max=0.5, step=0.05, description="bias b")
        # (controls.FloatSlider shows 2 decimals; it takes no readout_format)
        self.name.observe(self.reset_bias, names="value")
        self.view = widgets.interactive(self.show, clear_output=False, name=self.name, b=self.bias)

    def reset_bias(self, change):
        """A new filter starts from its own bias."""
        self.bias.value = float(self.filters[change["new"]][1])

    def show(self, name, b):
        """Swap in the filter `name` with bias b and render."""
        w = self.filters[name][0]
        self.drawn.set_filter(w, b)
        self.image.value = self.blitter.render()
        self.text.value = pre(f"{name}: out = b + x[0]⋆K_R + x[1]⋆K_G + x[2]⋆K_B, b = {b:+.2f}\n"
                              f"{self.drawn.summary()}\n{slices_text(w)}")


def colour_filter_explorer(x, filters=None):
    """The chapter 04 widget. Returns the interactive widget (filter dropdown, bias slider, picture)."""
    explorer = ColourFilterExplorer(x, filters)
    view = explorer.view
    *inputs, output = view.children
    view.children = (widgets.HBox(inputs), output)
    with output:  # shown once; each change only replaces the picture's bytes and the text
        display(widgets.VBox([explorer.image, explorer.text]))
    view.explorer = explorer
    return view

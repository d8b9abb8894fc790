"""One presentation scale for every figure and widget picture (projector, zoomed screens).

    set_scale(1.5)     every figure drawn from now on, and every widget picture, 1.5x larger
    get_scale() -> float
    apply_scale(fig)   a widget's Figure to the current scale (Blitter calls it; once per figure)
    text_px(fig) -> float   the smallest text in fig, in screen pixels at 100% zoom (pt x dpi / 72)

How: a figure's pixel size is inches x dpi and its text is points x dpi / 72, so scaling the dpi
enlarges lines, text and picture together without moving anything. Static figures take matplotlib's
rcParams["figure.dpi"] (the inline backend saves them at the figure's dpi); widget figures are made
with their own dpi and scaled by apply_scale when their Blitter is built, and the widgets show each
picture at its own pixel width (widgets.common.pixel_width), so the picture really grows on screen.
Figures drawn before set_scale keep their size: call it in the first cell, or re-run the cells.
"""
import matplotlib as mpl

BASE_DPI = 100.0   # matplotlib's default figure.dpi: scale 1
_state = {"scale": 1.0}


def set_scale(scale):
    """Draw every figure and widget picture `scale` times larger than the course's default."""
    if not isinstance(scale, (int, float)) or not 0.5 <= scale <= 4:
        raise ValueError(f"set_scale: scale must be a number from 0.5 to 4 (1 = default, 1.5 = a projector), "
                         f"got {scale!r}.")
    _state["scale"] = float(scale)
    mpl.rcParams["figure.dpi"] = BASE_DPI * scale


def get_scale():
    """The presentation scale set with set_scale (1.0 by default)."""
    return _state["scale"]


def apply_scale(fig):
    """Multiply a widget figure's dpi by the presentation scale, once (a later Blitter on the same
    figure leaves it alone). A pyplot figure (it has a canvas manager) already took the scaled
    figure.dpi when it was made and is left alone. Returns fig."""
    if getattr(fig, "_cnnlib_scale", None) is None and getattr(fig.canvas, "manager", None) is None:
        fig._cnnlib_scale = get_scale()
        fig.set_dpi(fig.dpi * fig._cnnlib_scale)
    return fig


def text_px(fig):
    """The font size of the smallest visible text in fig (titles, labels, ticks, cell numbers), in
    CSS pixels when the picture is shown at its own size: points x dpi / 72. 0.0 if it has no text."""
    sizes = [t.get_fontsize() for t in fig.findobj(mpl.text.Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) * fig.dpi / 72 if sizes else 0.0

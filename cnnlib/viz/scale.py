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
from matplotlib.backends.backend_agg import RendererAgg

BASE_DPI = 100.0   # matplotlib's default figure.dpi: scale 1
BODY_TEXT_PX = 14.0    # the notebook's body text in JupyterLab 4.6 (computed font-size, Chromium)
OUTPUT_WIDTH_PX = 840  # an output's width in a 1280-px-wide JupyterLab with the file browser open;
                       # a wider picture is shrunk to it (max-width: 100%)
FIGURE_WIDTH_PX = OUTPUT_WIDTH_PX - 20  # a figure's <img> in a text/html output (cnnlib.viz.alt): JupyterLab
                                        # gives .jp-RenderedHTMLCommon a 20-px right padding
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


def min_fontsize(fig, width_px=None):
    """The smallest font size (points) that shows at least as large as the body text at scale 1:
    BODY_TEXT_PX at the figure's dpi (divided by the presentation scale), after the page shrinks
    a picture wider than FIGURE_WIDTH_PX. width_px: the picture's width (default: the figure's,
    inches x dpi). At 100 dpi and up to 8.4 inches wide: 10.08 pt."""
    scale = getattr(fig, "_cnnlib_scale", None) or get_scale()
    dpi = fig.dpi / scale
    width = (fig.get_figwidth() * fig.dpi if width_px is None else width_px) / scale
    return BODY_TEXT_PX * 72 / (dpi * min(1.0, FIGURE_WIDTH_PX / width))


def tight_width(fig):
    """The width in pixels of the PNG the inline backend saves (bbox_inches='tight': the drawn
    artists' bounding box plus savefig.pad_inches on each side)."""
    fig.draw_without_rendering()  # run the layout engine first, as savefig does
    box = fig.get_tightbbox()
    return (box.width + 2 * mpl.rcParams["savefig.pad_inches"]) * fig.dpi


def _raise_texts(fig, smallest):
    """Set every text (and the axes' tick label size) below `smallest` points to it; True if any was."""
    raised = False
    for ax in fig.axes:  # tick labels made later (at the draw) take the axis' label size
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            for which, ticks in (("major", axis.get_major_ticks), ("minor", axis.get_minor_ticks)):
                found = ticks()
                if found and found[0].label1.get_fontsize() < smallest:
                    ax.tick_params(axis=name, which=which, labelsize=smallest)
                    raised = True
    for text in fig.findobj(mpl.text.Text):
        if text.get_fontsize() < smallest:
            text.set_fontsize(smallest)
            raised = True
    return raised


def legible(fig, tight=False):
    """Raise every text in fig smaller than min_fontsize to it (like a browser's minimum font size
    setting), so that no label, tick or cell number shows smaller than the notebook's body text at
    100% zoom. tight=True: the picture is saved with bbox_inches='tight' (the inline backend), whose
    width can exceed the figure's; larger text can widen it again, so measure and raise until it
    holds. The widgets (Blitter) and the figures a notebook shows (cnnlib.viz.alt's display hook)
    call it before drawing; the drawing functions choose sizes that rarely need it. Returns fig."""
    for _ in range(4):
        width = tight_width(fig) if tight else None
        # a hair above the minimum, so that rounding never lands below it
        if not _raise_texts(fig, min_fontsize(fig, width) * 1.005):
            break
    return fig


def text_px(fig):
    """The font size of the smallest text drawn in fig (titles, labels, ticks, cell numbers), in
    CSS pixels when the picture is shown at its own size: points x dpi / 72. 0.0 if it draws none.

    Only text that is really drawn counts (not the tick labels of a hidden axis, nor an empty
    string): the figure is drawn once on a scratch Agg renderer that records each text's size,
    with a widget's animated artists (its cell numbers, say) drawn too."""
    sizes = []
    width, height = fig.get_size_inches() * fig.dpi
    renderer = RendererAgg(max(int(width), 1), max(int(height), 1), fig.dpi)
    draw_text = renderer.draw_text

    def recording_draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            sizes.append(prop.get_size_in_points())
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
    renderer.draw_text = recording_draw_text
    animated = [artist for artist in fig.findobj() if artist.get_animated()]
    for artist in animated:
        artist.set_animated(False)
    try:
        fig.draw(renderer)
    finally:
        for artist in animated:
            artist.set_animated(True)
    return min(sizes) * fig.dpi / 72 if sizes else 0.0

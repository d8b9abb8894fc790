"""Text alternatives for figures: what a figure shows, in words and numbers, computed from its data.

    describe(ax, text)        add a finding to an axes' description (text, or a function -> text
                              that is called when the description is read, so it follows a widget's
                              updates)
    axes_text(ax) -> str      one axes in words: its title, the findings added with describe, then
                              what it holds: images (size, range, first row), the numbers written in
                              its cells, bars (label = value), lines (points, first and last value)
    alt_text(fig) -> str      every axes of a figure, "Panel 1: ... Panel 2: ..."
    enable_in_ipython()       make IPython show every matplotlib Figure as text/html
                              <img src="data:image/png;base64,..." alt="..."> (no image/png copy),
                              metadata {"text/html": {"image", "text_px"}}, text_px: its
                              smallest text in pixels (scale.text_px); cnnlib.viz calls it
    stored_images(output)     the figures a stored notebook output holds (both forms), for tests

Why from the artists: a screen-reader user needs the numbers a sighted student reads off the
picture. Reading them back from what was drawn (image data, cell texts, bar heights) keeps the
words true after a widget changes the picture in place, and covers figures a notebook draws itself.
"""
import base64
import html
import re
import sys

import numpy as np
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .scale import legible, text_px

MAX_VALUES = 8   # numbers listed per row / per series before "..."
MAX_ROWS = 4     # rows of a matrix listed
ALT_FORMATS = ("image/png", "image/jpeg")


def describe(ax, text, only=False):
    """Add a finding (a str, or a function of no arguments returning one) to ax's description.
    only=True: the findings replace the automatic reading of the axes' data (images, bars, lines), for
    data whose small values are not worth reading out digit by digit (e.g. probabilities of 1e-12)."""
    if not (isinstance(text, str) or callable(text)):
        raise TypeError(f"describe: text must be a str or a function returning one, got {type(text).__name__}")
    if not hasattr(ax, "_cnnlib_alt"):
        ax._cnnlib_alt = []
    ax._cnnlib_alt.append(text)
    if only:
        ax._cnnlib_alt_only = True


def number(v):
    """A value as a screen reader should hear it: 3 significant digits, no '-0'."""
    v = float(v)
    if not np.isfinite(v):
        return str(v)
    text = f"{v:.3g}"
    return "0" if text in ("-0", "0") else text


def at_common_scale(vals):
    """vals as a list of floats, each one that rounds to 0 at the largest one's 3 significant digits
    set to 0: its digits would come from floating-point rounding (e.g. a probability of 4.49e-12 next
    to 1), and stored outputs compare the alt text, which must read the same on every CPU."""
    vals = [float(v) for v in vals]
    finite = [abs(v) for v in vals if np.isfinite(v)]
    scale = max(finite, default=0.0)
    quantum = 10.0 ** (np.floor(np.log10(scale)) - 2) if scale > 0 else 0.0
    return [0.0 if np.isfinite(v) and abs(v) < quantum / 2 else v for v in vals]


def values(seq, limit=MAX_VALUES):
    """'a, b, c, ...' for the first `limit` entries of seq (numbers or strings)."""
    seq = list(seq)
    shown = [s if isinstance(s, str) else number(s) for s in seq[:limit]]
    return ", ".join(shown) + (", ..." if len(seq) > limit else "")


def image_text(a, list_rows=True):
    """An image's data in words. a: (H, W) values or (H, W, 3|4) colours. list_rows=False leaves
    out the values of a small grid (when its numbers are written in the cells and listed anyway)."""
    a = np.ma.getdata(np.asarray(a))
    if a.ndim == 3:
        return f"{a.shape[0]}x{a.shape[1]} colour image"
    if a.ndim != 2 or a.size == 0:
        return f"image of shape {a.shape}"
    lo, hi = at_common_scale([np.nanmin(a), np.nanmax(a)])
    text = f"{a.shape[0]}x{a.shape[1]} grid, values {number(lo)} to {number(hi)}"
    if a.shape[0] <= 12 and a.shape[1] <= 12:
        if not list_rows:
            return text
        rows = "; ".join(f"row {r + 1}: {values(a[r])}" for r in range(min(a.shape[0], MAX_ROWS)))
        return text + f"; {rows}" + ("; ..." if a.shape[0] > MAX_ROWS else "")
    # a picture too big to read out: where its bright part is
    # the first position (row by row) within 1e-4 of the range below the largest value: on a near tie
    # argmax's pick comes from floating-point rounding and would differ between CPUs
    top, spread = np.nanmax(a), np.nanmax(a) - np.nanmin(a)
    r, c = np.unravel_index(np.flatnonzero(np.nan_to_num(a, nan=-np.inf) >= top - 1e-4 * spread)[0], a.shape)
    return text + f", mean {number(np.nanmean(a))}, largest at row {r + 1}, column {c + 1}"


def _cell_texts(ax):
    """The non-empty texts written inside the axes' data area (the numbers in a matrix's cells),
    grouped into rows by their y position, top row first."""
    rows = {}
    for t in ax.texts:
        s = t.get_text().strip()
        if not s or not t.get_visible() or t.get_transform() != ax.transData:
            continue
        x, y = t.get_position()
        rows.setdefault(round(float(y), 3), []).append((float(x), " ".join(s.split())))
    inverted = ax.yaxis_inverted()
    ordered = sorted(rows.items(), key=lambda item: item[0], reverse=not inverted)
    return [[s for _, s in sorted(row)] for _, row in ordered]


def _bar_labels(ax, bars):
    """The tick label under each bar (or its position if there is none)."""
    horizontal = bars.orientation == "horizontal"
    axis = ax.yaxis if horizontal else ax.xaxis
    ticks = {round(float(loc), 3): lab.get_text() for loc, lab in zip(axis.get_ticklocs(), axis.get_ticklabels())}
    labels = []
    for bar in bars:
        centre = bar.get_y() + bar.get_height() / 2 if horizontal else bar.get_x() + bar.get_width() / 2
        labels.append(ticks.get(round(centre, 3)) or number(centre))
    return labels


def axes_text(ax):
    """One axes in words (see the module docstring); "" for an empty axes."""
    parts = []
    title = " ".join((ax.get_title() or ax.get_title("left")).split())
    for item in getattr(ax, "_cnnlib_alt", []):
        parts.append(item() if callable(item) else item)
    if getattr(ax, "_cnnlib_alt_only", False):  # describe(..., only=True): the words say it all
        return (f"{title}: " if title else "") + "; ".join(parts)
    cells = _cell_texts(ax)
    written = cells and sum(len(r) for r in cells) > 1
    for image in ax.images:
        if image.get_visible():
            parts.append(image_text(image.get_array(), list_rows=not written))
    if written:
        listed = "; ".join(f"row {k + 1}: {values(r)}" for k, r in enumerate(cells[:MAX_ROWS]))
        parts.append(f"written in it, {listed}" + ("; ..." if len(cells) > MAX_ROWS else ""))
    for bars in ax.containers:
        if isinstance(bars, BarContainer):
            heights = [b.get_width() if bars.orientation == "horizontal" else b.get_height() for b in bars]
            pairs = [f"{lab} {number(h)}" for lab, h in zip(_bar_labels(ax, bars), heights)]
            parts.append(f"{len(pairs)} bars: {values(pairs, 12)}")
    for line in ax.lines:
        y = np.asarray(line.get_ydata(), dtype=float)
        if len(y) < 2 or not line.get_visible() or line.get_label().startswith("_"):
            continue
        x = np.asarray(line.get_xdata(), dtype=float)
        parts.append(f"line '{line.get_label()}': {len(y)} points, x {number(x[0])} to {number(x[-1])}, "
                     f"y from {number(y[0])} to {number(y[-1])} (lowest {number(np.nanmin(y))}, "
                     f"highest {number(np.nanmax(y))})")
    boxes = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill() and p.get_visible()]
    for box in boxes[:4]:
        (x0, y0), w, h = box.get_xy(), box.get_width(), box.get_height()
        if ax.images and w >= 1 and h >= 1:  # a box around matrix cells
            r, c = int(round(y0 + 0.5)), int(round(x0 + 0.5))
            parts.append(f"outlined: rows {r + 1} to {r + int(round(h))}, columns {c + 1} to {c + int(round(w))}")
    if not parts:
        return title
    return (f"{title}: " if title else "") + "; ".join(parts)


def alt_text(fig):
    """Every visible axes of `fig` described; one axes reads without the 'Panel k' prefix."""
    texts = [axes_text(ax) for ax in fig.axes if ax.get_visible()]
    texts = [t for t in texts if t]
    suptitle = fig._suptitle.get_text() + ". " if getattr(fig, "_suptitle", None) else ""
    texts = [" ".join(t.split()) for t in texts]
    if len(texts) == 1:
        return suptitle + texts[0]
    return suptitle + " ".join(f"Panel {k + 1}: {t}." for k, t in enumerate(texts))


class _InHtml:
    """Stands in for the inline backend's Figure printer of one image type (PNG or JPEG): that
    type's own output is left empty (the printer returns None), and `html` shows the same picture
    as text/html, an <img> with its alt text and the image inline as a data: URI.

    Why text/html and not image/png with {"alt": ...} metadata: JupyterLab 4.6 builds the <img> of
    an image/png output without reading its metadata, so a screen reader found no text alternative
    (axe-core image-alt); an <img alt> in text/html reaches it in JupyterLab, Colab, VS Code and the
    HTML edition. The picture is stored once (inside the <img>), so notebooks do not grow; nbval
    compares the alt text and, through tests/nbval_sanitize.cfg, not the image bytes."""

    def __init__(self, inner, mime):
        self.inner, self.mime = inner, mime

    def __call__(self, fig):
        return None

    def html(self, fig):
        result = self.inner(legible(fig, tight=True))  # no text smaller than the notebook's body text
        data, metadata = result if isinstance(result, tuple) else (result, {})
        if data is None:
            return None
        encoded = base64.b64encode(data).decode("ascii") if isinstance(data, bytes) else data.strip()
        metadata = metadata or {}
        alt = getattr(fig, "_cnnlib_figure_alt", None) or alt_text(fig)  # attribution.show(fig, alt)
        size = "".join(f' {k}="{int(metadata[k])}"' for k in ("width", "height") if metadata.get(k))
        tag = f'<img src="data:{self.mime};base64,{encoded}" alt="{html.escape(alt, quote=True)}"{size}>'
        # text_px: the smallest text's size at the picture's own width (tests/test_a11y_legibility.py)
        return tag, {"image": self.mime, "text_px": round(text_px(fig), 2)}


IMG = re.compile(r'<img src="data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/=\s]+)" alt="([^"]*)"')


def stored_images(output):
    """The figures one stored notebook output holds: [{"mime", "data" (bytes), "alt", "text_px"}].
    Reads both forms: an <img> in text/html (written by _InHtml) and an image/png or image/jpeg
    output with its metadata (figures displayed otherwise; alt/text_px None where missing)."""
    data, meta = output.get("data", {}), output.get("metadata", {})
    found = []
    for mime in ALT_FORMATS:
        if mime in data:
            m = meta.get(mime, {})
            found.append({"mime": mime, "data": base64.b64decode(data[mime]), "alt": m.get("alt"),
                          "text_px": m.get("text_px")})
    page = data.get("text/html", "")
    page = "".join(page) if isinstance(page, list) else page
    for mime, encoded, alt in IMG.findall(page):
        found.append({"mime": mime, "data": base64.b64decode(encoded), "alt": html.unescape(alt),
                      "text_px": meta.get("text/html", {}).get("text_px")})
    return found


def _wrap_formatters(shell):
    """Put _InHtml in place of the Figure printers of the image formatters (the inline backend sets
    them, and sets them again when its figure_formats change), once each, and show figures through
    the text/html formatter with the first image type the backend asks for (none: no html)."""
    formatters = shell.display_formatter.formatters
    for mime in ALT_FORMATS:
        inner = formatters[mime].type_printers.get(Figure)
        if inner is not None and not isinstance(inner, _InHtml):
            formatters[mime].for_type(Figure, _InHtml(inner, mime))
    active = [p for p in (formatters[m].type_printers.get(Figure) for m in ALT_FORMATS) if isinstance(p, _InHtml)]
    html_printers = formatters["text/html"].type_printers
    if active:
        html_printers[Figure] = active[0].html
    elif isinstance(getattr(html_printers.get(Figure), "__self__", None), _InHtml):
        del html_printers[Figure]


def enable_in_ipython():
    """Inside IPython / Jupyter: every Figure displayed (the inline backend's automatic display
    included) carries its alt text. Outside IPython: does nothing. Safe to call more than once."""
    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    _wrap_formatters(shell)
    if not getattr(shell, "_cnnlib_alt_hook", False):
        # the inline backend re-registers its printers on `%config InlineBackend.figure_formats`;
        # wrap again before each cell and after it (before the next cell's figures are shown)
        shell.events.register("pre_execute", lambda: _wrap_formatters(shell))
        shell.events.register("post_execute", lambda: _wrap_formatters(shell))
        shell._cnnlib_alt_hook = True

"""Drawing helpers shared by the chapters: a matrix with its numbers, a grey image, a box.

Numbers written on coloured cells are black on light cells and white on dark ones, whichever has
the higher WCAG contrast against the cell (`text_colour`); that contrast is always at least 4.6:1,
above the 4.5:1 the WCAG AA level asks for normal text.
"""
import matplotlib.patches as patches
import numpy as np
from matplotlib.colors import to_rgb

MIN_CONTRAST = 4.5  # WCAG 2 AA, normal text


def relative_luminance(colour):
    """WCAG 2 relative luminance (0 black .. 1 white) of a matplotlib colour (name, hex or RGB(A))."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(colour_a, colour_b):
    """WCAG 2 contrast ratio (1 .. 21) between two colours; normal text needs >= 4.5."""
    la, lb = sorted((relative_luminance(colour_a), relative_luminance(colour_b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(background):
    """'black' or 'white', whichever contrasts more with `background` (>= 4.58:1 for any colour)."""
    return "black" if contrast_ratio("black", background) >= contrast_ratio("white", background) else "white"


def cell_colour(image, value):
    """The RGB colour an AxesImage gives `value` (its colormap and current colour limits); a value
    the colormap leaves transparent (NaN) shows the white page."""
    rgba = image.cmap(image.norm(value))
    return to_rgb(rgba) if rgba[3] > 0 else (1.0, 1.0, 1.0)


def style_number(text, image, value, chip):
    """Colour a number's Text for contrast with its cell; with chip=True it also sits on a small patch
    of the cell's own colour, so hatching or a tinted overlay drawn over the cell cannot lower it."""
    background = cell_colour(image, value)
    text.set_color(text_colour(background))
    if chip:
        text.set_bbox(dict(boxstyle="round,pad=0.12", facecolor=background, edgecolor="none"))
    return text

from .contrast import cell_text_colour


def draw_matrix(ax, a, fmt="{:g}", cmap="Blues", vmin=None, vmax=None, title=None, fontsize=10,
                show_numbers=True, chips=False):
    """Draw a 2-D array as coloured cells with each value written in its cell.

    a: (H, W). Each number is black or white, whichever contrasts more with its cell (text_colour);
    chips=True puts it on a patch of the cell's colour (for cells that get hatched or tinted later).
    Returns (image, texts): the AxesImage and the list of Text objects (row-major),
    so a widget can update values in place with image.set_data / text.set_text.
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"draw_matrix needs a 2-D array (H, W), got shape {a.shape}")
    image = ax.imshow(a, cmap=cmap, vmin=vmin, vmax=vmax)
    texts = []
    if show_numbers:
        for (r, c), value in np.ndenumerate(a):
            text = ax.text(c, r, fmt.format(value), ha="center", va="center", fontsize=fontsize)
            texts.append(style_number(text, image, value, chips))
    ax.set_xticks(np.arange(a.shape[1]))
    ax.set_yticks(np.arange(a.shape[0]))
    ax.tick_params(length=0, labelsize=8)
    # thin grid lines between cells
    ax.set_xticks(np.arange(-0.5, a.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, a.shape[0]), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    if title:
        ax.set_title(title)
    return image, texts


def signed_limit(a, margin=1.25):
    """Colour limit L for drawing signed values on a diverging colormap from -L to L, centred at 0
    (white): L = margin * max|a|, so the largest values are strong but not the darkest colour."""
    return margin * max(float(np.nanmax(np.abs(a))) if np.size(a) else 0.0, 1e-12)


def draw_image(ax, img, title=None, cmap="gray", vmin=None, vmax=None):
    """Draw an image without axes. img: (H, W) grey or (H, W, 3) colour. Returns the AxesImage."""
    image = ax.imshow(img, cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return image


def draw_box(ax, row, col, height, width, color="red", linewidth=2.5):
    """Outline the cells [row, row+height) x [col, col+width) of a matrix drawn with imshow.

    Returns the Rectangle; move it later with rect.set_xy((col - 0.5, row - 0.5)).
    """
    rect = patches.Rectangle((col - 0.5, row - 0.5), width, height, fill=False,
                             edgecolor=color, linewidth=linewidth)
    ax.add_patch(rect)
    return rect

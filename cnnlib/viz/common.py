"""Drawing helpers shared by the chapters: a matrix with its numbers, a grey image, a box."""
import matplotlib.patches as patches
import numpy as np

from .contrast import cell_text_colour


def draw_matrix(ax, a, fmt="{:g}", cmap="Blues", vmin=None, vmax=None, title=None, fontsize=10,
                show_numbers=True):
    """Draw a 2-D array as coloured cells with each value written in its cell.

    a: (H, W). Returns (image, texts): the AxesImage and the list of Text objects (row-major),
    so a widget can update values in place with image.set_data / text.set_text.
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"draw_matrix needs a 2-D array (H, W), got shape {a.shape}")
    image = ax.imshow(a, cmap=cmap, vmin=vmin, vmax=vmax)
    texts = []
    if show_numbers:
        for (r, c), value in np.ndenumerate(a):
            colour = cell_text_colour(image, value)  # black or white, >= 4.5:1 on the cell (viz/contrast.py)
            texts.append(ax.text(c, r, fmt.format(value), ha="center", va="center",
                                 fontsize=fontsize, color=colour))
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

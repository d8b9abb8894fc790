"""Readable numbers on coloured cells: WCAG 2.1 contrast ratio and the text colour for a cell.

    relative_luminance(rgb) -> float      WCAG 2.1 definition (sRGB, 0 = black, 1 = white)
    contrast_ratio(rgb1, rgb2) -> float   (L_light + 0.05) / (L_dark + 0.05), from 1 to 21
    text_colour(rgb) -> "black"|"white"   the one with the higher contrast on that cell colour
    cell_text_colour(image, value)        text_colour of the colour `image` (an AxesImage) gives value

Black or white always reaches at least sqrt(21) = 4.58:1 on any colour (the two ratios multiply
to 21), so choosing per cell meets WCAG AA (4.5:1) for every colour a colour map can produce,
where a fixed threshold on the value (e.g. "white above the middle") does not.
"""
import numpy as np
from matplotlib.colors import to_rgb


def relative_luminance(rgb):
    """WCAG 2.1 relative luminance of an sRGB colour (any matplotlib colour; alpha ignored)."""
    c = np.asarray(to_rgb(rgb) if isinstance(rgb, str) else rgb, dtype=float)[:3]
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(rgb1, rgb2):
    """WCAG 2.1 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    l1, l2 = sorted((relative_luminance(rgb1), relative_luminance(rgb2)), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)


def text_colour(rgb):
    """'black' or 'white', whichever contrasts more with the cell colour rgb."""
    return "black" if contrast_ratio(rgb, (0, 0, 0)) >= contrast_ratio(rgb, (1, 1, 1)) else "white"


def cell_text_colour(image, value):
    """The text colour for a number written on the cell of `image` (AxesImage) that holds value."""
    return text_colour(image.cmap(image.norm(value)))

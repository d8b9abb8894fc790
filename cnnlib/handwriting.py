"""Turn a drawing into an MNIST-like digit, the way MNIST was made (LeCun et al.):

  1. crop to the bounding box of the ink;
  2. scale it (keeping its aspect ratio, anti-aliased) so the longer side is 20 pixels;
  3. paste it into a 28 x 28 image so that its centre of mass is the centre (14, 14).

    steps = mnist_preprocess(drawing)   # drawing: (H, W) floats, ink high, background 0
    steps["digit"]                      # (28, 28) float32 in [0, 1], for the model as digit[None, None]
"""
import numpy as np
from PIL import Image


def bounding_box(image, threshold=0.1):
    """(top, bottom, left, right) of the pixels above threshold, bottom/right exclusive; None if none."""
    rows, cols = np.nonzero(np.asarray(image) > threshold)
    if len(rows) == 0:
        return None
    return int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1


def center_of_mass(image):
    """(row, col) of the intensity-weighted mean pixel position of a (H, W) image (pixel centres at
    integers); the image centre if it is all zero."""
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"center_of_mass: image must be (H, W), got shape {image.shape}")
    total = image.sum()
    if total == 0:
        return (image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def shift_integer(image, dr, dc):
    """image moved down by dr and right by dc whole pixels, zeros where it came from (a new array)."""
    H, W = image.shape
    out = np.zeros_like(image)
    src = image[max(0, -dr):H - max(0, dr), max(0, -dc):W - max(0, dc)]
    out[max(0, dr):max(0, dr) + src.shape[0], max(0, dc):max(0, dc) + src.shape[1]] = src
    return out


def mnist_preprocess(drawing, threshold=0.1, box=20, size=28):
    """drawing (H, W) floats, ink near 1 on 0 -> dict of every step: 'crop', 'scaled' (<= box x box),
    'pasted' (size x size, box centred), 'digit' (centre of mass moved to the centre), 'bbox', 'com'.
    An empty drawing gives an all-zero digit and bbox None."""
    drawing = np.asarray(drawing, dtype=np.float32)
    if drawing.ndim != 2:
        raise ValueError(f"mnist_preprocess: drawing must be (H, W) grey, got shape {drawing.shape}")
    bbox = bounding_box(drawing, threshold)
    if bbox is None:
        empty = np.zeros((size, size), np.float32)
        return {"crop": empty, "scaled": empty, "pasted": empty, "digit": empty, "bbox": None, "com": None}
    top, bottom, left, right = bbox
    crop = drawing[top:bottom, left:right]
    h, w = crop.shape
    scale = box / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    # Pillow's area-aware resampling on a float image: anti-aliased like MNIST's grey edges
    scaled = np.asarray(Image.fromarray(crop, mode="F").resize((new_w, new_h), Image.Resampling.BOX))
    scaled = np.clip(scaled, 0, 1).astype(np.float32)
    pasted = np.zeros((size, size), np.float32)
    r0, c0 = (size - new_h) // 2, (size - new_w) // 2
    pasted[r0:r0 + new_h, c0:c0 + new_w] = scaled
    com = center_of_mass(pasted)
    centre = (size - 1) / 2
    digit = shift_integer(pasted, int(round(centre - com[0])), int(round(centre - com[1])))
    return {"crop": crop, "scaled": scaled, "pasted": pasted, "digit": digit, "bbox": bbox, "com": com}


def strokes_to_image(strokes, size=200, width=16):
    """Draw strokes [[(x, y), ...], ...] (canvas pixels) as white lines on black: (size, size) float32."""
    from PIL import ImageDraw
    img = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(img)
    for stroke in strokes:
        points = [(float(x), float(y)) for x, y in stroke]
        if len(points) == 1:
            x, y = points[0]
            draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=255)
        else:
            draw.line(points, fill=255, width=width, joint="curve")
            for x, y in (points[0], points[-1]):
                draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=255)
    return np.asarray(img, dtype=np.float32) / 255


__all__ = ["bounding_box", "center_of_mass", "shift_integer", "mnist_preprocess", "strokes_to_image"]

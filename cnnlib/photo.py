"""A colour photo for the RGB chapter: Grace Hopper, from matplotlib's sample data (nothing to download).

    img = load_photo()             # (3, 600, 512) float32 in [0, 1]; channels R, G, B
    small = load_photo(factor=4)   # (3, 150, 128): each pixel the mean of a 4x4 block

Kept apart from cnnlib.data because it needs matplotlib (its JPEG reader); cnnlib.data is numpy only.
The photo: Grace M. Hopper, a US Navy photograph (a US government work, public domain), as
shipped with matplotlib in mpl-data/sample_data/grace_hopper.jpg.
"""
import matplotlib.cbook
import matplotlib.image
import numpy as np

PHOTO_NAME = "grace_hopper.jpg"


def _check_factor(factor):
    """factor must be an int >= 1."""
    if isinstance(factor, bool) or not isinstance(factor, (int, np.integer)) or factor < 1:
        raise ValueError(f"factor must be a positive int (1 = unchanged), got {factor!r}")


def block_average(img, factor):
    """Shrink an image by averaging non-overlapping factor x factor blocks (like average pooling).

    img: (C, H, W). Returns (C, H // factor, W // factor) in img's float dtype, with
        out[c, i, j] = mean of img[c, i*factor : (i+1)*factor, j*factor : (j+1)*factor].
    Rows and columns that do not fill a whole block (H % factor at the bottom, W % factor
    at the right) are dropped. img is not changed.
    """
    _check_factor(factor)
    img = np.asarray(img)
    if img.ndim != 3:
        raise ValueError(f"block_average needs an image (C, H, W), got shape {img.shape}")
    C, H, W = img.shape
    H_out, W_out = H // factor, W // factor
    if H_out == 0 or W_out == 0:
        raise ValueError(f"factor {factor} is larger than the image ({H}x{W}): use factor <= {min(H, W)}")
    blocks = img[:, :H_out * factor, :W_out * factor].reshape(C, H_out, factor, W_out, factor)  # (C, H_out, f, W_out, f)
    out_dtype = img.dtype if img.dtype.kind == "f" else np.float64
    return blocks.mean(axis=(2, 4), dtype=np.float64).astype(out_dtype)  # (C, H_out, W_out)


def load_photo(factor=1):
    """Load the sample colour photo as a channels-first float image.

    factor: 1 for the full photo, or an int > 1 to shrink it by block averaging (see block_average).
    Returns (3, H, W) float32 in [0, 1] (pixel value v in 0..255 -> v / 255), channels R, G, B;
    H, W = 600, 512 for factor 1, else 600 // factor, 512 // factor.
    """
    _check_factor(factor)
    path = matplotlib.cbook.get_sample_data(PHOTO_NAME, asfileobj=False)
    pixels = matplotlib.image.imread(path)  # (H, W, 3) uint8
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"{path} should be an RGB JPEG (H, W, 3) uint8, got {pixels.dtype} {pixels.shape}")
    img = pixels.transpose(2, 0, 1).astype(np.float32) / np.float32(255)  # (3, H, W)
    return img if factor == 1 else block_average(img, factor)

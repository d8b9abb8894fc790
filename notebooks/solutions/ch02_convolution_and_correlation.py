"""Solutions to the exercises of chapter 02 (convolution and cross-correlation)."""
import numpy as np


def correlate2d_valid(image, kernel):
    """'valid' cross-correlation of image (H, W) with kernel (KH, KW), eq. (2); out (H-KH+1, W-KW+1)."""
    H, W = image.shape
    KH, KW = kernel.shape
    out = np.zeros((H - KH + 1, W - KW + 1))
    for i in range(H - KH + 1):
        for j in range(W - KW + 1):
            out[i, j] = np.sum(image[i:i + KH, j:j + KW] * kernel)
    return out


def convolve2d_valid(image, kernel):
    """'valid' convolution: cross-correlation with the kernel flipped in both axes."""
    return correlate2d_valid(image, kernel[::-1, ::-1])


def output_shape(H, W, KH, KW, mode):
    """(H_out, W_out) of a single-channel correlation in mode 'valid', 'same' or 'full'."""
    if mode == "valid":
        return (H - KH + 1, W - KW + 1)
    if mode == "same":
        return (H, W)
    if mode == "full":
        return (H + KH - 1, W + KW - 1)
    raise ValueError(f"unknown mode {mode!r}: use 'valid', 'same' or 'full'")


def correlate2d_full(image, kernel):
    """'full' cross-correlation: KH-1 rows and KW-1 columns of zeros on every side, then 'valid'."""
    KH, KW = kernel.shape
    padded = np.pad(image, ((KH - 1, KH - 1), (KW - 1, KW - 1)))  # a new array; image is unchanged
    return correlate2d_valid(padded, kernel)

"""Solutions to the exercises of chapter 09 (fast convolution: im2col, col2im, one matrix product)."""
import numpy as np

from cnnlib import functional as F


def im2col_one(image, kernel_hw, stride):
    """image (H, W) -> cols (KH*KW, H_out*W_out): column i*W_out + j is the window under output
    (i, j), flattened row by row (the order of w.ravel())."""
    H, W = image.shape
    KH, KW = kernel_hw
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1   # equation (1), no padding
    cols = np.zeros((KH * KW, H_out * W_out), dtype=image.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = image[i * stride:i * stride + KH, j * stride:j * stride + KW]   # (KH, KW)
            cols[:, i * W_out + j] = window.ravel()
    return cols


def col2im_one(cols, image_shape, kernel_hw, stride):
    """cols (KH*KW, H_out*W_out) -> (H, W): every column added back onto its window (+= where
    windows overlap)."""
    H, W = image_shape
    KH, KW = kernel_hw
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros((H, W), dtype=cols.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[i * stride:i * stride + KH, j * stride:j * stride + KW] += cols[:, i * W_out + j].reshape(KH, KW)
    return out


def conv2d_im2col(x, w, b):
    """x (N, C, H, W), w (F, C, KH, KW), b (F,) -> (N, F, H_out, W_out): stride 1, no padding,
    as one matrix product per image."""
    N, C, H, W = x.shape
    F_, _, KH, KW = w.shape
    H_out, W_out = H - KH + 1, W - KW + 1
    cols = F.im2col(x, (KH, KW))                         # (N, C*KH*KW, H_out*W_out)
    out = w.reshape(F_, C * KH * KW) @ cols              # (N, F, H_out*W_out)
    return out.reshape(N, F_, H_out, W_out) + b[None, :, None, None]


def im2col_bytes(x_shape, kernel_hw, stride, itemsize):
    """Bytes of the im2col matrix (N, C*KH*KW, H_out*W_out) for an input of shape x_shape, no padding."""
    N, C, H, W = x_shape
    KH, KW = kernel_hw
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    return N * C * KH * KW * H_out * W_out * itemsize

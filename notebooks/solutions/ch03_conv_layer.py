"""Solutions to chapter 03's exercises (the conv layer: output size, padding, stride)."""
import numpy as np


def output_size(n, f, p, s):
    """Exercise 3.1, equation (1): floor((n + 2p - f) / s) + 1 outputs along one axis."""
    return (n + 2 * p - f) // s + 1


def same_padding(f):
    """Exercise 3.2, equation (3): (before, after) zeros keeping a stride-1 output n long.

    f - 1 zeros in total; for an even kernel the odd one goes after (bottom / right)."""
    total = f - 1
    return total // 2, total - total // 2


def conv2d_single(x, w, b, stride, padding):
    """Exercise 3.3, eq. (3.1): x (H, W), w (KH, KW), b a number, zero padding p on every side,
    stride s -> (floor((H + 2p - KH) / s) + 1, floor((W + 2p - KW) / s) + 1)."""
    KH, KW = w.shape
    x_pad = np.pad(x, padding)  # a new array, `padding` zeros on every side
    H_out = (x_pad.shape[0] - KH) // stride + 1
    W_out = (x_pad.shape[1] - KW) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[i * stride:i * stride + KH, j * stride:j * stride + KW]  # (KH, KW)
            out[i, j] = np.sum(window * w) + b
    return out

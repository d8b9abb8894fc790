"""Solutions to chapter 04's exercises (colour images and many filters)."""
import numpy as np


def conv_one_filter(x, w, b):
    """Exercise 4.1, equation (5) for one filter: x (C, H, W), w (C, KH, KW), b a number.

    Returns (H - KH + 1, W - KW + 1): every channel's cross-correlation, summed, plus b."""
    C, H, W = x.shape
    _, KH, KW = w.shape
    out = np.zeros((H - KH + 1, W - KW + 1))
    for i in range(H - KH + 1):
        for j in range(W - KW + 1):
            out[i, j] = np.sum(x[:, i:i + KH, j:j + KW] * w) + b  # all channels at once
    return out


def conv_relu(x, w, b):
    """Exercise 4.2: x (C, H, W), w (C_out, C, KH, KW), b (C_out,) -> ReLU of each map, (C_out, H_out, W_out)."""
    maps = np.stack([conv_one_filter(x, w[f], b[f]) for f in range(w.shape[0])])  # (C_out, H_out, W_out)
    return np.maximum(maps, 0)

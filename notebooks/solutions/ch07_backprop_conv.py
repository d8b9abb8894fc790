"""Solutions to the exercises of chapter 07 (backpropagation through a convolution)."""
import numpy as np

from cnnlib import functional as F


def conv_dx_single(dy, k):
    """dL/dX = dL/dY fully convolved with k (eq. 8): pad dy by KH-1, KW-1, correlate with flipped k."""
    KH, KW = k.shape
    dy_pad = np.pad(dy, ((KH - 1, KH - 1), (KW - 1, KW - 1)))
    return F.correlate2d(dy_pad, k[::-1, ::-1])


def conv_dk_single(x, dy):
    """dL/dK = X cross-correlated with dL/dY (eq. 6): dk[u, v] = sum_ij x[i + u, j + v] * dy[i, j]."""
    H_out, W_out = dy.shape
    KH, KW = x.shape[0] - H_out + 1, x.shape[1] - W_out + 1
    dk = np.zeros((KH, KW))
    for u in range(KH):
        for v in range(KW):
            dk[u, v] = np.sum(x[u:u + H_out, v:v + W_out] * dy)
    return dk


def conv_db(dout):
    """Tied bias (eq. 7): every position of filter f used b[f], so add dout over batch and positions."""
    return dout.sum(axis=(0, 2, 3))

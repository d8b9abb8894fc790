"""Solutions to the exercises of chapter 08 (padding, strides and pooling in backprop)."""
import numpy as np


def dilate(dy, stride):
    """stride - 1 zeros between neighbouring entries (eq. 8.1). dy: (H_out, W_out)."""
    H_out, W_out = dy.shape
    out = np.zeros(((H_out - 1) * stride + 1, (W_out - 1) * stride + 1), dtype=dy.dtype)
    out[::stride, ::stride] = dy
    return out


def avg_pool_backward(dout, x, size, stride):
    """Eq. (11): each element of a window gets dout / (size * size); += where windows overlap."""
    dx = np.zeros(x.shape)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            dx[i * stride:i * stride + size, j * stride:j * stride + size] += dout[i, j] / size ** 2
    return dx


def max_pool_backward(dout, x, size, stride):
    """Eq. (10): each window's dout goes to its first maximum (row-major); += where windows overlap."""
    dx = np.zeros(x.shape)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            window = x[i * stride:i * stride + size, j * stride:j * stride + size]
            u, v = np.unravel_index(np.argmax(window), window.shape)
            dx[i * stride + u, j * stride + v] += dout[i, j]
    return dx

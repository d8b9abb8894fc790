"""Solutions to chapter 05's exercises (pooling, flatten)."""
import numpy as np


def max_pool(x, size, stride):
    """Exercise 5.1: x (H, W) -> (floor((H - size) / stride) + 1, floor((W - size) / stride) + 1)."""
    H, W = x.shape
    H_out = (H - size) // stride + 1
    W_out = (W - size) // stride + 1
    out = np.zeros((H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def flatten_index(c, i, j, shape):
    """Exercise 5.2: position of x[c, i, j] in x.reshape(-1) for x of shape (C, H, W), C order."""
    C, H, W = shape
    return c * H * W + i * W + j


def avg_pool(x, size, stride):
    """Exercise 5.3: the mean of every size x size window, windows starting every `stride` pixels."""
    H, W = x.shape
    H_out = (H - size) // stride + 1
    W_out = (W - size) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].mean()
    return out


def dense_forward(x, w, b):
    """Exercise 5.4, eq. (5.2): x (N, D) @ w (D, K) + b (K,) -> (N, K)."""
    return x @ w + b

"""Pooling: max and average over windows, forward and backward, loops and vectorized.

x: (N, C, H, W) -> out: (N, C, H_out, W_out), H_out = floor((H - KH) / s_h) + 1 (eq. (1), no padding).
size: int or (KH, KW); stride: int or (s_h, s_w), default = size (windows side by side).

Backward (chapter 08):
  max:     each window's dout goes to the position of its maximum (eq. 10). Ties: the FIRST
           maximum in row-major order (top-left-most) gets all of it, as np.argmax picks it.
  average: each of the KH*KW elements of a window gets dout / (KH*KW) (eq. 11). The paper leaves
           out the division by the window area.
  Where windows overlap (stride < size), an input receives from several windows: gradients add (+=).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .shapes import check_array, conv_geometry, pair


def _pool_geometry(x, size, stride, where):
    """Validate and return (x, (KH, KW), (s_h, s_w), (H_out, W_out))."""
    x = check_array(x, "x", 4, where)
    KH, KW = pair(size, "size", where, 1)
    stride_hw, _, out_hw = conv_geometry(x.shape, (KH, KW), (KH, KW) if stride is None else stride,
                                         0, where)
    return x, (KH, KW), stride_hw, out_hw


def _pool_windows(x, kernel_hw, stride_hw, out_hw):
    """(N, C, H_out, W_out, KH, KW) view of every pooling window."""
    (KH, KW), (sh, sw), (H_out, W_out) = kernel_hw, stride_hw, out_hw
    view = sliding_window_view(x, (KH, KW), axis=(2, 3))
    return view[:, :, :(H_out - 1) * sh + 1:sh, :(W_out - 1) * sw + 1:sw]


def _check_pool_dout(dout, x, out_hw, where):
    expected = x.shape[:2] + tuple(out_hw)
    dout = check_array(dout, "dout", 4, where, float_only=True)
    if dout.shape != expected:
        raise ValueError(f"{where}: dout has shape {dout.shape}, but the pooling output had shape "
                         f"{expected}. dout must be dL/d(out), shaped exactly like out.")
    return dout


def _scatter(windows_grad, x_shape, kernel_hw, stride_hw, out_hw, dtype):
    """Add each window's gradient (N, C, H_out, W_out, KH, KW) back into an (N, C, H, W) array."""
    (KH, KW), (sh, sw), (H_out, W_out) = kernel_hw, stride_hw, out_hw
    dx = np.zeros(x_shape, dtype=dtype)
    for u in range(KH):
        for v in range(KW):
            dx[:, :, u:u + (H_out - 1) * sh + 1:sh, v:v + (W_out - 1) * sw + 1:sw] += windows_grad[..., u, v]
    return dx


# ---------------------------------------------------------------------------------- max pooling

def max_pool2d_naive(x, size, stride=None):
    """Loop version of max pooling: out[n, c, i, j] = max of the window at (i*s_h, j*s_w)."""
    x, (KH, KW), (sh, sw), (H_out, W_out) = _pool_geometry(x, size, stride, "max_pool2d_naive")
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, c, i, j] = x[n, c, i * sh:i * sh + KH, j * sw:j * sw + KW].max()
    return out


def max_pool2d_backward_naive(dout, x, size, stride=None):
    """Loop version of max-pool backward, eq. (10): dout goes to the first maximum of each window."""
    x, (KH, KW), (sh, sw), (H_out, W_out) = _pool_geometry(x, size, stride, "max_pool2d_backward_naive")
    dout = _check_pool_dout(dout, x, (H_out, W_out), "max_pool2d_backward_naive")
    N, C = x.shape[:2]
    dx = np.zeros(x.shape, dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * sh:i * sh + KH, j * sw:j * sw + KW]
                    u, v = np.unravel_index(np.argmax(window), window.shape)  # first max, row-major
                    dx[n, c, i * sh + u, j * sw + v] += dout[n, c, i, j]      # += : windows may overlap
    return dx


def max_pool2d(x, size, stride=None):
    """Max pooling. x: (N, C, H, W) -> (N, C, H_out, W_out). size, stride: int or pair (stride
    defaults to size)."""
    x, kernel_hw, stride_hw, out_hw = _pool_geometry(x, size, stride, "max_pool2d")
    return _pool_windows(x, kernel_hw, stride_hw, out_hw).max(axis=(4, 5))


def max_pool2d_backward(dout, x, size, stride=None):
    """Max-pool backward, eq. (10). dout: (N, C, H_out, W_out), x: the forward input (N, C, H, W).

    Returns dx: (N, C, H, W). Each window's gradient goes to its first maximum in row-major order
    (ties: the top-left-most), and adds up where windows overlap.
    """
    x, kernel_hw, stride_hw, out_hw = _pool_geometry(x, size, stride, "max_pool2d_backward")
    dout = _check_pool_dout(dout, x, out_hw, "max_pool2d_backward")
    KH, KW = kernel_hw
    windows = _pool_windows(x, kernel_hw, stride_hw, out_hw)
    flat = windows.reshape(windows.shape[:4] + (KH * KW,))        # (N, C, H_out, W_out, KH*KW)
    first_max = np.argmax(flat, axis=-1)                          # (N, C, H_out, W_out)
    onehot = first_max[..., None] == np.arange(KH * KW)           # (N, C, H_out, W_out, KH*KW)
    grads = (onehot * dout[..., None]).reshape(windows.shape)     # (N, C, H_out, W_out, KH, KW)
    return _scatter(grads, x.shape, kernel_hw, stride_hw, out_hw, dout.dtype)


# ------------------------------------------------------------------------------ average pooling

def avg_pool2d_naive(x, size, stride=None):
    """Loop version of average pooling: out[n, c, i, j] = mean of the window at (i*s_h, j*s_w)."""
    x, (KH, KW), (sh, sw), (H_out, W_out) = _pool_geometry(x, size, stride, "avg_pool2d_naive")
    N, C = x.shape[:2]
    out = np.zeros((N, C, H_out, W_out), dtype=np.result_type(x, np.float32))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, c, i, j] = x[n, c, i * sh:i * sh + KH, j * sw:j * sw + KW].mean()
    return out


def avg_pool2d_backward_naive(dout, x, size, stride=None):
    """Loop version of average-pool backward, eq. (11): every element of a window gets dout / area."""
    x, (KH, KW), (sh, sw), (H_out, W_out) = _pool_geometry(x, size, stride, "avg_pool2d_backward_naive")
    dout = _check_pool_dout(dout, x, (H_out, W_out), "avg_pool2d_backward_naive")
    N, C = x.shape[:2]
    dx = np.zeros(x.shape, dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    dx[n, c, i * sh:i * sh + KH, j * sw:j * sw + KW] += dout[n, c, i, j] / (KH * KW)
    return dx


def avg_pool2d(x, size, stride=None):
    """Average pooling. x: (N, C, H, W) -> (N, C, H_out, W_out). size, stride: int or pair."""
    x, kernel_hw, stride_hw, out_hw = _pool_geometry(x, size, stride, "avg_pool2d")
    windows = _pool_windows(x, kernel_hw, stride_hw, out_hw)
    return windows.mean(axis=(4, 5), dtype=np.result_type(x, np.float32))


def avg_pool2d_backward(dout, x, size, stride=None):
    """Average-pool backward, eq. (11). Returns dx (N, C, H, W): each window element gets
    dout / (KH*KW), summed where windows overlap."""
    x, kernel_hw, stride_hw, out_hw = _pool_geometry(x, size, stride, "avg_pool2d_backward")
    dout = _check_pool_dout(dout, x, out_hw, "avg_pool2d_backward")
    KH, KW = kernel_hw
    share = np.broadcast_to((dout / (KH * KW))[..., None, None], dout.shape + (KH, KW))
    return _scatter(share, x.shape, kernel_hw, stride_hw, out_hw, dout.dtype)

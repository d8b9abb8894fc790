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

from .conv_gemm import in_order_of
from .shapes import check_array, conv_geometry, pair


def _pool_geometry(x, size, stride, where):
    """Validate and return (x, (KH, KW), (s_h, s_w), (H_out, W_out))."""
    x = check_array(x, "x", 4, where)
    KH, KW = pair(size, "size", where, 1)
    stride_hw, _, out_hw = conv_geometry(x.shape, (KH, KW), (KH, KW) if stride is None else stride,
                                         0, where)
    return x, (KH, KW), stride_hw, out_hw


def _offsets(kernel_hw, stride_hw, out_hw):
    """For each kernel offset (u, v), in row-major order, the slices of x that hold the (u, v)
    element of every window: x[:, :, rows, cols] is (N, C, H_out, W_out)."""
    (KH, KW), (sh, sw), (H_out, W_out) = kernel_hw, stride_hw, out_hw
    for u in range(KH):
        for v in range(KW):
            yield (slice(u, u + (H_out - 1) * sh + 1, sh), slice(v, v + (W_out - 1) * sw + 1, sw))


def _check_pool_dout(dout, x, out_hw, where):
    expected = x.shape[:2] + tuple(out_hw)
    dout = check_array(dout, "dout", 4, where, float_only=True)
    if dout.shape != expected:
        raise ValueError(f"{where}: dout has shape {dout.shape}, but the pooling output had shape "
                         f"{expected}. dout must be dL/d(out), shaped exactly like out.")
    return dout


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
    defaults to size).

    Vectorized over kernel offsets: start from every window's (0, 0) element and take the running
    maximum with its (0, 1), (0, 2), ... elements, each a strided slice of x (KH*KW passes in all).
    """
    x, kernel_hw, stride_hw, out_hw = _pool_geometry(x, size, stride, "max_pool2d")
    offsets = _offsets(kernel_hw, stride_hw, out_hw)
    rows, cols = next(offsets)
    out = x[:, :, rows, cols].copy(order="K")                     # (N, C, H_out, W_out), x's memory order
    for rows, cols in offsets:
        np.maximum(out, x[:, :, rows, cols], out=out)
    return out


def max_pool2d_backward(dout, x, size, stride=None, out=None):
    """Max-pool backward, eq. (10). dout: (N, C, H_out, W_out), x: the forward input (N, C, H, W).

    Returns dx: (N, C, H, W). Each window's gradient goes to its first maximum in row-major order
    (ties: the top-left-most), and adds up where windows overlap.
    out: optional, the forward's output max_pool2d(x, size, stride) if the caller kept it (the
    MaxPool2D layer does); otherwise it is computed again.
    """
    x, kernel_hw, stride_hw, out_hw = _pool_geometry(x, size, stride, "max_pool2d_backward")
    dout = _check_pool_dout(dout, x, out_hw, "max_pool2d_backward")
    out = _pool_out(out, x, kernel_hw, stride_hw, dout.shape, "max_pool2d_backward")
    return _route_to_max(dout, x, out, np.ones_like(out, dtype=bool), kernel_hw, stride_hw, out_hw)


def _pool_out(out, x, kernel_hw, stride_hw, shape, where):
    if out is None:
        return max_pool2d(x, kernel_hw, stride_hw)                # each window's maximum
    if np.shape(out) != shape:
        raise ValueError(f"{where}: out has shape {np.shape(out)}, but the pooling output has shape "
                         f"{shape}. Fix: pass out=max_pool2d(x, size, stride), or out=None.")
    return out


def _route_to_max(dout, x, out, left, kernel_hw, stride_hw, out_hw):
    """dx: each window's dout at the first offset (row-major) where x equals the window's max `out`,
    for the windows where `left` (bool, shaped like out; changed here) is True; 0 elsewhere."""
    # *_like keep x's memory order (conv_gemm hands out images-last arrays): element-wise work then
    # runs over neighbouring numbers
    dout = in_order_of(dout, out)
    wins = np.empty_like(out, dtype=bool)
    dx = np.zeros_like(x, dtype=dout.dtype)
    apart = all(s >= k for s, k in zip(stride_hw, kernel_hw))     # windows do not overlap
    # Visit the offsets in row-major order: the first offset holding the maximum claims the window.
    for rows, cols in _offsets(kernel_hw, stride_hw, out_hw):
        np.equal(x[:, :, rows, cols], out, out=wins)              # (N, C, H_out, W_out)
        wins &= left
        left ^= wins                                              # claimed now
        if apart:                                                 # each element of dx is written once
            np.multiply(dout, wins, out=dx[:, :, rows, cols])
        else:
            dx[:, :, rows, cols] += dout * wins                   # += : windows overlap
    return dx


# ---------------------------------------------------------------- ReLU then max pooling, in one go

def relu_max_pool2d(x, size, stride=None):
    """max_pool2d(relu(x)), computed as relu(max_pool2d(x)): the two commute (the largest of a window
    after ReLU is ReLU of its largest), so ReLU runs on the pooled output, KH*KW times fewer numbers
    for windows side by side. x: (N, C, H, W) -> (pre, out), both (N, C, H_out, W_out): pre is
    max_pool2d(x), out = relu(pre), a new array (x is not changed)."""
    pre = max_pool2d(x, size, stride)
    return pre, np.maximum(pre, 0, out=np.empty_like(pre))


def relu_max_pool2d_backward(dout, x, size, stride=None, pre=None):
    """dL/dx of out = max_pool2d(relu(x)): the same numbers as
    relu_backward(max_pool2d_backward(dout, relu(x), size, stride), x), in one pass.

    A window whose maximum is positive sends its dout to its first maximum (that element of x is > 0,
    so ReLU lets it through); a window whose maximum is <= 0 has relu(x) = 0 everywhere and sends
    nothing back. dout: (N, C, H_out, W_out); x: the input before ReLU (N, C, H, W); pre: optional,
    max_pool2d(x, size, stride) if the caller kept it. Returns dx (N, C, H, W)."""
    x, kernel_hw, stride_hw, out_hw = _pool_geometry(x, size, stride, "relu_max_pool2d_backward")
    dout = _check_pool_dout(dout, x, out_hw, "relu_max_pool2d_backward")
    pre = _pool_out(pre, x, kernel_hw, stride_hw, dout.shape, "relu_max_pool2d_backward")
    return _route_to_max(dout, x, pre, pre > 0, kernel_hw, stride_hw, out_hw)


def relu_max_pool2d_backward_naive(dout, x, size, stride=None):
    """Loop version: ReLU's backward after max-pool's backward, both with loops (eq. (10) then the
    ReLU rule dx = dout where x > 0)."""
    x = check_array(x, "x", 4, "relu_max_pool2d_backward_naive")
    relu_x = np.maximum(x, 0)
    d_relu = max_pool2d_backward_naive(dout, relu_x, size, stride)
    dx = np.zeros_like(d_relu)
    for index in np.ndindex(*x.shape):
        if x[index] > 0:
            dx[index] = d_relu[index]
    return dx


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
    """Average pooling. x: (N, C, H, W) -> (N, C, H_out, W_out). size, stride: int or pair.

    Vectorized over kernel offsets: add the KH*KW strided slices, then divide by the area.
    """
    x, (KH, KW), stride_hw, out_hw = _pool_geometry(x, size, stride, "avg_pool2d")
    out = np.zeros(x.shape[:2] + tuple(out_hw), dtype=np.result_type(x, np.float32))
    for rows, cols in _offsets((KH, KW), stride_hw, out_hw):
        out += x[:, :, rows, cols]
    return out / (KH * KW)


def avg_pool2d_backward(dout, x, size, stride=None):
    """Average-pool backward, eq. (11). Returns dx (N, C, H, W): each window element gets
    dout / (KH*KW), summed where windows overlap."""
    x, (KH, KW), stride_hw, out_hw = _pool_geometry(x, size, stride, "avg_pool2d_backward")
    dout = _check_pool_dout(dout, x, out_hw, "avg_pool2d_backward")
    share = dout / (KH * KW)                                      # each element's part of the mean
    dx = np.zeros(x.shape, dtype=dout.dtype)
    for rows, cols in _offsets((KH, KW), stride_hw, out_hw):
        dx[:, :, rows, cols] += share                             # += : windows may overlap
    return dx

"""Checks for the exercises of chapters 06-08 (forward propagation, backprop through conv and pooling).

Each check_<name>(fn) runs the learner's function on small cases, compares with cnnlib, prints a
verdict and returns True/False. The hints name the classic mistakes: a missing bias, a missing or
extra kernel flip, the paper's "(sum of x) * dL/dY" shorthand, = instead of += where pooling windows
overlap, and the missing 1/area of average pooling.
"""
import numpy as np

from .. import functional as F
from .core import run_check

__all__ = ["check_filter_forward", "check_conv_param_count", "check_conv_dx_single",
           "check_conv_dk_single", "check_conv_db", "check_dilate", "check_avg_pool_backward",
           "check_max_pool_backward"]

def _ints(rng, shape, low=-3, high=4):
    """Small whole numbers as float64, so the expected answers are easy to read."""
    return rng.integers(low, high, size=shape).astype(np.float64)


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, atol=1e-6)


# --------------------------------------------------------------------------------- chapter 06

def _filter_forward_ref(x, w_i, b_i):
    return F.conv2d(x[None], w_i[None], np.array([b_i]))[0, 0]


def _filter_forward_hint(args, got, want):
    x, w_i, b_i = args
    if _close(got, want - b_i):
        return "the bias is missing: Y_i = B_i + sum_j X_j * K_ij (add b_i once, not per channel)."
    if _close(got, want + (x.shape[0] - 1) * b_i):
        return "the bias was added once per channel; add it once to the sum."
    flipped = sum(F.convolve2d(x[j], w_i[j]) for j in range(x.shape[0])) + b_i
    if _close(got, flipped):
        return "you flipped the kernel (convolve2d). A conv layer cross-correlates: use correlate2d."
    if _close(got, F.correlate2d(x[0], w_i[0]) + b_i):
        return "only channel 0 was used; sum the correlations over all C channels."
    return None


def check_filter_forward(fn):
    """fn(x, w_i, b_i) -> Y_i: one filter over all channels, eq. (5), stride 1, no padding.

    x: (C, H, W), w_i: (C, KH, KW), b_i: a float. Returns (H - KH + 1, W - KW + 1).
    """
    rng = np.random.default_rng(6)
    cases = [("1 channel, 3x3 input, 2x2 kernel", (_ints(rng, (1, 3, 3)), _ints(rng, (1, 2, 2)), 1.0)),
             ("3 channels, 5x5 input, 3x3 kernel", (_ints(rng, (3, 5, 5)), _ints(rng, (3, 3, 3)), -2.0)),
             ("2 channels, 4x6 input, 2x3 kernel", (_ints(rng, (2, 4, 6)), _ints(rng, (2, 2, 3)), 0.5))]
    return run_check("filter_forward", fn, _filter_forward_ref, cases, hint=_filter_forward_hint)


def _param_count_ref(C, F_, KH, KW, bias_hw=None):
    bias = F_ if bias_hw is None else F_ * bias_hw[0] * bias_hw[1]
    return F_ * C * KH * KW + bias


def _param_count_hint(args, got, want):
    C, F_, KH, KW, bias_hw = args
    if got == F_ * C * KH * KW:
        return "the biases are missing."
    if got == want - F_ * C * KH * KW + F_ * KH * KW:
        return "each filter has C kernels of KH x KW, one per input channel: F * C * KH * KW weights."
    if bias_hw is not None and got == F_ * C * KH * KW + F_:
        return "an untied bias has one number per filter AND per output position: F * H_out * W_out."
    return None


def check_conv_param_count(fn):
    """fn(C, F, KH, KW, bias_hw=None) -> number of learnable numbers in a conv layer.

    bias_hw=None: tied bias (F numbers); bias_hw=(H_out, W_out): untied bias (F * H_out * W_out).
    """
    cases = [("MNIST first layer, tied", (1, 8, 3, 3, None)),
             ("colour input, tied", (3, 16, 5, 5, None)),
             ("colour input, untied 28x28 bias", (3, 16, 5, 5, (28, 28))),
             ("rectangular kernel, untied", (4, 2, 3, 1, (6, 8)))]
    return run_check("conv_param_count", fn, _param_count_ref, cases, hint=_param_count_hint)


# --------------------------------------------------------------------------------- chapter 07

def _dx_ref(dy, k):
    return F.convolve2d(dy, k, "full")


def _dx_hint(args, got, want):
    dy, k = args
    if _close(got, F.correlate2d(dy, k, "full")):
        return ("the flip is missing: dX is a FULL CONVOLUTION of dL/dY with k (kernel rotated by "
                "180 degrees), not a correlation. Look at which k multiplies x[0, 0].")
    if _close(got, F.convolve2d(dy, k[::-1], "full")) or _close(got, F.convolve2d(dy, k[:, ::-1], "full")):
        return "flip k in both axes (a 180-degree turn, k[::-1, ::-1]), not just one."
    if np.shape(got) == F.convolve2d(dy, k).shape or np.shape(got) == dy.shape:
        return "dX must have the input's shape (H_out + KH - 1, W_out + KW - 1): use mode 'full'."
    return None


def check_conv_dx_single(fn):
    """fn(dy, k) -> dx: gradient of a single-channel valid cross-correlation w.r.t. its input, eq. (8).

    dy: (H_out, W_out) = dL/dY, k: (KH, KW). Returns (H_out + KH - 1, W_out + KW - 1).
    """
    rng = np.random.default_rng(6)
    cases = [("the paper's 3x3 input, 2x2 kernel", (_ints(rng, (2, 2)), _ints(rng, (2, 2)))),
             ("4x5 output, 3x3 kernel", (_ints(rng, (4, 5)), _ints(rng, (3, 3)))),
             ("3x2 output, 2x3 kernel", (_ints(rng, (3, 2)), _ints(rng, (2, 3))))]
    return run_check("conv_dx_single", fn, _dx_ref, cases, hint=_dx_hint)


def _dk_ref(x, dy):
    return F.correlate2d(x, dy)


def _dk_hint(args, got, want):
    x, dy = args
    if np.shape(got) != want.shape:
        return (f"dk has the kernel's shape (H - H_out + 1, W - W_out + 1) = {want.shape}: correlate X "
                "with dL/dY, F.correlate2d(x, dy) (X first, dL/dY sliding over it).")
    if _close(got, F.convolve2d(x, dy)):
        return "no flip here: dK is X cross-correlated with dL/dY (correlate2d), eq. (6)."
    windows = np.array([[x[u:u + dy.shape[0], v:v + dy.shape[1]].sum() for v in range(want.shape[1])]
                        for u in range(want.shape[0])])
    if _close(got, windows * dy.sum()):
        return ("that is the paper's shorthand (sum of x's) * (sum of dL/dY). Each x multiplies its OWN "
                "dL/dy: dk[u, v] = sum_ij x[i + u, j + v] * dy[i, j].")
    return None


def check_conv_dk_single(fn):
    """fn(x, dy) -> dk: gradient of a single-channel valid cross-correlation w.r.t. its kernel, eq. (6).

    x: (H, W), dy: (H_out, W_out) = dL/dY. Returns (H - H_out + 1, W - W_out + 1) = (KH, KW).
    """
    rng = np.random.default_rng(6)
    cases = [("the paper's 3x3 input, 2x2 kernel", (_ints(rng, (3, 3)), _ints(rng, (2, 2)))),
             ("5x5 input, 3x3 output", (_ints(rng, (5, 5)), _ints(rng, (3, 3)))),
             ("4x6 input, 3x4 output", (_ints(rng, (4, 6)), _ints(rng, (3, 4))))]
    return run_check("conv_dk_single", fn, _dk_ref, cases, hint=_dk_hint)


def _db_ref(dout):
    return dout.sum(axis=(0, 2, 3))


def _db_hint(args, got, want):
    (dout,) = args
    if _close(got, dout.mean(axis=(0, 2, 3))):
        return "that is the mean; each output adds b[f] once, so db[f] is the SUM of dL/dY over batch and positions."
    if _close(got, dout.sum(axis=(2, 3))):
        return "sum over the batch axis too: db has shape (F,)."
    if _close(got, dout.sum(axis=0)):
        return "that is the untied bias gradient (F, H_out, W_out); a tied bias sums over positions too."
    if np.shape(got) != want.shape:
        return (f"db has one number per filter, shape {want.shape}: sum over the batch and the positions "
                "(axes 0, 2, 3), keep the filter axis 1.")
    return None


def check_conv_db(fn):
    """fn(dout) -> db for a tied bias (one number per filter), eq. (7). dout: (N, F, H_out, W_out) -> (F,)."""
    rng = np.random.default_rng(6)
    cases = [("one image, one filter", (_ints(rng, (1, 1, 2, 2)),)),
             ("batch of 3, 2 filters", (_ints(rng, (3, 2, 3, 4)),))]
    return run_check("conv_db", fn, _db_ref, cases, hint=_db_hint)


# --------------------------------------------------------------------------------- chapter 08

def _dilate_ref(dy, stride):
    out = np.zeros(((dy.shape[0] - 1) * stride + 1, (dy.shape[1] - 1) * stride + 1), dtype=dy.dtype)
    out[::stride, ::stride] = dy
    return out


def _dilate_hint(args, got, want):
    dy, stride = args
    if np.shape(got) == (dy.shape[0] * stride, dy.shape[1] * stride):
        return "no zeros after the last row/column: the shape is ((H_out - 1) * s + 1, (W_out - 1) * s + 1)."
    if np.shape(got) == ((dy.shape[0] - 1) * (stride + 1) + 1, (dy.shape[1] - 1) * (stride + 1) + 1):
        return (f"put stride - 1 = {stride - 1} zeros between neighbours (so they sit {stride} apart), "
                f"not {stride}.")
    copies = np.repeat(np.repeat(dy, stride, axis=0), stride, axis=1)[:want.shape[0], :want.shape[1]]
    if stride > 1 and _close(got, copies):
        return "the gaps hold zeros, not copies of dy (np.repeat / np.kron with ones copy the values)."
    return None


def check_dilate(fn):
    """fn(dy, stride) -> dy with stride - 1 zeros between neighbours, eq. (8.1). dy: (H_out, W_out)."""
    rng = np.random.default_rng(6)
    cases = [("stride 1 changes nothing", (_ints(rng, (2, 3)), 1)),
             ("2x2, stride 2", (_ints(rng, (2, 2)), 2)),
             ("2x3, stride 3", (_ints(rng, (2, 3)), 3))]
    return run_check("dilate", fn, _dilate_ref, cases, hint=_dilate_hint)


def _pool_ref(kind):
    backward = F.max_pool2d_backward if kind == "max" else F.avg_pool2d_backward
    return lambda dout, x, size, stride: backward(dout[None, None], x[None, None], size, stride)[0, 0]


def _pool_assign(dout, x, size, stride, kind):
    """The classic bug: dx[window] = ... instead of += (later windows overwrite earlier ones)."""
    dx = np.zeros_like(x)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            rows, cols = slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)
            if kind == "avg":
                dx[rows, cols] = dout[i, j] / size ** 2
            else:
                u, v = np.unravel_index(np.argmax(x[rows, cols]), (size, size))
                dx[i * stride + u, j * stride + v] = dout[i, j]
    return dx


def _max_last_at_ties(dout, x, size, stride):
    """The max-pool backward with ties sent to the LAST maximum (searching the window backwards)."""
    dx = np.zeros(x.shape)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            window = x[i * stride:i * stride + size, j * stride:j * stride + size][::-1, ::-1]
            u, v = np.unravel_index(np.argmax(window), window.shape)
            dx[i * stride + size - 1 - u, j * stride + size - 1 - v] += dout[i, j]
    return dx


def _pool_hint(kind):
    def hint(args, got, want):
        dout, x, size, stride = args
        if kind == "avg" and size > 1 and _close(np.asarray(got, dtype=float) / size, want):
            return (f"divide by the window's area size * size = {size * size}, not by size = {size}.")
        if kind == "avg" and _close(np.asarray(got, dtype=float) / size ** 2, want):
            return (f"the 1/area is missing: the average of {size * size} numbers moves by 1/{size * size}"
                    " when one of them moves by 1, so each gets dout / (size * size) (eq. 11).")
        if stride < size and _close(got, _pool_assign(dout, x, size, stride, kind)):
            return ("windows overlap here (stride < size): an input in two windows gets gradient from "
                    "both. Use += , not =.")
        if kind == "max" and _close(got, _max_last_at_ties(dout, x, size, stride)):
            return ("at a tie, the gradient goes to the first maximum in row-major order (what np.argmax "
                    "returns), not the last.")
        if kind == "max" and np.shape(got) == x.shape:
            return ("each window's dout goes to ONE position, its maximum; at a tie use the first "
                    "maximum in row-major order (what np.argmax returns).")
        return None
    return hint


def _pool_cases():
    rng = np.random.default_rng(8)
    overlap = np.array([[1, 2, 0, 1], [3, 9, 4, 2], [0, 5, 1, 8], [2, 1, 6, 3]], dtype=np.float64)
    ties = np.array([[1, 1, 0, 2], [0, 1, 2, 2], [3, 3, 1, 0], [3, 3, 0, 1]], dtype=np.float64)
    return [("4x4, size 2, stride 2 (no overlap)", (_ints(rng, (2, 2)), _ints(rng, (4, 4), 0, 9), 2, 2)),
            ("4x4, size 2, stride 1 (overlapping windows)", (_ints(rng, (3, 3), 1, 4), overlap, 2, 1)),
            ("5x5, size 3, stride 2 (windows share a row and a column)",
             (_ints(rng, (2, 2), 1, 4), _ints(rng, (5, 5), 0, 9), 3, 2)),
            ("6x5, size 2, stride 2 (the floor drops the last column)",
             (_ints(rng, (3, 2)), _ints(rng, (6, 5), 0, 9), 2, 2)),
            ("4x4 with ties, size 2, stride 2", (_ints(rng, (2, 2), 1, 4), ties, 2, 2))]


def check_avg_pool_backward(fn):
    """fn(dout, x, size, stride) -> dx for average pooling of one channel, eq. (11).

    dout: (H_out, W_out), x: (H, W) the forward input, size and stride: ints. Returns (H, W).
    """
    return run_check("avg_pool_backward", fn, _pool_ref("avg"), _pool_cases(), hint=_pool_hint("avg"))


def check_max_pool_backward(fn):
    """fn(dout, x, size, stride) -> dx for max pooling of one channel, eq. (10) (ties: first max)."""
    return run_check("max_pool_backward", fn, _pool_ref("max"), _pool_cases(), hint=_pool_hint("max"))

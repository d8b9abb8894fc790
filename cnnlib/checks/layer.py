"""Checks for chapters 03-05 (conv layer, colour, pooling): ``check_<name>(student_fn)``.

    ch03  check_output_size(fn)     fn(n, f, p, s) -> int, equation (1) with the floor
          check_same_padding(fn)    fn(f) -> (before, after), stride 1, equation (3)
    ch04  check_conv_one_filter(fn) fn(x (C, H, W), w (C, KH, KW), b) -> (H_out, W_out), eq. (5)
          check_conv_relu(fn)       fn(x (C, H, W), w (C_out, C, KH, KW), b (C_out,)) -> (C_out, H_out, W_out)
    ch05  check_max_pool(fn)        fn(x (H, W), size, stride) -> (H_out, W_out), eq. (1) with p = 0
          check_flatten_index(fn)   fn(c, i, j, shape (C, H, W)) -> position k in x.reshape(-1), eq. (5.1)

Each prints a verdict (and, for a typical mistake, a hint) and returns True / False; an unfinished
exercise (NotImplementedError) prints "Not done yet" without failing the notebook.
"""
import numbers

import numpy as np

from .. import functional as F
from .core import run_check

__all__ = ["check_output_size", "check_same_padding", "check_conv_one_filter", "check_conv_relu",
           "check_max_pool", "check_flatten_index"]


def _integral(value):
    """3.0 -> 3 (a float that is a whole number counts as that int); anything else unchanged."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, (tuple, list)):
        return tuple(_integral(v) for v in value)
    return value


def _as_ints(fn):
    """The learner's function with whole-number float results turned into ints."""
    def wrapped(*args):
        return _integral(fn(*args))
    return wrapped


# ------------------------------------------------------------------------------------ chapter 03

def _output_size_reference(n, f, p, s):
    return F.output_size(n, f, p, s)


def _output_size_hint(args, got, want):
    n, f, p, s = args
    if not isinstance(got, numbers.Number):
        return "return one number, the output length."
    if got == (n + 2 * p - f) / s + 1:
        return ("that is the paper's formula without the floor: when s does not divide n + 2p - f, "
                "the window's last position does not fit, so round (n + 2p - f) / s down (use //).")
    if got == (n - f) // s + 1:
        return "the padding is missing: the window slides over the padded input, n + 2p long."
    if got == n + 2 * p - f + 1:
        return "the stride is missing: the window jumps s positions at a time, so divide by s."
    if got == (n + p - f) // s + 1:
        return "the padding goes on both sides: 2p, not p."
    if got == (n + 2 * p - f) // s:
        return ("off by one: the window starts at 0, s, 2s, ..., floor((n + 2p - f) / s) * s; counting "
                "the start at 0 too gives floor(...) + 1 positions.")
    if got == -(-(n + 2 * p - f) // s) + 1:
        return "that rounds (n + 2p - f) / s up; equation (1) rounds it down (floor, //)."
    return None


def check_output_size(student_fn):
    """Exercise 3.1: output_size(n, f, p, s) = floor((n + 2p - f) / s) + 1, equation (1)."""
    cases = [("28x28 MNIST, 5x5 kernel, no padding", (28, 5, 0, 1)),
             ("'same' padding 1 for a 3x3 kernel", (32, 3, 1, 1)),
             ("stride 2 divides exactly", (7, 3, 0, 2)),
             ("stride 2 does not divide: a row is dropped", (8, 3, 0, 2)),
             ("stride 3 with padding", (10, 4, 1, 3)),
             ("kernel as large as the padded input", (3, 5, 1, 2)),
             ("1x1 kernel, stride 4", (9, 1, 0, 4))]
    return run_check("output_size", _as_ints(student_fn), _output_size_reference, cases,
                     hint=_output_size_hint)


def _same_padding_reference(f):
    return F.same_padding(10, f, 1)  # stride 1: (f - 1) in total, whatever the input length


def _same_padding_hint(args, got, want):
    (f,) = args
    if not isinstance(got, tuple) or len(got) != 2:
        return "return a pair (before, after): the zeros before the first and after the last pixel."
    if f % 2 == 0 and got == ((f - 1) // 2, (f - 1) // 2):
        return (f"for an even f, (f - 1) // 2 on both sides gives f - 2 = {f - 2} zeros, one short of "
                f"f - 1 = {f - 1}: the output shrinks by one. Give the odd extra zero to the end: "
                "((f - 1) // 2, f // 2).")
    if sum(got) == f:
        return ("that pads f zeros in total; the output keeps its size when n + p_total - f + 1 = n, "
                "i.e. p_total = f - 1.")
    if any(not isinstance(v, numbers.Integral) for v in got):
        return ("zeros come in whole numbers: for an even f, (f - 1) / 2 is not whole, so give "
                "(f - 1) // 2 to one side and the remaining zero to the other.")
    if sum(got) == f - 1 and got[0] > got[1]:
        return ("right total, wrong side: this library (like PyTorch and TensorFlow) puts the odd "
                "extra zero after (bottom / right).")
    return None


def check_same_padding(student_fn):
    """Exercise 3.2: same_padding(f) -> (before, after) so that a stride-1 output keeps its size."""
    cases = [("3x3 kernel", (3,)), ("1x1 kernel needs none", (1,)), ("5x5 kernel", (5,)),
             ("7x7 kernel", (7,)), ("even 2x2 kernel", (2,)), ("even 4x4 kernel", (4,))]
    return run_check("same_padding", _as_ints(student_fn), _same_padding_reference, cases,
                     hint=_same_padding_hint)


# ------------------------------------------------------------------------------------ chapter 04

def _conv_one_filter_reference(x, w, b):
    return F.conv2d(x[None], w[None], np.array([b], dtype=x.dtype))[0, 0]  # (H_out, W_out)


def _conv_one_filter_hint(args, got, want):
    x, w, b = args
    got = np.asarray(got, dtype=float)
    if got.shape != want.shape:
        return (f"the output should be (H - KH + 1, W - KW + 1) = {want.shape}: one 2-D map, "
                "the channels summed.")
    per_channel = np.stack([F.correlate2d(x[c], w[c]) for c in range(x.shape[0])])  # (C, H_out, W_out)
    if np.allclose(got, want - b):
        return "the bias b is missing: add it once to every output number."
    if x.shape[0] > 1 and b != 0 and np.allclose(got, want + (x.shape[0] - 1) * b):
        return (f"the bias was added once per channel ({x.shape[0]} times); add it once, after summing "
                "the channels.")
    if np.allclose(got, per_channel[0] + b):
        return "only channel 0 is used: sum the maps of all channels (equation (5))."
    if np.allclose(got, per_channel.mean(axis=0) + b):
        return "that is the mean over channels; equation (5) sums them."
    flipped = sum(F.convolve2d(x[c], w[c]) for c in range(x.shape[0])) + b
    if np.allclose(got, flipped):
        return "the kernel was flipped: a conv layer cross-correlates (no flip)."
    return None


def check_conv_one_filter(student_fn):
    """Exercise 4.1: one filter over a multi-channel image, valid padding, stride 1 (equation (5))."""
    rng = np.random.default_rng(41)
    cases = [("one channel, 3x3 image, 2x2 kernel",
              (np.arange(9.0).reshape(1, 3, 3), np.array([[[1.0, 0.0], [0.0, -1.0]]]), 0.0)),
             ("three channels, bias 0.5",
              (rng.integers(0, 5, (3, 4, 4)).astype(float), rng.integers(-1, 2, (3, 3, 3)).astype(float), 0.5)),
             ("two channels, non-square 5x6 image and 2x3 kernel, bias -1",
              (rng.normal(size=(2, 5, 6)), rng.normal(size=(2, 2, 3)), -1.0)),
             ("RGB 6x6, 3x3 kernel, bias 2",
              (rng.random((3, 6, 6)), rng.normal(size=(3, 3, 3)), 2.0))]
    return run_check("conv_one_filter", student_fn, _conv_one_filter_reference, cases,
                     hint=_conv_one_filter_hint)


def _conv_relu_reference(x, w, b):
    return F.relu(F.conv2d(x[None], w, b))[0]  # (F, H_out, W_out)


def _conv_relu_hint(args, got, want):
    x, w, b = args
    got = np.asarray(got, dtype=float)
    KH, KW = w.shape[2:]
    if got.shape != want.shape:
        if KH != KW and got.shape in ((want.shape[0], x.shape[1] - KH + 1, x.shape[2] - KH + 1),
                                      (want.shape[0], x.shape[1] - KW + 1, x.shape[2] - KW + 1)):
            return (f"the kernel is {KH}x{KW}: use KH = w.shape[2] for the rows and KW = w.shape[3] for "
                    "the columns (one size read for both axes?).")
        return f"the output should be (C_out, H_out, W_out) = {want.shape}: one map per filter."
    conv = F.conv2d(x[None], w, b)[0]  # (F, H_out, W_out), before ReLU
    if np.allclose(got, conv):
        return "ReLU is missing: replace every negative number by 0."
    if np.allclose(got, F.relu(conv - b[:, None, None]) + b[:, None, None]):
        return "the bias was added after ReLU; add it first, then apply ReLU."
    relu_each = sum(F.relu(F.conv2d(x[None, c:c + 1], w[:, c:c + 1])[0]) for c in range(x.shape[0]))
    if np.allclose(got, relu_each + b[:, None, None]) or np.allclose(got, F.relu(relu_each + b[:, None, None])):
        return "ReLU was applied per channel; it comes after the sum over channels and the bias."
    return None


def check_conv_relu(student_fn):
    """Exercise 4.2: several filters (stacked output channels) then ReLU, element-wise."""
    rng = np.random.default_rng(42)
    cases = [("RGB 5x5, four filters 3x3, mixed-sign bias",
              (rng.normal(size=(3, 5, 5)), rng.normal(size=(4, 3, 3, 3)), np.array([0.5, -0.5, 1.0, -2.0]))),
             ("one channel, two filters",
              (np.array([[[1.0, -2.0, 3.0], [0.0, 1.0, -1.0], [2.0, 2.0, -3.0]]]),
               np.array([[[[1.0, 0.0], [0.0, 1.0]]], [[[-1.0, 0.0], [0.0, -1.0]]]]), np.array([0.0, 0.5]))),
             ("two channels, three filters 2x2",
              (rng.normal(size=(2, 4, 6)), rng.normal(size=(3, 2, 2, 2)), rng.normal(size=3))),
             ("non-square: 1 channel 5x7, three filters 3x1",
              (rng.normal(size=(1, 5, 7)), rng.normal(size=(3, 1, 3, 1)), np.array([0.0, 1.0, -1.0]))),
             ("non-square: 2 channels 6x5, two filters 2x3",
              (rng.normal(size=(2, 6, 5)), rng.normal(size=(2, 2, 2, 3)), np.array([0.25, -0.25])))]
    return run_check("conv_relu", student_fn, _conv_relu_reference, cases, hint=_conv_relu_hint)


# ------------------------------------------------------------------------------------ chapter 05

def _max_pool_reference(x, size, stride):
    return F.max_pool2d(x[None, None], size, stride)[0, 0]  # (H_out, W_out)


def _max_pool_hint(args, got, want):
    x, size, stride = args
    got = np.asarray(got)
    def same(other):
        return got.shape == other.shape and np.allclose(got, other)

    if stride != size and same(F.max_pool2d(x[None, None], size, size)[0, 0]):
        return (f"the stride is ignored: the windows start every {stride} pixels here, not every "
                f"{size} (output {want.shape}, equation (1) with the floor).")
    if stride != 1 and same(F.max_pool2d(x[None, None], size, 1)[0, 0]):
        return f"the window moves {stride} pixels at a time, not 1."
    if stride > 1 and same(F.max_pool2d(x[None, None], size, 1)[0, 0][:want.shape[0], :want.shape[1]]):
        return (f"the windows start at i and j; with stride {stride} they start at i * stride, "
                "j * stride: x[i * stride:i * stride + size, j * stride:j * stride + size].")
    if got.shape != want.shape:
        return (f"the output should be {want.shape}: floor((H - size) / stride) + 1 rows "
                "(windows that do not fit are dropped).")
    if same(F.avg_pool2d(x[None, None], size, stride)[0, 0]):
        return "that is average pooling; take the maximum of each window."
    return None


def check_max_pool(student_fn):
    """Exercise 5.1: max pooling of one channel with a given window size and stride."""
    rng = np.random.default_rng(51)
    cases = [("4x4, window 2, stride 2", (np.arange(16.0).reshape(4, 4)[::-1].copy(), 2, 2)),
             ("5x5, window 3, stride 2 (overlapping)", (rng.integers(0, 10, (5, 5)).astype(float), 3, 2)),
             ("5x6, window 2, stride 1 (overlapping)", (rng.normal(size=(5, 6)), 2, 1)),
             ("7x7, window 2, stride 3 (gaps between windows)", (rng.normal(size=(7, 7)), 2, 3)),
             ("6x7, window 3, stride 3: the last column is dropped", (rng.normal(size=(6, 7)), 3, 3)),
             ("all negative numbers", (-rng.random((4, 4)) - 1, 2, 2))]
    return run_check("max_pool", student_fn, _max_pool_reference, cases, hint=_max_pool_hint)


def _flatten_index_reference(c, i, j, shape):
    C, H, W = shape
    return int(np.ravel_multi_index((c, i, j), (C, H, W)))  # C order: c * H * W + i * W + j


def _flatten_index_hint(args, got, want):
    c, i, j, (C, H, W) = args
    if got == (i * W + j) * C + c:
        return ("that is the channels-last order (H, W, C); here x is (C, H, W), so a whole "
                "channel comes first: c * H * W + ...")
    if got == c * H * W + i * H + j or got == c * H * W + j * H + i:
        return "a row is W long (the last axis changes fastest): i * W + j within a channel."
    if got == c * H * W + i * W + j + 1:
        return "indices start at 0: pixel (0, 0, 0) goes to position 0."
    return None


def check_flatten_index(student_fn):
    """Exercise 5.2: where pixel (c, i, j) of a (C, H, W) array lands in x.reshape(-1) (C order)."""
    cases = [("the first pixel", (0, 0, 0, (2, 3, 4))),
             ("end of the first row", (0, 0, 3, (2, 3, 4))),
             ("start of the second row", (0, 1, 0, (2, 3, 4))),
             ("second channel", (1, 2, 1, (2, 3, 4))),
             ("the last pixel", (2, 4, 6, (3, 5, 7))),
             ("16 channels of 4x4", (5, 3, 2, (16, 4, 4)))]
    return run_check("flatten_index", _as_ints(student_fn), _flatten_index_reference, cases,
                     hint=_flatten_index_hint)

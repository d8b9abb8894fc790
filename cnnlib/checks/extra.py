"""Checks for the exercises added by issue 16 (chapters 03 and 05): ``check_<name>(student_fn)``.

    ch03  check_conv2d_single(fn)   fn(x (H, W), w (KH, KW), b, stride, padding) -> (H_out, W_out),
                                    eq. (3.1): padded, strided, one channel, one filter, plus bias
    ch05  check_avg_pool(fn)        fn(x (H, W), size, stride) -> (H_out, W_out), the mean of each window
          check_dense_forward(fn)   fn(x (N, D), w (D, K), b (K,)) -> (N, K), eq. (5.2): x w + b

Every case set has a non-square input and a non-square kernel or matrix, so an answer that reads one
size for both axes fails. An answer with the right values passes whatever its container (numpy
array, nested list or tuple, any float or int dtype). Hints name one classic mistake each.
"""
import numpy as np

from .. import functional as F
from .core import run_check

__all__ = ["check_conv2d_single", "check_avg_pool", "check_dense_forward"]


def _as_array(fn):
    """The learner's function with a list / tuple / numpy result turned into a float array (values
    are what the exercise is about, not the container)."""
    def wrapped(*args):
        got = fn(*args)
        try:
            return np.asarray(got, dtype=float)
        except (TypeError, ValueError):  # ragged rows or not numbers: say so instead of crashing
            return NotAGrid(got)
    return wrapped


class NotAGrid:
    """A result that is not a rectangular grid of numbers; compares unequal, prints what it was."""
    shape = None

    def __init__(self, value):
        self.text = f"a {type(value).__name__} that is not a grid of numbers"

    def __array__(self, dtype=None, copy=None):
        return np.array(np.nan, dtype=dtype)

    def __repr__(self):
        return self.text


def _matches(got, other):
    got = np.asarray(got)
    return got.shape == other.shape and np.allclose(got, other, atol=1e-6)


# ------------------------------------------------------------------------------------ chapter 03

def _conv2d_single_reference(x, w, b, stride, padding):
    return F.conv2d(x[None, None], w[None, None], np.array([b], dtype=float), stride, padding)[0, 0]


def _conv2d_single_hint(args, got, want):
    x, w, b, stride, padding = args
    KH, KW = w.shape
    got = np.asarray(got)

    def conv(kernel=w, bias=b, s=stride, p=padding):
        return _conv2d_single_reference(x, kernel, bias, s, p)

    if got.shape != want.shape:
        if padding and got.shape == conv(p=0).shape:
            return f"the padding is missing: pad {padding} zeros on every side first (F.pad2d or np.pad)."
        if stride > 1 and got.shape == conv(s=1).shape:
            return f"the stride is missing: windows start every {stride} pixels, i * stride."
        if KH != KW:
            return (f"expected shape {want.shape}: the kernel is {KH}x{KW}; use KH for the rows and "
                    f"KW for the columns (one size read for both axes?).")
        return f"expected shape {want.shape}, from eq. (1) for each axis."
    if _matches(got, want - b):
        return "the bias b is missing: add it to every output number."
    if _matches(got, conv(kernel=w[::-1, ::-1])):
        return "the kernel was flipped: a conv layer cross-correlates (no flip)."
    if stride > 1 and _matches(got, conv(s=1)[:want.shape[0], :want.shape[1]]):
        return f"the windows start at i and j; with stride {stride} they start at i * stride, j * stride."
    return None


def check_conv2d_single(student_fn):
    """Exercise 3.3: one channel, one filter, zero padding p on every side, stride s, plus b."""
    rng = np.random.default_rng(33)
    cases = [("3x3 kernel, padding 1, stride 2 on a 5x5 input",
              (np.arange(25.0).reshape(5, 5), np.array([[1., 0., -1.], [1., 1., 0.], [-1., 0., 1.]]), 1.0, 2, 1)),
             ("non-square 6x8 input, 2x3 kernel, padding 1, stride 2",
              (rng.integers(0, 10, (6, 8)).astype(float), rng.integers(-2, 3, (2, 3)).astype(float), -0.5, 2, 1)),
             ("non-square 7x5 input, 3x2 kernel, no padding, stride 1",
              (rng.normal(size=(7, 5)), rng.normal(size=(3, 2)), 0.25, 1, 0)),
             ("stride 3 that does not divide, padding 2, 4x3 kernel",
              (rng.normal(size=(9, 10)), rng.normal(size=(4, 3)), 2.0, 3, 2)),
             ("1x1 kernel, stride 2, no padding",
              (rng.normal(size=(5, 6)), np.array([[3.0]]), 0.0, 2, 0))]
    return run_check("conv2d_single", _as_array(student_fn), _conv2d_single_reference, cases,
                     hint=_conv2d_single_hint)


# ------------------------------------------------------------------------------------ chapter 05

def _avg_pool_reference(x, size, stride):
    return F.avg_pool2d(x[None, None], size, stride)[0, 0]  # (H_out, W_out)


def _avg_pool_hint(args, got, want):
    x, size, stride = args
    got = np.asarray(got)
    if _matches(got, F.max_pool2d(x[None, None], size, stride)[0, 0]):
        return "that is max pooling: average pooling takes the mean of each window."
    if _matches(got, want * size * size):
        return f"that is the sum of each window: divide by the window's {size * size} numbers."
    if size > 1 and _matches(got, want * size):
        return f"divide by the window's area size * size = {size * size}, not by size = {size}."
    if stride != size and _matches(got, _avg_pool_reference(x, size, size)):
        return f"the stride is ignored: windows start every {stride} pixels here, not every {size}."
    if stride != 1 and got.shape != want.shape and _matches(got, _avg_pool_reference(x, size, 1)):
        return f"the window moves {stride} pixels at a time: start it at i * stride, j * stride."
    if stride > 1 and got.shape == want.shape and _matches(
            got, _avg_pool_reference(x, size, 1)[:want.shape[0], :want.shape[1]]):
        return f"the windows start at i and j; with stride {stride} they start at i * stride, j * stride."
    if got.shape != want.shape:
        return (f"expected shape {want.shape}: floor((H - size) / stride) + 1 rows and "
                f"floor((W - size) / stride) + 1 columns; windows sticking out are dropped.")
    return None


def check_avg_pool(student_fn):
    """Exercise 5.3: average pooling of one channel, square windows, any stride, no padding."""
    rng = np.random.default_rng(53)
    cases = [("4x4, 2x2 windows side by side", (np.arange(16.0).reshape(4, 4), 2, 2)),
             ("non-square 5x7, 2x2 windows, stride 2 (a row and a column dropped)",
              (rng.integers(0, 10, (5, 7)).astype(float), 2, 2)),
             ("non-square 6x5, overlapping 3x3 windows, stride 1", (rng.normal(size=(6, 5)), 3, 1)),
             ("7x9, 3x3 windows, stride 2 (overlap)", (rng.normal(size=(7, 9)), 3, 2)),
             ("8x6, 2x2 windows, stride 3 (gaps)", (rng.normal(size=(8, 6)), 2, 3))]
    return run_check("avg_pool", _as_array(student_fn), _avg_pool_reference, cases, hint=_avg_pool_hint)


def _dense_forward_reference(x, w, b):
    return x @ w + b  # (N, K)


def _dense_forward_hint(args, got, want):
    x, w, b = args
    got = np.asarray(got)
    if _matches(got, x @ w):
        return "the bias b is missing: add b (K,) to every row of x @ w."
    if _matches(got, want.T):
        return "the result is transposed: the batch goes first, (N, K) = x (N, D) @ w (D, K)."
    if _matches(got, x @ w + b.sum()):
        return "b was summed to one number: output k gets its own bias b[k]."
    if got.shape != want.shape:
        return (f"expected shape {want.shape} = (N, K): x is (N, D) and w is (D, K) (inputs, outputs), "
                f"so out = x @ w + b.")
    return None


def check_dense_forward(student_fn):
    """Exercise 5.4: a dense layer on a batch, out = x w + b, eq. (5.2)."""
    rng = np.random.default_rng(54)
    cases = [("one row, 3 inputs, 2 outputs",
              (np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]]), np.array([0.5, -1.5]))),
             ("batch of 4, 5 inputs, 3 outputs", (rng.normal(size=(4, 5)), rng.normal(size=(5, 3)), rng.normal(size=3))),
             ("batch of 2, 6 inputs, 4 outputs", (rng.normal(size=(2, 6)), rng.normal(size=(6, 4)), rng.normal(size=4))),
             ("square case: batch 3, 3 inputs, 3 outputs", (rng.normal(size=(3, 3)), rng.normal(size=(3, 3)),
                                                           rng.normal(size=3)))]
    return run_check("dense_forward", _as_array(student_fn), _dense_forward_reference, cases,
                     hint=_dense_forward_hint)

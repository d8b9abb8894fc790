"""Checks for the exercises of chapter 09 (fast convolution: im2col, col2im, one matrix product).

Each check_<name>(fn) runs the learner's fn on several cases against the library, prints a verdict
(with a hint for the usual mistakes) and returns True / False; it never raises on a wrong answer.
"""
import numpy as np

from .. import functional as F
from .core import run_check

__all__ = ["check_im2col_one", "check_col2im_one", "check_conv2d_im2col", "check_im2col_bytes"]


def _image(h, w, seed):
    """An (h, w) float image of distinct values (so a misplaced number is easy to spot)."""
    return np.random.default_rng(seed).permutation(h * w).reshape(h, w).astype(float) + 1


def _same_shape_and_values(got, want):
    got = np.asarray(got)
    return got.shape == want.shape and np.allclose(got, want)


# --------------------------------------------------------------------- exercise 9.1: im2col

def _im2col_one(image, kernel_hw, stride):
    return F.im2col(image[None, None], kernel_hw, stride)[0]


def check_im2col_one(fn):
    """fn(image (H, W), kernel_hw (KH, KW), stride) -> cols (KH*KW, H_out*W_out): column i*W_out + j
    is the window under output (i, j), flattened row by row."""
    cases = [("the 4x4 image and 2x2 kernel of the chapter", (np.arange(1.0, 17.0).reshape(4, 4), (2, 2), 1)),
             ("a 1x1 kernel: one row, the whole image", (_image(3, 3, 0), (1, 1), 1)),
             ("non-square kernel 3x2 on a 5x4 image", (_image(5, 4, 1), (3, 2), 1)),
             ("stride 2 on a 6x6 image, 3x3 kernel", (_image(6, 6, 2), (3, 3), 2)),
             ("stride 2 that does not divide: 7x5 image, 2x3 kernel", (_image(7, 5, 3), (2, 3), 2)),
             ("the kernel as large as the image: one column", (_image(3, 4, 4), (3, 4), 1))]

    def hint(args, got, want):
        image, (KH, KW), stride = args
        got = np.asarray(got)
        if got.shape == want.T.shape and np.allclose(got, want.T):
            return "rows and columns are swapped: one ROW per kernel offset (u, v), one COLUMN per window."
        if stride > 1 and got.ndim == 2 and got.shape[1] > want.shape[1]:
            return "every column is a window the stride visits: start windows at i*stride, j*stride."
        if got.ndim == 2 and got.shape[0] == want.shape[0] and got.shape[1] != want.shape[1]:
            return ("wrong number of windows: there are floor((H - KH) / s) + 1 window rows (equation (1)); "
                    "check for an off-by-one in your range().")
        H_out = F.output_size(image.shape[0], KH, 0, stride)
        W_out = F.output_size(image.shape[1], KW, 0, stride)
        by_columns = np.stack([image[i * stride:i * stride + KH, j * stride:j * stride + KW].ravel(order="F")
                               for i in range(H_out) for j in range(W_out)], axis=1)
        if _same_shape_and_values(got, by_columns):
            return "flatten each window row by row (window.ravel()), like w.ravel() is flattened."
        return None
    return run_check("im2col_one", fn, _im2col_one, cases, hint=hint)


# --------------------------------------------------------------------- exercise 9.2: col2im

def _col2im_one(cols, image_shape, kernel_hw, stride):
    return F.col2im(cols[None], (1, 1) + tuple(image_shape), kernel_hw, stride)[0, 0]


def _col2im_loops(cols, image_shape, kernel_hw, stride, add=True, step=None):
    """col2im with two loops over the windows, and two classic mistakes to compare with:
    add=False writes = instead of += (overlapping windows overwrite each other); step=1 places
    window (i, j) at (i, j) instead of (i*stride, j*stride) (the stride forgotten)."""
    (KH, KW), (H, W) = kernel_hw, image_shape
    H_out, W_out = F.output_size(H, KH, 0, stride), F.output_size(W, KW, 0, stride)
    step = stride if step is None else step
    out = np.zeros(image_shape)
    for i in range(H_out):
        for j in range(W_out):
            window = (slice(i * step, i * step + KH), slice(j * step, j * step + KW))
            share = cols[:, i * W_out + j].reshape(KH, KW)
            if add:
                out[window] += share
            else:
                out[window] = share
    return out


def check_col2im_one(fn):
    """fn(cols (KH*KW, H_out*W_out), image_shape (H, W), kernel_hw, stride) -> (H, W): each column
    added (+=) back onto the window it came from."""
    r = np.random.default_rng(5)
    cases = [("ones, 4x4 image, 2x2 kernel: counts the windows over each pixel",
              (np.ones((4, 9)), (4, 4), (2, 2), 1)),
             ("random, 4x4 image, 2x2 kernel", (r.normal(size=(4, 9)), (4, 4), (2, 2), 1)),
             ("3x3 kernel on 5x5: heavy overlap", (r.normal(size=(9, 9)), (5, 5), (3, 3), 1)),
             ("stride 2, 2x2 kernel: no overlap", (r.normal(size=(4, 9)), (6, 6), (2, 2), 2)),
             ("stride 2, 3x3 kernel on 7x6: overlap and an unreached column",
              (r.normal(size=(9, 6)), (7, 6), (3, 3), 2)),
             ("non-square 2x3 kernel", (r.normal(size=(6, 12)), (4, 6), (2, 3), 1))]

    def hint(args, got, want):
        cols, image_shape, kernel_hw, stride = args
        if _same_shape_and_values(got, _col2im_loops(*args, add=False)):
            return ("overlapping windows overwrite each other: use += (not =), so a pixel gets the "
                    "sum of the shares of all windows that cover it.")
        if np.asarray(got).shape != want.shape:
            return f"the result has the image's shape {want.shape}."
        if stride > 1 and _same_shape_and_values(got, _col2im_loops(*args, step=1)):
            return "window (i, j) starts at row i*stride, column j*stride: the stride is missing."
        return None
    return run_check("col2im_one", fn, _col2im_one, cases, hint=hint)


# ------------------------------------------------------- exercise 9.3: conv as a matrix product

def _conv2d_ref(x, w, b):
    return F.conv2d(x, w, b)


def check_conv2d_im2col(fn):
    """fn(x (N, C, H, W), w (F, C, KH, KW), b (F,)) -> (N, F, H_out, W_out), stride 1, no padding,
    computed as one matrix product with F.im2col."""
    r = np.random.default_rng(6)
    cases = [("one image, one channel, one filter",
              (r.normal(size=(1, 1, 4, 4)), r.normal(size=(1, 1, 2, 2)), np.array([0.5]))),
             ("2 images, 3 channels, 4 filters 3x3",
              (r.normal(size=(2, 3, 6, 5)), r.normal(size=(4, 3, 3, 3)), r.normal(size=4))),
             ("3 images, 2 channels, 2 filters 2x3",
              (r.normal(size=(3, 2, 5, 7)), r.normal(size=(2, 2, 2, 3)), r.normal(size=2)))]

    def hint(args, got, want):
        x, w, b = args
        got = np.asarray(got)
        if got.shape == want.shape and np.allclose(got + b[None, :, None, None], want):
            return "add the bias b[f] to every output of filter f: b[None, :, None, None]."
        if got.shape != want.shape:
            return (f"the product (F, C*KH*KW) @ (N, C*KH*KW, H_out*W_out) is (N, F, H_out*W_out); "
                    f"reshape it to {want.shape}.")
        if np.allclose(got, F.conv2d(x, w[:, :, ::-1, ::-1], b)):
            return ("that is a convolution (the kernel flipped); a conv layer computes a cross-correlation "
                    "(equation (5)): use w as it is.")
        if np.allclose(got, want.transpose(1, 0, 2, 3).reshape(want.shape)):
            return ("images and filters are mixed up: a result laid out (F, N, ...) was reshaped as "
                    "(N, F, ...). Keep the batch axis first: w_mat @ cols with cols (N, C*KH*KW, H_out*W_out) "
                    "gives (N, F, H_out*W_out) directly.")
        return "flatten w as w.reshape(F, -1), in the same order as the rows of F.im2col (c, u, v)."
    return run_check("conv2d_im2col", fn, _conv2d_ref, cases, hint=hint)


# ------------------------------------------------------------- exercise 9.4: the memory bill

def _im2col_bytes(x_shape, kernel_hw, stride, itemsize):
    N, C, H, W = x_shape
    (KH, KW) = kernel_hw
    return N * C * KH * KW * F.output_size(H, KH, 0, stride) * F.output_size(W, KW, 0, stride) * itemsize


def check_im2col_bytes(fn):
    """fn(x_shape (N, C, H, W), kernel_hw (KH, KW), stride, itemsize) -> bytes of the im2col matrix
    (N, C*KH*KW, H_out*W_out), no padding."""
    cases = [("the chapter's 4x4 image, 2x2 kernel, float64", ((1, 1, 4, 4), (2, 2), 1, 8)),
             ("64 MNIST images, 3x3 kernel, float32", ((64, 1, 28, 28), (3, 3), 1, 4)),
             ("16 channels, 5x5 kernel, float32", ((64, 16, 12, 12), (5, 5), 1, 4)),
             ("stride 2", ((8, 3, 32, 32), (3, 3), 2, 4)),
             ("non-square: 5x9 images, 2x3 kernel, float32 (4032 bytes)", ((2, 3, 5, 9), (2, 3), 1, 4)),
             ("non-square: 7x4 images, 3x1 kernel, stride 2, float64", ((3, 2, 7, 4), (3, 1), 2, 8))]

    def hint(args, got, want):
        (N, C, H, W), (KH, KW), stride, itemsize = args
        no_floor = N * C * KH * KW * ((H - KH) / stride + 1) * ((W - KW) / stride + 1) * itemsize
        if stride > 1 and want != no_floor and np.isclose(got, no_floor):
            return ("the window count needs the floor of equation (1): floor((H - KH) / s) + 1, written "
                    "(H - KH) // s + 1. A window that would stick out of the image does not count.")
        H_out, W_out = F.output_size(H, KH, 0, stride), F.output_size(W, KW, 0, stride)
        if H_out != W_out and got == want // W_out * H_out:
            return ("W_out differs from H_out here (a non-square input or kernel): the windows number "
                    "H_out * W_out, not H_out ** 2.")
        if KH != KW and got in (want // KW * KH, want // KH * KW):
            return f"the kernel is {KH}x{KW}: each window has KH * KW = {KH * KW} numbers, not {KH}*{KH} or {KW}*{KW}."
        if got == want // itemsize:
            return "that is the number of entries: multiply by the bytes per entry (itemsize)."
        if C > 1 and got == want // C:
            return "every channel has its own KH*KW rows: C*KH*KW rows in all."
        if stride > 1 and got == _im2col_bytes(args[0], args[1], 1, itemsize):
            return "with a stride there are fewer windows: use equation (1) with the stride."
        return None
    return run_check("im2col_bytes", fn, _im2col_bytes, cases, hint=hint)

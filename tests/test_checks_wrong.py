"""Issue 16: at least three classic wrong answers per check, each rejected with the hint that names
its mistake (a fragment of the hint is asserted). The per-chapter files test more; this table is
the one place that counts them for every check (test_every_check_has_three_classic_mistakes)."""
import ast
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from cnnlib import checks
from cnnlib import functional as F
from tests.test_exercises_all import CHECKS, solution_for

CHECKS_DIR = Path(checks.__file__).resolve().parent


def sol(name):
    return solution_for("check_" + name)


# ------------------------------------------------------------------------ chapters 01-02

def shift_roll(img, dy, dx):
    return np.roll(img, (dy, dx), axis=(0, 1))


def flat_wrapping(r, c, H, W):
    flat = r * W + c
    return sorted(i for i in (flat - W, flat + W, flat - 1, flat + 1) if 0 <= i < H * W)


def flat_row_length_h(r, c, H, W):
    return sorted(rr * H + cc for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1))
                  if 0 <= rr < H and 0 <= cc < W)


def full_one_side(image, kernel):
    KH, KW = kernel.shape
    return F.correlate2d(np.pad(image, ((KH - 1, 0), (KW - 1, 0))), kernel)


def full_pad_k(image, kernel):
    KH, KW = kernel.shape
    return F.correlate2d(np.pad(image, ((KH, KH), (KW, KW))), kernel)


def output_shape_as_array(H, W, KH, KW, mode):
    return np.array(sol("output_shape")(H, W, KH, KW, mode))


# ------------------------------------------------------------------------------ chapters 03-05

def same_padding_paper(f):
    return ((f - 1) // 2, (f - 1) // 2)  # the paper's formula: right for odd f only


def conv_one_filter_bias_per_channel(x, w, b):
    return sum(F.correlate2d(x[c], w[c]) + b for c in range(x.shape[0]))


def conv_relu_bias_after(x, w, b):
    return F.relu(F.conv2d(x[None], w, np.zeros(len(b)))[0]) + b[:, None, None]


def max_pool_no_stride_in_slice(x, size, stride):
    H_out, W_out = (x.shape[0] - size) // stride + 1, (x.shape[1] - size) // stride + 1
    return np.array([[x[i:i + size, j:j + size].max() for j in range(W_out)] for i in range(H_out)])


def avg_pool_by_size(x, size, stride):
    return sol("avg_pool")(x, size, stride) * size


# ------------------------------------------------------------------------------ chapters 06-08

def dilate_stride_zeros(dy, stride):
    out = np.zeros(((dy.shape[0] - 1) * (stride + 1) + 1, (dy.shape[1] - 1) * (stride + 1) + 1))
    out[::stride + 1, ::stride + 1] = dy
    return out


def dilate_trailing(dy, stride):
    out = np.zeros((dy.shape[0] * stride, dy.shape[1] * stride))
    out[::stride, ::stride] = dy
    return out


def dilate_copies(dy, stride):
    return np.kron(dy, np.ones((stride, stride)))[:(dy.shape[0] - 1) * stride + 1, :(dy.shape[1] - 1) * stride + 1]


def pool_assign(kind):
    def wrong(dout, x, size, stride):
        dx = np.zeros(x.shape)
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                r, c = i * stride, j * stride
                if kind == "avg":
                    dx[r:r + size, c:c + size] = dout[i, j] / size ** 2
                else:
                    u, v = np.unravel_index(np.argmax(x[r:r + size, c:c + size]), (size, size))
                    dx[r + u, c + v] = dout[i, j]
        return dx
    return wrong


def max_pool_last_at_ties(dout, x, size, stride):
    dx = np.zeros(x.shape)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            r, c = i * stride, j * stride
            window = x[r:r + size, c:c + size][::-1, ::-1]
            u, v = np.unravel_index(np.argmax(window), window.shape)
            dx[r + size - 1 - u, c + size - 1 - v] += dout[i, j]
    return dx


# ------------------------------------------------------------------------------ chapter 09

def im2col_bytes_args(N=None, C=None, stride=None, itemsize=None):
    def wrong(x_shape, kernel_hw, s, size):
        shape = (x_shape[0], 1 if C == 1 else x_shape[1]) + tuple(x_shape[2:])
        return sol("im2col_bytes")(shape, kernel_hw, stride or s, itemsize or size)
    return wrong


def im2col_bytes_square_image(x_shape, kernel_hw, stride, itemsize):
    N, C, H, W = x_shape
    KH, KW = kernel_hw
    return N * C * KH * KW * ((H - KH) // stride + 1) ** 2 * itemsize


def col2im_assign(cols, image_shape, kernel_hw, stride):
    (KH, KW), (H, W) = kernel_hw, image_shape
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros(image_shape)
    for i in range(H_out):
        for j in range(W_out):
            out[i * stride:i * stride + KH, j * stride:j * stride + KW] = cols[:, i * W_out + j].reshape(KH, KW)
    return out


def col2im_no_stride(cols, image_shape, kernel_hw, stride):
    (KH, KW), (H, W) = kernel_hw, image_shape
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros(image_shape)
    for i in range(H_out):
        for j in range(W_out):
            out[i:i + KH, j:j + KW] += cols[:, i * W_out + j].reshape(KH, KW)
    return out


def per_class_by_columns(cm):
    return np.diag(cm) / cm.sum(axis=0)


def confusion_fancy(y_true, y_pred, num_classes):
    cm = np.zeros((num_classes, num_classes), dtype=int)
    cm[y_true, y_pred] += 1
    return cm


def conv2d_single_square(x, w, b, stride, padding):
    K = w.shape[0]
    return sol("conv2d_single")(x, np.resize(w, (K, K)), b, stride, padding)


def im2col_column_major(image, kernel_hw, stride):
    (H, W), (KH, KW) = image.shape, kernel_hw
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    return np.stack([image[i * stride:i * stride + KH, j * stride:j * stride + KW].ravel(order="F")
                     for i in range(H_out) for j in range(W_out)], axis=1)


def im2col_bytes_no_floor(x_shape, kernel_hw, stride, itemsize):
    N, C, H, W = x_shape
    KH, KW = kernel_hw
    return round(N * C * KH * KW * ((H - KH) / stride + 1) * ((W - KW) / stride + 1) * itemsize)


def im2col_bytes_square_kernel(x_shape, kernel_hw, stride, itemsize):
    N, C, H, W = x_shape
    KH, KW = kernel_hw
    return N * C * KH * KH * ((H - KH) // stride + 1) * ((W - KW) // stride + 1) * itemsize


def conv2d_im2col_batch_mixed(x, w, b):
    out = sol("conv2d_im2col")(x, w, b)
    return out.transpose(1, 0, 2, 3).reshape(out.shape)  # (F, N, ...) data read as (N, F, ...)


def conv_relu_one_kernel_size(x, w, b):
    n_filters, K = w.shape[0], w.shape[2]  # K read for both axes
    out = np.zeros((n_filters, x.shape[1] - K + 1, x.shape[2] - K + 1))
    for f in range(n_filters):
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                out[f, i, j] = np.sum(x[:, i:i + K, j:j + K] * w[f]) + b[f]
    return np.maximum(out, 0)


# (check, wrong answer, a fragment of the hint that names its mistake)
WRONG = [
    ("dense_params", lambda n_in, n_out: n_in * n_out, "add n_out"),
    ("dense_params", lambda n_in, n_out: n_in * n_out + n_in, "not to the inputs"),
    ("dense_params", lambda n_in, n_out: n_in * n_out + 1, "not one for the whole layer"),
    ("dense_params", lambda n_in, n_out: n_in + n_out, "n_in * n_out weights"),
    ("conv_params", lambda c, f, k: f * c * k * k, "one bias"),
    ("conv_params", lambda c, f, k: f * (k * k + 1), "every input channel"),
    ("conv_params", lambda c, f, k: f * (c * k + 1), "k * k weights"),
    ("shift_image", shift_roll, "wraps"),
    ("shift_image", lambda img, dy, dx: sol("shift_image")(img, -dy, -dx), "wrong way"),
    ("shift_image", lambda img, dy, dx: sol("shift_image")(img, dx, dy), "swapped"),
    ("flat_neighbours", flat_wrapping, "no right neighbour"),
    ("flat_neighbours", flat_row_length_h, "W pixels"),
    ("flat_neighbours", lambda r, c, H, W: sorted(sol("flat_neighbours")(r, c, H, W), reverse=True), "sort"),
    ("correlate2d_valid", lambda im, k: F.convolve2d(im, k), "flipped the kernel"),
    ("correlate2d_valid", lambda im, k: F.correlate2d(im, k.T if k.shape[0] == k.shape[1] else k), "rows and columns"),
    ("correlate2d_valid", lambda im, k: F.correlate2d(im, k)[:-1], "H - KH + 1"),
    ("convolve2d_valid", lambda im, k: F.correlate2d(im, k), "not flipped"),
    ("convolve2d_valid", lambda im, k: F.correlate2d(im, k[::-1]), "both axes"),
    ("convolve2d_valid", lambda im, k: F.correlate2d(im, np.rot90(k)), "90 degrees"),
    ("correlate2d_full", full_one_side, "one side only"),
    ("correlate2d_full", lambda im, k: F.correlate2d(im, k), "that is 'valid'"),
    ("correlate2d_full", full_pad_k, "not KH and KW"),
    ("correlate2d_full", lambda im, k: F.convolve2d(im, k, "full"), "flipped"),
    ("output_shape", lambda H, W, KH, KW, mode: sol("output_shape")(H, W, KH, KW, mode)[::-1], "rows first"),
    ("output_shape", lambda H, W, KH, KW, mode: (H - KH, W - KW) if mode == "valid"
     else sol("output_shape")(H, W, KH, KW, mode), "off by one"),
    ("output_shape", output_shape_as_array, "a shape is a tuple of ints"),
    ("output_size", lambda n, f, p, s: (n + 2 * p - f) / s + 1, "without the floor"),
    ("output_size", lambda n, f, p, s: (n - f) // s + 1, "padding is missing"),
    ("output_size", lambda n, f, p, s: (n + 2 * p - f) // s, "off by one"),
    ("same_padding", same_padding_paper, "((f - 1) // 2, f // 2)"),
    ("same_padding", lambda f: (f // 2, f // 2), "f zeros in total"),
    ("same_padding", lambda f: (f // 2, (f - 1) // 2), "wrong side"),
    ("conv_one_filter", conv_one_filter_bias_per_channel, "once per channel"),
    ("conv_one_filter", lambda x, w, b: sum(F.correlate2d(x[c], w[c]) for c in range(len(x))), "bias b is missing"),
    ("conv_one_filter", lambda x, w, b: F.correlate2d(x[0], w[0]) + b, "only channel 0"),
    ("conv_one_filter", lambda x, w, b: sum(F.convolve2d(x[c], w[c]) for c in range(len(x))) + b, "flipped"),
    ("conv_relu", lambda x, w, b: F.conv2d(x[None], w, b)[0], "ReLU is missing"),
    ("conv_relu", conv_relu_bias_after, "after ReLU"),
    ("conv_relu", lambda x, w, b: sum(F.relu(F.conv2d(x[None, c:c + 1], w[:, c:c + 1])[0]) for c in range(len(x)))
     + b[:, None, None], "per channel"),
    ("max_pool", max_pool_no_stride_in_slice, "i * stride"),
    ("max_pool", lambda x, size, stride: sol("max_pool")(x, size, size), "stride is ignored"),
    ("max_pool", lambda x, size, stride: F.avg_pool2d(x[None, None], size, stride)[0, 0], "average pooling"),
    ("flatten_index", lambda c, i, j, shape: (i * shape[2] + j) * shape[0] + c, "channels-last"),
    ("flatten_index", lambda c, i, j, shape: c * shape[1] * shape[2] + i * shape[1] + j, "a row is W long"),
    ("flatten_index", lambda c, i, j, shape: c * shape[1] * shape[2] + i * shape[2] + j + 1, "start at 0"),
    ("filter_forward", lambda x, w, b: sol("filter_forward")(x, w, b) - b, "bias is missing"),
    ("filter_forward", lambda x, w, b: sol("filter_forward")(x, w, b) + (len(x) - 1) * b, "once per channel"),
    ("filter_forward", lambda x, w, b: sum(F.convolve2d(x[c], w[c]) for c in range(len(x))) + b, "flipped"),
    ("filter_forward", lambda x, w, b: F.correlate2d(x[0], w[0]) + b, "only channel 0"),
    ("conv_param_count", lambda C, F_, KH, KW, bias_hw=None: F_ * C * KH * KW, "biases are missing"),
    ("conv_param_count", lambda C, F_, KH, KW, bias_hw=None: F_ * KH * KW + F_, "one per input channel"),
    ("conv_param_count", lambda C, F_, KH, KW, bias_hw=None: F_ * C * KH * KW + F_, "untied bias"),
    ("conv_dx_single", lambda dy, k: F.correlate2d(dy, k, "full"), "the flip is missing"),
    ("conv_dx_single", lambda dy, k: F.convolve2d(dy, k[::-1], "full"), "both axes"),
    ("conv_dx_single", lambda dy, k: F.convolve2d(dy, k, "same"), "use mode 'full'"),
    ("conv_dk_single", lambda x, dy: F.convolve2d(x, dy), "no flip here"),
    ("conv_dk_single", lambda x, dy: np.array([[x[u:u + dy.shape[0], v:v + dy.shape[1]].sum() * dy.sum()
                                                  for v in range(x.shape[1] - dy.shape[1] + 1)]
                                                 for u in range(x.shape[0] - dy.shape[0] + 1)]), "shorthand"),
    ("conv_dk_single", lambda x, dy: F.correlate2d(dy, x, "full"), "the kernel's shape"),
    ("conv_db", lambda dout: dout.sum(axis=(2, 3)), "batch axis"),
    ("conv_db", lambda dout: dout.sum(axis=0), "untied"),
    ("conv_db", lambda dout: dout.mean(axis=(0, 2, 3)), "the mean"),
    ("conv_db", lambda dout: dout.sum(), "one number per filter"),
    ("dilate", dilate_trailing, "no zeros after the last"),
    ("dilate", dilate_stride_zeros, "stride - 1"),
    ("dilate", dilate_copies, "not copies"),
    ("avg_pool_backward", lambda dout, x, size, stride: sol("avg_pool_backward")(dout, x, size, stride) * size ** 2,
     "the 1/area is missing"),
    ("avg_pool_backward", pool_assign("avg"), "not ="),
    ("avg_pool_backward", lambda dout, x, size, stride: sol("avg_pool_backward")(dout, x, size, stride) * size,
     "not by size"),
    ("max_pool_backward", pool_assign("max"), "not ="),
    ("max_pool_backward", max_pool_last_at_ties, "first maximum"),
    ("max_pool_backward", lambda dout, x, size, stride: sol("avg_pool_backward")(dout, x, size, stride),
     "ONE position"),
    ("im2col_one", lambda image, k, s: sol("im2col_one")(image, k, s).T, "swapped"),
    ("im2col_one", lambda image, k, s: sol("im2col_one")(image, k, 1), "the stride visits"),
    ("im2col_one", lambda image, k, s: sol("im2col_one")(image, k, s)[:, :-1], "off-by-one"),
    ("col2im_one", col2im_assign, "use +="),
    ("col2im_one", col2im_no_stride, "the stride is missing"),
    ("col2im_one", lambda cols, shape, k, s: np.pad(sol("col2im_one")(cols, shape, k, s), 1), "the image's shape"),
    ("conv2d_im2col", lambda x, w, b: sol("conv2d_im2col")(x, w, b) - b[None, :, None, None], "add the bias"),
    ("conv2d_im2col", lambda x, w, b: sol("conv2d_im2col")(x, w[:, :, ::-1, ::-1], b), "a convolution"),
    ("conv2d_im2col", lambda x, w, b: sol("conv2d_im2col")(x, w, b).reshape(len(x), len(w), -1), "reshape it"),
    ("im2col_bytes", im2col_bytes_args(itemsize=1), "itemsize"),
    ("im2col_bytes", im2col_bytes_args(C=1), "C*KH*KW"),
    ("im2col_bytes", im2col_bytes_args(stride=1), "fewer windows"),
    ("im2col_bytes", im2col_bytes_square_image, "H_out ** 2"),
    ("conv2d_single", lambda x, w, b, s, p: sol("conv2d_single")(x, w, b, s, 0), "padding is missing"),
    ("conv2d_single", lambda x, w, b, s, p: sol("conv2d_single")(x, w, b, s, p) - b, "bias b is missing"),
    ("conv2d_single", lambda x, w, b, s, p: sol("conv2d_single")(x, w[::-1, ::-1], b, s, p), "flipped"),
    ("conv2d_single", conv2d_single_square, "one size read for both axes"),
    ("avg_pool", lambda x, size, stride: F.max_pool2d(x[None, None], size, stride)[0, 0], "max pooling"),
    ("avg_pool", avg_pool_by_size, "not by size"),
    ("avg_pool", lambda x, size, stride: sol("avg_pool")(x, size, stride) * size * size, "the sum"),
    ("avg_pool", lambda x, size, stride: sol("avg_pool")(x, size, size), "stride is ignored"),
    ("dense_forward", lambda x, w, b: x @ w, "bias b is missing"),
    ("dense_forward", lambda x, w, b: (x @ w + b).T, "transposed"),
    ("dense_forward", lambda x, w, b: x @ w + b.sum(), "summed to one number"),
    ("confusion_matrix", lambda t, p, k: sol("confusion_matrix")(t, p, k).T, "swapped"),
    ("confusion_matrix", confusion_fancy, "count 2"),
    ("confusion_matrix", lambda t, p, k: sol("confusion_matrix")(t, p, max(t.max(), p.max()) + 1),
     "whatever labels occur"),
    ("per_class_accuracy", per_class_by_columns, "column sums"),
    ("per_class_accuracy", lambda cm: np.diag(cm) / cm.sum(), "not by all N"),
    ("per_class_accuracy", lambda cm: 100 * sol("per_class_accuracy")(cm), "percentages"),
]

# more classic mistakes, so that every hint of every check is reached (test_every_hint_is_reached)
WRONG += [
    ("conv_params", lambda c, f, k: f * c * k * k + c, "not per input channel"),
    ("conv_params", lambda c, f, k: f * c * (k * k + 1), "not one per (filter, input channel)"),
    ("shift_image", lambda img, dy, dx: np.pad(img, 1), "keep the image's shape"),
    ("flat_neighbours", lambda r, c, H, W: set(sol("flat_neighbours")(r, c, H, W)), "return a list of ints"),
    ("convolve2d_valid", lambda im, k: F.convolve2d(im, k, "full"), "'valid' output is"),
    ("convolve2d_valid", lambda im, k: F.correlate2d(im, k.T if k.shape[0] == k.shape[1] else k), "not a flip"),
    ("correlate2d_full", lambda im, k: F.correlate2d(im, k, "same"), "that is the 'same' size"),
    ("output_shape", lambda H, W, KH, KW, mode: (H - KH + 1 + 2 * ((KH - 1) // 2), W - KW + 1 + 2 * ((KW - 1) // 2))
     if mode == "same" else sol("output_shape")(H, W, KH, KW, mode), "keep the input's size"),
    ("conv2d_single", lambda x, w, b, s, p: sol("conv2d_single")(x, w, b, 1, p), "the stride is missing"),
    ("conv2d_single", lambda x, w, b, s, p: np.pad(sol("conv2d_single")(x, w, b, s, p), ((0, 1), (0, 0))),
     "from eq. (1)"),   # one row too many (a ceil instead of the floor)
    ("conv2d_single", lambda x, w, b, s, p: sol("conv2d_single")(x, w, b, 1, p)[
        tuple(slice(0, n) for n in sol("conv2d_single")(x, w, b, s, p).shape)], "start at i * stride"),
    ("avg_pool", lambda x, size, stride: sol("avg_pool")(x, size, 1), "moves"),
    ("avg_pool", lambda x, size, stride: sol("avg_pool")(x, size, 1)[
        tuple(slice(0, n) for n in sol("avg_pool")(x, size, stride).shape)], "start at i * stride"),
    ("avg_pool", lambda x, size, stride: sol("avg_pool")(x, size, stride)[:-1], "windows sticking out"),
    ("dense_forward", lambda x, w, b: x[0] @ w + b, "expected shape"),
    ("im2col_one", im2col_column_major, "row by row"),
    ("conv2d_im2col", conv2d_im2col_batch_mixed, "images and filters are mixed up"),
    ("conv2d_im2col", lambda x, w, b: sol("conv2d_im2col")(x, w.transpose(0, 2, 3, 1).reshape(w.shape), b),
     "same order as the rows"),
    ("im2col_bytes", im2col_bytes_no_floor, "floor"),
    ("im2col_bytes", im2col_bytes_square_kernel, "KH * KW"),
    ("output_size", lambda n, f, p, s: [sol("output_size")(n, f, p, s)], "one number"),
    ("output_size", lambda n, f, p, s: n + 2 * p - f + 1, "stride is missing"),
    ("output_size", lambda n, f, p, s: (n + p - f) // s + 1, "2p, not p"),
    ("output_size", lambda n, f, p, s: -(-(n + 2 * p - f) // s) + 1, "rounds (n + 2p - f) / s up"),
    ("same_padding", lambda f: f - 1, "return a pair"),
    ("same_padding", lambda f: ((f - 1) / 2, (f - 1) / 2), "whole numbers"),
    ("conv_one_filter", lambda x, w, b: np.stack([F.correlate2d(x[c], w[c]) for c in range(len(x))]) + b,
     "one 2-D map"),
    ("conv_one_filter", lambda x, w, b: np.mean([F.correlate2d(x[c], w[c]) for c in range(len(x))], axis=0) + b,
     "the mean over channels"),
    ("conv_relu", conv_relu_one_kernel_size, "one size read for both axes"),
    ("conv_relu", lambda x, w, b: sol("conv_relu")(x, w, b)[0], "one map per filter"),
    ("max_pool", lambda x, size, stride: sol("max_pool")(x, size, 1), "not 1"),
    ("max_pool", lambda x, size, stride: sol("max_pool")(x, size, stride)[:-1], "windows that do not fit"),
    ("per_class_accuracy", lambda cm: np.trace(cm) / cm.sum(), "one number per class"),
    # chapter 11
    ("fgsm_step", lambda x, grad, eps: np.clip(x + eps * grad, 0, 1), "SIGN of the gradient"),
    ("fgsm_step", lambda x, grad, eps: x + eps * np.sign(grad), "clip to the pixel range"),
    ("fgsm_step", lambda x, grad, eps: np.clip(x - eps * np.sign(grad), 0, 1), "step UP the loss"),
    ("fgsm_step", lambda x, grad, eps: np.clip(x + eps * np.sign(grad), 0, 1).ravel(), "the shape of x"),
    ("center_of_mass", lambda image: sol("center_of_mass")(image)[::-1], "the order is (row, col)"),
    ("center_of_mass", lambda image: np.unravel_index(np.argmax(image), image.shape), "brightest pixel"),
    ("center_of_mass", lambda image: float(np.mean(image)), "a pair (row, col)"),
    ("center_of_mass", lambda image: tuple(np.sum(np.indices(image.shape) * image, axis=(1, 2))),
     None),   # not divided by the total intensity: no hint, the numbers are shown
]


def test_every_check_has_three_classic_mistakes():
    counts = Counter(name for name, _, hint in WRONG if hint is not None)
    short = sorted(name for name in (c.removeprefix("check_") for c in CHECKS) if counts[name] < 3)
    assert not short, f"checks with fewer than three classic wrong answers (with a hint) tested: {short}"
    assert {f"check_{name}" for name, _, _ in WRONG} <= set(CHECKS)


@pytest.mark.parametrize("name, wrong, hint", WRONG,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(WRONG)])
def test_classic_mistake_is_rejected_with_its_hint(name, wrong, hint, capsys):
    with np.errstate(invalid="ignore", divide="ignore"):
        result = getattr(checks, f"check_{name}")(wrong)
    out = capsys.readouterr().out
    assert result is False, out
    assert out.startswith("Not yet"), out
    if hint is not None:
        assert "hint:" in out and hint in out.split("hint:", 1)[1], out


def _hint_returns():
    """(file, line) of every `return <message>` inside a hint function of cnnlib/checks."""
    found = {}
    for path in CHECKS_DIR.glob("*.py"):
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef) and "hint" in function.name:
                for node in ast.walk(function):
                    if isinstance(node, ast.Return) and node.value is not None and not (
                            isinstance(node.value, ast.Constant) and node.value.value is None):
                        found[(str(path), node.lineno)] = ast.unparse(node.value)[:80]
    return found


def test_every_hint_is_reached_by_a_classic_mistake(capsys):
    """Each hint branch of each check runs for at least one wrong answer in WRONG (so each hint is
    tested to fire for the mistake it names, by the fragment assertions above)."""
    reached = set()

    def tracer(frame, event, arg):
        if not frame.f_code.co_filename.startswith(str(CHECKS_DIR)):
            return None

        def lines(frame, event, arg):
            if event == "line":
                reached.add((frame.f_code.co_filename, frame.f_lineno))
            return lines
        return lines

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            for name, wrong, _ in WRONG:
                getattr(checks, f"check_{name}")(wrong)
    finally:
        sys.settrace(previous)
    capsys.readouterr()
    missing = {f"{Path(f).name}:{line}": text for (f, line), text in _hint_returns().items() if (f, line) not in reached}
    assert not missing, f"hints that no classic mistake in WRONG reaches: {missing}"


# ------------------------------------------------------------- short failure messages (issue 16)

MAX_LINES = 30  # a failure message fits on a screen: shapes and 3x3 corners, never whole arrays


@pytest.mark.parametrize("name, wrong, hint", WRONG,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(WRONG)])
def test_failure_messages_are_short(name, wrong, hint, capsys):
    with np.errstate(invalid="ignore", divide="ignore"):
        getattr(checks, f"check_{name}")(wrong)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) <= MAX_LINES, "\n".join(lines)
    assert max(len(line) for line in lines) <= 300, "\n".join(lines)


def test_a_big_array_is_shown_as_its_shape_and_a_corner(capsys):
    from cnnlib.checks.core import _describe
    big = np.arange(3 * 28 * 28, dtype=float).reshape(3, 28, 28)
    text = _describe(big)
    assert "(3, 28, 28)" in text and "corner" in text
    assert len(text.splitlines()) <= 4          # the shape line and 3 rows of the corner
    assert "27." not in text and "29." in text  # [0, :3, :3] holds 0, 1, 2, 28, 29, 30, 56, ...


def test_exercise_4_1_failure_is_short_and_names_the_first_difference(capsys):
    # issue 16: exercise 4.1's failure used to print ~35 lines of arrays
    def off_by_a_little(x, w, b):
        out = sol("conv_one_filter")(x, w, b)
        out[-1, -1] += 1.0
        return out

    assert checks.check_conv_one_filter(off_by_a_little) is False
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= 20, out
    assert "first difference at [1, 1]" in out, out

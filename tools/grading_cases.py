"""Hidden-test data for the nbgrader assignments, keyed by exercise name (the function the student writes).

For each exercise:
  points     what its autograder-tests cell is worth
  cases      function () -> list of (description, args tuple): the hidden inputs. The expected answers
             are NOT written here: tools/grading.py computes them from notebooks/solutions/ when it
             generates the assignment, and stores them as literals in the hidden test.
  reference  the same answer computed by cnnlib, only used by tests/test_grading.py to check that the
             solution is right on every hidden case (two independent routes)
  forbidden  cnnlib functions (public path, "path:arg=v1,v2" to forbid only those argument values) or
             whole modules the answer must not call, at any depth, because they compute the answer.
             cnnlib.checks (the checks' reference answers) is always forbidden.
  mistake    source of one classic wrong answer (from tests/test_exercises_*.py): the hidden tests
             alone must reject it, and the nbgrader test submits it to get 0 on that exercise only.

An exercise found in a notebook but missing here still gets its visible check as the test; the
generator reports it (tests/test_grading.py fails until every current exercise has an entry).
"""
import numpy as np

from cnnlib import adversarial, handwriting
from cnnlib import functional as F
from cnnlib import metrics

ALWAYS_FORBIDDEN = ["cnnlib.checks"]


def _ints(seed, shape, low=-4, high=5):
    return np.random.default_rng(seed).integers(low, high, size=shape).astype(np.float64)


def _normal(seed, shape):
    return np.round(np.random.default_rng(seed).normal(size=shape), 3)


def _image(h, w, seed):
    return np.random.default_rng(seed).permutation(h * w).reshape(h, w).astype(float) + 1


EXERCISES = {
    # ---------------------------------------------------------------- chapter 01
    "dense_params": dict(
        points=1,
        cases=lambda: [("10 inputs -> 1 output", (10, 1)), ("3072 inputs -> 512 outputs", (3072, 512)),
                       ("7 inputs -> 7 outputs", (7, 7))],
        reference=lambda n_in, n_out: n_in * n_out + n_out,
        forbidden=["cnnlib.layers", "cnnlib.model"],
        mistake="def dense_params(n_in, n_out):\n    return n_in * n_out  # the biases forgotten\n"),
    "conv_params": dict(
        points=1,
        cases=lambda: [("6 filters 5x5 on RGB", (3, 6, 5)), ("1 filter 7x7 on 2 channels", (2, 1, 7)),
                       ("128 filters 3x3 on 64 channels", (64, 128, 3))],
        reference=lambda c_in, n_filters, k: n_filters * (c_in * k * k + 1),
        forbidden=["cnnlib.layers", "cnnlib.model"],
        mistake="def conv_params(c_in, n_filters, k):\n    return n_filters * c_in * k * k  # no bias\n"),
    "shift_image": dict(
        points=2,
        cases=lambda: [("3x3, one right", (_image(3, 3, 11), 0, 1)), ("5x4, up and right", (_image(5, 4, 12), -2, 1)),
                       ("4x6, far down-left", (_image(4, 6, 13), 3, -5)), ("2x2 out of the frame", (_image(2, 2, 14), 0, -2))],
        reference=lambda img, dy, dx: F.pad2d(img, (2 * img.shape[0], 2 * img.shape[0], 2 * img.shape[1], 2 * img.shape[1]))[
            2 * img.shape[0] - dy:3 * img.shape[0] - dy, 2 * img.shape[1] - dx:3 * img.shape[1] - dx],
        forbidden=["cnnlib.viz.why.shift_image", "cnnlib.augment"],
        mistake="def shift_image(img, dy, dx):\n    return np.roll(img, (dy, dx), axis=(0, 1))  # wraps around\n"),
    "flat_neighbours": dict(
        points=1,
        cases=lambda: [("bottom-right corner of 4x5", (3, 4, 4, 5)), ("end of a middle row", (1, 4, 3, 5)),
                       ("a 1x6 strip", (0, 2, 1, 6)), ("a 6x1 column", (2, 0, 6, 1))],
        reference=lambda r, c, H, W: sorted(rr * W + cc for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1))
                                            if 0 <= rr < H and 0 <= cc < W),
        forbidden=[],
        mistake=("def flat_neighbours(r, c, H, W):  # wraps to the next row\n    flat = r * W + c\n"
                 "    return sorted(i for i in (flat - W, flat + W, flat - 1, flat + 1) if 0 <= i < H * W)\n")),
    # ---------------------------------------------------------------- chapter 02
    "convolve2d_valid": dict(
        points=2,
        cases=lambda: [("4x4 image, asymmetric 2x3 kernel", (_ints(21, (4, 4)), _ints(22, (2, 3)))),
                       ("6x5 image, 3x3 kernel", (_normal(23, (6, 5)), _normal(24, (3, 3))))],
        reference=lambda image, kernel: F.convolve2d(image, kernel),
        forbidden=["cnnlib.functional.convolve2d", "cnnlib.functional.conv2d", "cnnlib.functional.conv2d_naive"],
        mistake=("def convolve2d_valid(image, kernel):  # the flip forgotten: a correlation\n"
                 "    KH, KW = kernel.shape\n"
                 "    return np.array([[np.sum(image[i:i + KH, j:j + KW] * kernel)\n"
                 "                      for j in range(image.shape[1] - KW + 1)] for i in range(image.shape[0] - KH + 1)])\n")),
    "output_shape": dict(
        points=1,
        cases=lambda: [("valid, 10x7, 4x2", (10, 7, 4, 2, "valid")), ("full, 10x7, 4x2", (10, 7, 4, 2, "full")),
                       ("same, 3x9, 3x5", (3, 9, 3, 5, "same")), ("full, 1x1, 1x1", (1, 1, 1, 1, "full"))],
        reference=lambda H, W, KH, KW, mode: F.correlate2d(np.zeros((H, W)), np.zeros((KH, KW)), mode).shape,
        forbidden=["cnnlib.functional.correlate2d", "cnnlib.functional.convolve2d"],
        mistake=("def output_shape(H, W, KH, KW, mode):  # off by one in 'full'\n"
                 "    return {'valid': (H - KH + 1, W - KW + 1), 'same': (H, W), 'full': (H + KH, W + KW)}[mode]\n")),
    "correlate2d_full": dict(
        points=2,
        cases=lambda: [("3x4 image, 2x2 kernel", (_ints(25, (3, 4)), _ints(26, (2, 2)))),
                       ("5x5 image, 3x2 kernel", (_normal(27, (5, 5)), _normal(28, (3, 2))))],
        reference=lambda image, kernel: F.correlate2d(image, kernel, "full"),
        forbidden=["cnnlib.functional.correlate2d:mode=full,same", "cnnlib.functional.convolve2d"],
        mistake=("def correlate2d_full(image, kernel):  # 'same' padding instead of KH - 1\n"
                 "    KH, KW = kernel.shape\n"
                 "    padded = np.pad(image, (((KH - 1) // 2, (KH - 1) // 2), ((KW - 1) // 2, (KW - 1) // 2)))\n"
                 "    return np.array([[np.sum(padded[i:i + KH, j:j + KW] * kernel)\n"
                 "                      for j in range(padded.shape[1] - KW + 1)] for i in range(padded.shape[0] - KH + 1)])\n")),
    # ---------------------------------------------------------------- chapter 03
    "output_size": dict(
        points=1,
        cases=lambda: [("stride 3 does not divide", (11, 3, 0, 3)), ("padding 2, stride 2, odd remainder", (9, 4, 2, 2)),
                       ("1x1 kernel, stride 1", (5, 1, 0, 1)), ("stride 5", (24, 5, 1, 5))],
        reference=lambda n, f, p, s: F.output_size(n, f, p, s),
        forbidden=["cnnlib.shapes"],
        mistake="def output_size(n, f, p, s):\n    return (n + 2 * p - f) / s + 1  # no floor\n"),
    "same_padding": dict(
        points=1,
        cases=lambda: [("9x9 kernel", (9,)), ("6x6 kernel", (6,)), ("8x8 kernel", (8,))],
        reference=lambda f: F.same_padding(10, f, 1),
        forbidden=["cnnlib.shapes"],
        mistake=("def same_padding(f):  # the odd extra zero on the wrong side\n"
                 "    total = f - 1\n    return total - total // 2, total // 2\n")),
    "conv2d_single": dict(
        points=2,
        cases=lambda: [("5x7 image, 2x3 kernel, stride 2, padding 1", (_ints(31, (5, 7)), _ints(32, (2, 3)), 1.5, 2, 1)),
                       ("6x4 image, 3x3 kernel, stride 1, no padding", (_normal(33, (6, 4)), _normal(34, (3, 3)), -0.25, 1, 0)),
                       ("4x6 image, 3x2 kernel, stride 3, padding 2 (floor)", (_ints(35, (4, 6)), _ints(36, (3, 2)), 0.0, 3, 2))],
        reference=lambda x, w, b, stride, padding: F.conv2d(x[None, None], w[None, None], np.array([b], dtype=float),
                                                             stride, padding)[0, 0],
        forbidden=["cnnlib.functional.conv2d", "cnnlib.functional.conv2d_naive", "cnnlib.functional.correlate2d",
                   "cnnlib.conv", "cnnlib.layers"],
        mistake=("def conv2d_single(x, w, b, stride, padding):  # the stride ignored\n"
                 "    KH, KW = w.shape\n    x_pad = np.pad(x, padding)\n"
                 "    return np.array([[np.sum(x_pad[i:i + KH, j:j + KW] * w) + b for j in range(x_pad.shape[1] - KW + 1)]\n"
                 "                     for i in range(x_pad.shape[0] - KH + 1)])\n")),
    # ---------------------------------------------------------------- chapter 04
    "conv_one_filter": dict(
        points=2,
        cases=lambda: [("2 channels 4x5, 2x2 kernel, bias 1.5", (_ints(41, (2, 4, 5)), _ints(42, (2, 2, 2)), 1.5)),
                       ("4 channels 5x5, 3x3 kernel, bias -0.25", (_normal(43, (4, 5, 5)), _normal(44, (4, 3, 3)), -0.25))],
        reference=lambda x, w, b: F.conv2d(x[None], w[None], np.array([b]))[0, 0],
        forbidden=["cnnlib.functional.conv2d", "cnnlib.functional.conv2d_naive", "cnnlib.backprop_tools", "cnnlib.layers"],
        mistake=("def conv_one_filter(x, w, b):  # the bias forgotten\n"
                 "    C, KH, KW = w.shape\n"
                 "    return np.array([[np.sum(x[:, i:i + KH, j:j + KW] * w) for j in range(x.shape[2] - KW + 1)]\n"
                 "                     for i in range(x.shape[1] - KH + 1)])\n")),
    "conv_relu": dict(
        points=2,
        cases=lambda: [("2 channels 4x4, three 2x2 filters", (_normal(45, (2, 4, 4)), _normal(46, (3, 2, 2, 2)),
                                                               np.array([0.25, -0.5, 0.0]))),
                       ("1 channel 5x3, two 3x3 filters", (_ints(47, (1, 5, 3)), _ints(48, (2, 1, 3, 3)), np.array([-1.0, 2.0])))],
        reference=lambda x, w, b: F.relu(F.conv2d(x[None], w, b))[0],
        forbidden=["cnnlib.functional.conv2d", "cnnlib.functional.conv2d_naive", "cnnlib.backprop_tools", "cnnlib.layers"],
        mistake=("def conv_relu(x, w, b):  # ReLU forgotten\n"
                 "    KH, KW = w.shape[2:]\n"
                 "    return np.array([[[np.sum(x[:, i:i + KH, j:j + KW] * w[f]) + b[f] for j in range(x.shape[2] - KW + 1)]\n"
                 "                      for i in range(x.shape[1] - KH + 1)] for f in range(w.shape[0])])\n")),
    # ---------------------------------------------------------------- chapter 05
    "max_pool": dict(
        points=2,
        cases=lambda: [("6x6, window 3, stride 2 (overlap, floor)", (_ints(51, (6, 6)), 3, 2)),
                       ("5x7, window 2, stride 3", (_normal(52, (5, 7)), 2, 3)),
                       ("4x4, window 4, stride 1: one window", (_ints(53, (4, 4)), 4, 1))],
        reference=lambda x, size, stride: F.max_pool2d(x[None, None], size, stride)[0, 0],
        forbidden=["cnnlib.pool", "cnnlib.layers"],
        mistake=("def max_pool(x, size, stride):  # the stride ignored: windows every `size` pixels\n"
                 "    H_out, W_out = (x.shape[0] - size) // size + 1, (x.shape[1] - size) // size + 1\n"
                 "    return np.array([[x[i * size:i * size + size, j * size:j * size + size].max() for j in range(W_out)]\n"
                 "                     for i in range(H_out)])\n")),
    "flatten_index": dict(
        points=1,
        cases=lambda: [("last channel, last pixel", (3, 1, 4, (4, 2, 5))), ("3 channels of 1x1", (2, 0, 0, (3, 1, 1))),
                       ("8 channels 6x3", (5, 4, 1, (8, 6, 3)))],
        reference=lambda c, i, j, shape: int(np.arange(np.prod(shape)).reshape(shape)[c, i, j]),
        forbidden=[],
        mistake="def flatten_index(c, i, j, shape):  # channels last\n    C, H, W = shape\n    return (i * W + j) * C + c\n"),
    "avg_pool": dict(
        points=2,
        cases=lambda: [("6x6, window 3, stride 2 (overlap, floor)", (_ints(54, (6, 6)), 3, 2)),
                       ("5x7, window 2, stride 3", (_normal(55, (5, 7)), 2, 3)),
                       ("4x6, window 2, stride 2", (_ints(56, (4, 6)), 2, 2))],
        reference=lambda x, size, stride: F.avg_pool2d(x[None, None], size, stride)[0, 0],
        forbidden=["cnnlib.pool", "cnnlib.layers"],
        mistake=("def avg_pool(x, size, stride):  # the sum, not the mean (no 1/area)\n"
                 "    H_out, W_out = (x.shape[0] - size) // stride + 1, (x.shape[1] - size) // stride + 1\n"
                 "    return np.array([[x[i * stride:i * stride + size, j * stride:j * stride + size].sum()\n"
                 "                      for j in range(W_out)] for i in range(H_out)])\n")),
    "dense_forward": dict(
        points=1,
        cases=lambda: [("2 samples, 3 -> 4", (_ints(57, (2, 3)), _ints(58, (3, 4)), _ints(59, (4,)))),
                       ("5 samples, 6 -> 2", (_normal(60, (5, 6)), _normal(61, (6, 2)), _normal(62, (2,))))],
        reference=lambda x, w, b: x @ w + b,
        forbidden=["cnnlib.layers", "cnnlib.model"],
        mistake="def dense_forward(x, w, b):\n    return x @ w  # the bias forgotten\n"),
    # ---------------------------------------------------------------- chapter 06
    "filter_forward": dict(
        points=2,
        cases=lambda: [("2 channels 5x4, 3x2 kernel, bias 0.75", (_ints(61, (2, 5, 4)), _ints(62, (2, 3, 2)), 0.75)),
                       ("4 channels 4x4, 2x2 kernel, bias -1", (_normal(63, (4, 4, 4)), _normal(64, (4, 2, 2)), -1.0))],
        reference=lambda x, w_i, b_i: F.conv2d(x[None], w_i[None], np.array([b_i]))[0, 0],
        forbidden=["cnnlib.functional.conv2d", "cnnlib.functional.conv2d_naive", "cnnlib.backprop_tools", "cnnlib.layers"],
        mistake=("def filter_forward(x, w_i, b_i):  # the bias forgotten\n"
                 "    return sum(F.correlate2d(x[j], w_i[j]) for j in range(x.shape[0]))\n")),
    "conv_param_count": dict(
        points=1,
        cases=lambda: [("tied, 32 filters 3x3 on 16 channels", (16, 32, 3, 3, None)),
                       ("untied 10x12, 5 filters 1x1 on 2 channels", (2, 5, 1, 1, (10, 12)))],
        reference=lambda C, F_, KH, KW, bias_hw=None: F_ * C * KH * KW + (F_ if bias_hw is None else F_ * bias_hw[0] * bias_hw[1]),
        forbidden=["cnnlib.layers", "cnnlib.model"],
        mistake="def conv_param_count(C, F_, KH, KW, bias_hw=None):\n    return F_ * C * KH * KW  # the biases forgotten\n"),
    # ---------------------------------------------------------------- chapter 07
    "conv_dx_single": dict(
        points=2,
        cases=lambda: [("3x3 dy, asymmetric 2x3 kernel", (_ints(71, (3, 3)), _ints(72, (2, 3)))),
                       ("2x4 dy, 3x3 kernel", (_normal(73, (2, 4)), _normal(74, (3, 3))))],
        reference=lambda dy, k: F.conv2d_backward(dy[None, None], np.zeros((1, 1) + tuple(np.add(dy.shape, k.shape) - 1)),
                                                  k[None, None])[0][0, 0],
        forbidden=["cnnlib.functional.convolve2d", "cnnlib.functional.conv2d_backward",
                   "cnnlib.functional.conv2d_backward_naive", "cnnlib.backprop_tools"],
        mistake=("def conv_dx_single(dy, k):  # the flip forgotten: a full correlation\n"
                 "    KH, KW = k.shape\n"
                 "    return F.correlate2d(np.pad(dy, ((KH - 1, KH - 1), (KW - 1, KW - 1))), k)\n")),
    "conv_dk_single": dict(
        points=2,
        cases=lambda: [("4x4 x, 2x3 dy", (_ints(75, (4, 4)), _ints(76, (2, 3)))),
                       ("6x5 x, 4x4 dy", (_normal(77, (6, 5)), _normal(78, (4, 4))))],
        reference=lambda x, dy: F.conv2d_backward(dy[None, None], x[None, None],
                                                  np.zeros((1, 1) + tuple(np.subtract(x.shape, dy.shape) + 1)))[1][0, 0],
        forbidden=["cnnlib.functional.correlate2d", "cnnlib.functional.convolve2d", "cnnlib.functional.conv2d",
                   "cnnlib.functional.conv2d_backward", "cnnlib.functional.conv2d_backward_naive", "cnnlib.backprop_tools"],
        mistake=("def conv_dk_single(x, dy):  # the paper's shorthand: (sum of x's) * (sum of dL/dY)\n"
                 "    KH, KW = x.shape[0] - dy.shape[0] + 1, x.shape[1] - dy.shape[1] + 1\n"
                 "    return np.array([[x[u:u + dy.shape[0], v:v + dy.shape[1]].sum() * dy.sum() for v in range(KW)]\n"
                 "                     for u in range(KH)])\n")),
    "conv_db": dict(
        points=1,
        cases=lambda: [("batch of 4, 3 filters", (_ints(79, (4, 3, 2, 5)),)), ("batch of 2, 1 filter", (_normal(70, (2, 1, 3, 3)),))],
        reference=lambda dout: F.conv2d_backward(dout, np.zeros(dout.shape[:1] + (1,) + dout.shape[2:]),
                                                 np.zeros((dout.shape[1], 1, 1, 1)))[2],
        forbidden=["cnnlib.functional.conv2d_backward", "cnnlib.functional.conv2d_backward_naive", "cnnlib.layers"],
        mistake="def conv_db(dout):\n    return dout.sum(axis=(2, 3))  # not summed over the batch\n"),
    # ---------------------------------------------------------------- chapter 08
    "dilate": dict(
        points=1,
        cases=lambda: [("3x2, stride 2", (_ints(81, (3, 2)), 2)), ("1x3, stride 4", (_normal(82, (1, 3)), 4)),
                       ("2x2, stride 1", (_ints(83, (2, 2)), 1))],
        reference=lambda dy, stride: __import__("cnnlib.backprop_tools", fromlist=["dilate"]).dilate(dy, stride),
        forbidden=["cnnlib.backprop_tools", "cnnlib.functional.conv2d_backward"],
        mistake=("def dilate(dy, stride):  # zeros after the last row and column too\n"
                 "    out = np.zeros((dy.shape[0] * stride, dy.shape[1] * stride))\n"
                 "    out[::stride, ::stride] = dy\n    return out\n")),
    "avg_pool_backward": dict(
        points=2,
        cases=lambda: [("5x5, size 3, stride 1 (heavy overlap)", (_ints(84, (3, 3)), _ints(85, (5, 5)), 3, 1)),
                       ("7x6, size 2, stride 3 (gaps)", (_normal(86, (2, 2)), _normal(87, (7, 6)), 2, 3))],
        reference=lambda dout, x, size, stride: F.avg_pool2d_backward(dout[None, None], x[None, None], size, stride)[0, 0],
        forbidden=["cnnlib.pool", "cnnlib.layers"],
        mistake=("def avg_pool_backward(dout, x, size, stride):  # the 1/area forgotten\n"
                 "    dx = np.zeros(x.shape)\n    for i in range(dout.shape[0]):\n        for j in range(dout.shape[1]):\n"
                 "            dx[i * stride:i * stride + size, j * stride:j * stride + size] += dout[i, j]\n    return dx\n")),
    "max_pool_backward": dict(
        points=2,
        cases=lambda: [("a big value shared by four windows", (np.array([[1.0, 2.0], [3.0, 4.0]]),
                                                                np.array([[0.0, 1, 0], [1, 9, 1], [0, 1, 0]]), 2, 1)),
                       ("6x6, size 3, stride 2", (_ints(88, (2, 2)), _ints(89, (6, 6), 0, 9), 3, 2)),
                       ("5x5, size 2, stride 2 (floor)", (_normal(80, (2, 2)), _normal(90, (5, 5)), 2, 2))],
        reference=lambda dout, x, size, stride: F.max_pool2d_backward(dout[None, None], x[None, None], size, stride)[0, 0],
        forbidden=["cnnlib.pool", "cnnlib.layers"],
        mistake=("def max_pool_backward(dout, x, size, stride):  # = instead of +=\n"
                 "    dx = np.zeros(x.shape)\n    for i in range(dout.shape[0]):\n        for j in range(dout.shape[1]):\n"
                 "            window = x[i * stride:i * stride + size, j * stride:j * stride + size]\n"
                 "            u, v = np.unravel_index(np.argmax(window), window.shape)\n"
                 "            dx[i * stride + u, j * stride + v] = dout[i, j]\n    return dx\n")),
    # ---------------------------------------------------------------- chapter 09
    "im2col_one": dict(
        points=2,
        cases=lambda: [("5x5, 2x2 kernel, stride 3", (_image(5, 5, 91), (2, 2), 3)),
                       ("4x6, 3x1 kernel, stride 1", (_image(4, 6, 92), (3, 1), 1))],
        reference=lambda image, kernel_hw, stride: F.im2col(image[None, None], kernel_hw, stride)[0],
        forbidden=["cnnlib.conv"],
        mistake=("def im2col_one(image, kernel_hw, stride):  # one ROW per window: transposed\n"
                 "    KH, KW = kernel_hw\n    H_out, W_out = (image.shape[0] - KH) // stride + 1, (image.shape[1] - KW) // stride + 1\n"
                 "    return np.array([image[i * stride:i * stride + KH, j * stride:j * stride + KW].ravel()\n"
                 "                     for i in range(H_out) for j in range(W_out)])\n")),
    "col2im_one": dict(
        points=2,
        cases=lambda: [("5x4, 2x2 kernel, stride 1", (_normal(93, (4, 12)), (5, 4), (2, 2), 1)),
                       ("7x7, 3x3 kernel, stride 2", (_normal(94, (9, 9)), (7, 7), (3, 3), 2))],
        reference=lambda cols, image_shape, kernel_hw, stride: F.col2im(cols[None], (1, 1) + tuple(image_shape), kernel_hw, stride)[0, 0],
        forbidden=["cnnlib.conv"],
        mistake=("def col2im_one(cols, image_shape, kernel_hw, stride):  # = instead of +=\n"
                 "    (H, W), (KH, KW) = image_shape, kernel_hw\n    W_out = (W - KW) // stride + 1\n"
                 "    out = np.zeros(image_shape)\n    for i in range((H - KH) // stride + 1):\n        for j in range(W_out):\n"
                 "            out[i * stride:i * stride + KH, j * stride:j * stride + KW] = cols[:, i * W_out + j].reshape(KH, KW)\n"
                 "    return out\n")),
    "conv2d_im2col": dict(
        points=2,
        cases=lambda: [("2 images, 2 channels, 3 filters 3x2", (_normal(95, (2, 2, 5, 4)), _normal(96, (3, 2, 3, 2)), _normal(97, (3,)))),
                       ("1 image, 3 channels, 1 filter 1x1", (_ints(98, (1, 3, 3, 3)), _ints(99, (1, 3, 1, 1)), np.array([2.0])))],
        reference=lambda x, w, b: F.conv2d(x, w, b),
        forbidden=["cnnlib.functional.conv2d", "cnnlib.functional.conv2d_naive", "cnnlib.functional.correlate2d",
                   "cnnlib.functional.convolve2d", "cnnlib.backprop_tools", "cnnlib.layers"],
        mistake=("def conv2d_im2col(x, w, b):  # the bias forgotten\n"
                 "    N, C, H, W = x.shape\n    F_, _, KH, KW = w.shape\n"
                 "    return (w.reshape(F_, -1) @ F.im2col(x, (KH, KW))).reshape(N, F_, H - KH + 1, W - KW + 1)\n")),
    "im2col_bytes": dict(
        points=1,
        cases=lambda: [("stride 3 does not divide", ((2, 3, 10, 11), (3, 3), 3, 8)),
                       ("1x1 kernel", ((5, 4, 6, 6), (1, 1), 1, 4))],
        reference=lambda x_shape, kernel_hw, stride, itemsize: F.im2col(np.zeros(x_shape), kernel_hw, stride).size * itemsize,
        forbidden=["cnnlib.conv"],
        mistake=("def im2col_bytes(x_shape, kernel_hw, stride, itemsize):  # no floor\n"
                 "    N, C, H, W = x_shape\n    KH, KW = kernel_hw\n"
                 "    return N * C * KH * KW * ((H - KH) / stride + 1) * ((W - KW) / stride + 1) * itemsize\n")),
    # ---------------------------------------------------------------- chapter 10
    "confusion_matrix": dict(
        points=2,
        cases=lambda: [("repeated pairs, 3 classes", (np.array([1, 1, 1, 2, 0, 2]), np.array([0, 0, 1, 2, 0, 0]), 3)),
                       ("40 random labels, 5 classes", (np.random.default_rng(101).integers(0, 5, 40),
                                                        np.random.default_rng(102).integers(0, 5, 40), 5))],
        reference=lambda y_true, y_pred, num_classes: metrics.confusion_matrix(y_true, y_pred, num_classes),
        forbidden=["cnnlib.metrics", "cnnlib.viz.training"],
        mistake=("def confusion_matrix(y_true, y_pred, num_classes):  # fancy indexing: a repeated pair counts once\n"
                 "    cm = np.zeros((num_classes, num_classes), dtype=int)\n    cm[y_true, y_pred] += 1\n    return cm\n")),
    "per_class_accuracy": dict(
        points=1,
        cases=lambda: [("3 classes", (np.array([[3, 1, 0], [2, 2, 4], [0, 0, 9]]),)),
                       ("4 classes", (np.random.default_rng(103).integers(1, 9, (4, 4)),))],
        reference=lambda cm: metrics.per_class_accuracy(cm),
        forbidden=["cnnlib.metrics", "cnnlib.viz.training"],
        mistake=("def per_class_accuracy(cm):  # divided by the column sums (precision)\n"
                 "    cm = np.asarray(cm)\n    return np.diag(cm) / cm.sum(axis=0)\n")),
    # ---------------------------------------------------------------- chapter 11
    "fgsm_step": dict(
        points=1,
        cases=lambda: [("by hand, with a zero gradient and both clips",
                        (np.array([0.5, 0.3, 0.95, 0.02]), np.array([2.0, 0.0, 1.0, -3.0]), 0.1)),
                       ("2 images 1x3x5, eps 0.25", (np.random.default_rng(111).random((2, 1, 3, 5)),
                                                     _normal(112, (2, 1, 3, 5)), 0.25))],
        reference=lambda x, grad, eps: adversarial.fgsm_step(x, grad, eps),
        forbidden=["cnnlib.adversarial"],
        mistake=("def fgsm_step(x, grad, eps):  # the gradient itself, not its sign\n"
                 "    return np.clip(x + eps * grad, 0, 1)\n")),
    "center_of_mass": dict(
        points=1,
        cases=lambda: [("weights 1 at (0, 0) and 3 at (2, 2)", (np.diag([1.0, 0.0, 3.0]),)),
                       ("a 5 x 3 image", (_image(5, 3, 113),)),
                       ("one lit pixel in a 4 x 7 image", (np.eye(4, 7, 3),))],
        reference=lambda image: handwriting.center_of_mass(image),
        forbidden=["cnnlib.handwriting"],
        mistake=("def center_of_mass(image):  # (col, row): x before y\n"
                 "    rows, cols = np.indices(image.shape)\n"
                 "    return (cols * image).sum() / image.sum(), (rows * image).sum() / image.sum()\n")),
}

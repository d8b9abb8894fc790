"""Chapters 06-08: each check rejects the classic mistakes."""
import numpy as np

from cnnlib import checks
from cnnlib import functional as F
from notebooks.solutions import ch06_forward as ch06, ch07_backprop_conv as ch07, ch08_backprop_stride_pool as ch08


def rejected(check, fn, capsys, hint_words):
    assert check(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet"), out
    assert hint_words in out, out


# ---- chapter 06: bias missing or added per channel, flipped kernel, one channel only, param counts

def test_filter_forward_mistakes(capsys):
    no_bias = lambda x, w, b: ch06.filter_forward(x, w, b) - b  # noqa: E731
    rejected(checks.check_filter_forward, no_bias, capsys, "bias is missing")
    per_channel = lambda x, w, b: ch06.filter_forward(x, w, b) + (x.shape[0] - 1) * b  # noqa: E731
    rejected(checks.check_filter_forward, per_channel, capsys, "once per channel")
    flipped = lambda x, w, b: sum(F.convolve2d(x[j], w[j]) for j in range(len(x))) + b  # noqa: E731
    rejected(checks.check_filter_forward, flipped, capsys, "flipped the kernel")
    one_channel = lambda x, w, b: F.correlate2d(x[0], w[0]) + b  # noqa: E731
    rejected(checks.check_filter_forward, one_channel, capsys, "only channel 0")


def test_param_count_mistakes(capsys):
    rejected(checks.check_conv_param_count, lambda C, F_, KH, KW, hw=None: F_ * C * KH * KW,
             capsys, "biases are missing")
    rejected(checks.check_conv_param_count, lambda C, F_, KH, KW, hw=None: F_ * KH * KW + F_,
             capsys, "F * C * KH * KW")
    rejected(checks.check_conv_param_count, lambda C, F_, KH, KW, hw=None: F_ * C * KH * KW + F_,
             capsys, "F * H_out * W_out")


# ---- chapter 07: missing flip, extra flip, the paper's shorthand, db without batch sum / untied

def test_dx_missing_flip(capsys):
    rejected(checks.check_conv_dx_single, lambda dy, k: F.correlate2d(dy, k, "full"), capsys,
             "flip is missing")


def test_dx_wrong_shape(capsys):
    rejected(checks.check_conv_dx_single, lambda dy, k: F.convolve2d(dy, k, "same"), capsys,
             "mode 'full'")


def test_dk_flipped(capsys):
    rejected(checks.check_conv_dk_single, lambda x, dy: F.convolve2d(x, dy), capsys, "no flip here")


def test_dk_paper_shorthand(capsys):
    def shorthand(x, dy):  # dL/dk_uv = (sum of the x's that meet k_uv) * (sum of dL/dY)
        H_out, W_out = dy.shape
        KH, KW = x.shape[0] - H_out + 1, x.shape[1] - W_out + 1
        return np.array([[x[u:u + H_out, v:v + W_out].sum() * dy.sum() for v in range(KW)]
                         for u in range(KH)])
    rejected(checks.check_conv_dk_single, shorthand, capsys, "paper's shorthand")


def test_db_mistakes(capsys):
    rejected(checks.check_conv_db, lambda d: d.sum(axis=(2, 3)), capsys, "batch axis")
    rejected(checks.check_conv_db, lambda d: d.sum(axis=0), capsys, "untied")


# ---- chapter 08: dilation with trailing zeros, = instead of +=, missing 1/area, wrong tie, no dout

def test_dilate_trailing_zeros(capsys):
    def trailing(dy, s):
        out = np.zeros((dy.shape[0] * s, dy.shape[1] * s))
        out[::s, ::s] = dy
        return out
    rejected(checks.check_dilate, trailing, capsys, "no zeros after the last")


def assign_instead_of_add(kind):
    def fn(dout, x, size, stride):
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
    return fn


def test_avg_pool_missing_area(capsys):
    no_area = lambda dout, x, size, stride: ch08.avg_pool_backward(dout, x, size, stride) * size ** 2  # noqa
    rejected(checks.check_avg_pool_backward, no_area, capsys, "1/area is missing")


def test_avg_pool_assign(capsys):
    rejected(checks.check_avg_pool_backward, assign_instead_of_add("avg"), capsys, "not =")


def test_max_pool_assign(capsys):
    rejected(checks.check_max_pool_backward, assign_instead_of_add("max"), capsys, "not =")


def test_max_pool_last_max_at_ties(capsys):
    def last_max(dout, x, size, stride):
        dx = np.zeros(x.shape)
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                r, c = i * stride, j * stride
                window = x[r:r + size, c:c + size][::-1, ::-1]           # search from the end
                u, v = np.unravel_index(np.argmax(window), window.shape)
                dx[r + size - 1 - u, c + size - 1 - v] += dout[i, j]
        return dx
    rejected(checks.check_max_pool_backward, last_max, capsys, "first maximum")


def test_max_pool_spread_like_average(capsys):
    rejected(checks.check_max_pool_backward, ch08.avg_pool_backward, capsys, "Not yet")


def test_checks_do_not_share_state(capsys):
    # The cases are seeded inside each check: running a check twice prints the same thing.
    wrong = lambda dy, k: F.correlate2d(dy, k, "full")  # noqa: E731
    checks.check_conv_dx_single(wrong)
    first = capsys.readouterr().out
    checks.check_conv_dx_single(wrong)
    assert capsys.readouterr().out == first

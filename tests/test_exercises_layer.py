"""Chapters 03-05: each check rejects the typical mistakes."""
import numpy as np
import pytest

from cnnlib import checks
from cnnlib import functional as F
from notebooks.solutions import ch03_conv_layer as ch03, ch04_colour as ch04, ch05_pooling as ch05


def rejects(check, fn, capsys, hint_words):
    """The check says "Not yet" and its hint mentions hint_words."""
    assert check(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet"), out
    assert hint_words in out, out


# ---------------------------------------------------------------- chapter 03

def test_output_size_float_whole_number_accepted(capsys):
    assert checks.check_output_size(lambda n, f, p, s: float((n + 2 * p - f) // s + 1)) is True


@pytest.mark.parametrize("wrong, words", [
    (lambda n, f, p, s: (n + 2 * p - f) / s + 1, "without the floor"),
    (lambda n, f, p, s: int((n + 2 * p - f) / s + 1.5), "floor"),   # rounding instead of floor
    (lambda n, f, p, s: (n - f) // s + 1, "padding is missing"),
    (lambda n, f, p, s: n + 2 * p - f + 1, "stride is missing"),
    (lambda n, f, p, s: (n + p - f) // s + 1, "both sides"),
    (lambda n, f, p, s: (n + 2 * p - f) // s, "off by one"),
])
def test_output_size_rejects(wrong, words, capsys):
    rejects(checks.check_output_size, wrong, capsys, words)


@pytest.mark.parametrize("wrong, words", [
    (lambda f: (f // 2, f // 2), "f zeros in total"),
    (lambda f: ((f - 1) - (f - 1) // 2, (f - 1) // 2), "wrong side"),
    (lambda f: ((f - 1) / 2, (f - 1) / 2), "whole numbers"),   # half a zero for even kernels
    (lambda f: (f - 1) // 2, "pair"),
])
def test_same_padding_rejects(wrong, words, capsys):
    rejects(checks.check_same_padding, wrong, capsys, words)


# ---------------------------------------------------------------- chapter 04

def test_conv_one_filter_rejects(capsys):
    solution = ch04.conv_one_filter
    rejects(checks.check_conv_one_filter, lambda x, w, b: solution(x, w, 0.0), capsys, "bias")
    rejects(checks.check_conv_one_filter,
            lambda x, w, b: F.correlate2d(x[0], w[0]) + b, capsys, "channel 0")
    rejects(checks.check_conv_one_filter,
            lambda x, w, b: np.mean([F.correlate2d(x[c], w[c]) for c in range(len(x))], axis=0) + b,
            capsys, "mean")
    rejects(checks.check_conv_one_filter,
            lambda x, w, b: sum(F.convolve2d(x[c], w[c]) for c in range(len(x))) + b, capsys, "flipped")
    rejects(checks.check_conv_one_filter,
            lambda x, w, b: np.stack([F.correlate2d(x[c], w[c]) for c in range(len(x))]) + b,
            capsys, "one 2-D map")
    rejects(checks.check_conv_one_filter,   # off by one: the last row and column are missing
            lambda x, w, b: solution(x, w, b)[:-1, :-1], capsys, "(H - KH + 1, W - KW + 1)")


def test_conv_relu_rejects(capsys):
    def no_relu(x, w, b):
        return F.conv2d(x[None], w, b)[0]

    def bias_after(x, w, b):
        return np.maximum(F.conv2d(x[None], w)[0], 0) + b[:, None, None]

    def relu_per_channel(x, w, b):
        return sum(np.maximum(F.conv2d(x[None, c:c + 1], w[:, c:c + 1])[0], 0)
                   for c in range(x.shape[0])) + b[:, None, None]

    rejects(checks.check_conv_relu, no_relu, capsys, "ReLU is missing")
    rejects(checks.check_conv_relu, bias_after, capsys, "after ReLU")
    rejects(checks.check_conv_relu, relu_per_channel, capsys, "per channel")


# ---------------------------------------------------------------- chapter 05

def test_max_pool_rejects(capsys):
    solution = ch05.max_pool
    rejects(checks.check_max_pool, lambda x, size, stride: solution(x, size, size), capsys,
            "stride is ignored")
    rejects(checks.check_max_pool, lambda x, size, stride: solution(x, size, 1), capsys, "not 1")
    rejects(checks.check_max_pool,
            lambda x, size, stride: F.avg_pool2d(x[None, None], size, stride)[0, 0], capsys,
            "average pooling")

    def ceil_instead_of_floor(x, size, stride):  # pads the ragged edge and keeps a partial window
        H, W = x.shape
        H_out, W_out = -(-(H - size) // stride) + 1, -(-(W - size) // stride) + 1
        return np.array([[x[i * stride:i * stride + size, j * stride:j * stride + size].max()
                          for j in range(W_out)] for i in range(H_out)])

    rejects(checks.check_max_pool, ceil_instead_of_floor, capsys, "dropped")


def test_max_pool_does_not_accept_in_place_changes(capsys):
    def mutating(x, size, stride):
        out = ch05.max_pool(x, size, stride)
        x[0, 0] = 99.0
        return out

    rejects(checks.check_max_pool, mutating, capsys, "in place")


def test_flatten_index_rejects(capsys):
    rejects(checks.check_flatten_index, lambda c, i, j, s: (i * s[2] + j) * s[0] + c, capsys,
            "channels-last")
    rejects(checks.check_flatten_index, lambda c, i, j, s: c * s[1] * s[2] + i * s[1] + j, capsys,
            "a row is W long")
    rejects(checks.check_flatten_index, lambda c, i, j, s: c * s[1] * s[2] + i * s[2] + j + 1, capsys,
            "start at 0")


def test_flatten_index_agrees_with_numpy_reshape():
    x = np.arange(3 * 5 * 7).reshape(3, 5, 7)
    flat = x.reshape(-1)
    for c, i, j in [(0, 0, 0), (1, 2, 3), (2, 4, 6)]:
        assert flat[ch05.flatten_index(c, i, j, x.shape)] == x[c, i, j]

"""The checks of issue 16's exercises (cnnlib/checks/extra.py): right values pass in any container,
at least three classic wrong answers each are rejected, and each hint fires for its own mistake."""
import numpy as np
import pytest

from cnnlib import checks
from notebooks.solutions.ch03_conv_layer import conv2d_single
from notebooks.solutions.ch05_pooling import avg_pool, dense_forward


def run(check, fn, capsys):
    result = check(fn)
    return result, capsys.readouterr().out


# ----------------------------------------------------------------------------- conv2d_single

def conv_no_padding(x, w, b, stride, padding):
    return conv2d_single(x, w, b, stride, 0)


def conv_no_stride(x, w, b, stride, padding):
    return conv2d_single(x, w, b, 1, padding)


def conv_no_bias(x, w, b, stride, padding):
    return conv2d_single(x, w, 0.0, stride, padding)


def conv_flipped(x, w, b, stride, padding):
    return conv2d_single(x, w[::-1, ::-1], b, stride, padding)


def conv_square_kernel(x, w, b, stride, padding):
    f = w.shape[0]  # reads one size for both axes
    x_pad = np.pad(x, padding)
    n_i, n_j = (x_pad.shape[0] - f) // stride + 1, (x_pad.shape[1] - f) // stride + 1
    return np.array([[np.sum(x_pad[i * stride:i * stride + f, j * stride:j * stride + f] * w[:f, :f]) + b
                      for j in range(n_j)] for i in range(n_i)])


def conv_start_without_stride(x, w, b, stride, padding):
    full = conv2d_single(x, w, b, 1, padding)
    want = conv2d_single(x, w, b, stride, padding).shape
    return full[:want[0], :want[1]]


@pytest.mark.parametrize("wrong, hint", [
    (conv_no_padding, "padding is missing"),
    (conv_no_stride, "stride is missing"),
    (conv_no_bias, "bias b is missing"),
    (conv_flipped, "flipped"),
    (conv_square_kernel, "one size read for both axes"),
    (conv_start_without_stride, "i * stride"),
])
def test_conv2d_single_rejects_classic_mistakes(wrong, hint, capsys):
    ok, out = run(checks.check_conv2d_single, wrong, capsys)
    assert ok is False and out.startswith("Not yet") and hint in out


@pytest.mark.parametrize("container", [lambda a: a.tolist(), lambda a: tuple(map(tuple, a)),
                                       lambda a: a.astype(np.float32)])
def test_conv2d_single_accepts_right_values_in_any_container(container, capsys):
    ok, out = run(checks.check_conv2d_single, lambda *args: container(conv2d_single(*args)), capsys)
    assert ok is True and out.startswith("Correct") and "hint" not in out


# ----------------------------------------------------------------------------- avg_pool

def pool_max(x, size, stride):
    from notebooks.solutions.ch05_pooling import max_pool
    return max_pool(x, size, stride)


def pool_sum(x, size, stride):
    return avg_pool(x, size, stride) * size * size


def pool_ignore_stride(x, size, stride):
    return avg_pool(x, size, size)


def pool_start_without_stride(x, size, stride):
    want = avg_pool(x, size, stride).shape
    return avg_pool(x, size, 1)[:want[0], :want[1]]


def pool_ceil(x, size, stride):
    H, W = x.shape
    H_out, W_out = -(-(H - size) // stride) + 1, -(-(W - size) // stride) + 1
    pad = np.pad(x, ((0, size), (0, size)))
    return np.array([[pad[i * stride:i * stride + size, j * stride:j * stride + size].mean()
                      for j in range(W_out)] for i in range(H_out)])


@pytest.mark.parametrize("wrong, hint", [
    (pool_max, "max pooling"),
    (pool_sum, "sum of each window"),
    (pool_ignore_stride, "stride is ignored"),
    (pool_start_without_stride, "i * stride"),
    (pool_ceil, "expected shape"),
])
def test_avg_pool_rejects_classic_mistakes(wrong, hint, capsys):
    ok, out = run(checks.check_avg_pool, wrong, capsys)
    assert ok is False and out.startswith("Not yet") and hint in out


@pytest.mark.parametrize("container", [lambda a: a.tolist(), lambda a: tuple(map(tuple, a)),
                                       lambda a: a.astype(np.float32)])
def test_avg_pool_accepts_right_values_in_any_container(container, capsys):
    ok, out = run(checks.check_avg_pool, lambda *args: container(avg_pool(*args)), capsys)
    assert ok is True and "hint" not in out


# ----------------------------------------------------------------------------- dense_forward

@pytest.mark.parametrize("wrong, hint", [
    (lambda x, w, b: x @ w, "bias b is missing"),
    (lambda x, w, b: (x @ w + b).T, "transposed"),
    (lambda x, w, b: x @ w + b.sum(), "summed to one number"),
    (lambda x, w, b: (w.T @ x.T).sum(axis=0), "expected shape"),
])
def test_dense_forward_rejects_classic_mistakes(wrong, hint, capsys):
    ok, out = run(checks.check_dense_forward, wrong, capsys)
    assert ok is False and out.startswith("Not yet") and hint in out


@pytest.mark.parametrize("container", [lambda a: a.tolist(), lambda a: tuple(map(tuple, a)),
                                       lambda a: a.astype(np.float32)])
def test_dense_forward_accepts_right_values_in_any_container(container, capsys):
    ok, out = run(checks.check_dense_forward, lambda *args: container(dense_forward(*args)), capsys)
    assert ok is True and "hint" not in out


@pytest.mark.parametrize("check, solution", [(checks.check_conv2d_single, conv2d_single),
                                             (checks.check_avg_pool, avg_pool),
                                             (checks.check_dense_forward, dense_forward)])
def test_every_case_set_has_non_square_inputs_and_kernels(check, solution, capsys):
    seen = []

    def spy(*args):
        seen.append(args)
        return solution(*args)

    assert check(spy) is True
    arrays = [[a for a in args if isinstance(a, np.ndarray) and a.ndim == 2] for args in seen]
    assert any(arrs[0].shape[0] != arrs[0].shape[1] for arrs in arrays)  # a non-square input
    if check is not checks.check_avg_pool:                               # and a non-square kernel / matrix
        assert any(arrs[1].shape[0] != arrs[1].shape[1] for arrs in arrays)


@pytest.mark.parametrize("check", [checks.check_conv2d_single, checks.check_avg_pool, checks.check_dense_forward])
@pytest.mark.parametrize("bad", [[[1.0, 2.0], [3.0]], None, "text"])
def test_a_result_that_is_not_a_grid_is_reported_not_crashed(check, bad, capsys):
    assert check(lambda *args: bad) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and "expected" in out

"""Pooling (cnnlib/pool.py): vectorized equals loops, gradients checked by finite differences where
they are defined, and max-pool ties checked against the documented rule (first maximum, row-major)."""
import numpy as np
import pytest

from cnnlib import functional as F
from cnnlib.gradcheck import numerical_gradient, rel_error

# (H, W, size, stride): overlapping (stride < size), side by side, gaps (stride > size), floor cases
POOL_CASES = [
    (4, 4, 2, None), (5, 5, 2, None), (6, 7, 2, 2), (7, 6, 3, None), (6, 6, 3, 1), (7, 7, 3, 2),
    (5, 8, (2, 3), (1, 2)), (8, 5, (3, 2), None), (6, 6, 2, 3), (5, 5, 1, 2), (4, 6, (1, 2), None),
    (9, 9, 4, 2), (3, 3, 3, None),
]


def pool_id(case):
    return "H{}W{}-k{}-s{}".format(*case).replace(" ", "")


def distinct_input(rng, shape):
    """Values at least 0.1 apart (a shuffled ramp plus small noise): no ties, so the max is
    differentiable and finite differences with h = 1e-5 never swap the winner."""
    ramp = rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1
    return ramp + rng.uniform(0, 0.01, size=shape) - ramp.mean()


@pytest.mark.parametrize("case", POOL_CASES, ids=pool_id)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_equals_naive(case, kind):
    H, W, size, stride = case
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, H, W))
    fast, naive = (F.max_pool2d, F.max_pool2d_naive) if kind == "max" else (F.avg_pool2d, F.avg_pool2d_naive)
    back, back_naive = ((F.max_pool2d_backward, F.max_pool2d_backward_naive) if kind == "max"
                        else (F.avg_pool2d_backward, F.avg_pool2d_backward_naive))
    out = fast(x, size, stride)
    np.testing.assert_allclose(out, naive(x, size, stride), atol=1e-12)
    KH, KW = (size, size) if isinstance(size, int) else size
    sh, sw = (KH, KW) if stride is None else ((stride, stride) if isinstance(stride, int) else stride)
    assert out.shape == (2, 3, F.output_size(H, KH, 0, sh), F.output_size(W, KW, 0, sw))
    dout = rng.normal(size=out.shape)
    np.testing.assert_allclose(back(dout, x, size, stride), back_naive(dout, x, size, stride), atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", [(8, 8, 2, None), (7, 9, 2, 2), (6, 6, 3, 1)], ids=pool_id)
def test_pool_keeps_dtype(case, dtype):
    H, W, size, stride = case
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 2, H, W)).astype(dtype)
    for forward, backward in ((F.max_pool2d, F.max_pool2d_backward), (F.avg_pool2d, F.avg_pool2d_backward)):
        out = forward(x, size, stride)
        assert out.dtype == dtype
        dx = backward(np.ones_like(out), x, size, stride)
        assert dx.dtype == dtype and dx.shape == x.shape and dx.flags.c_contiguous


@pytest.mark.parametrize("case", POOL_CASES, ids=pool_id)
def test_max_pool_gradcheck_without_ties(case):
    H, W, size, stride = case
    rng = np.random.default_rng(2)
    x = distinct_input(rng, (2, 2, H, W))
    dout = rng.normal(size=F.max_pool2d(x, size, stride).shape)
    dx = F.max_pool2d_backward(dout, x, size, stride)
    assert rel_error(dx, numerical_gradient(lambda v: F.max_pool2d(v, size, stride), x, dout)) < 1e-8


@pytest.mark.parametrize("case", POOL_CASES, ids=pool_id)
def test_avg_pool_gradcheck(case):
    H, W, size, stride = case
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 2, H, W))
    dout = rng.normal(size=F.avg_pool2d(x, size, stride).shape)
    dx = F.avg_pool2d_backward(dout, x, size, stride)
    assert rel_error(dx, numerical_gradient(lambda v: F.avg_pool2d(v, size, stride), x, dout)) < 1e-8


def test_avg_pool_backward_is_dout_over_area():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    dout = np.array([[[[4.0, 8.0], [12.0, 16.0]]]])
    dx = F.avg_pool2d_backward(dout, x, 2)
    expected = np.kron(dout[0, 0] / 4, np.ones((2, 2)))      # each of the 4 cells gets dout / 4
    np.testing.assert_array_equal(dx[0, 0], expected)
    # a 2x3 window: area 6
    dx = F.avg_pool2d_backward(np.full((1, 1, 1, 1), 6.0), np.zeros((1, 1, 2, 3)), (2, 3))
    np.testing.assert_array_equal(dx, np.ones((1, 1, 2, 3)))


# ------------------------------------------------------------------ ties: the documented rule
# Finite differences are not valid at a tie (the max has a kink there), so ties are tested against
# the rule directly: the whole gradient of a window goes to its FIRST maximum in row-major order.

@pytest.mark.parametrize("backward", [F.max_pool2d_backward, F.max_pool2d_backward_naive])
def test_max_pool_ties_all_zero_windows_after_relu(backward):
    x = F.relu(-np.abs(np.random.default_rng(4).normal(size=(1, 1, 4, 4))))   # all zeros
    dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = backward(dout, x, 2)
    expected = np.zeros((4, 4))
    expected[0::2, 0::2] = [[1, 2], [3, 4]]                   # top-left of each 2x2 window
    np.testing.assert_array_equal(dx[0, 0], expected)


@pytest.mark.parametrize("backward", [F.max_pool2d_backward, F.max_pool2d_backward_naive])
def test_max_pool_ties_overlapping_windows_add_up(backward):
    # 4x4 zeros, 2x2 windows, stride 1: window (i, j) has its first max at (i, j)
    x = np.zeros((1, 1, 4, 4))
    dout = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    dx = backward(dout, x, 2, 1)
    expected = np.zeros((4, 4))
    expected[:3, :3] = dout[0, 0]
    np.testing.assert_array_equal(dx[0, 0], expected)
    # one big value at (1, 1) wins all four windows around it: its gradient is their sum (+=)
    x[0, 0, 1, 1] = 5.0
    dx = backward(dout, x, 2, 1)
    assert dx[0, 0, 1, 1] == 1 + 2 + 4 + 5
    assert dx.sum() == dout.sum()


@pytest.mark.parametrize("backward", [F.max_pool2d_backward, F.max_pool2d_backward_naive])
def test_max_pool_ties_partial(backward):
    window = np.array([[1.0, 3.0, 3.0], [3.0, 2.0, 0.0]])      # three 3s: the first is at (0, 1)
    dx = backward(np.full((1, 1, 1, 1), 7.0), window[None, None], (2, 3))
    expected = np.zeros((2, 3))
    expected[0, 1] = 7.0
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_max_pool_forward_values_by_hand():
    x = np.array([[1, 2, 5, 0],
                  [3, 4, 1, 1],
                  [0, 0, 2, 2],
                  [9, 0, 2, 8]], dtype=np.float32)[None, None]
    np.testing.assert_array_equal(F.max_pool2d(x, 2)[0, 0], [[4, 5], [9, 8]])
    np.testing.assert_array_equal(F.avg_pool2d(x, 2)[0, 0], [[2.5, 1.75], [2.25, 3.5]])
    np.testing.assert_array_equal(F.max_pool2d(x, 3, 1)[0, 0], [[5, 5], [9, 8]])


def test_max_pool_backward_with_the_forwards_output():
    rng = np.random.default_rng(21)
    x = np.maximum(rng.normal(size=(2, 3, 7, 8)), 0)                 # ReLU output: many tied zeros
    for size, stride in [(2, None), (3, 2), (2, 3)]:
        out = F.max_pool2d(x, size, stride)
        dout = rng.normal(size=out.shape)
        np.testing.assert_array_equal(F.max_pool2d_backward(dout, x, size, stride, out=out),
                                      F.max_pool2d_backward(dout, x, size, stride))
        with pytest.raises(ValueError, match="out has shape"):
            F.max_pool2d_backward(dout, x, size, stride, out=out[:, :1])


# ------------------------------------------------- ReLU then max-pool in one pass (cnnlib.pool)

@pytest.mark.parametrize("case", POOL_CASES, ids=pool_id)
def test_relu_max_pool_equals_relu_then_pool_and_the_loops(case):
    """relu_max_pool2d(_backward) = max_pool2d(relu(x)) and the ReLU backward of the max-pool backward,
    exactly; and the loops within rounding. Zeros and all-negative windows included (ties after ReLU)."""
    from cnnlib import pool
    H, W, size, stride = case
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 3, H, W))
    x[0, 0] = -np.abs(x[0, 0])                         # a channel whose windows are all <= 0
    x[1, 1, : H // 2] = 0.0                            # zeros: ties before and after ReLU
    pre, out = pool.relu_max_pool2d(x, size, stride)
    np.testing.assert_array_equal(out, F.max_pool2d(F.relu(x), size, stride))
    np.testing.assert_array_equal(out, F.max_pool2d_naive(np.maximum(x, 0), size, stride))   # the loops
    np.testing.assert_array_equal(pre, F.max_pool2d(x, size, stride))
    dout = rng.normal(size=out.shape)
    dx = pool.relu_max_pool2d_backward(dout, x, size, stride, pre=pre)
    np.testing.assert_array_equal(dx, F.relu_backward(F.max_pool2d_backward(dout, F.relu(x), size, stride), x))
    np.testing.assert_allclose(dx, pool.relu_max_pool2d_backward_naive(dout, x, size, stride), rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_array_equal(dx, pool.relu_max_pool2d_backward(dout, x, size, stride))   # pre=None


@pytest.mark.parametrize("case", POOL_CASES, ids=pool_id)
def test_relu_max_pool_gradcheck_without_ties(case):
    from cnnlib import pool
    H, W, size, stride = case
    rng = np.random.default_rng(6)
    x = distinct_input(rng, (2, 2, H, W))              # mixed signs, no value within 0.1 of another
    dout = rng.normal(size=F.max_pool2d(x, size, stride).shape)
    dx = pool.relu_max_pool2d_backward(dout, x, size, stride)
    numeric = numerical_gradient(lambda v: pool.relu_max_pool2d(v, size, stride)[1], x, dout)
    assert rel_error(dx, numeric) < 1e-8

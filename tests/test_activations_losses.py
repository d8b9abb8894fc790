"""ReLU and softmax cross-entropy (cnnlib/activations.py, cnnlib/losses.py)."""
import numpy as np
import pytest

from cnnlib import functional as F
from cnnlib.gradcheck import numerical_gradient, rel_error


def test_relu_values_and_gradcheck():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 4, 5))
    x[np.abs(x) < 1e-3] = 0.5                                  # keep away from the kink at 0
    np.testing.assert_array_equal(F.relu(x), np.where(x > 0, x, 0))
    dout = rng.normal(size=x.shape)
    dx = F.relu_backward(dout, x)
    assert rel_error(dx, numerical_gradient(F.relu, x, dout)) < 1e-9


def test_relu_backward_at_zero_is_zero_and_dtype_kept():
    x = np.array([-1.0, 0.0, 2.0], dtype=np.float32)
    dx = F.relu_backward(np.ones(3, dtype=np.float32), x)
    np.testing.assert_array_equal(dx, [0, 0, 1])
    assert dx.dtype == np.float32 and F.relu(x).dtype == np.float32


def test_softmax_rows_sum_to_one_and_shift_invariant():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(5, 10)) * 3
    p = F.softmax(logits)
    np.testing.assert_allclose(p.sum(axis=1), 1, atol=1e-12)
    np.testing.assert_allclose(F.softmax(logits + 1000), p, atol=1e-12)


def test_softmax_cross_entropy_known_values():
    loss, dlogits = F.softmax_cross_entropy(np.zeros((4, 10)), np.array([0, 3, 9, 2]))
    assert loss == pytest.approx(np.log(10))
    expected = np.full((4, 10), 0.1)
    expected[np.arange(4), [0, 3, 9, 2]] -= 1
    np.testing.assert_allclose(dlogits, expected / 4, atol=1e-15)


def test_softmax_cross_entropy_stable_on_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0], [5e3, 5e3, -5e3]])
    loss, dlogits = F.softmax_cross_entropy(logits, np.array([0, 2, 1]))
    assert np.isfinite(loss) and np.all(np.isfinite(dlogits))
    # row 0 right with certainty: 0; row 1 wrong by 1e4 - 3; row 2 a 50/50 tie: log 2
    assert loss == pytest.approx((0 + (1e4 - 3) + np.log(2)) / 3)
    with np.errstate(over="raise", divide="raise", invalid="raise"):   # no overflow, no log(0)
        F.softmax_cross_entropy(logits.astype(np.float32), np.array([0, 2, 1]))


def test_softmax_cross_entropy_gradcheck():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(6, 5)) * 2
    labels = rng.integers(0, 5, size=6)
    _, dlogits = F.softmax_cross_entropy(logits, labels)
    num = numerical_gradient(lambda v: F.softmax_cross_entropy(v, labels)[0], logits)
    assert rel_error(dlogits, num) < 1e-7
    np.testing.assert_allclose(dlogits.sum(axis=1), 0, atol=1e-15)   # each row of p - onehot sums to 0


# ------------------------------------------------------------------- the gradient checker itself

def test_numerical_gradient_on_known_functions_and_no_mutation():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3, 4))
    before = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v ** 2), x), 2 * x, atol=1e-8)
    dout = rng.normal(size=(3, 4))
    np.testing.assert_allclose(numerical_gradient(np.sin, x, dout), np.cos(x) * dout, atol=1e-8)
    np.testing.assert_array_equal(x, before)


def test_rel_error():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert rel_error(np.zeros(0), np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match=r"shapes differ"):
        rel_error(np.ones(3), np.ones(4))

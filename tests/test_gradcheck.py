"""numerical_gradient and rel_error."""
import numpy as np

from cnnlib.gradcheck import numerical_gradient, rel_error


def test_numerical_gradient_of_a_view_returning_function():
    # f returns a view of x (like Flatten's reshape): the nudged copy must not leak into `plus`.
    x = np.arange(6.0).reshape(2, 3)
    dout = np.ones(6)
    grad = numerical_gradient(lambda t: t.reshape(-1), x, dout)
    assert np.allclose(grad, np.ones((2, 3)))


def test_numerical_gradient_matches_analytic_and_keeps_input():
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    before = x.copy()
    grad = numerical_gradient(lambda t: np.sum(t ** 3), x)
    assert rel_error(grad, 3 * x ** 2) < 1e-8
    assert np.array_equal(x, before)


def test_rel_error_shapes_must_match():
    try:
        rel_error(np.zeros(2), np.zeros(3))
    except ValueError as error:
        assert "shapes differ" in str(error)
    else:
        raise AssertionError("rel_error accepted different shapes")

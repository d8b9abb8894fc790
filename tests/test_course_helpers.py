"""Helpers added for issue 16: softmax regression (ch01), learning a kernel (ch02), receptive fields
(ch04). Every gradient is checked against finite differences."""
import numpy as np
import pytest

from cnnlib import functional as F
from cnnlib.gradcheck import numerical_gradient, rel_error
from cnnlib.learn_kernel import fit_kernel, kernel_loss_and_grad
from cnnlib.receptive_field import influence_map, stacked_field_size
from cnnlib.softmax_regression import accuracy, loss_and_grads, scores, train_softmax_regression


def test_softmax_regression_gradients_pass_gradcheck():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    w, b = rng.normal(size=(5, 3)), rng.normal(size=3)
    _, dw, db = loss_and_grads(w, b, x, y)
    assert rel_error(dw, numerical_gradient(lambda w_: loss_and_grads(w_, b, x, y)[0], w)) < 1e-7
    assert rel_error(db, numerical_gradient(lambda b_: loss_and_grads(w, b_, x, y)[0], b)) < 1e-7


def test_softmax_regression_learns_and_uses_inputs_by_outputs():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 4))
    y = np.argmax(x[:, :3], axis=1)  # a separable problem
    w, b = train_softmax_regression(x, y, n_classes=3, steps=200, lr=0.5)
    assert w.shape == (4, 3) and b.shape == (3,)  # (inputs, outputs), like layers.Dense
    assert accuracy(w, b, x, y) > 0.9
    assert np.allclose(scores(w, b, x), x @ w + b)


def test_softmax_regression_does_not_change_its_inputs_and_explains_bad_shapes():
    x, y = np.ones((3, 2)), np.array([0, 1, 0])
    x_before = x.copy()
    train_softmax_regression(x, y, n_classes=2, steps=3)
    assert np.array_equal(x, x_before)
    with pytest.raises(ValueError, match="reshape"):
        train_softmax_regression(np.ones((3, 2, 2)), y)
    with pytest.raises(ValueError, match="one row per input"):
        accuracy(np.ones((5, 2)), np.zeros(2), x, y)


def test_kernel_gradient_passes_gradcheck():
    rng = np.random.default_rng(2)
    images, k = rng.normal(size=(3, 6, 7)), rng.normal(size=(2, 3))
    targets = rng.normal(size=(3, 5, 5))
    _, dk = kernel_loss_and_grad(k, images, targets)
    assert rel_error(dk, numerical_gradient(lambda k_: kernel_loss_and_grad(k_, images, targets)[0], k)) < 1e-7


def test_fit_kernel_recovers_a_non_square_kernel():
    rng = np.random.default_rng(3)
    images = rng.normal(size=(4, 9, 8))
    true = np.array([[1., 0., -1.], [2., 0., -2.]])  # 2x3
    targets = np.stack([F.correlate2d(x, true) for x in images])
    k, history = fit_kernel(images, targets, true.shape, steps=200, lr=0.2, record=(0, 200))
    assert np.abs(k - true).max() < 1e-6
    assert history[0][1] > 1 and history[200][1] < 1e-10 and np.array_equal(history[0][0], np.zeros((2, 3)))


def test_fit_kernel_explains_mismatched_targets():
    with pytest.raises(ValueError, match="valid"):
        kernel_loss_and_grad(np.zeros((3, 3)), np.zeros((2, 6, 6)), np.zeros((2, 6, 6)))


def test_two_stacked_3x3_see_5x5():
    rng = np.random.default_rng(4)
    a, b = rng.random((3, 3)) + 0.1, rng.random((3, 3)) + 0.1  # positive: no cancellation

    def two_layers(x):
        return F.correlate2d(F.correlate2d(x, a), b)

    seen = influence_map(two_layers, np.zeros((9, 8)), (1, 2))
    rows, cols = np.nonzero(seen)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (1, 5, 2, 6)
    assert seen.sum() == 25 == stacked_field_size([3, 3]) ** 2
    # a non-square kernel: 2x3 then 3x3 sees 4x5
    seen = influence_map(lambda x: F.correlate2d(F.correlate2d(x, np.ones((2, 3))), b), np.zeros((8, 9)), (0, 0))
    assert seen.sum() == 20 and seen[:4, :5].all()
    with pytest.raises(ValueError, match="one image"):
        influence_map(two_layers, np.zeros((1, 9, 9)), (0, 0))


def test_best_kernel_finds_an_exact_single_layer_and_measures_a_miss():
    from cnnlib.learn_kernel import best_kernel
    rng = np.random.default_rng(5)
    image, a, b = rng.normal(size=(12, 11)), rng.normal(size=(3, 2)), rng.normal(size=(2, 3))
    two_linear = F.correlate2d(F.correlate2d(image, a) + 0.5, b) - 1.0
    k, bias, error = best_kernel(image, two_linear, (4, 4))
    assert error < 1e-10 and np.allclose(k, F.convolve2d(a, b, "full"))
    assert bias == pytest.approx(0.5 * b.sum() - 1.0)
    with_relu = F.correlate2d(F.relu(F.correlate2d(image, a) + 0.5), b) - 1.0
    assert best_kernel(image, with_relu, (4, 4))[2] > 0.1
    with pytest.raises(ValueError, match="valid"):
        best_kernel(image, with_relu, (3, 3))

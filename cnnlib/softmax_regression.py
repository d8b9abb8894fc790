"""Chapter 01's smallest dense classifier: softmax regression trained by plain gradient descent.

    train_softmax_regression(x, y, n_classes=10, steps=50, lr=0.5) -> (w, b)
    scores(w, b, x) -> (N, K)        one dense layer, out = x w + b (eq. 1.1)
    accuracy(w, b, x, y) -> float    share of rows whose largest score is the label

x: (N, D) flattened images, y: (N,) integer labels, w: (D, K) (inputs, outputs: the orientation of
`layers.Dense` and of every dense layer in the course), b: (K,).

What a step does (derived in chapters 07 and 10): softmax turns the K scores of an image into
probabilities, cross-entropy is -log(probability of the right label), and its gradient
dL/dscores = (p - onehot(y)) / N flows back through out = x w + b as dL/dw = x^T dscores,
dL/db = sum of dscores over the batch; gradient descent moves w and b a step lr against it.
"""
import numpy as np

from .losses import softmax_cross_entropy


def _check(x, y, w=None, name="train_softmax_regression"):
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2:
        raise ValueError(f"{name}: x must be (N, D) flattened images, got shape {x.shape}. "
                         f"Fix: x.reshape(len(x), -1).")
    if y.shape != (len(x),):
        raise ValueError(f"{name}: y must be (N,) = ({len(x)},) labels to match x {x.shape}, got {y.shape}.")
    if w is not None and w.shape[0] != x.shape[1]:
        raise ValueError(f"{name}: w is (D, K) = {w.shape} but x has D = {x.shape[1]} columns; "
                         f"w must have one row per input.")
    return x, y


def scores(w, b, x):
    """One dense layer: x (N, D) @ w (D, K) + b (K,) -> (N, K), eq. (1.1) of chapter 01."""
    return np.asarray(x) @ w + b


def loss_and_grads(w, b, x, y):
    """Mean softmax cross-entropy of scores(w, b, x) against y, and its gradients (dw (D, K), db (K,))."""
    loss, dscores = softmax_cross_entropy(scores(w, b, x), y)  # dscores: (N, K)
    return loss, x.T @ dscores, dscores.sum(axis=0)            # dL/dw = x^T dscores: (D, K)


def train_softmax_regression(x, y, n_classes=10, steps=50, lr=0.5):
    """Gradient descent from zero weights. Returns w (D, K), b (K,) in x's float dtype.

    Deterministic (no randomness): the same data in the same order gives the same weights, which
    is what lets chapter 01 compare a run on shuffled pixels with a run on the original ones."""
    x, y = _check(x, y)
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    x = x.astype(dtype, copy=False)
    w, b = np.zeros((x.shape[1], n_classes), dtype), np.zeros(n_classes, dtype)
    for _ in range(int(steps)):
        _, dw, db = loss_and_grads(w, b, x, y)
        w = w - lr * dw  # new arrays: nothing a caller holds is changed
        b = b - lr * db
    return w, b


def accuracy(w, b, x, y):
    """Share (0..1) of the rows of x (N, D) whose largest score is their label y (N,)."""
    x, y = _check(x, y, np.asarray(w), "accuracy")
    return float(np.mean(np.argmax(scores(w, b, x), axis=1) == y))

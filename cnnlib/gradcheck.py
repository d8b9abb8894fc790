"""Gradient checking: compare an analytic gradient with centred finite differences.

    df/dx[i] ~ (f(x + h e_i) - f(x - h e_i)) / (2h)          error O(h^2)

Use float64: with float32 the rounding error of f swamps the O(h^2) term.
"""
import numpy as np


def rel_error(a, b, eps=1e-12):
    """Largest relative difference max |a - b| / max(|a| + |b|, eps); ~1e-8 or less means 'equal'."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, {a.shape} vs {b.shape}.")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), eps))) if a.size else 0.0


def numerical_gradient(f, x, dout=None, h=1e-5):
    """Centred-difference gradient of sum(f(x) * dout) with respect to x.

    f: function of x returning an array (or a scalar when dout is None),
    x: float64 array (not changed: each entry is nudged on a copy and restored),
    dout: upstream gradient shaped like f(x), or None for a scalar f.
    Returns an array shaped like x.
    """
    x = np.array(x, dtype=np.float64)  # our own copy
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = np.array(f(x), dtype=np.float64)  # a copy: f may return a view of x
        x[idx] = old - h
        minus = np.array(f(x), dtype=np.float64)
        x[idx] = old
        diff = plus - minus
        grad[idx] = (diff.sum() if dout is None else np.sum(diff * dout)) / (2 * h)
    return grad

"""Chapter 02's demo that kernels are learned: recover a kernel from input/output pairs.

Given images x_n (H, W) and targets y_n = correlate2d(x_n, k_true) ('valid'), find k by gradient
descent on the mean squared error

    L(k) = (1/M) sum_n sum_{i,j} (correlate2d(x_n, k)[i, j] - y_n[i, j])^2,   M = number of outputs,

whose gradient is itself a cross-correlation (eq. (2.4) of chapter 02, the error as the kernel):

    dL/dk[u, v] = (2/M) sum_n sum_{i,j} e_n[i, j] x_n[i + u, j + v] = (2/M) sum_n correlate2d(x_n, e_n)[u, v]

with e_n = correlate2d(x_n, k) - y_n. Chapter 07 derives this for a whole layer.

    kernel_loss_and_grad(k, images, targets) -> (loss, dk)
    fit_kernel(images, targets, shape, steps, lr, record) -> (k, history)
    best_kernel(image, target, shape) -> (k, bias, relative_error)   least squares, used by chapter 04
"""
import numpy as np

from .conv import correlate2d


def _check(k, images, targets):
    k, images, targets = np.asarray(k, float), np.asarray(images, float), np.asarray(targets, float)
    if images.ndim != 3 or k.ndim != 2:
        raise ValueError(f"kernel_loss_and_grad: images must be (N, H, W) and k (KH, KW), got "
                         f"{images.shape} and {k.shape}.")
    N, H, W = images.shape
    KH, KW = k.shape
    want = (N, H - KH + 1, W - KW + 1)
    if targets.shape != want:
        raise ValueError(f"kernel_loss_and_grad: targets must be the 'valid' outputs (N, H - KH + 1, "
                         f"W - KW + 1) = {want} for images {images.shape} and a {KH}x{KW} kernel, got "
                         f"{targets.shape}.")
    return k, images, targets


def kernel_loss_and_grad(k, images, targets):
    """Mean squared error of correlate2d(x_n, k) against targets, and dL/dk (KH, KW).

    k: (KH, KW), images: (N, H, W), targets: (N, H - KH + 1, W - KW + 1)."""
    k, images, targets = _check(k, images, targets)
    errors = np.stack([correlate2d(x, k) for x in images]) - targets  # (N, H_out, W_out)
    M = errors.size
    dk = sum(correlate2d(x, e) for x, e in zip(images, errors)) * (2.0 / M)  # (KH, KW)
    return float(np.sum(errors ** 2) / M), dk


def fit_kernel(images, targets, shape=(3, 3), steps=100, lr=0.5, record=()):
    """Gradient descent from a zero kernel of `shape`. Returns (k, history).

    history: {step: (k at that step (a copy), loss)} for every step in `record` (0 = the start)."""
    k = np.zeros(shape)
    history = {}
    for step in range(int(steps) + 1):
        loss, dk = kernel_loss_and_grad(k, images, targets)
        if step in record:
            history[step] = (k.copy(), loss)
        if step < steps:
            k = k - lr * dk
    return k, history


def best_kernel(image, target, shape):
    """The single layer (kernel of `shape` plus one bias) closest to `target` in least squares.

    image: (H, W), target: (H - KH + 1, W - KW + 1). Returns (k (KH, KW), bias, relative_error) with
    relative_error = |fit - target| / |target - mean(target)|: 0 when one layer reproduces the target
    exactly, near 1 when it does no better than a constant."""
    image, target = np.asarray(image, float), np.asarray(target, float)
    KH, KW = shape
    if target.shape != (image.shape[0] - KH + 1, image.shape[1] - KW + 1):
        raise ValueError(f"best_kernel: target must be the 'valid' output {image.shape[0] - KH + 1, image.shape[1] - KW + 1} "
                         f"of a {KH}x{KW} kernel on an image {image.shape}, got {target.shape}.")
    windows = np.lib.stride_tricks.sliding_window_view(image, (KH, KW)).reshape(-1, KH * KW)  # (M, KH*KW)
    design = np.hstack([windows, np.ones((len(windows), 1))])                                  # + a bias column
    solution, *_ = np.linalg.lstsq(design, target.ravel(), rcond=None)
    fit = design @ solution
    spread = np.linalg.norm(target - target.mean())
    error = float(np.linalg.norm(fit - target.ravel()) / spread) if spread > 0 else 0.0
    return solution[:-1].reshape(KH, KW), float(solution[-1]), error

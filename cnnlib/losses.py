"""Softmax cross-entropy: the loss of a classifier, and its gradient with respect to the logits."""
import numpy as np

from .shapes import check_array


def softmax(logits):
    """Row-wise softmax, numerically stable (the row maximum is subtracted first).

    logits: (N, K). Returns probabilities (N, K), each row summing to 1.
    """
    logits = check_array(logits, "logits", 2, "softmax", float_only=True)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) against integer labels, and its gradient.

        loss     = -(1/N) sum_n log p[n, labels[n]],   p = softmax(logits)
        dlogits  = (p - onehot(labels)) / N

    logits: (N, K) float, labels: (N,) ints in [0, K). Returns (loss: float, dlogits: (N, K)).
    Stable: log p is computed as shifted - log(sum(exp(shifted))), never log(0).
    """
    logits = check_array(logits, "logits", 2, "softmax_cross_entropy", float_only=True)
    labels = np.asarray(labels)
    N, K = logits.shape
    if labels.shape != (N,):
        raise ValueError(f"softmax_cross_entropy: labels must have shape (N,) = ({N},) to match "
                         f"logits {logits.shape}, got {labels.shape}.")
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"softmax_cross_entropy: labels must be integers (class numbers), got dtype "
                        f"{labels.dtype}. Fix: labels.astype(np.int64).")
    if N and (labels.min() < 0 or labels.max() >= K):
        raise ValueError(f"softmax_cross_entropy: labels must be in [0, {K}) for {K} classes, got "
                         f"values from {labels.min()} to {labels.max()}.")
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, K)
    loss = -log_p[np.arange(N), labels].mean()
    dlogits = np.exp(log_p)
    dlogits[np.arange(N), labels] -= 1
    return float(loss), dlogits / N

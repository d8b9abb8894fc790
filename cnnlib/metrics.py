"""Classification metrics, numpy only: how a trained classifier does, class by class (chapter 10).

    confusion_matrix(y_true, y_pred, num_classes)   (K, K) counts: row = true class, column = predicted
    per_class_accuracy(cm)                          (K,) recall of each class: diagonal / row sum
    confident_mistakes(proba, y_true, k)            indices of the k wrong predictions the model was surest of
"""
import numpy as np


def _labels(y, name, where):
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{where}: {name} must be a 1-D array of integer class ids, got shape {y.shape}, "
                         f"dtype {y.dtype}.")
    return y


def confusion_matrix(y_true, y_pred, num_classes=10):
    """Counts of (true class, predicted class) pairs.

    y_true, y_pred: (N,) ints in [0, num_classes). Returns cm: (K, K) int64 with
    cm[t, p] = number of samples of class t predicted as p. Row sums = samples per class; the
    diagonal = correct predictions; cm.trace() / N = accuracy.
    """
    y_true = _labels(y_true, "y_true", "confusion_matrix")
    y_pred = _labels(y_pred, "y_pred", "confusion_matrix")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"confusion_matrix: y_true {y_true.shape} and y_pred {y_pred.shape} must have the "
                         "same length (one prediction per sample).")
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.size and (y.min() < 0 or y.max() >= num_classes):
            raise ValueError(f"confusion_matrix: {name} has values {y.min()}..{y.max()}, outside "
                             f"0..{num_classes - 1}. Fix: pass num_classes.")
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)  # += 1 per sample; add.at counts repeated pairs correctly
    return cm


def per_class_accuracy(cm):
    """Accuracy on each class (its recall): correct / samples of that class = diag(cm) / row sums.

    cm: (K, K) confusion matrix, rows = true class. Returns (K,) float64; a class with no samples
    gets nan (there is nothing to be right or wrong about).
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"per_class_accuracy: cm must be a square (K, K) confusion matrix, got shape {cm.shape}.")
    rows = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rows > 0, np.diag(cm) / np.maximum(rows, 1), np.nan)


def confident_mistakes(proba, y_true, k=10):
    """The k wrong predictions the model was most sure of.

    proba: (N, K) class probabilities, y_true: (N,). Returns indices (k,) into the N samples, most
    confident first (confidence = the probability given to the predicted, wrong class).
    """
    proba = np.asarray(proba)
    y_true = _labels(y_true, "y_true", "confident_mistakes")
    if proba.ndim != 2 or len(proba) != len(y_true):
        raise ValueError(f"confident_mistakes: proba must be (N, K) with N = len(y_true) = {len(y_true)}, "
                         f"got shape {proba.shape}.")
    pred = proba.argmax(axis=1)
    wrong = np.flatnonzero(pred != y_true)
    confidence = proba[wrong, pred[wrong]]
    order = np.argsort(-confidence, kind="stable")  # most confident first; ties keep index order
    return wrong[order[:k]]

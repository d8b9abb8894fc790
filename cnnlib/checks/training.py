"""Checks for chapter 10 (training on MNIST): ``check_<name>(student_fn)``.

    check_confusion_matrix(fn)      fn(y_true (N,), y_pred (N,), num_classes) -> (K, K) counts,
                                    rows = true class, columns = predicted class
    check_per_class_accuracy(fn)    fn(cm (K, K)) -> (K,) accuracy of each class = diagonal / row sums

Each prints a verdict (and, for a typical mistake, a hint) and returns True / False; an unfinished
exercise (NotImplementedError) prints "Not done yet" without failing the notebook.
"""
import numpy as np

from ..metrics import confusion_matrix, per_class_accuracy
from .core import run_check

__all__ = ["check_confusion_matrix", "check_per_class_accuracy"]


def _label_cases():
    rng = np.random.default_rng(10)
    y_true = rng.integers(0, 4, 30)
    y_pred = np.where(rng.random(30) < 0.7, y_true, rng.integers(0, 4, 30))
    return [
        ("3 samples, all right", (np.array([0, 1, 2]), np.array([0, 1, 2]), 3)),
        ("one 0 predicted as 1: row 0 (true), column 1 (predicted)", (np.array([0, 0, 1]), np.array([0, 1, 1]), 2)),
        ("the same pair twice: it counts 2", (np.array([2, 2, 0]), np.array([1, 1, 0]), 3)),
        ("a class that never occurs keeps a row of zeros", (np.array([0, 1]), np.array([1, 0]), 4)),
        ("30 random labels, 4 classes", (y_true, y_pred, 4)),
    ]


def _confusion_hint(args, got, want):
    got = np.asarray(got)
    if got.shape != want.shape:
        return f"the result must be (num_classes, num_classes) = {want.shape}, whatever labels occur."
    if np.array_equal(got, want.T):
        return "rows and columns are swapped: cm[true, predicted], the row is the true class."
    if np.array_equal(got, (want > 0).astype(got.dtype)):
        return ("a pair that occurs twice must count 2: with fancy indexing cm[t, p] += 1 adds only once "
                "per repeated pair; loop over the samples, or use np.add.at(cm, (y_true, y_pred), 1).")
    return None


def check_confusion_matrix(student_fn):
    """fn(y_true, y_pred, num_classes) -> (K, K) int counts, cm[t, p] = samples of class t predicted as p."""
    return run_check("confusion_matrix", student_fn, confusion_matrix, _label_cases(), atol=0,
                     hint=_confusion_hint)


def _cm_cases():
    cm3 = np.array([[8, 2, 0], [1, 3, 0], [0, 5, 5]])
    rng = np.random.default_rng(11)
    cm10 = rng.integers(0, 5, (10, 10)) + np.diag(rng.integers(80, 120, 10))
    return [
        ("2 classes, all right", (np.array([[5, 0], [0, 7]]),)),
        ("3 classes, hand-checkable: 8/10, 3/4, 5/10", (cm3,)),
        ("every sample predicted as class 0", (np.array([[5, 0], [5, 0]]),)),
        ("10 classes, random counts", (cm10,)),
    ]


def _per_class_hint(args, got, want):
    (cm,) = args
    got = np.asarray(got, dtype=float)
    if got.shape != want.shape:
        return f"return one number per class: shape ({len(cm)},)."
    with np.errstate(invalid="ignore", divide="ignore"):
        by_columns = np.diag(cm) / cm.sum(axis=0)
    if np.allclose(got, by_columns, equal_nan=True):
        return ("that divides by the column sums (how often each class was PREDICTED: precision). Accuracy "
                "on a class divides its correct count by how many samples it HAS: the row sum.")
    if np.allclose(got, np.diag(cm) / cm.sum()):
        return "divide each class's correct count by that class's number of samples (its row sum), not by all N."
    if np.allclose(got, 100 * want):
        return "give fractions in [0, 1], not percentages."
    return None


def check_per_class_accuracy(student_fn):
    """fn(cm) -> (K,) floats: cm[k, k] / cm[k].sum() for every class k (rows = true class)."""
    return run_check("per_class_accuracy", student_fn, per_class_accuracy, _cm_cases(), atol=1e-9,
                     hint=_per_class_hint)

"""Chapter 10: each check rejects the typical mistakes."""
import numpy as np
import pytest

from cnnlib import checks
from notebooks.solutions import ch10_training as ch10


def swapped(y_true, y_pred, num_classes):
    return ch10.confusion_matrix(y_pred, y_true, num_classes)


def fancy_index(y_true, y_pred, num_classes):
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    cm[y_true, y_pred] += 1  # repeated pairs count once
    return cm


def only_seen_classes(y_true, y_pred, num_classes):
    k = int(max(y_true.max(), y_pred.max())) + 1
    return ch10.confusion_matrix(y_true, y_pred, k)


@pytest.mark.parametrize("wrong, hint", [
    (swapped, "swapped"), (fancy_index, "np.add.at"), (only_seen_classes, "(num_classes, num_classes)")])
def test_confusion_matrix_rejects_mistakes(wrong, hint, capsys):
    assert checks.check_confusion_matrix(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and hint in out


def by_columns(cm):
    return np.diag(cm) / cm.sum(axis=0)


def by_total(cm):
    return np.diag(cm) / cm.sum()


def in_percent(cm):
    return 100 * ch10.per_class_accuracy(cm)


@pytest.mark.parametrize("wrong, hint", [
    (by_columns, "column sums"), (by_total, "not by all N"), (in_percent, "percentages")])
def test_per_class_accuracy_rejects_mistakes(wrong, hint, capsys):
    assert checks.check_per_class_accuracy(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and hint in out

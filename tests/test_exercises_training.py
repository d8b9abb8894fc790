"""Chapter 10: every solution passes its check, and each check rejects the typical mistakes."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from cnnlib import checks

SOLUTIONS = Path(__file__).resolve().parent.parent / "notebooks" / "solutions"
spec = importlib.util.spec_from_file_location("ch10_training", SOLUTIONS / "ch10_training.py")
ch10 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ch10)


@pytest.mark.parametrize("check, solution", [
    (checks.check_confusion_matrix, ch10.confusion_matrix),
    (checks.check_per_class_accuracy, ch10.per_class_accuracy),
])
def test_solution_passes(check, solution, capsys):
    assert check(solution) is True
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize("check", [checks.check_confusion_matrix, checks.check_per_class_accuracy])
def test_not_done_yet(check, capsys):
    def unfinished(*args):
        raise NotImplementedError
    assert check(unfinished) is False
    assert capsys.readouterr().out.startswith("Not done yet")


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

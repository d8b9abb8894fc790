"""Issue 16, the rule for every check: an answer with the right values is accepted whatever its type.

For EVERY check_<name> in cnnlib.checks (found by name, like tests/test_exercises_all.py), the
solution's result is handed back in other types with the same values, and the check must say
"Correct" (and print no hint):
    an int       as a whole float, a numpy int, a numpy float
    a float      as a numpy float, a 0-d array
    a tuple      (a shape, a pair) as a list, as a tuple of numpy ints / whole floats;
                 of floats (a point) as a list, a 1-D array, a tuple of numpy floats
    a list       as a tuple, a 1-D numpy array, a list of numpy ints
    an array     as a nested list, nested tuples, an array of another dtype
A numpy array standing for a tuple (a shape) is refused on purpose: `x.shape == array` is not
True / False, so check_output_shape explains that instead (tested in test_checks_wrong.py).
"""
import numbers

import numpy as np
import pytest

from cnnlib import checks
from tests.test_exercises_all import CHECKS, solution_for


def _nested_tuple(a):
    return tuple(_nested_tuple(row) for row in a) if a.ndim > 1 else tuple(a.tolist())


def _other_dtype(a):
    if a.dtype.kind in "iu":
        return a.astype(np.float64)
    if np.all(np.isfinite(a)) and np.all(a == np.round(a)):
        return a.astype(np.int64)  # whole numbers: the same values as ints
    return a.astype(np.longdouble)


def variants(value):
    """(name, transform) pairs that keep the value of `value` and change its type."""
    if isinstance(value, (bool, np.bool_)):
        return []
    if isinstance(value, (int, np.integer)):
        return [("whole float", float), ("numpy int", np.int64), ("numpy float", np.float64)]
    if isinstance(value, (float, np.floating)):
        return [("numpy float", np.float64), ("0-d array", np.array)]
    if isinstance(value, tuple) and all(isinstance(v, numbers.Integral) for v in value):
        return [("list", list), ("tuple of numpy ints", lambda t: tuple(np.int64(v) for v in t)),
                ("tuple of whole floats", lambda t: tuple(float(v) for v in t))]
    if isinstance(value, tuple) and all(isinstance(v, numbers.Real) for v in value):  # a (row, col) point
        return [("list", list), ("1-D array", np.array),
                ("tuple of numpy floats", lambda t: tuple(np.float64(v) for v in t))]
    if isinstance(value, list):
        return [("tuple", tuple), ("1-D array", np.array), ("list of numpy ints", lambda v: [np.int64(i) for i in v])]
    if isinstance(value, np.ndarray):
        return [("nested list", lambda a: a.tolist()), ("nested tuples", _nested_tuple),
                ("other dtype", _other_dtype)]
    raise AssertionError(f"no variants known for {type(value).__name__}: extend this test")


def _kinds(check_name):
    """The variant names that apply to every result the solution gives on the check's cases."""
    solution, results = solution_for(check_name), []

    def spy(*args):
        results.append(solution(*args))
        return results[-1]

    getattr(checks, check_name)(spy)
    assert results, check_name
    names = [[name for name, _ in variants(r)] for r in results]
    return [name for name in names[0] if all(name in n for n in names)]


RULE_CASES = [(check_name, kind) for check_name in CHECKS for kind in _kinds(check_name)]


def test_every_check_has_variants():
    covered = {check_name for check_name, _ in RULE_CASES}
    assert covered == set(CHECKS), set(CHECKS) - covered


@pytest.mark.parametrize("check_name, kind", RULE_CASES)
def test_right_values_in_any_type_are_accepted(check_name, kind, capsys):
    solution = solution_for(check_name)

    def answer(*args):
        value = solution(*args)
        transform = dict(variants(value))[kind]
        return transform(value)

    result = getattr(checks, check_name)(answer)
    out = capsys.readouterr().out
    assert result is True, out
    assert out.startswith("Correct") and "hint" not in out, out


@pytest.mark.parametrize("check, right", [
    (checks.check_dense_params, lambda n_in, n_out: float(n_in * n_out + n_out)),
    (checks.check_conv_params, lambda c, f, k: f * (c * k ** 2.0 + 1)),      # math.pow / ** 2.0: a float
    (checks.check_flat_neighbours, lambda r, c, H, W: tuple(solution_for("check_flat_neighbours")(r, c, H, W))),
])
def test_the_false_rejects_named_in_issue_16_are_accepted(check, right, capsys):
    assert check(right) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct") and "hint" not in out, out


@pytest.mark.parametrize("check_name", ["check_dense_params", "check_output_size", "check_im2col_bytes"])
def test_a_number_that_is_not_whole_is_still_wrong(check_name, capsys):
    solution = solution_for(check_name)
    assert getattr(checks, check_name)(lambda *args: solution(*args) + 0.5) is False
    assert capsys.readouterr().out.startswith("Not yet")


def test_a_bool_or_text_is_not_a_number(capsys):
    assert checks.check_dense_params(lambda n_in, n_out: str(n_in * n_out + n_out)) is False
    assert checks.check_dense_params(lambda n_in, n_out: True) is False
    capsys.readouterr()

"""The harness every ``check_<name>`` uses: run cases, compare with the reference, explain."""
import numbers

import numpy as np

NOT_DONE = "Not done yet"


def _copy(value):
    """Deep-enough copy of a case argument so the learner's function cannot change our case."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_copy(v) for v in value)
    return value


CORNER = 3  # a failure message shows at most a CORNER x CORNER top-left corner of an array


def _describe(value):
    """Short text for an argument or result: small arrays whole, larger ones as their shape and
    top-left CORNER x CORNER corner (a whole 28x28 array would bury the message); other values as repr."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return repr(value.item())
        if value.ndim == 1:
            corner = value[:CORNER * CORNER]
        else:
            corner = value[(0,) * (value.ndim - 2) + (slice(0, CORNER),) * 2]
        whole = corner.size == value.size
        with np.printoptions(precision=3, suppress=True, threshold=CORNER * CORNER + 1, linewidth=100):
            text = np.array2string(corner, prefix="  ")
        if whole:
            return f"array of shape {value.shape}:\n  {text}"
        if value.ndim == 1:
            return f"array of shape {value.shape}, its first {CORNER * CORNER} numbers only:\n  {text} ..."
        lead = "" if value.ndim == 2 else "[" + "0, " * (value.ndim - 2) + "...] "
        return f"array of shape {value.shape}, its top-left corner {lead}only:\n  {text} ..."
    if isinstance(value, tuple):
        return "(" + ", ".join(_describe(v) for v in value) + ")"
    if isinstance(value, list) and len(value) > CORNER * CORNER:
        return repr(value[:CORNER * CORNER])[:-1] + f", ... ({len(value)} items)]"
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + " ..."


def _is_number(value):
    """True for a Python or numpy number (not a bool) and for a 0-d numeric array."""
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_, complex))


def _same(got, want, atol):
    """True if `got` has the value `want` has; the type of the container or number does not matter.

    want a tuple (a shape, a pair): got a tuple or list, item by item (a numpy array is refused:
        it cannot stand for a shape, e.g. `x.shape == array` is not True / False).
    want a list of numbers: got a list, tuple or 1-D array with the same numbers, in order.
    want an array: got anything numpy turns into an array of that shape, values within atol.
    want a float: any number within atol. want an int: any number equal to it (3.0 counts as 3).
    """
    if isinstance(want, tuple):
        return isinstance(got, (tuple, list)) and len(got) == len(want) and all(
            _same(g, w, atol) for g, w in zip(got, want))
    if isinstance(want, list):
        if isinstance(got, np.ndarray):
            got = got.tolist() if got.ndim == 1 else None
        return isinstance(got, (tuple, list)) and len(got) == len(want) and all(
            _same(g, w, atol) for g, w in zip(got, want))
    if isinstance(want, np.ndarray):
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):  # ragged rows, text, None: not a grid of numbers
            return False
        return got.shape == want.shape and np.allclose(got, want, atol=atol, rtol=1e-6)
    if isinstance(want, (bool, np.bool_)) or not _is_number(want):
        return type(got) is type(want) and got == want
    if not _is_number(got) or not np.isfinite(float(got)):
        return False
    if isinstance(want, (int, np.integer)):
        return float(got) == int(want)
    return abs(float(got) - float(want)) <= atol


def _first_difference(got, want, atol):
    """'first difference at [i, j]: expected a, got b' for two arrays of the same shape, else None."""
    if not isinstance(want, np.ndarray) or want.ndim == 0:
        return None
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if got.shape != want.shape:
        return None
    wrong = np.argwhere(~np.isclose(got, want, atol=atol, rtol=1e-6))
    if len(wrong) == 0:
        return None
    index = tuple(int(i) for i in wrong[0])
    return (f"first difference at {list(index)}: expected {float(want[index]):.4g}, got {float(got[index]):.4g} "
            f"({len(wrong)} of {want.size} numbers differ)")


def run_check(name, student_fn, reference_fn, cases, atol=1e-6, hint=None):
    """Run `student_fn` and `reference_fn` on every case and print a verdict.

    name:         what the exercise is called, e.g. "output_size"
    student_fn:   the learner's function
    reference_fn: the correct function (from cnnlib), called with the same arguments
    cases:        list of (description, args) where args is a tuple of positional arguments
    atol:         tolerance for floating-point results
    hint:         optional callable(case_args, got, want) -> str or None, naming a typical mistake

    Returns True if every case matches, False otherwise. Never raises on a wrong answer.
    """
    for i, (description, args) in enumerate(cases, start=1):
        want = reference_fn(*_copy(args))
        student_args = _copy(args)
        try:
            got = student_fn(*student_args)
        except NotImplementedError:
            print(f"{NOT_DONE}: {name}. Fill in the function, run its cell, then run this check again.")
            return False
        except Exception as error:  # a learner's bug: report it, do not crash the notebook
            print(f"Not yet: {name} raised {type(error).__name__}: {error}\n"
                  f"  on case {i} ({description}) with arguments:\n  {_describe(args)}")
            return False
        changed = [j for j, (a, b) in enumerate(zip(args, student_args))
                   if isinstance(a, np.ndarray) and not np.array_equal(a, b)]
        if changed:
            print(f"Not yet: {name} changed its input argument(s) {changed} in place on case {i} "
                  f"({description}). Work on a copy instead (e.g. np.pad returns a new array).")
            return False
        if not _same(got, want, atol):
            print(f"Not yet: {name} gives a different answer on case {i} ({description}).")
            print(f"  arguments: {_describe(args)}")
            print(f"  expected:  {_describe(want)}")
            print(f"  got:       {_describe(got)}")
            where = _first_difference(got, want, atol)
            if where:
                print(f"  {where}")
            if hint is not None:
                message = hint(args, got, want)
                if message:
                    print(f"  hint: {message}")
            return False
    print(f"Correct: {name} matches the reference on all {len(cases)} cases.")
    return True

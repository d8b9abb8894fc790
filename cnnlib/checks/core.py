"""The harness every ``check_<name>`` uses: run cases, compare with the reference, explain."""
import numpy as np

NOT_DONE = "Not done yet"


def _copy(value):
    """Deep-enough copy of a case argument so the learner's function cannot change our case."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_copy(v) for v in value)
    return value


def _describe(value):
    """Short text for an argument or result: arrays printed small, other values as repr."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=3, suppress=True, threshold=64, linewidth=100):
            return f"array of shape {value.shape}:\n{value}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_describe(v) for v in value) + ")"
    return repr(value)


def _same(got, want, atol):
    """True if `got` matches `want`: same structure, same shapes, values equal within atol."""
    if isinstance(want, tuple):
        return isinstance(got, (tuple, list)) and len(got) == len(want) and all(
            _same(g, w, atol) for g, w in zip(got, want))
    if isinstance(want, np.ndarray):
        got = np.asarray(got)
        return got.shape == want.shape and np.allclose(got, want, atol=atol, rtol=1e-6)
    if isinstance(want, float):
        return np.isscalar(got) and abs(float(got) - want) <= atol
    return type(got) is type(want) and got == want or (isinstance(got, (int, np.integer))
                                                       and isinstance(want, (int, np.integer))
                                                       and int(got) == int(want))


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
            if hint is not None:
                message = hint(args, got, want)
                if message:
                    print(f"  hint: {message}")
            return False
    print(f"Correct: {name} matches the reference on all {len(cases)} cases.")
    return True

"""The hidden tests' runtime: tools/grading.py pastes the source of `_grading_hidden_check` into every
autograder-tests cell, between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS (nbgrader removes that
region from the students' copy). It is one self-contained function on purpose: numpy and the standard
library only, never cnnlib, so a hidden test does not trust the library the student can also call.

What it checks, for one exercise function `fn`:
  - every hidden case: fn(*args) equals the expected value stored in the cell (computed from
    notebooks/solutions/ when the notebook was generated): same structure, shapes, values within atol;
  - fn does not change its input arrays in place;
  - while fn runs, no forbidden cnnlib function is called, at any depth (a Python profile hook sees
    every Python-level call, whatever name the student imported the function under).

Tested directly in tests/test_grading.py (solutions pass, the classic mistakes fail).
"""


def _grading_hidden_check(name, fn, cases, forbidden=(), atol=1e-6):
    """Raise AssertionError naming the first hidden case `fn` gets wrong; return None (nbgrader would
    read a number left as the cell's result as partial credit).

    name:      the exercise, e.g. "conv_db" (used in messages)
    fn:        the student's function
    cases:     list of (description, args tuple, expected value)
    forbidden: list of (module, qualname or None, argument name or None, values): a call to a function
               whose module is `module` (or a submodule) and whose __qualname__ is `qualname` (None: any)
               is forbidden; with an argument name, only when that argument's value is in `values`.
    """
    import math
    import sys

    import numpy as np

    def same(got, want):
        if want is None or isinstance(want, str):
            return got == want
        if isinstance(want, (tuple, list)):
            return (isinstance(got, (tuple, list, np.ndarray)) and len(got) == len(want)
                    and all(same(g, w) for g, w in zip(got, want)))
        if isinstance(want, np.ndarray):
            try:
                got = np.asarray(got, dtype=float)
            except (TypeError, ValueError):
                return False
            return got.shape == want.shape and bool(np.allclose(got, want, atol=atol, rtol=1e-6, equal_nan=True))
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
            return False
        if math.isnan(want):
            return math.isnan(float(got))
        return abs(float(got) - want) <= atol + 1e-6 * abs(want)

    def copy(value):
        if isinstance(value, np.ndarray):
            return value.copy()
        if isinstance(value, (tuple, list)):
            return type(value)(copy(v) for v in value)
        return value

    calls = []

    def watch(frame, event, arg):
        if event != "call":
            return
        module = frame.f_globals.get("__name__") or ""
        for rule_module, qualname, argname, values in forbidden:
            if module != rule_module and not module.startswith(rule_module + "."):
                continue
            if qualname is not None and frame.f_code.co_qualname != qualname:
                continue
            if argname is not None and frame.f_locals.get(argname) not in values:
                continue
            calls.append(f"{module}.{frame.f_code.co_qualname}"
                         + (f"({argname}={frame.f_locals.get(argname)!r})" if argname else ""))

    for number, (description, args, want) in enumerate(cases, start=1):
        given = copy(args)
        previous = sys.getprofile()
        sys.setprofile(watch if forbidden else previous)
        try:
            got = fn(*given)
        except Exception as error:
            raise AssertionError(f"{name}: hidden test {number} ({description}) raised "
                                 f"{type(error).__name__}: {error}") from None
        finally:
            sys.setprofile(previous)
        if calls:
            raise AssertionError(f"{name} calls {calls[0]} from the library; this exercise asks you to "
                                 f"write that computation yourself (hidden test {number}: {description}).")
        if not same(given, args):
            raise AssertionError(f"{name} changed its input arrays in place (hidden test {number}: "
                                 f"{description}); work on a copy.")
        if not same(got, want):
            raise AssertionError(f"{name}: hidden test {number} ({description}) gives a different answer.")


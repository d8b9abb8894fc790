"""Every exercise check, found by name: its solution in notebooks/solutions passes it, and an
unfinished exercise (a stub that raises NotImplementedError) gets "Not done yet", not an error.

Convention: check_<name> in cnnlib.checks checks the function <name> of the exercise, and the
solution defines a function with that same name in notebooks/solutions/chNN_*.py. The per-chapter
files (tests/test_exercises_<part>.py) test that each check rejects the typical wrong answers.
"""
import importlib
import pkgutil

import pytest

from cnnlib import checks
from notebooks import solutions
from cnnlib.viz.why import shift_image as library_shift

CHECKS = sorted(name for name in dir(checks) if name.startswith("check_"))
SOLUTION_MODULES = [importlib.import_module(f"notebooks.solutions.{m.name}")
                    for m in pkgutil.iter_modules(solutions.__path__)]


def solution_for(check_name):
    """The solution function that check_<name> checks (exactly one must exist)."""
    name = check_name.removeprefix("check_")
    found = [getattr(module, name) for module in SOLUTION_MODULES if hasattr(module, name)]
    assert len(found) == 1, f"{check_name}: expected one solution named {name}, found {len(found)}"
    return found[0]


def test_there_are_exercises_for_every_chapter():
    chapters = {module.__name__.rsplit(".", 1)[1][:4] for module in SOLUTION_MODULES}
    assert chapters == {f"ch{n:02d}" for n in range(1, 12)}
    assert len(CHECKS) >= 20


@pytest.mark.parametrize("check_name", CHECKS)
def test_solution_passes(check_name, capsys):
    assert getattr(checks, check_name)(solution_for(check_name)) is True
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize("check_name", CHECKS)
def test_unfinished_exercise_says_not_done(check_name, capsys):
    def unfinished(*args):
        raise NotImplementedError

    assert getattr(checks, check_name)(unfinished) is False
    assert capsys.readouterr().out.startswith("Not done yet")


def test_widget_shift_agrees_with_the_check(capsys):
    # chapter 01's widget moves digits with the library's shift_image: the exercise's check accepts it
    assert checks.check_shift_image(library_shift) is True

"""Checks for the chapters' exercises: ``check_<name>(student_function)``.

Each check runs the learner's function on several cases (edge cases included), prints a friendly
verdict with the first mismatch shown as small arrays, and returns True or False. It never raises
on a wrong answer, so a notebook with an unfinished exercise still runs top to bottom.
"""
from .core import run_check  # noqa: F401
from .backprop import *  # noqa: F401,F403
from .basics import *  # noqa: F401,F403  (chapters 01-02)
from .layer import *  # noqa: F401,F403  (chapters 03-05)
from .training import *  # noqa: F401,F403  (chapter 10)
from .fast import *  # noqa: F401,F403  (chapter 09)
from .extra import *  # noqa: F401,F403  (issue 16: chapters 03, 05)
from .attribution import *  # noqa: F401,F403  (chapter 11)

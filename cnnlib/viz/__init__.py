"""Drawing functions (matplotlib). Each takes an `ax`, draws, and returns what it drew, so the same
function makes the static figure in a notebook, the frame of a widget, and a unit test's subject.
One module per topic; `common` holds what several chapters share."""

from .alt import enable_in_ipython

enable_in_ipython()  # in Jupyter: every figure is shown with its alt text (cnnlib/viz/alt.py)

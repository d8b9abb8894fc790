"""Drawing functions (matplotlib). Each takes an `ax`, draws, and returns what it drew, so the same
function makes the static figure in a notebook, the frame of a widget, and a unit test's subject.
One module per topic; `common` holds what several chapters share."""

from .alt import enable_in_ipython
from .scale import get_scale, set_scale  # noqa: F401 (cnnlib.viz.set_scale(1.5) for a projector)

enable_in_ipython()  # in Jupyter: every figure is shown with its alt text (cnnlib/viz/alt.py)

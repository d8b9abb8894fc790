"""Time one step of the chapter 09 widget (im2col explorer): move the highlights
(Im2colView.set_highlight), render PNG bytes with the Blitter and write the text line, for a few
configurations. Prints the median and worst step in milliseconds (wall clock, and this process's
CPU time: on a loaded machine the wall time is mostly waiting for a CPU), and the machine's load.

    PYTHONPATH=. .venv/bin/python benchmarks/redraw_fast.py
"""
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.widgets.common import Blitter, load_note, time_calls  # noqa: E402
from cnnlib.widgets.fast import example_image, im2col_figure  # noqa: E402

CONFIGS = [(4, 2, 1), (5, 3, 1), (6, 3, 1), (6, 2, 2)]  # (n, k, stride)


def step(view, blitter, cell):
    """One widget step: move the highlights, render the PNG, write the text."""
    offset = cell % view.n_offsets
    view.set_highlight(cell, offset)
    blitter.png()
    view.describe(cell, offset)


print(f"{'n':>2} {'k':>2} {'s':>2} {'cells':>5} {'first draw ms':>13} {'step median ms':>14} "
      f"{'step max ms':>11} {'cpu median ms':>13} {'cpu max ms':>10}")
for n, k, stride in CONFIGS:
    x, w = example_image(n, k)
    start = time.perf_counter()
    fig, view = im2col_figure(x, w, stride)
    blitter = Blitter(fig, view.animated)
    blitter.png()
    first = (time.perf_counter() - start) * 1000
    wall, cpu = time_calls([(step, (view, blitter, cell)) for cell in list(range(view.n_cells)) * 2])
    print(f"{n:>2} {k:>2} {stride:>2} {view.n_cells:>5} {first:>13.0f} {np.median(wall):>14.1f} "
          f"{max(wall):>11.1f} {np.median(cpu):>13.1f} {max(cpu):>10.1f}")
print(load_note())

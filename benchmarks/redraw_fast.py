"""Time one step of the chapter 09 widget (im2col explorer): move the highlights
(Im2colView.set_highlight), render PNG bytes with the Blitter and write the text line, for a few
configurations. Prints the median and worst step in milliseconds, and the machine's load.

    PYTHONPATH=. .venv/bin/python benchmarks/redraw_fast.py
"""
import os
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.widgets.fast import example_image, im2col_figure  # noqa: E402
from cnnlib.widgets.sliding import Blitter  # noqa: E402

CONFIGS = [(4, 2, 1), (5, 3, 1), (6, 3, 1), (6, 2, 2)]  # (n, k, stride)

print(f"{'n':>2} {'k':>2} {'s':>2} {'cells':>5} {'first draw ms':>13} {'step median ms':>14} {'step max ms':>11}")
for n, k, stride in CONFIGS:
    x, w = example_image(n, k)
    start = time.perf_counter()
    fig, view = im2col_figure(x, w, stride)
    blitter = Blitter(fig, view.animated)
    blitter.png()
    first = (time.perf_counter() - start) * 1000
    times = []
    for cell in range(view.n_cells):
        start = time.perf_counter()
        view.set_highlight(cell, cell % view.n_offsets)
        blitter.png()
        view.describe(cell, cell % view.n_offsets)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{n:>2} {k:>2} {stride:>2} {view.n_cells:>5} {first:>13.0f} {np.median(times):>14.1f} {max(times):>11.1f}")
print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

"""Time one redraw of the chapter 01 widget (shift sliders): update the data, render the PNG.

    .venv/bin/python benchmarks/redraw_why.py

Prints the first draw and the median and worst redraw in ms, wall clock and this process's CPU time
(on a loaded machine the wall time is mostly waiting for a CPU), and the machine's load.
"""
import matplotlib
import numpy as np

matplotlib.use("Agg")
from cnnlib.data import load_mnist  # noqa: E402
from cnnlib.widgets.common import TIMING_COLUMNS, load_note, time_calls, time_first, timing_row  # noqa: E402
from cnnlib.widgets.why import shift_redraw  # noqa: E402

SOBEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def first_draw(digit):
    """The shift figure, its Blitter and the first PNG; returns redraw."""
    _, redraw = shift_redraw(digit, SOBEL)
    redraw(0, 0)
    return redraw


def main(repeats=30):
    digit = load_mnist(n_train=1, n_test=4).x_test[3, 0]
    redraw, first = time_first(lambda: first_draw(digit))
    wall, cpu = time_calls([(redraw, (k % 7 - 3, (2 * k) % 9 - 4)) for k in range(repeats)])
    print(f"{'chapter 01 shift widget':34s} {TIMING_COLUMNS}")
    print(f"{f'shift dy, dx ({repeats} redraws)':34s} {timing_row(first, wall, cpu)}")
    print(load_note())


if __name__ == "__main__":
    main()

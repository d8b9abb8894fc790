"""Time one redraw of the chapter 01 widget (shift sliders): update the data, render the PNG.

    .venv/bin/python benchmarks/redraw_why.py      # prints the median and worst time in ms (target < 100 ms)
"""
import statistics
import time

import matplotlib
import numpy as np

matplotlib.use("Agg")
from cnnlib.data import load_mnist  # noqa: E402
from cnnlib.widgets.why import shift_redraw  # noqa: E402

SOBEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def main(repeats=30):
    digit = load_mnist(n_train=1, n_test=4).x_test[3, 0]
    _, redraw = shift_redraw(digit, SOBEL)
    redraw(0, 0)  # warm up
    times = []
    for k in range(repeats):
        start = time.perf_counter()
        redraw(k % 7 - 3, (2 * k) % 9 - 4)
        times.append((time.perf_counter() - start) * 1000)
    print(f"chapter 01 shift widget redraw: median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms over {repeats} redraws (target < 100 ms)")


if __name__ == "__main__":
    main()

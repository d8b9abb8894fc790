"""Time one redraw of each chapter 02 widget: update the data, redraw the moving artists, encode the image (PNG; JPEG for the filter, photos encode faster).

    .venv/bin/python benchmarks/redraw_correlation.py     # prints median and worst times in ms (target < 100 ms)
"""
import statistics
import time

import matplotlib
import numpy as np

matplotlib.use("Agg")
from cnnlib.data import load_mnist  # noqa: E402
from cnnlib.photo import load_photo  # noqa: E402
from cnnlib.viz.correlation import PRESETS, WINDOW_KINDS  # noqa: E402
from cnnlib.widgets.correlation import filter_redraw, smoothing_redraw  # noqa: E402


def timed(calls):
    """Run each (function, args) once as warm-up, then time every call; return the times in ms."""
    function, args = calls[0]
    function(*args)
    times = []
    for function, args in calls:
        start = time.perf_counter()
        function(*args)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name, times):
    print(f"{name:34s} median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms   "
          f"({len(times)} redraws, target < 100 ms)")


def main():
    rng = np.random.default_rng(0)
    n = np.arange(200)
    clean = np.sin(n / 15) + 0.5 * np.sin(n / 5)
    _, redraw = smoothing_redraw(clean + rng.normal(0, 0.4, n.shape), clean)
    report("moving average (window, weights)",
           timed([(redraw, (kind, size)) for size in range(1, 42, 4) for kind in WINDOW_KINDS]))

    images = {"digit": load_mnist(n_train=1, n_test=4).x_test[3, 0], "photo": load_photo(factor=4)}
    _, redraw = filter_redraw(images, "digit")
    for name in images:
        redraw(name, PRESETS["identity"])  # switch image first (that rebuild is not a per-edit cost)
        report(f"filter on the {name} (edit a kernel)",
               timed([(redraw, (name, kernel)) for kernel in list(PRESETS.values()) * 3]))


if __name__ == "__main__":
    main()

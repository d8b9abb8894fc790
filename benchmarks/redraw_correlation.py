"""Time one redraw of each chapter 02 widget: update the data, redraw the moving artists, encode the
image (PNG; JPEG for the filter, photos encode faster).

    .venv/bin/python benchmarks/redraw_correlation.py

Prints the first draw and the median and worst redraw in ms, wall clock and this process's CPU time
(on a loaded machine the wall time is mostly waiting for a CPU), and the machine's load.
"""
import matplotlib
import numpy as np

matplotlib.use("Agg")
from cnnlib.data import load_mnist  # noqa: E402
from cnnlib.photo import load_photo  # noqa: E402
from cnnlib.viz.correlation import PRESETS, WINDOW_KINDS  # noqa: E402
from cnnlib.widgets.common import TIMING_COLUMNS, load_note, time_calls, time_first, timing_row  # noqa: E402
from cnnlib.widgets.correlation import filter_redraw, smoothing_redraw  # noqa: E402


def first_draw(make, first):
    """make() -> (fig, redraw): time it and one redraw(*first). Returns (redraw, ms)."""
    def build():
        _, redraw = make()
        redraw(*first)
        return redraw

    return time_first(build)


def main():
    print(f"{'chapter 02 widget':34s} {TIMING_COLUMNS}")
    rng = np.random.default_rng(0)
    n = np.arange(200)
    clean = np.sin(n / 15) + 0.5 * np.sin(n / 5)
    redraw, first = first_draw(lambda: smoothing_redraw(clean + rng.normal(0, 0.4, n.shape), clean),
                               ("box", 5))
    wall, cpu = time_calls([(redraw, (kind, size)) for size in range(1, 42, 4) for kind in WINDOW_KINDS])
    print(f"{'moving average (window, weights)':34s} {timing_row(first, wall, cpu)}")

    images = {"digit": load_mnist(n_train=1, n_test=4).x_test[3, 0], "photo": load_photo(factor=4)}
    redraw, first = first_draw(lambda: filter_redraw(images, "digit"), ("digit", PRESETS["identity"]))
    for name in images:
        redraw(name, PRESETS["identity"])  # switch image first (that rebuild is not a per-edit cost)
        wall, cpu = time_calls([(redraw, (name, kernel)) for kernel in list(PRESETS.values()) * 3])
        print(f"{f'filter on the {name} (edit a kernel)':34s} {timing_row(first, wall, cpu)}")
    print(load_note())


if __name__ == "__main__":
    main()

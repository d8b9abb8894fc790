#!/usr/bin/env python3
"""Chapter 11's drawing pad: the time from lifting the pen to the new picture (preprocess the strokes,
run the model forward and backward, redraw the panel by blitting, encode the PNG).

    .venv/bin/python benchmarks/redraw_drawing.py          # target: median <= 100 ms

Prints the median and 90th percentile over 30 strokes and the CPU model; exits 1 above the target.
"""
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as course.py lab; must be set before numpy loads
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.pretrained import cpu_model, load_pretrained  # noqa: E402
from cnnlib.widgets.drawing import DrawingPad  # noqa: E402

TARGET_MS = 100


def main():
    pad = DrawingPad(load_pretrained())
    rng = np.random.default_rng(0)
    times = []
    for k in range(30):
        if k % 3 == 0:
            pad.clear()
        points = [(float(x), float(y)) for x, y in rng.uniform(30, 170, (12, 2))]
        pad._down(*points[0])
        for p in points[1:]:
            pad._move(*p)
        start = time.perf_counter()
        pad._up(*points[-1])  # what a mouse-up runs
        times.append(1000 * (time.perf_counter() - start))
    median, p90 = statistics.median(times), float(np.percentile(times, 90))
    print(f"drawing pad redraw after a stroke: median {median:.1f} ms, 90th percentile {p90:.1f} ms "
          f"(30 strokes; CPU {cpu_model()}, BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}, "
          f"load average {os.getloadavg()[0]:.2f})")
    if median > TARGET_MS:
        print(f"FAILED: median {median:.1f} ms > {TARGET_MS} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

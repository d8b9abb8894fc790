"""Time one step of the chapter 03 widget: move the window (ConvSteps.set_step), render PNG bytes
with the Blitter and write the dot-product text, for a few configurations. Prints the median and
worst step in milliseconds (wall clock, and this process's CPU time: on a loaded machine the
wall time is mostly waiting for a CPU), and the machine's load.

    PYTHONPATH=. .venv/bin/python benchmarks/redraw_sliding.py
"""
import os
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.widgets.sliding import Blitter, conv_figure, example_input  # noqa: E402

CONFIGS = [  # (n, f, padding, stride)
    (5, 3, "valid", 1),
    (8, 5, "same", 1),
    (8, 3, 2, 2),
    (7, 4, "same", 3),
]

print(f"{'n':>2} {'f':>2} {'padding':>7} {'s':>2} {'steps':>5} {'first draw ms':>13} "
      f"{'step median ms':>14} {'step max ms':>11} {'cpu median ms':>13} {'cpu max ms':>10}")
for n, f, padding, stride in CONFIGS:
    x, w = example_input(n, f)
    start = time.perf_counter()
    fig, steps = conv_figure(x, w, 1.0, stride, padding)
    blitter = Blitter(fig, steps.animated)
    blitter.render()
    first = (time.perf_counter() - start) * 1000
    times, cpu = [], []
    for k in list(range(steps.n_steps)) * 2:
        start, start_cpu = time.perf_counter(), time.process_time()
        steps.set_step(k)
        blitter.render()
        steps.describe(k)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    print(f"{n:>2} {f:>2} {padding!s:>7} {stride:>2} {steps.n_steps:>5} {first:>13.0f} "
          f"{np.median(times):>14.1f} {max(times):>11.1f} {np.median(cpu):>13.1f} {max(cpu):>10.1f}")
print("wall ms include waiting for a CPU on a loaded machine; cpu ms are this process's own work")
print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

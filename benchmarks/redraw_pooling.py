"""Time one step of the chapter 05 widget: move the pooling window (PoolSteps.set_step), render PNG
bytes with the Blitter and write the text, for a few configurations. Prints median and worst step (ms),
wall clock and this process's CPU time (on a loaded machine the wall time is mostly waiting for a CPU).

    PYTHONPATH=. .venv/bin/python benchmarks/redraw_pooling.py
"""
import os
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.widgets.pooling import example_channel, pool_figure  # noqa: E402
from cnnlib.widgets.sliding import Blitter  # noqa: E402

CONFIGS = [("max", 6, 2, 2), ("avg", 9, 3, 2), ("max", 9, 2, 1), ("avg", 7, 2, 3)]  # kind, n, size, stride

print(f"{'kind':>4} {'n':>2} {'size':>4} {'s':>2} {'steps':>5} {'first draw ms':>13} {'step median ms':>14} "
      f"{'step max ms':>11} {'cpu median ms':>13} {'cpu max ms':>10}")
for kind, n, size, stride in CONFIGS:
    start = time.perf_counter()
    fig, steps = pool_figure(example_channel(n), size, stride, kind)
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
    print(f"{kind:>4} {n:>2} {size:>4} {stride:>2} {steps.n_steps:>5} {first:>13.0f} {np.median(times):>14.1f} "
          f"{max(times):>11.1f} {np.median(cpu):>13.1f} {max(cpu):>10.1f}")
print("wall ms include waiting for a CPU on a loaded machine; cpu ms are this process's own work")
print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

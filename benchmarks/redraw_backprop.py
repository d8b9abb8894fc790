"""Time one step of the chapter 07-08 widgets: recolour/relabel in place and render the changed
artists to PNG bytes (cache=False, so every step really renders; the widgets themselves keep the PNG
of a setting shown before, so a revisit costs ~0 ms). Prints first draw and per-step wall and CPU time in milliseconds, and the
machine's load average (a shared machine makes every figure slower). Steps are timed after one
warm-up pass; a pool size/stride never seen before costs about one "first" draw.

    .venv/bin/python benchmarks/redraw_backprop.py
"""
import os
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.widgets import backprop as wb  # noqa: E402


def measure(label, make_step, args_list):
    start = time.perf_counter()
    step = make_step()
    step(args_list[0])
    first = (time.perf_counter() - start) * 1000
    for args in args_list:                  # warm-up: the pool widget draws each (size, stride) once
        step(args)
    wall, cpu = [], []
    for args in args_list * 2:
        t0, c0 = time.perf_counter(), time.process_time()
        step(args)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(f"{label:34s} {first:>8.0f} {np.median(wall):>14.1f} {max(wall):>11.1f} {np.median(cpu):>18.1f}")


print(f"load average before (1, 5, 15 min): {os.getloadavg()}, CPUs: {os.cpu_count()}")
print(f"{'widget (configuration)':34s} {'first ms':>8} {'step median ms':>14} {'step max ms':>11} "
      f"{'step CPU median ms':>18}")
for in_hw, k_hw in [((3, 3), (2, 2)), ((5, 5), (3, 3))]:
    cells = [cell for _, cell in wb.conv_links_cells(in_hw, k_hw)]
    measure(f"conv_links {in_hw} * {k_hw}", lambda: wb.conv_links_frames(in_hw, k_hw, cache=False), cells)
G2, k3 = np.array([[1., 2.], [3., 4.]]), np.arange(9.).reshape(3, 3)
measure("dilation 2x2 * 3x3 (s = 1..3, 4 cells)", lambda: wb.dilation_frames(G2, k3, cache=False),
        [(s, (i, j)) for s in (1, 2, 3) for i in (0, 1) for j in (0, 1)])
rng = np.random.default_rng(0)
x = rng.integers(0, 10, size=(6, 6)).astype(float)
configs = [(kind, size, stride, window) for kind in ("max", "avg") for size, stride in
           ((2, 2), (3, 2), (2, 1)) for window in (0, 3)]
measure("pool_backward 6x6 (12 settings)", lambda: wb.pool_backward_frames(x, cache=False), configs)
print(f"load average after (1, 5, 15 min): {os.getloadavg()}, CPUs: {os.cpu_count()}")

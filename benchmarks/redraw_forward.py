"""Time one step of the chapter 06 widget (filter_sum_widget): update the numbers of filter i in
place and render the changed artists to PNG bytes (cache=False, so every step really renders; the
widget itself also keeps the PNG of a filter it has shown, so a revisit costs ~0 ms). Prints first
draw and per-step wall and CPU time in milliseconds, and the machine's load average (a shared
machine makes every figure slower; CPU time is the steadier number).

    .venv/bin/python benchmarks/redraw_forward.py
"""
import os
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.widgets.forward import filter_sum_frames  # noqa: E402

CONFIGS = [(3, 4, 2, 2), (3, 6, 4, 3), (1, 5, 3, 3)]   # (C, H = W, F, K); the first is chapter 06's
rng = np.random.default_rng(0)
print(f"load average before (1, 5, 15 min): {os.getloadavg()}, CPUs: {os.cpu_count()}")
print(f"{'C':>2} {'H':>2} {'F':>2} {'K':>2} {'first ms':>8} {'step median ms':>14} {'step max ms':>11} "
      f"{'step CPU median ms':>18}")
for C, H, F_, K in CONFIGS:
    x = rng.integers(0, 4, size=(C, H, H)).astype(float)
    w = rng.integers(-1, 2, size=(F_, C, K, K)).astype(float)
    b = rng.integers(-2, 3, size=F_).astype(float)
    start = time.perf_counter()
    step = filter_sum_frames(x, w, b, cache=False)
    step(0)
    first = (time.perf_counter() - start) * 1000
    wall, cpu = [], []
    for i in list(range(F_)) * 5:
        t0, c0 = time.perf_counter(), time.process_time()
        step(i)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(f"{C:>2} {H:>2} {F_:>2} {K:>2} {first:>8.0f} {np.median(wall):>14.1f} {max(wall):>11.1f} "
          f"{np.median(cpu):>18.1f}")
print(f"load average after (1, 5, 15 min): {os.getloadavg()}, CPUs: {os.cpu_count()}")

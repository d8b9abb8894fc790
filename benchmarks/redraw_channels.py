"""Time one update of the chapter 04 widget: swap the filter (ChannelSum.set_filter) and render JPEG
bytes with the Blitter, on the photo at two sizes. Prints median and worst update in milliseconds,
wall clock and this process's CPU time (on a loaded machine the wall time is mostly waiting for a CPU).

    PYTHONPATH=. .venv/bin/python benchmarks/redraw_channels.py
"""
import os
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from cnnlib.photo import load_photo  # noqa: E402
from cnnlib.viz.channels import colour_filters  # noqa: E402
from cnnlib.widgets.channels import channel_figure  # noqa: E402
from cnnlib.widgets.sliding import Blitter  # noqa: E402

filters = list(colour_filters().values())
print(f"{'photo':>12} {'first draw ms':>13} {'update median ms':>16} {'update max ms':>13} "
      f"{'cpu median ms':>13} {'cpu max ms':>10}")
for factor in (4, 2):
    x = load_photo(factor=factor)
    start = time.perf_counter()
    fig, drawn = channel_figure(x, *filters[0])
    blitter = Blitter(fig, drawn.animated, "jpeg")
    blitter.render()
    first = (time.perf_counter() - start) * 1000
    times, cpu = [], []
    for k in range(3 * len(filters)):
        w, b = filters[k % len(filters)]
        start, start_cpu = time.perf_counter(), time.process_time()
        drawn.set_filter(w, b + 0.05 * (k % 3))
        blitter.render()
        drawn.summary()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    shape = "x".join(map(str, x.shape))
    print(f"{shape:>12} {first:>13.0f} {np.median(times):>16.1f} {max(times):>13.1f} "
          f"{np.median(cpu):>13.1f} {max(cpu):>10.1f}")
print("wall ms include waiting for a CPU on a loaded machine; cpu ms are this process's own work")
print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

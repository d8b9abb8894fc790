"""Time one step of the chapter 05 widget: move the pooling window (PoolSteps.set_step), render PNG
bytes with the Blitter and write the text, for a few configurations. Prints the first draw and the
median and worst step (ms), wall clock and this process's CPU time (on a loaded machine the wall
time is mostly waiting for a CPU), and the machine's load.

    .venv/bin/python benchmarks/redraw_pooling.py
"""
import matplotlib

matplotlib.use("Agg")
from cnnlib.widgets.common import TIMING_COLUMNS, load_note, time_steps, timing_row  # noqa: E402
from cnnlib.widgets.pooling import example_channel, pool_figure  # noqa: E402

CONFIGS = [("max", 6, 2, 2), ("avg", 9, 3, 2), ("max", 9, 2, 1), ("avg", 7, 2, 3)]  # kind, n, size, stride

print(f"{'kind':>4} {'n':>2} {'size':>4} {'s':>2} {'steps':>5} {TIMING_COLUMNS}")
for kind, n, size, stride in CONFIGS:
    steps, first, wall, cpu = time_steps(lambda: pool_figure(example_channel(n), size, stride, kind))
    print(f"{kind:>4} {n:>2} {size:>4} {stride:>2} {steps.n_steps:>5} {timing_row(first, wall, cpu)}")
print(load_note())

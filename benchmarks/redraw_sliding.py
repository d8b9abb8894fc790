"""Time one step of the chapter 03 widget: move the window (ConvSteps.set_step), render PNG bytes
with the Blitter and write the dot-product text, for a few configurations. Prints the first draw and
the median and worst step in milliseconds (wall clock, and this process's CPU time: on a loaded
machine the wall time is mostly waiting for a CPU), and the machine's load.

    .venv/bin/python benchmarks/redraw_sliding.py
"""
import matplotlib

matplotlib.use("Agg")
from cnnlib.widgets.common import TIMING_COLUMNS, load_note, time_steps, timing_row  # noqa: E402
from cnnlib.widgets.sliding import conv_figure, example_input  # noqa: E402

CONFIGS = [  # (n, f, padding, stride)
    (5, 3, "valid", 1),
    (8, 5, "same", 1),
    (8, 3, 2, 2),
    (7, 4, "same", 3),
]

print(f"{'n':>2} {'f':>2} {'padding':>7} {'s':>2} {'steps':>5} {TIMING_COLUMNS}")
for n, f, padding, stride in CONFIGS:
    x, w = example_input(n, f)
    steps, first, wall, cpu = time_steps(lambda: conv_figure(x, w, 1.0, stride, padding))
    print(f"{n:>2} {f:>2} {padding!s:>7} {stride:>2} {steps.n_steps:>5} {timing_row(first, wall, cpu)}")
print(load_note())

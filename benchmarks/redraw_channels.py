"""Time one update of the chapter 04 widget: swap the filter (ChannelSum.set_filter) and render JPEG
bytes with the Blitter, on the photo at two sizes. Prints the first draw and the median and worst
update in milliseconds, wall clock and this process's CPU time (on a loaded machine the wall time is
mostly waiting for a CPU), and the machine's load.

    .venv/bin/python benchmarks/redraw_channels.py
"""
import matplotlib

matplotlib.use("Agg")
from cnnlib.photo import load_photo  # noqa: E402
from cnnlib.viz.channels import colour_filters  # noqa: E402
from cnnlib.widgets.channels import channel_figure  # noqa: E402
from cnnlib.widgets.common import TIMING_COLUMNS, Blitter, load_note, time_calls, time_first, timing_row  # noqa: E402

filters = list(colour_filters().values())


def first_draw(x):
    """The figure for the first filter, its Blitter and the first JPEG."""
    fig, drawn = channel_figure(x, *filters[0])
    blitter = Blitter(fig, drawn.animated, "jpeg")
    blitter.render()
    return drawn, blitter


print(f"{'photo':>12} {TIMING_COLUMNS}")
for factor in (4, 2):
    x = load_photo(factor=factor)
    (drawn, blitter), first = time_first(lambda: first_draw(x))

    def update(k):
        w, b = filters[k % len(filters)]
        drawn.set_filter(w, b + 0.05 * (k % 3))
        blitter.render()
        drawn.summary()

    wall, cpu = time_calls([(update, (k,)) for k in range(3 * len(filters))])
    print(f"{'x'.join(map(str, x.shape)):>12} {timing_row(first, wall, cpu)}")
print(load_note())

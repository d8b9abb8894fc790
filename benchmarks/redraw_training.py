#!/usr/bin/env python3
"""Time one redraw step of chapter 10's widgets (target: under 100 ms each).

    .venv/bin/python benchmarks/redraw_training.py

digit explorer: distort the digit, run it through the model (forward of one image), update the
figure in place (update_digit_explorer) and render it to PNG as the notebook's display() does.
live plot: update_history with a 6-epoch history (2,814 batches) and render to PNG.
The model is untrained (timing does not depend on the weights). Prints the median of 20 steps,
wall time and CPU time (on a busy shared machine the CPU time is the steadier figure).
"""
import io
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cnnlib.data import load_mnist  # noqa: E402
from cnnlib.viz import training as vt  # noqa: E402
from train_mnist import build_model  # noqa: E402


def median_ms(step, repeat=20):
    """Median wall time and median CPU time of `repeat` calls, in ms (as text)."""
    step(0)  # warm-up
    wall, cpu = [], []
    for i in range(1, repeat + 1):
        t, c = time.perf_counter(), time.process_time()
        step(i)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return f"{1000 * np.median(wall):6.1f} ms wall, {1000 * np.median(cpu):6.1f} ms CPU"


def main():
    _, _, x_test, y_test = load_mnist(n_train=1, n_test=50)
    model = build_model(0)
    dpi = plt.rcParams["figure.dpi"]

    fig, axes = vt.digit_explorer_figure(model)
    handles = vt.draw_digit_explorer(axes, model, x_test[0], int(y_test[0]))

    def explorer_step(i):
        image = vt.distort(x_test[i % 50, 0], dx=i % 5 - 2, dy=1, angle=5 * i % 60, noise=0.1, seed=i)
        vt.update_digit_explorer(handles, model, image, int(y_test[i % 50]))
        fig.savefig(io.BytesIO(), format="png", dpi=dpi)

    def compute_only(i):
        image = vt.distort(x_test[i % 50, 0], dx=i % 5 - 2, dy=1, angle=5 * i % 60, noise=0.1, seed=i)
        vt.update_digit_explorer(handles, model, image, int(y_test[i % 50]))

    rng = np.random.default_rng(0)
    steps = 6 * 469
    history = {"batch_loss": list(np.exp(-np.linspace(0, 4, steps)) + 0.05 * rng.random(steps)),
               "batch_acc": list(1 - 0.5 * np.exp(-np.linspace(0, 4, steps))),
               "loss": [0.3, 0.1, 0.07, 0.05, 0.04, 0.03], "acc": [0.9, 0.97, 0.98, 0.985, 0.99, 0.99],
               "val_loss": [0.06, 0.05, 0.04, 0.03, 0.03, 0.03], "val_acc": [0.98, 0.985, 0.99, 0.99, 0.99, 0.99]}
    fig2, axes2 = plt.subplots(1, 2, figsize=(10, 3.4))
    drawn = vt.draw_history(axes2, history)

    def live_step(i):
        vt.update_history(drawn, history)
        fig2.savefig(io.BytesIO(), format="png", dpi=dpi)

    print(f"figure dpi {dpi:g}; median of 20 steps; load average {os.getloadavg()[0]:.2f}")
    print(f"digit explorer, update in place (distort + forward + set_data): {median_ms(compute_only)}")
    print(f"digit explorer, update + render PNG (one slider step):          {median_ms(explorer_step)}")
    print(f"live plot, update_history + render PNG (2,814 batches):         {median_ms(live_step)}")


if __name__ == "__main__":
    main()

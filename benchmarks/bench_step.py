#!/usr/bin/env python3
"""One training step of chapter 10's CNN, cnnlib (layer API) against PyTorch CPU, alternating in ONE run.

    python benchmarks/bench_step.py --threads 1      # prints the ratio cnnlib / torch
    python benchmarks/bench_step.py --threads 2
    python benchmarks/bench_step.py --layers         # cnnlib per layer, as a share of the sgemm peak

A step = forward, softmax cross-entropy, Sequential.backward(need_dx=False), Adam.step, on a batch of
128 MNIST digits (float32), in cnnlib; the same model, loss and optimizer in PyTorch. The two run in
alternating blocks (--blocks blocks of --steps steps each), so that a change in the machine's load
hits both alike; the figure per library is the median block, and the ratio is the median of the
blocks' ratios. Without torch the cnnlib part runs and the comparison is skipped with a message.

--layers times each layer's forward and backward as Sequential runs them (a ReLU and the max-pool
after it as one unit; median of --steps runs), then the loss and Adam, and divides the layers'
multiply-adds by the time: GFLOP/s, and the share of the single-core sgemm peak measured here
(a 2048 x 2048 x 2048 float32 numpy matmul at 1 thread).
The thread count must be set before numpy loads, hence the parsing before the imports.
"""
import argparse
import os
import statistics
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--blocks", type=int, default=10)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--layers", action="store_true", help="cnnlib per layer against the sgemm peak")
    return parser.parse_args()


if __name__ == "__main__":
    ARGS = parse_args()
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from cnnlib import conv_dft  # noqa: E402
from cnnlib.data import load_mnist  # noqa: E402
from cnnlib.losses import softmax_cross_entropy  # noqa: E402
from cnnlib.optim import Adam  # noqa: E402
from cnnlib.threads import cpu_model  # noqa: E402
from train_mnist import BATCH_SIZE, build_model  # noqa: E402




def cnnlib_stepper(xb, yb):
    model, opt = build_model(0), Adam(1e-3)

    def step():
        logits = model.forward(xb)
        _, dlogits = softmax_cross_entropy(logits, yb)
        model.backward(dlogits, need_dx=False)
        opt.step(model)
    return step, model


def torch_stepper(torch, xb, yb, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 4 * 4, 10))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, Y = torch.from_numpy(xb), torch.from_numpy(yb)

    def step():
        opt.zero_grad()
        loss_fn(net(X), Y).backward()
        opt.step()
    return step


def time_block(step, n):
    t = time.perf_counter()
    for _ in range(n):
        step()
    return (time.perf_counter() - t) / n


def sgemm_peak(repeat=5):
    """GFLOP/s of a large float32 matmul at the current thread count (best of `repeat`)."""
    n = 2048
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b = a.T.copy()
    a @ b
    best = min(time_block(lambda: a @ b, 1) for _ in range(repeat))
    return 2 * n ** 3 / best / 1e9


def layer_flops(layer, x_shape, out_shape):
    """Multiply-adds x 2 of a layer's forward and backward (conv: the three products; else 0)."""
    name = type(layer).__name__
    if name == "Conv2D":
        F_, C, KH, KW = layer.params["w"].shape
        N, _, Ho, Wo = out_shape
        one = 2 * N * F_ * C * KH * KW * Ho * Wo
        return one, one * 2            # backward: dw and dx
    if name == "Dense":
        N, D = x_shape
        one = 2 * N * D * layer.out_features
        return one, one * 2
    return 0, 0


def units(model):
    """The model's layers as Sequential runs them: (label, forward, backward, layers) per unit, a ReLU
    followed by a MaxPool2D being one unit (Sequential fuses the pair)."""
    out, i, layers = [], 0, model.layers
    while i < len(layers):
        if model._relu_then_max_pool(i):
            pool = layers[i + 1]
            out.append((f"ReLU+{pool!r}", pool.forward_after_relu, pool.backward_through_relu, (layers[i], pool)))
            i += 2
        else:
            layer = layers[i]
            back = (lambda d, layer=layer: layer.backward(d, need_dx=False)) if i == 0 else layer.backward
            out.append((repr(layer), layer.forward, back, (layer,)))
            i += 1
    return out


def timed(fn, arg, steps):
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def per_layer(model, xb, yb, steps, peak):
    """Median forward and backward time of every layer (ReLU + max-pool as Sequential runs them), with
    its GFLOP/s and share of the sgemm peak; then the loss and Adam."""
    parts = units(model)
    acts = [xb]
    for _, forward, _, _ in parts:
        acts.append(forward(acts[-1]))
    _, dlogits = softmax_cross_entropy(acts[-1], yb)
    douts = [None] * len(parts)
    d = dlogits
    for i in range(len(parts) - 1, -1, -1):
        douts[i] = d
        d = parts[i][2](d)
    print(f"{'layer':<36} {'fwd ms':>7} {'bwd ms':>7} {'GFLOP/s f':>9} {'GFLOP/s b':>9} "
          f"{'% peak f':>8} {'% peak b':>8}")
    total, notes = 0.0, []
    for i, (label, forward, backward, layers) in enumerate(parts):
        f, b = timed(forward, acts[i], steps), timed(backward, douts[i], steps)
        total += f + b
        flops_f, flops_b = layer_flops(layers[0], acts[i].shape, acts[i + 1].shape)
        if i == 0 and flops_b:
            flops_b //= 2              # the first layer skips dx
        if getattr(layers[0], "_dft", False):
            label += " [dft]"
            direct, own = conv_dft.flops(acts[i].shape, layers[0].params["w"].shape, layers[0]._geometry[1])
            notes.append(f"{label}: through conv_dft, which does {own / direct:.0%} of the direct "
                         f"convolution's multiply-adds; its own: {own / (f + b) / 1e9:.1f} GFLOP/s, "
                         f"{100 * own / (f + b) / 1e9 / peak:.0f}% of peak (forward + backward)")
        rate_f, rate_b = flops_f / f / 1e9, flops_b / b / 1e9
        share = (f"{100 * rate_f / peak:>7.0f}% {100 * rate_b / peak:>7.0f}%" if flops_f else
                 f"{'-':>8} {'-':>8}")
        rates = f"{rate_f:>9.1f} {rate_b:>9.1f}" if flops_f else f"{'-':>9} {'-':>9}"
        print(f"{label:<36} {1000 * f:>7.2f} {1000 * b:>7.2f} {rates} {share}")
    loss = timed(lambda _: softmax_cross_entropy(acts[-1], yb), None, steps)
    opt = Adam(1e-3)
    adam = timed(lambda _: opt.step(model), None, steps)
    print(f"{'softmax cross-entropy':<36} {1000 * loss:>7.2f}")
    print(f"{'Adam.step':<36} {1000 * adam:>7.2f}")
    print(f"{'sum':<36} {1000 * (total + loss + adam):>7.2f} ms")
    for note in notes:
        print(note)
    print("(GFLOP/s: the direct convolution's / the dense layer's multiply-adds x 2 per second; a [dft] "
          "layer does fewer)")


def main(args):
    x, y, _, _ = load_mnist(n_train=BATCH_SIZE, n_test=1)
    xb, yb = np.ascontiguousarray(x[:BATCH_SIZE]), y[:BATCH_SIZE]
    try:
        import torch
    except ImportError:
        torch = None
    print(f"# bench_step: {cpu_model()}, {os.cpu_count()} CPUs, threads {args.threads}, numpy "
          f"{np.__version__}, torch {torch.__version__ if torch else 'not installed'}, batch {BATCH_SIZE}, "
          f"load average {os.getloadavg()[0]:.2f}")
    step, model = cnnlib_stepper(xb, yb)
    if args.layers:
        peak = sgemm_peak()
        print(f"sgemm peak (2048^3 float32 matmul, {args.threads} thread(s)): {peak:.1f} GFLOP/s")
        per_layer(model, xb, yb, max(args.steps, 20), peak)
        return 0
    tstep = torch_stepper(torch, xb, yb, args.threads) if torch else None
    for _ in range(3):
        step()
        if tstep:
            tstep()
    ours, theirs, ratios = [], [], []
    for _ in range(args.blocks):
        ours.append(time_block(step, args.steps))
        if tstep:
            theirs.append(time_block(tstep, args.steps))
            ratios.append(ours[-1] / theirs[-1])
    print(f"cnnlib step: median {1000 * statistics.median(ours):.1f} ms (blocks {1000 * min(ours):.1f}-"
          f"{1000 * max(ours):.1f})")
    if not tstep:
        print("torch not installed: comparison skipped (see benchmarks/README.md for a torch venv)")
        return 0
    print(f"torch  step: median {1000 * statistics.median(theirs):.1f} ms (blocks {1000 * min(theirs):.1f}-"
          f"{1000 * max(theirs):.1f})")
    print(f"ratio cnnlib / torch: {statistics.median(ratios):.2f}x (median of {args.blocks} alternating "
          f"blocks of {args.steps} steps; range {min(ratios):.2f}-{max(ratios):.2f}); load average "
          f"{os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(ARGS))

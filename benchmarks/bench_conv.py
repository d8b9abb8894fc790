#!/usr/bin/env python3
"""Time cnnlib's convolution: the loops (conv2d_naive) against the vectorized im2col version, and
forward / backward per layer, side by side with PyTorch (CPU) when torch can be imported.

    .venv/bin/python benchmarks/bench_conv.py --threads 1            # cnnlib only (no torch here)
    ../torchvenv/bin/python benchmarks/bench_conv.py --threads 1  # with the PyTorch columns
    ../torchvenv/bin/python benchmarks/bench_conv.py --threads 2

The BLAS thread count is fixed before numpy loads (OPENBLAS_NUM_THREADS etc.), and again with
threadpoolctl when it is installed; torch gets torch.set_num_threads(n). Every time is the best of
several runs (the least disturbed by other work on the machine), float32 throughout. The loops are
too slow to run on the whole batch every time: they run on a slice of the batch, and the time is
scaled to the whole batch (the loops do the same work for every image, so the time is linear in N);
the script prints exactly what it timed.
"""
import argparse
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS / torch threads (default 1)")
    parser.add_argument("--batch", type=int, default=64, help="images per batch (default 64)")
    parser.add_argument("--naive-images", type=int, default=4,
                        help="images the loop version runs on; its time is scaled to --batch (default 4)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per vectorized timing (best is kept)")
    return parser.parse_args()


ARGS = parse()
# The thread count must be in the environment before numpy (and its BLAS) is imported.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(HERE, ".."))
from cnnlib import functional as F  # noqa: E402

try:
    from threadpoolctl import threadpool_limits
    threadpool_limits(ARGS.threads)
    THREADS_BY = f"threadpoolctl + OPENBLAS_NUM_THREADS={ARGS.threads}"
except ImportError:
    THREADS_BY = f"OPENBLAS_NUM_THREADS={ARGS.threads} (threadpoolctl not installed)"

try:
    import torch
    torch.set_num_threads(ARGS.threads)
except ImportError:
    torch = None


def best_time(fn, repeat):
    """Best wall time of `repeat` calls, in seconds, after one warm-up call."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def mnist_batch(n):
    """n MNIST training images (N, 1, 28, 28) float32 in [0, 1]; random ones if the data is missing."""
    try:
        from cnnlib.data import load_mnist
        x, _, _, _ = load_mnist(n_train=n, n_test=1)
        return np.ascontiguousarray(x[:n], dtype=np.float32), "MNIST training images"
    except Exception as error:  # noqa: BLE001 - the benchmark still runs without the data file
        return np.random.default_rng(0).random((n, 1, 28, 28), dtype=np.float32), f"random ({error})"


def naive_vs_vectorized(x, source):
    """Section 1: conv2d_naive against conv2d on a batch of MNIST-sized images, 1 -> 8 channels, 3x3."""
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((8, 1, 3, 3)) * 0.3).astype(np.float32)
    b = np.zeros(8, dtype=np.float32)
    N, k = len(x), min(ARGS.naive_images, len(x))
    fast = best_time(lambda: F.conv2d(x, w, b), ARGS.repeat)
    slow_part = best_time(lambda: F.conv2d_naive(x[:k], w, b), 2)
    slow = slow_part * N / k
    diff = np.abs(F.conv2d(x[:k], w, b) - F.conv2d_naive(x[:k], w, b)).max()
    print(f"## 1. Loops vs im2col: conv2d forward, x {x.shape} ({source}), w {w.shape}, padding 0, float32")
    print(f"conv2d_naive: timed on {k} of the {N} images: {slow_part * 1e3:.1f} ms, "
          f"scaled x{N / k:g} to the batch: {slow * 1e3:.0f} ms")
    print(f"conv2d (im2col + matmul), whole batch of {N}: {fast * 1e3:.3f} ms")
    print(f"speed-up: {slow / fast:.0f}x   (largest difference between the two: {diff:.1e})")
    if torch is not None:
        xt, wt, bt = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)
        with torch.no_grad():
            t = best_time(lambda: torch.nn.functional.conv2d(xt, wt, bt), ARGS.repeat)
            same = np.abs(torch.nn.functional.conv2d(xt, wt, bt).numpy() - F.conv2d(x, w, b)).max()
        print(f"torch.nn.functional.conv2d, same batch: {t * 1e3:.3f} ms   "
              f"(cnnlib / torch = {fast / t:.2f}; largest difference {same:.1e})")
    print()


def layer_cases(N):
    """Section 2's layers: chapter 10's CNN (conv 5x5, max-pool 2) and the small 3x3 conv above."""
    return [
        ("conv 1->8 3x3", "conv", (N, 1, 28, 28), dict(f=8, k=3, stride=1, padding=0)),
        ("conv 1->16 5x5", "conv", (N, 1, 28, 28), dict(f=16, k=5, stride=1, padding=0)),
        ("max-pool 2x2", "max", (N, 16, 24, 24), dict(k=2)),
        ("conv 16->32 5x5", "conv", (N, 16, 12, 12), dict(f=32, k=5, stride=1, padding=0)),
        ("max-pool 2x2", "max", (N, 32, 8, 8), dict(k=2)),
        ("conv 8->16 3x3 same s2", "conv", (N, 8, 28, 28), dict(f=16, k=3, stride=2, padding=1)),
        ("avg-pool 2x2", "avg", (N, 16, 24, 24), dict(k=2)),
        ("max-pool 3x3 s2", "max", (N, 16, 24, 24), dict(k=3, stride=2)),
    ]


def cnnlib_layer(kind, x, p, rng):
    """(forward, forward+backward) closures for cnnlib."""
    if kind == "conv":
        w = (rng.standard_normal((p["f"], x.shape[1], p["k"], p["k"])) * 0.1).astype(np.float32)
        b = np.zeros(p["f"], dtype=np.float32)
        out = F.conv2d(x, w, b, p["stride"], p["padding"])
        dout = rng.standard_normal(out.shape).astype(np.float32)
        forward = lambda: F.conv2d(x, w, b, p["stride"], p["padding"])  # noqa: E731

        def both():
            F.conv2d(x, w, b, p["stride"], p["padding"])
            F.conv2d_backward(dout, x, w, p["stride"], p["padding"])
        return forward, both, (w, b, dout)
    pool, back = (F.max_pool2d, F.max_pool2d_backward) if kind == "max" else (F.avg_pool2d, F.avg_pool2d_backward)
    stride = p.get("stride")
    dout = rng.standard_normal(pool(x, p["k"], stride).shape).astype(np.float32)

    def both():
        pool(x, p["k"], stride)
        back(dout, x, p["k"], stride)
    return (lambda: pool(x, p["k"], stride)), both, (None, None, dout)


def torch_layer(kind, x, p, arrays):
    """(forward, forward+backward) closures for PyTorch, same data; autograd computes dx (and dw, db)."""
    w, b, dout = arrays
    xt = torch.from_numpy(x).requires_grad_(True)
    dt = torch.from_numpy(dout)
    if kind == "conv":
        wt = torch.from_numpy(w).requires_grad_(True)
        bt = torch.from_numpy(b).requires_grad_(True)
        op = lambda: torch.nn.functional.conv2d(xt, wt, bt, p["stride"], p["padding"])  # noqa: E731
    elif kind == "max":
        op = lambda: torch.nn.functional.max_pool2d(xt, p["k"], p.get("stride"))  # noqa: E731
    else:
        op = lambda: torch.nn.functional.avg_pool2d(xt, p["k"], p.get("stride"))  # noqa: E731

    def forward():
        with torch.no_grad():
            op()

    leaves = [xt] + ([wt, bt] if kind == "conv" else [])

    def both():
        for leaf in leaves:
            leaf.grad = None                                  # fresh gradients, as cnnlib returns
        op().backward(dt)
    return forward, both


def per_layer():
    """Section 2: forward and forward+backward time per layer, cnnlib and (if present) torch."""
    N = ARGS.batch
    rng = np.random.default_rng(1)
    print(f"## 2. Per layer, batch {N}, float32, best of {ARGS.repeat} (ms)")
    header = f"{'layer':<24}{'input (N, C, H, W)':<22}{'fwd':>8}{'fwd+bwd':>9}"
    if torch is not None:
        header += f"{'torch fwd':>11}{'torch f+b':>11}{'ratio f+b':>11}"
    print(header)
    for name, kind, shape, p in layer_cases(N):
        x = rng.random(shape, dtype=np.float32)
        forward, both, arrays = cnnlib_layer(kind, x, p, rng)
        t_fwd, t_both = best_time(forward, ARGS.repeat), best_time(both, ARGS.repeat)
        line = f"{name:<24}{str(shape):<22}{t_fwd * 1e3:>8.2f}{t_both * 1e3:>9.2f}"
        if torch is not None:
            tf, tb = torch_layer(kind, x, p, arrays)
            t_tf, t_tb = best_time(tf, ARGS.repeat), best_time(tb, ARGS.repeat)
            line += f"{t_tf * 1e3:>11.2f}{t_tb * 1e3:>11.2f}{t_both / t_tb:>10.1f}x"
        print(line)
    if torch is not None:
        print("ratio f+b = cnnlib forward+backward time / torch forward+backward time (torch's backward "
              "includes autograd's bookkeeping)")


def main():
    print(f"# bench_conv: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"threads {ARGS.threads} ({THREADS_BY}), numpy {np.__version__}"
          + (f", torch {torch.__version__}" if torch is not None else ", PyTorch not installed")
          + f", load average {os.getloadavg()[0]:.2f}")
    x, source = mnist_batch(ARGS.batch)
    naive_vs_vectorized(x, source)
    per_layer()


if __name__ == "__main__":
    main()

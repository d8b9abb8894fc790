#!/usr/bin/env python3
"""Train chapter 10's CNN on the full MNIST from a terminal; print each epoch, the time and the test
accuracy; exit with status 1 if the test accuracy is below --min-acc (default 99.0%), the training
(fit, test evaluation after each epoch included) took longer than --max-seconds (default 60) or the
process's peak memory exceeded --max-mb (default 600 MB). Besides the wall time it prints the
process's CPU time: on a busy shared machine, CPU time at 1 thread is close to what the wall time
would be with a core to itself.

    .venv/bin/python benchmarks/train_mnist.py --seed 0 --threads 2
    .venv/bin/python benchmarks/train_mnist.py --quick        # 2,000 images, 1 epoch: a smoke test

The model, optimizer, schedule and augmentation are the ones notebooks/10_training_mnist.ipynb uses
(keep the two in step); benchmarks/bench_epoch.py imports build_model from here. --threads sets
the BLAS thread count (OPENBLAS/OMP/MKL_NUM_THREADS), which must be in the environment before numpy
is imported, hence the argument parsing before the imports below.
"""
import argparse
import os
import sys
import time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0, help="weights, shuffling and augmentation (default 0)")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (default: leave as is)")
    parser.add_argument("--epochs", type=int, default=None, help="default: EPOCHS below")
    parser.add_argument("--min-acc", type=float, default=99.0, help="exit 1 below this test accuracy (%%)")
    parser.add_argument("--lr", type=float, default=None, help="default: LR below")
    parser.add_argument("--max-shift", type=int, default=None, help="default: MAX_SHIFT below")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="exit 1 if training took longer")
    parser.add_argument("--max-mb", type=float, default=600.0, help="exit 1 if the peak memory was larger")
    parser.add_argument("--quick", action="store_true", help="2,000 training images, 1 epoch; no checks")
    return parser.parse_args(argv)


if __name__ == "__main__":  # the thread count must be in the environment before numpy loads
    ARGS = parse_args()
    if ARGS.threads is not None:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402  (after the thread count is set)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cnnlib.augment import random_shift  # noqa: E402
from cnnlib.data import load_mnist  # noqa: E402
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU  # noqa: E402
from cnnlib.model import Sequential  # noqa: E402
from cnnlib.optim import Adam, cosine_schedule  # noqa: E402
from cnnlib.threads import cpu_model  # noqa: E402

# The recipe (the notebook explains each choice)
EPOCHS = 4
BATCH_SIZE = 128
LR = 3e-3
MAX_SHIFT = 2   # augmentation: cnnlib.augment.random_shift, random shifts of up to +-MAX_SHIFT pixels


def build_model(seed=0):
    """The chapter's CNN: two 5x5 conv + ReLU + 2x2 max-pool blocks, then one Dense layer."""
    return Sequential(
        Conv2D(1, 16, 5, rng=seed), ReLU(), MaxPool2D(2),       # (16, 24, 24) -> (16, 12, 12)
        Conv2D(16, 32, 5, rng=seed + 1), ReLU(), MaxPool2D(2),  # (32, 8, 8) -> (32, 4, 4)
        Flatten(), Dense(32 * 4 * 4, 10, rng=seed + 2))         # 512 -> 10 logits


def main(args):
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"seed {args.seed}, BLAS threads {threads}, numpy {np.__version__}, load average "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    n_train = 2000 if args.quick else None
    epochs = 1 if args.quick else (args.epochs or EPOCHS)
    x_train, y_train, x_test, y_test = load_mnist(n_train=n_train)
    model = build_model(args.seed)
    lr = args.lr or LR
    shift = MAX_SHIFT if args.max_shift is None else args.max_shift
    print(f"recipe: {epochs} epochs, batch {BATCH_SIZE}, Adam lr {lr:g} with cosine decay, shifts up to "
          f"+-{shift} px", flush=True)
    start, cpu_start = time.perf_counter(), time.process_time()
    history = model.fit(x_train, y_train, optimizer=Adam(lr), epochs=epochs, batch_size=BATCH_SIZE,
                        rng=args.seed, augment=lambda xb, rng: random_shift(xb, rng, shift) if shift else xb,
                        lr_schedule=cosine_schedule(lr, epochs),
                        validation_data=(x_test, y_test), progress="text")
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    acc = 100 * history["val_acc"][-1]
    per_epoch = np.mean(history["time"])
    print(f"test accuracy {acc:.2f}% after {epochs} epochs; total {total:.1f} s "
          f"({per_epoch:.1f} s per epoch incl. test evaluation); CPU time {cpu:.1f} s (all threads); "
          f"load average {os.getloadavg()[0]:.2f}")
    peak_mb = peak_memory_mb()
    print(f"peak memory {peak_mb:.0f} MB; CPU {cpu_model()}")
    failed = []
    if acc < args.min_acc:
        failed.append(f"test accuracy {acc:.2f}% < {args.min_acc}%")
    if total > args.max_seconds:
        failed.append(f"training took {total:.1f} s > {args.max_seconds} s")
    if peak_mb is not None and peak_mb > args.max_mb:
        failed.append(f"peak memory {peak_mb:.0f} MB > {args.max_mb} MB")
    if failed and not args.quick:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


def peak_memory_mb():
    """The process's peak resident memory in MB (10^6 bytes), or None where `resource` is missing."""
    try:
        import resource
    except ImportError:
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss     # KiB on Linux (bytes on macOS)
    return kb * (1 if sys.platform == "darwin" else 1024) / 1e6




if __name__ == "__main__":
    sys.exit(main(ARGS))

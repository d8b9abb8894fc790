#!/usr/bin/env python3
"""Train chapter 10's CNN on the full MNIST from a terminal; print each epoch, the time and the test
accuracy; exit with status 1 if the test accuracy is below --min-acc (default 99.0%), the training
(fit, test evaluation after each epoch included) took longer than --max-seconds (default 60) or the
process's peak memory exceeded --max-mb (default 600 MB). Besides the wall time it prints the
process's CPU time: on a busy shared machine, CPU time at 1 thread is close to what the wall time
would be with a core to itself.

    .venv/bin/python benchmarks/train_mnist.py --seed 0 --threads 2
    .venv/bin/python benchmarks/train_mnist.py --quick        # 2,000 images, 1 epoch: a smoke test
    .venv/bin/python benchmarks/train_mnist.py --seed 0 --save data/mnist_cnn.npz   # chapter 11's weights

--save FILE also writes FILE.json (seed, recipe, test accuracy, CPU, versions); `python -m
cnnlib.pretrained rebuild` runs this and records the new hash (see data/README.md).

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
    parser.add_argument("--save", default=None, metavar="FILE",
                        help="write the trained weights to FILE (.npz) and the provenance to FILE.json "
                             "(only if the test accuracy reached --min-acc)")
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
from cnnlib.pretrained import build_model as pretrained_model  # noqa: E402
from cnnlib.optim import Adam, cosine_schedule  # noqa: E402
from cnnlib.threads import cpu_model  # noqa: E402

# The recipe (the notebook explains each choice)
EPOCHS = 4
BATCH_SIZE = 128
LR = 3e-3
MAX_SHIFT = 2   # augmentation: cnnlib.augment.random_shift, random shifts of up to +-MAX_SHIFT pixels


def build_model(seed=0):
    """The chapter's CNN (cnnlib.pretrained.build_model, shared with chapter 11's stored weights)."""
    return pretrained_model(seed)


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
    if args.save:
        save_with_provenance(model, args, acc, epochs, total)
    return 0


def peak_memory_mb():
    """The process's peak resident memory in MB (10^6 bytes), or None where `resource` is missing."""
    try:
        import resource
    except ImportError:
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss     # KiB on Linux (bytes on macOS)
    return kb * (1 if sys.platform == "darwin" else 1024) / 1e6


def save_with_provenance(model, args, acc, epochs, seconds):
    """Write the weights (atomically, Sequential.save) and FILE.json: how they were made."""
    import json
    import platform
    model.save(args.save)
    os.chmod(args.save, 0o644)  # save() writes through a private temporary file (mode 600)
    shift = MAX_SHIFT if args.max_shift is None else args.max_shift
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    info = {"seed": args.seed, "epochs": epochs, "batch_size": BATCH_SIZE, "lr": args.lr or LR,
            "optimizer": "Adam, cosine schedule", "augment": f"random_shift (+-{shift} pixels)",
            "n_train": 2000 if args.quick else 60000, "test_accuracy_percent": round(acc, 2),
            "train_seconds": round(seconds, 1), "cpu": cpu_model(),
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"), "numpy": np.__version__,
            "python": platform.python_version(),
            "command": "python benchmarks/train_mnist.py --seed %d --save %s" % (
                args.seed, os.path.relpath(os.path.abspath(args.save), root))}
    with open(args.save + ".json.tmp", "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    os.replace(args.save + ".json.tmp", args.save + ".json")
    print(f"saved {args.save} and {args.save}.json")


if __name__ == "__main__":
    sys.exit(main(ARGS))

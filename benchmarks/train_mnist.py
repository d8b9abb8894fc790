#!/usr/bin/env python3
"""Train chapter 10's CNN on the full MNIST from a terminal; print each epoch, the time and the test
accuracy; exit with status 1 if the test accuracy is below --min-acc (default 99.0%). Besides the wall time
it prints the process's CPU time: on a busy shared machine, CPU time at 1 thread is close to what the
wall time would be with a core to itself.

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
    parser.add_argument("--quick", action="store_true", help="2,000 training images, 1 epoch; no accuracy check")
    parser.add_argument("--save", default=None, metavar="FILE",
                        help="write the trained weights to FILE (.npz) and the provenance to FILE.json")
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

# The recipe (the notebook explains each choice)
EPOCHS = 6
BATCH_SIZE = 128
LR = 2e-3
# augmentation: cnnlib.augment.random_shift, random shifts of up to +-2 pixels


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
    start, cpu_start = time.perf_counter(), time.process_time()
    history = model.fit(x_train, y_train, optimizer=Adam(LR), epochs=epochs, batch_size=BATCH_SIZE,
                        rng=args.seed, augment=random_shift, lr_schedule=cosine_schedule(LR, epochs),
                        validation_data=(x_test, y_test), progress="text")
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    acc = 100 * history["val_acc"][-1]
    per_epoch = np.mean(history["time"])
    print(f"test accuracy {acc:.2f}% after {epochs} epochs; total {total:.1f} s "
          f"({per_epoch:.1f} s per epoch incl. test evaluation); CPU time {cpu:.1f} s (all threads); "
          f"load average {os.getloadavg()[0]:.2f}")
    if not args.quick and acc < args.min_acc:
        print(f"FAILED: test accuracy {acc:.2f}% < {args.min_acc}%")
        return 1
    if args.save:
        save_with_provenance(model, args, acc, epochs, total)
    return 0


def save_with_provenance(model, args, acc, epochs, seconds):
    """Write the weights (atomically, Sequential.save) and FILE.json: how they were made."""
    import json
    import platform
    from cnnlib.pretrained import cpu_model
    model.save(args.save)
    os.chmod(args.save, 0o644)  # save() writes through a private temporary file (mode 600)
    info = {"seed": args.seed, "epochs": epochs, "batch_size": BATCH_SIZE, "lr": LR,
            "optimizer": "Adam, cosine schedule", "augment": "random_shift (+-2 pixels)",
            "n_train": 2000 if args.quick else 60000, "test_accuracy_percent": round(acc, 2),
            "train_seconds": round(seconds, 1), "cpu": cpu_model(), "numpy": np.__version__,
            "python": platform.python_version(),
            "command": "python benchmarks/train_mnist.py --seed %d --save %s" % (
                args.seed, os.path.relpath(os.path.abspath(args.save), os.path.dirname(os.path.dirname(
                    os.path.abspath(__file__)))))}
    with open(args.save + ".json.tmp", "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    os.replace(args.save + ".json.tmp", args.save + ".json")
    print(f"saved {args.save} and {args.save}.json")


if __name__ == "__main__":
    sys.exit(main(ARGS))

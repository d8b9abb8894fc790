"""Chapter 10's CNN, trained, from data/mnist_cnn.npz (checked by SHA-256), and the command that rebuilds it.

    model = load_pretrained()          # a Sequential with the trained weights; 99% on the test digits
    info = provenance()                # {'seed': 0, 'epochs': ..., 'test_accuracy_percent': ..., 'cpu': ...}

    python -m cnnlib.pretrained verify     # check data/mnist_cnn.npz: prints OK and its SHA-256
    python -m cnnlib.pretrained rebuild    # train again (benchmarks/train_mnist.py --seed 0 --save ...)
                                           # and write the new SHA-256 to data/mnist_cnn.sha256

The expected hash lives in data/mnist_cnn.sha256 (one line), so a rebuild with another recipe changes
one small file, not this code. Training is deterministic for one machine; another CPU's BLAS can give
other last bits, hence other bytes: rebuild, then commit the .npz, its .json and its .sha256 together.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from .layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from .model import Sequential
from .threads import cpu_model  # noqa: F401  (re-exported: benchmarks/redraw_drawing.py)

DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_PATH = DATA / "mnist_cnn.npz"
REBUILD = "python -m cnnlib.pretrained rebuild"
HINT = (f"Restore the committed copy with `git checkout -- data/mnist_cnn.npz data/mnist_cnn.sha256`, or "
        f"train it again with `{REBUILD}` (a few minutes); see data/README.md.")


class WeightsMissing(FileNotFoundError):
    """The weights file is not there."""


class WeightsCorrupt(ValueError):
    """The weights file's SHA-256 is not the recorded one (truncated, altered, or for other layers)."""


def build_model(seed=0, dtype=np.float32):
    """Chapter 10's CNN (untrained): two 5x5 conv + ReLU + 2x2 max-pool blocks, then one Dense layer.
    (1, 28, 28) -> (16, 24, 24) -> (16, 12, 12) -> (32, 8, 8) -> (32, 4, 4) -> 512 -> 10 logits.
    benchmarks/train_mnist.py trains exactly this model."""
    return Sequential(
        Conv2D(1, 16, 5, rng=seed, dtype=dtype), ReLU(), MaxPool2D(2),
        Conv2D(16, 32, 5, rng=seed + 1, dtype=dtype), ReLU(), MaxPool2D(2),
        Flatten(), Dense(32 * 4 * 4, 10, rng=seed + 2, dtype=dtype))


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def expected_sha256(path=DEFAULT_PATH):
    """The recorded hash: the first word of <path without .npz>.sha256."""
    path = Path(path)
    record = path.with_suffix(".sha256")
    if not record.is_file():
        raise WeightsMissing(f"no recorded hash {record} for {path}. {HINT}")
    return record.read_text().split()[0]


def verify(path=None, expected=None):
    """Check the weights file's SHA-256 against the recorded one; return it. Raises WeightsMissing or
    WeightsCorrupt with the fix."""
    path = Path(DEFAULT_PATH if path is None else path)
    if not path.is_file():
        raise WeightsMissing(f"trained weights not found: {path}. {HINT}")
    want = expected_sha256(path) if expected is None else expected
    got = file_sha256(path)
    if got != want:
        raise WeightsCorrupt(f"{path} ({path.stat().st_size:,} bytes) has SHA-256 {got}, expected {want}: "
                             f"the file is truncated or altered. {HINT}")
    return got


def load_pretrained(path=None, expected=None, dtype=np.float32):
    """build_model() with the trained weights from path (default data/mnist_cnn.npz), hash-checked first.
    dtype=np.float64 gives a float64 copy (for gradient checks). A file for other layers raises
    ValueError naming the differing parameters (Sequential.load)."""
    path = Path(DEFAULT_PATH if path is None else path)
    verify(path, expected)
    return build_model(dtype=dtype).load(path)


def provenance(path=None):
    """The JSON written beside the weights by benchmarks/train_mnist.py --save (seed, recipe, accuracy, CPU)."""
    path = Path(DEFAULT_PATH if path is None else path)
    with open(str(path) + ".json") as f:
        return json.load(f)


def rebuild(path=DEFAULT_PATH, seed=0):
    """Train with benchmarks/train_mnist.py --save, then record the new file's SHA-256 (atomically)."""
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "train_mnist.py"
    # a rebuild is not a benchmark: no time or memory limit, only the accuracy check (--min-acc 99)
    result = subprocess.run([sys.executable, str(script), "--seed", str(seed), "--save", str(path),
                             "--max-seconds", "1e9", "--max-mb", "1e9"])
    if result.returncode != 0:
        raise RuntimeError(f"training failed (exit code {result.returncode}); {path} is unchanged")
    digest = file_sha256(path)
    record = Path(path).with_suffix(".sha256")
    tmp = record.with_suffix(".sha256.tmp")
    tmp.write_text(f"{digest}  {Path(path).name}\n")
    os.replace(tmp, record)
    return digest


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check or rebuild data/mnist_cnn.npz.")
    parser.add_argument("action", choices=("verify", "rebuild"))
    parser.add_argument("--path", default=str(DEFAULT_PATH))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        digest = verify(args.path) if args.action == "verify" else rebuild(args.path, args.seed)
    except (OSError, ValueError, RuntimeError) as err:
        print(f"FAILED: {err}")
        return 1
    print(f"OK  {digest}  {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

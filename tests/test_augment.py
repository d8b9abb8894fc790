"""cnnlib.augment.random_shift: each image moved by whole pixels, zeros filled in, input untouched."""
import numpy as np

from cnnlib.augment import random_shift


def test_random_shift_moves_each_image_by_whole_pixels():
    rng = np.random.default_rng(0)
    x = rng.random((50, 1, 8, 8)).astype(np.float32) + 1  # no zeros inside, so the fill is visible
    before = x.copy()
    out = random_shift(x, np.random.default_rng(1), max_shift=2)
    assert out.shape == x.shape and out.dtype == x.dtype
    assert np.array_equal(x, before)  # the caller's batch is not changed
    offsets = set()
    for image, moved in zip(x[:, 0], out[:, 0]):
        found = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)
                 if np.array_equal(moved, np.roll(np.pad(image, 2), (dy, dx), axis=(0, 1))[2:-2, 2:-2])]
        assert len(found) == 1  # exactly one shift explains it
        offsets.add(found[0])
    assert len(offsets) > 5  # images get different offsets


def test_random_shift_is_reproducible_for_a_seed():
    x = np.arange(2 * 1 * 5 * 5, dtype=np.float32).reshape(2, 1, 5, 5)
    a = random_shift(x, np.random.default_rng(3))
    b = random_shift(x, np.random.default_rng(3))
    assert np.array_equal(a, b)

"""Data augmentation, numpy only (chapter 10): cheap random changes to training images, so the
model sees a slightly different digit every epoch and learns that a small shift changes nothing."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def random_shift(x, rng, max_shift=2):
    """Move each image by its own random whole-pixel offset in [-max_shift, max_shift] (rows and
    columns independently), filling the uncovered border with zeros.

    x: (N, C, H, W), rng: a numpy Generator. Returns a new (N, C, H, W) array; x is not changed.
    Works as Sequential.fit's `augment(x_batch, rng)` hook.
    """
    N, C, H, W = x.shape
    s = max_shift
    padded = np.pad(x, ((0, 0), (0, 0), (s, s), (s, s)))          # (N, C, H + 2s, W + 2s)
    windows = sliding_window_view(padded, (H, W), axis=(2, 3))    # (N, C, 2s+1, 2s+1, H, W), a view
    dy, dx = rng.integers(0, 2 * s + 1, size=(2, N))              # top-left corner of each crop
    return windows[np.arange(N), :, dy, dx]                        # (N, C, H, W), a copy

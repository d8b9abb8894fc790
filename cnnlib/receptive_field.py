"""Which input pixels can change one output: the receptive field, measured by nudging each pixel.

    influence_map(fn, x, index) -> (H, W) bool   True where changing x[r, c] changes fn(x)[index]

fn: any function of one (H, W) image (e.g. two 3x3 convolutions in a row). The map is measured, not
computed from a formula: every pixel is nudged by +1 in turn (H*W calls of fn) and the output
compared. For stacked 'valid' convolutions of sizes f_1, ..., f_L (stride 1) the field of one
output is a square of side 1 + sum (f_l - 1): two 3x3 layers see 5x5, like one 5x5 layer.
"""
import numpy as np


def influence_map(fn, x, index, tol=1e-12):
    """(H, W) bool: where a +1 nudge of x[r, c] changes fn(x)[index] by more than tol.

    Caveat: with ReLU in fn a pixel whose nudge stays in a zeroed region counts as not seen; use
    positive weights (or no ReLU) to measure the geometric field."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"influence_map: x must be one image (H, W), got shape {x.shape}.")
    base = np.asarray(fn(x))[index]
    seen = np.zeros(x.shape, dtype=bool)
    for r, c in np.ndindex(*x.shape):
        nudged = x.copy()
        nudged[r, c] += 1.0
        seen[r, c] = abs(np.asarray(fn(nudged))[index] - base) > tol
    return seen


def stacked_field_size(kernel_sizes):
    """Side of the receptive field of stride-1 layers with these kernel sizes: 1 + sum(f - 1)."""
    return 1 + sum(int(f) - 1 for f in kernel_sizes)

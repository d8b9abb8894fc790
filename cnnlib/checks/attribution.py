"""Checks for chapter 11 (what the network looks at): ``check_<name>(student_fn)``.

    check_fgsm_step(fn)        fn(x, grad, eps) -> clip(x + eps * sign(grad), 0, 1)
    check_center_of_mass(fn)   fn(image (H, W)) -> (row, col), the intensity-weighted mean position

Each prints a verdict (and, for a typical mistake, a hint) and returns True / False.
"""
import numpy as np

from ..adversarial import fgsm_step
from ..handwriting import center_of_mass
from .core import run_check

__all__ = ["check_fgsm_step", "check_center_of_mass"]


def _fgsm_cases():
    rng = np.random.default_rng(11)
    return [
        ("by hand: 0.5 + 0.1 * sign(+3) = 0.6, 0.5 + 0.1 * sign(-2) = 0.4",
         (np.array([0.5, 0.5]), np.array([3.0, -2.0]), 0.1)),
        ("a zero gradient leaves the pixel alone (sign(0) = 0)", (np.array([0.3, 0.7]), np.array([0.0, 1.0]), 0.2)),
        ("pixels stay in [0, 1]: 0.95 + 0.1 -> 1, 0.02 - 0.1 -> 0",
         (np.array([0.95, 0.02]), np.array([1.0, -1.0]), 0.1)),
        ("a batch of 2 random 1 x 4 x 4 images", (rng.random((2, 1, 4, 4)), rng.normal(size=(2, 1, 4, 4)), 0.05)),
    ]


def _fgsm_hint(args, got, want):
    x, grad, eps = args
    got = np.asarray(got, dtype=float)
    if got.shape != want.shape:
        return f"return an array of the shape of x, {want.shape}."
    raw = not np.allclose(np.abs(grad), np.abs(np.sign(grad)))  # on a gradient of +-1 and 0 the two agree
    if raw and (np.allclose(got, x + eps * grad) or np.allclose(got, np.clip(x + eps * grad, 0, 1))):
        return "use the SIGN of the gradient (np.sign), not the gradient itself: every pixel moves by exactly eps."
    if np.allclose(got, x + eps * np.sign(grad)):
        return "clip to the pixel range: np.clip(..., 0, 1)."
    if np.allclose(got, np.clip(x - eps * np.sign(grad), 0, 1)):
        return "step UP the loss (+ eps * sign), to make the model more wrong, not down."
    return None


def check_fgsm_step(student_fn):
    """fn(x, grad, eps) -> np.clip(x + eps * np.sign(grad), 0, 1)."""
    return run_check("fgsm_step", student_fn, fgsm_step, _fgsm_cases(), atol=1e-6, hint=_fgsm_hint)


def _com_cases():
    one = np.zeros((5, 5))
    one[1, 3] = 1.0
    two = np.zeros((4, 4))
    two[0, 0], two[2, 2] = 1.0, 3.0
    rng = np.random.default_rng(12)
    return [
        ("one lit pixel at row 1, column 3", (one,)),
        ("weights 1 at (0, 0) and 3 at (2, 2): (0 + 6) / 4 = 1.5 for both", (two,)),
        ("a 3 x 6 image (rows and columns differ)", (rng.random((3, 6)),)),
        ("a random 28 x 28 image", (rng.random((28, 28)),)),
    ]


def _com_hint(args, got, want):
    try:
        got = tuple(float(v) for v in got)
    except (TypeError, ValueError):
        return "return a pair (row, col) of numbers."
    if len(got) == 2 and np.allclose(got[::-1], want):
        return "the order is (row, col): row first (the vertical position), as image[row, col]."
    (image,) = args
    if len(got) == 2 and np.allclose(got, np.unravel_index(np.argmax(image), image.shape)):
        return "that is the brightest pixel; the centre of mass weighs every position by its intensity."
    return None


def check_center_of_mass(student_fn):
    """fn(image (H, W)) -> (row, col): sum(row * image) / sum(image), sum(col * image) / sum(image)."""
    def reference(image):
        return tuple(center_of_mass(image))

    def student(image):
        result = student_fn(image)
        return tuple(result) if isinstance(result, (tuple, list, np.ndarray)) else result

    return run_check("center_of_mass", student, reference, _com_cases(), atol=1e-6, hint=_com_hint)

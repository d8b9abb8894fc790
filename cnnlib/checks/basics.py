"""Checks for the exercises of chapters 01 (why CNNs) and 02 (convolution and cross-correlation).

Each check_<name>(fn) runs the learner's fn on several cases against a reference, prints a verdict
(with a hint for the usual mistakes) and returns True / False; it never raises on a wrong answer.
"""
import numpy as np

from .. import functional as F
from .core import run_check

__all__ = ["check_dense_params", "check_conv_params", "check_shift_image", "check_flat_neighbours",
           "check_correlate2d_valid", "check_convolve2d_valid", "check_correlate2d_full",
           "check_output_shape"]


# ------------------------------------------------------------------------------ chapter 01

def _dense_params(n_in, n_out):
    return n_in * n_out + n_out  # one weight per (input, output) pair, one bias per output


def _conv_params(c_in, n_filters, k):
    return n_filters * (c_in * k * k + 1)  # each filter: c_in x k x k weights and one bias


def check_dense_params(fn):
    """fn(n_in, n_out) -> number of weights and biases of a dense layer with n_in inputs, n_out outputs."""
    cases = [("a single neuron with one input", (1, 1)),
             ("MNIST 28x28 -> 100 units", (784, 100)),
             ("224x224x3 photo -> 1000 units", (224 * 224 * 3, 1000)),
             ("5 inputs -> 3 outputs", (5, 3))]

    def hint(args, got, want):
        n_in, n_out = args
        if got == n_in * n_out:
            return "each output also has a bias: add n_out."
        if got == n_in * n_out + n_in:
            return "the biases belong to the outputs (one per output unit), not to the inputs."
        if got == n_in * n_out + 1 and n_out > 1:
            return "each output unit has its own bias: n_out biases, not one for the whole layer."
        if got == n_in + n_out:
            return "every input connects to every output: n_in * n_out weights, plus n_out biases."
        return None
    return run_check("dense_params", fn, _dense_params, cases, hint=hint)


def check_conv_params(fn):
    """fn(c_in, n_filters, k) -> number of weights and biases of a conv layer with k x k kernels."""
    cases = [("one 3x3 filter on a grey image", (1, 1, 3)),
             ("8 filters 5x5 on a grey image", (1, 8, 5)),
             ("64 filters 3x3 on an RGB image", (3, 64, 3)),
             ("32 filters 1x1 on 16 channels", (16, 32, 1))]

    def hint(args, got, want):
        c_in, n_filters, k = args
        if got == n_filters * c_in * k * k:
            return "each filter also has one bias: add n_filters."
        if got == n_filters * (k * k + 1) and c_in > 1:
            return "a filter spans every input channel: it has c_in * k * k weights."
        if got == n_filters * c_in * k * k + c_in:
            return "there is one bias per filter (per output channel), not per input channel."
        if got == n_filters * c_in * (k * k + 1) and c_in > 1:
            return "one bias per filter, not one per (filter, input channel): n_filters * (c_in * k * k + 1)."
        if got == n_filters * (c_in * k + 1) and k > 1:
            return "a k x k kernel has k * k weights per input channel, not k."
        return None
    return run_check("conv_params", fn, _conv_params, cases, hint=hint)


def _shift_reference(img, dy, dx):
    """Shift with zero fill, done as pad-then-crop (a different route from cnnlib.viz.why.shift_image)."""
    H, W = img.shape
    dy, dx = int(np.clip(dy, -H, H)), int(np.clip(dx, -W, W))
    padded = F.pad2d(img, (H, H, W, W))  # room to move a whole image in each direction
    return padded[H - dy:2 * H - dy, W - dx:2 * W - dx].astype(img.dtype)


def check_shift_image(fn):
    """fn(img, dy, dx) -> img moved dy rows down and dx columns right, zeros coming in, same shape."""
    a = np.arange(1.0, 21.0).reshape(4, 5)
    cases = [("no shift", (a, 0, 0)),
             ("one row down", (a, 1, 0)),
             ("two columns right", (a, 0, 2)),
             ("up and left", (a, -1, -3)),
             ("down and left", (a, 2, -1)),
             ("pushed out of the frame", (a, 4, 0))]

    def hint(args, got, want):
        img, dy, dx = args
        got = np.asarray(got)
        if got.shape != img.shape:
            return f"the result must keep the image's shape {img.shape}."
        if np.array_equal(got, np.roll(img, (dy, dx), axis=(0, 1))):
            return "np.roll wraps pixels around to the other side; the pixels that come in must be 0."
        if np.array_equal(got, _shift_reference(img, -dy, -dx)):
            return "the shift goes the wrong way: positive dy moves the picture down, positive dx right."
        if np.array_equal(got, _shift_reference(img, dx, dy)):
            return "rows and columns are swapped: dy moves along axis 0 (rows), dx along axis 1."
        return None
    return run_check("shift_image", fn, _shift_reference, cases, hint=hint)


def _flat_neighbours(r, c, H, W):
    """Flat (row-major) indices of the up / down / left / right neighbours of pixel (r, c), sorted."""
    around = [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]
    return sorted(rr * W + cc for rr, cc in around if 0 <= rr < H and 0 <= cc < W)


def check_flat_neighbours(fn):
    """fn(r, c, H, W) -> sorted list of the flat indices of the pixels above, below, left and right
    of (r, c) in an H x W image flattened row by row (only those inside the image)."""
    cases = [("the middle of a 3x4 image", (1, 1, 3, 4)),
             ("top-left corner", (0, 0, 3, 4)),
             ("end of the first row", (0, 3, 3, 4)),
             ("start of the last row", (2, 0, 3, 4)),
             ("a tall 4x3 image", (2, 1, 4, 3)),
             ("a 28x28 digit", (10, 27, 28, 28)),
             ("a single pixel", (0, 0, 1, 1))]

    def hint(args, got, want):
        if not isinstance(got, (list, tuple)):
            return f"return a list of ints, e.g. {want}, not {type(got).__name__}."
        r, c, H, W = args
        flat = r * W + c
        wrapped = sorted(i for i in (flat - W, flat + W, flat - 1, flat + 1) if 0 <= i < H * W)
        if list(got) == wrapped:
            return ("a pixel at the end of a row has no right neighbour: flat index + 1 is the first pixel "
                    "of the next row (check the column, not just the flat range).")
        if list(got) == _flat_neighbours(r, c, H, H) or list(got) == sorted(
                rr * H + cc for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)) if 0 <= rr < H and 0 <= cc < W):
            return "a row holds W pixels, so the pixel below (r, c) is W places further on: flat index r * W + c."
        if sorted(got) == want and list(got) != want:
            return "sort the list."
        return None
    return run_check("flat_neighbours", fn, _flat_neighbours, cases, hint=hint)


# ------------------------------------------------------------------------------ chapter 02

def _correlate_cases():
    rng = np.random.default_rng(2)
    return [("3x3 image, 2x2 kernel (the worked example)",
             (np.array([[1.0, 2.0, 0.0], [3.0, 1.0, 4.0], [0.0, 2.0, 1.0]]), np.array([[1.0, 2.0], [0.0, -1.0]]))),
            ("asymmetric 3x2 kernel on 5x4", (rng.integers(-3, 4, (5, 4)).astype(float),
                                               np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.0]]))),
            ("1x1 kernel scales the image", (rng.random((4, 4)), np.array([[2.5]]))),
            ("kernel as big as the image", (rng.random((3, 4)), rng.random((3, 4)))),
            ("random 7x6 image, 3x3 kernel", (rng.random((7, 6)), rng.standard_normal((3, 3))))]


def _shape_hint(args, got):
    image, kernel = args
    got = np.asarray(got)
    (H, W), (KH, KW) = image.shape, kernel.shape
    if got.shape != (H - KH + 1, W - KW + 1):
        return (f"'valid' output is (H - KH + 1, W - KW + 1) = ({H - KH + 1}, {W - KW + 1}) here, got "
                f"{got.shape}: the window fits at positions 0 .. H - KH, which is H - KH + 1 of them.")
    return None


def check_correlate2d_valid(fn):
    """fn(image, kernel) -> 'valid' cross-correlation, equation (2.4): out[i, j] = sum image[i+u, j+v] k[u, v]."""
    def hint(args, got, want):
        image, kernel = args
        message = _shape_hint(args, got)
        if message:
            return message
        if np.allclose(got, F.convolve2d(image, kernel)):
            return "you flipped the kernel: that is convolution. Cross-correlation uses kernel[u, v] as it is."
        if kernel.shape[0] == kernel.shape[1] and np.allclose(got, F.correlate2d(image, kernel.T)):
            return ("rows and columns are mixed up somewhere (kernel[v, u] used for kernel[u, v]): i, u "
                    "index rows (axis 0), j, v columns (axis 1).")
        return None
    return run_check("correlate2d_valid", fn, lambda image, kernel: F.correlate2d(image, kernel, "valid"),
                     _correlate_cases(), hint=hint)


def check_convolve2d_valid(fn):
    """fn(image, kernel) -> 'valid' convolution: cross-correlation with the kernel flipped in both axes."""
    def hint(args, got, want):
        image, kernel = args
        got = np.asarray(got)
        for turns in (1, 3):  # np.rot90 once: a quarter turn, not the half turn convolution needs
            turned = np.rot90(kernel, turns)
            if turned.shape[0] <= image.shape[0] and turned.shape[1] <= image.shape[1]:
                rotated = F.correlate2d(image, turned)
                if got.shape == rotated.shape and np.allclose(got, rotated):
                    return "np.rot90(kernel) turns it by 90 degrees; the flip is a 180-degree turn: kernel[::-1, ::-1]."
        message = _shape_hint(args, got)
        if message:
            return message
        if np.allclose(got, F.correlate2d(image, kernel)):
            return "the kernel was not flipped: convolution is correlation with kernel[::-1, ::-1]."
        if np.allclose(got, F.correlate2d(image, kernel[::-1])) or np.allclose(got, F.correlate2d(image, kernel[:, ::-1])):
            return "flip the kernel in both axes (up-down and left-right), not just one."
        if np.allclose(got, F.correlate2d(image, kernel.T)):
            return "a transpose is not a flip: use kernel[::-1, ::-1] (a 180-degree rotation)."
        return None
    return run_check("convolve2d_valid", fn, lambda image, kernel: F.convolve2d(image, kernel, "valid"),
                     _correlate_cases(), hint=hint)


def check_correlate2d_full(fn):
    """fn(image, kernel) -> 'full' cross-correlation: KH-1 rows and KW-1 columns of zeros on every side,
    then 'valid'. Output (H + KH - 1, W + KW - 1)."""
    def hint(args, got, want):
        image, kernel = args
        (H, W), (KH, KW) = image.shape, kernel.shape
        got = np.asarray(got)
        one_side = [F.correlate2d(F.pad2d(image, pads), kernel)
                    for pads in ((KH - 1, 0, KW - 1, 0), (0, KH - 1, 0, KW - 1))]
        if any(got.shape == o.shape and np.allclose(got, o) for o in one_side) and KH * KW > 1:
            return ("the zeros went on one side only, which gives the 'same' size (H, W): 'full' pads "
                    "KH - 1 rows at the top AND at the bottom, KW - 1 columns on the left AND on the right.")
        if got.shape == (H, W) and KH > 1:
            return "that is the 'same' size; 'full' pads KH - 1 rows (not (KH - 1) / 2) on each side."
        if got.shape == (H - KH + 1, W - KW + 1) and KH > 1:
            return "that is 'valid' (no padding); 'full' pads KH - 1 rows and KW - 1 columns of zeros on each side."
        if got.shape != (H + KH - 1, W + KW - 1):
            return (f"'full' output is (H + KH - 1, W + KW - 1) = ({H + KH - 1}, {W + KW - 1}) here, got "
                    f"{got.shape}: pad KH - 1 rows and KW - 1 columns on each side, not KH and KW.")
        if np.allclose(got, F.convolve2d(image, kernel, "full")):
            return "you flipped the kernel: that is convolution. Cross-correlation uses kernel[u, v] as it is."
        return None
    cases = _correlate_cases()
    cases = cases[-1:] + cases[:-1]  # a 3x3 kernel first: 'same' and one-sided padding then differ
    return run_check("correlate2d_full", fn, lambda image, kernel: F.correlate2d(image, kernel, "full"),
                     cases, hint=hint)


def _output_shape_reference(H, W, KH, KW, mode):
    return F.correlate2d(np.zeros((H, W)), np.zeros((KH, KW)), mode).shape  # ask the library


def check_output_shape(fn):
    """fn(H, W, KH, KW, mode) -> (H_out, W_out) of correlate2d in mode 'valid', 'same' or 'full'."""
    cases = [("valid, 5x5 image, 3x3 kernel", (5, 5, 3, 3, "valid")),
             ("same, 5x5 image, 3x3 kernel", (5, 5, 3, 3, "same")),
             ("full, 5x5 image, 3x3 kernel", (5, 5, 3, 3, "full")),
             ("valid, 28x20 image, 5x2 kernel", (28, 20, 5, 2, "valid")),
             ("full, 28x20 image, 5x2 kernel", (28, 20, 5, 2, "full")),
             ("same, 7x4 image, 2x4 kernel", (7, 4, 2, 4, "same"))]

    def hint(args, got, want):
        H, W, KH, KW, mode = args
        if isinstance(got, np.ndarray):
            values = "right numbers" if got.shape == (2,) and tuple(got.tolist()) == want else "numbers"
            return (f"the {values}, but in a numpy array: a shape is a tuple of ints, like x.shape "
                    "(x.shape == array compares item by item instead of giving True / False). "
                    "Return (H_out, W_out), e.g. tuple(int(v) for v in result).")
        got = tuple(np.ravel(got))
        if got in ((H - KH, W - KW), (H + KH, W + KW), (H + KH - 2, W + KW - 2)):
            return "off by one: 'valid' gives H - KH + 1 positions, 'full' gives H + KH - 1."
        if got == tuple(want[::-1]) and H != W:
            return "rows first: return (H_out, W_out), the order of an array's .shape."
        if mode == "same":
            return "'same' pads just enough to keep the input's size: (H, W), whatever the kernel."
        return None
    return run_check("output_shape", fn, _output_shape_reference, cases, hint=hint)

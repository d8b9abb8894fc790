"""Sizes and padding: the output-size formula, padding specs, and zero padding.

Equation (1) of the course (chapter 03), for one spatial dimension:

    n_out = floor((n + p_before + p_after - f) / s) + 1

The paper writes (W_i + 2p - f) / s + 1 without the floor; the floor is what every library
does when the stride does not divide, and the rows the window never reaches are simply dropped.
"""
import numbers

import numpy as np


def check_array(x, name, ndim, where, float_only=False):
    """Return `x` as an ndarray after checking its type, number of dimensions and dtype.

    Raises TypeError for non-arrays / non-numeric or (float_only) non-float dtypes, ValueError for
    the wrong number of dimensions. `where` names the calling function in the message.
    """
    if not isinstance(x, np.ndarray):
        if isinstance(x, (list, tuple)) or np.isscalar(x):
            x = np.asarray(x)
        else:
            raise TypeError(f"{where}: {name} must be a numpy array, got {type(x).__name__}.")
    if x.dtype == bool or not np.issubdtype(x.dtype, np.number) or np.iscomplexobj(x):
        raise TypeError(f"{where}: {name} must hold real numbers, got dtype {x.dtype}.")
    if float_only and not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"{where}: {name} must be floating point (gradients are fractions), got dtype "
                        f"{x.dtype}. Fix: pass {name}.astype(np.float32) (or np.float64).")
    if x.ndim != ndim:
        layouts = {1: "(N,)", 2: "(H, W)", 4: "(N, C, H, W)"}
        raise ValueError(f"{where}: {name} must have {ndim} dimensions {layouts.get(ndim, '')}, "
                         f"got shape {x.shape} ({x.ndim} dimensions)."
                         + (" Fix: for one image use x[None, None] or x[None]."
                            if ndim == 4 and x.ndim < 4 else ""))
    return x


def pair(value, name, where, minimum):
    """Turn an int or a pair of ints into a tuple (a, b), each >= minimum."""
    values = (value, value) if isinstance(value, numbers.Integral) else value
    if (not isinstance(values, (tuple, list)) or len(values) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values)):
        raise TypeError(f"{where}: {name} must be an int or a pair of ints, got {value!r}.")
    if min(values) < minimum:
        raise ValueError(f"{where}: {name} must be >= {minimum}, got {value!r}.")
    return int(values[0]), int(values[1])


def same_padding(n, f, s):
    """(before, after) zero padding that gives ceil(n / s) outputs: 'same' padding.

    With stride 1 the total is f - 1, i.e. p = (f - 1) / 2 on each side for an odd kernel
    (equation (3)). For an even kernel the total is odd: the extra pixel goes after (bottom/right).
    """
    n_out = -(-n // s)  # ceil(n / s)
    total = max((n_out - 1) * s + f - n, 0)
    return total // 2, total - total // 2


def resolve_padding(padding, kernel_hw, stride_hw, input_hw, where="padding"):
    """Turn any padding spec into four ints (top, bottom, left, right).

    padding: 'valid' (no padding), 'same' (output ceil(n / s), odd pixel bottom/right),
             an int p, a pair (ph, pw), or four ints (top, bottom, left, right).
    """
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            (kh, kw), (sh, sw), (h, w) = kernel_hw, stride_hw, input_hw
            return same_padding(h, kh, sh) + same_padding(w, kw, sw)
        raise ValueError(f"{where}: unknown padding {padding!r}. Use 'valid', 'same', an int, "
                         "a pair (ph, pw) or four ints (top, bottom, left, right).")
    if isinstance(padding, numbers.Integral) and not isinstance(padding, bool):
        pads = (padding,) * 4
    elif isinstance(padding, (tuple, list)) and len(padding) == 2:
        pads = (padding[0], padding[0], padding[1], padding[1])
    elif isinstance(padding, (tuple, list)) and len(padding) == 4:
        pads = tuple(padding)
    else:
        raise TypeError(f"{where}: padding must be 'valid', 'same', an int, a pair (ph, pw) or four "
                        f"ints (top, bottom, left, right); got {padding!r}.")
    if not all(isinstance(p, numbers.Integral) and not isinstance(p, bool) for p in pads):
        raise TypeError(f"{where}: padding values must be ints, got {padding!r}.")
    if min(pads) < 0:
        raise ValueError(f"{where}: padding cannot be negative, got {padding!r}. "
                         "Padding adds a frame of zeros; use 0 or 'valid' for none.")
    return tuple(int(p) for p in pads)


def output_size(n, f, padding=0, stride=1):
    """Output length of a sliding window along one dimension, equation (1):

        n_out = floor((n + p_before + p_after - f) / s) + 1

    n: input length, f: kernel (window) length, stride: s >= 1,
    padding: an int p (p on both sides), a pair (p_before, p_after), 'valid' or 'same'.
    Raises ValueError if the window does not fit the padded input.
    """
    for name, value in (("n", n), ("f", f), ("stride", stride)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool):
            raise TypeError(f"output_size: {name} must be an int, got {value!r}.")
        if value < 1:
            raise ValueError(f"output_size: {name} must be >= 1, got {value}.")
    if isinstance(padding, str):
        before, after = resolve_padding(padding, (f, f), (stride, stride), (n, n), "output_size")[:2]
    elif isinstance(padding, (tuple, list)) and len(padding) == 2:
        before, after = resolve_padding(tuple(padding) * 2, (f, f), (stride, stride), (n, n),
                                        "output_size")[:2]
    else:
        before, after = resolve_padding(padding, (f, f), (stride, stride), (n, n), "output_size")[:2]
    padded = n + before + after
    if padded < f:
        raise ValueError(f"output_size: a kernel of size {f} does not fit an input of size {n} with "
                         f"padding {before}+{after}: n + p_before + p_after - f = {padded - f} < 0. "
                         "Fix: use a smaller kernel or more padding.")
    return (padded - f) // stride + 1


def pad2d(x, padding):
    """Zero padding of the last two axes, returned as a new array (x is never changed).

    x: (..., H, W). padding: an int p, a pair (ph, pw), or four ints (top, bottom, left, right).
    Returns (..., H + top + bottom, W + left + right).
    """
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"pad2d: x must have at least 2 dimensions (..., H, W), got shape {x.shape}.")
    if isinstance(padding, str):
        raise ValueError(f"pad2d: padding {padding!r} depends on the kernel; pass numbers here, e.g. "
                         "resolve_padding('same', kernel_hw, stride_hw, x.shape[-2:]).")
    top, bottom, left, right = resolve_padding(padding, None, None, None, "pad2d")
    widths = [(0, 0)] * (x.ndim - 2) + [(top, bottom), (left, right)]
    return np.pad(x, widths)


def conv_geometry(x_shape, kernel_hw, stride, padding, where):
    """Validate a sliding-window configuration; return (stride_hw, pads, (H_out, W_out)).

    x_shape: (N, C, H, W); kernel_hw: (KH, KW). Raises a teaching ValueError if the window does
    not fit the padded input.
    """
    H, W = x_shape[-2:]
    KH, KW = kernel_hw
    sh, sw = pair(stride, "stride", where, 1)
    pads = resolve_padding(padding, (KH, KW), (sh, sw), (H, W), where)
    top, bottom, left, right = pads
    for axis, n, f, p0, p1 in (("height", H, KH, top, bottom), ("width", W, KW, left, right)):
        if n + p0 + p1 < f:
            raise ValueError(f"{where}: kernel {KH}x{KW} does not fit the {H}x{W} input with padding "
                             f"{pads} (top, bottom, left, right): along the {axis}, "
                             f"n + p_before + p_after - f = {n + p0 + p1 - f} < 0. "
                             "Fix: use a smaller kernel, more padding, or padding='same'.")
    H_out = (H + top + bottom - KH) // sh + 1
    W_out = (W + left + right - KW) // sw + 1
    return (sh, sw), pads, (H_out, W_out)

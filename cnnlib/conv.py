"""Convolution: single-channel correlation / convolution, and the multi-channel conv layer math.

Shapes (NCHW everywhere):  x (N, C, H, W),  w (F, C, KH, KW),  b (F,),  out (N, F, H_out, W_out),
with H_out = floor((H + p_top + p_bottom - KH) / s_h) + 1 (equation (1)), likewise W_out.

Forward, equation (5) (the paper's Y_i = B_i + sum_j X_j * K_ij, written per element):

    out[n, f, i, j] = b[f] + sum_{c, u, v} x_pad[n, c, i*s_h + u, j*s_w + v] * w[f, c, u, v]

Backward (chapters 07-08), given dout = dL/dout:

    db[f]          = sum_{n, i, j} dout[n, f, i, j]                                   (eq. 7)
    dw[f, c, u, v] = sum_{n, i, j} dout[n, f, i, j] * x_pad[n, c, i*s_h + u, j*s_w + v]    (eq. 6)
                     (a cross-correlation of the input with dout; dout dilated by s when s > 1)
    dx_pad[n, c]   = sum_f  full convolution of dout[n, f] (dilated by s) with w[f, c]       (eq. 8)
    dx             = dx_pad with the padding cropped off                                   (eq. 9)

Each function has a loop version (`_naive`) that mirrors the equation, and a vectorized one
(chapter 09): im2col copies every window into a column, so the layer is one matrix product per
image; the backward uses the same columns for dw and col2im (+=) to send the gradient back to x.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .shapes import check_array, conv_geometry, pad2d, pair, resolve_padding

_MODES = ("valid", "same", "full")


# ----------------------------------------------------------------------------------------------
# Single channel: correlate2d / convolve2d (chapter 02)
# ----------------------------------------------------------------------------------------------

def correlate2d(image, kernel, mode="valid"):
    """2-D cross-correlation of one channel: slide the kernel, multiply, sum (equation (2)).

        out[i, j] = sum_{u, v} image_pad[i + u, j + v] * kernel[u, v]

    image: (H, W), kernel: (KH, KW), any real dtype (the result is floating point).
    mode:  'valid' (no padding): (H - KH + 1, W - KW + 1)
           'same'  (KH - 1 rows of zeros in total, the odd one at the bottom; same for columns): (H, W)
           'full'  (KH - 1 rows of zeros on each side, KW - 1 columns): (H + KH - 1, W + KW - 1)
    """
    image = check_array(image, "image", 2, "correlate2d")
    kernel = check_array(kernel, "kernel", 2, "correlate2d")
    if mode not in _MODES:
        raise ValueError(f"correlate2d: unknown mode {mode!r}; use one of {_MODES}.")
    KH, KW = kernel.shape
    if mode == "full":
        pads = (KH - 1, KH - 1, KW - 1, KW - 1)
    else:
        pads = resolve_padding(mode, (KH, KW), (1, 1), image.shape, "correlate2d")
    padded = pad2d(image.astype(np.result_type(image, kernel, np.float32)), pads)
    if padded.shape[0] < KH or padded.shape[1] < KW:
        raise ValueError(f"correlate2d: kernel {KH}x{KW} does not fit the {image.shape[0]}x"
                         f"{image.shape[1]} image in mode {mode!r}. Fix: use a smaller kernel or "
                         "mode='same' / 'full'.")
    windows = sliding_window_view(padded, (KH, KW))  # (H_out, W_out, KH, KW), a view
    return np.einsum("ijuv,uv->ij", windows, kernel)


def convolve2d(image, kernel, mode="valid"):
    """2-D convolution of one channel: cross-correlation with the kernel flipped in both axes.

        out[i, j] = sum_{u, v} image_pad[i + u, j + v] * kernel[KH-1-u, KW-1-v]

    Same shapes and modes as correlate2d. For an odd kernel this equals scipy.signal.convolve2d
    in every mode; for an even kernel 'same' places the odd padding pixel bottom/right.
    """
    kernel = check_array(kernel, "kernel", 2, "convolve2d")
    return correlate2d(image, kernel[::-1, ::-1], mode)


# ----------------------------------------------------------------------------------------------
# Multi-channel convolution layer: loops first (mirror the equations), then vectorized
# ----------------------------------------------------------------------------------------------

def _check_conv(x, w, b, where):
    """Validate x, w, b of a conv layer; return them as arrays."""
    x = check_array(x, "x", 4, where, float_only=True)
    w = check_array(w, "w", 4, where, float_only=True)
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"{where}: x has {x.shape[1]} channels (shape {x.shape}) but w expects "
                         f"{w.shape[1]} (shape {w.shape}, laid out (F, C, KH, KW)). The channel "
                         "counts must match. Fix: build the filters with C = x.shape[1].")
    if b is not None:
        b = np.asarray(b)
        if b.ndim not in (1, 3) or b.shape[0] != w.shape[0]:
            raise ValueError(f"{where}: b must be (F,) = ({w.shape[0]},) for a tied bias, or "
                             f"(F, H_out, W_out) for an untied bias; got shape {b.shape}.")
    return x, w, b


def _check_dout(dout, expected, where):
    dout = check_array(dout, "dout", len(expected), where, float_only=True)
    if dout.shape != tuple(expected):
        raise ValueError(f"{where}: dout has shape {dout.shape}, but the forward output had shape "
                         f"{tuple(expected)}. dout must be dL/d(out), shaped exactly like out.")
    return dout


def _bias_term(b, out_shape, where):
    """Broadcastable bias: tied (F,) -> (1, F, 1, 1); untied (F, H_out, W_out) -> (1, F, H_out, W_out)."""
    if b.ndim == 1:
        return b[None, :, None, None]
    if b.shape != out_shape[1:]:
        raise ValueError(f"{where}: an untied bias must have the output's shape (F, H_out, W_out) = "
                         f"{out_shape[1:]}, got {b.shape}.")
    return b[None]


def conv2d_naive(x, w, b=None, stride=1, padding=0):
    """Loop version of conv2d: equation (5) computed one output number at a time.

    x: (N, C, H, W), w: (F, C, KH, KW), b: (F,) tied or (F, H_out, W_out) untied, or None.
    Returns out: (N, F, H_out, W_out). Slow but straightforward; conv2d must agree with it.
    """
    x, w, b = _check_conv(x, w, b, "conv2d_naive")
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    (sh, sw), pads, (H_out, W_out) = conv_geometry(x.shape, (KH, KW), stride, padding, "conv2d_naive")
    x_pad = pad2d(x, pads)
    out = np.zeros((N, F, H_out, W_out), dtype=np.result_type(x, w))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * sh:i * sh + KH, j * sw:j * sw + KW]  # (C, KH, KW)
                    out[n, f, i, j] = np.sum(window * w[f])
    if b is not None:
        out = out + _bias_term(b, out.shape, "conv2d_naive")
    return out


def conv2d_backward_naive(dout, x, w, stride=1, padding=0, untied_bias=False):
    """Loop version of conv2d_backward, equations (6)-(9): each output number sends its gradient
    back to the window of inputs and the weights that produced it (+= where windows overlap).

    dout: (N, F, H_out, W_out), x: (N, C, H, W), w: (F, C, KH, KW).
    Returns dx (N, C, H, W), dw (F, C, KH, KW), db (F,) or (F, H_out, W_out) if untied_bias.
    """
    x, w, _ = _check_conv(x, w, None, "conv2d_backward_naive")
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    (sh, sw), pads, out_hw = conv_geometry(x.shape, (KH, KW), stride, padding, "conv2d_backward_naive")
    dout = _check_dout(dout, (N, F) + out_hw, "conv2d_backward_naive")
    top, bottom, left, right = pads
    x_pad = pad2d(x, pads)
    dx_pad = np.zeros(x_pad.shape, dtype=np.result_type(dout, x, w))
    dw = np.zeros(w.shape, dtype=dx_pad.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(out_hw[0]):
                for j in range(out_hw[1]):
                    rows = slice(i * sh, i * sh + KH)
                    cols = slice(j * sw, j * sw + KW)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]      # eq. (6)
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]      # eq. (8)
    db = dout.sum(axis=0) if untied_bias else dout.sum(axis=(0, 2, 3))       # eq. (7)
    dx = dx_pad[:, :, top:top + H, left:left + W]                            # eq. (9): crop
    return dx, dw, db


# ----------------------------------------------------------------------------------------------
# im2col / col2im (chapter 09): every window becomes one column, the layer becomes one product
# ----------------------------------------------------------------------------------------------

def _im2col(x_pad, kernel_hw, stride_hw, out_hw):
    """im2col of an already padded batch: (N, C, Hp, Wp) -> (N, C*KH*KW, H_out*W_out), one copy."""
    (KH, KW), (sh, sw), (H_out, W_out) = kernel_hw, stride_hw, out_hw
    N, C = x_pad.shape[:2]
    # Every KH x KW window as a view (no copy yet): (N, C, Hp-KH+1, Wp-KW+1, KH, KW) ...
    windows = sliding_window_view(x_pad, (KH, KW), axis=(2, 3))
    # ... keeping only the windows the stride visits: (N, C, H_out, W_out, KH, KW)
    windows = windows[:, :, :(H_out - 1) * sh + 1:sh, :(W_out - 1) * sw + 1:sw]
    # Kernel offsets next to the channel, positions last: (N, C, KH, KW, H_out, W_out). The reshape
    # of this strided view is where the one copy happens; row c*KH*KW + u*KW + v, column i*W_out + j.
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * KH * KW, H_out * W_out)


def _col2im(cols, padded_shape, kernel_hw, stride_hw, out_hw):
    """Adjoint of _im2col: add every column back onto its window. Returns (N, C, Hp, Wp)."""
    (KH, KW), (sh, sw), (H_out, W_out) = kernel_hw, stride_hw, out_hw
    N, C = padded_shape[:2]
    cols = cols.reshape(N, C, KH, KW, H_out, W_out)
    x_pad = np.zeros(padded_shape, dtype=cols.dtype)
    # One strided add per kernel offset (u, v): the (u, v) entry of every window, all at once.
    # += because neighbouring windows overlap: a pixel gets a share from each window that holds it.
    for u in range(KH):
        for v in range(KW):
            x_pad[:, :, u:u + (H_out - 1) * sh + 1:sh, v:v + (W_out - 1) * sw + 1:sw] += cols[:, :, u, v]
    return x_pad


def _dx_stride1(dout, w, padded_shape):
    """eqs. (8)/(9.5) + col2im for stride 1, faster than _col2im: returns dx_pad (N, C, Hp, Wp), a view.

    _col2im adds KH*KW blocks of short rows (W_out numbers each). Here every image row is widened
    to the padded width Wp with zeros, so that, in each (c, n) image flattened to Hp*Wp numbers,
    kernel offset (u, v) is one shift by u*Wp + v: KH*KW adds of long contiguous runs instead.
    The zero columns (j >= W_out) only ever add 0, to pixels wrapped onto the next row.
    """
    N, C, Hp, Wp = padded_shape
    F, _, KH, KW = w.shape
    H_out, W_out = dout.shape[2:]                          # = Hp - KH + 1, Wp - KW + 1 at stride 1
    dout_wide = np.zeros((F, N, H_out, Wp), dtype=dout.dtype)
    dout_wide[..., :W_out] = dout.transpose(1, 0, 2, 3)    # filters first: one matrix product for all
    dcols = w.reshape(F, C * KH * KW).T @ dout_wide.reshape(F, N * H_out * Wp)
    dcols = dcols.reshape(C, KH, KW, N, H_out * Wp)
    dx = np.zeros((C, N, Hp * Wp + KW - 1), dtype=dcols.dtype)   # KW - 1 spare for the last shift
    for u in range(KH):
        for v in range(KW):
            dx[:, :, u * Wp + v:u * Wp + v + H_out * Wp] += dcols[:, u, v]
    return dx[:, :, :Hp * Wp].reshape(C, N, Hp, Wp).transpose(1, 0, 2, 3)


def _pad_if_needed(x, pads):
    """pad2d, skipped when there is nothing to pad (im2col copies anyway, x is never written)."""
    return pad2d(x, pads) if any(pads) else x


def im2col(x, kernel_hw, stride=1, padding=0):
    """Unroll every kernel window of a batch into a column (chapter 09, equation (9.1)).

    x: (N, C, H, W); kernel_hw: (KH, KW) or an int; stride, padding as in conv2d.
    Returns cols: (N, C*KH*KW, H_out*W_out), where column i*W_out + j holds the window under output
    (i, j), flattened in the order of w[f].ravel():
        cols[n, c*KH*KW + u*KW + v, i*W_out + j] = x_pad[n, c, i*s_h + u, j*s_w + v].
    Then conv2d is one matrix product (eq. (9.3); for one channel and one filter, eq. (9.2)):
        w.reshape(F, C*KH*KW) @ cols -> (N, F, H_out*W_out).
    Memory: KH*KW / (s_h*s_w) times the input, roughly (each pixel is copied into every window).
    """
    x = check_array(x, "x", 4, "im2col")
    kernel_hw = pair(kernel_hw, "kernel_hw", "im2col", 1)
    stride_hw, pads, out_hw = conv_geometry(x.shape, kernel_hw, stride, padding, "im2col")
    cols = _im2col(_pad_if_needed(x, pads), kernel_hw, stride_hw, out_hw)
    # a 1x1 kernel with stride 1 needs no copy, so numpy returns a view: hand out a copy instead
    return cols.copy() if np.may_share_memory(cols, x) else cols


def col2im(cols, x_shape, kernel_hw, stride=1, padding=0):
    """The reverse journey of im2col: add each column back onto its window (+= where windows overlap).

    cols: (N, C*KH*KW, H_out*W_out); x_shape: (N, C, H, W) of the input im2col was applied to.
    Returns (N, C, H, W): the padding is cropped off (eq. (9)). col2im(im2col(x)) is NOT x: each
    pixel comes back multiplied by the number of windows that cover it. It is the transpose
    (adjoint) of im2col, which is exactly what the backward pass needs (eqs. (8), (9.5)).
    """
    cols = check_array(cols, "cols", 3, "col2im")
    N, C, H, W = (int(n) for n in x_shape)
    KH, KW = pair(kernel_hw, "kernel_hw", "col2im", 1)
    stride_hw, pads, (H_out, W_out) = conv_geometry((N, C, H, W), (KH, KW), stride, padding, "col2im")
    if cols.shape != (N, C * KH * KW, H_out * W_out):
        raise ValueError(f"col2im: cols has shape {cols.shape}, but im2col of an input {(N, C, H, W)} "
                         f"with a {KH}x{KW} kernel gives (N, C*KH*KW, H_out*W_out) = "
                         f"{(N, C * KH * KW, H_out * W_out)}. Use the same kernel, stride and padding.")
    top, bottom, left, right = pads
    x_pad = _col2im(cols, (N, C, H + top + bottom, W + left + right), (KH, KW), stride_hw, (H_out, W_out))
    return np.ascontiguousarray(x_pad[:, :, top:top + H, left:left + W])


def _given_or_new_cols(cols, x_pad, kernel_hw, stride_hw, out_hw, where):
    """The caller's im2col columns if given (checked against the expected shape), else new ones."""
    if cols is None:
        return _im2col(x_pad, kernel_hw, stride_hw, out_hw)
    N, C = x_pad.shape[:2]
    expected = (N, C * kernel_hw[0] * kernel_hw[1], out_hw[0] * out_hw[1])
    if np.shape(cols) != expected:
        raise ValueError(f"{where}: cols has shape {np.shape(cols)}, but im2col of x with this kernel, "
                         f"stride and padding has shape (N, C*KH*KW, H_out*W_out) = {expected}. Fix: pass "
                         "cols=im2col(x, (KH, KW), stride, padding), or leave cols=None.")
    return cols


def conv2d(x, w, b=None, stride=1, padding=0, cols=None):
    """Convolution layer forward (a cross-correlation, as in every deep-learning library), eq. (5).

    x: (N, C, H, W), w: (F, C, KH, KW), b: (F,) tied, (F, H_out, W_out) untied, or None.
    stride: int or (s_h, s_w) >= 1. padding: 'valid', 'same', int, (ph, pw) or (top, bottom, left, right).
    Returns out: (N, F, H_out, W_out), H_out = floor((H + p_top + p_bottom - KH) / s_h) + 1.

    Vectorized with im2col (eq. (9.3)): the windows of the padded input become columns, and all
    F filters meet all windows in one matrix product per image.
    cols: optional, im2col(x, (KH, KW), stride, padding) if the caller already has it (the Conv2D
    layer keeps it for the backward pass); it is then used instead of being computed again.
    """
    x, w, b = _check_conv(x, w, b, "conv2d")
    N = x.shape[0]
    F, C, KH, KW = w.shape
    stride_hw, pads, (H_out, W_out) = conv_geometry(x.shape, (KH, KW), stride, padding, "conv2d")
    cols = _given_or_new_cols(cols, _pad_if_needed(x, pads), (KH, KW), stride_hw, (H_out, W_out),
                              "conv2d")                           # (N, C*KH*KW, H_out*W_out)
    # (F, C*KH*KW) @ (N, C*KH*KW, H_out*W_out): one matrix product per image, no transposes needed
    out = w.reshape(F, C * KH * KW) @ cols                        # (N, F, H_out*W_out)
    out = out.reshape(N, F, H_out, W_out)                         # (N, F, H_out, W_out)
    if b is not None:
        out += _bias_term(b, out.shape, "conv2d")
    return out


def conv2d_backward(dout, x, w, stride=1, padding=0, untied_bias=False, need_dx=True, cols=None):
    """Convolution layer backward, equations (6)-(9). Same signature and results as the naive one.

    Vectorized on the forward's im2col columns (chapter 09): dw by eq. (9.4), each window's share of
    dx by eq. (9.5), sent back onto the input with col2im (+= where windows overlap).

    dout: (N, F, H_out, W_out), x: (N, C, H, W), w: (F, C, KH, KW).
    Returns dx (N, C, H, W), dw (F, C, KH, KW), db (F,) or (F, H_out, W_out) if untied_bias.
    Rows and columns that the floor in eq. (1) drops (the window never reaches them) get dx = 0.
    need_dx: if False, skip eqs. (8)-(9) and return dx = None (dw and db are unchanged). A network's
    first layer has nothing before it to send dx to, and dx is the costlier half of the backward.
    cols: optional, the forward's im2col(x, (KH, KW), stride, padding), used instead of a new copy.
    """
    x, w, _ = _check_conv(x, w, None, "conv2d_backward")
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    stride_hw, pads, (H_out, W_out) = conv_geometry(x.shape, (KH, KW), stride, padding, "conv2d_backward")
    dout = _check_dout(dout, (N, F, H_out, W_out), "conv2d_backward")
    top, bottom, left, right = pads
    x_pad = _pad_if_needed(x, pads)
    cols = _given_or_new_cols(cols, x_pad, (KH, KW), stride_hw, (H_out, W_out),
                              "conv2d_backward")                 # (N, C*KH*KW, H_out*W_out), as forward
    dout_rows = dout.reshape(N, F, H_out * W_out)                # (N, F, H_out*W_out)
    # eq. (7): every output number has its filter's bias added once
    db = dout.sum(axis=0) if untied_bias else dout.sum(axis=(0, 2, 3))
    # eq. (6) as (9.4): dw = sum over images of dout (F, P) @ cols^T (P, C*KH*KW); matmul reads
    # the transpose in place (no copy), then the N per-image products are added up.
    dw = (dout_rows @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)   # (F, C, KH, KW)
    if not need_dx:
        return None, dw.astype(np.result_type(w.dtype, dout.dtype), copy=False), db  # dx's dtype
    if stride_hw == (1, 1):
        dx_pad = _dx_stride1(dout, w, x_pad.shape)             # the same sums, added in fewer, longer runs
    else:
        # eq. (8) as (9.5): each window's share of the gradient is w^T @ dout: (C*KH*KW, F) @ (N, F, P) ...
        dcols = w.reshape(F, C * KH * KW).T @ dout_rows          # (N, C*KH*KW, H_out*W_out)
        # ... and col2im adds the shares back where the windows came from (+=: windows overlap)
        dx_pad = _col2im(dcols, x_pad.shape, (KH, KW), stride_hw, (H_out, W_out))
    dx = np.ascontiguousarray(dx_pad[:, :, top:top + H, left:left + W])         # eq. (9): crop
    return dx, dw.astype(dx.dtype, copy=False), db

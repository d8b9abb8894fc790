"""Helpers for chapters 06-08: the conv layer built from single-channel operations, the term tables
of the paper's equation block (4), and the dilation that makes strided backprop a full convolution.

These are the "student-level" routes to the same numbers that cnnlib.conv computes in one shot;
the notebooks check them against F.conv2d / F.conv2d_backward. numpy only.

    conv_terms(in_hw, k_hw, stride)        which x and k multiply in each output y (eq. block (4))
    conv2d_channelwise(x, w, b, ...)       eq. (5) as a loop over (filter, channel) pairs of correlate2d
    dilate(dout, stride)                   s - 1 zeros between the entries of dout (eq. (8.1))
    conv2d_backward_channelwise(...)       eqs. (6)-(9) as loops of correlate2d / convolve2d + dilate
"""
import numpy as np

from .conv import convolve2d, correlate2d
from .shapes import check_array, conv_geometry, pad2d, pair


def conv_terms(in_hw, k_hw, stride=1):
    """The products that make every output of a single-channel cross-correlation (no padding).

    in_hw: (H, W) of the input x, k_hw: (KH, KW) of the kernel k, stride: int or (s_h, s_w).
    Returns a dict {(i, j): [((a, b), (u, v)), ...]}: output y[i, j] is the sum of x[a, b] * k[u, v]
    over its list (0-based indices), with a = i*s_h + u, b = j*s_w + v. Reading the dict by k[u, v]
    gives dY/dk, reading it by x[a, b] gives dY/dx (chapter 07).
    """
    (H, W), (KH, KW) = pair(in_hw, "in_hw", "conv_terms", 1), pair(k_hw, "k_hw", "conv_terms", 1)
    (sh, sw), _, (H_out, W_out) = conv_geometry((H, W), (KH, KW), stride, 0, "conv_terms")
    return {(i, j): [((i * sh + u, j * sw + v), (u, v)) for u in range(KH) for v in range(KW)]
            for i in range(H_out) for j in range(W_out)}


def conv2d_channelwise(x, w, b=None, stride=1, padding=0):
    """Eq. (5) for one image, written as the paper writes it: Y_i = B_i + sum_j X_j * K_ij.

    x: (C, H, W) one image, w: (F, C, KH, KW), b: (F,) tied, (F, H_out, W_out) untied, or None.
    Returns y: (F, H_out, W_out). Each X_j * K_ij is a single-channel F.correlate2d on the padded
    channel; stride s keeps every s-th row and column of that full-resolution correlation.
    """
    x = check_array(x, "x", 3, "conv2d_channelwise", float_only=True)
    w = check_array(w, "w", 4, "conv2d_channelwise", float_only=True)
    C, H, W = x.shape
    F, C_w, KH, KW = w.shape
    if C != C_w:
        raise ValueError(f"conv2d_channelwise: x has {C} channels (shape {x.shape}) but w has {C_w} "
                         f"(shape {w.shape}, laid out (F, C, KH, KW)). Fix: use C = x.shape[0].")
    (sh, sw), pads, (H_out, W_out) = conv_geometry(x.shape, (KH, KW), stride, padding,
                                                   "conv2d_channelwise")
    x_pad = pad2d(x, pads)                                       # (C, H + pt + pb, W + pl + pr)
    y = np.zeros((F, H_out, W_out), dtype=np.result_type(x, w))
    for i in range(F):                                           # filter i -> output channel Y_i
        for j in range(C):                                       # input channel X_j
            full = correlate2d(x_pad[j], w[i, j])                # stride 1: every position
            y[i] += full[::sh, ::sw][:H_out, :W_out]             # keep every s-th one
    if b is not None:
        b = np.asarray(b)
        if b.shape not in ((F,), (F, H_out, W_out)):
            raise ValueError(f"conv2d_channelwise: b must be ({F},) (tied: one number per filter) or "
                             f"({F}, {H_out}, {W_out}) (untied, the paper's matrix B_i); got {b.shape}.")
        y = y + (b[:, None, None] if b.ndim == 1 else b)
    return y


def dilate(dout, stride):
    """Insert s - 1 zeros between neighbouring entries of the last two axes (eq. (8.1)).

    dout: (..., H_out, W_out), stride: int or (s_h, s_w) >= 1.
    Returns (..., (H_out - 1)*s_h + 1, (W_out - 1)*s_w + 1), a new array; stride 1 returns a copy.
    A stride-s convolution equals a stride-1 one whose output is kept only at every s-th position;
    the dilated dout is that stride-1 output's gradient (zero where nothing was kept).
    """
    dout = np.asarray(dout)
    if dout.ndim < 2:
        raise ValueError(f"dilate: dout must have at least 2 dimensions (..., H_out, W_out), got "
                         f"shape {dout.shape}.")
    sh, sw = pair(stride, "stride", "dilate", 1)
    H_out, W_out = dout.shape[-2:]
    out = np.zeros(dout.shape[:-2] + ((H_out - 1) * sh + 1, (W_out - 1) * sw + 1), dtype=dout.dtype)
    out[..., ::sh, ::sw] = dout
    return out


def conv2d_backward_channelwise(dout, x, w, stride=1, padding=0):
    """Eqs. (6)-(9) for one image as loops over (filter, channel) pairs of single-channel operations.

    dout: (F, H_out, W_out), x: (C, H, W), w: (F, C, KH, KW). Returns dx (C, H, W), dw (F, C, KH, KW),
    db (F,) (tied bias; for an untied bias db is dout itself).

        D_i      = dilate(dout_i, s)                                   eq. (8.1)
        dW_ij    = X_pad_j  correlated with  D_i   (first KH x KW)     eq. (6)
        db_i     = sum of dout_i                                       eq. (7)
        dXpad_j  = sum_i  D_i  fully convolved with  W_ij              eq. (8)
        dX_j     = dXpad_j with the padding cropped off                eq. (9)

    Rows/columns that the floor of eq. (1) drops are never read by the forward pass: they get zero.
    """
    x = check_array(x, "x", 3, "conv2d_backward_channelwise", float_only=True)
    w = check_array(w, "w", 4, "conv2d_backward_channelwise", float_only=True)
    C, H, W = x.shape
    F, _, KH, KW = w.shape
    (sh, sw), pads, out_hw = conv_geometry(x.shape, (KH, KW), stride, padding,
                                           "conv2d_backward_channelwise")
    dout = check_array(dout, "dout", 3, "conv2d_backward_channelwise", float_only=True)
    if dout.shape != (F,) + out_hw:
        raise ValueError(f"conv2d_backward_channelwise: dout has shape {dout.shape}, but the forward "
                         f"output had shape {(F,) + out_hw}. dout must be shaped exactly like out.")
    top, bottom, left, right = pads
    x_pad = pad2d(x, pads)                                        # (C, Hp, Wp)
    d = dilate(dout, (sh, sw))                                    # (F, (H_out-1)s+1, (W_out-1)s+1)
    H_used, W_used = d.shape[1] + KH - 1, d.shape[2] + KW - 1     # rows/cols the windows reach
    dx_pad = np.zeros(x_pad.shape, dtype=np.result_type(dout, x, w))
    dw = np.zeros(w.shape, dtype=dx_pad.dtype)
    for i in range(F):
        for j in range(C):
            dw[i, j] = correlate2d(x_pad[j, :H_used, :W_used], d[i])           # eq. (6)
            dx_pad[j, :H_used, :W_used] += convolve2d(d[i], w[i, j], "full")   # eq. (8)
    db = dout.sum(axis=(1, 2))                                                 # eq. (7)
    dx = dx_pad[:, top:top + H, left:left + W]                                 # eq. (9)
    return dx, dw, db

"""The convolution layer through the discrete Fourier transform, for small images and many channels.

Convolution theorem: the (circular) cross-correlation of x with w is, frequency by frequency, the
product of their transforms,

    out = IDFT( conj(W(k)) X(k) ),   X = DFT(x), W = DFT(w zero-padded to x's size)

and on an H x W image (padding included) the circular correlation equals the ordinary 'valid' one
at every output position, because no window reaches past the image's end. Per frequency k the sum
over the C input channels is a small matrix product, (F, C) @ (C, N) for the whole batch:

    forward   Out(k) = conj(W(k)) @ X(k)                 eq. (9.3)
    backward  dW(k)  = conj(D(k)) @ X(k)^T   -> dw       eq. (9.4), D = DFT(dout zero-padded)
              dX(k)  = W(k)^T @ D(k)         -> dx       eq. (9.5), a full convolution
    db = D at frequency 0 (the sum of dout over positions), summed over the batch      eq. (7)

Complex numbers are kept as real and imaginary halves, so every step is a real matrix product:
the transforms themselves are products with fixed matrices made once per image size, one axis at a
time, each one large product for the whole batch (numpy's rfft2, one FFT per image, runs ~4x slower
here than even one dense (2 * n_freq, H * W) product), and a complex product is one real product of [[Re, Im], [-Im, Re]]
blocks. Memory order: x is read as (H, W, C, N) ("images last"), out is a view of (H_out, W_out, F, N)
memory, dx of (H, W, C, N).

Fewer multiply-adds than im2col when C and F are large and the image small (chapter 10's second layer,
16 -> 32 channels, 5x5 on 12x12: forward + backward 14 -> 5.7-7.6 ms at batch 128, benchmarks/README.md);
conv_gemm stays for the rest (one input channel, strides, untied biases): see worth_it.
Stride 1 only. The results equal conv.conv2d_naive / conv2d_backward_naive to rounding
(tests/test_conv_dft.py).
"""
import functools

import numpy as np


def flops(x_shape, w_shape, pads):
    """(direct, dft): multiply-adds x 2 of one forward + backward by im2col products and by this module."""
    N, C, H, W = x_shape
    F, _, KH, KW = w_shape
    Hp, Wp = H + pads[0] + pads[1], W + pads[2] + pads[3]
    Ho, Wo = Hp - KH + 1, Wp - KW + 1
    nw = Wp // 2 + 1
    direct = 3 * 2 * N * F * C * KH * KW * Ho * Wo

    def transform(h, w, channels):  # one image set of h x w (inside Hp x Wp) to the spectrum, or back
        return 2 * N * channels * (2 * Hp * h * w + Hp * 2 * nw * 2 * w)

    transforms = transform(Hp, Wp, C) * 2 + transform(Ho, Wo, F) * 2    # x in, dx out; dout in, out out
    products = 3 * 2 * Hp * nw * N * (2 * F) * (2 * C)
    return direct, transforms + products


def worth_it(x_shape, w_shape, stride_hw, pads, tied_or_no_bias):
    """Use this module for a layer of these shapes? Stride 1, no untied bias, and at most half the
    operations of im2col: its products are smaller, so fewer operations are not enough. Measured
    (AMD EPYC, 1 thread, forward + backward, time / conv_gemm's time at operations ratio): 0.53 at
    0.42 (chapter 10's 16 -> 32, 5x5 on 12x12), 0.67 at 0.40, but 0.99 at 0.61, 1.03 at 0.81, 1.22
    at 0.91."""
    if tuple(stride_hw) != (1, 1) or not tied_or_no_bias:
        return False
    direct, dft = flops(x_shape, w_shape, pads)
    return dft < 0.5 * direct


def _real_dft(n, m):
    """The DFT of length n of a real signal of length m <= n (zero-padded), as a real (2n, m) matrix:
    rows (frequency k, re/im), entries cos(2 pi k h / n) and -sin(2 pi k h / n)."""
    angle = 2 * np.pi * np.outer(np.arange(n), np.arange(m)) / n
    return np.stack([np.cos(angle), -np.sin(angle)], axis=1).reshape(2 * n, m)


def _complex_dft(k, n, m):
    """The first k frequencies of the DFT of length n of a complex signal of length m <= n, as a real
    (2k, 2m) matrix acting on [Re; Im]: rows (frequency, re/im), columns (re/im, position)."""
    angle = 2 * np.pi * np.outer(np.arange(k), np.arange(m)) / n
    cos, sin = np.cos(angle), np.sin(angle)
    return np.stack([np.concatenate([cos, sin], axis=1), np.concatenate([-sin, cos], axis=1)],
                    axis=1).reshape(2 * k, 2 * m)


def _inverse_rows(k, n, m):
    """Half of the inverse: the first m positions of sum_f c_f S_f e^(2 pi i f w / n) over the first k
    frequencies f (c_f = 1 at 0 and n/2, else 2: the other half of a real signal's spectrum), as a
    real (2m, 2k) matrix: rows (re/im, position), columns (frequency, re/im)."""
    weight = np.where((np.arange(k) == 0) | (2 * np.arange(k) == n), 1.0, 2.0)
    angle = 2 * np.pi * np.outer(np.arange(m), np.arange(k)) / n
    cos, sin = np.cos(angle) * weight, np.sin(angle) * weight
    re = np.stack([cos, -sin], axis=2).reshape(m, 2 * k)           # Re(S e^ia) = Sr cos a - Si sin a
    im = np.stack([sin, cos], axis=2).reshape(m, 2 * k)            # Im(S e^ia) = Sr sin a + Si cos a
    return np.concatenate([re, im], axis=0)


def _inverse_cols(n, m, scale):
    """The other half: Re of sum over all n frequencies of T_k e^(2 pi i k h / n), first m positions
    h, times scale, as a real (m, 2n) matrix: columns (frequency, re/im)."""
    angle = 2 * np.pi * np.outer(np.arange(m), np.arange(n)) / n
    return np.stack([np.cos(angle), -np.sin(angle)], axis=2).reshape(m, 2 * n) * scale


@functools.lru_cache(maxsize=16)
def _transforms(Hp, Wp, KH, KW, dtype):
    """The fixed matrices for images of Hp x Wp, kernels KH x KW (read-only, shared).

    The 2-D transform of an image is done one axis at a time (about 4x fewer operations than one
    (2*nf, Hp*Wp) matrix): along rows with a real (2*Hp, H) matrix, then along columns with a
    (2*nw, 2*W) matrix per row frequency; the inverse the other way round. Names: "x_rows",
    "x_cols" for the input, "dout_*" for the output gradient (the H_out x W_out corner),
    "out_*", "dx_*" for the inverse to the output window and to the whole image; "w", "dw": the
    kernel's transform and its inverse as one dense matrix each (small)."""
    nw = Wp // 2 + 1
    nf = Hp * nw
    Ho, Wo = Hp - KH + 1, Wp - KW + 1
    scale = 1.0 / (Hp * Wp)
    mats = {"x_rows": _real_dft(Hp, Hp), "x_cols": _complex_dft(nw, Wp, Wp),
            "dout_rows": _real_dft(Hp, Ho), "dout_cols": _complex_dft(nw, Wp, Wo),
            "out_cols": _inverse_rows(nw, Wp, Wo), "out_rows": _inverse_cols(Hp, Ho, scale),
            "dx_cols": _inverse_rows(nw, Wp, Wp), "dx_rows": _inverse_cols(Hp, Hp, scale)}
    # the kernel: dense (2*nf, KH*KW) and back, from numpy's rfft2 / irfft2 of unit images
    unit = np.zeros((KH * KW, Hp, Wp))
    unit[np.arange(KH * KW), np.arange(KH * KW) // KW, np.arange(KH * KW) % KW] = 1
    spec = np.fft.rfft2(unit).reshape(KH * KW, nf)
    mats["w"] = np.stack([spec.real.T, spec.imag.T], axis=1).reshape(2 * nf, KH * KW)
    basis = np.zeros((nf, 2, nf), dtype=complex)
    basis[np.arange(nf), 0, np.arange(nf)] = 1
    basis[np.arange(nf), 1, np.arange(nf)] = 1j
    mats["dw"] = np.fft.irfft2(basis.reshape(2 * nf, Hp, nw), s=(Hp, Wp))[:, :KH, :KW].reshape(2 * nf, -1).T
    for name, m in mats.items():
        mats[name] = np.ascontiguousarray(m, dtype=dtype)
        mats[name].flags.writeable = False
    return nf, mats


def _to_spectrum(image, rows, cols):
    """image (h, w, M) (zero-padded implicitly to the transform size) -> (nf, 2, M): [Re; Im] of
    rfft2 per frequency (row frequency, column frequency)."""
    h, w, M = image.shape
    half = (rows @ image.reshape(h, w * M)).reshape(-1, 2 * w, M)    # along rows: (Hp, [Re; Im] x w, M)
    return (cols @ half).reshape(-1, 2, M)                            # along columns, per row frequency


def _to_image(spec, cols, rows, Hp):
    """spec (nf, 2, M) -> the real image (h, w, M) that rows / cols cut out of the inverse transform."""
    M = spec.shape[-1]
    half = cols @ spec.reshape(Hp, -1, M)                             # (Hp, [Re; Im] x w, M)
    return (rows @ half.reshape(rows.shape[1], -1)).reshape(rows.shape[0], -1, M)


def _spectrum_of_w(w, mats, nf):
    """W(k) of every filter and channel: (nf, 2, F, C), [Re, Im]."""
    F, C, KH, KW = w.shape
    w_t = np.ascontiguousarray(w.transpose(2, 3, 0, 1)).reshape(KH * KW, F * C)
    return (mats["w"] @ w_t).reshape(nf, 2, F, C)


def forward(x, w, b, pads, out_hw):
    """out (N, F, H_out, W_out), a view of (H_out, W_out, F, N) memory, and the cache backward needs.

    x: (N, C, H, W), any memory layout; w: (F, C, KH, KW); b: (F,) or None; pads (top, bottom, left,
    right); stride 1."""
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    top, bottom, left, right = pads
    Hp, Wp = H + top + bottom, W + left + right
    H_out, W_out = out_hw
    dtype = np.result_type(x, w)
    nf, mats = _transforms(Hp, Wp, KH, KW, dtype.str)
    xt = np.zeros((Hp, Wp, C, N), dtype=dtype)                       # images last, zero-padded
    xt[top:top + H, left:left + W] = x.transpose(2, 3, 1, 0)
    X = _to_spectrum(xt.reshape(Hp, Wp, C * N), mats["x_rows"], mats["x_cols"]).reshape(nf, 2 * C, N)
    Wk = _spectrum_of_w(w, mats, nf)
    Wr, Wi = Wk[:, 0], Wk[:, 1]
    blocks = np.empty((nf, 2, F, 2, C), dtype=dtype)                  # conj(W) as real blocks
    blocks[:, 0, :, 0], blocks[:, 0, :, 1] = Wr, Wi                   # Re Out = Wr Xr + Wi Xi
    blocks[:, 1, :, 0], blocks[:, 1, :, 1] = -Wi, Wr                  # Im Out = Wr Xi - Wi Xr
    spec = blocks.reshape(nf, 2 * F, 2 * C) @ X                        # (nf, 2F, N)
    if b is not None:                 # a constant b on every pixel is b * Hp * Wp at frequency 0
        spec[0, :F] += np.asarray(b, dtype=dtype)[:, None] * (Hp * Wp)
    out = _to_image(spec.reshape(nf, 2, F * N), mats["out_cols"], mats["out_rows"], Hp).reshape(H_out, W_out, F, N)
    return out.transpose(3, 2, 0, 1), (X, Wk)


def backward(dout, x_shape, w, pads, cache, need_dx=True):
    """dx (N, C, H, W) or None, dw (F, C, KH, KW), db (F,), from the forward's cache.

    dout: (N, F, H_out, W_out), any memory layout (the forward's own is read without a copy).
    dx is a view of (H, W, C, N) memory."""
    X, Wk = cache
    N, C, H, W = x_shape
    F, _, KH, KW = w.shape
    top, bottom, left, right = pads
    Hp, Wp = H + top + bottom, W + left + right
    H_out, W_out = dout.shape[2:]
    nf, mats = _transforms(Hp, Wp, KH, KW, X.dtype.str)
    d = np.ascontiguousarray(dout.transpose(2, 3, 1, 0), dtype=X.dtype).reshape(H_out, W_out, F * N)
    D = _to_spectrum(d, mats["dout_rows"], mats["dout_cols"]).reshape(nf, 2 * F, N)   # [Re D; Im D]
    db = D[0, :F].sum(axis=1)                                         # frequency 0: sum over positions
    G = (D @ X.transpose(0, 2, 1)).reshape(nf, 2, F, 2, C)            # [Dr; Di] @ [Xr; Xi]^T
    dW = np.empty((nf, 2, F, C), dtype=X.dtype)                       # conj(D) X^T
    np.add(G[:, 0, :, 0], G[:, 1, :, 1], out=dW[:, 0])                # Re = Dr Xr^T + Di Xi^T
    np.subtract(G[:, 0, :, 1], G[:, 1, :, 0], out=dW[:, 1])           # Im = Dr Xi^T - Di Xr^T
    dw = (mats["dw"] @ dW.reshape(2 * nf, F * C)).reshape(KH, KW, F, C)
    dw = np.ascontiguousarray(dw.transpose(2, 3, 0, 1))
    if not need_dx:
        return None, dw, db
    WrT, WiT = Wk[:, 0].transpose(0, 2, 1), Wk[:, 1].transpose(0, 2, 1)
    blocks = np.empty((nf, 2, C, 2, F), dtype=X.dtype)                # W^T as real blocks
    blocks[:, 0, :, 0], blocks[:, 0, :, 1] = WrT, -WiT                # Re dX = Wr^T Dr - Wi^T Di
    blocks[:, 1, :, 0], blocks[:, 1, :, 1] = WiT, WrT                 # Im dX = Wi^T Dr + Wr^T Di
    spec = blocks.reshape(nf, 2 * C, 2 * F) @ D                        # (nf, 2C, N)
    dx = _to_image(spec.reshape(nf, 2, C * N), mats["dx_cols"], mats["dx_rows"], Hp).reshape(Hp, Wp, C, N)
    return dx[top:top + H, left:left + W].transpose(3, 2, 0, 1), dw, db

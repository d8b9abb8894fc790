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
the transforms themselves are products with fixed (2 * n_freq, H * W) matrices made once per image
size from numpy's rfft2 / irfft2 (one large product for the whole batch instead of one FFT per image,
which numpy runs ~4x slower here), and a complex product is one real product of [[Re, Im], [-Im, Re]]
blocks. Memory order: x is read as (H, W, C, N) ("images last"), out is a view of (H_out, W_out, F, N)
memory, dx of (H, W, C, N).

Fewer multiply-adds than im2col when C and F are large and the image small (chapter 10's second layer,
16 -> 32 channels, 5x5 on 12x12: forward + backward 14 -> 8.7 ms at batch 128, benchmarks/README.md);
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
    nf2 = 2 * Hp * (Wp // 2 + 1)                                 # real numbers per transformed image
    direct = 3 * 2 * N * F * C * KH * KW * Ho * Wo
    transforms = 2 * N * nf2 * (2 * C * Hp * Wp + 2 * F * Ho * Wo)   # x in, dx out; dout in, out out
    products = 3 * 2 * (nf2 // 2) * N * (2 * F) * (2 * C)
    return direct, transforms + products


def worth_it(x_shape, w_shape, stride_hw, pads, tied_or_no_bias):
    """Use this module for a layer of these shapes? Stride 1, no untied bias, and fewer operations."""
    if tuple(stride_hw) != (1, 1) or not tied_or_no_bias:
        return False
    direct, dft = flops(x_shape, w_shape, pads)
    return dft < direct


@functools.lru_cache(maxsize=16)
def _transforms(Hp, Wp, KH, KW, dtype):
    """The fixed matrices for images of Hp x Wp, kernels KH x KW (read-only, shared).

    fwd  (2*nf, Hp*Wp): image -> [Re; Im] of rfft2, rows (frequency, re/im)
    inv  (Hp*Wp, 2*nf): [Re; Im] -> irfft2 image
    and their rows / columns for the output window (H_out x W_out) and the kernel (KH x KW)."""
    nw = Wp // 2 + 1
    nf = Hp * nw
    basis = np.eye(Hp * Wp).reshape(Hp * Wp, Hp, Wp)
    spec = np.fft.rfft2(basis).reshape(Hp * Wp, nf)                       # [pixel, frequency]
    fwd = np.stack([spec.real.T, spec.imag.T], axis=1).reshape(2 * nf, Hp * Wp)
    unit = np.zeros((nf, 2, nf), dtype=complex)
    unit[np.arange(nf), 0, np.arange(nf)] = 1
    unit[np.arange(nf), 1, np.arange(nf)] = 1j
    inv = np.fft.irfft2(unit.reshape(2 * nf, Hp, nw), s=(Hp, Wp)).reshape(2 * nf, Hp * Wp).T
    pixel = np.arange(Hp * Wp).reshape(Hp, Wp)
    out_px, kernel_px = pixel[:Hp - KH + 1, :Wp - KW + 1].ravel(), pixel[:KH, :KW].ravel()
    mats = {"x": fwd, "dout": fwd[:, out_px], "w": fwd[:, kernel_px],
            "out": inv[out_px], "dx": inv, "dw": inv[kernel_px]}
    for name, m in mats.items():
        mats[name] = np.ascontiguousarray(m, dtype=dtype)
        mats[name].flags.writeable = False
    return nf, mats


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
    X = (mats["x"] @ xt.reshape(Hp * Wp, C * N)).reshape(nf, 2 * C, N)   # [Re X; Im X] per frequency
    Wk = _spectrum_of_w(w, mats, nf)
    Wr, Wi = Wk[:, 0], Wk[:, 1]
    blocks = np.empty((nf, 2, F, 2, C), dtype=dtype)                  # conj(W) as real blocks
    blocks[:, 0, :, 0], blocks[:, 0, :, 1] = Wr, Wi                   # Re Out = Wr Xr + Wi Xi
    blocks[:, 1, :, 0], blocks[:, 1, :, 1] = -Wi, Wr                  # Im Out = Wr Xi - Wi Xr
    spec = blocks.reshape(nf, 2 * F, 2 * C) @ X                        # (nf, 2F, N)
    if b is not None:                 # a constant b on every pixel is b * Hp * Wp at frequency 0
        spec[0, :F] += np.asarray(b, dtype=dtype)[:, None] * (Hp * Wp)
    out = (mats["out"] @ spec.reshape(2 * nf, F * N)).reshape(H_out, W_out, F, N)
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
    d = np.ascontiguousarray(dout.transpose(2, 3, 1, 0), dtype=X.dtype).reshape(H_out * W_out, F * N)
    D = (mats["dout"] @ d).reshape(nf, 2 * F, N)                      # [Re D; Im D] per frequency
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
    dx = (mats["dx"] @ spec.reshape(2 * nf, C * N)).reshape(Hp, Wp, C, N)
    return dx[top:top + H, left:left + W].transpose(3, 2, 0, 1), dw, db

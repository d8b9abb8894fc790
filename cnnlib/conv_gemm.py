"""The convolution layer as ONE matrix product per pass, for the whole batch (chapter 09, faster).

conv.conv2d's im2col keeps the batch axis first: N products of (F, C*KH*KW) @ (C*KH*KW, H_out*W_out),
each small, and every image's window copy and col2im add runs over short rows. Here the batch axis
goes LAST ("channels, rows, columns, images" = (C, H, W, N) in memory), so that

    cols[c*KH*KW + u*KW + v, (i*W_out + j)*N + n] = x_pad[n, c, i*s_h + u, j*s_w + v]

is (C*KH*KW, H_out*W_out*N) and
    forward  out  = w (F, C*KH*KW) @ cols                       eq. (9.3), one product
    backward dw   = dout (F, H_out*W_out*N) @ cols^T            eq. (9.4), one product
             dcols = w^T @ dout, then col2im                    eq. (9.5), one product
With the images last, each of the KH*KW window copies (im2col) and adds (col2im) moves runs of
W_out*N (or N) neighbouring numbers at once instead of W_out, and the products are large enough for
BLAS to run near its peak. The arrays handed back are (N, C, H, W) views of other memory orders:
out of (H_out, W_out, N, F), dx of (C, H, W, N) (the same numbers; numpy's element-wise functions
follow the memory order, so ReLU and pooling stay fast on them, and hand their gradients back in
the same order, which the backward then reads without a copy).
The results equal conv.conv2d_naive / conv2d_backward_naive (tests/test_conv.py).
"""
import numpy as np


def in_order_of(a, ref):
    """a (same shape as ref) with its numbers in ref's memory order: a itself if it already is, else a
    copy. Element-wise work on two arrays in different memory orders reads one of them with long
    jumps; one copy first is much cheaper (a pooling backward on (128, 16, 24, 24): 28 ms -> ~2 ms)."""
    order_a = np.argsort([-abs(s) for s in a.strides], kind="stable")
    order_ref = np.argsort([-abs(s) for s in ref.strides], kind="stable")
    if a.shape != ref.shape or np.array_equal(order_a, order_ref):
        return a
    out = np.empty_like(ref, dtype=a.dtype)
    out[...] = a
    return out


def _windows(kernel_hw, stride_hw, out_hw):
    """For each kernel offset (u, v): (u, v, rows, cols), the slices of x_pad that hold the (u, v)
    element of every window."""
    (KH, KW), (sh, sw), (H_out, W_out) = kernel_hw, stride_hw, out_hw
    for u in range(KH):
        for v in range(KW):
            yield u, v, slice(u, u + (H_out - 1) * sh + 1, sh), slice(v, v + (W_out - 1) * sw + 1, sw)


def im2col_last(x, kernel_hw, stride_hw, pads, out_hw, ones_row=False):
    """x: (N, C, H, W), any memory layout -> cols (C*KH*KW, H_out*W_out*N), images last (a new array).

    ones_row=True appends a row of ones, (C*KH*KW + 1, H_out*W_out*N): a tied bias then rides in the
    product as one more weight column (out = [w | b] @ [cols; 1]), and the backward's dw product gives
    db = dout summed over every window as its last column, with no separate pass over dout."""
    N, C, H, W = x.shape
    top, bottom, left, right = pads
    (KH, KW), (H_out, W_out) = kernel_hw, out_hw
    if any(pads):
        xt = np.zeros((C, H + top + bottom, W + left + right, N), dtype=x.dtype)
        xt[:, top:top + H, left:left + W] = x.transpose(1, 2, 3, 0)
    else:
        xt = np.ascontiguousarray(x.transpose(1, 2, 3, 0))          # (C, H, W, N): one copy
    K, P = C * KH * KW, H_out * W_out * N
    flat = np.empty((K + bool(ones_row), P), dtype=x.dtype)
    cols = flat[:K].reshape(C, KH, KW, H_out, W_out, N)
    for u, v, rows, columns in _windows(kernel_hw, stride_hw, out_hw):
        cols[:, u, v] = xt[:, rows, columns]                          # runs of W_out*N (stride 1)
    if ones_row:
        flat[K] = 1
    return flat


def forward(x, w, b, stride_hw, pads, out_hw, cols=None):
    """out (N, F, H_out, W_out), a view of (H_out, W_out, N, F) memory, and the cols it used.

    x: (N, C, H, W), w: (F, C, KH, KW), b: (F,) tied, (F, H_out, W_out) untied, or None.
    cols: im2col_last(x, ..., ones_row=<b is tied>) if the caller has it, else computed here.
    A tied bias is the product's last weight column, against the ones row of cols (see im2col_last).
    The product is computed as cols^T @ w^T, (H_out*W_out*N, F): filters last. Then the backward's
    dout (in the same layout when ReLU and pooling keep it) is read as (P*N, F) without a copy, the
    orientation in which OpenBLAS computes dw = cols @ dout fastest (measured, benchmarks/README.md).
    """
    N = x.shape[0]
    F = w.shape[0]
    H_out, W_out = out_hw
    b = None if b is None else np.asarray(b)
    tied = b is not None and b.ndim == 1
    if cols is None:
        cols = im2col_last(x, w.shape[2:], stride_hw, pads, out_hw, ones_row=tied)
    K = w[0].size
    tied = tied and cols.shape[0] == K + 1                            # else b is added below
    if tied:                                                          # [w | b]: (F, C*KH*KW + 1)
        wb = np.empty((F, K + 1), dtype=np.result_type(cols, w))
        wb[:, :K] = w.reshape(F, K)
        wb[:, K] = b
        out = cols.T @ wb.T                                           # (H_out*W_out*N, F), bias included
    else:
        out = cols.T @ w.reshape(F, K).T                              # (H_out*W_out*N, F)
    if b is not None and not tied:
        out = out.reshape(H_out * W_out, N, F)
        out += b.reshape(F, -1).T[:, None, :]                         # tied: (1, 1, F); untied: (P, 1, F)
    return out.reshape(H_out, W_out, N, F).transpose(2, 3, 0, 1), cols


def backward(dout, x_shape, w, stride_hw, pads, cols, untied_bias=False, need_dx=True):
    """dx (N, C, H, W) or None, dw (F, C, KH, KW), db (F,) or (F, H_out, W_out), from the forward's cols.

    dout: (N, F, H_out, W_out), any memory layout (the forward's own layout is read without a copy).
    cols with a ones row (a tied bias, see im2col_last): db comes out of the dw product.
    dx is a view of (C, H, W, N) memory."""
    N, C, H, W = x_shape
    F, _, KH, KW = w.shape
    H_out, W_out = dout.shape[2:]
    d = dout.transpose(2, 3, 0, 1).reshape(H_out * W_out * N, F)       # (P*N, F)
    K = C * KH * KW
    dwb = cols @ d                                                     # eq. (9.4): (K, F), or (K + 1, F)
    dw = np.ascontiguousarray(dwb[:K].T).reshape(w.shape)
    if cols.shape[0] == K + 1:
        db = dwb[K].copy()                                             # eq. (7): the ones row's product
    elif untied_bias:
        db = np.ascontiguousarray(d.reshape(H_out * W_out, N, F).sum(axis=1).T).reshape(F, H_out, W_out)
    else:                          # d.sum(axis=0) of a tall (P*N, F) array runs 10x slower than this
        db = d.reshape(H_out * W_out, N * F).sum(axis=0).reshape(N, F).sum(axis=0)
    if not need_dx:
        return None, dw, db
    top, bottom, left, right = pads
    dcols = (w.reshape(F, -1).T @ d.T).reshape(C, KH, KW, H_out, W_out, N)   # eq. (9.5)
    dx = np.zeros((C, H + top + bottom, W + left + right, N), dtype=dcols.dtype)
    for u, v, rows, columns in _windows((KH, KW), stride_hw, (H_out, W_out)):
        dx[:, rows, columns] += dcols[:, u, v]                         # col2im: += where windows overlap
    return dx[:, top:top + H, left:left + W].transpose(3, 0, 1, 2), dw, db   # eq. (9): crop

"""Chapter 09: each check rejects the typical mistakes."""
import numpy as np
import pytest

from cnnlib import checks
from notebooks.solutions import ch09_fast_convolution as ch09


# ---------------------------------------------------------------- wrong answers are rejected

def im2col_transposed(image, kernel_hw, stride):
    return ch09.im2col_one(image, kernel_hw, stride).T


def im2col_ignores_stride(image, kernel_hw, stride):
    return ch09.im2col_one(image, kernel_hw, 1)


def im2col_off_by_one(image, kernel_hw, stride):
    H, W = image.shape
    KH, KW = kernel_hw
    H_out, W_out = (H - KH) // stride, (W - KW) // stride          # forgot the + 1
    return np.stack([image[i * stride:i * stride + KH, j * stride:j * stride + KW].ravel()
                     for i in range(H_out) for j in range(W_out)], axis=1) if H_out * W_out else np.zeros((KH * KW, 0))


def im2col_column_major_windows(image, kernel_hw, stride):
    H, W = image.shape
    KH, KW = kernel_hw
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    return np.stack([image[i * stride:i * stride + KH, j * stride:j * stride + KW].ravel(order="F")
                     for i in range(H_out) for j in range(W_out)], axis=1)


def im2col_in_place(image, kernel_hw, stride):
    cols = ch09.im2col_one(image, kernel_hw, stride)
    image[...] = 0                                                   # changes the caller's array
    return cols


@pytest.mark.parametrize("wrong, hint", [
    (im2col_transposed, "swapped"),
    (im2col_ignores_stride, "stride"),
    (im2col_off_by_one, "off-by-one"),
    (im2col_column_major_windows, "row by row"),
    (im2col_in_place, "in place"),
])
def test_im2col_mistakes_rejected(wrong, hint, capsys):
    assert checks.check_im2col_one(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and hint in out


def col2im_assign(cols, image_shape, kernel_hw, stride):
    """= instead of +=."""
    H, W = image_shape
    KH, KW = kernel_hw
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros((H, W))
    for i in range(H_out):
        for j in range(W_out):
            out[i * stride:i * stride + KH, j * stride:j * stride + KW] = cols[:, i * W_out + j].reshape(KH, KW)
    return out


def col2im_ignores_stride(cols, image_shape, kernel_hw, stride):
    H, W = image_shape
    KH, KW = kernel_hw
    H_out, W_out = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros((H, W))
    for i in range(H_out):
        for j in range(W_out):
            out[i:i + KH, j:j + KW] += cols[:, i * W_out + j].reshape(KH, KW)
    return out


def col2im_returns_padded(cols, image_shape, kernel_hw, stride):
    return np.pad(ch09.col2im_one(cols, image_shape, kernel_hw, stride), 1)


@pytest.mark.parametrize("wrong, hint", [
    (col2im_assign, "use += (not =)"),
    (col2im_ignores_stride, "the stride is missing"),
    (col2im_returns_padded, "the image's shape"),
])
def test_col2im_mistakes_rejected(wrong, hint, capsys):
    assert checks.check_col2im_one(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and (hint is None or hint in out)


def conv_no_bias(x, w, b):
    return ch09.conv2d_im2col(x, w, np.zeros_like(b))


def conv_wrong_reshape(x, w, b):
    out = ch09.conv2d_im2col(x, w, b)
    N, F_, H, W = out.shape
    return out.transpose(1, 0, 2, 3).reshape(N, F_, H, W)           # (F, N, ...) data read as (N, F, ...)


def conv_flipped_kernel(x, w, b):                                    # a convolution, not a correlation
    return ch09.conv2d_im2col(x, w[:, :, ::-1, ::-1].copy(), b)


def conv_flat_shape(x, w, b):
    out = ch09.conv2d_im2col(x, w, b)
    return out.reshape(out.shape[0], out.shape[1], -1)


@pytest.mark.parametrize("wrong, hint", [
    (conv_no_bias, "bias"),
    (conv_wrong_reshape, "images and filters are mixed up"),
    (conv_flipped_kernel, "the kernel flipped"),
    (conv_flat_shape, "reshape it to"),
])
def test_conv2d_im2col_mistakes_rejected(wrong, hint, capsys):
    assert checks.check_conv2d_im2col(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and (hint is None or hint in out)


def im2col_bytes_true_division(x_shape, kernel_hw, stride, itemsize):
    """/ instead of //: a float, right only when the stride divides."""
    N, C, H, W = x_shape
    KH, KW = kernel_hw
    return N * C * KH * KW * ((H - KH) / stride + 1) * ((W - KW) / stride + 1) * itemsize


def im2col_bytes_no_floor(x_shape, kernel_hw, stride, itemsize):
    """An int, but the window count without the floor of equation (1) (the paper's formula)."""
    return round(im2col_bytes_true_division(x_shape, kernel_hw, stride, itemsize))


@pytest.mark.parametrize("wrong, hint", [
    (lambda shape, k, s, itemsize: ch09.im2col_bytes(shape, k, s, 1), "itemsize"),
    (lambda shape, k, s, itemsize: ch09.im2col_bytes(shape[:1] + (1,) + shape[2:], k, s, itemsize), "C*KH*KW"),
    (lambda shape, k, s, itemsize: ch09.im2col_bytes(shape, k, 1, itemsize), "stride"),
    (lambda shape, k, s, itemsize: int(np.prod(shape)) * itemsize, None),   # the input's size
    (im2col_bytes_true_division, "floor"),   # a whole float is accepted; 15.5 windows are not
    (im2col_bytes_no_floor, "floor"),
])
def test_im2col_bytes_mistakes_rejected(wrong, hint, capsys):
    assert checks.check_im2col_bytes(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and (hint is None or hint in out)

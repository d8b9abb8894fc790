"""Chapters 01-02: each check rejects the typical mistakes."""
import numpy as np

from cnnlib import checks
from cnnlib import functional as F
from notebooks.solutions import ch01_why_cnns as ch01, ch02_convolution_and_correlation as ch02


def rejects(check, wrong, capsys, hint):
    """The check returns False and its output names the mistake (hint is a fragment of the message)."""
    assert check(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet"), out
    assert hint in out, out


# ---------------------------------------------------------------- chapter 01 mistakes

def test_dense_params_without_bias(capsys):
    rejects(checks.check_dense_params, lambda n_in, n_out: n_in * n_out, capsys, "bias")


def test_dense_params_bias_per_input(capsys):
    rejects(checks.check_dense_params, lambda n_in, n_out: n_in * n_out + n_in, capsys, "outputs")


def test_conv_params_mistakes(capsys):
    rejects(checks.check_conv_params, lambda c, f, k: f * c * k * k, capsys, "one bias")
    rejects(checks.check_conv_params, lambda c, f, k: f * (k * k + 1), capsys, "every input channel")
    rejects(checks.check_conv_params, lambda c, f, k: f * c * k * k + c, capsys, "per filter")
    rejects(checks.check_conv_params, lambda c, f, k: f * c * (k * k + 1), capsys, "not one per (filter, input")
    rejects(checks.check_conv_params, lambda c, f, k: f * (c * k + 1), capsys, "k * k weights")


def test_shift_with_roll(capsys):
    rejects(checks.check_shift_image, lambda img, dy, dx: np.roll(img, (dy, dx), axis=(0, 1)), capsys, "wraps")


def test_shift_wrong_direction(capsys):
    rejects(checks.check_shift_image, lambda img, dy, dx: ch01.shift_image(img, -dy, -dx), capsys, "wrong way")


def test_shift_axes_swapped(capsys):
    rejects(checks.check_shift_image, lambda img, dy, dx: ch01.shift_image(img, dx, dy), capsys, "swapped")


def test_shift_in_place(capsys):
    def in_place(img, dy, dx):
        img[:] = ch01.shift_image(img, dy, dx)
        return img
    assert checks.check_shift_image(in_place) is False
    assert "in place" in capsys.readouterr().out


def test_flat_neighbours_wrapping_rows(capsys):
    def wraps(r, c, H, W):
        flat = r * W + c
        return sorted(i for i in (flat - W, flat + W, flat - 1, flat + 1) if 0 <= i < H * W)
    rejects(checks.check_flat_neighbours, wraps, capsys, "no right neighbour")


def test_flat_neighbours_wrong_row_length(capsys):
    def stride_h(r, c, H, W):
        return sorted(rr * H + cc for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1))
                      if 0 <= rr < H and 0 <= cc < W)
    rejects(checks.check_flat_neighbours, stride_h, capsys, "W pixels")


def test_flat_neighbours_right_values_in_an_array_or_tuple_are_accepted(capsys):
    # issue 16: the exercise is about the indices, not the container
    for container in (np.array, tuple):
        assert checks.check_flat_neighbours(lambda r, c, H, W: container(ch01.flat_neighbours(r, c, H, W)))
        assert capsys.readouterr().out.startswith("Correct")


def test_flat_neighbours_unsorted(capsys):
    def unsorted(r, c, H, W):
        return sorted(ch01.flat_neighbours(r, c, H, W), reverse=True)
    rejects(checks.check_flat_neighbours, unsorted, capsys, "sort")


# ---------------------------------------------------------------- chapter 02 mistakes

def test_correlate_with_flip(capsys):
    rejects(checks.check_correlate2d_valid, ch02.convolve2d_valid, capsys, "flipped")


def test_correlate_off_by_one_size(capsys):
    def short(image, kernel):
        H, W = image.shape
        KH, KW = kernel.shape
        out = np.zeros((H - KH, W - KW))  # one row and one column short
        for i in range(H - KH):
            for j in range(W - KW):
                out[i, j] = np.sum(image[i:i + KH, j:j + KW] * kernel)
        return out
    rejects(checks.check_correlate2d_valid, short, capsys, "H - KH + 1")


def test_correlate_kernel_transposed(capsys):
    rejects(checks.check_correlate2d_valid, lambda im, k: ch02.correlate2d_valid(im, k.T) if k.shape[0] == k.shape[1]
            else ch02.correlate2d_valid(im, k), capsys, "Not yet")


def test_convolve_missing_flip(capsys):
    rejects(checks.check_convolve2d_valid, ch02.correlate2d_valid, capsys, "not flipped")


def test_convolve_flip_one_axis(capsys):
    rejects(checks.check_convolve2d_valid, lambda im, k: ch02.correlate2d_valid(im, k[::-1]), capsys, "both axes")
    rejects(checks.check_convolve2d_valid, lambda im, k: ch02.correlate2d_valid(im, k[:, ::-1]), capsys, "both axes")


def test_convolve_transpose_instead_of_flip(capsys):
    def transposed(im, k):
        if k.shape[0] != k.shape[1]:
            return ch02.convolve2d_valid(im, k)  # right on non-square kernels, wrong on square ones
        return ch02.correlate2d_valid(im, k.T)
    rejects(checks.check_convolve2d_valid, transposed, capsys, "transpose")


def test_convolve_off_by_one_size(capsys):
    def long(image, kernel):
        out = ch02.convolve2d_valid(image, kernel)
        return np.pad(out, ((0, 1), (0, 1)))
    rejects(checks.check_convolve2d_valid, long, capsys, "H - KH + 1")


def test_output_shape_off_by_one(capsys):
    def off(H, W, KH, KW, mode):
        if mode == "valid":
            return (H - KH, W - KW)
        return ch02.output_shape(H, W, KH, KW, mode)
    rejects(checks.check_output_shape, off, capsys, "off by one")


def test_output_shape_full_wrong(capsys):
    def off(H, W, KH, KW, mode):
        if mode == "full":
            return (H + KH, W + KW)
        return ch02.output_shape(H, W, KH, KW, mode)
    rejects(checks.check_output_shape, off, capsys, "off by one")


def pad_then_valid(pad_rows, pad_cols):
    """A 'full' attempt that pads pad_rows(KH) rows and pad_cols(KW) columns on each side."""
    def attempt(image, kernel):
        KH, KW = kernel.shape
        return ch02.correlate2d_valid(np.pad(image, ((pad_rows(KH),) * 2, (pad_cols(KW),) * 2)), kernel)
    return attempt


def test_full_with_same_padding(capsys):
    rejects(checks.check_correlate2d_full, lambda im, k: F.correlate2d(im, k, "same"), capsys, "'same' size")


def test_full_without_padding(capsys):
    rejects(checks.check_correlate2d_full, ch02.correlate2d_valid, capsys, "that is 'valid'")


def test_full_padding_off_by_one(capsys):
    rejects(checks.check_correlate2d_full, pad_then_valid(lambda k: k, lambda k: k), capsys, "not KH and KW")


def test_full_with_flip(capsys):
    rejects(checks.check_correlate2d_full, lambda im, k: ch02.correlate2d_full(im, k[::-1, ::-1]), capsys, "flipped")


def test_output_shape_columns_first(capsys):
    rejects(checks.check_output_shape, lambda H, W, KH, KW, mode: ch02.output_shape(H, W, KH, KW, mode)[::-1],
            capsys, "rows first")


def test_output_shape_same_with_odd_padding_formula(capsys):
    def same_by_formula(H, W, KH, KW, mode):
        if mode == "same":  # pads (K - 1) // 2 on both sides: one row short for an even kernel
            return (H - KH + 1 + 2 * ((KH - 1) // 2), W - KW + 1 + 2 * ((KW - 1) // 2))
        return ch02.output_shape(H, W, KH, KW, mode)
    rejects(checks.check_output_shape, same_by_formula, capsys, "keep the input's size")


def test_convolve_quarter_turn(capsys):
    rejects(checks.check_convolve2d_valid, lambda im, k: ch02.correlate2d_valid(im, np.rot90(k)), capsys, "180-degree")

"""Issue 16: every check whose exercise takes image / kernel shapes has a non-square input and a
non-square kernel among its cases, so an answer that reads one size for both axes is rejected."""
import numpy as np
import pytest

from cnnlib import checks
from cnnlib import functional as F
from tests.test_exercises_all import CHECKS, solution_for

# check name -> (input (H, W) from the case's args, kernel (KH, KW) from the args or None when the
# exercise's window is square by definition (a `size`) or it has no kernel)
SHAPES = {
    "check_shift_image": (lambda a: a[0].shape, None),
    "check_flat_neighbours": (lambda a: (a[2], a[3]), None),
    "check_correlate2d_valid": (lambda a: a[0].shape, lambda a: a[1].shape),
    "check_convolve2d_valid": (lambda a: a[0].shape, lambda a: a[1].shape),
    "check_correlate2d_full": (lambda a: a[0].shape, lambda a: a[1].shape),
    "check_output_shape": (lambda a: a[:2], lambda a: a[2:4]),
    "check_conv_one_filter": (lambda a: a[0].shape[-2:], lambda a: a[1].shape[-2:]),
    "check_conv_relu": (lambda a: a[0].shape[-2:], lambda a: a[1].shape[-2:]),
    "check_max_pool": (lambda a: a[0].shape, None),                  # windows are size x size
    "check_flatten_index": (lambda a: a[3][1:], None),
    "check_filter_forward": (lambda a: a[0].shape[-2:], lambda a: a[1].shape[-2:]),
    "check_conv_param_count": (lambda a: a[4] or (0, 0), lambda a: a[2:4]),
    "check_conv_dx_single": (lambda a: a[0].shape, lambda a: a[1].shape),
    "check_conv_dk_single": (lambda a: a[0].shape, lambda a: a[1].shape),
    "check_conv_db": (lambda a: a[0].shape[-2:], None),
    "check_dilate": (lambda a: a[0].shape, None),
    "check_avg_pool_backward": (lambda a: a[1].shape, None),         # windows are size x size
    "check_max_pool_backward": (lambda a: a[1].shape, None),
    "check_im2col_one": (lambda a: a[0].shape, lambda a: a[1]),
    "check_col2im_one": (lambda a: a[1], lambda a: a[2]),
    "check_conv2d_im2col": (lambda a: a[0].shape[-2:], lambda a: a[1].shape[-2:]),
    "check_im2col_bytes": (lambda a: a[0][2:], lambda a: a[1]),
    "check_conv2d_single": (lambda a: a[0].shape, lambda a: a[1].shape),
    "check_avg_pool": (lambda a: a[0].shape, None),                  # windows are size x size
    "check_dense_forward": (lambda a: a[0].shape, lambda a: a[1].shape),  # the weight matrix
    "check_center_of_mass": (lambda a: a[0].shape, None),
}
NO_SHAPES = {"check_dense_params", "check_conv_params",   # sizes of square k x k kernels, no image
             "check_output_size", "check_same_padding",   # one axis
             "check_confusion_matrix", "check_per_class_accuracy",
             "check_fgsm_step"}                           # element by element: no window, any shape


def test_every_check_is_classified():
    assert set(SHAPES) | NO_SHAPES == set(CHECKS), set(CHECKS) ^ (set(SHAPES) | NO_SHAPES)


def _cases_seen(check_name):
    solution, seen = solution_for(check_name), []

    def spy(*args):
        seen.append(args)
        return solution(*args)

    assert getattr(checks, check_name)(spy) is True
    return seen


@pytest.mark.parametrize("check_name", sorted(SHAPES))
def test_cases_include_non_square_inputs_and_kernels(check_name, capsys):
    input_hw, kernel_hw = SHAPES[check_name]
    seen = _cases_seen(check_name)
    assert any(tuple(input_hw(a))[0] != tuple(input_hw(a))[1] for a in seen), f"{check_name}: all inputs square"
    if kernel_hw is not None:
        assert any(tuple(kernel_hw(a))[0] != tuple(kernel_hw(a))[1] for a in seen), \
            f"{check_name}: all kernels square"


# ------------------------------------------------- the classic answers that assume squares

def conv_relu_one_kernel_size(x, w, b):
    """K = w.shape[2] read for both axes (issue 16: this passed when every kernel was square)."""
    n_filters, K = w.shape[0], w.shape[2]
    out = np.zeros((n_filters, x.shape[1] - K + 1, x.shape[2] - K + 1))
    for f in range(n_filters):
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                out[f, i, j] = np.sum(x[:, i:i + K, j:j + K] * w[f]) + b[f]
    return np.maximum(out, 0)


def im2col_bytes_square_image(x_shape, kernel_hw, stride, itemsize):
    N, C, H, W = x_shape
    KH, KW = kernel_hw
    H_out = (H - KH) // stride + 1
    return N * C * KH * KW * H_out ** 2 * itemsize


def im2col_bytes_square_kernel(x_shape, kernel_hw, stride, itemsize):
    N, C, H, W = x_shape
    KH, KW = kernel_hw
    return N * C * KH * KH * ((H - KH) // stride + 1) * ((W - KW) // stride + 1) * itemsize


def conv_one_filter_one_kernel_size(x, w, b):
    K = w.shape[1]
    H_out, W_out = x.shape[1] - K + 1, x.shape[2] - K + 1
    return np.array([[np.sum(x[:, i:i + K, j:j + K] * w[:, :K, :K]) for j in range(W_out)]
                     for i in range(H_out)]) + b


def correlate_valid_one_size(image, kernel):
    K = kernel.shape[0]
    H_out, W_out = image.shape[0] - K + 1, image.shape[1] - K + 1
    return np.array([[np.sum(image[i:i + K, j:j + K] * kernel[:K, :K]) for j in range(W_out)]
                     for i in range(H_out)])


def output_shape_square(H, W, KH, KW, mode):
    return solution_for("check_output_shape")(H, H, KH, KH, mode)


def im2col_one_square_kernel(image, kernel_hw, stride):
    KH, _ = kernel_hw
    return solution_for("check_im2col_one")(image, (KH, KH), stride)


def filter_forward_one_kernel_size(x, w_i, b_i):
    K = w_i.shape[1]
    return F.conv2d(x[None], w_i[None, :, :K, :K], np.array([b_i]))[0, 0]


@pytest.mark.parametrize("check_name, wrong, hint", [
    ("check_conv_relu", conv_relu_one_kernel_size, "one size read for both axes"),
    ("check_im2col_bytes", im2col_bytes_square_image, "H_out ** 2"),
    ("check_im2col_bytes", im2col_bytes_square_kernel, "KH * KW"),
    ("check_conv_one_filter", conv_one_filter_one_kernel_size, None),
    ("check_correlate2d_valid", correlate_valid_one_size, None),   # raises on the 3x2 kernel
    ("check_output_shape", output_shape_square, None),
    ("check_im2col_one", im2col_one_square_kernel, None),
    ("check_filter_forward", filter_forward_one_kernel_size, None),
])
def test_answers_that_assume_squares_are_rejected(check_name, wrong, hint, capsys):
    assert getattr(checks, check_name)(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet"), out
    assert hint is None or hint in out, out


def test_im2col_bytes_non_square_figures(capsys):
    # issue 16: input (2, 3, 5, 9), 2x3 kernel, float32 -> 4032 bytes; the square answers give others
    args = ((2, 3, 5, 9), (2, 3), 1, 4)
    assert solution_for("check_im2col_bytes")(*args) == 4032
    assert im2col_bytes_square_image(*args) != 4032 and im2col_bytes_square_kernel(*args) != 4032

"""Convolution (cnnlib/conv.py): correlate2d / convolve2d against scipy, the paper's worked example
(equation block (4)), conv2d and conv2d_backward against the loop versions and finite differences."""
import numpy as np
import pytest
import scipy.signal

from cnnlib import functional as F
from cnnlib.gradcheck import numerical_gradient, rel_error
from cnnlib.shapes import resolve_padding

STRIDES = [1, 2, 3, (1, 2), (2, 1), (3, 2)]
PADDINGS = ["valid", "same", 0, 1, 2, (1, 0), (0, 2), (0, 1, 2, 1), (2, 0, 1, 3)]
KERNELS = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (2, 3), (3, 1), (1, 4)]


def sample_configs(count, seed):
    """A seeded sample of the grid: (N, C, H, W, F, KH, KW, stride, padding), all valid."""
    rng = np.random.default_rng(seed)
    configs = []
    while len(configs) < count:
        N, C, F_ = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 5))
        H, W = (int(v) for v in rng.integers(3, 9, size=2))
        KH, KW = KERNELS[rng.integers(len(KERNELS))]
        stride = STRIDES[rng.integers(len(STRIDES))]
        padding = PADDINGS[rng.integers(len(PADDINGS))]
        sh, sw = (stride, stride) if isinstance(stride, int) else stride
        top, bottom, left, right = resolve_padding(padding, (KH, KW), (sh, sw), (H, W))
        if H + top + bottom < KH or W + left + right < KW:
            continue
        configs.append((N, C, H, W, F_, KH, KW, stride, padding))
    return configs


def config_id(cfg):
    N, C, H, W, F_, KH, KW, stride, padding = cfg
    return f"x{N}x{C}x{H}x{W}-w{F_}x{C}x{KH}x{KW}-s{stride}-p{padding}".replace(" ", "")


def make_arrays(cfg, rng, dtype=np.float64):
    N, C, H, W, F_, KH, KW, stride, padding = cfg
    x = rng.normal(size=(N, C, H, W)).astype(dtype)
    w = rng.normal(size=(F_, C, KH, KW)).astype(dtype)
    b = rng.normal(size=(F_,)).astype(dtype)
    return x, w, b


def reached_mask(n, f, s, p_before, n_out):
    """Which input positions (along one axis) some window covers: index i*s + u - p_before."""
    mask = np.zeros(n, dtype=bool)
    for i in range(n_out):
        for u in range(f):
            k = i * s + u - p_before
            if 0 <= k < n:
                mask[k] = True
    return mask


# ---------------------------------------------------------------------------- single channel

@pytest.mark.parametrize("kshape", [(1, 1), (2, 2), (3, 3), (2, 3), (3, 2), (5, 1)])
@pytest.mark.parametrize("mode", ["valid", "full", "same"])
def test_correlate_and_convolve_agree_with_scipy(kshape, mode):
    rng = np.random.default_rng(hash((kshape, mode)) % 2**32)
    image = rng.normal(size=(6, 7))
    kernel = rng.normal(size=kshape)
    odd = kshape[0] % 2 == 1 and kshape[1] % 2 == 1
    if mode == "same" and not odd:
        # scipy centres even kernels differently; ours puts the odd zero row/column bottom/right:
        # check that definition directly.
        top, bottom, left, right = F.same_padding(6, kshape[0], 1) + F.same_padding(7, kshape[1], 1)
        padded = F.pad2d(image, (top, bottom, left, right))
        np.testing.assert_allclose(F.correlate2d(image, kernel, "same"),
                                   F.correlate2d(padded, kernel, "valid"), atol=1e-12)
        assert (bottom - top, right - left) == ((kshape[0] + 1) % 2, (kshape[1] + 1) % 2)
        return
    np.testing.assert_allclose(F.correlate2d(image, kernel, mode),
                               scipy.signal.correlate2d(image, kernel, mode), atol=1e-12)
    np.testing.assert_allclose(F.convolve2d(image, kernel, mode),
                               scipy.signal.convolve2d(image, kernel, mode), atol=1e-12)


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_convolve_is_correlate_with_flipped_kernel(mode):
    rng = np.random.default_rng(1)
    image, kernel = rng.normal(size=(5, 6)), rng.normal(size=(3, 2))
    np.testing.assert_allclose(F.convolve2d(image, kernel, mode),
                               F.correlate2d(image, kernel[::-1, ::-1], mode), atol=1e-12)
    # and they differ for a kernel that is not symmetric
    assert not np.allclose(F.convolve2d(image, kernel, mode), F.correlate2d(image, kernel, mode))


def test_correlate2d_hand_example_and_int_input():
    image = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    kernel = np.array([[1, 0], [0, -1]])
    out = F.correlate2d(image, kernel)
    np.testing.assert_array_equal(out, [[1 - 5, 2 - 6], [4 - 8, 5 - 9]])
    assert np.issubdtype(out.dtype, np.floating)
    assert F.correlate2d(image, kernel, "same").shape == (3, 3)
    assert F.correlate2d(image, kernel, "full").shape == (4, 4)


# ----------------------------------------------------- the paper's equation block (4), exactly

# The paper's input x_ij and kernel k_ij, i, j counted from 1.  Giving x_ij the value 10*i + j makes
# every number name its own entry (x_23 = 23), so a one-hot kernel k_uv = 1 shows, in each output,
# which x entry k_uv multiplies.
X_LABELS = np.array([[11, 12, 13], [21, 22, 23], [31, 32, 33]], dtype=np.float64)
PAPER_BLOCK_4 = {  # y_ij = b_ij + sum of x_.. k_.. products, as printed in the paper
    "y11": "x11k11 + x12k12 + x21k21 + x22k22",
    "y12": "x12k11 + x13k12 + x22k21 + x23k22",
    "y21": "x21k11 + x22k12 + x31k21 + x32k22",
    "y22": "x22k11 + x23k12 + x32k21 + x33k22",
}
PAPER_DY_DX = {  # dY/dx_ij as printed in the paper (order of terms as printed)
    "x11": "k11", "x12": "k11 + k12", "x13": "k12",
    "x21": "k11 + k21", "x22": "k11 + k12 + k21 + k22", "x23": "k12 + k22",
    "x31": "k21", "x32": "k22 + k21", "x33": "k22",
}


def test_paper_equation_block_4_symbolic():
    x = X_LABELS[None, None]                                  # (1, 1, 3, 3)
    terms = {f"y{i}{j}": [] for i in (1, 2) for j in (1, 2)}
    for u in range(2):
        for v in range(2):
            w = np.zeros((1, 1, 2, 2))
            w[0, 0, u, v] = 1.0                               # only k_{u+1, v+1} is "on"
            y = F.conv2d(x, w)[0, 0]                          # (2, 2): which x meets this k
            for i in range(2):
                for j in range(2):
                    terms[f"y{i + 1}{j + 1}"].append(f"x{int(y[i, j])}k{u + 1}{v + 1}")
    assert {name: " + ".join(t) for name, t in terms.items()} == PAPER_BLOCK_4


def test_paper_equation_block_4_numbers_and_bias():
    k = np.array([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([0.5])
    y = F.conv2d(X_LABELS[None, None], k[None, None], b)[0, 0]
    x = X_LABELS
    expected = np.array([[b[0] + x[i, j] * 1 + x[i, j + 1] * 2 + x[i + 1, j] * 3 + x[i + 1, j + 1] * 4
                          for j in range(2)] for i in range(2)])
    np.testing.assert_array_equal(y, expected)
    np.testing.assert_array_equal(y, F.conv2d_naive(X_LABELS[None, None], k[None, None], b)[0, 0])


def test_paper_dy_dx_pattern_via_backward_with_dout_ones():
    # k11 = 1, k12 = 10, k21 = 100, k22 = 1000: each decimal digit of dx counts one kernel entry.
    w = np.array([[1.0, 10.0], [100.0, 1000.0]])[None, None]
    dout = np.ones((1, 1, 2, 2))
    dx, dw, db = F.conv2d_backward(dout, X_LABELS[None, None], w)
    names = {1: "k11", 10: "k12", 100: "k21", 1000: "k22"}
    for i in range(3):
        for j in range(3):
            value = int(dx[0, 0, i, j])
            got = sorted(name for digit, name in names.items() if (value // digit) % 10 == 1)
            assert sorted(PAPER_DY_DX[f"x{i + 1}{j + 1}"].split(" + ")) == got
    assert int(dx[0, 0, 1, 1]) == 1111                       # dY/dx22 = k11 + k12 + k21 + k22
    # dY/dk11 = x11 + x12 + x21 + x22 (the paper's next line), and dY/db = 1 per output
    assert dw[0, 0, 0, 0] == 11 + 12 + 21 + 22
    np.testing.assert_array_equal(dw[0, 0], F.correlate2d(X_LABELS, np.ones((2, 2))))
    assert db[0] == 4
    # the same pattern is the full convolution of dout with the kernel (the paper's claim)
    np.testing.assert_array_equal(dx[0, 0], F.convolve2d(dout[0, 0], w[0, 0], "full"))


# ------------------------------------------------------------------- conv2d: naive vs vectorized

@pytest.mark.parametrize("cfg", sample_configs(40, seed=0), ids=config_id)
def test_conv2d_equals_naive(cfg):
    rng = np.random.default_rng(7)
    x, w, b = make_arrays(cfg, rng)
    stride, padding = cfg[7], cfg[8]
    out = F.conv2d(x, w, b, stride, padding)
    np.testing.assert_allclose(out, F.conv2d_naive(x, w, b, stride, padding), atol=1e-12)
    N, C, H, W, F_, KH, KW = cfg[:7]
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    top, bottom, left, right = resolve_padding(padding, (KH, KW), (sh, sw), (H, W))
    assert out.shape == (N, F_, F.output_size(H, KH, (top, bottom), sh),
                         F.output_size(W, KW, (left, right), sw))
    dout = rng.normal(size=out.shape)
    for fast, slow, name in zip(F.conv2d_backward(dout, x, w, stride, padding),
                                F.conv2d_backward_naive(dout, x, w, stride, padding), "dx dw db".split()):
        assert fast.shape == slow.shape, name
        np.testing.assert_allclose(fast, slow, atol=1e-12, err_msg=name)


# ----------------------------------------------------------- conv2d_backward: finite differences

@pytest.mark.parametrize("cfg", sample_configs(24, seed=1), ids=config_id)
def test_conv2d_backward_gradcheck(cfg):
    rng = np.random.default_rng(3)
    x, w, b = make_arrays(cfg, rng)
    stride, padding = cfg[7], cfg[8]
    out = F.conv2d(x, w, b, stride, padding)
    dout = rng.normal(size=out.shape)
    dx, dw, db = F.conv2d_backward(dout, x, w, stride, padding)
    dx_num = numerical_gradient(lambda v: F.conv2d(v, w, b, stride, padding), x, dout)
    dw_num = numerical_gradient(lambda v: F.conv2d(x, v, b, stride, padding), w, dout)
    db_num = numerical_gradient(lambda v: F.conv2d(x, w, v, stride, padding), b, dout)
    assert rel_error(dx, dx_num) < 1e-7
    assert rel_error(dw, dw_num) < 1e-7
    assert rel_error(db, db_num) < 1e-7


@pytest.mark.parametrize("cfg", sample_configs(6, seed=2), ids=config_id)
def test_conv2d_backward_naive_gradcheck(cfg):
    rng = np.random.default_rng(4)
    x, w, b = make_arrays(cfg, rng)
    x, w, b = x[:1], w[:2], b[:2]                             # the loops are slow: one image, two filters
    stride, padding = cfg[7], cfg[8]
    dout = rng.normal(size=F.conv2d_naive(x, w, b, stride, padding).shape)
    dx, dw, db = F.conv2d_backward_naive(dout, x, w, stride, padding)
    assert rel_error(dx, numerical_gradient(lambda v: F.conv2d_naive(v, w, b, stride, padding), x, dout)) < 1e-7
    assert rel_error(dw, numerical_gradient(lambda v: F.conv2d_naive(x, v, b, stride, padding), w, dout)) < 1e-7


@pytest.mark.parametrize("H, KH, stride, padding", [
    (8, 3, 2, 0),       # (8 - 3) / 2: the last row is dropped by the floor
    (9, 2, 3, 0),       # windows cover rows 0-1, 3-4, 6-7: rows 2, 5, 8 never reached
    (7, 1, 3, 0),       # stride > kernel: gaps
    (10, 4, 3, (1, 0, 1, 0)),
    (6, 3, 2, (0, 0, 0, 0)),
])
@pytest.mark.parametrize("backward", [F.conv2d_backward, F.conv2d_backward_naive])
def test_unreached_rows_get_exactly_zero_gradient(H, KH, stride, padding, backward):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 2, H, H + 1))
    w = rng.normal(size=(3, 2, KH, KH))
    out = F.conv2d(x, w, None, stride, padding)
    dx, _, _ = backward(rng.normal(size=out.shape), x, w, stride, padding)
    top, bottom, left, right = resolve_padding(padding, (KH, KH), (stride, stride), (H, H + 1))
    rows = reached_mask(H, KH, stride, top, out.shape[2])
    cols = reached_mask(H + 1, KH, stride, left, out.shape[3])
    assert (~rows).any() or (~cols).any()                    # the case really has unreached pixels
    assert np.all(dx[:, :, ~rows, :] == 0) and np.all(dx[:, :, :, ~cols] == 0)
    assert np.all(dx[:, :, rows][:, :, :, cols] != 0)        # and the reached ones do get gradient


def test_untied_bias_forward_and_gradcheck():
    rng = np.random.default_rng(6)
    x, w = rng.normal(size=(2, 2, 6, 5)), rng.normal(size=(3, 2, 3, 2))
    out_shape = F.conv2d(x, w, None, (2, 1), 1).shape         # (2, 3, 3, 6)
    b = rng.normal(size=out_shape[1:])                        # (F, H_out, W_out)
    out = F.conv2d(x, w, b, (2, 1), 1)
    np.testing.assert_allclose(out, F.conv2d(x, w, None, (2, 1), 1) + b[None], atol=1e-12)
    np.testing.assert_allclose(out, F.conv2d_naive(x, w, b, (2, 1), 1), atol=1e-12)
    dout = rng.normal(size=out_shape)
    for backward in (F.conv2d_backward, F.conv2d_backward_naive):
        _, _, db = backward(dout, x, w, (2, 1), 1, untied_bias=True)
        assert db.shape == b.shape
        assert rel_error(db, numerical_gradient(lambda v: F.conv2d(x, w, v, (2, 1), 1), b, dout)) < 1e-7


def test_conv2d_keeps_float32():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(4, 3, 10, 9)).astype(np.float32)
    w = rng.normal(size=(5, 3, 3, 3)).astype(np.float32)
    b = rng.normal(size=5).astype(np.float32)
    out = F.conv2d(x, w, b, 2, "same")
    assert out.dtype == np.float32 and out.flags.c_contiguous
    dout = rng.normal(size=out.shape).astype(np.float32)
    grads = F.conv2d_backward(dout, x, w, 2, "same")
    assert all(g.dtype == np.float32 for g in grads), [g.dtype for g in grads]
    assert all(g.flags.c_contiguous for g in grads)
    ref = F.conv2d_naive(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64), 2, "same")
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------- im2col / col2im

def test_im2col_tiny_example_by_hand():
    x = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)              # 1..16
    cols = F.im2col(x, (2, 2))
    assert cols.shape == (1, 4, 9)                            # C*KH*KW rows, H_out*W_out columns
    # column i*3 + j is the window under output (i, j), flattened row by row
    np.testing.assert_array_equal(cols[0, :, 0], [1, 2, 5, 6])
    np.testing.assert_array_equal(cols[0, :, 4], [6, 7, 10, 11])
    np.testing.assert_array_equal(cols[0, :, 8], [11, 12, 15, 16])
    # row u*2 + v is the (u, v) element of every window: x shifted by (u, v)
    np.testing.assert_array_equal(cols[0, 3].reshape(3, 3), x[0, 0, 1:, 1:])


@pytest.mark.parametrize("cfg", sample_configs(12, seed=3), ids=config_id)
def test_im2col_makes_conv_one_matrix_product_and_col2im_is_its_adjoint(cfg):
    rng = np.random.default_rng(9)
    x, w, b = make_arrays(cfg, rng)
    N, C, H, W, F_, KH, KW, stride, padding = cfg
    cols = F.im2col(x, (KH, KW), stride, padding)
    out = F.conv2d(x, w, None, stride, padding)
    assert cols.shape == (N, C * KH * KW, out.shape[2] * out.shape[3])
    np.testing.assert_allclose((w.reshape(F_, -1) @ cols).reshape(out.shape), out, atol=1e-12)
    # adjoint ("dot-product") test: <im2col(x), c> == <x, col2im(c)> for any c
    c = rng.normal(size=cols.shape)
    back = F.col2im(c, x.shape, (KH, KW), stride, padding)
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(cols * c), np.sum(x * back), rtol=1e-10)
    # col2im of dout-weighted columns is exactly conv2d_backward's dx
    dout = rng.normal(size=out.shape)
    dcols = w.reshape(F_, -1).T @ dout.reshape(N, F_, -1)
    np.testing.assert_allclose(F.col2im(dcols, x.shape, (KH, KW), stride, padding),
                               F.conv2d_backward(dout, x, w, stride, padding)[0], atol=1e-12)


def test_col2im_adds_overlaps_counts_windows():
    ones = np.ones((1, 1, 4, 4))
    counts = F.col2im(F.im2col(ones, (2, 2)), ones.shape, (2, 2))
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])
    counts = F.col2im(F.im2col(ones, 3, 1, 1), ones.shape, 3, 1, 1)   # 'same' 3x3: interior 9
    assert counts[0, 0, 1, 1] == 9 and counts[0, 0, 0, 0] == 4


def test_im2col_col2im_bad_input():
    x = np.ones((2, 3, 5, 5))
    with pytest.raises(ValueError, match=r"x must have 4 dimensions"):
        F.im2col(x[0], 2)
    with pytest.raises(ValueError, match=r"kernel 6x6 does not fit the 5x5 input"):
        F.im2col(x, 6)
    with pytest.raises(ValueError, match=r"cols has shape \(2, 12, 15\).*\(2, 12, 16\)"):
        F.col2im(np.ones((2, 12, 15)), x.shape, 2)
    with pytest.raises(ValueError, match=r"cols must have 3 dimensions"):
        F.col2im(np.ones((12, 16)), x.shape, 2)
    cols = F.im2col(x, 1)                                     # a 1x1 kernel: still a copy
    assert not np.shares_memory(cols, x)


def test_non_contiguous_inputs_give_the_same_results():
    rng = np.random.default_rng(10)
    base = rng.normal(size=(3, 7, 9, 2))
    x = base.transpose(0, 3, 1, 2)[:, :, :, ::-1]                  # (3, 2, 7, 9), a strided view
    w = np.asfortranarray(rng.normal(size=(4, 2, 3, 2)))
    out = F.conv2d(x, w, None, (2, 1), "same")
    np.testing.assert_allclose(out, F.conv2d(np.ascontiguousarray(x), np.ascontiguousarray(w), None, (2, 1),
                                             "same"), atol=1e-12)
    dout = rng.normal(size=out.shape).transpose(0, 1, 3, 2).copy().transpose(0, 1, 3, 2)  # strided dout
    for fast, slow in zip(F.conv2d_backward(dout, x, w, (2, 1), "same"),
                          F.conv2d_backward_naive(dout, x, w, (2, 1), "same")):
        np.testing.assert_allclose(fast, slow, atol=1e-12)
    np.testing.assert_allclose(F.max_pool2d(x, 2, 1), F.max_pool2d_naive(x, 2, 1))
    np.testing.assert_allclose(F.max_pool2d_backward(np.ones((3, 2, 6, 8)), x, 2, 1),
                               F.max_pool2d_backward_naive(np.ones((3, 2, 6, 8)), x, 2, 1))


# ------------------------------------------------------------------ conv2d_backward(need_dx=False)

@pytest.mark.parametrize("cfg", sample_configs(12, seed=5), ids=config_id)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_conv2d_backward_need_dx_false_skips_only_dx(cfg, dtype):
    rng = np.random.default_rng(11)
    x, w, b = make_arrays(cfg, rng, dtype)
    stride, padding = cfg[7], cfg[8]
    dout = rng.normal(size=F.conv2d(x, w, b, stride, padding).shape).astype(dtype)
    for untied in (False, True):
        _, dw, db = F.conv2d_backward(dout, x, w, stride, padding, untied_bias=untied)
        dx2, dw2, db2 = F.conv2d_backward(dout, x, w, stride, padding, untied_bias=untied, need_dx=False)
        assert dx2 is None
        assert dw2.dtype == dw.dtype and db2.dtype == db.dtype
        np.testing.assert_array_equal(dw2, dw)
        np.testing.assert_array_equal(db2, db)


@pytest.mark.parametrize("padding", [0, "same", (0, 1, 2, 1), 2])
@pytest.mark.parametrize("kernel", [(1, 1), (3, 2), (5, 5)])
def test_stride1_dx_equals_col2im_of_dcols(padding, kernel):
    """At stride 1, conv2d_backward sends dx back by shifted long runs (_dx_stride1), not _col2im;
    both must give the same dx."""
    rng = np.random.default_rng(12)
    x = rng.normal(size=(3, 2, 9, 7))
    w = rng.normal(size=(4, 2) + kernel)
    dout = rng.normal(size=F.conv2d(x, w, None, 1, padding).shape)
    dx, _, _ = F.conv2d_backward(dout, x, w, 1, padding)
    dcols = w.reshape(4, -1).T @ dout.reshape(3, 4, -1)
    np.testing.assert_allclose(dx, F.col2im(dcols, x.shape, kernel, 1, padding), atol=1e-12)
    np.testing.assert_allclose(dx, F.conv2d_backward_naive(dout, x, w, 1, padding)[0], atol=1e-12)


@pytest.mark.parametrize("cfg", sample_configs(8, seed=6), ids=config_id)
def test_passing_the_forwards_cols_gives_the_same_results(cfg):
    rng = np.random.default_rng(13)
    x, w, b = make_arrays(cfg, rng)
    stride, padding = cfg[7], cfg[8]
    cols = F.im2col(x, w.shape[2:], stride, padding)
    out = F.conv2d(x, w, b, stride, padding)
    np.testing.assert_array_equal(F.conv2d(x, w, b, stride, padding, cols=cols), out)
    dout = rng.normal(size=out.shape)
    for a, c in zip(F.conv2d_backward(dout, x, w, stride, padding),
                    F.conv2d_backward(dout, x, w, stride, padding, cols=cols)):
        np.testing.assert_array_equal(a, c)
    with pytest.raises(ValueError, match="cols has shape"):
        F.conv2d(x, w, b, stride, padding, cols=cols[:, :-1])
    with pytest.raises(ValueError, match="cols has shape"):
        F.conv2d_backward(dout, x, w, stride, padding, cols=cols[:1, :, :1])

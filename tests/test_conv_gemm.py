"""cnnlib/conv_gemm.py (the Conv2D layer's whole-batch products, images last in memory) against the
loop versions of the conv layer, for strides, asymmetric padding, tied / untied / no bias."""
import numpy as np
import pytest

from cnnlib import conv_gemm
from cnnlib import functional as F
from cnnlib.layers import Conv2D, MaxPool2D, ReLU
from cnnlib.shapes import conv_geometry

CASES = [  # (N, C, H, W), (F, KH, KW), stride, padding, bias
    ((2, 1, 6, 5), (3, 3, 3), 1, 0, "tied"),
    ((3, 2, 7, 8), (4, 3, 2), (2, 1), 1, "tied"),
    ((2, 3, 9, 7), (2, 5, 5), 1, "same", "untied"),
    ((1, 2, 8, 6), (3, 1, 1), (3, 2), (0, 1, 2, 1), None),
    ((4, 2, 5, 5), (2, 2, 2), 2, 2, "untied"),
    ((2, 16, 12, 12), (4, 5, 5), 1, 0, "tied"),
]


@pytest.mark.parametrize("case", CASES)
def test_forward_and_backward_equal_the_loops(case):
    x_shape, (F_, KH, KW), stride, padding, bias = case
    rng = np.random.default_rng(3)
    x = rng.normal(size=x_shape)
    w = rng.normal(size=(F_, x_shape[1], KH, KW))
    stride_hw, pads, out_hw = conv_geometry(x.shape, (KH, KW), stride, padding, "test")
    b = None if bias is None else rng.normal(size=(F_,) if bias == "tied" else (F_,) + out_hw)
    out, cols = conv_gemm.forward(x, w, b, stride_hw, pads, out_hw)
    np.testing.assert_allclose(out, F.conv2d_naive(x, w, b, stride, padding), rtol=1e-12, atol=1e-12)
    dout = rng.normal(size=out.shape)
    want = F.conv2d_backward_naive(dout, x, w, stride, padding, untied_bias=bias == "untied")
    got = conv_gemm.backward(dout, x.shape, w, stride_hw, pads, cols, untied_bias=bias == "untied")
    for g, e in zip(got, want):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12)
    # dout in another memory order (the forward's own) gives the same; need_dx=False skips dx only
    got2 = conv_gemm.backward(out * 0 + dout, x.shape, w, stride_hw, pads, cols, untied_bias=bias == "untied",
                              need_dx=False)
    assert got2[0] is None
    np.testing.assert_allclose(got2[1], want[1], rtol=1e-12, atol=1e-12)


def test_layers_pass_images_last_arrays_and_stay_exact():
    """Conv2D -> ReLU -> MaxPool2D -> Conv2D on images-last views: the same numbers as the functions."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, 2, 12, 12))
    c1, c2 = Conv2D(2, 4, 3, dtype=np.float64, rng=1), Conv2D(4, 3, 3, padding=1, dtype=np.float64, rng=2)
    relu, pool = ReLU(), MaxPool2D(2)
    out = c2.forward(pool.forward(relu.forward(c1.forward(x))))
    a1 = F.conv2d(x, c1.params["w"], c1.params["b"])
    p1 = F.max_pool2d(F.relu(a1), 2)
    np.testing.assert_allclose(out, F.conv2d(p1, c2.params["w"], c2.params["b"], 1, 1), rtol=1e-12, atol=1e-12)
    dout = rng.normal(size=out.shape)
    d = pool.backward(c2.backward(dout))
    _, _, _ = F.conv2d_backward(dout, p1, c2.params["w"], 1, 1)
    want = F.max_pool2d_backward(F.conv2d_backward(dout, p1, c2.params["w"], 1, 1)[0], F.relu(a1), 2)
    np.testing.assert_allclose(d, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(relu.backward(d), F.relu_backward(want, a1), rtol=1e-12, atol=1e-12)


def test_in_order_of():
    ref = np.zeros((2, 3, 4, 5)).transpose(3, 0, 1, 2)            # shape (5, 2, 3, 4), not C order
    a = np.arange(120.0).reshape(5, 2, 3, 4)
    b = conv_gemm.in_order_of(a, ref)
    np.testing.assert_array_equal(a, b)
    assert b.strides == np.empty_like(ref).strides and b is not a
    assert conv_gemm.in_order_of(b, ref) is b                      # already in that order: no copy

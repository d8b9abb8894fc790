"""cnnlib/conv_dft.py (the Conv2D layer through the Fourier transform) against the loop versions of the
conv layer: forward, dx, dw, db for paddings, rectangular images and kernels, with and without bias;
the Conv2D layer on that path gradient-checked; the choice between conv_dft and conv_gemm."""
import numpy as np
import pytest

from cnnlib import conv_dft, conv_gemm
from cnnlib import functional as F
from cnnlib.gradcheck import numerical_gradient, rel_error
from cnnlib.layers import Conv2D
from cnnlib.shapes import conv_geometry

CASES = [  # (N, C, H, W), (F, KH, KW), padding, bias
    ((2, 1, 6, 5), (3, 3, 3), 0, True),
    ((3, 2, 7, 8), (4, 3, 2), 1, True),
    ((2, 3, 9, 7), (2, 5, 5), "same", False),
    ((1, 2, 8, 6), (3, 1, 1), (0, 1, 2, 1), True),
    ((4, 2, 5, 5), (2, 2, 2), 2, False),
    ((3, 16, 12, 12), (8, 5, 5), 0, True),          # chapter 10's second layer, fewer images / filters
]


@pytest.mark.parametrize("case", CASES)
def test_forward_and_backward_equal_the_loops(case):
    x_shape, (F_, KH, KW), padding, bias = case
    rng = np.random.default_rng(3)
    x = rng.normal(size=x_shape)
    w = rng.normal(size=(F_, x_shape[1], KH, KW))
    b = rng.normal(size=F_) if bias else None
    stride_hw, pads, out_hw = conv_geometry(x.shape, (KH, KW), 1, padding, "test")
    out, cache = conv_dft.forward(x, w, b, pads, out_hw)
    np.testing.assert_allclose(out, F.conv2d_naive(x, w, b, 1, padding), rtol=1e-10, atol=1e-10)
    dout = rng.normal(size=out.shape)
    dx_want, dw_want, db_want = F.conv2d_backward_naive(dout, x, w, 1, padding)
    dx, dw, db = conv_dft.backward(dout, x.shape, w, pads, cache)
    for got, want in [(dx, dx_want), (dw, dw_want), (db, db_want)]:
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)
    # dout in the forward's own memory order gives the same; need_dx=False skips dx only
    none, dw2, db2 = conv_dft.backward(out * 0 + dout, x.shape, w, pads, cache, need_dx=False)
    assert none is None
    np.testing.assert_allclose(dw2, dw_want, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(db2, db_want, rtol=1e-10, atol=1e-10)


def test_float32_agrees_with_conv_gemm_and_changes_no_input():
    """Chapter 10's second layer in float32, as training runs it: both paths agree to float32 rounding."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(12, 12, 8, 16)).astype(np.float32).transpose(2, 3, 0, 1)   # images-last view
    w = (rng.normal(size=(32, 16, 5, 5)) * 0.1).astype(np.float32)
    b = rng.normal(size=32).astype(np.float32)
    saved = x.copy(), w.copy(), b.copy()
    out, cache = conv_dft.forward(x, w, b, (0, 0, 0, 0), (8, 8))
    ref, cols = conv_gemm.forward(x, w, b, (1, 1), (0, 0, 0, 0), (8, 8))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4 * np.abs(ref).max())
    dout = rng.normal(size=out.shape).astype(np.float32)
    got = conv_dft.backward(dout, x.shape, w, (0, 0, 0, 0), cache)
    want = conv_gemm.backward(dout, x.shape, w, (1, 1), (0, 0, 0, 0), cols)
    for g, e in zip(got, want):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-4 * np.abs(e).max())
    for before, after in zip(saved, (x, w, b)):
        np.testing.assert_array_equal(before, after)


def test_the_layer_chooses_the_transform_for_chapter_10s_second_layer_only():
    assert conv_dft.worth_it((128, 16, 12, 12), (32, 16, 5, 5), (1, 1), (0,) * 4, True)
    assert not conv_dft.worth_it((128, 1, 28, 28), (16, 1, 5, 5), (1, 1), (0,) * 4, True)     # one channel
    assert not conv_dft.worth_it((128, 16, 12, 12), (32, 16, 5, 5), (2, 2), (0,) * 4, True)   # stride 2
    assert not conv_dft.worth_it((128, 16, 12, 12), (32, 16, 5, 5), (1, 1), (0,) * 4, False)  # untied bias
    layer = Conv2D(16, 32, 5, rng=0)
    layer.forward(np.zeros((2, 16, 12, 12), dtype=np.float32))
    assert layer._dft


def test_layer_on_the_transform_path_gradcheck(monkeypatch):
    """A small layer, sent down the transform path (its own choice would be conv_gemm)."""
    monkeypatch.setattr(conv_dft, "worth_it", lambda *args: True)
    layer = Conv2D(3, 4, 3, padding=1, rng=0, dtype=np.float64)
    rng = np.random.default_rng(5)
    layer.params["b"][...] = rng.normal(size=4)
    x = rng.normal(size=(2, 3, 5, 6))
    out = layer.forward(x)
    assert layer._dft
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    assert rel_error(dx, numerical_gradient(lambda v: layer.forward(v), x, dout)) < 1e-6   # FD noise: the transform rounds at ~1e-16 of the sums
    for name in ("w", "b"):
        param, analytic = layer.params[name], layer.grads[name].copy()
        saved = param.copy()

        def f(value):
            param[...] = value
            return layer.forward(x)

        numeric = numerical_gradient(f, param, dout)
        param[...] = saved
        assert rel_error(analytic, numeric) < 1e-6, name


def test_transform_matrices_are_shared_and_read_only():
    nf, mats = conv_dft._transforms(6, 5, 3, 3, np.dtype(np.float64).str)
    assert nf == 6 * 3 and mats["x_rows"].shape == (12, 6) and mats["x_cols"].shape == (6, 10)
    assert mats["out_cols"].shape == (2 * 3, 6) and mats["out_rows"].shape == (4, 12)
    image = np.random.default_rng(0).normal(size=(6, 5, 2))          # one axis at a time = rfft2
    spec = conv_dft._to_spectrum(image, mats["x_rows"], mats["x_cols"]).reshape(6, 3, 2, 2)
    want = np.fft.rfft2(image, axes=(0, 1))
    np.testing.assert_allclose(spec[:, :, 0] + 1j * spec[:, :, 1], want, atol=1e-12)
    back = conv_dft._to_image(spec.reshape(nf, 2, 2), mats["dx_cols"], mats["dx_rows"], 6)
    np.testing.assert_allclose(back, image, atol=1e-12)
    assert not any(m.flags.writeable for m in mats.values())
    assert conv_dft._transforms(6, 5, 3, 3, np.dtype(np.float64).str)[1] is mats

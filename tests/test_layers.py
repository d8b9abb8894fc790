"""Layers (cnnlib/layers.py): gradient checks of every backward (input and every param), shapes,
He initialization, error messages, and that no layer changes its input or dout."""
import numpy as np
import pytest

from cnnlib import functional as F
from cnnlib.gradcheck import numerical_gradient, rel_error
from cnnlib.layers import AvgPool2D, Conv2D, Dense, Flatten, Layer, MaxPool2D, ReLU

TOL = 1e-6


def gradcheck_layer(layer, x, seed=0):
    """Compare layer.backward with centred differences for x and for every param (float64).

    Uses L = sum(out * dout) for a random dout, so dL/d(out) = dout. Returns the worst rel_error."""
    rng = np.random.default_rng(seed)
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    grads = {name: g.copy() for name, g in layer.grads.items()}
    assert set(grads) == set(layer.params)
    # .copy(): Flatten returns a view of its input, which numerical_gradient nudges in place
    errors = {"x": rel_error(dx, numerical_gradient(lambda v: layer.forward(v).copy(), x, dout))}
    for name, param in layer.params.items():
        saved = param.copy()

        def f(value):
            param[...] = value  # the layer's own array, restored below
            return layer.forward(x)

        numeric = numerical_gradient(f, param, dout)
        param[...] = saved
        assert grads[name].shape == param.shape
        errors[name] = rel_error(grads[name], numeric)
    assert max(errors.values()) < TOL, errors
    return errors


CONV_CASES = [  # (C, F, kernel, stride, padding, bias, H, W)
    (1, 2, 3, 1, 0, "tied", 6, 6),
    (2, 3, 3, 2, 1, "tied", 7, 6),
    (2, 2, 2, (2, 1), "same", "tied", 5, 7),
    (3, 2, (3, 2), 3, (1, 0, 2, 1), None, 8, 7),
    (1, 2, 3, 1, 0, "untied", 5, 5),
    (2, 2, 3, 2, 1, "untied", 7, 6),
    (2, 1, 2, 2, "same", "untied", 5, 5),
]


@pytest.mark.parametrize("case", CONV_CASES, ids=[str(c).replace(" ", "") for c in CONV_CASES])
def test_conv2d_gradcheck(case):
    C, F_, k, stride, padding, bias, H, W = case
    layer = Conv2D(C, F_, k, stride=stride, padding=padding, bias=bias,
                   input_hw=(H, W) if bias == "untied" else None, rng=1, dtype=np.float64)
    if bias is not None:  # non-zero bias, so the forward really uses it
        layer.params["b"][...] = np.random.default_rng(2).normal(size=layer.params["b"].shape)
    x = np.random.default_rng(3).normal(size=(2, C, H, W))
    gradcheck_layer(layer, x)
    assert layer.forward(x).shape == (2,) + layer.output_shape((C, H, W))


def test_untied_bias_is_the_papers_matrix():
    """Untied: b has the output's shape (F, H_out, W_out); out = conv without bias + b, and db = sum_n dout."""
    layer = Conv2D(2, 3, 3, stride=2, padding=1, bias="untied", input_hw=(7, 7), dtype=np.float64)
    assert layer.params["b"].shape == (3, 4, 4) == layer.output_shape((2, 7, 7))
    rng = np.random.default_rng(0)
    layer.params["b"][...] = rng.normal(size=(3, 4, 4))
    x = rng.normal(size=(5, 2, 7, 7))
    out = layer.forward(x)
    np.testing.assert_allclose(out, F.conv2d(x, layer.params["w"], None, 2, 1) + layer.params["b"])
    dout = rng.normal(size=out.shape)
    layer.backward(dout)
    np.testing.assert_allclose(layer.grads["b"], dout.sum(axis=0))


def test_untied_bias_needs_input_size():
    with pytest.raises(ValueError, match="input_hw"):
        Conv2D(1, 2, 3, bias="untied")
    layer = Conv2D(1, 2, 3, bias="untied", input_hw=(6, 6))
    with pytest.raises(ValueError, match=r"built for inputs of size \(6, 6\)"):
        layer.forward(np.zeros((1, 1, 7, 7), dtype=np.float32))


@pytest.mark.parametrize("cls", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("size, stride, hw", [(2, None, (6, 6)), (3, 2, (7, 8)), (2, 1, (5, 5)),
                                              ((2, 3), (1, 2), (6, 7))])
def test_pool_gradcheck(cls, size, stride, hw):
    layer = cls(size, stride)
    x = np.random.default_rng(4).normal(size=(2, 3) + hw)
    gradcheck_layer(layer, x)
    assert layer.params == {} and layer.grads == {}
    assert layer.forward(x).shape == (2,) + layer.output_shape((3,) + hw)


def test_relu_flatten_dense_gradcheck():
    rng = np.random.default_rng(5)
    gradcheck_layer(ReLU(), rng.normal(size=(3, 2, 4, 4)))
    gradcheck_layer(Flatten(), rng.normal(size=(3, 2, 4, 5)))
    dense = Dense(7, 4, rng=6, dtype=np.float64)
    dense.params["b"][...] = rng.normal(size=4)
    gradcheck_layer(dense, rng.normal(size=(5, 7)))


def test_dense_matches_formula():
    rng = np.random.default_rng(7)
    layer = Dense(6, 3, dtype=np.float64)
    x, dout = rng.normal(size=(4, 6)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["w"] + layer.params["b"])
    dx = layer.backward(dout)
    np.testing.assert_allclose(dx, dout @ layer.params["w"].T)
    np.testing.assert_allclose(layer.grads["w"], x.T @ dout)
    np.testing.assert_allclose(layer.grads["b"], dout.sum(axis=0))


def test_he_initialization_and_dtype():
    conv = Conv2D(16, 64, 3, rng=0)
    fan_in = 16 * 3 * 3
    assert conv.params["w"].dtype == np.float32 and conv.params["b"].dtype == np.float32
    assert abs(conv.params["w"].std() - np.sqrt(2 / fan_in)) < 0.05 * np.sqrt(2 / fan_in)
    assert abs(conv.params["w"].mean()) < 0.01
    assert not conv.params["b"].any()
    dense = Dense(500, 200, rng=0)
    assert abs(dense.params["w"].std() - np.sqrt(2 / 500)) < 0.05 * np.sqrt(2 / 500)
    # same seed, same weights; other seed, other weights
    np.testing.assert_array_equal(Conv2D(16, 64, 3, rng=0).params["w"], conv.params["w"])
    assert not np.array_equal(Conv2D(16, 64, 3, rng=1).params["w"], conv.params["w"])
    assert Conv2D(1, 2, 3, dtype=np.float64).params["w"].dtype == np.float64


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    x = rng.random((2, 1, 8, 8), dtype=np.float32)
    for layer in (Conv2D(1, 2, 3), Conv2D(1, 2, 3, bias="untied", input_hw=(8, 8)), MaxPool2D(2),
                  AvgPool2D(2), ReLU()):
        out = layer.forward(x)
        assert out.dtype == np.float32, layer
        assert layer.backward(np.ones_like(out)).dtype == np.float32, layer
        assert all(g.dtype == np.float32 for g in layer.grads.values()), layer


ALL_LAYERS = [lambda: Conv2D(2, 3, 3, padding=1, dtype=np.float64),
              lambda: Conv2D(2, 3, 3, bias="untied", input_hw=(6, 6), dtype=np.float64),
              lambda: MaxPool2D(2), lambda: AvgPool2D(3, 1), lambda: ReLU(), lambda: Flatten()]


@pytest.mark.parametrize("make", ALL_LAYERS)
def test_backward_before_forward_raises(make):
    layer = make()
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((2, 3, 6, 6)))


def test_dense_backward_before_forward_raises():
    with pytest.raises(RuntimeError, match="Dense.backward was called before forward"):
        Dense(3, 2).backward(np.zeros((1, 2)))


@pytest.mark.parametrize("make", ALL_LAYERS)
def test_no_mutation_of_x_or_dout(make):
    layer = make()
    rng = np.random.default_rng(8)
    x = rng.normal(size=(2, 2, 6, 6))
    x_before = x.copy()
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dout_before = dout.copy()
    params_before = {k: v.copy() for k, v in layer.params.items()}
    layer.backward(dout)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(dout, dout_before)
    for k, v in layer.params.items():  # backward computes gradients only, never updates weights
        np.testing.assert_array_equal(v, params_before[k])


def test_dense_no_mutation():
    layer = Dense(4, 3, dtype=np.float64)
    x, dout = np.ones((2, 4)), np.ones((2, 3))
    w = layer.params["w"].copy()
    layer.forward(x)
    layer.backward(dout)
    assert (x == 1).all() and (dout == 1).all()
    np.testing.assert_array_equal(layer.params["w"], w)


def test_wrong_shapes_raise_clear_errors():
    conv = Conv2D(3, 4, 3)
    with pytest.raises(ValueError, match="channels"):
        conv.forward(np.zeros((1, 1, 8, 8), dtype=np.float32))
    with pytest.raises(ValueError, match="4 dimensions"):
        conv.forward(np.zeros((3, 8, 8), dtype=np.float32))
    with pytest.raises(ValueError, match="does not fit"):
        conv.forward(np.zeros((1, 3, 2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="does not fit"):
        conv.output_shape((3, 2, 2))
    with pytest.raises(ValueError, match="channels"):
        conv.output_shape((1, 8, 8))
    out = conv.forward(np.zeros((1, 3, 8, 8), dtype=np.float32))
    with pytest.raises(ValueError, match="dout has shape"):
        conv.backward(np.zeros((1, 4, 5, 5), dtype=np.float32))
    assert out.shape == (1, 4, 6, 6)
    dense = Dense(12, 2)
    with pytest.raises(ValueError, match="Flatten"):
        dense.forward(np.zeros((1, 3, 2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"\(N, 12\)"):
        dense.forward(np.zeros((1, 10), dtype=np.float32))
    dense.forward(np.zeros((2, 12), dtype=np.float32))
    with pytest.raises(ValueError, match="dout has shape"):
        dense.backward(np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(TypeError, match="floating point"):
        conv.forward(np.zeros((1, 3, 8, 8), dtype=np.uint8))
    with pytest.raises(ValueError, match="bias"):
        Conv2D(1, 2, 3, bias="matrix")
    with pytest.raises(ValueError, match="stride"):
        Conv2D(1, 2, 3, stride=0)
    with pytest.raises(ValueError, match="padding"):
        Conv2D(1, 2, 3, padding="full")
    with pytest.raises(ValueError, match="no batch axis"):
        MaxPool2D(2).output_shape((1, 3, 8, 8))


def test_output_shapes_and_repr():
    assert Conv2D(1, 6, 5).output_shape((1, 28, 28)) == (6, 24, 24)
    assert Conv2D(3, 8, 3, stride=2, padding="same").output_shape((3, 7, 7)) == (8, 4, 4)
    assert Conv2D(3, 8, 3, stride=2, padding=1).output_shape((3, 8, 8)) == (8, 4, 4)
    assert MaxPool2D(2).output_shape((6, 25, 25)) == (6, 12, 12)  # floor drops the last row
    assert AvgPool2D(3, 2).output_shape((4, 9, 9)) == (4, 4, 4)
    assert Flatten().output_shape((16, 4, 4)) == (256,)
    assert ReLU().output_shape((6, 5, 5)) == (6, 5, 5)
    assert Dense(256, 10).output_shape((256,)) == (10,)
    assert repr(Conv2D(1, 6, 5)) == "Conv2D(1, 6, kernel_size=5)"
    assert (repr(Conv2D(3, 8, (3, 2), stride=2, padding="same", bias="untied", input_hw=(9, 9)))
            == "Conv2D(3, 8, kernel_size=(3, 2), stride=2, padding='same', bias='untied', input_hw=(9, 9))")
    assert repr(MaxPool2D(2)) == "MaxPool2D(2)"
    assert repr(AvgPool2D(3, stride=2)) == "AvgPool2D(3, stride=2)"
    assert repr(Dense(256, 10)) == "Dense(256, 10)"
    assert repr(ReLU()) == "ReLU()" and repr(Flatten()) == "Flatten()"


def test_params_and_grads_share_keys_and_zero_grad():
    for layer in (Conv2D(1, 2, 3), Conv2D(1, 2, 3, bias=None), Dense(3, 2), ReLU(), MaxPool2D(2)):
        assert set(layer.params) == set(layer.grads)
        for k in layer.grads:
            layer.grads[k] = layer.grads[k] + 1
        layer.zero_grad()
        assert all(not g.any() and g.shape == layer.params[k].shape for k, g in layer.grads.items())
    assert set(Conv2D(1, 2, 3, bias=None).params) == {"w"}
    assert Conv2D(1, 6, 5).num_params() == 6 * 1 * 5 * 5 + 6
    assert Conv2D(1, 6, 5, bias="untied", input_hw=(28, 28)).num_params() == 150 + 6 * 24 * 24
    assert isinstance(ReLU(), Layer)


def test_conv2d_backward_need_dx_false():
    rng = np.random.default_rng(4)
    layer = Conv2D(2, 3, 3, stride=2, padding=1)
    x = rng.normal(size=(2, 2, 7, 6)).astype(np.float32)
    dout = rng.normal(size=layer.forward(x).shape).astype(np.float32)
    dx = layer.backward(dout)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    assert dx.shape == x.shape
    assert layer.backward(dout, need_dx=False) is None
    for name, value in grads.items():
        np.testing.assert_array_equal(layer.grads[name], value)
    assert Conv2D.can_skip_dx and not Dense.can_skip_dx and not ReLU.can_skip_dx

"""Layers: one class per layer, each a thin wrapper around the pure functions in `functional`.

Every layer has
    forward(x)       computes the output and remembers what backward needs (cached values start as None)
    backward(dout)   takes dL/d(out), fills `grads` (same keys as `params`) and returns dL/dx.
                     It only computes gradients; the optimizer (cnnlib.optim) changes the weights.
    params, grads    dicts of arrays with the same keys ({} for layers without weights)
    output_shape(input_shape)   the output's shape for one sample, without running any data
                     (shapes here leave out the batch axis: (C, H, W) in, (F, H_out, W_out) out)

Initialization (He et al. 2015, "Delving deep into rectifiers"): weights are drawn from a normal
distribution with mean 0 and variance 2 / fan_in, where fan_in is the number of inputs that feed one
output (C * KH * KW for a conv filter, in_features for Dense). With ReLU after each layer this keeps
the size of the activations roughly the same from layer to layer. Biases start at 0.

Weights are float32 by default (half the memory of float64, and fast enough); pass dtype=np.float64
for gradient checks, where float32 rounding would swamp the finite-difference error.
"""
import numpy as np

from . import conv_dft, conv_gemm
from .conv import _check_conv as check_conv
from . import functional as F
from . import pool
from .initialization import _he_normal, layer_rng, seed_layers  # noqa: F401  (seed_layers: re-exported)
from .shapes import check_array, conv_geometry, pair, resolve_padding


class Layer:
    """Base class: holds `params` and `grads`, and gives zero_grad, num_params and __call__.

    Subclasses implement forward(x), backward(dout) and output_shape(input_shape). A layer that can
    skip computing dL/dx sets can_skip_dx = True and accepts backward(dout, need_dx=False) -> None.
    """

    can_skip_dx = False

    def __init__(self):
        self.params = {}
        self.grads = {}

    def forward(self, x):
        raise NotImplementedError(f"{type(self).__name__} must implement forward(x).")

    def backward(self, dout):
        raise NotImplementedError(f"{type(self).__name__} must implement backward(dout).")

    def output_shape(self, input_shape):
        raise NotImplementedError(f"{type(self).__name__} must implement output_shape(input_shape).")

    def __call__(self, x):
        return self.forward(x)

    def zero_grad(self):
        """Set every gradient to zeros (backward overwrites grads, so this is only for a clean slate)."""
        for name, value in self.params.items():
            self.grads[name] = np.zeros_like(value)

    def num_params(self):
        """Number of trainable numbers in this layer."""
        return int(sum(value.size for value in self.params.values()))

    def _need_forward(self, cached):
        """Raise a clear error if backward is called before forward."""
        if cached is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward: backward needs "
                               "the values that forward stores. Fix: call forward(x) on a batch first.")

    def _check_dout(self, dout, expected):
        dout = check_array(dout, "dout", len(expected), f"{type(self).__name__}.backward", float_only=True)
        if dout.shape != tuple(expected):
            raise ValueError(f"{type(self).__name__}.backward: dout has shape {dout.shape}, but the last "
                             f"forward output had shape {tuple(expected)}. dout must be dL/d(out), shaped "
                             "exactly like out.")
        return dout


def _check_input_shape(layer, input_shape, ndim, layout):
    """Validate a one-sample input shape for output_shape()."""
    if len(input_shape) != ndim:
        raise ValueError(f"{layer}.output_shape: input_shape must be one sample's shape {layout} "
                         f"(no batch axis), got {tuple(input_shape)}.")
    return tuple(int(s) for s in input_shape)


# ---------------------------------------------------------------------------------- convolution

class Conv2D(Layer):
    """Convolution layer, equation (5): out[n, f] = b[f] + sum_c x[n, c] (cross-correlated with) w[f, c].

    x: (N, C, H, W) -> out: (N, F, H_out, W_out), with C = in_channels, F = out_channels and
    H_out = floor((H + p_top + p_bottom - KH) / s) + 1 (equation (1)).

    params: w (F, C, KH, KW), He-initialized; b depends on `bias`:
        'tied'   (default) b: (F,), one number per filter, added at every position, as every library
                 does. db = sum of dout over the batch and all positions (eq. 7).
        'untied' b: (F, H_out, W_out), the paper's matrix B_i: one number per filter AND per output
                 position. Then dL/dB_i = dL/dY_i (summed over the batch). Its shape depends on the
                 output size, so the layer must know the input size when it is built: pass
                 input_hw=(H, W); forward then only accepts inputs of that size.
        None     no bias.
    Errata: the paper writes B_i as a matrix (untied) without saying so; its worked example (4) has
    b_11, b_12, ... Most libraries tie the bias (one number per filter); both are offered here.
    input_hw: (H, W), required for an untied bias; when given, forward checks the input size.
    stride: int or (s_h, s_w). padding: 'valid', 'same', int, (ph, pw) or (top, bottom, left, right).
    rng: an int seed or a numpy Generator; default None: the next generator of the default stream
         (layer_rng / seed_layers), so two same-shaped layers differ and a rebuilt model is reproducible.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias="tied",
                 input_hw=None, rng=None, dtype=np.float32):
        super().__init__()
        where = "Conv2D"
        self.in_channels, self.out_channels = pair((in_channels, out_channels), "channels", where, 1)
        self.kernel_size = pair(kernel_size, "kernel_size", where, 1)
        self.stride = stride    # kept as given (int or pair), checked here:
        self.padding = padding  # 'same' is resolved per input size in forward
        resolve_padding(padding, self.kernel_size, pair(stride, "stride", where, 1), (1, 1), where)
        if bias not in ("tied", "untied", None):
            raise ValueError(f"Conv2D: bias must be 'tied', 'untied' or None, got {bias!r}.")
        self.bias = bias
        self.input_hw = None if input_hw is None else pair(input_hw, "input_hw", where, 1)
        if bias == "untied" and self.input_hw is None:
            raise ValueError("Conv2D: an untied bias has one number per output position, shape "
                             "(F, H_out, W_out), so the layer needs the input size. Fix: pass "
                             "input_hw=(H, W), e.g. input_hw=(28, 28) for MNIST.")
        self.dtype = np.dtype(dtype)
        KH, KW = self.kernel_size
        rng = layer_rng(rng)
        fan_in = self.in_channels * KH * KW
        self.params["w"] = _he_normal(rng, (self.out_channels, self.in_channels, KH, KW), fan_in, self.dtype)
        if bias == "tied":
            self.params["b"] = np.zeros(self.out_channels, dtype=self.dtype)
        elif bias == "untied":
            # validates stride / padding / fit now, not at the first forward
            _, H_out, W_out = self.output_shape((self.in_channels,) + self.input_hw)
            self.params["b"] = np.zeros((self.out_channels, H_out, W_out), dtype=self.dtype)
        self.zero_grad()
        self.x = None     # cached input, for backward
        self.cols = None  # cached im2col(x) (or x's spectrum, conv_dft), for backward

    def output_shape(self, input_shape):
        """(C, H, W) -> (F, H_out, W_out), equation (1)."""
        C, H, W = _check_input_shape(self, input_shape, 3, "(C, H, W)")
        if C != self.in_channels:
            raise ValueError(f"{self}: expects {self.in_channels} input channels, got input shape "
                             f"{(C, H, W)}.")
        _, _, (H_out, W_out) = conv_geometry((1, C, H, W), self.kernel_size, self.stride, self.padding,
                                             "Conv2D")
        return (self.out_channels, H_out, W_out)

    def forward(self, x):
        """x: (N, C, H, W) -> (N, F, H_out, W_out)."""
        x = check_array(x, "x", 4, "Conv2D.forward", float_only=True)
        if self.input_hw is not None and x.shape[2:] != self.input_hw:
            raise ValueError(f"{self}: built for inputs of size {self.input_hw} (its untied bias has one "
                             f"number per output position), got x of shape {x.shape}. Fix: resize the "
                             "input, or build the layer with the input_hw you use.")
        self.x = x
        stride_hw, pads, out_hw = conv_geometry(x.shape, self.kernel_size, self.stride, self.padding,
                                                "Conv2D.forward")  # clear errors
        check_conv(x, self.params["w"], None, "Conv2D.forward")     # clear channel-count error
        # Small images with many channels: through the Fourier transform (cnnlib/conv_dft.py); else one
        # matrix product for the whole batch (cnnlib/conv_gemm.py, its im2col columns kept for backward,
        # KH*KW times the input's memory, roughly). Both give F.conv2d's numbers, to rounding.
        self._dft = conv_dft.worth_it(x.shape, self.params["w"].shape, stride_hw, pads, self.bias != "untied")
        if self._dft:
            out, self.cols = conv_dft.forward(x, self.params["w"], self.params.get("b"), pads, out_hw)
        else:
            out, self.cols = conv_gemm.forward(x, self.params["w"], self.params.get("b"), stride_hw, pads,
                                               out_hw)
        self._geometry = stride_hw, pads
        return out

    can_skip_dx = True  # backward(dout, need_dx=False) skips dx (Sequential does it for a first layer)

    def backward(self, dout, need_dx=True):
        """dout: (N, F, H_out, W_out). Fills grads w (eq. 6) and b (eq. 7); returns dx (N, C, H, W)
        (eqs. 8-9), or None if need_dx=False (saves the work when nothing comes before this layer)."""
        self._need_forward(self.x)
        _, H_out, W_out = self.output_shape(self.x.shape[1:])
        dout = self._check_dout(dout, (self.x.shape[0], self.out_channels, H_out, W_out))
        stride_hw, pads = self._geometry
        if self._dft:
            dx, dw, db = conv_dft.backward(dout, self.x.shape, self.params["w"], pads, self.cols, need_dx)
        else:
            dx, dw, db = conv_gemm.backward(dout, self.x.shape, self.params["w"], stride_hw, pads, self.cols,
                                            untied_bias=self.bias == "untied", need_dx=need_dx)
        self.grads["w"] = dw.astype(self.dtype, copy=False)
        if self.bias is not None:
            self.grads["b"] = db.astype(self.dtype, copy=False)
        return dx

    def __repr__(self):
        KH, KW = self.kernel_size
        text = f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={KH if KH == KW else (KH, KW)}"
        if self.stride != 1:
            text += f", stride={self.stride}"
        if self.padding != 0:
            text += f", padding={self.padding!r}"
        if self.bias != "tied":
            text += f", bias={self.bias!r}"
        if self.input_hw is not None:
            text += f", input_hw={self.input_hw}"
        return text + ")"


# -------------------------------------------------------------------------------------- pooling

class _Pool2D(Layer):
    """Shared code of the pooling layers: no params; size, stride as in functional.max_pool2d."""

    _forward = None   # set by subclasses: the pure functions they wrap
    _backward = None

    def __init__(self, size, stride=None):
        super().__init__()
        name = type(self).__name__
        self.size = pair(size, "size", name, 1)
        self.stride = self.size if stride is None else pair(stride, "stride", name, 1)
        self.x = None

    def output_shape(self, input_shape):
        """(C, H, W) -> (C, H_out, W_out), H_out = floor((H - KH) / s) + 1."""
        C, H, W = _check_input_shape(self, input_shape, 3, "(C, H, W)")
        _, _, out_hw = conv_geometry((1, C, H, W), self.size, self.stride, 0, type(self).__name__)
        return (C,) + out_hw

    def forward(self, x):
        """x: (N, C, H, W) -> (N, C, H_out, W_out)."""
        self.x = check_array(x, "x", 4, f"{type(self).__name__}.forward")
        return type(self)._forward(self.x, self.size, self.stride)

    def backward(self, dout):
        """dout: (N, C, H_out, W_out) -> dx: (N, C, H, W)."""
        self._need_forward(self.x)
        return type(self)._backward(dout, self.x, self.size, self.stride)

    def __repr__(self):
        size = self.size[0] if self.size[0] == self.size[1] else self.size
        text = f"{type(self).__name__}({size}"
        if self.stride != self.size:
            text += f", stride={self.stride[0] if self.stride[0] == self.stride[1] else self.stride}"
        return text + ")"


class MaxPool2D(_Pool2D):
    """Max pooling: the largest value of each size x size window. Backward (eq. 10): each window's
    gradient goes to the position of its maximum. stride defaults to size (windows side by side).

    After a ReLU, Sequential calls forward_after_relu / backward_through_relu instead (the same
    numbers, less work: see cnnlib.pool.relu_max_pool2d)."""

    _forward = staticmethod(F.max_pool2d)
    _backward = staticmethod(F.max_pool2d_backward)
    out = None    # the last forward output, kept for backward
    _pre = None   # after forward_after_relu: (its input before ReLU, max_pool2d of it)

    @property
    def x(self):
        """The last forward input (after forward_after_relu: relu of its input, made when asked for)."""
        if self._x is None and self._pre is not None:
            self._x = F.relu(self._pre[0])
        return self._x

    @x.setter
    def x(self, value):
        self._x, self._pre = value, None

    def forward(self, x):
        """x: (N, C, H, W) -> (N, C, H_out, W_out); the output is kept: backward needs each window's max."""
        self.out = super().forward(x)
        return self.out

    def backward(self, dout):
        """dout: (N, C, H_out, W_out) -> dx: (N, C, H, W)."""
        self._need_forward(self.x)
        return F.max_pool2d_backward(dout, self.x, self.size, self.stride, out=self.out)

    def forward_after_relu(self, x):
        """The same output as forward(relu(x)), pooling first and ReLU on the pooled numbers.
        x: (N, C, H, W), the input of the ReLU before this layer."""
        x = check_array(x, "x", 4, "MaxPool2D.forward_after_relu")
        pre, self.out = pool.relu_max_pool2d(x, self.size, self.stride)
        self._x, self._pre = None, (x, pre)
        return self.out

    def backward_through_relu(self, dout):
        """dL/d(the ReLU's input), after forward_after_relu: the same numbers as the ReLU's backward of
        this layer's backward, in one pass. dout: (N, C, H_out, W_out) -> (N, C, H, W)."""
        self._need_forward(self._pre)
        x, pre = self._pre
        return pool.relu_max_pool2d_backward(dout, x, self.size, self.stride, pre=pre)


class AvgPool2D(_Pool2D):
    """Average pooling: the mean of each size x size window. Backward (eq. 11): each element of a
    window gets dout / (KH * KW). stride defaults to size."""

    _forward = staticmethod(F.avg_pool2d)
    _backward = staticmethod(F.avg_pool2d_backward)


# ------------------------------------------------------------------------- ReLU, Flatten, Dense

class ReLU(Layer):
    """out = max(x, 0), element-wise, any shape. Backward: dx = dout where x > 0, else 0."""

    def __init__(self):
        super().__init__()
        self.x = None

    def output_shape(self, input_shape):
        return tuple(int(s) for s in input_shape)

    def forward(self, x):
        self.x = np.asarray(x)
        return F.relu(self.x)

    def backward(self, dout):
        self._need_forward(self.x)
        if np.shape(dout) == self.x.shape:
            dout = conv_gemm.in_order_of(np.asarray(dout), self.x)   # the same memory order: fast
        return F.relu_backward(dout, self.x)

    def __repr__(self):
        return "ReLU()"


class Flatten(Layer):
    """(N, C, H, W) -> (N, C*H*W): each sample's numbers in one row (a view, no copy).
    Backward reshapes dout back to the input's shape."""

    def __init__(self):
        super().__init__()
        self.input_shape = None

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x):
        x = np.asarray(x)
        if x.ndim < 2:
            raise ValueError(f"Flatten.forward: x must have a batch axis and at least one more, e.g. "
                             f"(N, C, H, W); got shape {x.shape}.")
        self.input_shape = x.shape
        return x.reshape(x.shape[0], -1)  # (N, C*H*W)

    def backward(self, dout):
        self._need_forward(self.input_shape)
        N = self.input_shape[0]
        dout = self._check_dout(dout, (N, int(np.prod(self.input_shape[1:]))))
        return dout.reshape(self.input_shape)  # (N, C, H, W)

    def __repr__(self):
        return "Flatten()"


class Dense(Layer):
    """Fully connected layer: out = x @ w + b.

    x: (N, in_features) -> out: (N, out_features). params: w (in_features, out_features), He-initialized
    (variance 2 / in_features); b (out_features,), zeros.
    Backward: dw = x.T @ dout, db = sum of dout over the batch, dx = dout @ w.T.
    rng: an int seed or a numpy Generator; default None: the next generator of the default stream
         (layer_rng / seed_layers), as for Conv2D.
    """

    def __init__(self, in_features, out_features, rng=None, dtype=np.float32):
        super().__init__()
        self.in_features, self.out_features = pair((in_features, out_features), "features", "Dense", 1)
        self.dtype = np.dtype(dtype)
        rng = layer_rng(rng)
        self.params["w"] = _he_normal(rng, (self.in_features, self.out_features), self.in_features, self.dtype)
        self.params["b"] = np.zeros(self.out_features, dtype=self.dtype)
        self.zero_grad()
        self.x = None

    def output_shape(self, input_shape):
        (D,) = _check_input_shape(self, input_shape, 1, "(in_features,)")
        if D != self.in_features:
            raise ValueError(f"{self}: expects {self.in_features} input features, got input shape ({D},).")
        return (self.out_features,)

    def forward(self, x):
        """x: (N, in_features) -> (N, out_features)."""
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f"{self}: x must have shape (N, {self.in_features}), got {x.shape}."
                             + (" Fix: put a Flatten() layer before Dense." if x.ndim > 2 else ""))
        self.x = check_array(x, "x", 2, "Dense.forward", float_only=True)
        return x @ self.params["w"] + self.params["b"]

    def backward(self, dout):
        """dout: (N, out_features). Fills grads w, b; returns dx (N, in_features)."""
        self._need_forward(self.x)
        dout = self._check_dout(dout, (self.x.shape[0], self.out_features))
        self.grads["w"] = (self.x.T @ dout).astype(self.dtype, copy=False)   # (in, out)
        self.grads["b"] = dout.sum(axis=0).astype(self.dtype, copy=False)    # (out,)
        return dout @ self.params["w"].T                                     # (N, in)

    def __repr__(self):
        return f"Dense({self.in_features}, {self.out_features})"


__all__ = ["Layer", "Conv2D", "MaxPool2D", "AvgPool2D", "ReLU", "Flatten", "Dense"]

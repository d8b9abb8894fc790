"""ReLU, element-wise: out = max(x, 0); its derivative is 1 where x > 0 and 0 elsewhere."""
import numpy as np

from .shapes import check_array


def relu(x):
    """ReLU forward. x: any shape, real numbers. Returns a new array max(x, 0)."""
    x = np.asarray(x)
    check_array(x, "x", x.ndim, "relu")
    return np.maximum(x, 0)


def relu_backward(dout, x):
    """ReLU backward: dx = dout where x > 0, else 0 (at x = 0 exactly the gradient is taken as 0).

    dout, x: same shape. Returns a new array; dout is not changed.
    """
    x = np.asarray(x)
    dout = check_array(dout, "dout", np.ndim(dout), "relu_backward", float_only=True)
    if dout.shape != x.shape:
        raise ValueError(f"relu_backward: dout has shape {dout.shape} but x has shape {x.shape}; "
                         "dout must be shaped like the forward input.")
    return dout * (x > 0)

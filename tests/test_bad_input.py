"""Every bad input raises a clear error whose message names the problem, and no function changes
its inputs in place."""
import numpy as np
import pytest

from cnnlib import functional as F

rng = np.random.default_rng(0)
X = rng.normal(size=(2, 3, 6, 6))
W = rng.normal(size=(4, 3, 3, 3))
DOUT = np.ones((2, 4, 4, 4))                         # conv2d(X, W) is (2, 4, 4, 4)
POOL_DOUT = np.ones((2, 3, 3, 3))                    # max_pool2d(X, 2) is (2, 3, 3, 3)
CONVS = [F.conv2d, F.conv2d_naive]
CONV_BACKS = [F.conv2d_backward, F.conv2d_backward_naive]
POOLS = [F.max_pool2d, F.max_pool2d_naive, F.avg_pool2d, F.avg_pool2d_naive]
POOL_BACKS = [F.max_pool2d_backward, F.max_pool2d_backward_naive,
              F.avg_pool2d_backward, F.avg_pool2d_backward_naive]

BAD = [
    # (description, call, exception, regex the message must match)
    ("conv x 3-D", lambda f: f(X[0], W), ValueError, r"x must have 4 dimensions.*\(3, 6, 6\).*x\[None"),
    ("conv w 3-D", lambda f: f(X, W[0]), ValueError, r"w must have 4 dimensions"),
    ("channel mismatch", lambda f: f(X[:, :2], W), ValueError, r"2 channels.*expects 3.*must match"),
    ("kernel too big", lambda f: f(X, rng.normal(size=(1, 3, 7, 7))), ValueError,
     r"kernel 7x7 does not fit the 6x6 input.*-1 < 0.*Fix"),
    ("kernel too big even padded", lambda f: f(X, rng.normal(size=(1, 3, 9, 2)), padding=1), ValueError,
     r"kernel 9x2 does not fit.*height.*-1 < 0"),
    ("stride 0", lambda f: f(X, W, stride=0), ValueError, r"stride must be >= 1, got 0"),
    ("stride pair with 0", lambda f: f(X, W, stride=(1, 0)), ValueError, r"stride must be >= 1"),
    ("stride float", lambda f: f(X, W, stride=1.5), TypeError, r"stride must be an int or a pair"),
    ("negative padding", lambda f: f(X, W, padding=-1), ValueError, r"padding cannot be negative"),
    ("negative padding four", lambda f: f(X, W, padding=(0, 0, -1, 0)), ValueError, r"cannot be negative"),
    ("unknown padding", lambda f: f(X, W, padding="half"), ValueError, r"unknown padding 'half'.*'same'"),
    ("padding of 3 ints", lambda f: f(X, W, padding=(1, 2, 3)), TypeError, r"padding must be"),
    ("int x", lambda f: f(X.astype(np.int64), W), TypeError, r"x must be floating point.*astype"),
    ("int w", lambda f: f(X, W.astype(np.int32)), TypeError, r"w must be floating point"),
    ("bool x", lambda f: f(X > 0, W), TypeError, r"x must hold real numbers.*bool"),
    ("string x", lambda f: f("image", W), TypeError, r"x must be a numpy array|real numbers"),
    ("bias wrong length", lambda f: f(X, W, np.zeros(3)), ValueError, r"b must be \(F,\) = \(4,\)"),
    ("untied bias wrong shape", lambda f: f(X, W, np.zeros((4, 3, 3))), ValueError,
     r"untied bias must have the output's shape .*\(4, 4, 4\)"),
]


@pytest.mark.parametrize("fn", CONVS)
@pytest.mark.parametrize("desc, call, error, match", BAD, ids=[b[0] for b in BAD])
def test_conv_forward_bad_input(fn, desc, call, error, match):
    with pytest.raises(error, match=match):
        call(fn)


@pytest.mark.parametrize("fn", CONV_BACKS)
@pytest.mark.parametrize("dout, error, match", [
    (np.ones((2, 4, 4, 3)), ValueError, r"dout has shape \(2, 4, 4, 3\).*\(2, 4, 4, 4\)"),
    (np.ones((2, 4, 4)), ValueError, r"dout must have 4 dimensions"),
    (np.ones((2, 4, 4, 4), dtype=np.int64), TypeError, r"dout must be floating point"),
])
def test_conv_backward_bad_dout(fn, dout, error, match):
    with pytest.raises(error, match=match):
        fn(dout, X, W)


@pytest.mark.parametrize("fn", CONV_BACKS)
def test_conv_backward_bad_config(fn):
    with pytest.raises(ValueError, match=r"channels"):
        fn(DOUT, X[:, :1], W)
    with pytest.raises(ValueError, match=r"stride must be >= 1"):
        fn(DOUT, X, W, stride=0)
    with pytest.raises(ValueError, match=r"does not fit"):
        fn(DOUT, X, rng.normal(size=(4, 3, 8, 8)))


@pytest.mark.parametrize("fn", POOLS)
def test_pool_forward_bad_input(fn):
    with pytest.raises(ValueError, match=r"x must have 4 dimensions"):
        fn(X[0], 2)
    with pytest.raises(ValueError, match=r"size must be >= 1"):
        fn(X, 0)
    with pytest.raises(ValueError, match=r"stride must be >= 1"):
        fn(X, 2, 0)
    with pytest.raises(ValueError, match=r"kernel 7x7 does not fit the 6x6 input"):
        fn(X, 7)
    with pytest.raises(TypeError, match=r"size must be an int or a pair"):
        fn(X, 2.0)


@pytest.mark.parametrize("fn", POOL_BACKS)
def test_pool_backward_bad_dout(fn):
    with pytest.raises(ValueError, match=r"dout has shape \(2, 3, 2, 2\).*\(2, 3, 3, 3\)"):
        fn(np.ones((2, 3, 2, 2)), X, 2)
    with pytest.raises(TypeError, match=r"dout must be floating point"):
        fn(POOL_DOUT.astype(int), X, 2)


@pytest.mark.parametrize("fn", [F.correlate2d, F.convolve2d])
def test_single_channel_bad_input(fn):
    with pytest.raises(ValueError, match=r"image must have 2 dimensions"):
        fn(np.ones((1, 4, 4)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"kernel must have 2 dimensions"):
        fn(np.ones((4, 4)), np.ones(2))
    with pytest.raises(ValueError, match=r"unknown mode 'half'"):
        fn(np.ones((4, 4)), np.ones((2, 2)), "half")
    with pytest.raises(ValueError, match=r"kernel 5x5 does not fit the 4x4 image in mode 'valid'"):
        fn(np.ones((4, 4)), np.ones((5, 5)))


def test_shapes_bad_input():
    with pytest.raises(ValueError, match=r"does not fit an input of size 3.*-2 < 0"):
        F.output_size(3, 5, 0, 1)
    with pytest.raises(ValueError, match=r"stride must be >= 1"):
        F.output_size(5, 3, 0, 0)
    with pytest.raises(TypeError, match=r"n must be an int"):
        F.output_size(5.0, 3)
    with pytest.raises(ValueError, match=r"padding cannot be negative"):
        F.output_size(5, 3, -1)
    with pytest.raises(ValueError, match=r"unknown padding 'full'"):
        F.output_size(5, 3, "full")
    with pytest.raises(ValueError, match=r"pad2d: padding 'same' depends on the kernel"):
        F.pad2d(np.ones((3, 3)), "same")
    with pytest.raises(ValueError, match=r"at least 2 dimensions"):
        F.pad2d(np.ones(3), 1)


def test_activation_and_loss_bad_input():
    with pytest.raises(ValueError, match=r"dout has shape \(3,\) but x has shape \(4,\)"):
        F.relu_backward(np.ones(3), np.ones(4))
    with pytest.raises(TypeError, match=r"dout must be floating point"):
        F.relu_backward(np.ones(4, dtype=int), np.ones(4))
    with pytest.raises(TypeError, match=r"x must hold real numbers"):
        F.relu(np.array(["a", "b"]))
    logits = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\) for 4 classes.*from 0 to 4"):
        F.softmax_cross_entropy(logits, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\).*from -1"):
        F.softmax_cross_entropy(logits, np.array([0, -1, 2]))
    with pytest.raises(ValueError, match=r"labels must have shape \(N,\) = \(3,\)"):
        F.softmax_cross_entropy(logits, np.array([0, 1]))
    with pytest.raises(TypeError, match=r"labels must be integers.*astype"):
        F.softmax_cross_entropy(logits, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(TypeError, match=r"logits must be floating point"):
        F.softmax_cross_entropy(np.zeros((3, 4), dtype=int), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"logits must have 2 dimensions"):
        F.softmax(np.zeros(4))


# ------------------------------------------------------------------------- no input is mutated

def _calls():
    r = np.random.default_rng(1)
    x, w, b = r.normal(size=(2, 2, 5, 5)), r.normal(size=(3, 2, 3, 3)), r.normal(size=3)
    d = r.normal(size=(2, 3, 3, 3))
    xp = r.normal(size=(2, 2, 6, 6))
    dp = r.normal(size=(2, 2, 3, 3))
    dp2 = r.normal(size=(2, 2, 5, 5))
    logits, labels = r.normal(size=(4, 5)), np.array([0, 1, 4, 2])
    yield "pad2d", F.pad2d, (x, 1)
    yield "correlate2d", F.correlate2d, (x[0, 0], w[0, 0], "same")
    yield "convolve2d", F.convolve2d, (x[0, 0], w[0, 0], "full")
    for fn in CONVS:
        yield fn.__name__, fn, (x, w, b)
        yield fn.__name__ + " same", fn, (x, w, b, 2, "same")
    for fn in CONV_BACKS:
        yield fn.__name__, fn, (d, x, w)
        yield fn.__name__ + " pad", fn, (r.normal(size=(2, 3, 5, 5)), x, w, 1, 1)
    for fn in POOLS:
        yield fn.__name__, fn, (xp, 2)
    for fn in POOL_BACKS:
        yield fn.__name__, fn, (dp, xp, 2)
        yield fn.__name__ + " overlap", fn, (dp2, xp, 2, 1)
    yield "im2col", F.im2col, (x, 3, 2, 1)
    yield "col2im", F.col2im, (r.normal(size=(2, 18, 9)), x.shape, 3, 2, 1)
    yield "relu", F.relu, (x,)
    yield "relu_backward", F.relu_backward, (d, d)
    yield "softmax", F.softmax, (logits,)
    yield "softmax_cross_entropy", F.softmax_cross_entropy, (logits, labels)


@pytest.mark.parametrize("name, fn, args", list(_calls()), ids=[c[0] for c in _calls()])
def test_no_function_changes_its_inputs(name, fn, args):
    before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    result = fn(*args)
    for a, a0 in zip(args, before):
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, a0)
    # and the result does not alias an input (writing to it later would change the caller's data)
    for r in result if isinstance(result, tuple) else (result,):
        if isinstance(r, np.ndarray):
            assert not any(np.shares_memory(r, a) for a in args if isinstance(a, np.ndarray))

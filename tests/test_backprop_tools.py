"""cnnlib/backprop_tools.py: the channel-by-channel routes of chapters 06-08 agree with cnnlib.conv
and with finite differences; dilation and the term tables of the paper's block (4)."""
import numpy as np
import pytest

from cnnlib import functional as F
from cnnlib.backprop_tools import conv2d_backward_channelwise, conv2d_channelwise, conv_terms, dilate
from cnnlib.gradcheck import numerical_gradient, rel_error

CONFIGS = [  # (C, F, H, W, KH, KW, stride, padding)
    (1, 1, 3, 3, 2, 2, 1, 0), (3, 2, 5, 6, 3, 3, 1, 0), (2, 3, 7, 6, 3, 2, 2, 1),
    (2, 2, 6, 6, 3, 3, 2, 0), (1, 2, 8, 7, 2, 2, 3, (1, 0, 2, 1)), (2, 1, 5, 9, 3, 1, (2, 3), "same"),
    (3, 2, 4, 4, 4, 4, 1, 0), (1, 1, 6, 5, 1, 1, 2, 0)]


@pytest.mark.parametrize("C, F_, H, W, KH, KW, stride, padding", CONFIGS)
def test_channelwise_forward_and_backward_match_the_library(C, F_, H, W, KH, KW, stride, padding):
    rng = np.random.default_rng(C * 100 + H * 10 + W)
    x, w, b = rng.normal(size=(C, H, W)), rng.normal(size=(F_, C, KH, KW)), rng.normal(size=F_)
    x_before = x.copy()
    out = conv2d_channelwise(x, w, b, stride, padding)
    assert rel_error(out, F.conv2d(x[None], w, b, stride, padding)[0]) < 1e-12
    dout = rng.normal(size=out.shape)
    dx, dw, db = conv2d_backward_channelwise(dout, x, w, stride, padding)
    lib = F.conv2d_backward(dout[None], x[None], w, stride, padding)
    assert rel_error(dx, lib[0][0]) < 1e-12 and rel_error(dw, lib[1]) < 1e-12
    assert rel_error(db, lib[2]) < 1e-12
    num_x = numerical_gradient(lambda v: conv2d_channelwise(v, w, b, stride, padding), x, dout=dout)
    num_w = numerical_gradient(lambda v: conv2d_channelwise(x, v, b, stride, padding), w, dout=dout)
    assert rel_error(dx, num_x) < 1e-6 and rel_error(dw, num_w) < 1e-6
    np.testing.assert_array_equal(x, x_before)


def test_untied_bias_and_bad_bias():
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(2, 4, 4)), rng.normal(size=(3, 2, 2, 2))
    b = rng.normal(size=(3, 3, 3))
    assert rel_error(conv2d_channelwise(x, w, b), F.conv2d(x[None], w, b)[0]) < 1e-12
    with pytest.raises(ValueError, match=r"\(3,\) \(tied"):
        conv2d_channelwise(x, w, np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match="channels"):
        conv2d_channelwise(x[:1], w)
    with pytest.raises(ValueError, match="shaped exactly like out"):
        conv2d_backward_channelwise(np.zeros((3, 2, 2)), x, w)


def test_rows_the_floor_drops_get_zero_gradient():
    rng = np.random.default_rng(2)
    x, w = rng.normal(size=(1, 6, 6)), rng.normal(size=(1, 1, 3, 3))
    dx, _, _ = conv2d_backward_channelwise(rng.normal(size=(1, 2, 2)), x, w, stride=2)
    assert np.all(dx[0, 5] == 0) and np.all(dx[0, :, 5] == 0) and np.any(dx[0, 4] != 0)


def test_dilate():
    dy = np.array([[1., 2., 3.], [4., 5., 6.]])
    np.testing.assert_array_equal(dilate(dy, 2), [[1, 0, 2, 0, 3], [0, 0, 0, 0, 0], [4, 0, 5, 0, 6]])
    assert dilate(dy, (3, 1)).shape == (4, 3)
    same = dilate(dy, 1)
    np.testing.assert_array_equal(same, dy)
    same[0, 0] = 99                                   # a copy: the caller's array is untouched
    assert dy[0, 0] == 1
    assert dilate(np.ones((2, 3, 2, 2)), 2).shape == (2, 3, 3, 3)   # leading axes are kept
    with pytest.raises(ValueError, match=">= 1"):
        dilate(dy, 0)
    with pytest.raises(ValueError, match="2 dimensions"):
        dilate(np.ones(3), 2)


def test_conv_terms_is_the_papers_block_4():
    terms = conv_terms((3, 3), (2, 2))
    assert terms[(0, 1)] == [((0, 1), (0, 0)), ((0, 2), (0, 1)), ((1, 1), (1, 0)), ((1, 2), (1, 1))]
    counts = np.zeros((3, 3), dtype=int)
    for pairs in terms.values():
        for (a, b), _ in pairs:
            counts[a, b] += 1
    np.testing.assert_array_equal(counts, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    # the table reproduces the correlation itself
    rng = np.random.default_rng(3)
    x, k = rng.normal(size=(5, 4)), rng.normal(size=(2, 3))
    strided = conv_terms((5, 4), (2, 3), stride=2)
    y = np.zeros((2, 1))
    for (i, j), pairs in strided.items():
        y[i, j] = sum(x[a, b] * k[u, v] for (a, b), (u, v) in pairs)
    np.testing.assert_allclose(y, F.conv2d(x[None, None], k[None, None], stride=2)[0, 0])

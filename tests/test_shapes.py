"""Output-size formula (eq. 1), padding specs and zero padding (cnnlib/shapes.py)."""
import math

import numpy as np
import pytest

from cnnlib import functional as F


@pytest.mark.parametrize("n, f, padding, stride, expected", [
    (5, 3, 0, 1, 3),            # the textbook case: 5 - 3 + 1
    (28, 5, 0, 1, 24),
    (28, 3, 1, 1, 28),          # p = (f - 1) / 2 keeps the size
    (7, 3, 0, 2, 3),            # (7 - 3) / 2 + 1
    (8, 3, 0, 2, 3),            # floor((8 - 3) / 2) + 1 = 3: the last row is never reached
    (6, 2, 0, 2, 3),
    (5, 5, 0, 3, 1),
    (4, 1, 0, 3, 2),            # stride bigger than the kernel skips rows
    (3, 2, (0, 1), 1, 3),       # pair = (before, after)
    (6, 4, (1, 2), 3, 2),       # floor((6 + 3 - 4) / 3) + 1
    (10, 3, "valid", 1, 8),
])
def test_output_size_examples(n, f, padding, stride, expected):
    assert F.output_size(n, f, padding, stride) == expected


@pytest.mark.parametrize("n", [1, 2, 5, 7, 8, 13])
@pytest.mark.parametrize("f", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_same_padding_gives_ceil_n_over_s(n, f, s):
    assert F.output_size(n, f, "same", s) == math.ceil(n / s)
    before, after = F.same_padding(n, f, s)
    assert before >= 0 and after - before in (0, 1)  # the odd pixel goes after (bottom/right)


@pytest.mark.parametrize("f, expected", [(1, (0, 0)), (2, (0, 1)), (3, (1, 1)), (4, (1, 2)), (5, (2, 2))])
def test_same_padding_stride_1_splits_f_minus_1(f, expected):
    assert F.same_padding(10, f, 1) == expected


def test_output_size_matches_the_floor_formula_on_a_grid():
    for n in range(1, 12):
        for f in range(1, n + 3):
            for p in range(3):
                for s in range(1, 4):
                    if n + 2 * p < f:
                        with pytest.raises(ValueError):
                            F.output_size(n, f, p, s)
                    else:
                        assert F.output_size(n, f, p, s) == (n + 2 * p - f) // s + 1


@pytest.mark.parametrize("spec, expected", [
    ("valid", (0, 0, 0, 0)),
    (2, (2, 2, 2, 2)),
    ((1, 3), (1, 1, 3, 3)),
    ((0, 1, 2, 3), (0, 1, 2, 3)),
    ([1, 2], (1, 1, 2, 2)),
])
def test_resolve_padding_forms(spec, expected):
    assert F.resolve_padding(spec, (3, 3), (1, 1), (8, 8)) == expected


def test_resolve_padding_same_even_and_strided():
    # 2x4 kernel, stride (1, 2), input 5x7: heights total 1 -> (0, 1); widths: ceil(7/2)=4 outputs,
    # total = (4 - 1) * 2 + 4 - 7 = 3 -> (1, 2)
    assert F.resolve_padding("same", (2, 4), (1, 2), (5, 7)) == (0, 1, 1, 2)


def test_pad2d_values_and_shape():
    x = np.arange(1, 7, dtype=np.float64).reshape(2, 3)
    out = F.pad2d(x, (1, 0, 2, 1))
    expected = np.array([[0, 0, 0, 0, 0, 0],
                         [0, 0, 1, 2, 3, 0],
                         [0, 0, 4, 5, 6, 0]], dtype=np.float64)
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == x.dtype


def test_pad2d_batch_pads_only_the_last_two_axes():
    x = np.ones((2, 3, 4, 5), dtype=np.float32)
    out = F.pad2d(x, 1)
    assert out.shape == (2, 3, 6, 7) and out.dtype == np.float32
    assert out[:, :, 1:-1, 1:-1].sum() == x.sum() and out.sum() == x.sum()


@pytest.mark.parametrize("padding", [0, 1, (0, 0, 0, 0), (2, 1)])
def test_pad2d_never_shares_memory_with_its_input(padding):
    x = np.arange(12.0).reshape(3, 4)
    before = x.copy()
    out = F.pad2d(x, padding)
    out[...] = -1
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(out, x)

"""Default initial weights: each layer its own stream, models reproducible (issue 16, section 5)."""
import subprocess
import sys

import numpy as np
import pytest

from cnnlib.layers import Conv2D, Dense, MaxPool2D, ReLU, Flatten, layer_rng, seed_layers
from cnnlib.model import Sequential


def build():
    return Sequential(Conv2D(1, 4, 3), ReLU(), MaxPool2D(2), Conv2D(4, 4, 3), ReLU(), Flatten(),
                      Dense(4 * 3 * 3, 10), Dense(10, 10))


def weights(model):
    return [layer.params["w"].copy() for layer in model.layers if "w" in layer.params]


def test_two_same_shaped_layers_start_different():
    seed_layers(0)
    a, b = Conv2D(4, 4, 3), Conv2D(4, 4, 3)
    assert not np.array_equal(a.params["w"], b.params["w"])
    c, d = Dense(10, 10), Dense(10, 10)
    assert not np.array_equal(c.params["w"], d.params["w"])


def test_a_rebuilt_model_equals_the_first():
    seed_layers(0)
    first = weights(build())
    seed_layers(0)
    again = weights(build())
    assert all(np.array_equal(u, v) for u, v in zip(first, again))
    seed_layers(1)
    other = weights(build())
    assert not np.array_equal(first[0], other[0])


def test_a_fresh_process_builds_the_same_model():
    code = ("import numpy as np; from cnnlib.layers import Conv2D, Dense; "
            "w = [Conv2D(1, 4, 3).params['w'], Dense(36, 10).params['w']]; "
            "print(round(float(sum(np.abs(x).sum() for x in w)), 3))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].strip()
    seed_layers(0)
    here = round(float(np.abs(Conv2D(1, 4, 3).params["w"]).sum() + np.abs(Dense(36, 10).params["w"]).sum()), 3)
    assert float(runs[0]) == here      # a fresh process starts as if seed_layers(0) had been called


def test_explicit_seeds_keep_their_meaning():
    assert np.array_equal(Conv2D(2, 3, 3, rng=7).params["w"], Conv2D(2, 3, 3, rng=7).params["w"])
    seed_layers(0)
    layer_rng()
    second = layer_rng().standard_normal(3)
    seed_layers(0)
    layer_rng()
    Conv2D(2, 3, 3, rng=5)             # an explicit seed does not advance the default stream
    assert np.array_equal(layer_rng().standard_normal(3), second)


@pytest.mark.parametrize("bad", [-1, 1.5, "0", None])
def test_bad_seed(bad):
    with pytest.raises(ValueError, match="non-negative int"):
        seed_layers(bad)

"""Initial weights of the layers: one seeded stream for layers built without rng=, and He's normal
initialization (cnnlib.layers re-exports seed_layers and layer_rng)."""
import numpy as np

# Layers built without rng= draw their weights from one seeded stream: the k-th such layer since
# seed_layers(seed) gets the generator of SeedSequence(seed, spawn_key=(k,)). So two layers of the same
# shape start different, and a model built again after seed_layers(...) (or top to bottom in a fresh
# kernel) starts exactly as before.
_DEFAULT_STREAM = {"seed": 0, "count": 0}


def seed_layers(seed=0):
    """Restart the stream of default layer weights: the layers built after it without rng= get the
    same weights as the layers built after the previous seed_layers(seed). A fresh process starts
    as if seed_layers(0) had been called."""
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed_layers: seed must be a non-negative int, got {seed!r}.")
    _DEFAULT_STREAM.update(seed=int(seed), count=0)


def layer_rng(rng=None):
    """The generator a layer draws its initial weights from: rng (int seed or Generator) if given,
    else the next generator of the default stream (see seed_layers)."""
    if rng is None:
        sequence = np.random.SeedSequence(_DEFAULT_STREAM["seed"], spawn_key=(_DEFAULT_STREAM["count"],))
        _DEFAULT_STREAM["count"] += 1
        return np.random.default_rng(sequence)
    return np.random.default_rng(rng)


def _he_normal(rng, shape, fan_in, dtype):
    """Weights ~ N(0, 2 / fan_in) (He initialization), as `dtype`."""
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)

"""What a trained classifier looks at: input gradients (saliency) and occlusion sensitivity.

    grad = input_gradient(model, x, target)      # d logit[target] / d x, shape of x (N, C, H, W)
    heat = occlusion_map(model, image, label)    # (H', W') drop in p(label) when a grey patch covers there

Both run the model's own forward and backward (chapters 06-08); nothing is approximated except
that the gradient is a *local* statement (a tangent), and occlusion only sees what one patch removes.
"""
import numpy as np

from .losses import softmax
from .shapes import check_array


def _check_model_input(x, where):
    """A float batch (N, ...): (N, C, H, W) for a CNN, (N, D) for a dense network."""
    x = check_array(x, "x", np.ndim(x), where, float_only=True)
    if x.ndim < 2:
        raise ValueError(f"{where}: x must be a batch (N, C, H, W) or (N, D), got shape {x.shape}. Fix: "
                         "for one image use x[None].")
    return x


def _targets(target, n, where):
    target = np.asarray(target)
    if target.ndim == 0:
        target = np.full(n, int(target))
    if target.shape != (n,) or not np.issubdtype(target.dtype, np.integer):
        raise ValueError(f"{where}: target must be one class number or (N,) = ({n},) integers, got "
                         f"shape {target.shape}, dtype {target.dtype}.")
    return target


def logit_and_gradient(model, x, target):
    """The logits (N, K) and d logits[n, target[n]] / d x[n] (N, C, H, W) for every sample n.

    One forward and one backward through the model (Sequential.backward down to the pixels), with
    dL/dlogits = one-hot(target). Each sample's gradient is of its own logit only (the samples of a batch
    do not interact). The model's parameter gradients are overwritten (harmless at test time).
    """
    x = _check_model_input(x, "input_gradient")
    logits = model.forward(x)
    target = _targets(target, len(x), "input_gradient")
    if target.min() < 0 or target.max() >= logits.shape[1]:
        raise ValueError(f"input_gradient: target must be in [0, {logits.shape[1]}), got {target}")
    dout = np.zeros_like(logits)
    dout[np.arange(len(x)), target] = 1
    return logits, model.backward(dout)


def input_gradient(model, x, target):
    """d logit[target] / d x: x (N, C, H, W) (or (N, D)) float, target an int or (N,) ints -> x's shape."""
    return logit_and_gradient(model, x, target)[1]


def saliency(model, image, target):
    """|d logit[target] / d pixel| of one image (C, H, W) or (H, W) -> (H, W), summed over channels."""
    x = np.asarray(image)
    x = x[None, None] if x.ndim == 2 else x[None]
    return np.abs(input_gradient(model, x, target)[0]).sum(axis=0)


def finite_difference(model, x, target, pixels, h=1e-3):
    """Central differences (f(x + h e) - f(x - h e)) / 2h of logit[target] for a few pixels, in float64.

    x: (1, C, H, W); pixels: list of (c, i, j). Returns (len(pixels),). For the gradient check."""
    x = np.array(x, dtype=np.float64)  # our own copy: the caller's array is not changed
    out = []
    for c, i, j in pixels:
        plus, minus = x.copy(), x.copy()
        plus[0, c, i, j] += h
        minus[0, c, i, j] -= h
        f_plus = model.forward(plus.astype(model.dtype))[0, target]
        f_minus = model.forward(minus.astype(model.dtype))[0, target]
        out.append((float(f_plus) - float(f_minus)) / (2 * h))
    return np.array(out)


def gradient_check(model, x, target, pixels, h=1e-5, rtol=1e-4, atol=1e-6):
    """Compare d logit[target] / d pixel from backward with finite differences, for a few pixels.

    x: (1, C, H, W); pixels: [(c, i, j), ...]; use a float64 model (load_pretrained(dtype=np.float64)).
    This network (conv, ReLU, max-pool, dense) is piecewise linear in x, so the one-sided differences
    (f(x + h e) - f(x)) / h and (f(x) - f(x - h e)) / h are equal unless a ReLU or a max-pool switches
    within h of x: a kink. Then h is tried 100 and 10,000 times smaller (a kink near x, not at it, moves
    out of reach). A kink AT x is common on MNIST: over the blank background every position of a conv
    output holds the same value (the bias), so max-pool has exact ties, and the backward pass's choice
    (the first maximum) is one valid derivative among several; there the check is not possible.
    Returns one dict per pixel: pixel, analytic, central, h (the step used), kink (still one at the
    smallest h), agrees: backward matches the central difference (None at a kink).
    """
    x = np.array(x, dtype=np.float64)
    analytic = input_gradient(model, x.astype(model.dtype), target)
    f0 = float(model.forward(x.astype(model.dtype))[0, target])
    results = []
    for c, i, j in pixels:
        a = float(analytic[0, c, i, j])
        for step in (h, h / 100, h / 10000):
            values = []
            for signed in (step, -step):
                moved = x.copy()
                moved[0, c, i, j] += signed
                values.append(float(model.forward(moved.astype(model.dtype))[0, target]))
            forward, backward = (values[0] - f0) / step, (f0 - values[1]) / step
            central = (values[0] - values[1]) / (2 * step)
            kink = not np.isclose(forward, backward, rtol=rtol, atol=atol)
            if not kink:
                break
        agrees = None if kink else bool(np.isclose(a, central, rtol=rtol, atol=atol))
        results.append({"pixel": (c, i, j), "analytic": a, "central": central, "h": step, "kink": kink,
                        "agrees": agrees})
    return results


def predict_proba(model, x, batch_size=500):
    """softmax(model(x)) in batches: x (N, C, H, W) -> (N, K)."""
    return np.concatenate([softmax(model.forward(x[i:i + batch_size])) for i in range(0, len(x), batch_size)])


def occlusion_images(image, patch=6, stride=2, fill=0.5):
    """Copies of image (C, H, W) with a patch x patch square set to fill, slid with stride (chapter 03's
    window). Returns (rows * cols, C, H, W) with rows = (H - patch) // stride + 1 (cols alike), row-major."""
    image = np.asarray(image)
    if image.ndim != 3:
        raise ValueError(f"occlusion: image must be (C, H, W), got shape {image.shape}. Fix: image[None] "
                         "for a grey (H, W) image.")
    C, H, W = image.shape
    if not (isinstance(patch, (int, np.integer)) and 1 <= patch <= min(H, W)) or stride < 1:
        raise ValueError(f"occlusion: need 1 <= patch <= {min(H, W)} and stride >= 1, got patch={patch}, "
                         f"stride={stride}")
    rows, cols = (H - patch) // stride + 1, (W - patch) // stride + 1
    out = np.repeat(image[None], rows * cols, axis=0)  # a new array
    for r in range(rows):
        for c in range(cols):
            out[r * cols + c, :, r * stride:r * stride + patch, c * stride:c * stride + patch] = fill
    return out


def occlusion_map(model, image, label, patch=6, stride=2, fill=0.5):
    """p(label | image) - p(label | image with the patch at each position): (rows, cols); positive =
    covering there lowers the model's belief. Also see occlusion_images."""
    image = np.asarray(image)
    C, H, W = image.shape
    rows, cols = (H - patch) // stride + 1, (W - patch) // stride + 1
    p0 = predict_proba(model, image[None].astype(model.dtype))[0, label]
    p = predict_proba(model, occlusion_images(image, patch, stride, fill).astype(model.dtype))[:, label]
    return (p0 - p).reshape(rows, cols)


def upsample_occlusion(heat, shape, patch=6, stride=2):
    """Spread an occlusion map (rows, cols) back over pixels (H, W): each pixel gets the mean of the
    drops of every patch position that covered it (for drawing over the image)."""
    total, count = np.zeros(shape), np.zeros(shape)
    for r in range(heat.shape[0]):
        for c in range(heat.shape[1]):
            total[r * stride:r * stride + patch, c * stride:c * stride + patch] += heat[r, c]
            count[r * stride:r * stride + patch, c * stride:c * stride + patch] += 1
    return np.divide(total, count, out=np.zeros(shape), where=count > 0)


__all__ = ["logit_and_gradient", "input_gradient", "saliency", "finite_difference", "gradient_check", "predict_proba",
           "occlusion_images", "occlusion_map", "upsample_occlusion"]

"""Adversarial digits: small pixel changes, chosen with the loss's gradient, that change the prediction.

    x_adv = fgsm(model, x, y, eps)                 # one step: x + eps * sign(dL/dx), clipped to [0, 1]
    x_adv = pgd(model, x, y, eps, steps=10)        # iterated steps of eps/4, kept within eps of x (BIM / PGD)
    acc = accuracy_under_attack(model, x, y, [0, .05, .1], attack="fgsm")

eps is the largest change allowed per pixel (the L-infinity norm), pixels in [0, 1].
"""
import numpy as np

from .losses import softmax_cross_entropy
from .shapes import check_array


def fgsm_step(x, grad, eps):
    """x + eps * sign(grad), clipped to the valid pixel range [0, 1]. Any shapes (equal). A new array."""
    x, grad = np.asarray(x), np.asarray(grad)
    if x.shape != grad.shape:
        raise ValueError(f"fgsm_step: x {x.shape} and grad {grad.shape} must have the same shape")
    if eps < 0:
        raise ValueError(f"fgsm_step: eps must be >= 0 (the largest change per pixel), got {eps}")
    return np.clip(x + eps * np.sign(grad), 0, 1).astype(x.dtype, copy=False)


def loss_dlogits(logits, y):
    """d(cross-entropy) / d logits for each sample: softmax(logits) - onehot(y), (N, K), in float64.

    Written as p_k for the other classes and -(sum of the others) for the true one (equal, since the
    p's sum to 1): for a confident prediction p_y rounds to 1 and p_y - 1 to 0, which would drop that
    term from the gradient, although the others are small but exact. softmax_cross_entropy checks y."""
    softmax_cross_entropy(logits, np.asarray(y))  # the shape and label checks
    logits = np.asarray(logits, dtype=np.float64)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    rows = np.arange(len(p))
    p[rows, y] = 0.0
    p[rows, y] = -p.sum(axis=1)
    return p


def loss_gradient(model, x, y):
    """d(cross-entropy) / dx for every sample (N, C, H, W); each sample's own loss (not the batch mean)."""
    x = check_array(x, "x", 4, "loss_gradient", float_only=True)
    dlogits = loss_dlogits(model.forward(x), np.asarray(y))
    return model.backward(dlogits.astype(x.dtype, copy=False))


def fgsm(model, x, y, eps, batch_size=500):
    """Fast gradient sign method (Goodfellow et al. 2015): x (N, C, H, W), y (N,) -> adversarial x."""
    out = np.empty_like(x)
    for i in range(0, len(x), batch_size):
        xb = x[i:i + batch_size]
        out[i:i + batch_size] = fgsm_step(xb, loss_gradient(model, xb, y[i:i + batch_size]), eps)
    return out


def pgd(model, x, y, eps, steps=10, step_size=None, batch_size=500):
    """Iterative FGSM (basic iterative method / PGD without a random start): `steps` steps of step_size
    (default eps / 4), each followed by a projection back into [x - eps, x + eps] and [0, 1]."""
    step_size = eps / 4 if step_size is None else step_size
    out = np.empty_like(x)
    for i in range(0, len(x), batch_size):
        x0, yb = x[i:i + batch_size], y[i:i + batch_size]
        xa = x0.copy()
        for _ in range(steps):
            xa = fgsm_step(xa, loss_gradient(model, xa, yb), step_size)
            xa = np.clip(xa, x0 - eps, x0 + eps).astype(x.dtype, copy=False)
        out[i:i + batch_size] = xa
    return out


ATTACKS = {"fgsm": fgsm, "pgd": pgd}


def accuracy_under_attack(model, x, y, epsilons, attack="fgsm", batch_size=500, **options):
    """Test accuracy (fractions) of model on attack(model, x, y, eps) for each eps: a list."""
    if attack not in ATTACKS:
        raise ValueError(f"attack must be one of {sorted(ATTACKS)}, got {attack!r}")
    result = []
    for eps in epsilons:
        xa = x if eps == 0 else ATTACKS[attack](model, x, y, eps, batch_size=batch_size, **options)
        correct = sum(int((model.forward(xa[i:i + batch_size]).argmax(1) == y[i:i + batch_size]).sum())
                      for i in range(0, len(x), batch_size))
        result.append(correct / len(x))
    return result


def smallest_flipping_eps(model, image, label, attack="fgsm", hi=0.5, tol=1e-3, **options):
    """The smallest eps (to within tol, by bisection) at which attack changes the prediction of one
    image (C, H, W) away from label; None if even eps = hi does not. Returns (eps, adversarial image)."""
    x, y = np.asarray(image)[None], np.array([label])

    def flipped(eps):
        xa = ATTACKS[attack](model, x, y, eps, **options)
        return model.forward(xa).argmax(1)[0] != label, xa[0]

    ok, best = flipped(hi)
    if not ok:
        return None, None
    lo = 0.0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        ok, xa = flipped(mid)
        if ok:
            hi, best = mid, xa
        else:
            lo = mid
    return hi, best


__all__ = ["fgsm_step", "loss_dlogits", "loss_gradient", "fgsm", "pgd", "accuracy_under_attack", "smallest_flipping_eps"]

"""Optimizers: they apply the gradients that backward computed to the parameters, in place.

    opt = SGD(lr=0.1, momentum=0.9)
    model.backward(dlogits)     # fills every layer's grads
    opt.step(model)             # p -= lr * (update made from grads), for every param of every layer

`step` accepts a model with a `.layers` list (Sequential), one layer, or a list of layers. The state
an optimizer keeps (momentum, Adam's moments) is stored per parameter, keyed by (layer, name).
The arrays changed in place are the layers' own parameters, never the caller's data.

Learning-rate schedules are plain functions of the training progress measured in epochs (a float:
1.5 = halfway through the second epoch); Sequential.fit sets optimizer.lr = schedule(progress) before
every batch.
"""
import math

import numpy as np


def _layers_of(model_or_layers):
    """A list of layers from a model (anything with .layers), a single layer, or a list of layers."""
    if hasattr(model_or_layers, "layers"):
        return list(model_or_layers.layers)
    if hasattr(model_or_layers, "params"):
        return [model_or_layers]
    return list(model_or_layers)


class Optimizer:
    """Base class: loops over every (layer, name, param, grad) and calls `update` on each."""

    def __init__(self, lr, weight_decay=0.0):
        if not lr > 0:
            raise ValueError(f"{type(self).__name__}: lr must be > 0, got {lr}.")
        if weight_decay < 0:
            raise ValueError(f"{type(self).__name__}: weight_decay must be >= 0, got {weight_decay}.")
        self.lr = lr
        self.weight_decay = weight_decay
        self.state = {}  # (layer, param name) -> dict of arrays / counters

    def step(self, model_or_layers):
        """Apply one update to every parameter, using the grads from the last backward."""
        for layer in _layers_of(model_or_layers):
            for name, param in layer.params.items():
                grad = layer.grads[name]
                if grad.shape != param.shape:
                    raise ValueError(f"{type(self).__name__}.step: {layer!r} grad {name!r} has shape "
                                     f"{grad.shape} but the param has shape {param.shape}.")
                if self.weight_decay:
                    grad = grad + self.weight_decay * param  # L2 penalty (wd/2)*|p|^2 adds wd*p
                self.update(param, grad, self.state.setdefault((layer, name), {}))

    def update(self, param, grad, state):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with (optional) momentum, as in torch.optim.SGD:

        v = momentum * v + grad          (v starts at 0; with momentum 0 simply v = grad)
        p = p - lr * v
    """

    def __init__(self, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        if not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum}.")
        self.momentum = momentum

    def update(self, param, grad, state):
        if self.momentum:
            velocity = state.setdefault("velocity", np.zeros_like(param))
            velocity *= self.momentum
            velocity += grad
            grad = velocity
        param -= self.lr * grad

    def __repr__(self):
        return f"SGD(lr={self.lr:g}, momentum={self.momentum:g}, weight_decay={self.weight_decay:g})"


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): a step per parameter scaled by running averages of the gradient
    and of its square. With t = 1, 2, ... the number of steps taken so far:

        m = b1 * m + (1 - b1) * grad            v = b2 * v + (1 - b2) * grad**2
        m_hat = m / (1 - b1**t)                 v_hat = v / (1 - b2**t)        (bias correction)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)

    weight_decay adds weight_decay * p to the gradient first (L2, as torch.optim.Adam).
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        b1, b2 = betas
        if not (0 <= b1 < 1 and 0 <= b2 < 1):
            raise ValueError(f"Adam: betas must be in [0, 1), got {betas}.")
        self.betas = (b1, b2)
        self.eps = eps

    def update(self, param, grad, state):
        b1, b2 = self.betas
        m = state.setdefault("m", np.zeros_like(param))
        v = state.setdefault("v", np.zeros_like(param))
        state["t"] = t = state.get("t", 0) + 1
        m *= b1
        m += (1 - b1) * grad
        v *= b2
        v += (1 - b2) * grad * grad
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self):
        return (f"Adam(lr={self.lr:g}, betas=({self.betas[0]:g}, {self.betas[1]:g}), eps={self.eps:g}, "
                f"weight_decay={self.weight_decay:g})")


# ----------------------------------------------------------------------- learning-rate schedules

def cosine_schedule(lr, epochs, lr_min=0.0, warmup=0.0):
    """lr(progress): a linear warm-up from 0 over `warmup` epochs, then half a cosine from lr down to
    lr_min at `epochs`. progress is in epochs (a float). Returns the function, for fit(lr_schedule=...).

        lr(p) = lr_min + (lr - lr_min) * (1 + cos(pi * (p - warmup) / (epochs - warmup))) / 2
    """
    if not epochs > warmup >= 0:
        raise ValueError(f"cosine_schedule: need epochs > warmup >= 0, got epochs={epochs}, warmup={warmup}.")

    def schedule(progress):
        if progress < warmup:
            return lr * progress / warmup
        done = min((progress - warmup) / (epochs - warmup), 1.0)
        return lr_min + (lr - lr_min) * (1 + math.cos(math.pi * done)) / 2

    return schedule


def step_schedule(lr, step_epochs, gamma=0.1):
    """lr(progress) = lr * gamma ** floor(progress / step_epochs): multiply by gamma every step_epochs."""
    if not step_epochs > 0:
        raise ValueError(f"step_schedule: step_epochs must be > 0, got {step_epochs}.")

    def schedule(progress):
        return lr * gamma ** math.floor(progress / step_epochs)

    return schedule


__all__ = ["Optimizer", "SGD", "Adam", "cosine_schedule", "step_schedule"]

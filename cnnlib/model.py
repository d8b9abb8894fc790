"""Sequential: layers applied one after the other, with summary, fit, predict, evaluate, save / load.

    model = Sequential(Conv2D(1, 8, 3), ReLU(), MaxPool2D(2), Flatten(), Dense(8 * 13 * 13, 10))
    model.summary((1, 28, 28))                        # output shape and parameter count of each layer
    history = model.fit(x, y, optimizer=Adam(1e-3), epochs=2, batch_size=64, validation_data=(xv, yv))
    loss, acc = model.evaluate(x_test, y_test)
    model.save("model.npz"); model.load("model.npz")

Training step (what fit does for every batch):
    logits = model.forward(x_batch)                   # (B, K)
    loss, dlogits = softmax_cross_entropy(logits, y_batch)
    model.backward(dlogits)                           # every layer fills its grads
    optimizer.step(model)                             # the optimizer changes the weights

predict / evaluate run in batches, so a big test set never needs all its activations at once.
"""
import math
import os
import tempfile
import time

import numpy as np

from .layers import Layer, MaxPool2D, ReLU
from .losses import softmax, softmax_cross_entropy
from .progress import make_progress


class Summary(str):
    """The table of Sequential.summary: a str that shows as the table in a notebook cell (not as a
    quoted string). Also holds .rows = [(layer text, output shape, parameter count), ...] and .total."""

    def __new__(cls, text, rows, total):
        obj = super().__new__(cls, text)
        obj.rows, obj.total = rows, total
        return obj

    def __repr__(self):
        return str.__str__(self)


class Sequential:
    """A stack of layers: forward runs them first to last, backward last to first."""

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: argument {i} must be a layer (Conv2D, ReLU, ...), got "
                                f"{type(layer).__name__}. Fix: Sequential(Conv2D(...), ReLU(), ...).")
        self.layers = list(layers)

    # ------------------------------------------------------------------------ forward / backward

    def _relu_then_max_pool(self, i):
        """Are layers i, i+1 a ReLU and a MaxPool2D? Then forward pools first and applies ReLU to the
        pooled numbers (the two commute; 4x fewer numbers for 2x2 windows), and backward runs the
        pair as one pass: the same numbers as layer by layer (tests/test_model.py)."""
        return (i + 1 < len(self.layers) and type(self.layers[i]) is ReLU
                and type(self.layers[i + 1]) is MaxPool2D)

    def forward(self, x):
        """x: (N, ...) -> the last layer's output, e.g. logits (N, K)."""
        i = 0
        while i < len(self.layers):
            if self._relu_then_max_pool(i):
                self.layers[i].x = np.asarray(x)           # what ReLU.backward needs, if called alone
                x = self.layers[i + 1].forward_after_relu(x)
                i += 2
            else:
                x = self.layers[i].forward(x)
                i += 1
        return x

    __call__ = forward

    def backward(self, dout, need_dx=True):
        """dout: dL/d(output). Fills every layer's grads; returns dL/dx.

        need_dx=False: the caller does not want dL/dx (training only needs the weights' gradients),
        so a first layer that can skip it (Conv2D) does, and None is returned.
        """
        i = len(self.layers) - 1
        while i >= 0:
            layer = self.layers[i]
            if i > 0 and self._relu_then_max_pool(i - 1) and layer._pre is not None:
                dout = layer.backward_through_relu(dout)   # MaxPool2D and the ReLU before it
                i -= 2
                continue
            if i == 0 and not need_dx and layer.can_skip_dx:
                dout = layer.backward(dout, need_dx=False)
            else:
                dout = layer.backward(dout)
            i -= 1
        if not need_dx:
            return None
        return dout

    def zero_grad(self):
        for layer in self.layers:
            layer.zero_grad()

    def named_params(self):
        """{'<index>.<Layer>.<name>': array} for every parameter, e.g. '0.Conv2D.w' (the model's own
        arrays, not copies)."""
        return {f"{i}.{type(layer).__name__}.{name}": value
                for i, layer in enumerate(self.layers) for name, value in layer.params.items()}

    def num_params(self):
        return sum(layer.num_params() for layer in self.layers)

    @property
    def dtype(self):
        """The dtype of the parameters (float32 unless the layers were built otherwise)."""
        params = list(self.named_params().values())
        return params[0].dtype if params else np.dtype(np.float32)

    # ---------------------------------------------------------------------------------- summary

    def output_shape(self, input_shape):
        """One sample's output shape for a given one-sample input shape, e.g. (1, 28, 28) -> (10,)."""
        return self.summary(input_shape).rows[-1][1]

    def summary(self, input_shape):
        """Table of every layer's output shape (for one sample, batch axis left out) and parameter
        count, computed from the shapes alone (no data is run). input_shape: e.g. (1, 28, 28).
        Returns a Summary (a str that a notebook displays as the table; print() works too)."""
        shape = tuple(int(s) for s in input_shape)
        rows = [("Input", shape, 0)]
        for i, layer in enumerate(self.layers):
            try:
                shape = layer.output_shape(shape)
            except ValueError as err:
                raise ValueError(f"summary: layer {i}, {layer!r}, cannot take an input of shape {shape} "
                                 f"(one sample): {err}") from err
            rows.append((f"{i}: {layer!r}", shape, layer.num_params()))
        total = sum(count for _, _, count in rows)
        shape_text = [str(tuple(shp)) for _, shp, _ in rows]
        w_name = max(len("Layer"), *(len(name) for name, _, _ in rows))
        w_shape = max(len("Output shape"), *(len(s) for s in shape_text))
        w_count = max(len("Params"), len(f"{total:,}"))
        lines = [f"{'Layer':<{w_name}}  {'Output shape':<{w_shape}}  {'Params':>{w_count}}"]
        lines.append("-" * len(lines[0]))
        for (name, _, count), shp in zip(rows, shape_text):
            lines.append(f"{name:<{w_name}}  {shp:<{w_shape}}  {count:>{w_count},}")
        lines.append("=" * len(lines[0]))
        lines.append(f"Total params: {total:,}")
        return Summary("\n".join(lines), rows, total)

    # ------------------------------------------------------------------- predict / evaluate

    def _check_x(self, x, where):
        x = np.asarray(x)
        if x.ndim < 2:
            raise ValueError(f"{where}: x must be a batch (N, ...), e.g. (N, C, H, W); got shape {x.shape}. "
                             "Fix: for one image use x[None].")
        if len(x) == 0:
            raise ValueError(f"{where}: x holds no samples (shape {x.shape}).")
        if not np.issubdtype(x.dtype, np.floating):
            raise TypeError(f"{where}: x must be floating point, got dtype {x.dtype}. Fix: scale and "
                            "convert, e.g. x.astype(np.float32) / 255 (load_mnist() already gives float32).")
        return x

    def _check_xy(self, x, y, where):
        x = self._check_x(x, where)
        y = np.asarray(y)
        if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"{where}: y must be integer class labels of shape (N,) = ({len(x)},) to match "
                             f"x {x.shape}; got shape {y.shape}, dtype {y.dtype}.")
        return x, y

    def _batch(self, x, index):
        """x[index] as the model's dtype (a copy of just this batch; x itself is never changed)."""
        return np.asarray(x[index], dtype=self.dtype)

    def predict_logits(self, x, batch_size=256):
        """x: (N, ...) -> logits (N, K), the last layer's output, computed batch_size samples at a time."""
        x = self._check_x(x, "predict_logits")
        outs = [self.forward(self._batch(x, slice(i, i + batch_size))) for i in range(0, len(x), batch_size)]
        return np.concatenate(outs)

    def predict_proba(self, x, batch_size=256):
        """x: (N, ...) -> class probabilities (N, K): softmax of the logits."""
        return softmax(self.predict_logits(x, batch_size))

    def predict(self, x, batch_size=256):
        """x: (N, ...) -> predicted class ids (N,), the argmax of the logits (only ids are kept per batch)."""
        x = self._check_x(x, "predict")
        ids = [self.forward(self._batch(x, slice(i, i + batch_size))).argmax(axis=1)
               for i in range(0, len(x), batch_size)]
        return np.concatenate(ids)

    def evaluate(self, x, y, batch_size=256, loss=softmax_cross_entropy):
        """Mean loss and accuracy over the whole set, computed in batches. Returns (loss, accuracy)."""
        x, y = self._check_xy(x, y, "evaluate")
        total_loss, correct = 0.0, 0
        for i in range(0, len(x), batch_size):
            logits = self.forward(self._batch(x, slice(i, i + batch_size)))
            yb = y[i:i + batch_size]
            total_loss += loss(logits, yb)[0] * len(yb)
            correct += int((logits.argmax(axis=1) == yb).sum())
        return total_loss / len(x), correct / len(x)

    # -------------------------------------------------------------------------------------- fit

    def fit(self, x, y, *, optimizer, epochs=1, batch_size=64, loss=softmax_cross_entropy,
            validation_data=None, rng=0, shuffle=True, augment=None, lr_schedule=None,
            on_batch_end=None, on_epoch_end=None, verbose=True, progress="auto"):
        """Train with mini-batch gradient descent; returns the history dict.

        x: (N, ...) float, y: (N,) int labels. optimizer: e.g. SGD(0.1, momentum=0.9) or Adam(1e-3).
        loss(logits, labels) -> (loss, dlogits), default softmax cross-entropy.
        validation_data: (x_val, y_val), evaluated after each epoch.
        rng: int seed or Generator, for the shuffling order and for augment.
        augment(x_batch, rng) -> x_batch: changes a batch (e.g. random shifts); gets a copy.
        lr_schedule(progress) -> lr, progress in epochs (float); sets optimizer.lr before each batch
            (see cnnlib.optim.cosine_schedule).
        on_batch_end(step, history) after every batch (step counts batches from 1 over all epochs);
        on_epoch_end(epoch, history) after every epoch: hooks for live plots.
        verbose: print one line per epoch; progress: 'auto' (also a live bar in Jupyter), 'text', 'widget'.

        history: per epoch 'loss', 'acc' (means over the epoch's batches, taken while the weights were
        changing), 'val_loss', 'val_acc' (empty without validation_data), 'lr', 'time' (seconds);
        per batch 'batch_loss', 'batch_acc'.
        """
        x, y = self._check_xy(x, y, "fit")
        for name, value in (("epochs", epochs), ("batch_size", batch_size)):
            if not isinstance(value, (int, np.integer)) or value < (0 if name == "epochs" else 1):
                raise ValueError(f"fit: {name} must be an int >= {0 if name == 'epochs' else 1}, got {value!r}.")
        if validation_data is not None:
            validation_data = self._check_xy(*validation_data, "fit (validation_data)")
        rng = np.random.default_rng(rng)
        N = len(x)
        steps = math.ceil(N / batch_size)
        history = {key: [] for key in ("loss", "acc", "val_loss", "val_acc", "lr", "time",
                                       "batch_loss", "batch_acc")}
        reporter = make_progress(progress) if verbose else None
        try:
            for epoch in range(epochs):
                start = time.perf_counter()
                order = rng.permutation(N) if shuffle else np.arange(N)
                total_loss, correct = 0.0, 0
                if reporter:
                    reporter.start_epoch(epoch, epochs, steps)
                for step in range(steps):
                    idx = order[step * batch_size:(step + 1) * batch_size]
                    xb, yb = self._batch(x, idx), y[idx]
                    if augment is not None:
                        xb = augment(xb, rng)
                    if lr_schedule is not None:
                        optimizer.lr = lr_schedule(epoch + step / steps)
                    logits = self.forward(xb)                      # (B, K)
                    batch_loss, dlogits = loss(logits, yb)
                    self.backward(dlogits, need_dx=False)
                    optimizer.step(self)
                    batch_correct = int((logits.argmax(axis=1) == yb).sum())
                    total_loss += batch_loss * len(yb)
                    correct += batch_correct
                    history["batch_loss"].append(batch_loss)
                    history["batch_acc"].append(batch_correct / len(yb))
                    seen = min((step + 1) * batch_size, N)
                    if reporter:
                        reporter.update(step + 1, total_loss / seen, correct / seen)
                    if on_batch_end is not None:
                        on_batch_end(epoch * steps + step + 1, history)
                history["loss"].append(total_loss / N)
                history["acc"].append(correct / N)
                if validation_data is not None:
                    val_loss, val_acc = self.evaluate(*validation_data, batch_size=max(batch_size, 256),
                                                      loss=loss)
                    history["val_loss"].append(val_loss)
                    history["val_acc"].append(val_acc)
                history["lr"].append(optimizer.lr)
                history["time"].append(time.perf_counter() - start)
                if reporter:
                    reporter.end_epoch(epoch, epochs, history)
                if on_epoch_end is not None:
                    on_epoch_end(epoch, history)
        finally:
            if reporter:
                reporter.close()
        return history

    # ---------------------------------------------------------------------------- save / load

    def save(self, path):
        """Write every parameter to an .npz file (keys as in named_params). Written to a temporary
        file first and then renamed, so an interrupted save never leaves a half-written file."""
        path = os.fspath(path)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **self.named_params())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise

    def load(self, path):
        """Copy the parameters saved by save() into this model (in place). The file must hold exactly
        this model's parameter names and shapes; otherwise nothing is changed and a ValueError says
        what differs. Returns the model."""
        own = self.named_params()
        with np.load(path) as data:
            stored = {key: data[key] for key in data.files}
        missing, extra = sorted(set(own) - set(stored)), sorted(set(stored) - set(own))
        if missing or extra:
            raise ValueError(f"load: {os.fspath(path)} does not match this model's layers. Missing in "
                             f"the file: {missing}; in the file but not in the model: {extra}. Fix: "
                             f"build the same layers as the saved model, then load.\nThis model: {self!r}")
        wrong = [f"{key}: file {stored[key].shape}, model {own[key].shape}"
                 for key in own if stored[key].shape != own[key].shape]
        if wrong:
            raise ValueError(f"load: {os.fspath(path)} has parameters of other shapes than this model: "
                             + "; ".join(wrong) + ". Fix: build the layers with the saved sizes.")
        for key, value in own.items():
            value[...] = stored[key]
        return self

    def __repr__(self):
        lines = [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)" if lines else "Sequential()"


__all__ = ["Sequential", "Summary"]

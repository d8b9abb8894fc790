"""Sequential (cnnlib/model.py): end-to-end gradient check, summary, predict / evaluate in batches,
fit on a small separable problem, history and hooks, save / load, progress report."""
import os

import numpy as np
import pytest

from cnnlib.gradcheck import numerical_gradient, rel_error
from cnnlib.layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.losses import softmax_cross_entropy
from cnnlib.model import Sequential, Summary
from cnnlib.optim import SGD, Adam, cosine_schedule
from cnnlib.progress import TextProgress, WidgetProgress, in_jupyter_kernel, make_progress


def tiny_net(dtype=np.float64, rng=0):
    return Sequential(Conv2D(1, 2, 3, padding=1, rng=rng, dtype=dtype), ReLU(), MaxPool2D(2),
                      Conv2D(2, 3, 2, stride=2, bias="untied", input_hw=(4, 4), rng=rng + 1, dtype=dtype),
                      ReLU(), AvgPool2D(2, 1), Flatten(), Dense(3, 4, rng=rng + 2, dtype=dtype))


def test_sequential_end_to_end_gradcheck():
    model = tiny_net()
    rng = np.random.default_rng(0)
    for value in model.named_params().values():       # non-zero biases too
        value[...] = rng.normal(size=value.shape)
    x, y = rng.normal(size=(3, 1, 8, 8)), np.array([0, 3, 1])

    def loss_of(x_):
        return softmax_cross_entropy(model.forward(x_), y)[0]

    _, dlogits = softmax_cross_entropy(model.forward(x), y)
    dx = model.backward(dlogits)
    assert rel_error(dx, numerical_gradient(loss_of, x)) < 1e-6
    for layer in model.layers:
        for name, param in layer.params.items():
            analytic = layer.grads[name].copy()
            saved = param.copy()

            def f(value):
                param[...] = value
                return loss_of(x)

            numeric = numerical_gradient(f, param)
            param[...] = saved
            assert rel_error(analytic, numeric) < 1e-6, (layer, name)


def test_summary_text_and_counts():
    model = Sequential(Conv2D(1, 6, 5), ReLU(), MaxPool2D(2), Conv2D(6, 16, 5, bias="untied", input_hw=(12, 12)),
                       ReLU(), AvgPool2D(2), Flatten(), Dense(256, 10))
    table = model.summary((1, 28, 28))
    # counts computed independently: conv = F*C*K*K + bias, dense = in*out + out
    conv1 = 6 * 1 * 5 * 5 + 6
    conv2 = 16 * 6 * 5 * 5 + 16 * 8 * 8                  # untied bias: one per output position
    dense = 16 * 4 * 4 * 10 + 10
    assert table.total == conv1 + conv2 + dense == model.num_params() == 6_150
    assert [count for _, _, count in table.rows] == [0, conv1, 0, 0, conv2, 0, 0, 0, dense]
    assert table.rows[-1][1] == (10,) == model.output_shape((1, 28, 28))
    expected = """\
Layer                                                              Output shape  Params
---------------------------------------------------------------------------------------
Input                                                              (1, 28, 28)        0
0: Conv2D(1, 6, kernel_size=5)                                     (6, 24, 24)      156
1: ReLU()                                                          (6, 24, 24)        0
2: MaxPool2D(2)                                                    (6, 12, 12)        0
3: Conv2D(6, 16, kernel_size=5, bias='untied', input_hw=(12, 12))  (16, 8, 8)     3,424
4: ReLU()                                                          (16, 8, 8)         0
5: AvgPool2D(2)                                                    (16, 4, 4)         0
6: Flatten()                                                       (256,)             0
7: Dense(256, 10)                                                  (10,)          2,570
=======================================================================================
Total params: 6,150"""
    assert str(table) == expected
    assert isinstance(table, Summary) and repr(table) == str(table)   # a notebook shows the table


def test_summary_reports_the_failing_layer():
    model = Sequential(Conv2D(1, 4, 3), Flatten(), Dense(100, 2))
    with pytest.raises(ValueError, match=r"layer 2, Dense\(100, 2\)"):
        model.summary((1, 8, 8))
    with pytest.raises(ValueError, match="layer 0"):
        model.summary((3, 8, 8))


def bars(n, rng, size=8, noise=0.3):
    """Class 0: a vertical bar, class 1: a horizontal bar, at a random place, plus noise."""
    x = rng.normal(0, noise, size=(n, 1, size, size)).astype(np.float32)
    y = rng.integers(0, 2, size=n)
    where = rng.integers(1, size - 1, size=n)
    for i in range(n):
        if y[i] == 0:
            x[i, 0, :, where[i]] += 1
        else:
            x[i, 0, where[i], :] += 1
    return x, y


def small_cnn(rng=0):
    return Sequential(Conv2D(1, 4, 3, rng=rng), ReLU(), MaxPool2D(2), Flatten(), Dense(4 * 3 * 3, 2, rng=rng + 1))


def test_fit_learns_a_separable_problem(capsys):
    rng = np.random.default_rng(0)
    x, y = bars(300, rng)
    xv, yv = bars(200, rng)
    x_before = x.copy()
    model = small_cnn()
    loss0, acc0 = model.evaluate(xv, yv)
    batch_calls, epoch_calls = [], []
    history = model.fit(x, y, optimizer=Adam(2e-2), epochs=10, batch_size=32, validation_data=(xv, yv),
                        on_batch_end=lambda step, h: batch_calls.append((step, len(h["batch_loss"]))),
                        on_epoch_end=lambda epoch, h: epoch_calls.append((epoch, len(h["loss"]))),
                        progress="text")
    loss1, acc1 = model.evaluate(xv, yv)
    assert acc1 >= 0.97 and acc0 < 0.8 and loss1 < loss0 / 4
    assert set(history) == {"loss", "acc", "val_loss", "val_acc", "lr", "time", "batch_loss", "batch_acc"}
    assert all(len(history[k]) == 10 for k in ("loss", "acc", "val_loss", "val_acc", "lr", "time"))
    assert len(history["batch_loss"]) == len(history["batch_acc"]) == 10 * 10     # ceil(300 / 32) = 10
    assert history["val_acc"][-1] == acc1 and history["val_loss"][-1] == pytest.approx(loss1)
    assert history["loss"][-1] < history["loss"][0]
    assert batch_calls == [(s, s) for s in range(1, 101)]
    assert epoch_calls == [(e, e + 1) for e in range(10)]
    np.testing.assert_array_equal(x, x_before)                # the caller's data is not changed
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 10 and out[0].startswith("epoch 1/10  loss ") and "val_acc" in out[0]


def test_fit_is_reproducible_and_uses_schedule_and_augment():
    rng = np.random.default_rng(1)
    x, y = bars(64, rng)
    seen = []

    def augment(xb, aug_rng):
        seen.append((xb.shape, xb.dtype, isinstance(aug_rng, np.random.Generator)))
        return xb[..., ::-1]                                    # mirror left-right

    runs = []
    for _ in range(2):
        model = small_cnn()
        opt = SGD(0.1, momentum=0.9)
        h = model.fit(x, y, optimizer=opt, epochs=2, batch_size=16, rng=5, augment=augment,
                      lr_schedule=cosine_schedule(0.1, 2), verbose=False)
        runs.append((h["batch_loss"], model.predict_logits(x)))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert seen[0] == ((16, 1, 8, 8), np.float32, True) and len(seen) == 2 * 2 * 4
    # the last batch ran at progress 1 + 3/4 epochs
    assert h["lr"][-1] == pytest.approx(cosine_schedule(0.1, 2)(1.75)) == opt.lr


def test_fit_verbose_false_prints_nothing(capsys):
    x, y = bars(20, np.random.default_rng(2))
    small_cnn().fit(x, y, optimizer=SGD(0.1), epochs=1, batch_size=8, verbose=False)
    assert capsys.readouterr().out == ""
    assert not in_jupyter_kernel()
    with pytest.raises(ValueError, match="progress"):
        make_progress("bar")


def test_predict_evaluate_in_batches():
    rng = np.random.default_rng(3)
    x, y = bars(50, rng)
    model = small_cnn()
    logits = model.forward(x)
    for batch_size in (1, 7, 50, 64):
        np.testing.assert_allclose(model.predict_logits(x, batch_size), logits, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(model.predict(x, batch_size), logits.argmax(axis=1))
    proba = model.predict_proba(x, batch_size=16)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    loss, acc = model.evaluate(x, y, batch_size=7)
    full_loss, _ = softmax_cross_entropy(logits, y)
    assert loss == pytest.approx(full_loss, rel=1e-5)
    assert acc == np.mean(logits.argmax(axis=1) == y)
    # float64 data is run in the model's dtype (float32), batch by batch
    assert model.predict_logits(x.astype(np.float64)).dtype == np.float32


def test_bad_data_raises_clear_errors():
    model = small_cnn()
    x, y = bars(10, np.random.default_rng(4))
    with pytest.raises(TypeError, match="floating point"):
        model.predict((x * 255).astype(np.uint8))
    with pytest.raises(ValueError, match=r"shape \(N,\) = \(10,\)"):
        model.evaluate(x, y[:5])
    with pytest.raises(ValueError, match="labels"):
        model.fit(x, y.astype(np.float32), optimizer=SGD(0.1), verbose=False)
    with pytest.raises(ValueError, match=r"x\[None\]"):
        model.predict(x[0, 0, 0])
    with pytest.raises(TypeError, match="must be a layer"):
        Sequential(Conv2D(1, 2, 3), "relu")


def test_save_load_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    x, y = bars(30, rng)
    model = small_cnn(rng=0)
    model.fit(x, y, optimizer=Adam(1e-2), epochs=1, batch_size=10, verbose=False)
    path = tmp_path / "model.npz"
    model.save(path)
    assert os.listdir(tmp_path) == ["model.npz"]              # no temporary file left behind
    other = small_cnn(rng=7)
    assert not np.array_equal(other.predict_logits(x), model.predict_logits(x))
    assert other.load(path) is other
    np.testing.assert_array_equal(other.predict_logits(x), model.predict_logits(x))
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
    with np.load(path) as data:
        assert sorted(data.files) == ["0.Conv2D.b", "0.Conv2D.w", "4.Dense.b", "4.Dense.w"]
    model.save(str(path))                                     # overwrite, str path
    assert os.listdir(tmp_path) == ["model.npz"]


def test_load_mismatch_errors_and_changes_nothing(tmp_path):
    path = tmp_path / "m.npz"
    small_cnn().save(path)
    wider = Sequential(Conv2D(1, 5, 3), ReLU(), MaxPool2D(2), Flatten(), Dense(5 * 3 * 3, 2))
    before = {k: v.copy() for k, v in wider.named_params().items()}
    with pytest.raises(ValueError, match=r"0\.Conv2D\.w: file \(4, 1, 3, 3\), model \(5, 1, 3, 3\)"):
        wider.load(path)
    for k, v in wider.named_params().items():
        np.testing.assert_array_equal(v, before[k])
    deeper = Sequential(Conv2D(1, 4, 3), ReLU(), Conv2D(4, 4, 1), MaxPool2D(2), Flatten(), Dense(36, 2))
    with pytest.raises(ValueError, match=r"Missing in the file: \['2\.Conv2D\.b'"):
        deeper.load(path)


def test_repr():
    assert repr(small_cnn()) == ("Sequential(\n  (0): Conv2D(1, 4, kernel_size=3)\n  (1): ReLU()\n"
                                 "  (2): MaxPool2D(2)\n  (3): Flatten()\n  (4): Dense(36, 2)\n)")
    assert repr(Sequential()) == "Sequential()"


def test_widget_progress_bar_updates(capsys):
    bar = WidgetProgress()
    bar.start_epoch(1, 3, 10)
    assert bar.bar.max == 10 and bar.label.value == "epoch 2/3"
    bar.update(10, 0.25, 0.875)
    assert bar.bar.value == 10 and bar.label.value == "epoch 2/3  batch 10/10  loss 0.2500  acc 0.8750"
    bar.end_epoch(1, 3, {"loss": [0.25], "acc": [0.875], "val_loss": [], "val_acc": [], "time": [1.25]})
    bar.close()
    assert capsys.readouterr().out.splitlines()[-1] == "epoch 2/3  loss 0.2500  acc 0.8750  (1.2 s)"


def test_fit_shuffles_each_epoch_with_its_rng():
    x, y = bars(24, np.random.default_rng(6))

    def batches_seen(shuffle, rng):
        seen = []
        small_cnn().fit(x, y, optimizer=SGD(0.01), epochs=2, batch_size=5, shuffle=shuffle, rng=rng,
                        augment=lambda xb, _: seen.append(xb.copy()) or xb, verbose=False)
        return np.concatenate(seen[:5]), np.concatenate(seen[5:])   # ceil(24 / 5) = 5 batches per epoch

    first, second = batches_seen(False, 0)
    np.testing.assert_array_equal(first, x)
    np.testing.assert_array_equal(second, x)
    first, second = batches_seen(True, 0)
    order = np.argsort(x.reshape(24, -1)[:, 0])
    for epoch in (first, second):   # every sample once per epoch, in a new order
        assert not np.array_equal(epoch, x)
        np.testing.assert_array_equal(epoch[np.argsort(epoch.reshape(24, -1)[:, 0])], x[order])
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(batches_seen(True, 0)[0], first)     # same seed, same order
    assert not np.array_equal(batches_seen(True, 1)[0], first)


def test_terminal_status_line(capsys):
    text = TextProgress()
    text.live, text.last_draw = True, -10.0        # as in a terminal, and due for a redraw
    text.start_epoch(0, 2, 5)
    text.update(2, 0.5, 0.75)
    text.update(3, 0.4, 0.75)                      # within a second of the last draw: not shown
    text.end_epoch(0, 2, {"loss": [0.5], "acc": [0.75], "val_loss": [], "val_acc": [], "time": [3.0]})
    status = "epoch 1/2  batch 2/5  loss 0.5000  acc 0.7500"
    line = "epoch 1/2  loss 0.5000  acc 0.7500  (3.0 s)"
    assert capsys.readouterr().out == "\r" + status + "\r" + line.ljust(len(status)) + "\n"


def test_fit_argument_errors():
    x, y = bars(8, np.random.default_rng(7))
    with pytest.raises(ValueError, match="batch_size must be an int >= 1"):
        small_cnn().fit(x, y, optimizer=SGD(0.1), batch_size=0)
    with pytest.raises(ValueError, match="no samples"):
        small_cnn().fit(x[:0], y[:0], optimizer=SGD(0.1))
    with pytest.raises(TypeError, match="optimizer"):
        small_cnn().fit(x, y, epochs=1)


@pytest.mark.parametrize("first", ["conv", "dense"])
def test_backward_need_dx_false_gives_the_same_grads(first):
    rng = np.random.default_rng(5)
    if first == "conv":
        model, x = tiny_net(), rng.normal(size=(3, 1, 8, 8))
    else:
        model, x = Sequential(Dense(6, 5, dtype=np.float64), ReLU(), Dense(5, 4, dtype=np.float64)), \
            rng.normal(size=(3, 6))
    y = np.array([0, 3, 1])
    _, dlogits = softmax_cross_entropy(model.forward(x), y)
    dx = model.backward(dlogits)
    assert dx.shape == x.shape
    grads = {(i, k): v.copy() for i, layer in enumerate(model.layers) for k, v in layer.grads.items()}
    assert model.backward(dlogits, need_dx=False) is None
    for (i, k), value in grads.items():
        np.testing.assert_array_equal(model.layers[i].grads[k], value)


def test_relu_then_max_pool_runs_fused_with_the_same_numbers():
    """Sequential runs ReLU -> MaxPool2D as one step (pool first, ReLU on the pooled numbers); forward,
    dx and every grad equal the layer-by-layer run exactly, and the layers' own backward still works
    after a fused forward (MaxPool2D.x is made on demand)."""

    def build():
        return Sequential(Conv2D(1, 4, 3, rng=0, dtype=np.float64), ReLU(), MaxPool2D(2),
                          Conv2D(4, 3, 3, rng=1, dtype=np.float64), ReLU(), MaxPool2D(3, stride=1),
                          ReLU(), AvgPool2D(1), Flatten(), Dense(3, 5, rng=2, dtype=np.float64))

    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 1, 12, 12))
    fused, plain = build(), build()
    out = fused.forward(x)
    h, inputs = x, []
    for layer in plain.layers:                         # one layer at a time: no fusion
        inputs.append(h)
        h = layer.forward(h)
    np.testing.assert_array_equal(out, h)
    np.testing.assert_array_equal(fused.layers[2].x, inputs[2])          # relu(x), made when asked for
    dout = rng.normal(size=out.shape)
    dx = fused.backward(dout)
    d = dout
    for layer in reversed(plain.layers):
        d = layer.backward(d)
    np.testing.assert_array_equal(dx, d)
    for a, b in zip(fused.layers, plain.layers):
        for name in a.grads:
            np.testing.assert_array_equal(a.grads[name], b.grads[name])
    fused.forward(x)                                   # the pool's and ReLU's own backward, after fusion
    plain.forward(x)
    g = rng.normal(size=plain.layers[2].out.shape)
    np.testing.assert_array_equal(fused.layers[1].backward(fused.layers[2].backward(g)),
                                  plain.layers[1].backward(plain.layers[2].backward(g)))

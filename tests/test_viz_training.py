"""Chapter 10 numbers and drawings: confusion matrix, per-class accuracy, mistakes, distort, feature
maps, the history plot, and the widgets built on them (matplotlib's Agg backend, no browser)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU  # noqa: E402
from cnnlib import metrics  # noqa: E402
from cnnlib.model import Sequential  # noqa: E402
from cnnlib.optim import Adam  # noqa: E402
from cnnlib.viz import training as vt  # noqa: E402
from cnnlib.widgets import training as wt  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def small_model():
    return Sequential(Conv2D(1, 4, 3, rng=1), ReLU(), MaxPool2D(2), Conv2D(4, 6, 3, rng=2), ReLU(),
                      MaxPool2D(2), Flatten(), Dense(6 * 2 * 2, 10, rng=3))


# ------------------------------------------------------------------------------------- numbers

def test_confusion_matrix_matches_a_loop():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    want = np.zeros((10, 10), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        want[t, p] += 1
    cm = metrics.confusion_matrix(y_true, y_pred)
    assert cm.dtype == np.int64 and np.array_equal(cm, want)
    assert cm.sum() == 500 and cm.trace() == int((y_true == y_pred).sum())


def test_confusion_matrix_rejects_bad_input():
    with pytest.raises(ValueError, match="same length"):
        metrics.confusion_matrix(np.arange(3), np.arange(4))
    with pytest.raises(ValueError, match="outside 0..9"):
        metrics.confusion_matrix(np.array([0, 10]), np.array([0, 1]))
    with pytest.raises(ValueError, match="integer class ids"):
        metrics.confusion_matrix(np.array([0.0, 1.0]), np.array([0, 1]))


def test_per_class_accuracy_is_diagonal_over_row_sums():
    cm = np.array([[8, 2, 0], [1, 3, 0], [0, 0, 0]])
    acc = metrics.per_class_accuracy(cm)
    assert np.allclose(acc[:2], [0.8, 0.75]) and np.isnan(acc[2])  # a class with no samples: nan
    cm2 = np.array([[5, 0], [5, 0]])  # column sums would give 0.5 / nan: rows are what counts
    assert np.allclose(metrics.per_class_accuracy(cm2), [1.0, 0.0])
    with pytest.raises(ValueError, match="square"):
        metrics.per_class_accuracy(np.ones((2, 3)))


def test_confident_mistakes_orders_wrong_predictions_by_confidence():
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.05, 0.95], [0.7, 0.3]])
    y = np.array([0, 0, 0, 0, 1])  # wrong: 1 (0.8), 2 (0.6), 3 (0.95), 4 (0.7)
    assert list(metrics.confident_mistakes(proba, y, k=3)) == [3, 1, 4]
    assert list(metrics.confident_mistakes(proba, y, k=10)) == [3, 1, 4, 2]
    assert len(metrics.confident_mistakes(proba, proba.argmax(1), k=5)) == 0


def test_distort_identity_shift_rotation_and_no_mutation():
    rng = np.random.default_rng(1)
    img = rng.random((9, 9)).astype(np.float32)
    before = img.copy()
    assert np.allclose(vt.distort(img), img)
    shifted = vt.distort(img, dx=2, dy=1)  # whole pixels: an exact copy moved right 2, down 1
    assert np.allclose(shifted[1:, 2:], img[:-1, :-2]) and np.all(shifted[0] == 0) and np.all(shifted[:, :2] == 0)
    assert np.allclose(vt.distort(img, angle=90), np.rot90(img), atol=1e-5)  # counter-clockwise
    noisy = vt.distort(img, noise=0.5, seed=3)
    assert noisy.min() >= 0 and noisy.max() <= 1 and not np.allclose(noisy, img)
    assert np.array_equal(vt.distort(img, noise=0.5, seed=3), noisy)  # seeded
    assert np.array_equal(img, before)
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        vt.distort(img[None])


def test_tile_maps_places_each_channel():
    maps = np.arange(5 * 2 * 3, dtype=np.float32).reshape(5, 2, 3)
    mosaic = vt.tile_maps(maps, columns=2)  # 3 rows of 2 tiles, 1-pixel gaps
    assert mosaic.shape == (3 * 3 - 1, 2 * 4 - 1)
    assert np.array_equal(mosaic[0:2, 0:3], maps[0]) and np.array_equal(mosaic[0:2, 4:7], maps[1])
    assert np.array_equal(mosaic[6:8, 0:3], maps[4])
    assert np.isnan(mosaic[2]).all() and np.isnan(mosaic[6:8, 4:7]).all()  # gap row, unused tile
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        vt.tile_maps(maps[0])


def test_layer_outputs_and_feature_map_layers():
    model = small_model()
    x = np.random.default_rng(0).random((3, 1, 14, 14)).astype(np.float32)
    outs = vt.layer_outputs(model, x)
    assert [i for i, _, _ in outs] == list(range(8))
    assert outs[0][2].shape == (3, 4, 12, 12) and outs[-1][2].shape == (3, 10)
    assert np.allclose(outs[-1][2], model.forward(x))
    assert vt.feature_map_layers(model) == [1, 4]  # the ReLUs after the two convs
    assert vt.feature_map_layers(Sequential(Conv2D(1, 2, 3), Flatten())) == [0]


# ------------------------------------------------------------------------------------- drawing

def test_draw_filters_uses_one_symmetric_scale_and_hides_extra_axes():
    w = np.random.default_rng(0).standard_normal((5, 1, 3, 3))
    fig, axes = plt.subplots(2, 3)
    images = vt.draw_filters(axes, w)
    assert len(images) == 5 and not axes[1, 2].axison
    limit = np.abs(w).max()
    assert all(np.allclose(im.get_clim(), (-limit, limit)) for im in images)
    with pytest.raises(ValueError, match="at least 5 axes"):
        vt.draw_filters(axes.ravel()[:4], w)


def test_draw_confusion_and_per_class():
    cm = np.diag([50, 40, 30]) + np.array([[0, 2, 0], [1, 0, 0], [0, 0, 0]])
    fig, (ax1, ax2) = plt.subplots(1, 2)
    image, texts = vt.draw_confusion(ax1, cm)
    assert [t.get_text() for t in texts[:3]] == ["50", "2", ""]  # counts, not their logs; 0 left blank
    assert "120 of 123" in ax1.get_title()
    bars = vt.draw_per_class(ax2, metrics.per_class_accuracy(cm))
    assert np.allclose([b.get_width() for b in bars], 100 * np.array([50 / 52, 40 / 41, 1.0]))


def test_draw_digits_and_probabilities():
    fig, axes = plt.subplots(1, 4)
    drawn = vt.draw_digits(axes, np.zeros((3, 1, 8, 8)), ["a", "b", "c"])
    assert len(drawn) == 3 and axes[1].get_title() == "b" and not axes[3].axison
    fig, ax = plt.subplots()
    bars = vt.draw_probabilities(ax, np.array([0.1, 0.7, 0.2]), true_class=2)
    assert bars[1].get_facecolor() != bars[0].get_facecolor() and bars[2].get_linewidth() == 1.5


def test_draw_history_from_a_real_fit_and_update():
    model = small_model()
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 1, 14, 14)).astype(np.float32), rng.integers(0, 10, 40)
    history = model.fit(x, y, optimizer=Adam(1e-3), epochs=2, batch_size=10, validation_data=(x, y),
                        verbose=False)
    fig, axes = plt.subplots(1, 2)
    drawn = vt.draw_history(axes, history)
    xs, ys = drawn["loss"].get_data()
    assert len(xs) == 8 and np.isclose(xs[-1], 2.0) and np.allclose(ys, history["batch_loss"])
    assert np.allclose(drawn["val_acc"].get_data()[1], 100 * np.array(history["val_acc"]))
    assert np.allclose(drawn["loss_smooth"].get_data()[1][:2],
                       [history["batch_loss"][0], np.mean(history["batch_loss"][:2])])
    partial = {key: value[:1] if key in ("loss", "acc", "val_loss", "val_acc") else value[:5]
               for key, value in history.items()}
    vt.update_history(drawn, partial)  # as a live plot sees it mid-training
    assert len(drawn["loss"].get_data()[0]) == 5


def test_digit_explorer_draw_and_update_in_place():
    model = small_model()
    img = np.random.default_rng(0).random((1, 14, 14)).astype(np.float32)
    fig, axes = vt.digit_explorer_figure(model, (1, 14, 14))
    assert len(axes["maps"]) == 2
    handles = vt.draw_digit_explorer(axes, model, img, true_class=3)
    assert "true 3" in axes["digit"].get_title()
    logits = model.forward(img[None])[0]
    proba = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    assert np.allclose([b.get_height() for b in handles["bars"]], proba, atol=1e-6)
    n_artists = len(fig.axes[2].get_children())
    other = vt.distort(img[0], dx=1, angle=30)
    vt.update_digit_explorer(handles, model, other, true_class=5)
    out1 = vt.layer_outputs(model, other[None, None])[1][2][0]
    assert np.allclose(handles["maps"][0].get_array().filled(np.nan)[:12, :12], out1[0], equal_nan=True)
    assert len(fig.axes[2].get_children()) == n_artists  # updated in place, nothing added
    assert "true 5" in axes["digit"].get_title()


def test_widgets_build_without_a_kernel():
    model = small_model()
    live = wt.LivePlot()
    assert not live.enabled  # no Jupyter kernel here: fit's text lines are the report
    live.on_batch_end(1, {}), live.on_epoch_end(0, {})
    assert live.redraws == 0
    x = np.random.default_rng(0).random((4, 1, 14, 14)).astype(np.float32)
    widget = wt.digit_explorer(model, x, np.array([1, 2, 3, 4]))
    view, picture = widget.children
    names = [child.description for child in view.children[:-1]]
    assert names == ["test digit", "shift x", "shift y", "rotation", "noise"]
    first = picture.alt  # drawn at once, with its words (the live line under the picture)
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n" and "probabilit" in first.lower()
    view.children[0].value = 2  # another digit: a new picture and new words
    assert picture.alt != first

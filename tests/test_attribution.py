"""Chapter 11's library: stored weights, saliency (gradient-checked), occlusion, attacks, preprocessing."""
import shutil

import numpy as np
import pytest

from cnnlib import adversarial, attribution, handwriting, pretrained
from cnnlib.data import load_mnist
from cnnlib.losses import softmax_cross_entropy


@pytest.fixture(scope="module")
def model():
    return pretrained.load_pretrained()


@pytest.fixture(scope="module")
def test_digits():
    _, _, x, y = load_mnist(n_train=1, n_test=200)
    return x, y


# ------------------------------------------------------------------ the stored weights

def test_pretrained_weights_are_accurate(model, test_digits):
    x, y = test_digits
    assert (model.forward(x).argmax(1) == y).mean() >= 0.97
    info = pretrained.provenance()
    assert {"seed", "epochs", "test_accuracy_percent", "cpu", "command"} <= set(info)
    assert info["test_accuracy_percent"] >= 98.5


def test_missing_weights_say_how_to_get_them(tmp_path):
    with pytest.raises(pretrained.WeightsMissing, match="rebuild"):
        pretrained.load_pretrained(tmp_path / "nothing.npz")


def test_truncated_weights_are_refused(tmp_path):
    path = tmp_path / "mnist_cnn.npz"
    data = pretrained.DEFAULT_PATH.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    shutil.copy(pretrained.DEFAULT_PATH.with_suffix(".sha256"), tmp_path / "mnist_cnn.sha256")
    with pytest.raises(pretrained.WeightsCorrupt, match="truncated or altered"):
        pretrained.load_pretrained(path)


def test_weights_for_other_layers_are_refused(tmp_path):
    from cnnlib.layers import Dense, Flatten
    from cnnlib.model import Sequential
    path = tmp_path / "other.npz"
    Sequential(Flatten(), Dense(784, 10)).save(path)
    digest = pretrained.file_sha256(path)
    with pytest.raises(ValueError, match="does not match this model's layers"):
        pretrained.load_pretrained(path, expected=digest)  # right hash, wrong layers


def test_float64_copy_has_the_same_weights(model):
    model64 = pretrained.load_pretrained(dtype=np.float64)
    for (k, a), (_, b) in zip(model.named_params().items(), model64.named_params().items()):
        assert b.dtype == np.float64 and np.array_equal(a.astype(np.float64), b), k


# ------------------------------------------------------------------ saliency

PIXELS = [(0, 14, 14), (0, 10, 15), (0, 20, 12), (0, 7, 7), (0, 16, 18), (0, 12, 9)]


def test_input_gradient_matches_finite_differences(test_digits):
    model64 = pretrained.load_pretrained(dtype=np.float64)
    rng = np.random.default_rng(0)
    for n in range(3):
        # a little noise breaks the exact max-pool ties of the blank background (see gradient_check)
        x = test_digits[0][n:n + 1].astype(np.float64) + rng.uniform(0, 0.01, (1, 1, 28, 28))
        report = attribution.gradient_check(model64, x, int(test_digits[1][n]), PIXELS, h=1e-5)
        assert all(r["agrees"] for r in report), report  # no kink left, and every pixel agrees
        assert max(abs(r["analytic"]) for r in report) > 1e-3  # not all zero


def test_gradient_check_on_clean_digits_agrees_away_from_ties(test_digits):
    model64 = pretrained.load_pretrained(dtype=np.float64)
    checked = 0
    for n in range(3):
        report = attribution.gradient_check(model64, test_digits[0][n:n + 1], int(test_digits[1][n]), PIXELS)
        assert all(r["agrees"] for r in report if not r["kink"]), report
        checked += sum(not r["kink"] for r in report)
    assert checked >= 9


def test_gradient_check_catches_a_wrong_gradient(test_digits, monkeypatch):
    model64 = pretrained.load_pretrained(dtype=np.float64)
    x = test_digits[0][:1].astype(np.float64)
    real = attribution.input_gradient
    monkeypatch.setattr(attribution, "input_gradient", lambda m, x, t: 1.01 * real(m, x, t))
    report = attribution.gradient_check(model64, x, int(test_digits[1][0]), [(0, 10, 15), (0, 20, 12)])
    assert [r["agrees"] for r in report] == [False, False]


def test_input_gradient_is_per_sample_and_leaves_x_alone(model, test_digits):
    x, y = test_digits
    x2 = x[:3].copy()
    both = attribution.input_gradient(model, x2, y[:3])
    assert np.array_equal(x2, x[:3])
    one = attribution.input_gradient(model, x2[1:2], int(y[1]))
    np.testing.assert_allclose(both[1:2], one, rtol=1e-4, atol=1e-6)


def test_input_gradient_rejects_bad_targets(model, test_digits):
    with pytest.raises(ValueError, match="target"):
        attribution.input_gradient(model, test_digits[0][:2], 10)
    with pytest.raises(ValueError, match="target"):
        attribution.input_gradient(model, test_digits[0][:2], np.array([1, 2, 3]))


# ------------------------------------------------------------------ occlusion

def test_occlusion_images_match_a_loop():
    image = np.arange(2 * 6 * 7, dtype=float).reshape(2, 6, 7)
    out = attribution.occlusion_images(image, patch=3, stride=2, fill=-1)
    assert out.shape == (2 * 3, 2, 6, 7)
    k = 0
    for r in range(0, 6 - 3 + 1, 2):
        for c in range(0, 7 - 3 + 1, 2):
            want = image.copy()
            want[:, r:r + 3, c:c + 3] = -1
            assert np.array_equal(out[k], want)
            k += 1
    assert image[0, 0, 0] == 0  # the caller's image is unchanged


def test_occlusion_map_is_the_probability_drop(model, test_digits):
    x, y = test_digits
    heat = attribution.occlusion_map(model, x[0], int(y[0]), patch=8, stride=4)
    assert heat.shape == (6, 6)
    p0 = attribution.predict_proba(model, x[:1])[0, y[0]]
    covered = x[0].copy()
    covered[:, 4:12, 8:16] = 0.5
    p = attribution.predict_proba(model, covered[None])[0, y[0]]
    assert heat[1, 2] == pytest.approx(p0 - p, abs=1e-5)
    with pytest.raises(ValueError, match="patch"):
        attribution.occlusion_images(x[0], patch=30)


# ------------------------------------------------------------------ attacks

def test_fgsm_step_by_hand():
    x = np.array([0.5, 0.5, 0.95, 0.02, 0.3])
    out = adversarial.fgsm_step(x, np.array([3.0, -2.0, 1.0, -1.0, 0.0]), 0.1)
    np.testing.assert_allclose(out, [0.6, 0.4, 1.0, 0.0, 0.3])
    assert x[0] == 0.5
    with pytest.raises(ValueError, match="same shape"):
        adversarial.fgsm_step(x, np.zeros(3), 0.1)


def test_loss_gradient_is_per_sample(model, test_digits):
    x, y = test_digits
    g = adversarial.loss_gradient(model, x[:4], y[:4])
    g1 = adversarial.loss_gradient(model, x[2:3], y[2:3])
    np.testing.assert_allclose(g[2:3], g1, rtol=1e-4, atol=1e-7)


def test_loss_dlogits_keeps_the_true_class_term_of_a_confident_prediction():
    logits = np.array([[30.0, 0.0, -5.0], [1.0, 2.0, 3.0]], dtype=np.float32)
    y = np.array([0, 1])
    d = adversarial.loss_dlogits(logits, y)
    _, naive = softmax_cross_entropy(logits.astype(np.float64), y)
    np.testing.assert_allclose(d, naive * 2, rtol=1e-6, atol=1e-15)            # = p - onehot
    np.testing.assert_allclose(d[0, 1:], np.exp([-30.0, -35.0]) / (1 + np.exp(-30.0) + np.exp(-35.0)), rtol=1e-12)
    np.testing.assert_allclose(d.sum(axis=1), 0, atol=1e-15)
    _, naive32 = softmax_cross_entropy(logits, y)
    assert naive32[0, 0] == 0 and d[0, 0] < 0     # float32 p - 1 loses the term; loss_dlogits keeps it
    with pytest.raises(ValueError, match="labels"):
        adversarial.loss_dlogits(logits, np.array([0, 3]))


def test_attack_outcomes_do_not_come_from_rounding(model, test_digits):
    """What chapter 11 prints from an attack must not depend on rounding (another CPU rounds otherwise).

    Per pixel, FGSM's signs are not a stable quantity: a gradient component at rounding level, or a
    ReLU / max-pool decision on a near tie (float32's error is larger through conv_dft's transforms),
    can differ between float32 and float64 on about 0.07% of pixels. What must agree is the outcome:
    the predictions after the attack, and the smallest flipping eps the notebook prints."""
    x, y = test_digits
    x, y = x[:200], y[:200]
    model64 = pretrained.load_pretrained(dtype=np.float64)
    for eps in (0.05, 0.1):
        p32 = model.forward(adversarial.fgsm(model, x, y, eps)).argmax(1)
        p64 = model64.forward(adversarial.fgsm(model64, x.astype(np.float64), y, eps)).argmax(1)
        assert (p32 != p64).sum() <= 2, f"eps {eps}: {(p32 != p64).sum()} of {len(y)} predictions differ"
    for i in range(3):
        e32, _ = adversarial.smallest_flipping_eps(model, x[i], int(y[i]), tol=0.005)
        e64, _ = adversarial.smallest_flipping_eps(model64, x[i].astype(np.float64), int(y[i]), tol=0.005)
        assert e32 == e64, (i, e32, e64)


def test_attacks_stay_within_eps_and_raise_the_loss(model, test_digits):
    x, y = test_digits
    x, y = x[:50], y[:50]
    base = softmax_cross_entropy(model.forward(x), y)[0]
    for attack in (adversarial.fgsm, adversarial.pgd):
        xa = attack(model, x, y, 0.1)
        assert np.abs(xa - x).max() <= 0.1 + 1e-6 and xa.min() >= 0 and xa.max() <= 1
        assert softmax_cross_entropy(model.forward(xa), y)[0] > base
    acc = adversarial.accuracy_under_attack(model, x, y, [0, 0.2], attack="pgd")
    assert acc[0] == (model.forward(x).argmax(1) == y).mean() and acc[1] < acc[0]
    with pytest.raises(ValueError, match="attack"):
        adversarial.accuracy_under_attack(model, x, y, [0.1], attack="nope")


def test_smallest_flipping_eps_is_tight(model, test_digits):
    x, y = test_digits
    eps, xa = adversarial.smallest_flipping_eps(model, x[0], int(y[0]), tol=1e-3)
    assert eps is not None and model.forward(xa[None]).argmax() != y[0]
    below = adversarial.fgsm(model, x[:1], y[:1], eps - 2e-3)
    assert model.forward(below).argmax() == y[0] or eps - 2e-3 <= 0


# ------------------------------------------------------------------ preprocessing

def test_center_of_mass_by_hand():
    image = np.zeros((4, 4))
    image[0, 0], image[2, 2] = 1.0, 3.0
    assert handwriting.center_of_mass(image) == (1.5, 1.5)


def test_mnist_preprocess_boxes_and_centres():
    drawing = np.zeros((200, 200), np.float32)
    drawing[20:180, 30:60] = 1.0           # a tall bar, off centre
    steps = handwriting.mnist_preprocess(drawing)
    assert steps["bbox"] == (20, 180, 30, 60)
    assert max(steps["scaled"].shape) == 20
    r, c = handwriting.center_of_mass(steps["digit"])
    assert abs(r - 13.5) <= 0.5 and abs(c - 13.5) <= 0.5
    assert drawing.max() == 1.0 and steps["digit"].shape == (28, 28)
    empty = handwriting.mnist_preprocess(np.zeros((50, 50)))
    assert empty["bbox"] is None and not empty["digit"].any()


def test_shift_integer_matches_a_loop():
    a = np.arange(20.0).reshape(4, 5)
    for dr, dc in [(1, 2), (-2, 1), (0, -3)]:
        want = np.zeros_like(a)
        for i in range(4):
            for j in range(5):
                if 0 <= i + dr < 4 and 0 <= j + dc < 5:
                    want[i + dr, j + dc] = a[i, j]
        assert np.array_equal(handwriting.shift_integer(a, dr, dc), want)

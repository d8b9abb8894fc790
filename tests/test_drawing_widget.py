"""Chapter 11's drawing pad and figures, in the kernel (the real browser: tests/test_browser.py)."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib import pretrained  # noqa: E402
from cnnlib.viz import attribution as va  # noqa: E402

ipycanvas = pytest.importorskip("ipycanvas", reason="ipycanvas (requirements.txt) is not installed")
from cnnlib.widgets.drawing import DrawingPad, attack_explorer  # noqa: E402


def one_stroke():
    return [(100, 30 + 7 * k) for k in range(21)]


def zero_stroke():
    t = np.linspace(0, 2 * np.pi, 40)
    return list(zip(100 + 45 * np.sin(t), 100 - 65 * np.cos(t)))


@pytest.fixture(scope="module")
def model():
    return pretrained.load_pretrained()


def test_pad_reads_a_one_and_a_zero_and_clears(model):
    pad = DrawingPad(model)
    assert pad.text.value == "Nothing drawn yet."
    empty_png = pad.image.value
    pad.add_stroke(one_stroke())
    assert pad.probabilities.argmax() == 1 and pad.text.value.startswith("Prediction 1")
    one_png = pad.image.value
    assert one_png != empty_png
    pad.clear()
    assert pad.strokes == [] and pad.text.value == "Nothing drawn yet."
    pad.add_stroke(zero_stroke())
    assert pad.probabilities.argmax() == 0 and pad.image.value != one_png


def test_attack_explorer_builds(model):
    from cnnlib.data import load_mnist
    _, _, x, y = load_mnist(n_train=1, n_test=5)
    w = attack_explorer(model, x, y)
    assert [c.description for c in w.children[:3]] == ["test digit", "eps", "attack"]


def test_every_figure_has_a_text_alternative():
    rng = np.random.default_rng(0)
    img = rng.random((28, 28))
    heat = np.zeros((28, 28))
    heat[3, 25] = 0.4
    fig, alt = va.occlusion_figure(img, heat, "true 7")
    assert "top right" in alt and "40 percentage points" in alt
    fig, alt = va.saliency_figure(img[None], ["true 7\npred 7"], heat[None])
    assert "true 7, pred 7" in alt and "top right" in alt
    fig, alt = va.attack_curve_figure([0, 0.1], {"FGSM": [0.99, 0.5]})
    assert "FGSM: 99% at 0, 50% at 0.1" in alt
    assert va.probability_text(np.eye(10)[3]).startswith("Prediction 3 (100%)")

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
    view, picture = w.children
    assert [c.description for c in view.children[:3]] == ["test digit", "eps", "attack"]
    first, words = picture.value, picture.alt_text
    assert "moved by at most 0.100" in words
    view.children[1].value = 0.2  # eps: the picture and its words follow
    assert picture.value != first and "moved by at most 0.200" in picture.alt_text


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


def test_without_ipycanvas_only_the_pad_fails_and_says_how_to_install_it(model, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "ipycanvas", None)   # `import ipycanvas` now fails
    with pytest.raises(ImportError, match=r"%pip install ipycanvas==0\.14\.3"):
        DrawingPad(model)
    fig, alt = va.attack_curve_figure([0, 0.1], {"FGSM": [0.99, 0.5]})   # the rest still works
    assert "FGSM" in alt


def test_train_mnist_and_notebook_10_use_the_one_build_model():
    import importlib.util
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("train_mnist", root / "benchmarks" / "train_mnist.py")
    train_mnist = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_mnist)
    a, b = train_mnist.build_model(3), pretrained.build_model(3)
    pa, pb = a.named_params(), b.named_params()
    assert list(pa) == list(pb) and all(np.array_equal(pa[k], pb[k]) for k in pa)
    cells = json.loads((root / "notebooks" / "10_training_mnist.ipynb").read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "from cnnlib.pretrained import build_model" in code and "def build_model" not in code

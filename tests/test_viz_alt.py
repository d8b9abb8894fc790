"""Text alternatives (cnnlib/viz/alt.py): every figure's alt text states its data, follows widget
updates, and reaches the notebook as an <img alt> (text/html) through IPython's display formatters."""
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.viz import alt  # noqa: E402
from cnnlib.viz.common import draw_box, draw_image, draw_matrix  # noqa: E402
from cnnlib.viz.correlation import draw_smoothing  # noqa: E402
from cnnlib.viz.fast import draw_timings  # noqa: E402
from cnnlib.viz.forward import draw_filter_sum, filter_sum_figure  # noqa: E402
from cnnlib.viz.pooling import draw_pool_step  # noqa: E402
from cnnlib.viz.sliding import draw_conv_step  # noqa: E402
from cnnlib.viz.training import draw_confusion, draw_history, draw_per_class, draw_probabilities  # noqa: E402
from cnnlib.viz.why import draw_param_counts  # noqa: E402
from cnnlib.widgets.common import Blitter, figure_image, follow_alt  # noqa: E402

X = np.array([[1., 5., 2., 0.],
              [4., 2., 9., 1.],
              [0., 7., 3., 3.],
              [6., 1., 2., 5.]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_matrix_alt_gives_shape_and_the_numbers_row_by_row():
    fig, ax = plt.subplots()
    draw_matrix(ax, X, title="input")
    text = alt.alt_text(fig)
    assert text.startswith("input: 4x4 grid, values 0 to 9")
    assert "row 1: 1, 5, 2, 0; row 2: 4, 2, 9, 1" in text


def test_matrix_without_numbers_lists_its_values():
    fig, ax = plt.subplots()
    draw_matrix(ax, X, show_numbers=False)
    assert "row 1: 1, 5, 2, 0" in alt.alt_text(fig)


def test_large_image_gives_size_range_and_brightest_place():
    img = np.zeros((28, 28))
    img[5, 20] = 1.0
    fig, ax = plt.subplots()
    draw_image(ax, img)
    assert alt.alt_text(fig) == "28x28 grid, values 0 to 1, mean 0.00128, largest at row 6, column 21"
    fig, ax = plt.subplots()
    draw_image(ax, np.zeros((5, 7, 3)))
    assert alt.alt_text(fig) == "5x7 colour image"


def test_box_says_which_cells_are_outlined():
    fig, ax = plt.subplots()
    draw_matrix(ax, X)
    draw_box(ax, 1, 2, 2, 2)
    assert "outlined: rows 2 to 3, columns 3 to 4" in alt.alt_text(fig)


def test_conv_step_alt_follows_the_step_and_states_the_output():
    w = np.array([[1., 0.], [0., -1.]])
    fig, axes = plt.subplots(1, 3)
    steps = draw_conv_step(axes, X, w, stride=2)
    out = F.correlate2d(X, w)[::2, ::2]
    text = alt.alt_text(fig)
    assert "Panel 1:" in text and "Panel 3:" in text and "outlined: rows 1 to 2, columns 1 to 2" in text
    steps.set_step(3)  # the last window: rows 3-4, columns 3-4, every output number now written
    text = alt.alt_text(fig)
    assert "outlined: rows 3 to 4, columns 3 to 4" in text
    assert f"row 1: {alt.values(out[0])}; row 2: {alt.values(out[1])}" in text


def test_pool_step_alt_states_the_pooled_numbers():
    fig, axes = plt.subplots(1, 2)
    steps = draw_pool_step(axes, X, 2, 2, "max", step=3)
    assert steps.out.tolist() == [[5, 9], [7, 5]]
    assert "row 1: 5, 9; row 2: 7, 5" in alt.alt_text(fig)


def test_filter_sum_alt_states_every_channel_and_the_output():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, (2, 4, 4)).astype(float)
    w = rng.integers(-1, 2, (1, 2, 2, 2)).astype(float)
    fig, axes = filter_sum_figure(2)
    draw_filter_sum(axes, x, w, np.array([1.0]), 0)
    text = alt.alt_text(fig)
    y = F.correlate2d(x[0], w[0, 0]) + F.correlate2d(x[1], w[0, 1]) + 1.0
    assert text.count("Panel") >= 7 and f"row 1: {alt.values(y[0])}" in text


def test_bars_give_label_and_value():
    fig, ax = plt.subplots()
    draw_param_counts(ax, {"dense 784 -> 100": 78500, "conv 3x3": 10})
    assert "2 bars: dense 784 -> 100 7.85e+04, conv 3x3 10" in alt.alt_text(fig)
    fig, ax = plt.subplots()
    draw_timings(ax, ["loops", "im2col"], [2.0, 0.01])
    assert "loops 2, im2col 0.01" in alt.alt_text(fig)
    fig, ax = plt.subplots()
    draw_per_class(ax, [0.99, 0.5])
    assert "0 99, 1 50" in alt.alt_text(fig)


def test_history_lines_give_first_and_last_values():
    history = {"batch_loss": [2.0, 1.0, 0.5, 0.25], "batch_acc": [0.1, 0.5, 0.8, 0.9],
               "loss": [1.0, 0.4], "val_loss": [0.9, 0.3], "acc": [0.5, 0.85], "val_acc": [0.7, 0.95]}
    fig, axes = plt.subplots(1, 2)
    draw_history(axes, history, smooth=2)
    text = alt.alt_text(fig)
    assert "line 'test, after each epoch': 2 points, x 1 to 2, y from 0.9 to 0.3" in text
    assert "y from 70 to 95" in text


def test_confusion_and_probabilities_state_the_finding():
    cm = np.array([[50, 0, 1], [0, 40, 0], [7, 2, 30]])
    fig, ax = plt.subplots()
    draw_confusion(ax, cm)
    assert "120 of 130 right (92.3%); most frequent mistake: true 2 predicted as 0, 7 times" in alt.alt_text(fig)
    fig, ax = plt.subplots()
    bars = draw_probabilities(ax, [0.1, 0.7, 0.2], true_class=2)
    assert "predicted class 1 with probability 0.7, true class 2" in alt.alt_text(fig)
    bars[0].set_height(0.9)  # a widget updates the bars in place: the words follow
    assert "predicted class 0 with probability 0.9" in alt.alt_text(fig)


def test_smoothing_lines():
    signal = np.array([0.0, 1.0, 0.0, 1.0])
    fig, ax = plt.subplots()
    draw_smoothing(ax, signal, np.ones(3) / 3)
    assert "line 'noisy samples': 4 points, x 0 to 3, y from 0 to 1" in alt.alt_text(fig)


def test_describe_rejects_other_types():
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="str or a function"):
        alt.describe(ax, 3)


def test_blitter_frames_carry_alt_and_the_widget_image_is_named_by_it():
    fig, ax = plt.subplots()
    image, texts = draw_matrix(ax, X)
    blitter = Blitter(fig, [image, *texts])
    shown = figure_image(fig, blitter.render())
    assert "row 1: 1, 5, 2, 0" in shown.alt_text
    image.set_data(X * 2)  # a widget updates the picture in place
    for text, value in zip(texts, (X * 2).ravel()):
        text.set_text(f"{value:g}")
    shown.value = blitter.render()
    assert "row 1: 2, 10, 4, 0" in shown.alt_text
    assert shown.alt == shown.alt_text  # synced to the browser: the live text line under the picture
    import ipywidgets as widgets
    plain = follow_alt(widgets.Image(format="png"))
    plain.value = blitter.jpeg()
    assert plain.alt_text == alt.alt_text(fig)
    assert plain.tooltip is None   # a tooltip breaks the Image view in JupyterLab (see follow_alt)


def test_notebook_figures_are_img_with_alt_in_the_kernel_and_in_the_html(tmp_path):
    """A real kernel: the inline backend's automatic display, an explicit display(fig) and a figure
    after `%config InlineBackend.figure_formats` are each one text/html <img> with the alt text (no
    image/png copy), nbval's sanitizer leaves the alt text and hides the image bytes, an SVG figure
    format is left alone, and the HTML edition keeps the <img alt>."""
    import importlib.util
    import os
    if importlib.util.find_spec("a11y_pygments") is None:   # accessible-pygments, requirements-a11y.txt
        message = ("the HTML edition needs accessible-pygments "
                   "(.venv/bin/python -m pip install -r requirements-a11y.txt)")
        if os.environ.get("CNNLIB_REQUIRE_A11Y") == "1":
            pytest.fail(f"required (CNNLIB_REQUIRE_A11Y=1) but {message}", pytrace=False)
        pytest.skip(f"HTML part skipped: {message}")
    from tools.html_edition import export_notebook
    cells = ["%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np\n"
             "from cnnlib.viz.common import draw_matrix",
             "fig, ax = plt.subplots()\n_ = draw_matrix(ax, np.array([[1, 2], [3, 4]]))",
             "from IPython.display import display\nfig, ax = plt.subplots()\n"
             "_ = draw_matrix(ax, np.array([[5, 6], [7, 8]]))\ndisplay(fig)\nplt.close(fig)",
             "%config InlineBackend.figure_formats = ['jpeg']",
             "fig, ax = plt.subplots()\n_ = draw_matrix(ax, np.array([[9, 9], [9, 0]]))"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = [o for c in nb.cells for o in c.outputs]
    assert not [o for o in outputs if {"image/png", "image/jpeg"} & set(o.get("data", {}))]  # stored once, in the <img>
    images = [i for o in outputs for i in alt.stored_images(o)]
    assert [i["mime"] for i in images] == ["image/png", "image/png", "image/jpeg"]
    assert all(i["text_px"] and i["data"][:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0") for i in images)
    alts = [i["alt"] for i in images]
    assert "row 1: 1, 2; row 2: 3, 4" in alts[0]
    assert "row 1: 5, 6; row 2: 7, 8" in alts[1]
    assert "row 1: 9, 9; row 2: 9, 0" in alts[2]
    html = "".join(outputs[0]["data"]["text/html"])
    sanitized = html
    for regex, replace in nbval_sanitize_patterns():
        sanitized = re.sub(regex, replace, sanitized)
    assert sanitized == ('<img src="data:image/png;base64,IMAGE" alt="2x2 grid, values 1 to 4; written in it, '
                         'row 1: 1, 2; row 2: 3, 4">')
    svg = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in (
        cells[0], "%config InlineBackend.figure_formats = ['svg']", cells[1])])
    svg.metadata = nb.metadata
    NotebookClient(svg, timeout=120, kernel_name="python3").execute()
    (shown,) = svg.cells[2].outputs
    assert "image/svg+xml" in shown["data"] and "text/html" not in shown["data"]
    page = export_notebook(nb, "Test chapter")
    assert 'alt="2x2 grid, values 1 to 4; written in it, row 1: 1, 2; row 2: 3, 4"' in page
    assert page.count("<img") == 3 and "No description has been provided" not in page


def nbval_sanitize_patterns():
    """(regex, replace) pairs of tests/nbval_sanitize.cfg, parsed by nbval itself."""
    from nbval.plugin import get_sanitize_patterns
    return get_sanitize_patterns((Path(__file__).parent / "nbval_sanitize.cfg").read_text(encoding="utf-8"))


def test_chapter_11_figures_state_their_finding_and_their_panels():
    from cnnlib.viz import attribution as va
    img = np.zeros((28, 28))
    img[4:24, 13:15] = 1.0
    heat = np.zeros((28, 28))
    heat[3, 25] = 0.4
    fig, text = va.occlusion_figure(img, heat, "true 1, pred 1")
    assert text == alt.alt_text(fig)
    assert "lowers the class probability by up to 40 percentage points" in text and "Panel 3:" in text
    fig, text = va.attack_curve_figure([0, 0.1], {"FGSM": [0.99, 0.5]})
    assert "FGSM: 99% at 0, 50% at 0.1" in text and "line 'FGSM': 2 points" in text
    fig, text = va.saliency_figure(img[None], ["true 1\npred 1"], heat[None])
    assert "true 1, pred 1: the gradient is largest in the top right" in text and "Panel 2:" in text


def test_drawing_panel_picture_is_described_by_its_current_probabilities():
    from cnnlib.pretrained import build_model
    from cnnlib.viz import attribution as va
    fig, handles = va.drawing_panel_figure()
    blitter = Blitter(fig, [handles["digit"], handles["saliency"], handles["title"], *handles["bars"]])
    shown = figure_image(fig, blitter.render())
    assert "Nothing drawn yet." in shown.alt_text
    digit = np.zeros((28, 28), np.float32)
    digit[4:24, 13:15] = 1.0
    p, text = va.update_drawing_panel(handles, build_model(0), digit)
    shown.value = blitter.render()
    assert text.startswith(f"Prediction {p.argmax()}") and text in shown.alt_text


def test_values_at_rounding_level_read_as_zero():
    """A probability of 4.49e-12 beside 1 (its digits are floating-point rounding) reads 0 in the alt text."""
    from cnnlib.viz.alt import at_common_scale, axes_text, describe
    assert at_common_scale([4.49e-12, 1.0, 0.0123, -2.8e-7]) == [0.0, 1.0, 0.0123, 0.0]
    assert at_common_scale([3e-5, 7e-5]) == [3e-5, 7e-5]       # small, but the same scale: kept
    fig, ax = plt.subplots()
    ax.bar([0, 1, 2], [4.49e-12, 0.9997, 2.82e-07])
    assert "4.49e-12" in axes_text(ax)                  # bars are read out as they are ...
    describe(ax, "Prediction 1 (100%).", only=True)      # ... unless the words replace them
    assert axes_text(ax) == "Prediction 1 (100%)."
    plt.close(fig)


def test_largest_position_ignores_rounding_level_differences():
    """Two maxima that differ only by rounding: the alt text names the first, whichever is larger."""
    from cnnlib.viz.alt import image_text
    a = np.zeros((20, 20))
    a[3, 4], a[15, 2] = 1.0, 1.0 + 1e-9
    assert "largest at row 4, column 5" in image_text(a)
    a[15, 2] = 1.5  # a real difference still counts
    assert "largest at row 16, column 3" in image_text(a)

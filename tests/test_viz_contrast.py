"""Figures of chapters 01-05: signed outputs on a diverging colormap centred at 0, and every number
written on a coloured cell at a WCAG contrast of at least 4.5:1 against what is right behind it."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from cnnlib.viz.common import (MIN_CONTRAST, cell_colour, contrast_ratio, draw_matrix,  # noqa: E402
                               text_colour)
from cnnlib.viz.pooling import draw_pool_step  # noqa: E402
from cnnlib.viz.sliding import draw_conv_step  # noqa: E402


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("black", "white") == pytest.approx(21.0)
    assert contrast_ratio("white", "white") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "white") == pytest.approx(4.48, abs=0.01)  # the classic 'just fails'


@pytest.mark.parametrize("grey", np.linspace(0, 1, 41))
def test_text_colour_always_reaches_aa(grey):
    for background in [(grey, grey, grey), (grey, 0.2, 0.8), (0.9, grey, 0.1)]:
        assert contrast_ratio(text_colour(background), background) >= MIN_CONTRAST


def number_contrasts(texts, image, values):
    """Contrast of each number against its chip (if any) or its cell colour."""
    ratios = []
    for text, value in zip(texts, np.ravel(values)):
        patch = text.get_bbox_patch()
        behind = patch.get_facecolor() if patch is not None else cell_colour(image, value)
        ratios.append(contrast_ratio(text.get_color(), to_rgb(behind)))
    return ratios


def test_draw_matrix_numbers_are_readable_on_every_colormap():
    fig, axes = plt.subplots(1, 3)
    a = np.arange(-12.0, 12.0).reshape(4, 6)
    for ax, cmap in zip(axes, ["RdBu_r", "Blues", "magma"]):
        image, texts = draw_matrix(ax, a, cmap=cmap)
        assert min(number_contrasts(texts, image, a)) >= MIN_CONTRAST
    plt.close(fig)


def test_conv_output_is_signed_and_readable_and_hatching_stays_off_the_numbers():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 10, size=(6, 7)).astype(float)
    w = np.array([[0., 1., 0.], [1., -4., 1.], [0., 1., 0.]])
    fig, axes = plt.subplots(1, 3)
    steps = draw_conv_step(axes, x, w, 0.0, stride=2, padding=0, step=0)  # stride 2: hatched columns
    lo, hi = steps.out_image.get_clim()
    assert lo == -hi and steps.out.min() < 0 < steps.out.max()
    assert steps.out_image.get_cmap().name == "RdBu_r"
    negative = steps.out.ravel().argmin()
    r, g, b = cell_colour(steps.out_image, steps.out.ravel()[negative])
    assert b > r  # a negative output is blue, not a pale shade of the positive colour
    assert min(number_contrasts(steps.out_texts, steps.out_image, steps.out)) >= MIN_CONTRAST
    assert steps.input["unreached"]  # the orange hatching is there ...
    texts, image = steps.input["texts"], steps.input["image"]
    assert all(t.get_bbox_patch() is not None for t in texts)  # ... and every number sits on a chip
    assert min(number_contrasts(texts, image, steps.x_pad)) >= MIN_CONTRAST
    steps.set_bias(30.0)  # every output positive now: colours and text colours follow
    assert min(number_contrasts(steps.out_texts, steps.out_image, steps.out)) >= MIN_CONTRAST
    plt.close(fig)


def test_pool_input_numbers_sit_on_chips():
    rng = np.random.default_rng(1)
    fig, axes = plt.subplots(1, 2)
    steps = draw_pool_step(axes, rng.integers(0, 10, size=(7, 7)).astype(float), 2, 3, "avg", 0)
    texts = [t for t in axes[0].texts]
    assert steps.unreached and all(t.get_bbox_patch() is not None for t in texts)
    plt.close(fig)


def test_conv_output_without_numbers_gets_a_colour_bar():
    fig, axes = plt.subplots(1, 3)
    steps = draw_conv_step(axes, np.arange(20.0).reshape(4, 5) - 10, np.array([[1., -1.]]), 0.0, 1, 0, 0,
                           show_numbers=False)
    assert steps.out_texts == [] and len(fig.axes) == 4  # the three panels and a colour bar
    plt.close(fig)

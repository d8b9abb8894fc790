"""Chapters 07-08 drawings (cnnlib/viz/backprop.py) and widget machinery (cnnlib/widgets/backprop.py)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib.viz.backprop import conv_links_figure, draw_conv_links, update_conv_links  # noqa: E402
from cnnlib.widgets.backprop import conv_links_cells, conv_links_frames, conv_links_widget  # noqa: E402


def highlighted(drawn, panel):
    """(row, col) -> mask value (0 none, 1 linked, 2 chosen) of one panel (0 X, 1 K, 2 Y)."""
    return np.asarray(drawn["images"][panel].get_array())


@pytest.fixture
def links():
    fig, axes = conv_links_figure((3, 3), (2, 2))
    yield draw_conv_links(axes[0], (3, 3), (2, 2), ("y", 0, 1))
    plt.close(fig)


def test_output_cell_shows_its_window_and_every_weight(links):
    x_mask = highlighted(links, 0)
    np.testing.assert_array_equal(x_mask, [[0, 1, 1], [0, 1, 1], [0, 0, 0]])   # window of y12
    np.testing.assert_array_equal(highlighted(links, 1), np.ones((2, 2)))
    np.testing.assert_array_equal(highlighted(links, 2), [[0, 2], [0, 0]])
    assert links["caption"].get_text() == "y₁₂ = b + x₁₂k₁₁ + x₁₃k₁₂ + x₂₂k₂₁ + x₂₃k₂₂   (4 terms)"
    assert [t.get_text() for t in links["texts"][0]][1] == "x₁₂\n·k₁₁"


@pytest.mark.parametrize("cell, n_terms", [((0, 0), 1), ((0, 1), 2), ((1, 1), 4), ((2, 2), 1),
                                           ((2, 1), 2)])
def test_input_cell_lists_the_terms_of_its_gradient(links, cell, n_terms):
    update_conv_links(links, ("x",) + cell)
    y_mask = highlighted(links, 2)
    assert (y_mask == 1).sum() == n_terms
    assert f"({n_terms} term" in links["caption"].get_text()
    assert highlighted(links, 0)[cell] == 2 and (highlighted(links, 0) > 0).sum() == 1


def test_the_flip_is_visible_for_the_centre(links):
    update_conv_links(links, ("x", 1, 1))
    labels = [t.get_text() for t in links["texts"][2]]      # y11 y12 y21 y22, row-major
    assert [s.split("·")[1] for s in labels] == ["k₂₂", "k₂₁", "k₁₂", "k₁₁"]


def test_bad_cells_are_explained(links):
    with pytest.raises(ValueError, match="outside the 2x2 output"):
        update_conv_links(links, ("y", 2, 0))
    with pytest.raises(ValueError, match="outside the 3x3 input"):
        update_conv_links(links, ("x", 0, 3))
    with pytest.raises(ValueError, match="must be"):
        update_conv_links(links, ("k", 0, 0))


def test_frames_and_widget():
    cells = conv_links_cells((3, 3), (2, 2))
    assert len(cells) == 4 + 9
    step = conv_links_frames((3, 3), (2, 2))
    first, other = step(cells[0][1]), step(("x", 1, 1))
    assert first[:4] == b"\x89PNG" and first != other and step(cells[0][1]) == first
    w = conv_links_widget((4, 4), (3, 3))
    dropdown = w.children[0]
    assert len(dropdown.options) == 4 + 16
    dropdown.value = ("x", 3, 3)

"""Chapter 04 drawing and widget: a filter on a colour image (cnnlib/viz/channels.py, cnnlib/widgets/channels.py)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlib import functional as F  # noqa: E402
from cnnlib.viz.channels import (channel_contributions, colour_filters, draw_channel_sum,  # noqa: E402
                                 draw_feature_maps, draw_filter_slices)
from cnnlib.widgets.channels import colour_filter_explorer, slices_text  # noqa: E402

rng = np.random.default_rng(4)
X = rng.random((3, 12, 10))


def test_contributions_are_equation_5():
    for name, (w, b) in colour_filters().items():
        assert w.shape == (3, 3, 3), name
        maps, total, relu = channel_contributions(X, w, b)
        want = F.conv2d(X[None], w[None], np.array([b]))[0, 0]
        np.testing.assert_allclose(total, want, atol=1e-12)
        np.testing.assert_allclose(maps.sum(axis=0) + b, total)
        np.testing.assert_array_equal(relu, np.maximum(total, 0))


def test_colour_filters_mean_what_they_say():
    red, green, blue, white = (np.zeros((3, 5, 5)) for _ in range(4))
    red[0], green[1], blue[2], white[:] = 1, 1, 1, 1
    filters = colour_filters()

    def response(name, img):
        w, b = filters[name]
        return channel_contributions(img, w, b)[1].mean()

    assert response("red minus green", red) > 0 > response("red minus green", green)
    assert abs(response("red minus green", white)) < 1e-12
    assert response("blue detector", blue) > 0 > response("blue detector", red)
    assert abs(response("luminance edge |", white)) < 1e-12  # a flat image has no edges
    assert response("brightness", white) > 0 > response("brightness", np.zeros((3, 5, 5)))


def test_draw_channel_sum_and_set_filter():
    fig, axes = plt.subplots(2, 5)
    filters = colour_filters()
    drawn = draw_channel_sum(axes, X, *filters["red minus green"])
    assert drawn.total.shape == (10, 8) and len(drawn.kernel[1]) == 27
    w, b = filters["blue detector"]
    drawn.set_filter(w, 0.25)
    np.testing.assert_allclose(drawn.total_image.get_array(), drawn.total)
    np.testing.assert_allclose(drawn.total, channel_contributions(X, w, 0.25)[1])
    assert drawn.kernel[1][-1].get_text() == f"{w[2, 2, 2]:+.2f}"
    low, high = drawn.map_images[0].get_clim()
    assert low == -high and high > 0  # one symmetric scale
    assert "ReLU sets" in drawn.summary()
    with pytest.raises(ValueError, match="keep the drawn shape"):
        drawn.set_filter(np.zeros((3, 2, 2)))
    plt.close(fig)


def test_bad_input():
    fig, axes = plt.subplots(2, 5)
    with pytest.raises(ValueError, match="RGB image"):
        draw_channel_sum(axes, X.transpose(1, 2, 0), *colour_filters()["brightness"])
    with pytest.raises(ValueError, match="same C"):
        channel_contributions(X, np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match=r"axes of shape \(2, 5\)"):
        draw_channel_sum(axes[0], X, *colour_filters()["brightness"])
    plt.close(fig)


def test_filter_slices_and_feature_maps():
    fig, axes = plt.subplots(1, 4)
    w = np.arange(12.0).reshape(3, 2, 2) - 6
    image, texts = draw_filter_slices(axes[0], w)
    assert image.get_array().shape == (3 * 3 - 1, 2) and len(texts) == 12
    assert [t.get_text() for t in texts[:2]] == ["-6.00", "-5.00"]
    images = draw_feature_maps(axes[1:], np.abs(rng.normal(size=(3, 4, 4))), ["a", "b", "c"])
    assert len(images) == 3 and axes[3].get_title() == "c"
    with pytest.raises(ValueError, match="F axes"):
        draw_feature_maps(axes[1:], np.zeros((2, 4, 4)))
    plt.close(fig)
    assert slices_text(w).splitlines()[0].split() == ["K_R", "K_G", "K_B"]


def test_widget_changes_picture():
    view = colour_filter_explorer(X)
    explorer = view.explorer
    first = explorer.image.value
    assert first[:2] == b"\xff\xd8"  # JPEG
    explorer.name.value = "blue detector"
    second = explorer.image.value
    assert second != first and "blue detector" in explorer.text.value
    explorer.bias.value = 0.3
    assert explorer.image.value != second and "b = +0.30" in explorer.text.value
    explorer.name.value = "brightness"
    assert explorer.bias.value == pytest.approx(-0.5)  # each filter starts from its own bias

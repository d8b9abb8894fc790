"""cnnlib.widgets.controls (kernel side): the accessible sliders, dropdown, Play and picture behave
like the ipywidgets controls they replace. Their keyboard use and names in the browser are tested by
tests/test_a11y_lab.py."""
import ipywidgets as widgets
import pytest

from cnnlib.widgets.controls import Dropdown, FloatSlider, IntSlider, Picture, Play


def test_slider_keeps_its_value_within_min_and_max():
    s = IntSlider(value=5, min=3, max=8, description="input n", style={"description_width": "70px"})
    assert (s.value, s.description_width) == (5, "70px")
    s.value = 20
    assert s.value == 8
    s.max = 4  # a smaller range pulls the value in, as ipywidgets does
    assert s.value == 4
    f = FloatSlider(value=0.3, min=-0.5, max=0.5, step=0.05)
    assert f.value == 0.3 and f.readout_decimals == 2
    with pytest.raises(ValueError, match="min .* must be <= max"):
        IntSlider(min=3, max=1)


def test_dropdown_maps_labels_to_values():
    d = Dropdown(options=[("max pooling", "max"), ("average pooling", "avg")], value="avg", description="pool")
    assert d.labels == ["max pooling", "average pooling"] and d.index == 1
    d.index = 0  # what the browser sends
    assert d.value == "max"
    d.value = "avg"
    assert d.index == 1
    plain = Dropdown(options=["valid", "same", 1, 2])
    assert plain.value == "valid" and plain.labels == ["valid", "same", "1", "2"]
    plain.index = 2
    assert plain.value == 1
    with pytest.raises(ValueError, match="not one of the options"):
        plain.value = "full"
    with pytest.raises(ValueError, match="must not be empty"):
        Dropdown(options=[])


def test_controls_drive_interactive_and_links():
    calls = []
    s, d = IntSlider(value=1, min=0, max=3, description="k"), Dropdown(options=["a", "b"])
    view = widgets.interactive(lambda k, kind: calls.append((k, kind)), k=s, kind=d)
    s.value = 2
    d.index = 1
    assert calls[-2:] == [(2, "a"), (2, "b")]
    assert view.children[0] is s
    play = Play(max=3)
    widgets.link((play, "value"), (s, "value"))
    play.value = 3
    assert s.value == 3 and play.description == "Play"


def test_reprs_are_the_same_every_run():
    assert repr(IntSlider(value=2, min=1, max=4, description="stride")) == \
        "IntSlider(value=2, description='stride', max=4, min=1)"
    assert repr(Picture(value=b"abc", format="jpeg")) == "Picture(format='jpeg', 3 bytes)"
    p = Picture()
    p.alt_text = "3x3 grid"
    assert p.alt == "3x3 grid" and p.alt_text == "3x3 grid"


def test_without_anywidget_the_widgets_fall_back_to_ipywidgets():
    """Colab installs only the course's clone: without anywidget every chapter widget still builds."""
    import subprocess
    import sys
    code = ("import sys; sys.modules['anywidget'] = None\n"
            "import ipywidgets as w\n"
            "from cnnlib.widgets import controls\n"
            "from cnnlib.widgets.pooling import pool_stepper\n"
            "assert controls.IntSlider is w.IntSlider and isinstance(controls.Picture(format='png'), w.Image)\n"
            "view = pool_stepper(seed=0)\n"
            "print('RESULT', type(view.stepper.image).__name__, len(view.stepper.image.value) > 0)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "RESULT Image True"  # (display() outside IPython prints a repr first)

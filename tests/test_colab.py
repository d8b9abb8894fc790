"""Colab support, tested as far as it can be without Colab (tools/colab.py, cnnlib.widgets.common).

- The setup cell is a no-op outside Colab: no output, no files, sys.path unchanged.
- With a simulated Colab (a fake `google.colab` module) it clones the course from a local git
  repository, puts it on sys.path, and cnnlib then imports from the clone and finds data/ there.
- `colab-apply` writes the badge and the cell once (a second run changes nothing).
- Steppers link Play and slider in the kernel where jslink may fail (CNNLIB_KERNEL_LINK=1 / Colab).
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import colab  # noqa: E402
import links  # noqa: E402

CONFIG = links.load_config()
FAKE_COLAB = """
import sys, types
google = types.ModuleType("google"); google.__path__ = []
colab = types.ModuleType("google.colab"); colab.__path__ = []
output = types.ModuleType("google.colab.output")
output.enable_custom_widget_manager = lambda: print("custom widget manager enabled")
colab.output = output; google.colab = colab
sys.modules.update({"google": google, "google.colab": colab, "google.colab.output": output})
"""
AFTER = """
import cnnlib, cnnlib.data
x, y, _, _ = cnnlib.data.load_mnist(n_train=5, n_test=5)
print("cnnlib from", cnnlib.__file__)
print("images", x.shape)
"""


def run_cell(code, cwd, env):
    """Run code in a fresh python without site hooks (no editable cnnlib), numpy reachable."""
    site = sysconfig.get_paths()["purelib"]
    env = dict(env, PYTHONPATH=site)
    return subprocess.run([sys.executable, "-S", "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_setup_cell_is_a_no_op_outside_colab(tmp_path):
    code = ("import sys; before = list(sys.path)\n" + colab.setup_cell_source(CONFIG)
            + "\nassert sys.path == before, 'sys.path changed'")
    result = run_cell(code, tmp_path, dict(os.environ, CNNLIB_COURSE_DIR=str(tmp_path / "course")))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and not any(tmp_path.iterdir())


def test_setup_cell_on_simulated_colab_clones_and_imports(tmp_path):
    source = tmp_path / "origin"      # a local repository standing in for GitHub
    subprocess.run(["git", "clone", "--quiet", "--branch", CONFIG["branch"], str(ROOT), str(source)], check=True)
    env = dict(os.environ, CNNLIB_COURSE_REPO=f"file://{source}", CNNLIB_COURSE_DIR=str(tmp_path / "content" / "course"))
    result = run_cell(FAKE_COLAB + colab.setup_cell_source(CONFIG) + AFTER, tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert f"cnnlib from {tmp_path / 'content' / 'course' / 'cnnlib'}" in result.stdout
    assert "images (5, 1, 28, 28)" in result.stdout and "custom widget manager enabled" in result.stdout
    # Run again (a second chapter in the same session): no second clone, still importable.
    again = run_cell(FAKE_COLAB + colab.setup_cell_source(CONFIG) + AFTER, tmp_path, env)
    assert again.returncode == 0 and "Cloning" not in again.stderr, again.stderr


def test_colab_url_and_line():
    url = colab.colab_url(CONFIG, "notebooks/03_conv_layer_padding_stride.ipynb")
    assert url == ("https://colab.research.google.com/github/{owner}/{name}/blob/{branch}/"
                   "notebooks/03_conv_layer_padding_stride.ipynb").format(**CONFIG)
    assert colab.COLAB_LINE.match(colab.colab_line(CONFIG, "notebooks/x.ipynb"))


def test_apply_is_idempotent_and_minimal(tmp_path):
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    nb_path = root / "notebooks" / "03_example.ipynb"
    binder = links.link_line(CONFIG, "notebooks/03_example.ipynb")
    before = {"cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": [binder + "\n", "\n", "# Chapter 03\n", "text"]},
        {"cell_type": "code", "execution_count": 1, "id": "b", "metadata": {}, "outputs": [], "source": ["x = 1"]},
        {"cell_type": "markdown", "id": "c", "metadata": {}, "source": ["## More"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    nb_path.write_text(json.dumps(before, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert colab.apply(nb_path, CONFIG, root) is True
    after = json.loads(nb_path.read_text(encoding="utf-8"))
    assert len(after["cells"]) == len(before["cells"]) + 1
    lines = "".join(after["cells"][0]["source"]).split("\n")
    assert links.LINK_LINE.match(lines[0]) and colab.COLAB_LINE.match(lines[1]) and lines[3] == "# Chapter 03"
    assert "".join(after["cells"][1]["source"]) == colab.setup_cell_source(CONFIG)
    assert after["cells"][1]["id"] == "colab-setup"
    assert after["cells"][2:] == before["cells"][1:]          # every other cell untouched
    text = nb_path.read_text(encoding="utf-8")
    assert colab.apply(nb_path, CONFIG, root) is False and nb_path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("setting, kernel", [("1", True), ("0", False)])
def test_play_link_fallback(monkeypatch, setting, kernel):
    import ipywidgets as widgets
    from cnnlib.widgets import common
    monkeypatch.setenv("CNNLIB_KERNEL_LINK", setting)
    assert common.kernel_links() is kernel
    play, slider = widgets.Play(value=0, max=8), widgets.IntSlider(value=0, max=8)
    common.link_play(play, slider)
    play.value = 3
    play.max = 12
    # A kernel link moves the slider at once, in Python; jslink only in the browser.
    assert (slider.value, slider.max) == ((3, 12) if kernel else (0, 8))


def test_kernel_links_on_colab(monkeypatch):
    from cnnlib.widgets import common
    monkeypatch.delenv("CNNLIB_KERNEL_LINK", raising=False)
    assert common.kernel_links() is ("google.colab" in sys.modules)
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert common.kernel_links() is True


@pytest.mark.parametrize("path", links.chapter_notebooks(), ids=lambda p: p.name)
def test_every_chapter_has_its_colab_badge_and_setup_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first_md = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown")
    lines = "".join(nb["cells"][first_md]["source"]).split("\n")
    assert len(lines) > 1 and lines[1] == colab.colab_line(CONFIG, links.relpath(path)), \
        f"{path.name}: Colab badge missing or stale: python3 tools/links.py colab-apply, then course.py refresh"
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "".join(first_code["source"]) == colab.setup_cell_source(CONFIG)
    assert first_code["outputs"] == [], f"{path.name}: the Colab setup cell must print nothing outside Colab"

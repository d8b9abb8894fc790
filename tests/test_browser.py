"""The widgets in a real browser: JupyterLab + headless Chromium, driven by Playwright.

For each chapter notebook with widgets, the test opens it in JupyterLab, runs all cells, then for
every widget moves each slider, changes each dropdown / checkbox / toggle / number box, and presses
each Play button, and checks that the picture in the widget's output really changed (the <img> data
differs) and that no cell and no widget output shows an error. Screenshots of each widget cell,
before and after each action, go to artifacts/screenshots/<notebook>/ with a report.json.

Needs the Debian `chromium` package (or CNNLIB_CHROMIUM=/path/to/chromium) and the Python packages
in requirements-browser.txt:

    apt-get install -y chromium fonts-dejavu-core
    .venv/bin/python -m pip install -r requirements-browser.txt
    python3 course.py test tests/test_browser.py

Without them the test is skipped, except when CI=true or CNNLIB_REQUIRE_BROWSER=1: then it fails.
The server gets CNNLIB_QUICK=1 so the training chapter trains briefly. It serves a temporary copy
of notebooks/ (the repository's notebooks are never opened, so never autosaved), and is stopped
by its PID when the tests end. The harness is itself tested on tests/fixtures/browser/, where one
widget is built to not change and one to raise: the test fails if the harness misses either.
"""
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
FIXTURES = ROOT / "tests" / "fixtures" / "browser"
SHOTS = ROOT / "artifacts" / "screenshots"
CHAPTERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

# The controls: cnnlib.widgets.controls (native elements) and ipywidgets' own (the harness fixture)
SLIDER = ".cnnlib-slider input[type=range], .noUi-handle-lower"
DROPDOWN = ".cnnlib-dropdown select, .widget-dropdown select"
PLAY = ".cnnlib-play, .widget-play"
PLAY_BUTTON = ".cnnlib-play button:has-text('Play'), .widget-play button:has(.fa-play)"
PAUSE_BUTTON = ".cnnlib-play button:has-text('Pause'), .widget-play button:has(.fa-pause)"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUN_ALL_TIMEOUT_S = 900   # a whole notebook; the training chapter runs in quick mode
CHANGE_TIMEOUT_S = 30     # one widget redraw
REQUIRED = (os.environ.get("CI", "").lower() in ("true", "1")
            or os.environ.get("CNNLIB_REQUIRE_BROWSER", "") == "1")

# The notebook's kernel, through JupyterLab's own objects (the server runs with
# --LabApp.expose_app_in_browser so window.jupyterapp exists).
JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""
JS_RUN_ALL = """async (timeoutMs) => {
  const app = window.jupyterapp;
  app.shell.activateById(app.shell.currentWidget.id);
  const timer = new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs));
  return await Promise.race([app.commands.execute('notebook:run-all-cells'), timer]);
}"""
# Every code cell: was it run, what errors does it hold (from the notebook model, not the DOM).
JS_CELL_STATES = """() => {
  const out = [];
  let i = 0;
  for (const c of window.jupyterapp.shell.currentWidget.content.model.cells) {
    if (c.type === 'code') {
      const errors = c.outputs.toJSON().filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue);
      out.push({index: i, count: c.executionCount, empty: c.sharedModel.getSource().trim() === '',
                tags: c.getMetadata('tags') || [], errors: errors});
    }
    i += 1;
  }
  return out;
}"""
# Tracebacks printed inside widget outputs (an exception in an interact callback lands there).
JS_WIDGET_ERRORS = """(cell) => Array.from(cell.querySelectorAll(
    '.widget-output .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
  .map(e => e.textContent).filter(t => /Traceback|Error\\b/.test(t)).map(t => t.trim().split('\\n').pop())"""
JS_PROMPTS = """() => Array.from(document.getElementById(window.jupyterapp.shell.currentWidget.id)
                                .querySelectorAll('.jp-Notebook .jp-InputPrompt')).map(e => e.textContent)"""
# The pictures a widget draws: <img> in a widget's Output (interact + matplotlib inline) and
# ipywidgets.Image views. data: URLs are their own content; blob: URLs (Image widgets) are fetched
# and hashed, so a new URL holding the same picture does not count as a change.
JS_IMAGES = """async (cell) => {
  const images = Array.from(cell.querySelectorAll('.widget-output img, img.widget-image'));
  const out = [];
  for (const img of images) {
    const src = img.getAttribute('src') || '';
    if (!src.startsWith('blob:')) { out.push(src); continue; }
    try {
      const bytes = await (await fetch(src)).arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      out.push('sha256:' + Array.from(digest).map(b => b.toString(16).padStart(2, '0')).join(''));
    } catch (e) { out.push('unreadable:' + src); }
  }
  return out;
}"""
JS_LABEL = """(el) => {
  const box = el.closest('.cnnlib-control, .widget-slider, .widget-dropdown, .widget-play, .widget-checkbox, '
                         + '.widget-text, .widget-toggle-buttons, .widget-radio, .widget-hbox, .jupyter-widgets');
  const label = box && box.querySelector('.widget-label');
  return label ? label.textContent.trim() : '';
}"""


def find_chromium():
    """Path of a Chromium executable, or None."""
    candidates = [os.environ.get("CNNLIB_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)


def missing_reason():
    """Why the browser test cannot run here, or None if it can."""
    reasons = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reasons.append("the playwright package is not installed "
                       "(.venv/bin/python -m pip install -r requirements-browser.txt)")
    if find_chromium() is None:
        reasons.append("no Chromium found at /usr/bin/chromium or on PATH "
                       "(apt-get install -y chromium fonts-dejavu-core, or set CNNLIB_CHROMIUM)")
    return "; ".join(reasons) or None


def require_browser():
    reason = missing_reason()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"browser test required (CI=true or CNNLIB_REQUIRE_BROWSER=1) but {reason}", pytrace=False)
    pytest.skip(f"browser test skipped: {reason}")


def uses_widgets(path):
    """True if the notebook displays ipywidgets (stored widget views, or interact/ipywidgets in code)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        if re.search(r"\binteract(ive)?\b|ipywidgets|cnnlib\.widgets|from cnnlib import widgets|\bwidgets\.", source):
            return True
        if any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.get("outputs", [])):
            return True
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on a loopback port with a random token, serving a temporary folder."""

    def __init__(self, workdir):
        self.root = workdir / "root"
        self.root.mkdir()
        # A copy of the chapters (opened and possibly autosaved by the browser) beside links to the
        # rest of the repository, so relative paths like ../data and `import cnnlib` work as usual.
        shutil.copytree(NOTEBOOKS, self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for entry in ROOT.iterdir():
            if entry.name not in ("notebooks", ".git", ".venv", "artifacts") and not entry.name.startswith("."):
                (self.root / entry.name).symlink_to(entry)
        if FIXTURES.is_dir():
            shutil.copytree(FIXTURES, self.root / "browser_fixtures")
        settings = workdir / "settings"
        for plugin, values in {"apputils-extension/notification": {"fetchNews": "false"},
                               # render every cell (no virtual scrolling), so all widgets are in the DOM
                               "notebook-extension/tracker": {"windowingMode": "none"}}.items():
            path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(os.environ, CNNLIB_QUICK="1", JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"),
                   JUPYTER_RUNTIME_DIR=str(workdir / "runtime"), JUPYTER_CONFIG_DIR=str(workdir / "config"),
                   IPYTHONDIR=str(workdir / "ipython"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "jupyterlab.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip", "127.0.0.1",
                 "--port", str(self.port), f"--ServerApp.token={self.token}", f"--ServerApp.root_dir={self.root}",
                 "--ServerApp.port_retries=0", "--LabApp.expose_app_in_browser=True"],
                stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root)
        self.wait_until_up()

    def api(self, path, method="GET"):
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_up(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self.api("/api/status")
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        tail = self.log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"JupyterLab did not start on port {self.port} within {timeout} s. Log:\n{tail}")

    def url(self, relpath):
        """The notebook in a workspace of its own (and ?reset): no tabs restored from earlier pages,
        whose notebooks would each start a kernel."""
        workspace = re.sub(r"[^A-Za-z0-9]+", "-", relpath)
        return f"{self.base}/lab/workspaces/{workspace}/tree/{relpath}?reset&token={self.token}"

    def shutdown_kernels(self):
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def stop(self):
        """Shut the kernels down through the API, then stop the server by its PID."""
        if self.process.poll() is None:
            try:
                self.shutdown_kernels()
            except OSError:
                pass
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_browser()
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def wait_for(predicate, timeout, interval=0.25):
    """Poll predicate() until it returns something truthy; return it, or None after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def wait_settled(page, cell, timeout=CHANGE_TIMEOUT_S):
    """Wait until the kernel is idle and the cell's widget images stop changing; return them."""
    page.wait_for_function(JS_KERNEL_IDLE, timeout=timeout * 1000)
    previous = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        images = cell.evaluate(JS_IMAGES)
        if images == previous and page.evaluate(JS_KERNEL_IDLE):
            return images
        previous = images
        time.sleep(0.5)
    return previous


def controls_of(cell):
    """The interactive controls in one cell's widgets, as (kind, locator)."""
    found = []
    for kind, selector in [("slider", SLIDER), ("dropdown", DROPDOWN),
                           ("play", PLAY), ("checkbox", ".widget-checkbox input[type=checkbox]"),
                           ("toggle", ".widget-toggle-buttons"), ("radio", ".widget-radio-box"),
                           ("number", ".widget-text input[type=number]")]:
        items = cell.locator(selector)
        found += [(kind, items.nth(i)) for i in range(items.count())]
    return found


def act(page, kind, control, attempt):
    """Change one control in the browser, the way a student would. attempt 0 = small change,
    attempt 1 = a bigger one (for sliders whose single step may not change the picture)."""
    if kind == "slider":  # a native range input (cnnlib.widgets.controls) or an ipywidgets noUiSlider handle
        at_max = control.evaluate("e => (e.getAttribute('aria-valuenow') ?? e.value) === "
                                  "(e.getAttribute('aria-valuemax') ?? e.max)")
        control.focus()
        key = (["ArrowRight", "End"], ["ArrowLeft", "Home"])[at_max][attempt]
        control.press(key)
        return f"pressed {key}"
    if kind == "dropdown":
        options = control.locator("option")
        current = control.evaluate("s => s.selectedIndex")
        index = (current + 1 + attempt) % options.count()
        control.select_option(index=index)
        return f"selected option {index} ({options.nth(index).inner_text().strip()})"
    if kind == "play":
        button = control.locator(PLAY_BUTTON)
        (button.first if button.count() else control.locator("button").first).click()
        return "pressed Play"
    if kind == "checkbox":
        control.click()
        return "clicked checkbox"
    if kind == "number":
        current = float(control.input_value() or 0)
        new = current + (1 if attempt == 0 else -2)
        text = str(int(new)) if new == int(new) else str(new)
        control.fill(text)
        control.press("Enter")
        return f"typed {text}"
    if kind in ("toggle", "radio"):
        options = control.locator("button, input[type=radio]")
        for i in range(options.count()):
            option = options.nth(i)
            selected = (option.evaluate("b => b.classList.contains('mod-active') || b.checked"))
            if not selected:
                option.click()
                return f"chose option {i}"
        return "no unselected option"
    raise ValueError(kind)


def finished(page):
    """True when the kernel is idle and no cell shows [*] (queued or running)."""
    prompts = page.evaluate(JS_PROMPTS)
    return page.evaluate(JS_KERNEL_IDLE) and not any("*" in p for p in prompts)


def stop_play(control):
    pause = control.locator(PAUSE_BUTTON)
    if pause.count():
        pause.first.click()


def exercise_notebook(page, lab, relpath, shots, change_timeout=CHANGE_TIMEOUT_S):
    """Open a notebook, run all cells, work every widget. Returns a report (dict)."""
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    report = {"notebook": relpath, "errors": [], "widgets": []}
    page.goto(lab.url(relpath))
    page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
    page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    started = time.monotonic()
    result = page.evaluate(JS_RUN_ALL, RUN_ALL_TIMEOUT_S * 1000)
    if result == "timeout":
        report["errors"].append(f"Run All did not finish within {RUN_ALL_TIMEOUT_S} s")
        return report
    # Run All's promise settles at the first error, while cells after a `raises-exception` cell
    # still run: wait until no cell is queued or running ([*]) and the kernel stays idle.
    if not wait_for(lambda: finished(page) and (time.sleep(1.0) or finished(page)),
                    RUN_ALL_TIMEOUT_S - (time.monotonic() - started)):
        report["errors"].append(f"cells still running after {RUN_ALL_TIMEOUT_S} s")
        return report
    report["run_all_s"] = round(time.monotonic() - started, 1)

    for state in page.evaluate(JS_CELL_STATES):
        allowed = "raises-exception" in state["tags"]
        if state["errors"] and not allowed:
            report["errors"].append(f"cell {state['index']}: {'; '.join(state['errors'])}")
        if state["count"] is None and not state["empty"]:
            report["errors"].append(f"cell {state['index']} was not run (Run All stopped before it)")

    # Only this notebook's cells (a notebook opened earlier may still sit in a hidden tab).
    panel = page.evaluate("() => window.jupyterapp.shell.currentWidget.id")
    cells = page.locator(f'[id="{panel}"] .jp-Notebook .jp-Cell')
    widget_cells = [i for i in range(cells.count()) if cells.nth(i).locator(".jupyter-widgets").count()]
    report["widget_cells"] = widget_cells
    for i in widget_cells:
        cell = cells.nth(i)
        cell.scroll_into_view_if_needed()
        before = wait_settled(page, cell)
        cell.screenshot(path=str(shots / f"cell{i:02d}_0_start.png"))
        controls = controls_of(cell)
        if not controls:  # e.g. a progress bar or a live training plot: nothing to move
            report["widgets"].append({"cell": i, "control": None, "changed": None,
                                      "detail": "display-only widget (no slider, dropdown, Play, checkbox or toggle)"})
        for k, (kind, control) in enumerate(controls, start=1):
            label = control.evaluate(JS_LABEL) or f"#{k} (no label)"
            entry = {"cell": i, "control": kind, "label": label, "changed": False}
            if not before:
                entry["detail"] = "no image in the widget's output to compare"
                report["widgets"].append(entry)
                continue
            actions = []
            for attempt in (0, 1):
                actions.append(act(page, kind, control, attempt))
                changed = wait_for(lambda: cell.evaluate(JS_IMAGES) != before, change_timeout)
                if kind == "play":
                    stop_play(control)
                if changed or kind == "play":
                    break
            after = wait_settled(page, cell)
            entry["changed"] = bool(after and after != before)
            entry["detail"] = ", then ".join(actions) + ("" if entry["changed"] else ": the image did not change")
            entry["screenshot"] = f"cell{i:02d}_{k}_{kind}.png"
            cell.screenshot(path=str(shots / entry["screenshot"]))
            report["widgets"].append(entry)
            before = after
        for message in cell.evaluate(JS_WIDGET_ERRORS):
            report["errors"].append(f"cell {i} widget output: {message}")
    (shots / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    return report


def open_and_check(browser, lab, relpath, shots, change_timeout=CHANGE_TIMEOUT_S):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        return exercise_notebook(page, lab, relpath, shots, change_timeout)
    finally:
        page.close()
        lab.shutdown_kernels()


def describe(report):
    lines = [f"{report['notebook']}: run all {report.get('run_all_s')} s, widget cells {report.get('widget_cells')}"]
    verdict = {True: "changed", False: "NOT CHANGED", None: "not interactive"}
    lines += [f"  cell {w['cell']} {w['control']} {w.get('label', '')!r}: "
              f"{verdict[w['changed']]} ({w.get('detail', '')})" for w in report["widgets"]]
    lines += [f"  error: {e}" for e in report["errors"]]
    return "\n".join(lines)


@pytest.mark.parametrize("required", [False, True])
def test_missing_browser_skips_or_fails_in_ci(monkeypatch, required):
    """Without Chromium the test is skipped, except in CI (CI=true / CNNLIB_REQUIRE_BROWSER=1): it fails."""
    monkeypatch.setattr(sys.modules[__name__], "find_chromium", lambda: None)
    monkeypatch.setattr(sys.modules[__name__], "REQUIRED", required)
    outcome = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(outcome, match="no Chromium found"):
        require_browser()


def test_harness_catches_a_frozen_widget_and_a_failing_one(browser, lab):
    """The checks below can fail: on the fixture, the good widgets pass and the two bad ones are caught."""
    # A short wait for a change: the frozen widget waits it out twice by design.
    report = open_and_check(browser, lab, "browser_fixtures/widgets_fixture.ipynb", SHOTS / "_harness_fixture",
                            change_timeout=5)
    print(describe(report))
    by_label = {w["label"]: w for w in report["widgets"]}
    assert by_label["k"]["changed"] and by_label["cmap"]["changed"] and by_label["t"]["changed"]
    assert by_label["level"]["changed"]  # an ipywidgets.Image
    assert [w["control"] for w in report["widgets"] if w["cell"] == by_label["t"]["cell"]] == ["slider", "play"]
    assert all(w["changed"] for w in report["widgets"] if w["cell"] == by_label["t"]["cell"])
    assert not by_label["frozen"]["changed"]
    assert any("widget output: ValueError: boom" in e for e in report["errors"])
    assert any("ZeroDivisionError" in e for e in report["errors"])  # the untagged error cell
    assert len(report["errors"]) == 2  # the raises-exception cell is allowed


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_widgets_respond_in_the_browser(path, browser, lab):
    if not uses_widgets(path):
        pytest.skip(f"{path.name} has no widgets")
    report = open_and_check(browser, lab, f"notebooks/{path.name}", SHOTS / path.stem)
    print(describe(report))
    assert report["widget_cells"], f"{path.name} uses widgets but none rendered in JupyterLab"
    assert not report["errors"], describe(report)
    controls = [w for w in report["widgets"] if w["control"] is not None]
    assert controls and all(w["changed"] for w in controls), describe(report)


# ------------------------------------------------------------------ chapter 11: drawing with the mouse

CHAPTER_11 = "notebooks/11_what_the_network_looks_at.ipynb"


# Which element the mouse reaches at each corner and the centre of the pad (canvas pixels).
JS_HITS = """(canvas) => {
  const r = canvas.getBoundingClientRect();
  return [[2, 2], [197, 2], [2, 197], [197, 197], [100, 100]].map(([x, y]) => {
    const e = document.elementFromPoint(r.left + x * r.width / 200, r.top + y * r.height / 200);
    return e === canvas ? 'canvas' : (e ? e.tagName + '.' + e.className : 'nothing');
  });
}"""


def draw_stroke(page, canvas, points):
    """Press, move through points (canvas pixels, the canvas is 200 x 200 CSS px) and release."""
    box = canvas.bounding_box()
    assert (box["width"], box["height"]) == (200, 200), box
    # The whole pad must take the mouse: a pad squeezed by the panel beside it once hid its right
    # part, the stroke of a 0 left the canvas there and ended early (read as a 7).
    hits = canvas.evaluate(JS_HITS)
    assert hits == ["canvas"] * 5, f"parts of the drawing pad do not receive the mouse: {hits}"
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=2)
    page.mouse.up()


def test_chapter11_reads_a_one_and_a_zero_drawn_with_the_mouse(browser, lab):
    shots = SHOTS / "11_drawing"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.on("console", lambda m: print("console:", m.text) if m.type == "error" else None)
        page.goto(lab.url(CHAPTER_11))
        page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
        assert page.evaluate(JS_RUN_ALL, RUN_ALL_TIMEOUT_S * 1000) != "timeout"
        assert wait_for(lambda: finished(page) and (time.sleep(1.0) or finished(page)), RUN_ALL_TIMEOUT_S)
        panel = page.evaluate("() => window.jupyterapp.shell.currentWidget.id")
        pad = page.locator(f'[id="{panel}"] .cnnlib-drawing-pad').last  # the ipycanvas Canvas view
        pad.scroll_into_view_if_needed()
        cell = page.locator(f'[id="{panel}"] .jp-Cell', has=page.locator(".cnnlib-drawing-pad"))
        text = page.locator(f'[id="{panel}"] .cnnlib-probabilities')
        assert wait_for(lambda: "Nothing drawn yet" in text.inner_text(), CHANGE_TIMEOUT_S)
        empty = wait_settled(page, cell)
        cell.screenshot(path=str(shots / "0_empty.png"))

        draw_stroke(page, pad, [(100, 30 + 7 * k) for k in range(21)])            # a 1: one vertical line
        assert wait_for(lambda: text.inner_text().startswith("Prediction 1"), CHANGE_TIMEOUT_S), text.inner_text()
        one = wait_settled(page, cell)
        assert one != empty, "the probability picture did not change after drawing a 1"
        cell.screenshot(path=str(shots / "1_one.png"))

        cell.locator("button", has_text="Clear").click()
        assert wait_for(lambda: "Nothing drawn yet" in text.inner_text(), CHANGE_TIMEOUT_S)
        angles = [2 * 3.14159 * k / 40 for k in range(41)]                       # a 0: an upright oval
        import math
        draw_stroke(page, pad, [(100 + 45 * math.sin(a), 100 - 65 * math.cos(a)) for a in angles])
        assert wait_for(lambda: text.inner_text().startswith("Prediction 0"), CHANGE_TIMEOUT_S), text.inner_text()
        zero = wait_settled(page, cell)
        assert zero != one, "the probability picture did not change after drawing a 0"
        cell.screenshot(path=str(shots / "2_zero.png"))
    finally:
        page.close()
        lab.shutdown_kernels()

"""Keyboard use of every chapter widget, and axe-core inside the notebook, in real JupyterLab + Chromium.

For each chapter with widgets (found generically: every notebooks/NN_*.ipynb that uses widgets), one
JupyterLab server and one Chromium for all of them (the fixtures of tests/test_browser.py): open it,
run all cells, then for every widget control, with the keyboard only:
  - it is in the Tab order (reached by pressing Tab or Shift+Tab from another control of the cell),
  - pressing its keys changes the widget's picture (ArrowRight, End, Home on a slider; ArrowDown,
    ArrowUp on a dropdown; Enter on Play, then Space pauses it; Space on a checkbox or toggle;
    ArrowUp in a number box), and the focus is still on the control afterwards (JupyterLab's
    command-mode shortcuts did not take the key),
  - where the picture has its words in an aria-live line (cnnlib.widgets.controls.Picture), the
    words changed with the picture,
  - it has a visible label (a <label> or the button's own text) and an accessible name that contains
    it (Chromium's accessibility tree, via Playwright's aria_snapshot; WCAG 2.5.3 label in name).
Then axe-core (WCAG 2.0/2.1 A+AA) runs on the page. Violations inside the notebook's cells and their
outputs are the course's and must be zero. JupyterLab's own interface is reported separately, not
counted: everything outside the cells, and inside a cell only INTERFACE_IN_CELLS below (the code
editor, whose text box JupyterLab 4.6 gives no accessible name, rule aria-input-field-name; no
JupyterLab setting names it). Every result goes to artifacts/a11y/<chapter>.json.

Skipped like the browser test when Chromium/Playwright are missing (failed under CI=true /
CNNLIB_REQUIRE_BROWSER=1), and skipped without axe-core unless CNNLIB_REQUIRE_A11Y=1.
The harness is itself tested on tests/fixtures/browser/widgets_fixture.ipynb, whose ipywidgets
controls (a nameless noUiSlider, an icon-only Play) must be caught.
"""
import json
import re
import time

import pytest

from test_a11y_audit import AXE, JS_AXE, REQUIRED as A11Y_REQUIRED, WCAG_TAGS, format_violations
from test_browser import (CHAPTERS, DROPDOWN, JS_CELL_STATES, JS_IMAGES, JS_LABEL, JS_RUN_ALL, JS_KERNEL_IDLE,
                          RUN_ALL_TIMEOUT_S,
                          ROOT, SLIDER, browser, finished, lab, uses_widgets, wait_for, wait_settled)  # noqa: F401

ARTIFACTS = ROOT / "artifacts" / "a11y"
WIDGET_CHAPTERS = [p for p in CHAPTERS if uses_widgets(p)]
FOCUSABLE = {  # the element of each control that takes keyboard focus
    "slider": SLIDER, "dropdown": DROPDOWN, "play": ".cnnlib-play button, .widget-play button",
    "checkbox": ".widget-checkbox input[type=checkbox]", "toggle": ".widget-toggle-buttons button",
    "number": ".widget-text input[type=number]"}
KEYS = {"slider": ["ArrowRight", "End", "Home"], "dropdown": ["ArrowDown", "ArrowUp"], "play": ["Enter"],
        "checkbox": ["Space"], "toggle": ["Space"], "number": ["ArrowUp", "ArrowDown"]}
JS_LIVE_TEXT = "cell => Array.from(cell.querySelectorAll('[aria-live]')).map(e => e.textContent.trim())"
JS_FOCUS_KEY = "() => { const e = document.activeElement; return e ? (e.dataset.a11yKey || '') : ''; }"
# The cells of the notebook in view: axe's `include` context, and its complement for the UI report
# Parts of JupyterLab's interface that sit inside a cell, with the reason they are not course content.
INTERFACE_IN_CELLS = {
    ".jp-InputArea-editor": "JupyterLab's CodeMirror code editor: its text box (.cm-content, role textbox) has "
                            "no accessible name in JupyterLab 4.6 (axe aria-input-field-name); no setting names it",
}
JS_AXE_SPLIT = """async ([tags, panelId, interfaceInCells]) => {
  const cells = '#' + CSS.escape(panelId) + ' .jp-Notebook .jp-Cell';
  const ui = interfaceInCells.map(s => '#' + CSS.escape(panelId) + ' ' + s);
  const opts = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  const short = r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), message: n.failureSummary}))}));
  const inside = await axe.run({include: [[cells]], exclude: ui.map(s => [s])}, opts);
  const outside = await axe.run({exclude: [[cells]]}, opts);
  const editors = await axe.run({include: ui.map(s => [s])}, opts);
  return {cells: short(inside), interface: short(outside).concat(short(editors))};
}"""
ICON_GLYPHS = re.compile("[\ue000-\uf8ff]")  # Font Awesome & co.: private-use characters, no words
JS_VISIBLE_LABEL = """e => { if (e.tagName !== 'BUTTON') return null;  // a button's label: its text without icons
  const copy = e.cloneNode(true); copy.querySelectorAll('[aria-hidden=true]').forEach(x => x.remove());
  return copy.textContent.trim(); }"""


def open_and_run(page, lab, relpath, allow_errors=False):
    """Open a chapter in JupyterLab and run all its cells; returns the notebook panel's id.
    allow_errors: the harness fixture has cells that raise on purpose."""
    page.goto(lab.url(relpath))
    page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
    assert page.evaluate(JS_RUN_ALL, RUN_ALL_TIMEOUT_S * 1000) != "timeout", f"{relpath}: Run All timed out"
    assert wait_for(lambda: finished(page) and (time.sleep(1.0) or finished(page)), RUN_ALL_TIMEOUT_S)
    errors = [f"cell {c['index']}: {'; '.join(c['errors'])}" for c in page.evaluate(JS_CELL_STATES)
              if c["errors"] and "raises-exception" not in c["tags"]]
    assert allow_errors or not errors, f"{relpath}: cells raised errors\n" + "\n".join(errors)
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.id")


def accessible_name(locator):
    """(role, name) of an element from Chromium's accessibility tree ('' when it has no name)."""
    first = locator.aria_snapshot().splitlines()[0].strip().lstrip("- ")
    role, _, rest = first.partition(" ")
    name = rest.split('"')[1] if rest.count('"') >= 2 else ""
    return role.rstrip(":"), name


def press_until_changed(page, cell, control, keys, before, n, change_timeout):
    """Focus the control, press each key in turn until the picture differs from `before`.
    Returns (keys pressed, whether the focus stayed on the control after every press)."""
    pressed, kept = [], True
    for key in keys:
        control.focus()
        page.keyboard.press(key)
        pressed.append(key)
        kept = kept and page.evaluate(JS_FOCUS_KEY) == str(n)
        if wait_for(lambda: cell.evaluate(JS_IMAGES) != before, change_timeout):
            break
    return pressed, kept


def keyboard_report(page, panel, change_timeout=15):
    """Every widget control of the notebook driven by keyboard only. Returns a list of dicts.
    change_timeout: seconds to wait for a picture to change after one key."""
    cells = page.locator(f'[id="{panel}"] .jp-Notebook .jp-Cell')
    results = []
    for i in range(cells.count()):
        cell = cells.nth(i)
        if not cell.locator(".jupyter-widgets").count():
            continue
        cell.scroll_into_view_if_needed()
        controls = []
        for kind, selector in FOCUSABLE.items():
            items = cell.locator(selector)
            controls += [(kind, items.nth(k)) for k in range(items.count())]
        # tag every control so the focused element can be identified, then walk the Tab order
        for n, (kind, control) in enumerate(controls):
            control.evaluate("(e, n) => { e.dataset.a11yKey = String(n); }", n)
        reached = set()
        for direction in ("Tab", "Shift+Tab"):  # from the first control found, forwards and backwards
            if not controls:
                break
            controls[0][1].focus()
            reached.add(page.evaluate(JS_FOCUS_KEY))
            for _ in range(len(controls) * 3 + 5):
                page.keyboard.press(direction)
                key = page.evaluate(JS_FOCUS_KEY)
                if key:
                    reached.add(key)
            page.keyboard.press("Escape")
        settled = None
        for n, (kind, control) in enumerate(controls):
            label = control.evaluate(JS_VISIBLE_LABEL) or control.evaluate(JS_LABEL)
            entry = {"cell": i, "control": kind, "label": label,
                     "tabindex": control.evaluate("e => e.tabIndex"), "in_tab_order": str(n) in reached}
            entry["role"], entry["name"] = accessible_name(control)
            if kind == "play" and control.evaluate("e => !!e.closest('.widget-play') && !e.querySelector('.fa-play')"):
                entry["operable"] = None  # ipywidgets' pause / stop / repeat: checked through its Play button
                results.append(entry)
                continue
            # the settled picture after the previous control is this one's starting point
            before = settled if settled is not None else wait_settled(page, cell)
            live_before = cell.evaluate(JS_LIVE_TEXT)
            entry["keys"], entry["kept_focus"] = press_until_changed(page, cell, control, KEYS[kind], before, n,
                                                                       change_timeout)
            if kind == "play":  # stop it again, by keyboard: Space on cnnlib's Play/Pause, Enter on ipywidgets' pause
                pause = cell.locator(".widget-play button:has(.fa-pause)")
                target = pause.first if control.evaluate("e => !!e.closest('.widget-play')") and pause.count() \
                    else control
                target.focus()
                page.keyboard.press("Space" if target == control else "Enter")
                entry["keys"].append("Space" if target == control else "Enter (pause)")
                entry["paused"] = bool(wait_for(lambda: "Pause" not in (control.inner_text() or ""), 10))
            after = settled = wait_settled(page, cell)
            entry["operable"] = bool(before) and after != before
            # the picture's words (cnnlib.widgets.controls.Picture): did they change with it?
            entry["live_text_changed"] = (cell.evaluate(JS_LIVE_TEXT) != live_before) if live_before else None
            results.append(entry)
    return results


def problems_of(entry):
    """What is wrong with one control's keyboard use and label ("" if nothing)."""
    problems = []
    if not entry["in_tab_order"]:
        problems.append("not in the Tab order")
    if entry["operable"] is False:
        problems.append(f"its keys ({', '.join(entry.get('keys', []))}) did not change the picture")
    if entry.get("kept_focus") is False:
        problems.append("a key press moved the focus away (a JupyterLab shortcut took the key)")
    if entry.get("paused") is False:
        problems.append("Space did not pause it")
    if not entry["label"] and entry["operable"] is not None:
        problems.append("no visible label")
    return "; ".join(problems)


def name_problem(entry):
    """Why a screen reader cannot name the control ("" if it can): no name, or a name that does not
    contain the visible label (WCAG 2.5.3)."""
    if not entry["name"]:
        return "no accessible name"
    if not ICON_GLYPHS.sub("", entry["name"]).strip():
        return "no accessible name (only an icon font glyph)"
    if entry["label"] and entry["label"].lower() not in entry["name"].lower():
        return f"accessible name {entry['name']!r} does not contain the visible label"
    return ""


@pytest.fixture(scope="module")
def axe_js():
    if not AXE.is_file():
        if A11Y_REQUIRED:
            pytest.fail(f"axe-core required (CNNLIB_REQUIRE_A11Y=1) but missing at {AXE}; run .ci/setup-a11y")
        pytest.skip("axe-core missing (run .ci/setup-a11y): JupyterLab audit skipped")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chapter_results(browser, lab, axe_js):
    """Each widget chapter opened, run, driven by keyboard and audited once; cached for the tests."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    results = {}

    def get(path):
        if path.name not in results:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            started = time.monotonic()
            try:
                panel = open_and_run(page, lab, f"notebooks/{path.name}")
                keyboard = keyboard_report(page, panel)
                page.add_script_tag(content=axe_js)
                audit = page.evaluate(JS_AXE_SPLIT, [WCAG_TAGS, panel, list(INTERFACE_IN_CELLS)])
            finally:
                page.close()
                lab.shutdown_kernels()
            results[path.name] = {"keyboard": keyboard, "axe": audit, "seconds": round(time.monotonic() - started)}
            (ARTIFACTS / f"{path.stem}.json").write_text(json.dumps(results[path.name], indent=1) + "\n")
        return results[path.name]
    return get


def test_harness_catches_nameless_and_icon_only_controls(browser, lab, axe_js):
    """The checks can fail: on the fixture's ipywidgets controls (a noUiSlider handle no <label> names,
    icon-only Play buttons) the name check and axe find problems, and its working slider passes."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        panel = open_and_run(page, lab, "browser_fixtures/widgets_fixture.ipynb", allow_errors=True)
        report = keyboard_report(page, panel, change_timeout=4)  # the frozen widget waits it out 3 times
        page.add_script_tag(content=axe_js)
        audit = page.evaluate(JS_AXE_SPLIT, [WCAG_TAGS, panel, list(INTERFACE_IN_CELLS)])
    finally:
        page.close()
        lab.shutdown_kernels()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "_harness_fixture.json").write_text(json.dumps({"keyboard": report, "axe": audit}, indent=1) + "\n")
    sliders = [e for e in report if e["control"] == "slider"]
    assert sliders and all(name_problem(e) == "no accessible name" for e in sliders)
    assert any(e["label"] == "k" and e["operable"] and e["in_tab_order"] and not problems_of(e) for e in sliders)
    assert any(e["label"] == "frozen" and "did not change the picture" in problems_of(e) for e in sliders)
    plays = [e for e in report if e["control"] == "play"]
    assert plays and all(name_problem(e).startswith("no accessible name") for e in plays)
    # ipywidgets' <select>: in command mode JupyterLab takes ArrowDown (select the next cell)
    assert any(e["control"] == "dropdown" and e["kept_focus"] is False for e in report)
    rules = {v["id"] for v in audit["cells"]}
    assert {"aria-input-field-name", "button-name"} <= rules, rules
    assert any(v["id"] == "aria-input-field-name" and any("cm-content" in n["target"] for n in v["nodes"])
               for v in audit["interface"])  # the code editors: reported, in the interface bucket


@pytest.mark.parametrize("path", WIDGET_CHAPTERS, ids=lambda p: p.stem)
def test_widgets_work_by_keyboard_only(path, chapter_results):
    report = chapter_results(path)["keyboard"]
    assert report, f"{path.name}: no widget controls found"
    problems = [f"cell {e['cell']} {e['control']} {e['label']!r}: {problems_of(e)}" for e in report if problems_of(e)]
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", WIDGET_CHAPTERS, ids=lambda p: p.stem)
def test_widget_controls_have_an_accessible_name(path, chapter_results):
    report = chapter_results(path)["keyboard"]
    nameless = [f"cell {e['cell']} {e['control']} (role {e['role']}, visible label {e['label']!r}): {name_problem(e)}"
                for e in report if name_problem(e)]
    assert not nameless, f"{path.name}: controls a screen reader cannot name:\n" + "\n".join(nameless)


@pytest.mark.parametrize("path", WIDGET_CHAPTERS, ids=lambda p: p.stem)
def test_widget_pictures_have_words_that_follow_them(path, chapter_results):
    """Where a widget shows its picture's text equivalent in an aria-live line, a key that changed the
    picture changed the words too (a screen reader hears the new picture)."""
    report = chapter_results(path)["keyboard"]
    stale = [f"cell {e['cell']} {e['control']} {e['label']!r}: keys {e.get('keys')} changed the picture, not its words"
             for e in report if e["operable"] and e.get("live_text_changed") is False]
    assert not stale, f"{path.name}:\n" + "\n".join(stale)


@pytest.mark.parametrize("path", WIDGET_CHAPTERS, ids=lambda p: p.stem)
def test_notebook_cells_in_jupyterlab_have_no_wcag_violations(path, chapter_results):
    audit = chapter_results(path)["axe"]
    print(f"{path.name}: JupyterLab's own interface (not counted): "
          + (", ".join(f"{v['id']} x{len(v['nodes'])}" for v in audit["interface"]) or "no violations"))
    assert not audit["cells"], (f"{path.name}: WCAG violations inside the notebook's cells\n"
                                + format_violations(audit["cells"]))


JS_STORED_IMAGES = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img'))
  .map(img => ({alt: img.getAttribute('alt'), data: (img.getAttribute('src') || '').startsWith('data:image/'),
                loaded: img.complete && img.naturalWidth > 0}))"""


def test_stored_figures_show_with_their_alt_text_before_running(browser, lab):
    """A chapter just opened (not run, so JupyterLab does not trust its outputs and sanitizes their
    HTML): every stored figure, an <img alt> in text/html (cnnlib.viz.alt), still shows its picture
    (the sanitizer keeps the data: URI) and its alt text."""
    from cnnlib.viz.alt import stored_images
    path = WIDGET_CHAPTERS[2] if len(WIDGET_CHAPTERS) > 2 else WIDGET_CHAPTERS[0]
    stored = [i for c in json.loads(path.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])
              for i in stored_images(o)]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(lab.url(f"notebooks/{path.name}"))
        page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
        assert wait_for(lambda: len([i for i in page.evaluate(JS_STORED_IMAGES) if i["loaded"]]) >= len(stored), 30)
        shown = page.evaluate(JS_STORED_IMAGES)
    finally:
        page.close()
    assert stored and len(shown) == len(stored), f"{path.name}: {len(stored)} stored figures, {len(shown)} <img> shown"
    assert all(i["data"] and i["loaded"] for i in shown), f"{path.name}: a stored figure did not load: {shown}"
    assert [i["alt"] for i in shown] == [i["alt"] for i in stored]

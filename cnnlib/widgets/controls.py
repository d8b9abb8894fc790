"""Widget controls that a keyboard and a screen reader can use: the sliders, dropdowns, Play buttons
and pictures of every chapter widget (built on anywidget, a small pinned library for custom widgets).

    IntSlider(value, min, max, step=1, description="", style=None, continuous_update=True)
    FloatSlider(...)                      the same with float values (readout with 2 decimals)
    Dropdown(options, value=None, description="", style=None)   options: labels, or (label, value) pairs
    Play(value, min, max, step=1, interval=100, description="Play")   a Play/Pause button
    Picture(value=b"", format="png")      an image whose description (.alt) is a text line under it,
                                          announced by screen readers when it changes (aria-live)

Without the anywidget package (Google Colab does not install requirements.txt) these names are
ipywidgets' own controls and Image, which work the same but lack the names and keys above.

The first three are ipywidgets ValueWidgets, so `ipywidgets.interactive`, `link` and `jslink` use them
like ipywidgets' own controls (same trait names: value, min, max, step, description, options, ...).

Why not ipywidgets' controls (8.1.9, measured in JupyterLab 4.6 + Chromium by tests/test_a11y_lab.py):
its slider is a noUiSlider <div role=slider> that no <label> can name, so a screen reader says
"slider" with no name; its Play buttons show only an icon and have no name; and in a notebook in
command mode JupyterLab takes ArrowUp/ArrowDown (select the cell above/below) from a focused slider or
dropdown. Here each control is a native <input type=range>, <select> or <button> named by a visible
<label for=...> or its own text, and marked data-lm-suppress-shortcuts, Lumino's way for an element
to keep its keys (arrows, Home, End, Page Up/Down, Enter, Space) from notebook shortcuts.
"""
import ipywidgets as widgets
import traitlets

try:
    import anywidget
    _Widget = anywidget.AnyWidget
except ImportError:  # e.g. on Google Colab, which installs only the course's clone, not requirements.txt
    anywidget = None
    _Widget = widgets.DOMWidget  # the classes below are defined, then replaced by ipywidgets' (end of file)

_BASE_JS = """
function uid() { return 'cnnlib-' + Math.random().toString(36).slice(2, 10); }
function control(el, kind, focusable) {
  // Lumino skips the keyboard shortcuts of an element with this attribute: the arrows, Home, End,
  // Enter and Space stay with the focused control instead of moving between notebook cells
  el.classList.add('cnnlib-control', 'cnnlib-' + kind);
  focusable.setAttribute('data-lm-suppress-shortcuts', 'true');
}
function label(model, id) {
  const l = document.createElement('label');
  l.className = 'widget-label';
  l.htmlFor = id;
  const update = () => {
    l.textContent = model.get('description');
    l.style.width = model.get('description_width') || '';
    l.style.display = model.get('description') ? '' : 'none';
  };
  update();
  model.on('change:description', update);
  model.on('change:description_width', update);
  return l;
}
"""

_CSS = """
.cnnlib-control { display: flex; align-items: center; gap: 8px; margin: 2px 0; min-height: 28px;
  color: var(--jp-widgets-label-color, var(--jp-ui-font-color1, #000)); }
.cnnlib-control .widget-label { flex: none; text-align: right; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.cnnlib-slider input[type=range] { width: 180px; margin: 0; accent-color: var(--jp-brand-color1, #1565c0); }
.cnnlib-slider .cnnlib-readout { min-width: 3em; }
.cnnlib-control select, .cnnlib-control button { font: inherit; color: inherit;
  background: var(--jp-layout-color1, #fff); border: 1px solid var(--jp-border-color1, #757575);
  border-radius: 2px; padding: 2px 8px; }
.cnnlib-control :focus-visible { outline: 2px solid var(--jp-brand-color1, #1565c0); outline-offset: 2px; }
.cnnlib-picture img { display: block; width: 100%; height: auto; }
.cnnlib-picture .cnnlib-alt { margin: 4px 0 0 0; white-space: normal; }
"""

_SLIDER_JS = _BASE_JS + """
export default {
  render({ model, el }) {
    const id = uid();
    const input = document.createElement('input');
    control(el, 'slider', input);
    input.type = 'range';
    input.id = id;
    const readout = document.createElement('span');
    readout.className = 'cnnlib-readout widget-readout';
    readout.setAttribute('aria-hidden', 'true');  // the slider itself tells its value
    const decimals = model.get('readout_decimals');
    const text = v => decimals > 0 ? Number(v).toFixed(decimals) : String(v);
    const update = () => {
      input.min = model.get('min'); input.max = model.get('max'); input.step = model.get('step');
      input.value = model.get('value');
      input.disabled = model.get('disabled');
      readout.textContent = text(model.get('value'));
    };
    const commit = () => { model.set('value', Number(input.value)); model.save_changes(); };
    input.addEventListener('input', () => {
      readout.textContent = text(input.value);
      if (model.get('continuous_update')) commit();
    });
    input.addEventListener('change', commit);
    for (const name of ['value', 'min', 'max', 'step', 'disabled']) model.on('change:' + name, update);
    update();
    el.append(label(model, id), input, readout);
  }
};
"""

_DROPDOWN_JS = _BASE_JS + """
export default {
  render({ model, el }) {
    const id = uid();
    const select = document.createElement('select');
    control(el, 'dropdown', select);
    select.id = id;
    const update = () => {
      select.replaceChildren(...model.get('labels').map(t => { const o = document.createElement('option');
                                                            o.textContent = t; return o; }));
      select.selectedIndex = model.get('index');
      select.disabled = model.get('disabled');
    };
    select.addEventListener('change', () => { model.set('index', select.selectedIndex); model.save_changes(); });
    for (const name of ['labels', 'index', 'disabled']) model.on('change:' + name, update);
    update();
    el.append(label(model, id), select);
  }
};
"""

_PLAY_JS = _BASE_JS + """
export default {
  initialize({ model }) {  // one timer per model, however many views show it
    let timer = null;
    const tick = () => {
      const next = model.get('value') + model.get('step');
      if (next > model.get('max')) { model.set('playing', false); model.save_changes(); return; }
      model.set('value', next); model.save_changes();
    };
    const update = () => {
      clearInterval(timer); timer = null;
      if (model.get('playing')) timer = setInterval(tick, model.get('interval'));
    };
    model.on('change:playing', update);
    model.on('change:interval', update);
    update();
    return () => clearInterval(timer);
  },
  render({ model, el }) {
    const button = document.createElement('button');
    control(el, 'play', button);
    button.type = 'button';
    const update = () => {
      const playing = model.get('playing');
      const icon = document.createElement('span');
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = playing ? '\\u23f8 ' : '\\u25b6 ';
      button.replaceChildren(icon, playing ? 'Pause' : model.get('description'));
      button.disabled = model.get('disabled');
    };
    button.addEventListener('click', () => {
      const playing = !model.get('playing');
      if (playing && model.get('value') >= model.get('max')) model.set('value', model.get('min'));
      model.set('playing', playing); model.save_changes();
    });
    for (const name of ['playing', 'description', 'disabled']) model.on('change:' + name, update);
    update();
    el.append(button);
  }
};
"""

_PICTURE_JS = """
export default {
  render({ model, el }) {
    el.classList.add('cnnlib-picture');
    const img = document.createElement('img');
    img.className = 'widget-image';
    img.alt = '';  // its text equivalent is the visible line below, not repeated here
    const caption = document.createElement('p');
    caption.className = 'cnnlib-alt';
    caption.setAttribute('aria-live', 'polite');  // read out when the picture changes
    let url = null;
    const update = () => {
      const data = model.get('value');
      if (url) URL.revokeObjectURL(url);
      url = data && data.byteLength ? URL.createObjectURL(new Blob([data], {type: 'image/' + model.get('format')}))
                                     : null;
      if (url) img.src = url; else img.removeAttribute('src');
      caption.textContent = model.get('alt');
    };
    model.on('change:value', update);
    model.on('change:alt', () => { caption.textContent = model.get('alt'); });
    update();
    el.append(img, caption);
    return () => { if (url) URL.revokeObjectURL(url); };
  }
};
"""


def _description_width(style):
    """ipywidgets' style={"description_width": ...} (a dict or a style object) -> the width string."""
    if style is None:
        return ""
    width = style.get("description_width") if isinstance(style, dict) else getattr(style, "description_width", "")
    return width or ""


class _Control(_Widget, widgets.ValueWidget):
    """Shared traits: a visible description (the control's label and accessible name)."""
    _css = _CSS
    description = traitlets.Unicode("").tag(sync=True)
    description_width = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, style=None, **kwargs):
        super().__init__(description_width=_description_width(style), **kwargs)

    def __repr__(self):  # ipywidgets' repr (its non-default traits), not an address that changes every run
        return widgets.Widget.__repr__(self)


class _Bounded(_Control):
    """value kept within [min, max], as ipywidgets' bounded controls do (also when min/max change)."""

    def __init__(self, value=0, min=0, max=100, step=1, **kwargs):
        if min > max:
            raise ValueError(f"{type(self).__name__}: min ({min}) must be <= max ({max}); swap them.")
        super().__init__(min=min, max=max, step=step, **kwargs)
        self.value = value

    @traitlets.validate("value")
    def _clamp(self, proposal):
        return max(self.min, min(proposal.value, self.max))

    @traitlets.observe("min", "max")
    def _bounds_changed(self, change):
        if not self.min <= self.value <= self.max:
            self.value = max(self.min, min(self.value, self.max))


class IntSlider(_Bounded):
    """A labelled <input type=range> with integer values; keys: arrows, Home, End, Page Up/Down."""
    _esm = _SLIDER_JS
    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(100).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    continuous_update = traitlets.Bool(True).tag(sync=True)
    readout_decimals = traitlets.Int(0).tag(sync=True)


class FloatSlider(_Bounded):
    """IntSlider with float values, shown with 2 decimals."""
    _esm = _SLIDER_JS
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(100.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    continuous_update = traitlets.Bool(True).tag(sync=True)
    readout_decimals = traitlets.Int(2).tag(sync=True)

    def __init__(self, value=0.0, min=0.0, max=100.0, step=0.1, **kwargs):
        super().__init__(value=value, min=min, max=max, step=step, **kwargs)


class Play(_Bounded):
    """A Play/Pause button that steps `value` from min to max every `interval` ms, in the browser (a
    timer in the page, as ipywidgets.Play does), then stops; Play at the end starts again from min.
    Its name is its visible text ("Play", or `description`; "Pause" while playing); Enter or Space press it."""
    _esm = _PLAY_JS
    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(100).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    interval = traitlets.Int(100).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)

    def __init__(self, value=0, min=0, max=100, step=1, description="Play", **kwargs):
        super().__init__(value=value, min=min, max=max, step=step, description=description, **kwargs)


class Dropdown(_Control):
    """A labelled <select>. options: a list of labels, or of (label, value) pairs; value: one of the
    values (default the first). The browser sees only the labels and the chosen index."""
    _esm = _DROPDOWN_JS
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    index = traitlets.Int(0).tag(sync=True)
    value = traitlets.Any()
    options = traitlets.Any()

    def __init__(self, options, value=None, **kwargs):
        pairs = [o if isinstance(o, tuple) else (str(o), o) for o in options]
        if not pairs:
            raise ValueError("Dropdown: options must not be empty; pass labels or (label, value) pairs.")
        self._values = [v for _, v in pairs]
        super().__init__(labels=[str(label) for label, _ in pairs], **kwargs)
        self.options = list(options)
        self.value = self._values[0] if value is None else value

    @traitlets.validate("value")
    def _known(self, proposal):
        if proposal.value not in self._values:
            raise ValueError(f"Dropdown: value {proposal.value!r} is not one of the options {self._values!r}.")
        return proposal.value

    @traitlets.observe("value")
    def _value_to_index(self, change):
        self.index = self._values.index(change.new)

    @traitlets.observe("index")
    def _index_to_value(self, change):
        if 0 <= change.new < len(self._values) and self.value != self._values[change.new]:
            self.value = self._values[change.new]


class Picture(_Widget):
    """An image (PNG / JPEG bytes in `value`) with its text equivalent `alt` as a visible line under
    it, in an aria-live="polite" region: a screen reader reads the new words each time the picture
    changes. The <img> itself has alt="" so that the words are not read twice.
    Attribute alt_text: the same words (kept for code written for follow_alt on ipywidgets.Image)."""
    _esm = _PICTURE_JS
    _css = _CSS
    value = traitlets.Bytes(b"").tag(sync=True)
    format = traitlets.Unicode("png").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)

    def __repr__(self):
        return f"Picture(format={self.format!r}, {len(self.value)} bytes)"

    @property
    def alt_text(self):
        return self.alt or None

    @alt_text.setter
    def alt_text(self, text):
        self.alt = text or ""


if anywidget is None:  # without anywidget: ipywidgets' own controls (same arguments), not named for screen readers
    IntSlider, FloatSlider, Dropdown, Play = widgets.IntSlider, widgets.FloatSlider, widgets.Dropdown, widgets.Play

    def Picture(**kwargs):  # noqa: N802 (stands in for the class)
        return widgets.Image(**kwargs)

__all__ = ["IntSlider", "FloatSlider", "Dropdown", "Play", "Picture"]

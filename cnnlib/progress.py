"""Progress reports for Sequential.fit: a line of text per epoch, plus a live bar in Jupyter.

Design: fit always prints one plain line per epoch (so the result stays readable in a saved
notebook, on GitHub, and in a terminal). In a Jupyter kernel (get_ipython() has a `kernel`) it also
shows an ipywidgets progress bar for the batches of the current epoch, with the running loss and
accuracy; the bar is closed when training ends, so only the text lines remain in the output.

This is the one module of cnnlib's lower half that touches IPython / ipywidgets; they are imported
here at the top, and if they are missing (plain Python without Jupyter) only the text report is used.
"""
import sys
import time

try:
    import ipywidgets
    from IPython import get_ipython
    from IPython.display import display
except ImportError:  # no Jupyter installed: text only
    ipywidgets = None


def in_jupyter_kernel():
    """True when running inside a Jupyter kernel (a notebook), False in a terminal or a script."""
    if ipywidgets is None:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def epoch_line(epoch, epochs, history):
    """The text line for one finished epoch, from the last entries of `history`."""
    text = f"epoch {epoch + 1}/{epochs}  loss {history['loss'][-1]:.4f}  acc {history['acc'][-1]:.4f}"
    if history["val_loss"]:
        text += f"  val_loss {history['val_loss'][-1]:.4f}  val_acc {history['val_acc'][-1]:.4f}"
    return text + f"  ({history['time'][-1]:.1f} s)"


class TextProgress:
    """Prints one line per epoch. In an interactive terminal it also rewrites a status line
    ("epoch 1/3  batch 120/938  loss ...") at most once a second, with a carriage return."""

    def __init__(self):
        self.live = sys.stdout.isatty()
        self.last_draw = time.perf_counter()
        self.epoch_text, self.steps, self.width = "", 1, 0

    def start_epoch(self, epoch, epochs, steps):
        self.epoch_text, self.steps = f"epoch {epoch + 1}/{epochs}", steps

    def update(self, step, loss, acc):
        now = time.perf_counter()
        if self.live and now - self.last_draw > 1.0:
            status = f"{self.epoch_text}  batch {step}/{self.steps}  loss {loss:.4f}  acc {acc:.4f}"
            self.width = max(self.width, len(status))
            print("\r" + status, end="", flush=True)
            self.last_draw = now

    def end_epoch(self, epoch, epochs, history):
        line = epoch_line(epoch, epochs, history)
        if self.width:  # overwrite the status line
            line, self.width = "\r" + line.ljust(self.width), 0
        print(line, flush=True)

    def close(self):
        pass


class WidgetProgress(TextProgress):
    """A progress bar over the batches of the current epoch (redrawn at most every 0.2 s), plus the
    text line per epoch. At the end of training the bar is closed and its output slot emptied, so a
    saved notebook keeps only the text lines (no dead widget)."""

    def __init__(self):
        super().__init__()
        self.live = False  # the bar replaces the terminal status line
        self.bar = ipywidgets.IntProgress(min=0, max=1, value=0, layout={"width": "300px"})
        self.label = ipywidgets.Label("")
        self.box = ipywidgets.HBox([self.bar, self.label])
        self.last_draw = 0.0
        self.handle = display(self.box, display_id=True)  # None outside IPython (it prints the repr)

    def start_epoch(self, epoch, epochs, steps):
        self.bar.max = steps
        self.bar.value = 0
        self.epoch_text = f"epoch {epoch + 1}/{epochs}"
        self.label.value = self.epoch_text

    def update(self, step, loss, acc):
        now = time.perf_counter()
        if now - self.last_draw > 0.2 or step == self.bar.max:
            self.bar.value = step
            self.label.value = f"{self.epoch_text}  batch {step}/{self.bar.max}  loss {loss:.4f}  acc {acc:.4f}"
            self.last_draw = now

    def close(self):
        self.box.close()
        if self.handle is not None:
            self.handle.update({"text/plain": ""}, raw=True)


def make_progress(kind="auto"):
    """'auto' (a bar in Jupyter, text elsewhere), 'widget' or 'text'."""
    if kind not in ("auto", "widget", "text"):
        raise ValueError(f"progress must be 'auto', 'widget' or 'text', got {kind!r}.")
    if kind == "widget" and ipywidgets is None:
        raise ValueError("progress='widget' needs ipywidgets, which is not installed; use 'text'.")
    if kind == "widget" or (kind == "auto" and in_jupyter_kernel()):
        return WidgetProgress()
    return TextProgress()

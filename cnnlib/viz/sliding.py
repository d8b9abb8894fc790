"""Chapter 03: a kernel window sliding over a padded input, one output number per step.

    draw_conv_step(axes, x, w, b, stride, padding, step) -> ConvSteps
        axes = (ax_input, ax_kernel or None, ax_output[, ax_text]). Draws the padded input (the
        zero frame hatched grey), the rows/columns the window never reaches (hatched orange),
        the window at `step`, the kernel, the output filled up to `step`, and (in ax_text) the
        dot product being summed. ConvSteps.set_step(k) moves the window and fills the output
        without redrawing anything else, so a widget step is cheap.
    draw_conv_frames(axes, x, w, b, stride, padding, steps) -> list of ConvSteps
        a static strip of frames (2 rows of axes: input, output), for the page beside the widget.
    dot_product_text(window, w, b) -> str
    WindowSteps, draw_window, draw_output, draw_frames   shared with chapter 05's PoolSteps
    unreached_runs(length, f, s) -> [(start, count), ...]   positions no window covers

x: (H, W), w: (KH, KW), b: a number. Output size along each axis: equation (1), with the floor.
"""
import matplotlib.patches as patches
import numpy as np

from .. import functional as F
from .common import draw_box, draw_matrix, signed_limit, style_number

PAD_FACE = "0.88"      # the frame of zeros
UNREACHED = "tab:orange"  # rows / columns the window never covers
WINDOW = "tab:red"
SIGNED = "RdBu_r"      # outputs of a convolution: blue < 0 (white) < red, centred at 0


def _number(v):
    """A value as short text: 3, -1, 0.5; negatives in parentheses for products."""
    text = f"{v:g}"
    return f"({text})" if v < 0 else text


def dot_product_text(window, w, b=0.0):
    """The sum of products of one window (equation (3.1) of chapter 03), one kernel row per line,
    then + b = total.

    window, w: (KH, KW). Returns e.g. '1×0 + 2×1 + 0×(-1)\\n+ ... \\n+ b 1 = 7'.
    """
    window, w = np.asarray(window), np.asarray(w)
    lines = [" + ".join(f"{_number(a)}×{_number(k)}" for a, k in zip(row_x, row_w))
             for row_x, row_w in zip(window, w)]
    total = float(np.sum(window * w) + b)
    return "  " + "\n+ ".join(lines) + f"\n+ b {_number(b)} = {total:g}"


def unreached_runs(length, f, s):
    """The positions 0..length-1 that no window [k*s, k*s + f) covers, as runs [(start, count), ...].

    length: the (padded) input length along one axis. The run at the end is the floor of equation (1)
    at work; with s > f there are also gaps between two windows. Example: (7, 2, 3) -> [(2, 1), (5, 2)].
    """
    n_out = (length - f) // s + 1
    covered = np.zeros(length, dtype=bool)
    for k in range(n_out):
        covered[k * s:k * s + f] = True
    runs, start = [], None
    for i, hit in enumerate(list(covered) + [True]):  # a sentinel closes the last run
        if not hit and start is None:
            start = i
        elif hit and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def shade_unreached(ax, shape, f, s):
    """Hatch (orange) the rows and columns of an (H, W) grid that no f x f window with stride s
    reaches. f, s: ints or (rows, columns) pairs. Returns the patches.

    Unreached rows are hatched across the whole width; unreached columns only between them, so no
    cell is hatched twice (a doubly hatched cell would look darker, as if it meant something)."""
    (H, W) = shape
    fh, fw = (f, f) if np.isscalar(f) else f
    sh, sw = (s, s) if np.isscalar(s) else s
    row_runs = unreached_runs(H, fh, sh)
    reached_rows, top = [], 0  # the row intervals between the unreached runs
    for start, count in row_runs + [(H, 0)]:
        if start > top:
            reached_rows.append((top, start - top))
        top = start + count
    drawn = [shade_cells(ax, start, 0, count, W, UNREACHED, UNREACHED, "//", alpha=0.35, zorder=2)
             for start, count in row_runs]
    drawn += [shade_cells(ax, row, start, height, count, UNREACHED, UNREACHED, "//", alpha=0.35, zorder=2)
              for start, count in unreached_runs(W, fw, sw) for row, height in reached_rows]
    return drawn


def shade_cells(ax, row, col, height, width, face, edge, hatch, alpha=1.0, zorder=1.5):
    """A filled, hatched rectangle over cells [row, row+height) x [col, col+width)."""
    rect = patches.Rectangle((col - 0.5, row - 0.5), width, height, facecolor=face, edgecolor=edge,
                             hatch=hatch, linewidth=0, alpha=alpha, zorder=zorder)
    ax.add_patch(rect)
    return rect


class WindowSteps:
    """What ConvSteps (chapter 03) and PoolSteps (chapter 05) share: output cell number `step`
    (row-major) and its window, and the output panel drawn by draw_output (red box, white covers).

    A subclass sets out (H_out, W_out), n_steps and stride; draw_window sets window_fill and
    window_box, draw_output sets out_box and cover.
    """

    def position(self, step):
        """(i, j) output cell and (row, col) top-left of its window in the (padded) input."""
        i, j = divmod(int(step), self.out.shape[1])
        return (i, j), (i * self.stride, j * self.stride)

    def check_step(self, step):
        """ValueError unless 0 <= step < n_steps."""
        if not 0 <= step < self.n_steps:
            raise ValueError(f"step must be in 0..{self.n_steps - 1} (the output has "
                             f"{self.out.shape[0]}x{self.out.shape[1]} cells), got {step}.")

    def move_to(self, step):
        """Check `step`, move the window (draw_window) over its input cells and the output's red box to
        its cell (show_output_cell). Returns position(step): ((i, j), (row, col))."""
        self.check_step(step)
        (i, j), (r, c) = self.position(step)
        self.window_box.set_xy((c - 0.5, r - 0.5))
        self.window_fill.set_xy((c - 0.5, r - 0.5))
        self.show_output_cell(i, j)
        return (i, j), (r, c)

    def show_output_cell(self, i, j):
        """Put the red box on out[i, j]; the cells after it stay covered in white: the rest of row i,
        then the rows below it."""
        H_out, W_out = self.out.shape
        self.out_box.set_xy((j - 0.5, i - 0.5))
        self.cover[0].set_bounds(j + 0.5, i - 0.5, W_out - 1 - j, 1)
        self.cover[1].set_bounds(-0.5, i + 0.5, W_out, H_out - 1 - i)


def draw_window(ax, steps, height, width):
    """The window on the input: a light red fill (steps.window_fill) and a thick red frame above the
    numbers and the zero frame (steps.window_box), both at the top-left cell; move_to moves them."""
    steps.window_fill = shade_cells(ax, 0, 0, height, width, WINDOW, WINDOW, None, alpha=0.18, zorder=2.5)
    steps.window_box = draw_box(ax, 0, 0, height, width, color=WINDOW, linewidth=3)
    steps.window_box.set_zorder(4)


def draw_output(ax, steps, fmt="{:g}", show_numbers=True, signed=False):
    """The output matrix steps.out, two white covers for the cells not computed yet (above the
    numbers) and the red box of the current cell; sets steps.cover and steps.out_box.

    signed=True (a convolution's output, which can be negative): a diverging colormap centred at 0,
    blue < 0 < red, so the sign shows; otherwise greens. Without numbers in the cells a colour bar
    gives the values. Returns (image, texts) from draw_matrix."""
    out = steps.out
    if signed:
        limit = signed_limit(out)
        cmap, vmin, vmax = SIGNED, -limit, limit
    else:
        cmap, vmin, vmax = "Greens", out.min() - 0.3 * np.ptp(out) - 1e-9, out.max() + 0.5 * np.ptp(out) + 1e-9
    drawn = draw_matrix(ax, out, fmt=fmt, cmap=cmap, vmin=vmin, vmax=vmax, show_numbers=show_numbers, fontsize=9)
    if not show_numbers:
        ax.figure.colorbar(drawn[0], ax=ax, shrink=0.8)
    steps.cover = [shade_cells(ax, 0, 0, 1, 1, "white", "0.8", None, zorder=3.5) for _ in range(2)]
    for rect in steps.cover:
        rect.set_linewidth(0.5)
    steps.out_box = draw_box(ax, 0, 0, 1, 1, color=WINDOW, linewidth=3)
    steps.out_box.set_zorder(4)
    return drawn


class ConvSteps(WindowSteps):
    """What draw_conv_step drew, and `set_step` to move to another output position.

    Attributes: pads (top, bottom, left, right), x_pad (Hp, Wp), out (H_out, W_out), n_steps,
    window_box (Rectangle), window_fill, out_image, out_texts, cover (two white Rectangles over the
    cells not yet computed), out_box, text (or None), step; `animated` lists the artists set_step changes.
    """

    def __init__(self, x, w, b, stride, padding):
        self.x, self.w, self.b = np.asarray(x, dtype=float), np.asarray(w, dtype=float), float(b)
        if self.x.ndim != 2 or self.w.ndim != 2:
            raise ValueError(f"draw_conv_step: x must be (H, W) and w (KH, KW), got shapes "
                             f"{self.x.shape} and {self.w.shape}.")
        self.stride = int(stride)
        KH, KW = self.w.shape
        self.pads = F.resolve_padding(padding, (KH, KW), (self.stride, self.stride), self.x.shape)
        self.x_pad = F.pad2d(self.x, self.pads)  # (Hp, Wp), a new array
        # the library computes the whole output; the steps only reveal it
        self.out = F.conv2d(self.x[None, None], self.w[None, None], np.array([self.b]),
                            self.stride, self.pads)[0, 0]  # (H_out, W_out)
        self.n_steps = self.out.size
        self.step = None

    def describe(self, step):
        """The sum computed at `step`, as text: 'out[i, j] = sum(window * kernel) + b' and the products."""
        (i, j), (r, c) = self.position(step)
        KH, KW = self.w.shape
        window = self.x_pad[r:r + KH, c:c + KW]
        return (f"out[{i}, {j}] = sum(window * kernel) + b, window rows {r}..{r + KH - 1}, "
                f"columns {c}..{c + KW - 1} of the padded input\n"
                + dot_product_text(window, self.w, self.b))

    def set_bias(self, b):
        """Change the bias in place: every output number moves by the difference; the output's colours
        stay centred at 0 (a sign change shows as a colour change), its numbers and their contrast and
        the kernel's title follow. Window and step stay; the caller redraws (these artists are not in
        `animated`)."""
        shift = float(b) - self.b
        self.b = float(b)
        self.out = self.out + shift  # (H_out, W_out), a new array
        self.out_image.set_data(self.out)
        limit = signed_limit(self.out)
        self.out_image.set_clim(-limit, limit)
        for text, value in zip(self.out_texts, self.out.ravel()):
            text.set_text(f"{value:g}")
            style_number(text, self.out_image, value, chip=False)
        if self.kernel_title is not None:
            KH, KW = self.w.shape
            self.kernel_title.set_text(f"kernel {KH}x{KW}, b = {self.b:g}")
        return self

    def set_step(self, step):
        """Show output cell number `step` (row-major): move the window, reveal cells 0..step."""
        self.move_to(step)
        if self.text is not None:
            self.text.set_text(self.describe(step))
        self.step = int(step)
        return self


def _draw_input(ax, steps, show_numbers):
    """Padded input with its zero frame and the never-reached rows / columns."""
    x_pad, (top, bottom, left, right) = steps.x_pad, steps.pads
    Hp, Wp = x_pad.shape
    H, W = steps.x.shape
    KH, KW = steps.w.shape
    lo, hi = min(steps.x.min(), 0), max(steps.x.max(), 1)
    image, texts = draw_matrix(ax, x_pad, cmap="Blues", vmin=lo - 0.3 * (hi - lo), vmax=hi + 0.5 * (hi - lo),
                               show_numbers=show_numbers, fontsize=9, chips=True)  # chips: hatching stays off the numbers
    drawn = {"image": image, "texts": texts, "pad": [], "unreached": []}
    # the frame of zeros: grey, dotted
    for (r, c, h, w) in ((0, 0, top, Wp), (Hp - bottom, 0, bottom, Wp),
                         (top, 0, H, left), (top, Wp - right, H, right)):
        if h > 0 and w > 0:
            drawn["pad"].append(shade_cells(ax, r, c, h, w, PAD_FACE, "0.6", ".."))
    if any(steps.pads):
        drawn["border"] = draw_box(ax, top, left, H, W, color="0.25", linewidth=1.5)
        drawn["border"].set_zorder(2.6)
    # rows / columns the window never covers (the floor in equation (1) drops them; s > f skips gaps)
    drawn["unreached"] = shade_unreached(ax, (Hp, Wp), (KH, KW), steps.stride)
    return drawn


def draw_conv_step(axes, x, w, b=0.0, stride=1, padding=0, step=0, show_numbers=True):
    """Draw one step of a convolution sliding over a padded input; return a ConvSteps.

    axes: (ax_input, ax_kernel, ax_output) or (ax_input, ax_kernel, ax_output, ax_text);
          ax_kernel and ax_text may be None.
    x: (H, W), w: (KH, KW), b: number, stride: int, padding: 'valid', 'same', an int,
    or four ints (top, bottom, left, right). step: which output cell, 0..H_out*W_out - 1.
    """
    ax_in, ax_kernel, ax_out = axes[:3]
    ax_text = axes[3] if len(axes) > 3 else None
    steps = ConvSteps(x, w, b, stride, padding)
    KH, KW = steps.w.shape
    H, W = steps.x.shape
    Hp, Wp = steps.x_pad.shape
    steps.input = _draw_input(ax_in, steps, show_numbers)
    top, bottom, left, right = steps.pads
    if len(set(steps.pads)) == 1:  # the same on every side (0 or p)
        title = f"input {H}x{W}, padding {top} -> {Hp}x{Wp}, stride {steps.stride}"
    else:  # uneven ('same' with an even kernel or a stride): say where the zeros go
        title = (f"input {H}x{W} -> padded {Hp}x{Wp}, stride {steps.stride}\n"
                 f"zeros: top {top}, bottom {bottom}, left {left}, right {right}")
    ax_in.set_title(title, fontsize=10)
    draw_window(ax_in, steps, KH, KW)
    steps.kernel = steps.kernel_title = None
    if ax_kernel is not None:
        limit = max(np.abs(steps.w).max(), 1e-12)
        steps.kernel = draw_matrix(ax_kernel, steps.w, cmap="RdBu_r", vmin=-2 * limit, vmax=2 * limit,
                                   show_numbers=show_numbers, fontsize=9)
        steps.kernel_title = ax_kernel.set_title(f"kernel {KH}x{KW}, b = {steps.b:g}", fontsize=10)
    H_out, W_out = steps.out.shape
    steps.out_image, steps.out_texts = draw_output(ax_out, steps, show_numbers=show_numbers, signed=True)
    ax_out.set_title(f"output {H_out}x{W_out}:\nfloor(({Hp} - {KH}) / {steps.stride}) + 1 = {H_out}",
                     fontsize=10)
    steps.text = None
    if ax_text is not None:
        ax_text.axis("off")
        steps.text = ax_text.text(0.0, 1.0, "", va="top", ha="left", family="monospace", fontsize=9,
                                  transform=ax_text.transAxes)
    steps.animated = [steps.window_fill, steps.window_box, *steps.cover, steps.out_box] + (
        [steps.text] if steps.text is not None else [])
    return steps.set_step(step)


def draw_frames(axes, steps, draw_step, out_title, name):
    """A static strip of frames, shared by draw_conv_frames and chapter 05's draw_pool_frames.

    axes: shape (2, len(steps)), inputs on top, outputs below. draw_step(ax_in, ax_out, step) draws
    one frame and returns its WindowSteps; out_title(frame, i, j) is the output's title text.
    name: the caller's name, for the error message. Returns the list of frames.
    """
    axes = np.asarray(axes)
    if axes.shape != (2, len(steps)):
        raise ValueError(f"{name} needs axes of shape (2, {len(steps)}) (input row, output row), "
                         f"got {axes.shape}.")
    frames = []
    for k, step in enumerate(steps):
        frame = draw_step(axes[0, k], axes[1, k], step)
        (i, j), _ = frame.position(step)
        axes[0, k].set_title(f"step {step}: window -> out[{i}, {j}]", fontsize=10)
        axes[1, k].set_title(out_title(frame, i, j), fontsize=10)
        frames.append(frame)
    return frames


def draw_conv_frames(axes, x, w, b=0.0, stride=1, padding=0, steps=(0, 1, 2)):
    """A static strip of frames: axes has shape (2, len(steps)): inputs on top, outputs below.

    Returns the list of ConvSteps, one per frame; each input title says which step it shows.
    """
    def draw_step(ax_in, ax_out, step):
        return draw_conv_step((ax_in, None, ax_out), x, w, b, stride, padding, step)

    return draw_frames(axes, steps, draw_step, lambda frame, i, j: f"out[{i}, {j}] = {frame.out[i, j]:g}",
                       "draw_conv_frames")

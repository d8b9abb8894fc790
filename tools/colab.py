"""Google Colab: per-chapter "Open in Colab" links and the guarded setup cell, from course.toml.

    colab_url(config, "notebooks/03_...ipynb")  the Colab link that opens that notebook from GitHub
    colab_line(config, notebook_relpath)         the badge line written under the Binder line
    setup_cell_source(config)                    the first code cell: a no-op outside Colab; on Colab
                                                 it clones the course (with data/) and puts it on sys.path
    apply(path, config)                          write both into one notebook (idempotent, minimal diff)

Used through tools/links.py (`colab`, `update --colab`). Standard library only.
Colab opens a notebook from GitHub alone, without the rest of the repository: cnnlib and data/ are
not there, hence the setup cell. Outside Colab (`google.colab` not imported) the cell does nothing
and prints nothing, so strict nbval and local runs are unaffected.
"""
import json
import re
from pathlib import Path
from urllib.parse import quote

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
LABEL = "Open in Colab"
COLAB_LINE = re.compile(r"^\[!\[" + re.escape(LABEL) + r"\]\([^)]*\)\]\(https://colab\.research\.google\.com/[^)\s]*\)\s*$")
SETUP_FIRST_LINE = "# Google Colab only (does nothing elsewhere): fetch the course with its data/ and make cnnlib importable."


def colab_url(config, notebook_relpath):
    """https://colab.research.google.com/github/OWNER/NAME/blob/BRANCH/PATH"""
    return "https://colab.research.google.com/github/{}/{}/blob/{}/{}".format(
        quote(config["owner"], safe=""), quote(config["name"], safe=""), quote(config["branch"], safe=""),
        quote(Path(notebook_relpath).as_posix(), safe="/"))


def colab_line(config, notebook_relpath):
    return f"[![{LABEL}]({COLAB_BADGE})]({colab_url(config, notebook_relpath)})"


def setup_cell_source(config):
    """The guarded setup cell. CNNLIB_COURSE_REPO / CNNLIB_COURSE_DIR override where it clones from
    and to (tests/test_colab.py points them at a local repository)."""
    repo = f"https://github.com/{config['owner']}/{config['name']}.git"
    return "\n".join([
        SETUP_FIRST_LINE,
        "import os, subprocess, sys",
        "if \"google.colab\" in sys.modules:",
        f"    _course = os.environ.get(\"CNNLIB_COURSE_DIR\", \"/content/{config['name']}\")",
        "    if not os.path.isdir(os.path.join(_course, \"cnnlib\")):",
        f"        subprocess.run([\"git\", \"clone\", \"--depth\", \"1\", \"--branch\", \"{config['branch']}\",",
        f"                        os.environ.get(\"CNNLIB_COURSE_REPO\", \"{repo}\"), _course], check=True)",
        "    if _course not in sys.path:",
        "        sys.path.insert(0, _course)",
        "    from google.colab import output",
        "    output.enable_custom_widget_manager()  # ipywidgets in Colab; the Play buttons use kernel links there",
    ])


def _text(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_text(cell, text):
    cell["source"] = text.splitlines(True) if isinstance(cell.get("source"), list) else text


def apply(path, config, root):
    """Write the Colab badge (second line of the first markdown cell, under the Binder line) and the
    setup cell (the first code cell) into one notebook. Returns True if the file changed. A new
    setup cell has no execution count: re-run the notebook (python3 course.py refresh) afterwards."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    cells = nb["cells"]
    first_md = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown"), None)
    if first_md is None:
        raise ValueError(f"{path}: no markdown cell to hold the Colab link")
    relpath = path.resolve().relative_to(Path(root).resolve()).as_posix()
    lines = _text(cells[first_md]).split("\n")
    badge = colab_line(config, relpath)
    if len(lines) > 1 and COLAB_LINE.match(lines[1]):
        lines[1] = badge
    else:
        lines.insert(1, badge)
    _set_text(cells[first_md], "\n".join(lines))
    source = setup_cell_source(config)
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), None)
    if first_code is not None and _text(cells[first_code]).startswith(SETUP_FIRST_LINE):
        if _text(cells[first_code]) != source:
            _set_text(cells[first_code], source)
    else:
        cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                "source": source.splitlines(True)}
        if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
            cell = {"cell_type": "code", "execution_count": None, "id": "colab-setup", "metadata": {},
                    "outputs": [], "source": source.splitlines(True)}
        cells.insert(first_md + 1, cell)
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new != raw:
        path.write_text(new, encoding="utf-8")
    return new != raw

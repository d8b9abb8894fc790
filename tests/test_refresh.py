"""Every notebook is stored as `python3 course.py refresh` leaves it.

`refresh` runs a notebook in place and then `nbstripout` with course.STRIP_OPTIONS (keep outputs and
execution counts, drop widget-state noise such as metadata.widgets). A notebook saved another way
(from JupyterLab with widget state, or stripped of its outputs) fails here, naming the file and the fix.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import course  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def stripped(path):
    """The notebook's text after `nbstripout <STRIP_OPTIONS>` (printed, the file untouched)."""
    result = subprocess.run([sys.executable, "-m", "nbstripout", *course.STRIP_OPTIONS, "--textconv", str(path)],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_as_refresh_leaves_it(path):
    assert stripped(path) == path.read_text(encoding="utf-8"), (
        f"{path.name} is not stored as `python3 course.py refresh` leaves it (widget state or other noise "
        f"that nbstripout {' '.join(course.STRIP_OPTIONS)} removes): run python3 course.py refresh notebooks/{path.name}")


def test_the_check_sees_widget_state(tmp_path):
    """A notebook saved with widget state (as JupyterLab saves it) is caught."""
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    noisy = tmp_path / "noisy.ipynb"
    noisy.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert stripped(noisy) != noisy.read_text(encoding="utf-8")

"""TEACHING.md's exercise table lists exactly the exercises the chapters check.

An exercise is a function the student fills in (a stub raising NotImplementedError) with a
`check_<name>(...)` call in the chapter; the table row of that chapter
must name each as `name` (in backticks) and name nothing else that is not an exercise there.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ROW = re.compile(r"^\| (\d\d) \| (.+) \|\s*$")


def checked_exercises(path):
    """Names with a stub for the student (a def in a cell that raises NotImplementedError) and a check."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    stubs = {name for cell in cells if "NotImplementedError" in cell for name in re.findall(r"^def (\w+)\(", cell, re.M)}
    checked = set(re.findall(r"\bcheck_(\w+)\(", "\n".join(cells)))
    return stubs & checked


def table():
    text = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
    section = text.split("What students write in the exercises", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = ROW.match(line)
        if m:
            rows[m.group(1)] = set(re.findall(r"`(\w+)", m.group(2)))
    return rows


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_teaching_table_matches_the_notebook(path):
    rows = table()
    number = path.name[:2]
    want = checked_exercises(path)
    got = rows.get(number, set())
    assert got == want, (f"TEACHING.md's exercise row for chapter {number} does not match {path.name}: "
                         f"missing {sorted(want - got)}, not exercises there {sorted(got - want)}")

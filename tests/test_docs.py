"""The docs must read the same on any machine: no absolute paths of the machine they were written on."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", ".git", "node_modules", ".ipynb_checkpoints", "artifacts"}
DOCS = sorted(p for p in ROOT.rglob("*.md") if not SKIP & set(p.relative_to(ROOT).parts))
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(work|root|home|Users|opt/conda)/[\w.-]+")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_absolute_machine_paths(path):
    hits = [f"line {n}: {line.strip()[:100]}" for n, line in
            enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if MACHINE_PATH.search(line)]
    assert not hits, (f"{path.relative_to(ROOT)} names paths of one machine (use a path relative to the "
                      "repository, e.g. ../benchvenv or .venv):\n  " + "\n  ".join(hits))


def test_the_pattern_finds_a_machine_path():
    assert MACHINE_PATH.search("/work/benchvenv/bin/python benchmarks/bench_conv.py")
    assert not MACHINE_PATH.search("../benchvenv/bin/python and .venv/bin/python, lab/tree/notebooks")

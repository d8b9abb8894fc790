#!/usr/bin/env python3
"""Write a copy of the course for students: no solutions, exercise outputs cleared.

    python3 course.py student-copy DEST                   # the same, through course.py
    python3 tools/student_copy.py DEST [--notebooks-only] [--force]

DEST receives what a student needs to run the course (README.md, course.py, course.toml,
requirements.txt, runtime.txt, pyproject.toml, start, Makefile, cnnlib/, data/, notebooks/) minus:
  - notebooks/solutions/ (the worked solutions; never copied),
  - the outputs and execution counts of cells tagged `exercise` or `exercise-check`
    (so a stored "Correct: ..." or a printed answer does not give the exercise away),
  - .ipynb_checkpoints/ and __pycache__/ folders.
Everything else in each notebook (other cells' outputs, metadata, formatting) is kept as is.
With --notebooks-only, DEST receives just the notebooks/ folder (e.g. to drop into a JupyterHub
home folder that already has cnnlib installed or next to it).

Standard library only.
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a student's copy contains (missing entries are skipped, e.g. a fork without a Makefile).
# pyproject.toml: requirements.txt installs cnnlib itself (`-e .`); start: Binder's BLAS setting.
COURSE_FILES = ["README.md", "LICENSE", "course.py", "course.toml", "requirements.txt", "runtime.txt",
                "pyproject.toml", "start", "Makefile"]
COURSE_DIRS = ["cnnlib", "data", "notebooks"]
CLEARED_TAGS = {"exercise", "exercise-check"}
SOLUTIONS = "solutions"
IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".pytest_cache")


def clear_exercises(nb):
    """Clear outputs and execution counts of exercise / exercise-check cells, in place.
    Returns the number of cells cleared."""
    cleared = 0
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") == "code" and tags & CLEARED_TAGS:
            cell["outputs"] = []
            cell["execution_count"] = None
            cleared += 1
    return cleared


def mentions_solutions(nb):
    """Indices of code cells that refer to the solutions folder (they would break without it)."""
    hits = []
    for i, cell in enumerate(nb.get("cells", [])):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "code" and ("solutions/" in text or "import solutions" in text
                                                 or "from solutions" in text):
            hits.append(i)
    return hits


def copy_notebooks(src, dest):
    """Copy the notebooks folder src -> dest without solutions/, clearing exercise outputs.
    Returns a list of (relative notebook path, cells cleared, cells mentioning solutions)."""
    src, dest = Path(src), Path(dest)
    ignore_here = lambda folder, names: (IGNORE(folder, names)
                                         | ({SOLUTIONS} if Path(folder) == src else set()))
    shutil.copytree(src, dest, ignore=ignore_here)
    report = []
    for path in sorted(dest.rglob("*.ipynb")):
        raw = path.read_text(encoding="utf-8")
        nb = json.loads(raw)
        cleared = clear_exercises(nb)
        if cleared:
            # Same layout as nbformat writes (indent=1, non-ASCII kept, trailing newline).
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        report.append((path.relative_to(dest).as_posix(), cleared, mentions_solutions(nb)))
    return report


def make_student_copy(dest, root=ROOT, notebooks_only=False, force=False):
    """Write the student copy of the course at `root` into `dest`. Returns copy_notebooks' report."""
    root, dest = Path(root).resolve(), Path(dest).resolve()
    if not (root / "notebooks").is_dir():
        raise ValueError(f"{root} has no notebooks/ folder: is it the course repository?")
    if dest == root or root in dest.parents:
        raise ValueError(f"destination {dest} is inside the course repository {root}; choose a folder outside it.")
    if dest.exists() and any(dest.iterdir()):
        if not force:
            raise ValueError(f"destination {dest} exists and is not empty; choose a new folder or pass --force "
                             f"(which deletes it first).")
        shutil.rmtree(dest)
    elif dest.exists():
        dest.rmdir()  # empty: copytree below wants to create it
    if notebooks_only:
        return copy_notebooks(root / "notebooks", dest)
    dest.mkdir(parents=True)
    for name in COURSE_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, dest / name)
    for name in COURSE_DIRS:
        if name != "notebooks" and (root / name).is_dir():
            shutil.copytree(root / name, dest / name, ignore=IGNORE)
    return copy_notebooks(root / "notebooks", dest / "notebooks")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("dest", help="folder to create (must be new or empty, outside the repository)")
    parser.add_argument("--notebooks-only", action="store_true", help="copy only the notebooks/ folder")
    parser.add_argument("--force", action="store_true", help="delete DEST first if it is not empty")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        report = make_student_copy(args.dest, args.root, args.notebooks_only, args.force)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, cleared, hits in report:
        print(f"{name}: {cleared} exercise cell(s) cleared")
        if hits:
            print(f"  warning: cell(s) {hits} refer to the solutions folder, which the student copy does not have",
                  file=sys.stderr)
    print(f"Student copy written to {Path(args.dest).resolve()} (no notebooks/{SOLUTIONS}/).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

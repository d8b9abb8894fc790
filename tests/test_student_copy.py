"""tools/student_copy.py on the fixture course in tests/fixtures/course (one chapter, one solution)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import student_copy  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "course"
NOTEBOOK = "notebooks/01_fixture.ipynb"


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def test_fixture_has_what_the_test_needs():
    # Guards the test itself: exercise cells with outputs and a solutions file to leave behind.
    nb = load(FIXTURE / NOTEBOOK)
    exercise_cells = [c for c in nb["cells"] if tags(c) & {"exercise", "exercise-check"}]
    assert len(exercise_cells) == 2 and all(c["outputs"] and c["execution_count"] for c in exercise_cells)
    assert (FIXTURE / "notebooks" / "solutions" / "01_fixture.py").is_file()


def test_student_copy_removes_solutions_and_clears_exercises(tmp_path):
    dest = tmp_path / "class"
    report = student_copy.make_student_copy(dest, root=FIXTURE)
    assert report == [("01_fixture.ipynb", 2, [])]
    assert not (dest / "notebooks" / "solutions").exists()
    assert not list(dest.rglob("solutions"))

    before, after = load(FIXTURE / NOTEBOOK), load(dest / NOTEBOOK)
    assert len(before["cells"]) == len(after["cells"])
    for old, new in zip(before["cells"], after["cells"]):
        assert old["source"] == new["source"]
        if tags(old) & {"exercise", "exercise-check"}:
            assert new["outputs"] == [] and new["execution_count"] is None
        else:
            assert new == old  # every other cell, outputs and counts included, untouched
    assert after["metadata"] == before["metadata"]
    # Written the way nbformat writes (indent=1, non-ASCII kept, trailing newline).
    text = (dest / NOTEBOOK).read_text(encoding="utf-8")
    assert text == json.dumps(after, indent=1, ensure_ascii=False) + "\n" and "é" in text
    # The source course is untouched.
    assert (FIXTURE / "notebooks" / "solutions" / "01_fixture.py").is_file()
    assert load(FIXTURE / NOTEBOOK) == before


def test_notebooks_only_and_refusals(tmp_path):
    dest = tmp_path / "nbs"
    student_copy.make_student_copy(dest, root=FIXTURE, notebooks_only=True)
    assert sorted(p.name for p in dest.iterdir()) == ["01_fixture.ipynb"]
    # A non-empty destination is refused without --force, replaced with it.
    with pytest.raises(ValueError, match="not empty"):
        student_copy.make_student_copy(dest, root=FIXTURE, notebooks_only=True)
    (dest / "stale.txt").write_text("old")
    student_copy.make_student_copy(dest, root=FIXTURE, notebooks_only=True, force=True)
    assert not (dest / "stale.txt").exists()
    # A destination inside the repository is refused (it would copy itself).
    with pytest.raises(ValueError, match="inside the course repository"):
        student_copy.make_student_copy(FIXTURE / "out", root=FIXTURE)


def test_warns_about_cells_that_use_solutions(tmp_path):
    src = tmp_path / "course"
    (src / "notebooks" / "solutions").mkdir(parents=True)
    nb = load(FIXTURE / NOTEBOOK)
    nb["cells"][1]["source"] = ["from solutions.x import square\n"]
    (src / "notebooks" / "01_fixture.ipynb").write_text(json.dumps(nb, indent=1) + "\n")
    report = student_copy.make_student_copy(tmp_path / "out", root=src)
    assert report == [("01_fixture.ipynb", 2, [1])]


def test_course_py_subcommand(tmp_path):
    # The real repository through `python3 course.py student-copy DEST --notebooks-only`.
    dest = tmp_path / "copy"
    done = subprocess.run([sys.executable, str(ROOT / "course.py"), "student-copy", str(dest), "--notebooks-only"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "no notebooks/solutions/" in done.stdout
    assert not (dest / "solutions").exists()
    for path in dest.glob("*.ipynb"):
        for cell in load(path)["cells"]:
            if tags(cell) & {"exercise", "exercise-check"}:
                assert cell["outputs"] == [] and cell["execution_count"] is None, (path.name, cell["source"])

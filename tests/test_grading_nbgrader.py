"""The nbgrader assignments with the real nbgrader (pinned in requirements-grade.txt, in its own venv).

Every chapter: generate_assignment; the released notebooks hold no solution body and no hidden test.
Then ONE `nbgrader autograde` run per half of the chapters (two course directories graded side by side,
one per core) over these students:
  solutions          every chapter's solutions: full marks
  wrong-<exercise>   the solutions with one classic mistake: that exercise 0, the others full
  broken             per chapter: the first exercise raises, the second loops forever, answer cells
                     print megabytes (one long line, and 300,000 short lines): graded within the
                     timeout, those two exercises 0, the others full, the feedback says why
  notjson            a submission file that is not JSON: nbgrader reports the error, others go on
  deleted            the first exercise's test cell and a text cell deleted: nbgrader puts the test
                     cell back, says so, and grades it (full marks)
Then generate_feedback: each wrong-<exercise> page names the failing exercise.

Needs .venv-grade (made by .ci/setup-grade) or CNNLIB_NBGRADER_VENV; skipped without it unless
CNNLIB_REQUIRE_NBGRADER=1 (set by .ci/run), which turns the skip into a failure.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))  # "01", "02", ...
sys.path.insert(0, str(ROOT / "tools"))

import grading  # noqa: E402
from grading_cases import EXERCISES  # noqa: E402

VENV = Path(os.environ.get("CNNLIB_NBGRADER_VENV", ROOT / ".venv-grade"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
REQUIRED = os.environ.get("CNNLIB_REQUIRE_NBGRADER", "") == "1"
TEST_TIMEOUT = 5  # seconds for an exercise/test cell here (the course default is 60)

if not (BIN / "nbgrader").exists():
    message = (f"nbgrader not found in {VENV}: run .ci/setup-grade (creates .venv-grade with requirements.txt "
               f"and requirements-grade.txt) or set CNNLIB_NBGRADER_VENV")
    if REQUIRED:
        raise RuntimeError(message + " (CNNLIB_REQUIRE_NBGRADER=1)")
    pytest.skip(message, allow_module_level=True)

SCORES_SCRIPT = """
import json, sys
from nbgrader.api import Gradebook, MissingEntry
out = {}
with Gradebook("sqlite:///" + sys.argv[1] + "/gradebook.db") as gb:
    for assignment in gb.assignments:
        for notebook in assignment.notebooks:
            for student in gb.students:
                try:
                    sub = gb.find_submission_notebook(notebook.name, assignment.name, student.id)
                except MissingEntry:
                    continue
                out.setdefault(student.id, {})[assignment.name] = {g.name: g.score for g in sub.grades}
print(json.dumps(out))
"""


def nbgrader(course, *args, check=True, timeout=900):
    env = dict(os.environ, PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""), CNNLIB_QUICK="1",
               OPENBLAS_NUM_THREADS="1")
    result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def answer_text(source_cell):
    """What a student who solved it wrote: the source answer cell without the solution markers."""
    return "\n".join(line for line in grading.cell_text(source_cell).splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def exercises_of(nb):
    """[(exercise, index of its answer cell)] in notebook order, from the nbgrader metadata."""
    found = []
    answers = [i for i, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get("solution")]
    for i, cell in enumerate(nb["cells"]):
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if cell["metadata"]["nbgrader"].get("grade") and grade_id.startswith("test_"):
            name = grade_id.removeprefix("test_")
            found.append((name, next(a for a in answers if re.search(rf"^def {name}\(", grading.cell_text(nb["cells"][a]), re.M))))
    return found


def submission(source_nb, changes=None, drop=()):
    """A student's notebook: the released layout with every answer filled in (answer_text), then
    `changes` {cell index: text appended to that answer cell}, minus the cells in `drop`."""
    nb = json.loads(json.dumps(source_nb))
    for i, cell in enumerate(nb["cells"]):
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = answer_text(cell) + (("\n\n\n" + changes[i]) if changes and i in changes else "")
        cell["outputs"] = [] if cell["cell_type"] == "code" else cell.get("outputs")
        if cell["cell_type"] != "code":
            cell.pop("outputs", None)
    nb["cells"] = [c for i, c in enumerate(nb["cells"]) if i not in drop]
    return nb


def submit(course, student, assignment, filename, nb_or_text):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    text = nb_or_text if isinstance(nb_or_text, str) else json.dumps(nb_or_text, indent=1)
    (folder / filename).write_text(text, encoding="utf-8")


BROKEN_RAISE = "def {name}(*args, **kwargs):\n    raise RuntimeError('broken on purpose')\n"
BROKEN_LOOP = "def {name}(*args, **kwargs):\n    while True:\n        pass\n"
PRINT_LONG_LINE = "print('x' * 3_000_000)  # three megabytes on one line\n"
PRINT_MANY_LINES = "print('\\n'.join(str(i) for i in range(300_000)))  # 300,000 lines\n"


def build_course(course, chapters):
    """Generate, release and collect the submissions of `chapters` in `course`; return what was expected."""
    result = grading.make_course(course, chapters)
    config = course / "nbgrader_config.py"
    text = config.read_text()
    assert "EXERCISE_TIMEOUT = 60" in text and "CHAPTER_CELL_TIMEOUT = 900" in text
    config.write_text(text.replace("EXERCISE_TIMEOUT = 60", f"EXERCISE_TIMEOUT = {TEST_TIMEOUT}")
                      .replace("CHAPTER_CELL_TIMEOUT = 900", "CHAPTER_CELL_TIMEOUT = 300"))
    nbgrader(course, "generate_assignment", "*", "--force")
    expected = {}
    for path in sorted((course / "source").glob("ch*/*.ipynb")):
        assignment, source = path.parent.name, json.loads(path.read_text())
        exercises = exercises_of(source)
        points = dict(result[assignment][0])
        full = {f"test_{name}": points[name] for name, _ in exercises}
        submit(course, "solutions", assignment, path.name, submission(source))
        expected[("solutions", assignment)] = dict(full)
        for name, answer in exercises:
            if name in EXERCISES:
                submit(course, f"wrong-{name}", assignment, path.name,
                       submission(source, {answer: EXERCISES[name]["mistake"]}))
                expected[(f"wrong-{name}", assignment)] = dict(full, **{f"test_{name}": 0})
        (first, first_cell), (second, second_cell) = exercises[0], exercises[1]
        changes = {first_cell: BROKEN_RAISE.format(name=first) + PRINT_LONG_LINE}
        changes[second_cell] = changes.get(second_cell, "") + BROKEN_LOOP.format(name=second) + PRINT_MANY_LINES
        submit(course, "broken", assignment, path.name, submission(source, changes))
        expected[("broken", assignment)] = dict(full, **{f"test_{first}": 0, f"test_{second}": 0})
        submit(course, "notjson", assignment, path.name, '{"cells": [ this is not JSON')
        test_cell = next(i for i, c in enumerate(source["cells"])
                         if c["metadata"]["nbgrader"].get("grade_id") == f"test_{first}")
        markdown = next(i for i, c in enumerate(source["cells"]) if c["cell_type"] == "markdown")
        submit(course, "deleted", assignment, path.name, submission(source, drop={test_cell, markdown}))
        expected[("deleted", assignment)] = dict(full)  # the test cell is put back and run
    return expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Two course directories (odd and even chapters), built, autograded side by side, feedback made."""
    halves = [CHAPTERS[0::2], CHAPTERS[1::2]]
    courses = [tmp_path_factory.mktemp(f"course{i}") for i in range(2)]
    expected = {}
    for course, chapters in zip(courses, halves):
        expected.update(build_course(course, chapters))
    start = time.monotonic()
    env = dict(os.environ, PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""), CNNLIB_QUICK="1",
               OPENBLAS_NUM_THREADS="1")
    runs = [subprocess.Popen([str(BIN / "nbgrader"), "autograde", "*"], cwd=course, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for course in courses]
    logs = []
    for run in runs:
        try:
            logs.append((run.communicate(timeout=900)[0], run.returncode))
        finally:
            if run.poll() is None:
                run.kill()  # only the process this test started
    seconds = time.monotonic() - start
    scores = {}
    for course in courses:
        out = subprocess.run([str(BIN / "python"), "-c", SCORES_SCRIPT, str(course)], capture_output=True,
                             text=True, check=True).stdout
        for student, by_assignment in json.loads(out).items():
            scores.setdefault(student, {}).update(by_assignment)
        nbgrader(course, "generate_feedback", "*", "--force", check=False)
    return dict(courses=courses, expected=expected, scores=scores, logs=logs, seconds=seconds)


def test_every_chapter_is_released_without_solutions_or_hidden_tests(graded):
    solutions = grading.Solutions()
    released_count = 0
    for course in graded["courses"]:
        for path in sorted((course / "release").glob("ch*/*.ipynb")):
            released_count += 1
            text = path.read_text()
            assert "BEGIN HIDDEN TESTS" not in text and "_grading_hidden_check" not in text, path
            assert "BEGIN SOLUTION" not in text, path
            code = "\n".join(grading.cell_text(c) for c in json.loads(text)["cells"] if c["cell_type"] == "code")
            chapter = "\n".join(grading.cell_text(c) for c in json.loads((ROOT / "notebooks" / path.name).read_text())["cells"])
            for name, _ in exercises_of(json.loads((course / "source" / path.parent.name / path.name).read_text())):
                _, source, tree = solutions.module_of(name)
                fn = next(n for n in tree.body if getattr(n, "name", None) == name)
                body = [line.strip() for line in source.splitlines()[fn.body[0].lineno - 1:fn.end_lineno]]
                # every line of the solution that the chapter itself does not contain must be absent
                leaked = [line for line in body if line and line not in chapter and line in code]
                assert not leaked, f"{path.name}: {name}'s solution lines are in the released notebook: {leaked}"
                assert any(line.strip() == "raise NotImplementedError" for line in code.splitlines())
    assert released_count == len(CHAPTERS)


def test_solutions_get_full_marks_and_each_mistake_costs_only_its_exercise(graded):
    checked = 0
    for (student, assignment), want in graded["expected"].items():
        got = graded["scores"].get(student, {}).get(assignment)
        assert got == want, f"{student} {assignment}: got {got}, expected {want}"
        checked += 1
    wrong = {s for s, _ in graded["expected"] if s.startswith("wrong-")}
    assert wrong == {f"wrong-{name}" for name in EXERCISES}, "every exercise gets its classic mistake submitted"
    assert checked >= len(CHAPTERS) + len(EXERCISES) + len(CHAPTERS)


def test_grading_finished_in_time_and_reported_bad_files(graded):
    print(f"autograde of {len(CHAPTERS)} chapters ({len(graded['expected'])} graded submissions + "
          f"{len(CHAPTERS)} broken files), "
          f"two runs side by side: {graded['seconds']:.0f} s")
    for log, returncode in graded["logs"]:
        assert returncode != 0, "a submission that is not JSON must make nbgrader report an error"
        assert "There was an error processing assignment" in log and "for student 'notjson'" in log, log[-3000:]
        assert "for student 'solutions'" not in log
    for course in graded["courses"]:
        for assignment in sorted(p.name for p in (course / "release").iterdir()):
            assert (course / "autograded" / "solutions" / assignment).is_dir()  # graded after notjson failed
            assert not (course / "autograded" / "notjson" / assignment).exists()


def test_deleted_test_cells_are_put_back_reported_and_graded(graded):
    joined = "\n".join(log for log, _ in graded["logs"])
    for course in graded["courses"]:
        for assignment in sorted(p.name for p in (course / "release").iterdir()):
            first = exercises_of(json.loads(next((course / "source" / assignment).glob("*.ipynb")).read_text()))[0][0]
            assert f"Missing grade cell test_{first} encountered" in joined, assignment
            assert "was missing from the submission" in feedback_page(course, "deleted", assignment)


def feedback_page(course, student, assignment):
    pages = list((course / "feedback" / student / assignment).glob("*.html"))
    assert len(pages) == 1, f"no feedback page for {student} {assignment}"
    return pages[0].read_text(encoding="utf-8")


def test_feedback_names_the_failing_exercise(graded):
    for (student, assignment), want in graded["expected"].items():
        course = next(c for c in graded["courses"] if (c / "release" / assignment).exists())
        page = feedback_page(course, student, assignment)
        for grade_id, points in want.items():
            name = grade_id.removeprefix("test_")
            # the error line of a failing test cell: "AssertionError: conv_db is not right yet ..." (visible
            # check) or "AssertionError: conv_db: hidden test 2 (...)" / "conv_db calls ..." (hidden tests)
            failed = re.search(rf"AssertionError</span>: {name}[ :]", page) is not None
            if student.startswith("wrong-") or student == "solutions":
                assert failed == (points == 0), f"{student} {assignment}: {name} {'not ' * failed}named as failing"


def test_feedback_explains_timeouts_and_cut_output(graded):
    for course in graded["courses"]:
        for assignment in sorted(p.name for p in (course / "release").iterdir()):
            page = feedback_page(course, "broken", assignment)
            assert "CellTimeoutError" in page and "endless loop" in page, assignment
            assert "broken on purpose" in page, assignment
            assert "output cut by the grader" in page, assignment
            assert "Output truncated" in page, assignment
            assert len(page) < 2_000_000, f"{assignment}: feedback page of {len(page):,} characters"

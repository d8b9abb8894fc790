"""tools/grading.py without nbgrader: the source notebooks' structure, the hidden tests (they pass the
solutions, reject the classic mistakes and the library shortcuts), the cases file covers every exercise,
and TEACHING.md's points table is the generator's. The real nbgrader run: tests/test_grading_nbgrader.py."""
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import grading  # noqa: E402
from grading_cases import ALWAYS_FORBIDDEN, EXERCISES  # noqa: E402
from grading_hidden import _grading_hidden_check as hidden_check  # noqa: E402

from cnnlib import functional as F  # noqa: E402

SOLUTIONS = grading.Solutions()
CHAPTERS = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in grading.chapters()}
GENERATED = {name: grading.source_notebook(nb, SOLUTIONS) for name, nb in CHAPTERS.items()}
FOUND = [name for _, exercises, _ in GENERATED.values() for name, _ in exercises]


def cases_of(name, expected_from=None):
    entry = EXERCISES[name]
    fn = expected_from or SOLUTIONS.callable(name)
    return grading.hidden_cases(name, fn, entry), grading.forbidden_rules(entry["forbidden"] + ALWAYS_FORBIDDEN)


def mistake(name):
    namespace = {}
    exec("import numpy as np\nfrom cnnlib import functional as F\n" + EXERCISES[name]["mistake"], namespace)
    return namespace[name]


def test_every_exercise_is_found_and_has_hidden_tests():
    assert len(FOUND) == len(set(FOUND)) >= 27
    assert {f"{n:02d}" for n in range(1, 12)} == {name[:2] for name, (_, ex, _) in GENERATED.items() if ex}
    missing = sorted(set(FOUND) - set(EXERCISES))
    assert not missing, f"add hidden cases for {missing} to tools/grading_cases.py"
    stale = sorted(set(EXERCISES) - set(FOUND))
    assert not stale, f"tools/grading_cases.py has entries for exercises no chapter has: {stale}"
    for name, (_, _, report) in GENERATED.items():
        assert report == [], f"{name}: {report}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_solution_agrees_with_the_library_on_every_hidden_case(name):
    cases, rules = cases_of(name, expected_from=EXERCISES[name]["reference"])  # expected from cnnlib
    assert len(cases) >= 2
    hidden_check(name, SOLUTIONS.callable(name), cases, rules)  # the solution: right, and no forbidden call


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_hidden_tests_alone_reject_the_classic_mistake(name):
    cases, rules = cases_of(name)
    with pytest.raises(AssertionError, match=name):
        hidden_check(name, mistake(name), cases, rules)


@pytest.mark.parametrize("name, shortcut, words", [
    ("conv_one_filter", lambda x, w, b: F.conv2d(x[None], w[None], np.array([b]))[0, 0], "conv2d"),
    ("conv_dx_single", lambda dy, k: F.convolve2d(dy, k, "full"), "convolve2d"),
    ("correlate2d_full", lambda image, kernel: F.correlate2d(image, kernel, "full"), "mode='full'"),
    ("max_pool", lambda x, size, stride: F.max_pool2d(x[None, None], size, stride)[0, 0], "max_pool2d"),
    ("confusion_matrix", lambda t, p, k: __import__("cnnlib.metrics").metrics.confusion_matrix(t, p, k), "metrics"),
    ("shift_image", lambda img, dy, dx: __import__("cnnlib.viz.why").viz.why.shift_image(img, dy, dx), "shift_image"),
    ("dense_params", lambda n_in, n_out: sum(p.size for p in __import__("cnnlib.layers").layers.Dense(n_in, n_out).params.values()),
     "layers"),
])
def test_hidden_tests_reject_the_library_shortcut(name, shortcut, words):
    cases, rules = cases_of(name)
    with pytest.raises(AssertionError, match=f"{name} calls .*{words}"):
        hidden_check(name, shortcut, cases, rules)


def test_forbidden_calls_are_seen_through_aliases_and_the_checks_references():
    from cnnlib.conv import conv2d as renamed
    from cnnlib.checks import layer as check_module
    cases, rules = cases_of("conv_relu")
    with pytest.raises(AssertionError, match="calls cnnlib.conv.conv2d"):
        hidden_check("conv_relu", lambda x, w, b: np.maximum(renamed(x[None], w, b)[0], 0), cases, rules)
    with pytest.raises(AssertionError, match="calls cnnlib.checks"):
        hidden_check("conv_relu", check_module._conv_relu_reference, cases, rules)


def test_allowed_library_calls_pass():
    # chapter 07's exercise 1 may use F.correlate2d in 'valid' mode; chapter 02's exercise 3 too
    cases, rules = cases_of("correlate2d_full")
    hidden_check("correlate2d_full", lambda image, kernel: F.correlate2d(
        np.pad(image, ((kernel.shape[0] - 1,) * 2, (kernel.shape[1] - 1,) * 2)), kernel), cases, rules)


def test_hidden_tests_reject_changing_the_input_in_place():
    cases, rules = cases_of("conv_db")

    def in_place(dout):
        result = dout.sum(axis=(0, 2, 3))
        dout[...] = 0
        return result
    with pytest.raises(AssertionError, match="in place"):
        hidden_check("conv_db", in_place, cases, rules)


def test_a_forbidden_function_that_no_longer_exists_is_reported():
    problems = []
    rules = grading.forbidden_rules(["cnnlib.functional.conv2d", "cnnlib.functional.no_such_function"], problems)
    assert problems == ["cnnlib.functional.no_such_function"] and rules == [("cnnlib.conv", "conv2d", None, ())]
    with pytest.raises(AttributeError):
        grading.forbidden_rules(["cnnlib.functional.no_such_function"])


def test_literals_rebuild_values_exactly():
    values = [np.array([[0.1, -2.5e-17], [3.0, np.pi]]), np.arange(6).reshape(2, 3), (5,), [1, (2, None)],
              "valid", 7, 0.30000000000000004, np.float64(1 / 3), np.int64(4)]
    for value in values:
        rebuilt = eval(grading.literal(value), {"np": np})
        assert type(rebuilt) is (type(value) if not isinstance(value, np.generic) else type(value.item()))
        if isinstance(value, np.ndarray):
            assert rebuilt.dtype == value.dtype and np.array_equal(rebuilt, value)
        else:
            assert rebuilt == value
    assert math.isnan(eval(grading.literal(float("nan"))))


def test_source_notebooks_have_the_nbgrader_roles():
    for name, (nb, exercises, _) in GENERATED.items():
        ids = [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids)), name
        tests = [c for c in nb["cells"] if c["metadata"]["nbgrader"]["grade"]]
        answers = [c for c in nb["cells"] if c["metadata"]["nbgrader"]["solution"]]
        assert [c["metadata"]["nbgrader"]["grade_id"] for c in tests] == [f"test_{n}" for n, _ in exercises]
        for cell in tests:
            meta, text = cell["metadata"]["nbgrader"], grading.cell_text(cell)
            assert meta["locked"] and meta["points"] > 0 and not meta["solution"]
            assert text.count("### BEGIN HIDDEN TESTS") == 1 and "assert check_" in text
            assert "cnnlib" not in text.split("### BEGIN HIDDEN TESTS")[1].replace("'cnnlib", "")
        for cell in answers:
            text = grading.cell_text(cell)
            assert text.count("### BEGIN SOLUTION") == text.count("### END SOLUTION") >= 1
            assert "NotImplementedError" not in text.replace("# your code here", ""), text
        others = [c for c in nb["cells"] if not c["metadata"]["nbgrader"]["grade"]
                  and not c["metadata"]["nbgrader"]["solution"]]
        assert all(c["metadata"]["nbgrader"]["locked"] for c in others)
        assert len(nb["cells"]) == len(CHAPTERS[name]["cells"]) + len(exercises) - len(
            [c for c in CHAPTERS[name]["cells"] if any(n in dict(grading.check_calls(c)) for n, _ in exercises)])


def test_solution_region_runs_alone_in_the_chapter_namespace():
    # chapter 02's convolve2d_valid uses correlate2d_valid, which the notebook does not define: it is
    # carried into the solution region; numpy comes from the notebook's own import
    nb, _, _ = GENERATED["02_convolution_and_correlation.ipynb"]
    cell = next(c for c in nb["cells"] if c["metadata"]["nbgrader"]["grade_id"] == "answer_convolve2d_valid")
    namespace = {"np": np}
    exec(grading.cell_text(cell), namespace)
    image, kernel = np.arange(12.0).reshape(3, 4), np.array([[1.0, 2.0], [0.0, -1.0]])
    assert np.allclose(namespace["convolve2d_valid"](image, kernel), F.convolve2d(image, kernel))


def test_a_new_exercise_without_hidden_tests_or_solution_is_reported_not_fatal():
    nb = {"cells": [
        {"cell_type": "code", "metadata": {"tags": ["exercise"]}, "outputs": [], "execution_count": None,
         "source": "def brand_new(x):\n    # your code here\n    raise NotImplementedError"},
        {"cell_type": "code", "metadata": {"tags": ["exercise-check"]}, "outputs": [], "execution_count": None,
         "source": "from cnnlib.checks import check_brand_new\nok = check_brand_new(brand_new)"},
        {"cell_type": "markdown", "metadata": {}, "source": "text"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "print(ok)"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out, exercises, report = grading.source_notebook(nb, SOLUTIONS)
    assert exercises == [("brand_new", 1)]
    assert any("brand_new: no solution" in line for line in report)
    assert any("brand_new: no hidden tests" in line for line in report)
    assert any("later cells use its name 'ok'" in line for line in report)
    assert "assert check_brand_new(brand_new)" in grading.cell_text(out["cells"][1])


def test_teaching_points_table_is_the_generators():
    result = {grading.assignment_id(name): (exercises, report) for name, (_, exercises, report) in sorted(GENERATED.items())}
    assert grading.points_table(result) in (ROOT / "TEACHING.md").read_text(encoding="utf-8")


def test_refuses_a_destination_inside_the_repository(tmp_path):
    with pytest.raises(ValueError, match="inside the course repository"):
        grading.make_course(ROOT / "artifacts" / "course")
    result = grading.make_course(tmp_path / "course", ["03"])
    assert list(result) == ["ch03"]
    assert (tmp_path / "course" / "source" / "ch03" / "03_conv_layer_padding_stride.ipynb").exists()
    assert "EXERCISE_TIMEOUT" in (tmp_path / "course" / "nbgrader_config.py").read_text()

#!/usr/bin/env python3
"""Turn every chapter into an nbgrader *source* notebook, ready for `nbgrader generate_assignment`.

    python3 course.py nbgrader-source DEST          # DEST becomes (or already is) an nbgrader course directory
    .venv/bin/python tools/grading.py DEST [--chapters 01 07]

For each chapter notebooks/NN_name.ipynb it writes DEST/source/chNN/NN_name.ipynb where
  - each exercise cell (tagged `exercise`, or defining a function whose body raises NotImplementedError)
    becomes an autograded-answer cell: every stub's body is replaced by the solution of the same name
    from notebooks/solutions/ between ### BEGIN SOLUTION / ### END SOLUTION;
  - each check call check_<name>(<name>) becomes its own autograder-tests cell worth the exercise's
    points: the visible check (asserted) plus hidden tests between ### BEGIN HIDDEN TESTS /
    ### END HIDDEN TESTS (cases from tools/grading_cases.py, expected values computed here from the
    solutions and stored as literals; the runtime is tools/grading_hidden.py);
  - every other cell is read-only (locked).
Exercises are found from the notebooks' structure, the check_<name> naming and the solutions' names,
never from a list; an exercise without a solution or without hidden cases is reported, not fatal.
It also writes DEST/nbgrader_config.py unless one exists (timeouts, output limits; see TEACHING.md).
"""
import argparse
import ast
import builtins
import copy
import importlib
import importlib.util
import inspect
import json
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import grading_hidden  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
CONFIG_TEMPLATE = ROOT / "tools" / "grading_config.py"
SCHEMA = 3


def cell_text(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def parse(source):
    """AST of a code cell, IPython magics and shell lines blanked; None if it is not Python."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _raises_not_implemented(fn):
    return any(isinstance(node, ast.Raise) and node.exc is not None and "NotImplementedError" in ast.unparse(node.exc)
               for node in ast.walk(fn))


def stub_functions(cell):
    """Top-level functions of an exercise cell: [(name, FunctionDef)]. A cell counts if it is tagged
    `exercise` or one of its functions raises NotImplementedError."""
    tree = parse(cell_text(cell)) if cell.get("cell_type") == "code" else None
    if tree is None:
        return []
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    tagged = "exercise" in cell.get("metadata", {}).get("tags", [])
    if tagged or any(_raises_not_implemented(fn) for fn in functions):
        return [(fn.name, fn) for fn in functions]
    return []


def check_calls(cell):
    """check_<name>(...) calls in a code cell: [(name, source of the first argument)]."""
    tree = parse(cell_text(cell)) if cell.get("cell_type") == "code" else None
    if tree is None:
        return []
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("check_")
                and node.args):
            found.append(((node.lineno, node.col_offset), node.func.id.removeprefix("check_"), ast.unparse(node.args[0])))
    return [(name, argument) for _, name, argument in sorted(found)]


def bound_names(tree):
    """Names a module-level block binds (imports, defs, classes, assignments)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.With)):
            names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return names


# ------------------------------------------------------------------------------ solutions

class Solutions:
    """Every function in notebooks/solutions/*.py, by name (source, module-level helpers, callable)."""

    def __init__(self, folder=SOLUTIONS):
        self.functions, self.modules = {}, {}
        for path in sorted(Path(folder).glob("*.py")):
            if path.name.startswith("_"):
                continue
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
            self.modules[path.stem] = (path, source, tree)
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    self.functions.setdefault(node.name, []).append(path.stem)

    def module_of(self, name):
        stems = self.functions.get(name, [])
        if len(stems) != 1:
            return None
        return self.modules[stems[0]]

    def callable(self, name):
        path, _, _ = self.module_of(name)
        spec = importlib.util.spec_from_file_location(f"_grading_solutions_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, name)

    def region(self, name, notebook_names):
        """Text for inside the solution markers (unindented): helpers the notebook lacks, then the body."""
        path, source, tree = self.module_of(name)
        lines = source.splitlines()
        top = {}
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound = (alias.asname or alias.name).split(".")[0]
                    stmt = (f"from {node.module} import {alias.name}" if isinstance(node, ast.ImportFrom)
                            else f"import {alias.name}") + (f" as {alias.asname}" if alias.asname else "")
                    top[bound] = stmt
            elif isinstance(node, ast.FunctionDef):
                top[node.name] = textwrap.dedent("\n".join(lines[node.lineno - 1 - len(node.decorator_list):node.end_lineno]))
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        needed, todo = [], [functions[name]]
        while todo:
            fn = todo.pop()
            for used in sorted({n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}):
                if used in top and used != name and used not in notebook_names and used not in needed:
                    needed.append(used)
                    if used in functions:
                        todo.append(functions[used])
        fn = functions[name]
        first = fn.body[0]
        has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
        doc = textwrap.dedent("\n".join(lines[first.lineno - 1:first.end_lineno])) if has_doc else None
        start = fn.body[1].lineno if has_doc and len(fn.body) > 1 else first.lineno
        body = textwrap.dedent("\n".join(lines[start - 1:fn.end_lineno]))
        helpers = [top[n] for n in needed if n not in functions] + [top[n] for n in needed if n in functions]
        return "\n".join(([doc] if doc else []) + helpers + [body])


# ------------------------------------------------------------------------------ hidden tests

def literal(value):
    """Python source that rebuilds `value` exactly (arrays as np.array literals; floats round-trip)."""
    import numpy as np
    if isinstance(value, np.ndarray):
        return f"np.array({literal(value.tolist())}, dtype={value.dtype.str!r})"
    if isinstance(value, np.generic):
        return literal(value.item())
    if isinstance(value, float) and value != value:
        return 'float("nan")'
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return f'float("{value}")'
    if isinstance(value, tuple):
        return "(" + ", ".join(literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise TypeError(f"cannot write {type(value).__name__} into a hidden test; use arrays, numbers, tuples, lists")


def forbidden_rules(paths, problems=None):
    """'cnnlib.functional.conv2d' / 'cnnlib.pool' / 'path:arg=v1,v2' -> (module, qualname, arg, values) rules,
    resolved to where each function is defined (so an alias or a re-export is still recognised).
    A path that no longer exists is skipped and named in `problems` (a list), or raises without one."""
    rules = []
    for spec in paths:
        path, _, condition = spec.partition(":")
        try:
            rules.append((importlib.import_module(path).__name__, None, None, ()))
            continue
        except ImportError:
            pass
        module_path, attr = path.rsplit(".", 1)
        try:
            fn = getattr(importlib.import_module(module_path), attr)
        except (ImportError, AttributeError):
            if problems is None:
                raise
            problems.append(spec)
            continue
        arg, _, values = condition.partition("=")
        rules.append((fn.__module__, fn.__qualname__, arg or None, tuple(values.split(",")) if arg else ()))
    return rules


def hidden_cases(name, solution_fn, entry):
    """[(description, args, expected)] with the expected values computed by the solution."""
    cases = []
    for description, args in entry["cases"]():
        cases.append((description, args, solution_fn(*copy.deepcopy(args))))
    return cases


def hidden_block(name, argument, cases, rules, atol=1e-6):
    helper = inspect.getsource(grading_hidden._grading_hidden_check)
    case_lines = ",\n        ".join(f"({literal(d)}, {literal(a)}, {literal(w)})" for d, a, w in cases)
    return (f"# Hidden tests: inputs and expected answers written in by tools/grading.py from notebooks/solutions/\n"
            f"{helper}\n\ndef _grading_cases():\n    import numpy as np\n    return [\n        {case_lines},\n    ]\n\n\n"
            f"_grading_hidden_check({name!r}, {argument}, _grading_cases(), forbidden={rules!r}, atol={atol!r})")


# ------------------------------------------------------------------------------ notebooks

def nbgrader_meta(grade_id, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def answer_source(cell, stubs, solutions, notebook_names, report):
    """The exercise cell with each stub body replaced by its solution between the markers."""
    lines = cell_text(cell).splitlines()
    for name, fn in sorted(stubs, key=lambda pair: -pair[1].lineno):  # bottom up: line numbers stay valid
        if solutions.module_of(name) is None:
            report.append(f"{name}: no solution (or more than one) in notebooks/solutions/: the stub stays, ungraded answer")
            continue
        indent = " " * fn.body[0].col_offset
        region = solutions.region(name, notebook_names)
        new = [indent + "### BEGIN SOLUTION"] + [indent + line if line else "" for line in region.splitlines()] \
            + [indent + "### END SOLUTION"]
        lines[fn.body[0].lineno - 1:fn.end_lineno] = new
    return "\n".join(lines)


def test_source(name, argument, solutions, cases_table, report):
    visible = (f"from cnnlib.checks import check_{name}\n\n"
               f"assert check_{name}({argument}), \"{name} is not right yet: the message above says why\"")
    entry = cases_table.get(name)
    if entry is None:
        report.append(f"{name}: no hidden tests (add it to tools/grading_cases.py); the visible check alone grades it")
        return visible, 1
    if solutions.module_of(name) is None:
        report.append(f"{name}: no solution to compute the hidden answers from; the visible check alone grades it")
        return visible, entry["points"]
    solution = solutions.callable(name)
    cases = hidden_cases(name, solution, entry)
    problems = []
    rules = forbidden_rules(entry["forbidden"] + grading_cases().ALWAYS_FORBIDDEN, problems)
    if problems:
        report.append(f"{name}: forbidden functions not found in cnnlib (renamed?): {', '.join(problems)}")
    grading_hidden._grading_hidden_check(name, solution, cases, rules)  # the solution passes its own hidden tests
    namespace = {}
    exec("import numpy as np\nfrom cnnlib import functional as F\n" + entry["mistake"], namespace)
    try:
        grading_hidden._grading_hidden_check(name, namespace[name], cases, rules)
        report.append(f"{name}: the hidden tests do not reject its classic mistake (tools/grading_cases.py)")
    except AssertionError:
        pass
    block = hidden_block(name, argument, cases, rules)
    return f"{visible}\n### BEGIN HIDDEN TESTS\n{block}\n### END HIDDEN TESTS", entry["points"]


def grading_cases():
    return importlib.import_module("grading_cases")


def source_notebook(nb, solutions=None, cases_table=None):
    """(nbgrader source notebook, [(exercise, points)], report lines) for one chapter notebook."""
    solutions = solutions or Solutions()
    cases_table = grading_cases().EXERCISES if cases_table is None else cases_table
    nb = copy.deepcopy(nb)
    # names the chapter's own cells define; a solution that uses another exercise (conv_relu calling
    # conv_one_filter) carries the solved one with it, so one wrong answer costs only its own exercise
    cells, exercises, report, names = [], [], [], set()
    defined = {n for c in nb["cells"] for n, _ in stub_functions(c)}
    for index, cell in enumerate(nb["cells"]):
        cell.setdefault("metadata", {})
        stubs = stub_functions(cell)
        checks = [(name, argument) for name, argument in check_calls(cell) if name in defined]
        if stubs:
            cell["source"] = answer_source(cell, stubs, solutions, names - defined, report)
            cell["metadata"]["nbgrader"] = nbgrader_meta("answer_" + "_".join(n for n, _ in stubs), solution=True)
            cell["outputs"], cell["execution_count"] = [], None
            cells.append(cell)
        elif checks:
            later = [parse(cell_text(c)) for c in nb["cells"][index + 1:] if c.get("cell_type") == "code"
                     and not check_calls(c)]
            used = {n.id for tree in later if tree for n in ast.walk(tree) if isinstance(n, ast.Name)
                    and isinstance(n.ctx, ast.Load)}
            for lost in sorted(bound_names(parse(cell_text(cell))) & used):
                report.append(f"cell {index}: the test cells replace it, but later cells use its name {lost!r}")
            for number, (name, argument) in enumerate(checks):
                source, points = test_source(name, argument, solutions, cases_table, report)
                if number == 0:  # the check cell itself becomes the first test cell
                    test = copy.deepcopy(cell)
                else:  # one more cell per further check in it (gets a new id below)
                    test = {"cell_type": "code", "metadata": {"tags": list(cell["metadata"].get("tags", []))}}
                test.update(source=source, outputs=[], execution_count=None)
                test["metadata"]["nbgrader"] = nbgrader_meta("test_" + name, grade=True, locked=True, points=points)
                cells.append(test)
                exercises.append((name, points))
        else:
            cell["metadata"]["nbgrader"] = nbgrader_meta(f"cell_{index:03d}", locked=True)
            cells.append(cell)
        tree = parse(cell_text(cell)) if cell.get("cell_type") == "code" else None
        if tree is not None:
            names |= bound_names(tree)
    for name in sorted(defined - {n for n, _ in exercises}):
        report.append(f"{name}: an exercise cell defines it but no check_{name} cell tests it: not graded")
    nb["cells"] = cells
    for i, cell in enumerate(cells):  # nbformat 4.5 cell ids: unique, stable
        if nb.get("nbformat_minor", 0) >= 5 and "id" not in cell:
            cell["id"] = f"grading-{i:03d}"
    return nb, exercises, report


def chapters(selected=None):
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if selected:
        paths = [p for p in paths if p.name[:2] in {s.zfill(2) for s in selected}]
    return paths


def assignment_id(path):
    return "ch" + Path(path).name[:2]


def write_json(path, nb):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def make_course(dest, selected=None):
    """Write DEST/source/chNN/*.ipynb (and DEST/nbgrader_config.py if absent).
    Returns {assignment: ([(exercise, points)], report lines)}."""
    dest = Path(dest).resolve()
    if dest == ROOT or ROOT in dest.parents:
        raise ValueError(f"{dest} is inside the course repository {ROOT}; choose a folder outside it.")
    solutions, result = Solutions(), {}
    for path in chapters(selected):
        nb, exercises, report = source_notebook(json.loads(path.read_text(encoding="utf-8")), solutions)
        write_json(dest / "source" / assignment_id(path) / path.name, nb)
        result[assignment_id(path)] = (exercises, report)
    config = dest / "nbgrader_config.py"
    if not config.exists():
        config.write_text(CONFIG_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    return result


def points_table(result):
    """Markdown table, one row per assignment: exercises with their points, and the total (TEACHING.md)."""
    rows = ["| Assignment | Exercises (function: points) | Total |", "|---|---|---|"]
    for assignment, (exercises, _) in result.items():
        listed = ", ".join(f"`{name}` {points}" for name, points in exercises)
        rows.append(f"| {assignment} | {listed} | {sum(p for _, p in exercises)} |")
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", help="the nbgrader course directory (created if missing)")
    parser.add_argument("--chapters", nargs="*", help="only these chapters, e.g. 01 07 (default: all)")
    parser.add_argument("--table", action="store_true", help="also print the points table (Markdown)")
    args = parser.parse_args(argv)
    try:
        result = make_course(args.dest, args.chapters)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for assignment, (exercises, report) in result.items():
        total = sum(points for _, points in exercises)
        print(f"{assignment}: {len(exercises)} graded exercise(s), {total} point(s)")
        for line in report:
            print(f"  note: {line}")
    if args.table:
        print(points_table(result))
    print(f"Source notebooks written to {Path(args.dest).resolve() / 'source'}; next: "
          f"cd {args.dest} && nbgrader generate_assignment \"*\" (see TEACHING.md, 'Grading with nbgrader').")
    return 0


if __name__ == "__main__":
    sys.exit(main())

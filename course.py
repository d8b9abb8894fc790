#!/usr/bin/env python3
"""The course's two commands, for any machine with Python 3.11-3.14 (Linux, macOS, Windows).

    python3 course.py lab [jupyter options]    # open the course in JupyterLab
    python3 course.py test [pytest options]    # run every test: unit tests + nbval on every notebook
    python3 course.py refresh NOTEBOOK ...     # re-run notebooks in place and store their outputs
    python3 course.py student-copy DEST        # a copy for students: no solutions, exercise outputs cleared
    python3 course.py nbgrader-source DEST     # nbgrader source notebooks of every chapter (TEACHING.md)
    python3 course.py html DEST                # the accessible HTML edition (tools/html_edition.py)
    python3 course.py student-edition          # commit that copy onto the `student` branch (JupyterHub links)

On Windows type `py course.py lab` (the Python launcher) instead of `python3 course.py lab`.
The first use makes a virtual environment in .venv/ and installs the pinned requirements.txt
(what the notebooks need) and cnnlib into it; `test` and `refresh` add requirements-dev.txt
(pytest, nbval, ...). Again only when a requirements file changes. Options after the command go
to JupyterLab or pytest:

    python3 course.py lab --no-browser --ip 0.0.0.0      # on a headless server
    python3 course.py test notebooks/03_conv_layer.ipynb  # one notebook's tests
"""
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"          # what the notebooks need (learners, Binder, hubs)
DEV_REQUIREMENTS = ROOT / "requirements-dev.txt"  # tests and tools, on top (-r requirements.txt)
STAMP = VENV / "requirements.sha256"
SUPPORTED = ((3, 11), (3, 14))                    # oldest and newest Python minor version tested


def python_problem(version=None):
    """One line saying why this Python cannot run the course, or None if it can."""
    major, minor, micro = tuple(version or sys.version_info)[:3]
    (lo_major, lo_minor), (hi_major, hi_minor) = SUPPORTED
    if (lo_major, lo_minor) <= (major, minor) <= (hi_major, hi_minor):
        return None
    get = ("on Windows install it from python.org and run `py -3.11 course.py ...`" if os.name == "nt" else
           "e.g. `sudo apt install python3.11-venv` (Debian/Ubuntu), `brew install python@3.11` (macOS) "
           "or python.org, then run `python3.11 course.py ...`")
    return (f"This is Python {major}.{minor}.{micro}; the course needs Python {lo_major}.{lo_minor} to "
            f"{hi_major}.{hi_minor} (any patch release): {get}.")


def venv_python():
    """Path of the virtual environment's python (bin/ on POSIX, Scripts/ on Windows)."""
    sub = "Scripts" if os.name == "nt" else "bin"
    return VENV / sub / ("python.exe" if os.name == "nt" else "python")


def _digest(dev):
    files = [REQUIREMENTS, ROOT / "pyproject.toml"] + ([DEV_REQUIREMENTS] if dev else [])
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def ensure_venv(dev=False):
    """Create .venv, install requirements.txt (and requirements-dev.txt when `dev`) and cnnlib
    itself (editable, so changes to cnnlib/ show at the next kernel restart), unless the same
    files are already installed. The stamp remembers both digests: a test run after `lab`
    adds the dev tools; a `lab` after a test run installs nothing."""
    stamps = STAMP.read_text().split() if STAMP.exists() and venv_python().exists() else []
    wanted = _digest(dev)
    if wanted in stamps or (not dev and _digest(True) in stamps):
        return
    if not venv_python().exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the pinned requirements (about a minute the first time) ...", flush=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(DEV_REQUIREMENTS if dev else REQUIREMENTS)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(wanted + "\n")


def run(args, env=None):
    """Run a command with the venv's python, in the repository root; return its exit code."""
    return subprocess.run([str(venv_python()), *args], cwd=ROOT, env=env).returncode


def refresh(notebooks, env):
    """Run each notebook top to bottom in a fresh kernel, store its outputs in place, then strip
    the widget-state noise (nbstripout --keep-output --keep-count) so nbval can compare them."""
    if not notebooks:
        print("Name the notebooks to refresh, e.g. python3 course.py refresh notebooks/03_*.ipynb")
        return 2
    for nb in notebooks:
        print(f"Refreshing {nb} ...", flush=True)
        code = run(["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                    "--ExecutePreprocessor.timeout=1800", str(nb)], env=env)
        code = code or run(["-m", "nbstripout", *STRIP_OPTIONS, str(nb)], env=env)
        if code:
            return code
    print("Done. Check them with: python3 course.py test " + " ".join(map(str, notebooks)))
    return 0


STRIP_OPTIONS = ["--keep-output", "--keep-count"]   # tests/test_refresh.py checks notebooks are stored so


def main(argv):
    problem = python_problem()
    if problem:
        print(problem)
        return 2
    if len(argv) < 1 or argv[0] not in ("lab", "test", "refresh", "student-copy", "nbgrader-source", "html", "student-edition"):
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    if command == "student-copy":  # standard library only: no venv needed (see tools/student_copy.py)
        return subprocess.run([sys.executable, str(ROOT / "tools" / "student_copy.py"), *extra]).returncode
    if command == "student-edition":  # standard library only too (see tools/hub.py)
        return subprocess.run([sys.executable, str(ROOT / "tools" / "hub.py"), "publish", *extra]).returncode
    ensure_venv(dev=command in ("test", "refresh"))
    if command == "nbgrader-source":  # runs the solutions to compute the hidden tests: needs numpy and cnnlib
        return subprocess.run([str(venv_python()), str(ROOT / "tools" / "grading.py"), *extra]).returncode
    # BLAS threads: half the CPUs this process may use (cgroup quota, CPU affinity; 1 on a 2-core or
    # 1-CPU machine), unless you set OPENBLAS_NUM_THREADS (or OMP_/MKL_NUM_THREADS,
    # VECLIB_MAXIMUM_THREADS) yourself. Threads that cannot all run wait on each other: two OpenBLAS
    # threads on a busy 2-core machine made a training epoch 10x slower (benchmarks/README.md).
    sys.path.insert(0, str(ROOT))
    from cnnlib.threads import blas_env  # standard library only, safe before the venv's numpy
    env = blas_env()
    if command == "refresh":
        return refresh([Path(p).resolve() for p in extra], env)
    if command == "html":  # needs the pinned accessible-pygments too (requirements-a11y.txt)
        return run(["-m", "pip", "install", "-q", "-r", "requirements-a11y.txt"]) or run(["tools/html_edition.py", *extra])
    if command == "lab":
        return run(["-m", "jupyter", "lab", "--ServerApp.root_dir=" + str(ROOT),
                    "--LabApp.default_url=/lab/tree/notebooks", *extra], env=env)
    # Tests: unit tests and every notebook under nbval (options in pytest.ini). CNNLIB_QUICK=1 makes
    # the training chapter train briefly on a subset; learners get the full run by default.
    env["CNNLIB_QUICK"] = os.environ.get("CNNLIB_QUICK", "1")
    return run(["-m", "pytest", *(extra or ["tests", "notebooks"])], env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

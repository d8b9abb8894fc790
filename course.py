#!/usr/bin/env python3
"""The course's two commands, for any machine with Python 3.11 (Linux, macOS, Windows).

    python3 course.py lab [jupyter options]    # open the course in JupyterLab
    python3 course.py test [pytest options]    # run every test: unit tests + nbval on every notebook
    python3 course.py student-copy DEST        # a copy for students: no solutions, exercise outputs cleared
    python3 course.py student-edition          # commit that copy onto the `student` branch (JupyterHub links)

Both first make a virtual environment in .venv/ and install the pinned requirements.txt into it
(again only when requirements.txt changes). Options after the command go to JupyterLab or pytest:

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
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / "requirements.sha256"


def venv_python():
    """Path of the virtual environment's python (bin/ on POSIX, Scripts/ on Windows)."""
    sub = "Scripts" if os.name == "nt" else "bin"
    return VENV / sub / ("python.exe" if os.name == "nt" else "python")


def ensure_venv():
    """Create .venv and install requirements.txt, unless it is already installed unchanged."""
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and venv_python().exists():
        return
    if not venv_python().exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the pinned requirements (about a minute the first time) ...", flush=True)
    subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")


def run(args, env=None):
    """Run a command with the venv's python, in the repository root; return its exit code."""
    return subprocess.run([str(venv_python()), *args], cwd=ROOT, env=env).returncode


def main(argv):
    if len(argv) < 1 or argv[0] not in ("lab", "test", "student-copy", "student-edition"):
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    if command == "student-copy":  # standard library only: no venv needed (see tools/student_copy.py)
        return subprocess.run([sys.executable, str(ROOT / "tools" / "student_copy.py"), *extra]).returncode
    if command == "student-edition":  # standard library only too (see tools/hub.py)
        return subprocess.run([sys.executable, str(ROOT / "tools" / "hub.py"), "publish", *extra]).returncode
    ensure_venv()
    # One BLAS thread unless you say otherwise: the course's matrix products are small, and on a
    # shared 2-core machine (Binder, CI, a busy laptop) two OpenBLAS threads were measured to wait
    # on each other and run a training epoch several times slower (benchmarks/README.md).
    env = dict(os.environ, OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS", "1"))
    if command == "lab":
        return run(["-m", "jupyter", "lab", "--ServerApp.root_dir=" + str(ROOT),
                    "--LabApp.default_url=/lab/tree/notebooks", *extra], env=env)
    # Tests: unit tests and every notebook under nbval (options in pytest.ini). CNNLIB_QUICK=1 makes
    # the training chapter train briefly on a subset; learners get the full run by default.
    env["CNNLIB_QUICK"] = os.environ.get("CNNLIB_QUICK", "1")
    return run(["-m", "pytest", *(extra or ["tests", "notebooks"])], env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

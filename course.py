#!/usr/bin/env python3
"""The course's two commands, for any machine with Python 3.11 (Linux, macOS, Windows).

    python3 course.py lab [jupyter options]    # open the course in JupyterLab
    python3 course.py test [pytest options]    # run every test: unit tests + nbval on every notebook

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


def run(args):
    """Run a command with the venv's python, in the repository root; return its exit code."""
    return subprocess.run([str(venv_python()), *args], cwd=ROOT).returncode


def main(argv):
    if len(argv) < 1 or argv[0] not in ("lab", "test"):
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    ensure_venv()
    if command == "lab":
        return run(["-m", "jupyter", "lab", "--ServerApp.root_dir=" + str(ROOT),
                    "--LabApp.default_url=/lab/tree/notebooks", *extra])
    # Tests: unit tests and every notebook under nbval (options in pytest.ini).
    return run(["-m", "pytest", *(extra or ["tests", "notebooks"])])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

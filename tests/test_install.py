"""The course installs wherever a learner is: every supported Python, from any folder.

- `course.py` refuses an unsupported Python with one clear line (no pip traceback).
- Every pin of requirements.txt / requirements-dev.txt resolves to wheels on Python 3.11.0, 3.12,
  3.13 and 3.14 (pip's resolver with --python-version; needs PyPI).
- The install blocks of README.md and TEACHING.md marked `<!-- tested-install -->` really run, in an
  empty folder other than the repository, with `python3` being a fresh venv of Debian's own
  /usr/bin/python3.11 (3.11.2 on Debian 12 / Raspberry Pi OS) where it exists, and the installed
  cnnlib then loads MNIST from there.

The network tests take minutes: they run in CI (CI=true or CNNLIB_TEST_INSTALL=1, where a missing
interpreter or network fails instead of skipping) and are skipped in a plain `course.py test`.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import course  # noqa: E402

REQUIRED = os.environ.get("CI") == "true" or os.environ.get("CNNLIB_TEST_INSTALL") == "1"
DEBIAN_PYTHON = Path("/usr/bin/python3.11")
MARK = "<!-- tested-install -->"
CLONE_URL = "https://github.com/cnn-course/cnns-from-scratch.git"


def need_network_tests():
    if not REQUIRED:
        pytest.skip("install tests run in CI (CI=true) or with CNNLIB_TEST_INSTALL=1: they take minutes and need PyPI")


@pytest.mark.parametrize("version, expected", [((3, 10, 12), "3.10.12"), ((3, 15, 0), "3.15.0"), ((2, 7, 18), "2.7.18")])
def test_unsupported_python_gets_one_clear_line(version, expected):
    message = course.python_problem(version)
    assert message and "\n" not in message
    assert expected in message and "3.11 to 3.14" in message


@pytest.mark.parametrize("version", [(3, 11, 0), (3, 11, 2), (3, 12, 8), (3, 14, 1)])
def test_supported_python_passes(version):
    assert course.python_problem(version) is None


def test_main_stops_before_any_install(monkeypatch, capsys):
    monkeypatch.setattr(sys, "version_info", (3, 10, 4, "final", 0))
    monkeypatch.setattr(course, "ensure_venv", lambda *a, **k: pytest.fail("must not install"))
    assert course.main(["lab"]) == 2
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "3.10.4" in out[0]


def test_learner_requirements_hold_no_test_tools():
    names = {line.split("==")[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()
             if "==" in line}
    assert not names & {"pytest", "nbval", "scipy", "nbstripout", "coverage"}
    assert not any(line.startswith("-e") for line in (ROOT / "requirements.txt").read_text().splitlines()), \
        "-e . resolves against the current folder: install cnnlib separately (course.py, postBuild)"
    dev = (ROOT / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in dev and "pytest==" in dev and "nbval==" in dev


def pins(path):
    return [line.strip() for line in path.read_text().splitlines() if "==" in line and not line.startswith("#")]


@pytest.mark.parametrize("python_version", ["3.11.0", "3.11.4", "3.12", "3.13", "3.14"])
def test_every_pin_resolves(python_version, tmp_path):
    need_network_tests()
    reqs = tmp_path / "all.txt"
    reqs.write_text("\n".join(pins(ROOT / "requirements.txt") + pins(ROOT / "requirements-dev.txt")) + "\n")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
                             "--disable-pip-version-check", "--only-binary=:all:", "--python-version", python_version,
                             "--target", str(tmp_path / "t"), "-r", str(reqs)], capture_output=True, text=True)
    assert result.returncode == 0, f"pins do not resolve on Python {python_version}:\n{result.stderr[-2000:]}"


def marked_blocks(text):
    """The ```bash blocks right after a <!-- tested-install --> line."""
    return [m.group(1) for m in re.finditer(re.escape(MARK) + r"\s*```(?:bash|sh)?\n(.*?)```", text, re.S)]


def test_docs_mark_their_install_blocks():
    blocks = marked_blocks((ROOT / "README.md").read_text()) + marked_blocks((ROOT / "TEACHING.md").read_text())
    assert len(blocks) >= 2
    assert all("pip install" in block for block in blocks)


DOC_BLOCKS = [(doc, i, block) for doc in ("README.md", "TEACHING.md")
              for i, block in enumerate(marked_blocks((ROOT / doc).read_text()))]


@pytest.mark.parametrize("doc, index, block", DOC_BLOCKS, ids=lambda v: str(v)[:12] if isinstance(v, str) else str(v))
def test_documented_install_block_runs_elsewhere(doc, index, block, tmp_path):
    need_network_tests()
    base = DEBIAN_PYTHON if DEBIAN_PYTHON.exists() else Path(sys.executable)
    if base == Path(sys.executable) and REQUIRED and os.environ.get("CNNLIB_REQUIRE_DEBIAN_PYTHON") == "1":
        pytest.fail(f"{DEBIAN_PYTHON} not found (apt-get install python3.11-venv)")
    env_dir = tmp_path / "env"
    subprocess.run([str(base), "-m", "venv", str(env_dir)], check=True)
    work = tmp_path / "work"          # an empty folder: not the repository root
    work.mkdir()
    script = block.replace(CLONE_URL, f"{ROOT} cnns-from-scratch")
    if "git clone" not in script:     # blocks that start from an existing clone
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(work / "cnns-from-scratch")], check=True)
    env = dict(os.environ, PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{doc} block {index} failed:\n{script}\n{result.stdout[-1500:]}\n{result.stderr[-3000:]}"
    # The installed cnnlib works from a folder that is not the clone, and finds its data.
    check = ("import sys, cnnlib.data as d; x, y, _, _ = d.load_mnist(n_train=10, n_test=10); "
             "print(sys.version.split()[0], x.shape)")
    # the venvs the block made, else the python it installed into
    pythons = sorted(work.glob("cnns-from-scratch/.venv*/bin/python")) or [env_dir / "bin" / "python"]
    for python in pythons:
        out = subprocess.run([str(python), "-c", check], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert out.returncode == 0 and "(10, 1, 28, 28)" in out.stdout, f"{python}: {out.stderr[-1500:]}"

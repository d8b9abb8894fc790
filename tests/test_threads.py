"""cnnlib.threads: the BLAS thread count comes from the CPUs the process may use (fake cgroup files,
fake affinity), and a count the user set is always kept."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnlib import threads

ROOT = Path(__file__).resolve().parents[1]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def fake_v2(tmp_path, cpu_max, parent_cpu_max=None):
    """A cgroup v2 tree: the process in /hub/user-1, with cpu.max there (and in /hub if given)."""
    write(tmp_path / "proc_cgroup", "0::/hub/user-1\n")
    write(tmp_path / "cg" / "hub" / "user-1" / "cpu.max", cpu_max)
    if parent_cpu_max is not None:
        write(tmp_path / "cg" / "hub" / "cpu.max", parent_cpu_max)
    return str(tmp_path / "cg"), str(tmp_path / "proc_cgroup")


def test_cgroup_v2_quota(tmp_path):
    root, proc = fake_v2(tmp_path, "100000 100000\n")
    assert threads.cgroup_cpu_limit(root, proc) == 1.0
    root, proc = fake_v2(tmp_path, "150000 100000\n")
    assert threads.cgroup_cpu_limit(root, proc) == 1.5


def test_cgroup_v2_no_limit_and_parent_limit(tmp_path):
    root, proc = fake_v2(tmp_path, "max 100000\n")
    assert threads.cgroup_cpu_limit(root, proc) is None
    root, proc = fake_v2(tmp_path, "max 100000\n", parent_cpu_max="200000 100000\n")
    assert threads.cgroup_cpu_limit(root, proc) == 2.0   # a parent's quota limits its children


def test_cgroup_v1_quota(tmp_path):
    write(tmp_path / "proc_cgroup", "4:memory:/x\n2:cpu,cpuacct:/docker/abc\n0::/\n")
    write(tmp_path / "cg" / "cpu,cpuacct" / "docker" / "abc" / "cpu.cfs_quota_us", "50000\n")
    write(tmp_path / "cg" / "cpu,cpuacct" / "docker" / "abc" / "cpu.cfs_period_us", "100000\n")
    assert threads.cgroup_cpu_limit(str(tmp_path / "cg"), str(tmp_path / "proc_cgroup")) == 0.5
    write(tmp_path / "cg" / "cpu,cpuacct" / "docker" / "abc" / "cpu.cfs_quota_us", "-1\n")
    assert threads.cgroup_cpu_limit(str(tmp_path / "cg"), str(tmp_path / "proc_cgroup")) is None


def test_no_cgroup_files(tmp_path):
    assert threads.cgroup_cpu_limit(str(tmp_path / "none"), str(tmp_path / "none" / "cgroup")) is None


def test_usable_cpus_takes_the_fewest():
    # a hub container limited to 1 CPU on a 64-core host
    assert threads.usable_cpus(affinity=64, cgroup_limit=1.0, cpu_count=64) == 1
    # a fractional quota rounds down, never below 1
    assert threads.usable_cpus(affinity=64, cgroup_limit=2.5, cpu_count=64) == 2
    assert threads.usable_cpus(affinity=64, cgroup_limit=0.5, cpu_count=64) == 1
    # taskset -c 0-2 on an 8-core laptop, no quota
    assert threads.usable_cpus(affinity=3, cgroup_limit=None, cpu_count=8) == 3
    assert threads.usable_cpus(affinity=8, cgroup_limit=None, cpu_count=8) == 8


def test_choose_threads():
    assert [threads.choose_threads(n) for n in (1, 2, 3, 4, 8, 64)] == [1, 1, 1, 2, 4, threads.MAX_THREADS]


def test_blas_env_chooses_when_nothing_is_set():
    env = threads.blas_env({"PATH": "/bin"}, threads=3)
    assert all(env[name] == "3" for name in threads.THREAD_VARIABLES)
    assert env["PATH"] == "/bin"


def test_blas_env_keeps_the_users_setting():
    given = {"OPENBLAS_NUM_THREADS": "2"}
    env = threads.blas_env(given, threads=1)
    assert all(env[name] == "2" for name in threads.THREAD_VARIABLES)   # Accelerate's too
    assert given == {"OPENBLAS_NUM_THREADS": "2"}                        # the caller's dict unchanged
    env = threads.blas_env({"VECLIB_MAXIMUM_THREADS": "4", "OMP_NUM_THREADS": "1"}, threads=1)
    assert env["VECLIB_MAXIMUM_THREADS"] == "4" and env["OMP_NUM_THREADS"] == "1"


def test_real_machine_is_sane():
    cpus = threads.usable_cpus()
    assert 1 <= cpus <= (os.cpu_count() or 1)
    assert 1 <= threads.choose_threads() <= threads.MAX_THREADS


def test_command_line_and_start_script():
    """`python -m cnnlib.threads` prints the count Binder's `start` exports; a user's setting wins."""
    env = {k: v for k, v in os.environ.items() if k not in threads.THREAD_VARIABLES}
    out = subprocess.run([sys.executable, "-m", "cnnlib.threads"], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == str(threads.choose_threads())
    show = [str(ROOT / "start"), "sh", "-c", "echo $OPENBLAS_NUM_THREADS $VECLIB_MAXIMUM_THREADS"]
    if sys.platform == "win32":
        pytest.skip("start is a bash script (Binder)")
    env_py = dict(env, PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""))
    got = subprocess.run(show, env=env_py, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert got == [out, out]
    got = subprocess.run(show, env=dict(env_py, OPENBLAS_NUM_THREADS="3"), cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert got == ["3", "3"]


def test_cpu_model_names_something():
    name = threads.cpu_model()
    assert isinstance(name, str) and name.strip()

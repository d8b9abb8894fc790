"""How many BLAS threads to use: from the CPUs this process may really use, not from os.cpu_count().

Pure Python, standard library only, so that course.py and Binder's `start` can call it before numpy
loads (BLAS libraries read their thread count when they start):

    python3 -m cnnlib.threads          # prints the chosen count, e.g. 1 (what `start` does)

The CPUs a process may use are the fewest of
    - the CPUs the scheduler lets it run on (os.sched_getaffinity; `taskset`, container cpusets),
    - its cgroup CPU quota rounded down (cgroup v2 `cpu.max` "200000 100000" = 2 CPUs; cgroup v1
      cpu.cfs_quota_us / cpu.cfs_period_us): a hub or container limited to 1 CPU on a 64-core host
      has 1, although os.cpu_count() says 64,
    - os.cpu_count().
Why it matters: OpenBLAS threads busy-wait for each other after each product. When a process runs
more threads than CPUs it may use, or another job takes the second core, a waiting thread burns the
time the working one needs, and an epoch was measured 10x slower with 2 threads than with 1
(benchmarks/README.md, "Threads").

choose_threads() takes half of them (at most MAX_THREADS: the course's matrix products are small).

A count the user set (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS or
VECLIB_MAXIMUM_THREADS, the variable Apple's Accelerate reads) is always respected: blas_env()
fills in only the variables that are not set, with the user's count if one was given.
"""
import os
import platform
import subprocess
import sys

MAX_THREADS = 4
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def cgroup_cpu_limit(root="/sys/fs/cgroup", proc_self_cgroup="/proc/self/cgroup"):
    """The cgroup CPU quota of this process in CPUs (a float), or None if there is no limit / no cgroup.

    /proc/self/cgroup names the process's cgroups: "0::/path" (v2), "N:cpu,cpuacct:/path" (v1).
    cgroup v2: <root>/<path>/cpu.max ("max 100000" = no limit, "150000 100000" = 1.5 CPUs), and the
    same file in every parent up to <root> (also <root>/unified on hybrid systems). cgroup v1:
    <root>/cpu/<path>/cpu.cfs_quota_us / cpu.cfs_period_us (-1 = no limit), and its parents.
    The smallest quota found wins.
    """
    v2_path, v1 = None, []
    try:
        with open(proc_self_cgroup) as f:
            for line in f:
                parts = line.strip().split(":", 2)
                if len(parts) != 3:
                    continue
                if parts[0] == "0" and parts[1] == "":
                    v2_path = parts[2]
                elif "cpu" in parts[1].split(","):
                    v1.append((parts[1], parts[2]))
    except OSError:
        pass
    limits = []
    if v2_path is not None:
        for base in (root, os.path.join(root, "unified")):
            for directory in _self_and_parents(base, v2_path):
                limits.append(_read_cpu_max(os.path.join(directory, "cpu.max")))
    for controllers, path in v1 or [("cpu", "/")]:
        for base in {os.path.join(root, controllers), os.path.join(root, "cpu")}:
            for directory in _self_and_parents(base, path):
                quota = _read_int(os.path.join(directory, "cpu.cfs_quota_us"))
                period = _read_int(os.path.join(directory, "cpu.cfs_period_us"))
                if quota is not None and period and quota > 0:
                    limits.append(quota / period)
    limits = [limit for limit in limits if limit is not None]
    return min(limits) if limits else None


def _self_and_parents(base, path):
    """base/path, then each parent directory of it up to base itself."""
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    for i in range(len(parts), -1, -1):
        yield os.path.join(base, *parts[:i])


def _read_cpu_max(path):
    try:
        with open(path) as f:
            fields = f.read().split()
    except OSError:
        return None
    if len(fields) != 2 or fields[0] == "max":
        return None
    try:
        quota, period = int(fields[0]), int(fields[1])
    except ValueError:
        return None
    return quota / period if quota > 0 and period > 0 else None


def _read_int(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def usable_cpus(affinity=None, cgroup_limit=None, cpu_count=None):
    """The number of CPUs this process may use (>= 1): the fewest of its CPU affinity, its cgroup
    quota (rounded down, at least 1) and os.cpu_count(). Arguments override what is read from the
    system (for tests); None means: read it."""
    if affinity is None:
        try:
            affinity = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):          # macOS and Windows have no sched_getaffinity
            affinity = None
    if cgroup_limit is None:
        cgroup_limit = cgroup_cpu_limit()
    if cpu_count is None:
        cpu_count = os.cpu_count()
    counts = [n for n in (affinity, cpu_count) if n]
    if cgroup_limit is not None:
        counts.append(max(1, int(cgroup_limit)))
    return max(1, min(counts)) if counts else 1


def choose_threads(cpus=None):
    """The BLAS thread count to use: half the usable CPUs (default usable_cpus()), at least 1 and at
    most MAX_THREADS. 1 CPU -> 1, 2 -> 1, 4 -> 2, 8 -> 4, 64 -> 4.

    Half, because a BLAS thread that cannot run stalls the others (they busy-wait for it): leaving
    the other half to Jupyter, the browser and the machine's other jobs keeps that rare. On 2 CPUs
    the second thread was measured to save 15% of a step on a quiet machine and to cost 10x on a
    loaded one (benchmarks/README.md, "Threads"), so 2 CPUs get 1 thread.
    """
    if cpus is None:
        cpus = usable_cpus()
    return max(1, min(MAX_THREADS, int(cpus) // 2))


def user_threads(environ=None):
    """The thread count the user set in one of THREAD_VARIABLES (the first one set), or None."""
    environ = os.environ if environ is None else environ
    for name in THREAD_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def blas_env(environ=None, threads=None):
    """A copy of `environ` (default os.environ) with every BLAS thread variable set: the ones the user
    set are kept; the others get the user's count if one was set, else `threads` (default
    choose_threads()). Setting them all covers OpenBLAS, MKL, OpenMP and Apple's Accelerate."""
    env = dict(os.environ if environ is None else environ)
    count = user_threads(env)
    if count is None:
        count = str(choose_threads() if threads is None else threads)
    for name in THREAD_VARIABLES:
        if not env.get(name, "").strip():
            env[name] = count
    return env


def cpu_model():
    """The CPU's model name ("AMD EPYC", "Apple M2", ...), for printing beside a measured time:
    /proc/cpuinfo on Linux, sysctl on macOS, else platform.processor() or the architecture."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.split(":")[0].strip() in ("model name", "Model", "cpu model"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True,
                                  text=True, timeout=5).stdout.strip() or platform.machine()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine()


if __name__ == "__main__":
    print(user_threads() or choose_threads())

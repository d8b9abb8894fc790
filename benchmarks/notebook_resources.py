#!/usr/bin/env python3
"""Peak memory and run time of each chapter notebook, each run headless in a fresh kernel.

    .venv/bin/python benchmarks/notebook_resources.py                 # every notebooks/*.ipynb, full mode
    .venv/bin/python benchmarks/notebook_resources.py --quick         # CNNLIB_QUICK=1 (training chapter short)
    .venv/bin/python benchmarks/notebook_resources.py notebooks/05_pooling_flatten_dense.ipynb

Each notebook runs top to bottom with nbclient, in a new kernel started in notebooks/ (as nbval
and JupyterLab do), with OPENBLAS_NUM_THREADS=1 unless already set (as `course.py lab` and Binder's
`start` set it) and CNNLIB_QUICK removed from the environment unless --quick is given, so
the figures are what a learner meets with "Run All". Two cells are added to the in-memory copy
(the file is never written): one first, which starts a clock, and one last, which reports
  - peak memory: the kernel process's peak resident set size, VmHWM from /proc/self/status
    (Linux; elsewhere resource.getrusage's ru_maxrss), i.e. the high-water mark over the whole run;
  - run time: wall time from the start of the first cell to the end of the last one (kernel start-up
    excluded; "wall incl. start-up" in the JSON adds it).
Results are merged by notebook name into benchmarks/notebook_resources.json (read by
tools/links.py for the README chapter table) and the whole table is rewritten into
benchmarks/notebook_resources.md. A notebook that fails is recorded as failed and the script
exits with status 1.
"""
import argparse
import datetime
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT_JSON = Path(__file__).with_name("notebook_resources.json")
OUT_MD = Path(__file__).with_name("notebook_resources.md")
MARKER = "CNNLIB_RESOURCES "

START_CELL = "import time as _resources_time\n_resources_t0 = _resources_time.perf_counter()"
# Runs in the kernel after the notebook's last cell; prints one JSON line we parse.
END_CELL = r'''
import json as _resources_json, sys as _resources_sys
_resources_seconds = _resources_time.perf_counter() - _resources_t0
_resources_peak = None
try:
    with open("/proc/self/status") as _f:
        for _line in _f:
            if _line.startswith("VmHWM:"):
                _resources_peak = int(_line.split()[1]) * 1024  # kB -> bytes
except OSError:
    import resource as _resource
    _ru = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
    _resources_peak = _ru if _resources_sys.platform == "darwin" else _ru * 1024  # bytes on macOS, kB on Linux
print("MARKER" + _resources_json.dumps({"peak_rss_bytes": _resources_peak, "run_time_s": _resources_seconds}))
'''.replace("MARKER", MARKER)


def measure(path, timeout):
    """Run one notebook in a fresh kernel; return its figures (status "ok") or the failure."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(START_CELL))
    nb.cells.append(nbformat.v4.new_code_cell(END_CELL))
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    started = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        name = getattr(error, "ename", type(error).__name__)
        last_line = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()[-1]  # no ANSI colours
        return {"status": f"error: {name}", "detail": last_line[:300]}
    except Exception as error:  # timeouts, dead kernels
        return {"status": f"error: {type(error).__name__}", "detail": str(error)[:300]}
    wall = time.perf_counter() - started
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    line = next(l for l in text.splitlines() if l.startswith(MARKER))
    figures = json.loads(line[len(MARKER):])
    return {"status": "ok", "peak_rss_mib": round(figures["peak_rss_bytes"] / 2**20, 1),
            "run_time_s": round(figures["run_time_s"], 2), "wall_with_startup_s": round(wall, 2)}


def machine():
    """One line naming what the figures were measured on."""
    import numpy
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"Python {platform.python_version()}, numpy {numpy.__version__}, {platform.system()} "
            f"{platform.machine()}, {os.cpu_count()} CPUs ({cpu})")


def write_markdown(results, path=OUT_MD):
    rows = ["# Notebook resources: peak memory and run time per chapter", "",
            "Written by `benchmarks/notebook_resources.py` (see its docstring for what is measured). Each",
            "notebook ran top to bottom in a fresh kernel. Peak memory = the kernel's peak resident set",
            "size (VmHWM); run time = first cell start to last cell end. Binder gives 1-2 GB of RAM.",
            "Load = the machine's 1-minute load average when the notebook started (other work running",
            "at the same time makes run times longer; it does not change peak memory).", "",
            "| Notebook | Peak memory (MiB) | Run time (s) | Mode | Load | Finished | Machine |",
            "|---|---|---|---|---|---|---|"]
    for name in sorted(results):
        r = results[name]
        if r["status"] == "ok":
            memory, seconds = f"{r['peak_rss_mib']:.0f}", f"{r['run_time_s']:.1f}"
        else:
            memory = seconds = f"failed ({r['status']})"
        mode = "quick (CNNLIB_QUICK=1)" if r.get("quick") else "full"
        load = f"{r['load_before']:.1f}" if r.get("load_before") is not None else ""
        rows.append(f"| {name} | {memory} | {seconds} | {mode} | {load} | {r.get('measured', '')} | {r.get('machine', '')} |")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("notebooks", nargs="*", help="notebooks to measure (default: notebooks/*.ipynb)")
    parser.add_argument("--quick", action="store_true", help="set CNNLIB_QUICK=1 (default: unset, full run)")
    parser.add_argument("--out-dir", default=str(OUT_JSON.parent),
                        help="where notebook_resources.json/.md go (default: benchmarks/)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell (default 1800)")
    args = parser.parse_args(argv)

    # The kernel inherits this process's environment: one BLAS thread unless set, as
    # `python3 course.py lab` and Binder's `start` give learners.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.pop("CNNLIB_QUICK", None)
    if args.quick:
        os.environ["CNNLIB_QUICK"] = "1"
    paths = [Path(p).resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print(f"no notebooks found in {NOTEBOOKS}", file=sys.stderr)
        return 1
    out_json = Path(args.out_dir) / OUT_JSON.name
    out_md = Path(args.out_dir) / OUT_MD.name
    results = json.loads(out_json.read_text())["notebooks"] if out_json.exists() else {}
    where = machine()
    failed = 0
    for path in paths:
        print(f"{path.name} ...", end=" ", flush=True)
        load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        result = measure(path, args.timeout)
        result.update(quick=args.quick, machine=where, load_before=load_before,
                      measured=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
        results[path.name] = result
        if result["status"] == "ok":
            print(f"peak {result['peak_rss_mib']:.0f} MiB, {result['run_time_s']:.1f} s")
        else:
            failed += 1
            print(f"FAILED: {result['status']} {result.get('detail', '')}")
    out_json.write_text(json.dumps({"notebooks": dict(sorted(results.items()))}, indent=1) + "\n")
    write_markdown(results, out_md)
    print(f"wrote {out_md} and {out_json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

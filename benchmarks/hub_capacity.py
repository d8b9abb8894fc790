#!/usr/bin/env python3
"""Per-student memory and CPU on a JupyterHub: one student's JupyterLab server + kernel, per chapter.

    .venv/bin/python benchmarks/hub_capacity.py            # chapters 01-09, 10 quick and 10 full
    .venv/bin/python benchmarks/hub_capacity.py --no-full  # skip chapter 10's full run (~2 min more)

What one student costs: a JupyterLab server (the same jupyter_server/JupyterLab that
jupyterhub-singleuser runs, started from the course's venv with one BLAS thread) measured idle after
start-up, plus a kernel that runs the chapter top to bottom (nbclient, fresh kernel, cwd notebooks/).
The kernel's peak is its VmHWM (/proc, high-water mark over the whole run); its CPU time is
user + system seconds of the kernel process. Per-student peak = server + kernel peak. The five-student
hub test (tests/test_hub.py, artifacts/hub/report.json) measures the real total for chapter 03.
Writes benchmarks/hub_capacity.json and a markdown table (with a students-per-machine table) to
benchmarks/hub_capacity.md. Linux only.
"""
import argparse
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT = Path(__file__).with_name("hub_capacity.json")
NODES = [(4, 2), (8, 4), (16, 8), (32, 16), (64, 32)]  # (GiB, vCPUs) of common hub nodes
RESERVED_GIB = 1.0  # operating system, hub and proxy


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def vm_hwm_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_mib():
    """Start a JupyterLab server from the venv, wait until it answers, return its RSS (MiB)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
                                 "--ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp}",
                                 *(["--allow-root"] if os.geteuid() == 0 else [])],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None:
                        raise RuntimeError(f"jupyter lab exited with status {proc.returncode}")
                    time.sleep(0.5)
            urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=30).read()
            time.sleep(3)
            return psutil.Process(proc.pid).memory_info().rss / 2**20
        finally:
            proc.terminate()
            proc.wait(30)


def run_chapter(path, quick):
    """Run one notebook in a fresh kernel; return (kernel peak MiB, kernel CPU s, wall s)."""
    nb = nbformat.read(path, as_version=4)
    env_quick = os.environ.pop("CNNLIB_QUICK", None)
    if quick:
        os.environ["CNNLIB_QUICK"] = "1"
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    client = NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    peak, cpu, stop = [0.0], [0.0], threading.Event()

    def sample(pid):
        proc = psutil.Process(pid)
        while not stop.wait(0.2):
            try:
                peak[0] = max(peak[0], vm_hwm_mib(pid))
                times = proc.cpu_times()
                cpu[0] = times.user + times.system
            except (psutil.NoSuchProcess, FileNotFoundError):
                return

    started = time.monotonic()
    try:
        with client.setup_kernel():
            pid = client.km.provisioner.process.pid
            sampler = threading.Thread(target=sample, args=(pid,), daemon=True)
            sampler.start()
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            peak[0] = max(peak[0], vm_hwm_mib(pid))
            times = psutil.Process(pid).cpu_times()
            cpu[0] = times.user + times.system
            stop.set()
    finally:
        os.environ.pop("CNNLIB_QUICK", None)
        if env_quick is not None:
            os.environ["CNNLIB_QUICK"] = env_quick
    return peak[0], cpu[0], time.monotonic() - started


def tables(result):
    rows = ["| Chapter | Server (MiB) | Kernel peak (MiB) | Per student (MiB) | Kernel CPU (s) | Run time (s) |",
            "|---|---|---|---|---|---|"]
    for name, r in result["chapters"].items():
        rows.append(f"| {name} | {result['server_mib']:.0f} | {r['kernel_peak_mib']:.0f} | {r['per_student_mib']:.0f} "
                    f"| {r['kernel_cpu_s']:.1f} | {r['wall_s']:.1f} |")
    rows += ["", "| Node (RAM, vCPUs) | Students, chapters 01-09 | Students, chapter 10 quick | Students, chapter 10 full |",
             "|---|---|---|---|"]
    for gib, cpus in NODES:
        cells = []
        for key in ("01-09", "10 quick", "10 full"):
            need = result["classes"].get(key)
            cells.append(str(int((gib - RESERVED_GIB) * 1024 // need)) if need else "not measured")
        rows.append(f"| {gib} GiB, {cpus} vCPU | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-full", action="store_true", help="skip chapter 10's full run")
    args = parser.parse_args(argv)
    result = {"machine": f"{cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
              "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "server_mib": server_mib(),
              "chapters": {}}
    runs = [(p, False) for p in sorted(NOTEBOOKS.glob("0[1-9]_*.ipynb"))]
    runs += [(p, True) for p in sorted(NOTEBOOKS.glob("10_*.ipynb"))]
    runs += [] if args.no_full else [(p, False) for p in sorted(NOTEBOOKS.glob("10_*.ipynb"))]
    for path, quick in runs:
        peak, cpu, wall = run_chapter(path, quick)
        name = path.stem[:2] + (" quick" if quick else (" full" if path.stem.startswith("10") else ""))
        result["chapters"][name] = {"kernel_peak_mib": peak, "kernel_cpu_s": cpu, "wall_s": wall,
                                    "per_student_mib": result["server_mib"] + peak}
        print(f"{name}: kernel peak {peak:.0f} MiB, CPU {cpu:.1f} s, {wall:.1f} s", flush=True)
    chapters = result["chapters"]
    result["classes"] = {"01-09": max(v["per_student_mib"] for k, v in chapters.items() if k[:2] != "10"),
                         "10 quick": chapters.get("10 quick", {}).get("per_student_mib"),
                         "10 full": chapters.get("10 full", {}).get("per_student_mib")}
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    text = f"Measured {result['measured']} on {result['machine']}.\n\n{tables(result)}\n"
    OUT.with_suffix(".md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

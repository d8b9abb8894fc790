#!/usr/bin/env python3
"""Why 2 OpenBLAS threads can make training ~10x slower on a loaded 2-core machine: a reproduction.

    python benchmarks/bench_threads.py                 # threads 1 and 2, alone and beside busy loops
    python benchmarks/bench_threads.py --busy 1 2 --threads 1 2 --steps 20

For each thread count and each number of competing busy processes (plain Python `while True` loops
started here, at the same priority, and stopped by PID when the measurement ends) it runs chapter
10's training step (batch 128, cnnlib) in a fresh process with OPENBLAS_NUM_THREADS set, and prints
the median step time, the process's CPU time per step (all threads) and the ratio to 1 thread under
the same load. Each cell runs in alternating order (1 thread, 2 threads, 1, 2, ...) so that a change
of the machine's load hits both alike.

What it shows (benchmarks/README.md, "Threads"): with both cores free, a second thread helps a little;
with one core taken by another process, a 2-thread step is many times slower and burns more CPU
than it uses. OpenBLAS splits each product between its threads and, when a thread finishes its
part, it spins (busy-waits, burning CPU) for the other one; if the other thread is not running
because the busy process holds its core, every product waits for a scheduler time slice (a few
milliseconds) -- and a step makes dozens of products. cnnlib.threads.choose_threads therefore takes
half the CPUs the process may use (1 on 2 cores).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from cnnlib.threads import cpu_model  # noqa: E402  (standard library only)

CHILD = r"""
import os, sys, time, statistics
sys.path.insert(0, {root!r}); sys.path.insert(0, {here!r})
import numpy as np
from cnnlib.data import load_mnist
from cnnlib.losses import softmax_cross_entropy
from cnnlib.optim import Adam
from train_mnist import BATCH_SIZE, build_model
x, y, _, _ = load_mnist(n_train=BATCH_SIZE, n_test=1)
model, opt = build_model(0), Adam(1e-3)
def step():
    logits = model.forward(x)
    _, d = softmax_cross_entropy(logits, y)
    model.backward(d, need_dx=False)
    opt.step(model)
for _ in range(3):
    step()
times = []
cpu = time.process_time()
for _ in range({steps}):
    t = time.perf_counter(); step(); times.append(time.perf_counter() - t)
print(statistics.median(times), (time.process_time() - cpu) / {steps})
"""




def measure(threads, steps):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        env[var] = str(threads)
    code = CHILD.format(root=os.path.join(HERE, ".."), here=HERE, steps=steps)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    wall, cpu = (float(v) for v in out.stdout.split())
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--busy", type=int, nargs="+", default=[0, 1], help="competing busy processes")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"# bench_threads: {cpu_model()}, {os.cpu_count()} CPUs, steps {args.steps}, rounds {args.rounds}, "
          f"load average {os.getloadavg()[0]:.2f} before")
    print(f"{'busy':>4} {'threads':>7} {'step ms':>8} {'CPU ms':>7} {'vs 1 thread':>11}")
    for busy in args.busy:
        loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
        try:
            time.sleep(0.5)
            results = {n: [] for n in args.threads}
            for _ in range(args.rounds):
                for n in args.threads:
                    results[n].append(measure(n, args.steps))
        finally:
            for p in loops:
                p.kill()
                p.wait()
        base = statistics.median(w for w, _ in results[args.threads[0]])
        for n in args.threads:
            wall = statistics.median(w for w, _ in results[n])
            cpu = statistics.median(c for _, c in results[n])
            print(f"{busy:>4} {n:>7} {1000 * wall:>8.1f} {1000 * cpu:>7.1f} {wall / base:>10.2f}x")
    print(f"# load average {os.getloadavg()[0]:.2f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Time one training step and one epoch of chapter 10's CNN in cnnlib (numpy) and, if torch can be
imported, the same model in PyTorch (CPU): same layers, same batch size, same thread count, float32.

    ../torchvenv/bin/python benchmarks/bench_epoch.py                # 1 and 2 threads, full epochs
    ../torchvenv/bin/python benchmarks/bench_epoch.py --threads 1 --steps 60   # 60 steps as "epoch"

Run it with an environment that has torch (torch is not a course requirement; see benchmarks/README.md).
Each thread count runs in a fresh subprocess, because BLAS reads its thread count when numpy loads.
A training step = forward, softmax cross-entropy, backward, Adam update, on one batch of 128 images.
An epoch = every batch of the 60,000 training images in shuffled order (no augmentation, no test
evaluation), as Sequential.fit does it / as a plain PyTorch loop does it. CPU = the process's CPU
time for the epoch (all threads): on a busy shared machine it is steadier than the wall time.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--steps", type=int, default=None, help="time this many steps instead of a full epoch")
    parser.add_argument("--repeat", type=int, default=20, help="steps timed for the per-step figure")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def run_child(args):
    """Measure at the thread count already set in the environment; print one result line per library."""
    import numpy as np

    sys.path.insert(0, os.path.join(HERE, ".."))
    sys.path.insert(0, HERE)
    from cnnlib.data import load_mnist
    from cnnlib.losses import softmax_cross_entropy
    from cnnlib.optim import Adam
    from train_mnist import BATCH_SIZE, build_model

    threads = int(os.environ["OPENBLAS_NUM_THREADS"])
    x_train, y_train, _, _ = load_mnist(n_test=1)
    if args.steps:
        x_train, y_train = x_train[:args.steps * BATCH_SIZE], y_train[:args.steps * BATCH_SIZE]
    results = {}

    # ---- cnnlib
    model, opt = build_model(0), Adam(1e-3)
    xb, yb = x_train[:BATCH_SIZE], y_train[:BATCH_SIZE]

    def step():
        logits = model.forward(xb)
        _, dlogits = softmax_cross_entropy(logits, yb)
        model.backward(dlogits, need_dx=False)  # as fit does: nothing needs the input gradient
        opt.step(model)

    for _ in range(3):
        step()  # warm-up
    t = time.perf_counter()
    for _ in range(args.repeat):
        step()
    step_time = (time.perf_counter() - t) / args.repeat
    t, c = time.perf_counter(), time.process_time()
    model.fit(x_train, y_train, optimizer=opt, epochs=1, batch_size=BATCH_SIZE, verbose=False)
    results["cnnlib"] = (step_time, time.perf_counter() - t, time.process_time() - c)

    # ---- PyTorch, the same model
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        net = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(32 * 4 * 4, 10))
        topt = torch.optim.Adam(net.parameters(), 1e-3)
        loss_fn = torch.nn.CrossEntropyLoss()
        X, Y = torch.from_numpy(x_train), torch.from_numpy(y_train)
        txb, tyb = X[:BATCH_SIZE], Y[:BATCH_SIZE]

        def tstep(a, b):
            topt.zero_grad()
            loss = loss_fn(net(a), b)
            loss.backward()
            topt.step()

        for _ in range(3):
            tstep(txb, tyb)
        t = time.perf_counter()
        for _ in range(args.repeat):
            tstep(txb, tyb)
        tstep_time = (time.perf_counter() - t) / args.repeat
        t, c = time.perf_counter(), time.process_time()
        order = torch.from_numpy(np.random.default_rng(0).permutation(len(X)))
        for i in range(0, len(X), BATCH_SIZE):
            idx = order[i:i + BATCH_SIZE]
            tstep(X[idx], Y[idx])
        results["torch"] = (tstep_time, time.perf_counter() - t, time.process_time() - c)
        version = torch.__version__
    else:
        version = None
    images = len(x_train)
    for name, (s, e, cpu) in results.items():
        print(f"RESULT {name} threads={threads} images={images} step_ms={1000 * s:.1f} epoch_s={e:.2f} "
              f"cpu_s={cpu:.2f}")
    print(f"INFO numpy {np.__version__} torch {version} load_average {os.getloadavg()[0]:.2f}")


def main():
    args = parse()
    if args.child:
        return run_child(args)
    print(f"{'threads':>7}  {'library':<7}  {'step (ms)':>9}  {'epoch (s)':>9}  {'CPU (s)':>8}  "
          f"{'ratio cnnlib/torch: epoch (step, CPU)':>38}")
    for n in args.threads:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(n), OMP_NUM_THREADS=str(n), MKL_NUM_THREADS=str(n))
        command = [sys.executable, os.path.abspath(__file__), "--child", "--repeat", str(args.repeat)]
        if args.steps:
            command += ["--steps", str(args.steps)]
        out = subprocess.run(command, env=env, capture_output=True, text=True)
        if out.returncode:
            print(out.stdout, out.stderr)
            return out.returncode
        rows = {}
        for line in out.stdout.splitlines():
            if line.startswith("RESULT"):
                fields = dict(item.split("=") for item in line.split()[2:])
                rows[line.split()[1]] = fields
            elif line.startswith("INFO"):
                info = line[5:]
        for name, f in rows.items():
            ratio = ""
            if name == "cnnlib" and "torch" in rows:
                t = rows["torch"]
                ratio = (f"{float(f['epoch_s']) / float(t['epoch_s']):.2f}x "
                         f"({float(f['step_ms']) / float(t['step_ms']):.2f}x, "
                         f"{float(f['cpu_s']) / float(t['cpu_s']):.2f}x)")
            print(f"{n:>7}  {name:<7}  {f['step_ms']:>9}  {f['epoch_s']:>9}  {f['cpu_s']:>8}  {ratio:>38}")
        print(f"         ({rows['cnnlib']['images']} images per epoch; {info})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

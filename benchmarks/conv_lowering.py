"""Convolution lowerings on XLA:CPU: lax.conv vs the direct/fold forms vs the rule's pick vs torch.

Run: python benchmarks/conv_lowering.py [--rounds N] [--only NAME ...]

For each shape, in one process, times the forward and forward+backward (a jitted
``value_and_grad`` of ``sum(conv(x, w) * ct)`` w.r.t. input and weight) of:
  lax     lax.conv_general_dilated, JAX's own derivatives (jtorch before conv_lowering)
  direct  direct forward, direct input gradient, fold weight gradient
  dir+lw  direct forward and input gradient, lax weight gradient
  kn2row  lax forward and weight gradient, kn2row input gradient (matmul + shifted-slice scatter)
  rule    what ``conv_lowering.choose`` picks for the shape (printed as fwd/dx/dw)
  torch   torch.nn.functional.conv*d (+ backward), best of 1 and 2 threads
Candidates run interleaved (A B C A B C ...) for ``--rounds`` rounds and the medians are printed,
so load from other processes hits all alike; the order rotates every round. torch's OpenMP
threads are made to sleep when idle (OMP_WAIT_POLICY=PASSIVE): spinning, they slowed whichever
JAX candidate ran next by up to 2x. Also checks every candidate against torch (max rel err).
"""
import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import jax
import jax.numpy as jnp
import numpy as np
import torch

from jtorch.nn._kernels import conv_lowering as cl

# name: (input shape, weight shape, padding, groups)
SHAPES = {
    "conv1 b4": ((4, 3, 32, 32), (6, 3, 5, 5), 0, 1),
    "conv1 b64": ((64, 3, 32, 32), (6, 3, 5, 5), 0, 1),
    "conv2 b4": ((4, 6, 14, 14), (16, 6, 5, 5), 0, 1),
    "conv2 b64": ((64, 6, 14, 14), (16, 6, 5, 5), 0, 1),
    "3x3 3->16 32x32 b64": ((64, 3, 32, 32), (16, 3, 3, 3), 1, 1),
    "3x3 16->16 32x32 b32": ((32, 16, 32, 32), (16, 16, 3, 3), 1, 1),
    "3x3 64->64 16x16 b32": ((32, 64, 16, 16), (64, 64, 3, 3), 1, 1),
    "3x3 128->128 16x16 b16": ((16, 128, 16, 16), (128, 128, 3, 3), 1, 1),
    "3x3 dw 32 16x16 b32": ((32, 32, 16, 16), (32, 1, 3, 3), 1, 32),
    "1x1 16->16 32x32 b32": ((32, 16, 32, 32), (16, 16, 1, 1), 0, 1),
    "1x1 64->128 16x16 b32": ((32, 64, 16, 16), (128, 64, 1, 1), 0, 1),
    "1d k5 1->8 L1000 b64": ((64, 1, 1000), (8, 1, 5), 2, 1),
    "1d k3 16->32 L128 b64": ((64, 16, 128), (32, 16, 3), 1, 1),
}
CANDIDATES = {"lax": ("lax", "lax", "lax"), "direct": ("direct", "direct", "fold"),
              "dir+lw": ("direct", "direct", "lax"), "kn2row": ("lax", "kn2row", "lax")}


def _jax_fns(forms, n, padding, groups):
    kw = dict(stride=(1,) * n, padding=((padding, padding),) * n, dilation=(1,) * n, groups=groups,
              precision="highest", forms=forms)

    def fwd(x, w):
        return cl.conv(x, w, **kw)

    def loss(x, w, ct):
        return jnp.sum(cl.conv(x, w, **kw) * ct)
    return jax.jit(fwd), jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))


def _torch_fns(x, w, ct, n, padding, groups):
    conv = getattr(torch.nn.functional, f"conv{n}d")
    tx, tw, tct = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(ct)
    gx, gw = tx.clone().requires_grad_(True), tw.clone().requires_grad_(True)

    def fwd():
        return conv(tx, tw, padding=padding, groups=groups)

    def both():
        gx.grad = gw.grad = None
        y = conv(gx, gw, padding=padding, groups=groups)
        y.backward(tct)
        return y, gx.grad, gw.grad
    return fwd, both


def _threads(fn, k):
    def run():
        torch.set_num_threads(k)
        return fn()
    return run


def _block(v):
    if any(isinstance(leaf, jax.Array) for leaf in jax.tree_util.tree_leaves(v)):
        jax.block_until_ready(v)


def _time(cands, rounds):
    """Median ms per call of each candidate, interleaved round by round."""
    reps = {}
    for k, f in cands.items():
        _block(f())
        t0 = time.perf_counter()
        _block(f())
        reps[k] = max(1, min(50, int(0.01 / max(time.perf_counter() - t0, 1e-6))))
    samples = {k: [] for k in cands}
    order = list(cands.items())
    for r in range(rounds):
        for k, f in order[r % len(order):] + order[:r % len(order)]:
            t0 = time.perf_counter()
            for _ in range(reps[k]):
                out = f()
            _block(out)
            samples[k].append((time.perf_counter() - t0) / reps[k] * 1e3)
    return {k: statistics.median(v) for k, v in samples.items()}


def _np(v):
    return v.detach().numpy() if isinstance(v, torch.Tensor) else np.asarray(v)


def _max_rel_err(ref, got):
    return max(float(np.max(np.abs(_np(a) - _np(b))) / (np.max(np.abs(_np(a))) + 1e-30)) for a, b in zip(ref, got))


def bench_shape(name, rounds):
    """The rule's forms, median forward and forward+backward ms per candidate, and the worst
    relative error of any candidate's output or gradients against torch."""
    x_shape, w_shape, padding, groups = SHAPES[name]
    n = len(x_shape) - 2
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    out = getattr(torch.nn.functional, f"conv{n}d")(torch.from_numpy(x), torch.from_numpy(w), padding=padding,
                                                     groups=groups)
    ct = rng.uniform(0.5, 1.5, tuple(out.shape)).astype(np.float32)
    tfwd, tboth = _torch_fns(x, w, ct, n, padding, groups)
    rule = cl.choose(x_shape, w_shape, (1,) * n, ((padding, padding),) * n, (1,) * n, groups, "float32")
    xs, ws, cts = jnp.asarray(x), jnp.asarray(w), jnp.asarray(ct)
    fwd, both = {}, {}
    ref_f = tfwd()
    ref_b = tboth()
    errs = {}
    for label, forms in list(CANDIDATES.items()) + [("rule", rule)]:
        jf, jb = _jax_fns(forms, n, padding, groups)
        fwd[label] = lambda jf=jf: jf(xs, ws)
        both[label] = lambda jb=jb: jb(xs, ws, cts)
        (_, (gx, gw)) = jb(xs, ws, cts)
        errs[label] = max(_max_rel_err([ref_f], [jf(xs, ws)]), _max_rel_err(ref_b[1:], [gx, gw]))
    fwd["torch1"], fwd["torch2"] = _threads(tfwd, 1), _threads(tfwd, 2)
    both["torch1"], both["torch2"] = _threads(tboth, 1), _threads(tboth, 2)
    tf, tb = _time(fwd, rounds), _time(both, rounds)
    torch.set_num_threads(2)
    for t in (tf, tb):
        t["torch"] = min(t.pop("torch1"), t.pop("torch2"))
    return rule, tf, tb, max(errs.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--only", nargs="*", default=None, help="shape names (substring match)")
    args = parser.parse_args()
    names = [s for s in SHAPES if args.only is None or any(o in s for o in args.only)]
    cols = list(CANDIDATES) + ["rule", "torch"]
    print(f"jax {jax.__version__}, torch {torch.__version__}; median ms per call ({args.rounds} interleaved rounds)")
    head = " ".join(f"{c:>7s}" for c in cols)
    print(f"{'shape':24s} {'rule fwd/dx/dw':20s} | fwd: {head} lax/rule rule/torch | fwd+bwd: {head} "
          f"lax/rule rule/torch | max rel err")
    for name in names:
        rule, tf, tb, err = bench_shape(name, args.rounds)
        parts = []
        for t in (tf, tb):
            parts.append(" ".join(f"{t[c]:7.3f}" for c in cols) + f" {t['lax'] / t['rule']:8.2f} "
                         f"{t['rule'] / t['torch']:10.2f}")
        print(f"{name:24s} {'/'.join(rule):20s} | fwd: {parts[0]} | fwd+bwd: {parts[1]} | {err:.1e}", flush=True)


if __name__ == "__main__":
    main()

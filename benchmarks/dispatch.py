"""Per-op dispatch cost: jtorch eager vs torch eager vs a plain jnp call vs a pre-jitted JAX function.

Run: python benchmarks/dispatch.py [--repeat N]
Prints median microseconds per op for each peer and the ratios the core issue sets goals on:
forward-only jtorch within 2x of the pre-jitted JAX call; forward+backward no slower than torch.
"""
import argparse
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np
import torch

import jtorch


def _time(fn, number, repeat):
    for _ in range(max(number // 10, 5)):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t0) / number * 1e6)
    return statistics.median(samples)


def _block(x):
    return x.block_until_ready() if hasattr(x, "block_until_ready") else x


def _cases():
    rng = np.random.default_rng(0)
    a4, b4 = rng.standard_normal(4).astype(np.float32), rng.standard_normal(4).astype(np.float32)
    a64, b64 = rng.standard_normal((64, 64)).astype(np.float32), rng.standard_normal((64, 64)).astype(np.float32)

    def peers(a, b, op, jop):
        ta, tb = torch.from_numpy(a), torch.from_numpy(b)
        ja, jb = jtorch.tensor(a), jtorch.tensor(b)
        xa, xb = jnp.asarray(a), jnp.asarray(b)
        jitted = jax.jit(jop)
        fwd = {
            "torch": lambda: op(ta, tb),
            "jtorch": lambda: op(ja, jb)._read(),
            "jnp": lambda: jop(xa, xb),
            "jax.jit": lambda: jitted(xa, xb),
        }
        tg, jg = ta.clone().requires_grad_(), ja.clone().requires_grad_()
        grad_fn = jax.jit(jax.grad(lambda x, y: jop(x, y).sum()))

        def torch_fb():
            tg.grad = None
            op(tg, tb).sum().backward()

        def jtorch_fb():
            jg.grad = None
            op(jg, jb).sum().backward()
            jg.grad._read()

        fb = {"torch": torch_fb, "jtorch": jtorch_fb, "jnp": None, "jax.jit": lambda: grad_fn(xa, xb)}
        return fwd, fb

    yield ("add (4,)",) + peers(a4, b4, lambda x, y: x + y, lambda x, y: x + y)
    yield ("matmul (64,64)",) + peers(a64, b64, lambda x, y: x @ y, lambda x, y: x @ y)


def _chain_case():
    rng = np.random.default_rng(1)
    a = rng.standard_normal(16).astype(np.float32)

    def chain(lib_ops, x):
        for i in range(20):
            x = lib_ops[i % 4](x)
        return x
    t_ops = [lambda x: x * 1.01, lambda x: x + 0.5, lambda x: x.tanh(), lambda x: x - 0.25]
    ta, ja, xa = torch.from_numpy(a).requires_grad_(), jtorch.tensor(a).requires_grad_(), jnp.asarray(a)
    j_ops = [lambda x: x * 1.01, lambda x: x + 0.5, jnp.tanh, lambda x: x - 0.25]
    grad_fn = jax.jit(jax.grad(lambda x: chain(j_ops, x).sum()))

    def torch_chain():
        ta.grad = None
        chain(t_ops, ta).sum().backward()

    def jtorch_chain():
        ja.grad = None
        chain(t_ops, ja).sum().backward()
        ja.grad._read()
    return {"torch": torch_chain, "jtorch": jtorch_chain, "jnp": None, "jax.jit": lambda: grad_fn(xa)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for name, fwd, fb in _cases():
        rows.append((name + " fwd", {k: _time(lambda f=f: _block(f()), args.number, args.repeat) for k, f in fwd.items()}))
        rows.append((name + " fwd+bwd", {k: (_time(f, args.number // 2, args.repeat) if f else None)
                                          for k, f in fb.items()}))
    chain = _chain_case()
    rows.append(("20-op chain fwd+bwd", {k: (_time(f, args.number // 20, args.repeat) if f else None)
                                         for k, f in chain.items()}))
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; torch {torch.__version__}; "
          f"median us per call ({args.repeat} x {args.number})")
    head = f"{'case':26s} {'torch':>9s} {'jtorch':>9s} {'jnp':>9s} {'jax.jit':>9s} {'jt/jit':>7s} {'jt/torch':>8s}"
    print(head)
    print("-" * len(head))
    for name, t in rows:
        def fmt(v):
            return f"{v:9.2f}" if v is not None else f"{'-':>9s}"
        print(f"{name:26s} {fmt(t['torch'])} {fmt(t['jtorch'])} {fmt(t['jnp'])} {fmt(t['jax.jit'])} "
              f"{t['jtorch'] / t['jax.jit']:7.2f} {t['jtorch'] / t['torch']:8.2f}")


if __name__ == "__main__":
    main()

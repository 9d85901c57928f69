"""One training step (zero_grad, forward, loss, backward, step) of the seed models:
torch eager vs jtorch eager vs jtorch compiled (``jtorch.compile`` of the same step function)
vs hand-written JAX (one jax.jit around value_and_grad + optax, buffers donated).

Run: python benchmarks/train_step.py [--steps N]
Prints the median time per step of each peer and jtorch's ratio to each. Rounds during which
another process loads the CPU are discarded (compare os.times() CPU time with wall time).
"""
import argparse
import os
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
import torch

import jtorch


def _mlp(lib):
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = lib.nn.Linear(10, 20)

        def forward(self, x):
            return self.fc1(x)
    return Net()


def _cnn(lib):
    F = lib.nn.functional

    class CNN(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = lib.nn.Conv2d(3, 6, 5)
            self.pool = lib.nn.MaxPool2d(2, 2)
            self.conv2 = lib.nn.Conv2d(6, 16, 5)
            self.fc1 = lib.nn.Linear(400, 120)
            self.fc2 = lib.nn.Linear(120, 84)
            self.fc3 = lib.nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 400)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)
    return CNN()


def _eager_step(lib, make, opt_fn, loss_fn, x, y, compiled=False):
    model = make(lib)
    opt = opt_fn(lib, model)
    crit = loss_fn(lib)
    xs, ys = lib.tensor(x), lib.tensor(y)

    def step():
        opt.zero_grad()
        loss = crit(model(xs), ys)
        loss.backward()
        opt.step()
        return loss
    return lib.compile(step) if compiled else step


def _compile_seconds(step):
    """Trace + compile time of a compiled step's (first) program, after running it twice."""
    step()
    step()
    return step.compile_seconds[0]


def _jax_compile_seconds(make, opt_fn, loss_fn, x, y):
    """Compile time of the hand-written JAX step (lower + compile of a fresh jit)."""
    jax.clear_caches()
    step = _jax_step(make, opt_fn, loss_fn, x, y)
    t0 = time.perf_counter()
    _block_any(step())
    return time.perf_counter() - t0


def _jax_step(make, opt_fn, loss_fn, x, y):
    """Hand-written JAX: the same model as pure functions of a params pytree, donated buffers."""
    model = make(torch)
    params = {k: jnp.asarray(v.detach().numpy()) for k, v in model.state_dict().items()}
    tx = opt_fn(None, None)
    state = tx.init(params)
    xs, ys = jnp.asarray(x), jnp.asarray(y)

    def forward(p, inp):
        if "conv1.weight" not in p:
            return inp @ p["fc1.weight"].T + p["fc1.bias"]

        def conv(h, w, b):
            return jax.lax.conv_general_dilated(h, w, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW")) \
                + b[None, :, None, None]

        def pool(h):
            return jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")
        h = pool(jax.nn.relu(conv(inp, p["conv1.weight"], p["conv1.bias"])))
        h = pool(jax.nn.relu(conv(h, p["conv2.weight"], p["conv2.bias"])))
        h = h.reshape(h.shape[0], -1)
        h = jax.nn.relu(h @ p["fc1.weight"].T + p["fc1.bias"])
        h = jax.nn.relu(h @ p["fc2.weight"].T + p["fc2.bias"])
        return h @ p["fc3.weight"].T + p["fc3.bias"]

    def loss(p):
        out = forward(p, xs)
        if ys.dtype.kind == "f":
            return ((out - ys) ** 2).mean()
        return optax.softmax_cross_entropy_with_integer_labels(out, ys).mean()

    def update(p, s):
        value, grads = jax.value_and_grad(loss)(p)
        upd, s = tx.update(grads, s, p)
        return optax.apply_updates(p, upd), s, value

    update = jax.jit(update, donate_argnums=(0, 1))
    holder = [params, state]

    def step():
        holder[0], holder[1], value = update(holder[0], holder[1])
        return value
    return step


def _measure(step, steps, block):
    for _ in range(5):
        block(step())
    samples = []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), os.times()
        block(step())
        wall, cpu = time.perf_counter() - t0, sum(os.times()[:2]) - sum(c0[:2])
        samples.append((wall, cpu))
    quiet = [w for w, c in samples if c <= 1.5 * w + 1e-4] or [w for w, _ in samples]
    return statistics.median(quiet) * 1e6


def _block_any(v):
    if isinstance(v, jtorch.Tensor):
        v._read().block_until_ready()
    elif hasattr(v, "block_until_ready"):
        v.block_until_ready()


CASES = {
    "MLP Adam b20": (_mlp, (20, 10), "mse", lambda lib, m: lib.optim.Adam(m.parameters(), lr=0.01),
                     lambda: optax.adam(0.01)),
    "CNN SGD b4": (_cnn, (4, 3, 32, 32), "ce", lambda lib, m: lib.optim.SGD(m.parameters(), lr=0.001, momentum=0.9),
                   lambda: optax.sgd(0.001, momentum=0.9)),
    "CNN SGD b64": (_cnn, (64, 3, 32, 32), "ce", lambda lib, m: lib.optim.SGD(m.parameters(), lr=0.001,
                                                                                momentum=0.9),
                    lambda: optax.sgd(0.001, momentum=0.9)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"jax {jax.__version__} ({jax.devices()[0].platform}), torch {torch.__version__}; median us per step")
    print(f"{'case':14s} {'torch':>10s} {'torch 1t':>10s} {'jtorch':>10s} {'jt compiled':>12s} {'jax.jit':>10s} "
          f"{'eager/torch':>12s} {'comp/jax':>9s} {'comp/torch':>11s}")
    compile_times = []
    for name, (make, shape, kind, opt_fn, optax_fn) in CASES.items():
        x = rng.standard_normal(shape).astype(np.float32)
        y = rng.standard_normal((shape[0], 20)).astype(np.float32) if kind == "mse" else \
            rng.integers(0, 10, shape[0]).astype(np.int64)

        def loss_fn(lib, kind=kind):
            return lib.nn.MSELoss() if kind == "mse" else lib.nn.CrossEntropyLoss()
        torch.set_num_threads(2)
        t2 = _measure(_eager_step(torch, make, opt_fn, loss_fn, x, y), args.steps, lambda v: None)
        torch.set_num_threads(1)
        t1 = _measure(_eager_step(torch, make, opt_fn, loss_fn, x, y), args.steps, lambda v: None)
        jt = _measure(_eager_step(jtorch, make, opt_fn, loss_fn, x, y), args.steps, _block_any)
        jc = _measure(_eager_step(jtorch, make, opt_fn, loss_fn, x, y, compiled=True), args.steps, _block_any)
        jx = _measure(_jax_step(make, lambda *_: optax_fn(), loss_fn, x, y), args.steps, _block_any)
        tt = min(t1, t2)
        print(f"{name:14s} {t2:10.1f} {t1:10.1f} {jt:10.1f} {jc:12.1f} {jx:10.1f} {jt / tt:12.2f} {jc / jx:9.2f} "
              f"{jc / tt:11.2f}")
        compile_times.append((name, _compile_seconds(_eager_step(jtorch, make, opt_fn, loss_fn, x, y, compiled=True)),
                              _jax_compile_seconds(make, lambda *_: optax_fn(), loss_fn, x, y)))
    print("compile time (s): " + "; ".join(f"{n}: jtorch {c:.2f}, JAX {j:.2f}" for n, c, j in compile_times))


if __name__ == "__main__":
    main()

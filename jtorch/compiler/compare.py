"""``jtorch.compiler.compare``: the same training step, eager (dynamic graph) and compiled
(static graph), from the same starting state, side by side."""
import copy
import time

import numpy as np

from .._compile.api import CompiledFunction
from .._compile.discover import discover
from .. import random as R

__all__ = ["compare", "Comparison"]


def _snapshot(found):
    params = found.parameters()
    return dict(
        modules=[(m, copy.deepcopy(m.state_dict())) for m in _top_modules(found)],
        optimizers=[(o, copy.deepcopy(o.state_dict())) for o in found.optimizers.values()],
        schedulers=[(s, copy.deepcopy(s.state_dict())) for s in found.schedulers.values()],
        grads=[(p, None if p.grad is None else p.grad.clone()) for p in params],
        rng=R.get_rng_state(),
        training=[(m, m.training) for m in found.modules.values()],
    )


def _top_modules(found):
    """Modules that are not submodules of another module found."""
    subs = {id(s) for m in found.modules.values() for s in m.modules() if s is not m}
    return [m for m in found.modules.values() if id(m) not in subs]


def _restore(snap):
    for m, state in snap["modules"]:
        m.load_state_dict(state)
    for o, state in snap["optimizers"]:
        o.load_state_dict(state)
    for s, state in snap["schedulers"]:
        s.load_state_dict(state)
    for p, g in snap["grads"]:
        p.grad = g
    for m, training in snap["training"]:
        m.training = training
    R.set_rng_state(snap["rng"])


def _params_now(found):
    return [np.array(p.detach().numpy(), copy=True) for p in found.parameters()]


def _loss_value(out):
    if isinstance(out, (tuple, list)):
        out = out[0]
    return float(out)


class Comparison:
    """Per-step results of :func:`compare`: ``rows`` of dicts with ``step``, ``eager_loss``,
    ``compiled_loss``, ``max_param_diff`` (max |eager - compiled| over all parameters after the
    step), ``eager_ms``, ``compiled_ms``; plus ``compile_seconds`` (each compiled program's
    trace+compile time), ``recompiles`` (their reasons), ``graph_breaks`` and ``op_counts`` (XLA ops per program)."""

    def __init__(self, rows, compiled):
        self.rows = rows
        self.compile_seconds = list(compiled.compile_seconds)
        self.recompiles = [list(r) for r in compiled.recompiles]
        self.graph_breaks = list(compiled.graph_breaks)
        self.op_counts = [p.stats()["op_count"] for p in compiled.programs()]

    def __str__(self):
        head = f"{'step':>4} {'eager loss':>12} {'compiled loss':>14} {'max |dparam|':>13} {'eager ms':>9} " \
               f"{'compiled ms':>12}"
        lines = [head]
        for r in self.rows:
            lines.append(f"{r['step']:>4} {r['eager_loss']:>12.6f} {r['compiled_loss']:>14.6f} "
                         f"{r['max_param_diff']:>13.3e} {r['eager_ms']:>9.3f} {r['compiled_ms']:>12.3f}")
        steady = self.rows[2:] or self.rows
        lines.append(f"median ms/step after the first two steps: eager {np.median([r['eager_ms'] for r in steady]):.3f}"
                     f", compiled {np.median([r['compiled_ms'] for r in steady]):.3f}")
        lines.append("compile time: " + ", ".join(f"{s:.3f} s" for s in self.compile_seconds)
                     + f" ({len(self.compile_seconds)} program(s); step 1 runs eagerly, step 2 traces and compiles)")
        lines.append(f"recompiles: {len(self.recompiles)}" + "".join(f"\n  {'; '.join(r)}" for r in self.recompiles))
        if self.graph_breaks:
            lines.append("graph breaks:" + "".join(f"\n  {b}" for b in self.graph_breaks))
        return "\n".join(lines)

    __repr__ = __str__

    def plot(self, path):
        """Save time per step and both loss curves to ``path`` (needs matplotlib); returns ``path``."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        steps = [r["step"] for r in self.rows]
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
        ax1.plot(steps, [r["eager_ms"] for r in self.rows], label="eager (dynamic graph)")
        ax1.plot(steps, [r["compiled_ms"] for r in self.rows], label="compiled (static graph)")
        ax1.set_yscale("log")
        ax1.set_xlabel("step")
        ax1.set_ylabel("ms per step")
        ax1.legend()
        ax2.plot(steps, [r["eager_loss"] for r in self.rows], label="eager")
        ax2.plot(steps, [r["compiled_loss"] for r in self.rows], "--", label="compiled")
        ax2.set_xlabel("step")
        ax2.set_ylabel("loss")
        ax2.legend()
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
        return path


def compare(step_fn, batches, steps=None):
    """Run ``step_fn(*batch)`` (a training step returning the loss, or a tuple starting with it)
    for ``steps`` batches eagerly, then restore the starting state (parameters, buffers, grads,
    optimizer and scheduler state, RNG) and run the same batches through ``jtorch.compile(step_fn)``.
    Returns a :class:`Comparison` (print it for the table). The state is left as after the
    compiled run."""
    batches = list(batches)[:steps] if steps is not None else list(batches)
    batches = [b if isinstance(b, (tuple, list)) else (b,) for b in batches]
    found = discover(step_fn, batches[0] if batches else (), {})
    start = _snapshot(found)
    eager = []
    for batch in batches:
        t0 = time.perf_counter()
        loss = _loss_value(step_fn(*batch))
        eager.append((loss, (time.perf_counter() - t0) * 1e3, _params_now(found)))
    _restore(start)
    compiled_fn = CompiledFunction(step_fn)
    rows = []
    for i, batch in enumerate(batches):
        t0 = time.perf_counter()
        loss = _loss_value(compiled_fn(*batch))
        ms = (time.perf_counter() - t0) * 1e3
        params = _params_now(found)
        e_loss, e_ms, e_params = eager[i]
        diff = max((float(np.max(np.abs(a - b))) for a, b in zip(params, e_params) if a.size), default=0.0)
        rows.append(dict(step=i + 1, eager_loss=e_loss, compiled_loss=loss, max_param_diff=diff, eager_ms=e_ms,
                         compiled_ms=ms))
    return Comparison(rows, compiled_fn)

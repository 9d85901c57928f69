"""One compiled program: a call signature of a compiled function, traced into a pure function of
arrays and compiled by XLA.

The program's inputs are the arrays of every storage the call touches (argument tensors,
parameters, gradients, buffers, optimizer state, loose tensors found), the optimizers'
learning rates and the generator's seed and counter; its outputs are the function's tensor
results, the storage arrays it changed and the gradients it replaced, and nothing else: after a
run they are written back, so the Python objects look exactly as after an eager call. LR scheduler steps taken inside
are replayed in Python after each run (they compute the next learning rate on the host).
"""
import copy
import time

import jax
import numpy as np

from .. import random as R
from .._tensor import Tensor, wrap
from ..autograd.grad_mode import MODE
from ..optim.lr_scheduler import LRScheduler

__all__ = ["Program", "signature", "signature_labels", "explain_change", "StateChanged", "leaves_of"]


class StateChanged(Exception):
    """Tracing created new persistent state (e.g. an optimizer's first step): run eagerly once."""


_POSITIONAL_TREES = {}


def _is_tensor(x):
    return isinstance(x, Tensor)


def leaves_of(args, kwargs):
    """(leaves, treedef) of the call's arguments, tensors being leaves (fast for tensors only)."""
    if not kwargs and all(type(a) is Tensor for a in args):
        tree = _POSITIONAL_TREES.get(len(args))
        if tree is None:
            tree = _POSITIONAL_TREES[len(args)] = jax.tree_util.tree_structure(((0,) * len(args), {}))
        return list(args), tree
    return jax.tree_util.tree_flatten((args, kwargs), is_leaf=_is_tensor)


def _describe_leaf(x):
    if isinstance(x, Tensor):
        a = x._arr
        return ("tensor", a.shape, a.dtype, x._req or x._grad_fn is not None, x._view)
    if isinstance(x, (bool, int, float, str, bytes, type(None), complex)):
        return ("value", x)
    return ("object", type(x).__name__, id(x))


def signature(leaves, treedef, found, params):
    """The values a program is specialised on (a change in any recompiles); cheap, since it is
    computed on every call (``leaves, treedef`` are the arguments', from ``_leaves``).
    :func:`signature_labels` names them, for explanations."""
    parts = [treedef]
    parts += [_describe_leaf(x) for x in leaves]
    parts.append(MODE.grad_enabled)
    parts += [m.training for m in found.modules.values()]
    parts.append(tuple(p._grad is not None for p in params))
    parts.append(tuple((p._arr.shape, p._arr.dtype, p._req) for p in params))
    for opt in found.optimizers.values():
        for group in opt.param_groups:
            parts.append(tuple((k, v) for k, v in group.items() if k not in ("params", "lr", "param_names")
                               and isinstance(v, (bool, int, float, str, tuple, type(None)))))
            parts.append(isinstance(group["lr"], Tensor))
    return tuple(parts)


def signature_labels(key, found):
    """(label, value) pairs for the values of signature ``key`` (same order)."""
    n_leaves = key[0].num_leaves
    labels = ["argument structure"] + [f"input {i}" for i in range(n_leaves)] + ["grad mode"]
    labels += [f"{found.name_of(m)}.training" for m in found.modules.values()]
    labels += ["parameters with .grad", "parameter shapes"]
    for o, opt in enumerate(found.optimizers.values()):
        for g in range(len(opt.param_groups)):
            labels += [f"optimizer {o} param_groups[{g}] options", f"optimizer {o} param_groups[{g}]['lr'] kind"]
    values = [str(key[0])] + [_readable(v) for v in key[1:]]
    return list(zip(labels, values))


def _readable(v):
    if isinstance(v, tuple) and len(v) == 5 and v[0] == "tensor":
        return ("tensor", tuple(v[1]), str(v[2]), v[3], v[4])
    return v


def explain_change(old, new):
    """PyTorch-worded reasons a signature ``new`` differs from ``old``."""
    old_d = dict(old)
    reasons = []
    for label, value in new:
        if label not in old_d:
            reasons.append(f"{label}: new")
        elif old_d[label] != value:
            reasons.append(_reason(label, old_d[label], value))
    missing = [label for label, _ in old if label not in dict(new)]
    reasons += [f"{label}: gone" for label in missing]
    return reasons


def _reason(label, old, new):
    if label.endswith(".training"):
        return f"{label} changed ({old} -> {new})"
    if label.startswith("input") and old[0] == new[0] == "tensor":
        if old[1] != new[1]:
            return f"{label}: shape {old[1]} -> {new[1]}"
        if old[2] != new[2]:
            return f"{label}: dtype {old[2]} -> {new[2]}"
        if old[3] != new[3]:
            return f"{label}: requires_grad {old[3]} -> {new[3]}"
        return f"{label}: memory layout changed"
    if label.startswith("input") and old[0] == new[0] == "value":
        return f"{label}: {old[1]!r} -> {new[1]!r}"
    return f"{label} changed"


def _storages(tensors):
    """Unique storages of ``tensors`` with a base tensor for each (in first-seen order)."""
    out = {}
    for t in tensors:
        st = t._st
        if id(st) not in out:
            base = t if t._view is None and t._base is None else (t._base or t)
            out[id(st)] = (st, base)
    return list(out.values())


class _Bound:
    """Binds traced arrays to the live Python objects for one trace, and restores them after."""

    def __init__(self, program):
        self.p = program

    def __enter__(self):
        p = self.p
        self.saved_arrays = [(st, st.array) for st, _ in p.storages]
        self.saved_grads = [p_._grad for p_ in p.params]
        self.saved_graph = [(t, t._grad_fn, t._req) for t in p.arg_tensors]
        self.saved_lrs = [(g, g["lr"]) for g in p.groups]
        self.saved_counter = (R.default_generator._seed, R.default_generator._counter)
        self.saved_schedulers = [(s, copy.copy(s.__dict__)) for s in p.found.schedulers.values()]
        self.saved_opt_state = [(o, {k: dict(v) for k, v in o.state.items()}) for o in p.found.optimizers.values()]
        self.saved_step = LRScheduler.step
        return self

    def __exit__(self, *exc):
        for st, arr in self.saved_arrays:
            st.array = arr
            st.version += 1
        for p_, g in zip(self.p.params, self.saved_grads):
            p_._grad = g
        for t, gf, req in self.saved_graph:
            t._grad_fn, t._req = gf, req
        for g, lr in self.saved_lrs:
            g["lr"] = lr
        R.default_generator._seed, R.default_generator._counter = self.saved_counter
        R.default_generator._traced = None
        R._compiling[0] = False
        for s, d in self.saved_schedulers:
            s.__dict__.clear()
            s.__dict__.update(d)
        for o, state in self.saved_opt_state:
            o.state.clear()
            o.state.update(state)
        LRScheduler.step = self.saved_step


class Program:
    """The compiled program of one signature of a compiled function (see the module docstring)."""

    def __init__(self, fn, leaves, treedef, found, params):
        self.fn = fn
        self.found = found
        self.params = params
        self.treedef = treedef
        self.tensor_slots = [i for i, x in enumerate(leaves) if isinstance(x, Tensor)]
        self.static_leaves = [None if isinstance(x, Tensor) else x for x in leaves]
        grads = [p._grad for p in params if p._grad is not None]
        self.state_storages = _storages(params + grads + found.state_tensors())
        self.bind(leaves)
        self.groups = [g for o in found.optimizers.values() for g in o.param_groups
                       if not isinstance(g["lr"], Tensor)]
        self.aux = None
        self.compiled = None
        self.compile_seconds = 0.0
        self.traced = None

    def bind(self, leaves):
        """Take this call's argument tensors (their storages come first among the program's)."""
        self.arg_tensors = [leaves[i] for i in self.tensor_slots]
        state_ids = {id(st) for st, _ in self.state_storages}
        own = [(st, b) for st, b in _storages(self.arg_tensors) if id(st) not in state_ids]
        self.storages = own + self.state_storages

    # ---- the pure function ----
    def _pure(self, storage_arrays, lrs, seed, counter):
        """Run the user's function on traced arrays; returns (outputs, new storages, new grads)."""
        with _Bound(self) as bound:
            for (st, _), arr in zip(self.storages, storage_arrays):
                st.array = arr
                st.version += 1
            for t in self.arg_tensors:
                if t._grad_fn is not None:
                    t._grad_fn, t._req = None, True
            for g, lr in zip(self.groups, lrs):
                g["lr"] = lr
            gen = R.default_generator
            start = gen._counter
            gen._traced = (seed, counter, start)
            R._compiling[0] = True
            calls = []
            original_step = bound.saved_step

            def recording_step(sched, *a, **k):
                calls.append((sched, a, k))
                return original_step(sched, *a, **k)

            LRScheduler.step = recording_step
            state_before = {id(v) for o in self.found.optimizers.values() for st in o.state.values()
                            for v in st.values()}
            leaves = list(self.static_leaves)
            for slot, t in zip(self.tensor_slots, self.arg_tensors):
                leaves[slot] = t
            args, kwargs = jax.tree_util.tree_unflatten(self.treedef, leaves)
            result = self.fn(*args, **kwargs)
            state_after = {id(v) for o in self.found.optimizers.values() for st in o.state.values()
                           for v in st.values()}
            if state_after - state_before:
                raise StateChanged()
            out_leaves, out_tree = jax.tree_util.tree_flatten(result, is_leaf=_is_tensor)
            out_slots = [i for i, x in enumerate(out_leaves) if isinstance(x, Tensor)]
            outputs = [out_leaves[i]._read() for i in out_slots]
            out_static = [None if isinstance(x, Tensor) else x for x in out_leaves]
            if any(isinstance(x, jax.core.Tracer) for x in out_static):
                raise TypeError("a compiled function returned a traced value that is not a tensor")
            changed = tuple(i for i, ((st, _), arr) in enumerate(zip(self.storages, storage_arrays))
                            if st.array is not arr)
            new_storages = [self.storages[i][0].array for i in changed]
            grad_updates = tuple(i for i, (p, g) in enumerate(zip(self.params, bound.saved_grads)) if p._grad is not g)
            grad_present = tuple(self.params[i]._grad is not None for i in grad_updates)
            did_backward = bool(grad_updates)
            new_grads = [self.params[i]._grad._read() for i in grad_updates if self.params[i]._grad is not None]
            self.aux = dict(out_tree=out_tree, out_slots=out_slots, out_static=out_static, grad_present=grad_present,
                            grad_updates=grad_updates, draws=gen._counter - start, scheduler_calls=calls, did_backward=did_backward,
                            n_out=len(outputs), n_state=len(new_storages), changed=changed)
            return tuple(outputs) + tuple(new_storages) + tuple(new_grads)

    def _inputs(self):
        gen = R.default_generator
        seed = gen._seed - (1 << 64) if gen._seed >= 1 << 63 else gen._seed
        return ([st.array for st, _ in self.storages], [float(g["lr"]) for g in self.groups],
                np.int64(seed), np.int64(gen._counter))

    # ---- compile and run ----
    def compile(self):
        """Trace and compile; returns the compile time in seconds. Raises a graph-break error, or
        :class:`StateChanged`, when the call cannot (yet) be one program."""
        t0 = time.perf_counter()
        storage_arrays, lrs, seed, counter = self._inputs()
        self._jitted = jax.jit(lambda s, l, sd, c: self._pure(s, l, sd, c))
        self.traced = self._jitted.trace(storage_arrays, lrs, seed, counter)
        self.compiled = self.traced.lower().compile()
        self.compile_seconds = time.perf_counter() - t0
        return self.compile_seconds

    def run(self, leaves):
        """Run the program on this call's arguments (their ``_leaves``) and the live state, write
        the new state back, return the results."""
        self.bind(leaves)
        storage_arrays, lrs, seed, counter = self._inputs()
        aux = self.aux
        needs_graph = (MODE.grad_enabled and not aux["did_backward"]
                       and any(b._req or b._grad_fn is not None for _, b in self.storages))
        n_out, n_state = aux["n_out"], aux["n_state"]
        if needs_graph:
            flat = self._run_recorded(storage_arrays, lrs, seed, counter)
            outs = flat[:n_out]
            flat = [t._read() for t in flat]
        else:
            flat = self._jitted(storage_arrays, lrs, seed, counter)
            outs = [wrap(a) for a in flat[:n_out]]
        storages = self.storages
        for i, arr in zip(aux["changed"], flat[n_out:n_out + n_state]):
            st = storages[i][0]
            st.array = arr
            st.version += 1
        grads = iter(flat[n_out + n_state:])
        params = self.params
        for i, present in zip(aux["grad_updates"], aux["grad_present"]):
            params[i]._grad = wrap(next(grads)) if present else None
        R.default_generator._counter += aux["draws"]
        for sched, a, k in aux["scheduler_calls"]:
            type(sched).step(sched, *a, **k)
        leaves = list(aux["out_static"])
        for slot, t in zip(aux["out_slots"], outs):
            leaves[slot] = t
        return jax.tree_util.tree_unflatten(aux["out_tree"], leaves)

    def _run_recorded(self, storage_arrays, lrs, seed, counter):
        """Run the program and record it as one autograd node (the compiled forward of a module,
        say), so backward through its results reaches the parameters and input tensors. The
        node's gradient is ``jax.vjp`` of the whole program, compiled once per pattern of
        cotangents."""
        from .._ops.dispatch import Op, edge_of, outputs_of
        from ..autograd.graph import Node

        if getattr(self, "_op", None) is None:
            n = len(self.storages)
            self._op = Op("compiled_program", lambda *xs: self._pure(list(xs[:n]), list(xs[n:-2]), xs[-2], xs[-1]),
                          saves=(), grad_name="CompiledFunctionBackward")
            self._backward_programs = {}
        tensors = [b for _, b in self.storages]
        out = self._jitted(storage_arrays, lrs, seed, counter)
        diff = tuple(i for i, t in enumerate(tensors) if t._req or t._grad_fn is not None)
        inputs = tuple(storage_arrays) + tuple(lrs) + (seed, counter)
        node = Node(self._op.grad_name, [edge_of(tensors[i]) for i in diff], (), self._op, (), diff, inputs,
                    len(out), tuple((o.shape, o.dtype) for o in out))
        node._custom_apply = lambda grads, create_graph: self._backward(node, diff, grads, create_graph)
        return outputs_of(node, out)

    def _backward(self, node, diff, grads, create_graph):
        """Input gradients of a recorded run (``grads``: one per output, None where none arrived)."""
        from .._ops.dispatch import input_grads

        if create_graph:
            raise NotImplementedError("create_graph=True through a compiled function is not supported; call the "
                                      "function uncompiled for higher-order gradients")
        cts = tuple(None if g is None else (g._read() if isinstance(g, Tensor) else g) for g in grads)
        key = (diff, tuple(c is None for c in cts))
        program = self._backward_programs.get(key)
        if program is None:
            fn = self._op.fn

            def vjp(inputs, cts):
                return input_grads(fn, diff, True, inputs, cts)

            program = self._backward_programs[key] = jax.jit(vjp).trace(node._inputs, cts).lower().compile()
        return tuple(program(node._inputs, cts))

    def stats(self):
        """Op count, compile time, jaxpr, StableHLO and XLA's cost analysis of this program."""
        jaxpr = self.traced.jaxpr if self.traced is not None else None
        lowered = self.traced.lower() if self.traced is not None else None
        cost = self.compiled.cost_analysis() if self.compiled is not None else None
        if isinstance(cost, list):
            cost = cost[0] if cost else None
        return dict(op_count=_count_ops(jaxpr.jaxpr) if jaxpr is not None else 0, compile_seconds=self.compile_seconds,
                    jaxpr=str(jaxpr), stablehlo=lowered.as_text() if lowered is not None else "",
                    hlo=self.compiled.as_text() if self.compiled is not None else "", cost_analysis=cost)


def _count_ops(jaxpr):
    """Primitive operations in ``jaxpr``, counting inside nested jitted calls, not the calls."""
    n = 0
    for eqn in jaxpr.eqns:
        subs = [v for v in eqn.params.values() if hasattr(v, "eqns") or hasattr(v, "jaxpr")]
        if subs:
            n += sum(_count_ops(getattr(v, "jaxpr", v)) for v in subs)
        else:
            n += 1
    return n


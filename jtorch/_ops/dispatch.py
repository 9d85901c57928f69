"""The one op path.

Every tensor operation is an :class:`Op`: a pure function over JAX arrays, its static
(hashable, keyword) arguments, and autograd metadata. Calling an Op unwraps the tensors, runs
the function through a jit cache keyed on the static arguments (JAX keys shapes and dtypes),
records an autograd :class:`Node` when grad mode is on and an input requires grad, and wraps
the result. With grad, the forward is the same jitted call and the node keeps the input
arrays; backward evaluates ``jax.vjp`` of the same function inside jitted code (one call per
node, or one call for a whole graph, see ``autograd/fused.py``), where XLA removes whatever part
of the recomputed forward the gradient does not need. Derivatives therefore come from JAX; no
formula is written twice.

The same code runs when the arrays are JAX tracers (compiled mode): the jitted functions then
inline into the outer trace.
"""
import functools
import re

import jax
import jax.numpy as jnp
import numpy as np

from .._tensor import Tensor, wrap
from ..autograd.grad_mode import MODE
from ..autograd.graph import Node

__all__ = ["Op", "op", "edge_of", "input_grads", "outputs_of"]


def _camel(name):
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"_+", name.strip("_")))


def edge_of(t):
    """The (node, output_nr) an input tensor's gradient flows to."""
    gf = t._grad_fn
    if gf is not None:
        return (gf, t._out_nr)
    return (t._accumulator(), 0)


def outputs_of(node, outs):
    """Tensors for a recorded node's output arrays; the floating ones get ``node`` as grad_fn."""
    results = []
    for nr, o in enumerate(outs):
        t = wrap(o)
        if o.dtype.kind in "fcV":
            t._grad_fn = node
            t._out_nr = nr
        results.append(t)
    return results


class Op:
    """A tensor operation: ``fn(*arrays, **static) -> array | tuple of arrays``.

    Positional arguments are tensors or Python numbers (traced, so new values never
    recompile); keyword arguments are static and must be hashable.

    ``saves`` says which inputs PyTorch's backward keeps, for the in-place modification check:
    ``"inputs"`` (every tensor input), ``"others"`` (each differentiable input's partner, as
    for ``mul``), ``"out"`` (the result), ``"inputs+out"``, or ``()`` (nothing).
    ``differentiable=False`` never records a node (comparisons, argmax, integer ops).
    """

    __slots__ = ("name", "fn", "saves", "grad_name", "differentiable", "_fwd", "_bwd_ops")

    def __init__(self, name, fn, *, saves="inputs", grad_name=None, differentiable=True):
        self.name = name
        self.fn = fn
        self.saves = saves
        self.grad_name = grad_name or _camel(name) + "Backward0"
        self.differentiable = differentiable
        self._fwd = {}
        self._bwd_ops = {}

    def __repr__(self):
        return f"Op({self.name})"

    def __call__(self, *args, **static):
        key = tuple(static.items()) if static else ()
        grad = MODE.grad_enabled and self.differentiable
        arrays = []
        diff = ()
        for i, a in enumerate(args):
            if isinstance(a, Tensor):
                arrays.append(a._arr if a._ver == a._st.version else a._refresh())
                if grad and (a._grad_fn is not None or a._req):
                    diff += (i,)
            else:
                arrays.append(a)
        if diff:
            return self._record(args, arrays, key, diff)
        f = self._fwd.get(key)
        if f is None:
            f = self._fwd[key] = jax.jit(functools.partial(self.fn, **static))
        out = f(*arrays)
        if type(out) is tuple:
            return tuple(wrap(o) for o in out)
        return wrap(out)

    def raw(self, *arrays, **static):
        """Run the op on JAX arrays (no tensors, no autograd)."""
        key = tuple(static.items()) if static else ()
        f = self._fwd.get(key)
        if f is None:
            f = self._fwd[key] = jax.jit(functools.partial(self.fn, **static))
        return f(*arrays)

    def _record(self, args, arrays, key, diff):
        f = self._fwd.get(key)
        if f is None:
            f = self._fwd[key] = jax.jit(functools.partial(self.fn, **dict(key)))
        out = f(*arrays)
        multi = type(out) is tuple
        outs = out if multi else (out,)
        node = Node(self.grad_name, [edge_of(args[i]) for i in diff], (), self, key, diff, tuple(arrays),
                    len(outs), tuple((o.shape, o.dtype) for o in outs) if multi else None)
        results = outputs_of(node, outs)
        saves = self.saves
        if saves:
            saved = []
            if saves == "others":
                idx = [1 - i for i in diff if i < 2]
            elif "inputs" in saves:
                idx = range(len(args))
            else:
                idx = ()
            for i in idx:
                a = args[i]
                if isinstance(a, Tensor):
                    gf = a._grad_fn
                    saved.append((a._vc, a._vc[0], gf._name if gf is not None else None, a._out_nr, arrays[i]))
            if "out" in saves:
                for t in results:
                    saved.append((t._vc, 0, node._name, t._out_nr, t._arr))
            node._saved = tuple(saved)
        return tuple(results) if multi else results[0]

    def backward_op(self, key, diff, multi):
        """The Op computing this op's input gradients from its inputs and output cotangents.

        ``bop.raw(*inputs, *cotangents, n_in=len(inputs))`` is one backward step; calling
        ``bop`` on tensors records it (``create_graph=True``), so it can be differentiated again.
        Missing cotangents of a multi-output op may be None.
        """
        bk = (key, diff, multi)
        bop = self._bwd_ops.get(bk)
        if bop is None:
            fn = functools.partial(self.fn, **dict(key))

            def grads(*xs, n_in):
                return input_grads(fn, diff, multi, xs[:n_in], xs[n_in:])

            bop = self._bwd_ops[bk] = Op(self.name + "_backward", grads, grad_name=self.grad_name.replace(
                "Backward0", "BackwardBackward0"))
        return bop


def _zero_cotangent(out):
    if jax.dtypes.issubdtype(out.dtype, jax.numpy.inexact):
        return jax.numpy.zeros(out.shape, out.dtype)
    return np.zeros(out.shape, jax.dtypes.float0)


def input_grads(fn, diff, multi, inputs, cts):
    """Gradients of ``fn(*inputs)`` w.r.t. the inputs at ``diff`` for output cotangents ``cts``.

    Runs inside jitted code: the forward is recomputed in the same XLA program, which drops
    whatever part of it the gradient does not need.
    """
    def on_diff(*d):
        full = list(inputs)
        for i, x in zip(diff, d):
            full[i] = x
        return fn(*full)

    out, pb = jax.vjp(on_diff, *[inputs[i] for i in diff])
    if multi:
        cts = tuple(c if c is not None else _zero_cotangent(o) for c, o in zip(cts, out))
    else:
        cts = cts[0]
    if not any(jnp.iscomplexobj(c) for c in jax.tree_util.tree_leaves(cts)) and not any(
            jnp.iscomplexobj(inputs[i]) for i in diff):
        return tuple(pb(cts))
    # PyTorch's complex gradients are conjugate Wirtinger derivatives: conj(vjp(conj(ct))).
    return tuple(_conj(g) for g in pb(jax.tree_util.tree_map(_conj, cts)))


def _conj(x):
    return jnp.conj(x) if jnp.iscomplexobj(x) else x


def op(name=None, **meta):
    """Decorator: turn a pure jnp function into an :class:`Op` named after it."""
    def make(fn):
        return Op(name or fn.__name__.lstrip("_"), fn, **meta)
    return make

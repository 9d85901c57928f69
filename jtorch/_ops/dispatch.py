"""The one op path.

Every tensor operation is an :class:`Op`: a pure function over JAX arrays, its static
(hashable, keyword) arguments, and autograd metadata. Calling an Op unwraps the tensors, runs
the function through a jit cache keyed on the static arguments (JAX keys shapes and dtypes),
records an autograd :class:`Node` when grad mode is on and an input requires grad, and wraps
the result. With grad, the forward and ``jax.vjp`` run in one jitted call that returns the
output and the pullback's residuals, so backward is one more cached jitted call and nothing is
recomputed. Derivatives therefore come from JAX; no formula is written twice.

The same code runs when the arrays are JAX tracers (compiled mode): the jitted functions then
inline into the outer trace.
"""
import functools
import re

import jax

from .._tensor import Tensor, wrap
from ..autograd.grad_mode import MODE
from ..autograd.graph import Node

__all__ = ["Op", "op", "edge_of"]


def _camel(name):
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"_+", name.strip("_")))


def edge_of(t):
    """The (node, output_nr) an input tensor's gradient flows to."""
    gf = t._grad_fn
    if gf is not None:
        return (gf, t._out_nr)
    return (t._accumulator(), 0)


class Op:
    """A tensor operation: ``fn(*arrays, **static) -> array | tuple of arrays``.

    Positional arguments are tensors or Python numbers (traced, so new values never
    recompile); keyword arguments are static and must be hashable.

    ``saves`` says which inputs PyTorch's backward keeps, for the in-place modification check:
    ``"inputs"`` (every tensor input), ``"others"`` (each differentiable input's partner, as
    for ``mul``), ``"out"`` (the result), ``"inputs+out"``, or ``()`` (nothing).
    ``differentiable=False`` never records a node (comparisons, argmax, integer ops).
    """

    __slots__ = ("name", "fn", "saves", "grad_name", "differentiable", "_fwd", "_vjp", "_bwd_ops")

    def __init__(self, name, fn, *, saves="inputs", grad_name=None, differentiable=True):
        self.name = name
        self.fn = fn
        self.saves = saves
        self.grad_name = grad_name or _camel(name) + "Backward0"
        self.differentiable = differentiable
        self._fwd = {}
        self._vjp = {}
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

    def _vjp_fn(self, key, diff):
        f = self._vjp.get((key, diff))
        if f is None:
            fn = functools.partial(self.fn, **dict(key))

            def forward_and_pullback(*arrays):
                def on_diff(*d):
                    full = list(arrays)
                    for i, x in zip(diff, d):
                        full[i] = x
                    return fn(*full)
                return jax.vjp(on_diff, *[arrays[i] for i in diff])

            f = self._vjp[(key, diff)] = jax.jit(forward_and_pullback)
        return f

    def _record(self, args, arrays, key, diff):
        out, pb = self._vjp_fn(key, diff)(*arrays)
        multi = type(out) is tuple
        outs = out if multi else (out,)
        node = Node(self.grad_name, pb, tuple(edge_of(args[i]) for i in diff), (), self, key, diff,
                    tuple(arrays), len(outs), tuple((o.shape, o.dtype) for o in outs) if multi else None)
        results = []
        for nr, o in enumerate(outs):
            t = wrap(o)
            if o.dtype.kind in "fcV" or o.dtype.name == "bfloat16":
                t._grad_fn = node
                t._out_nr = nr
            results.append(t)
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

        Used when backward runs with ``create_graph=True``: the backward is then itself a
        recorded op, so it can be differentiated again.
        """
        bk = (key, diff, multi)
        bop = self._bwd_ops.get(bk)
        if bop is None:
            fn = functools.partial(self.fn, **dict(key))

            def grads(*xs, n_in):
                inputs, cts = xs[:n_in], xs[n_in:]

                def on_diff(*d):
                    full = list(inputs)
                    for i, x in zip(diff, d):
                        full[i] = x
                    return fn(*full)
                _, pb = jax.vjp(on_diff, *[inputs[i] for i in diff])
                return tuple(pb(tuple(cts) if multi else cts[0]))

            bop = self._bwd_ops[bk] = Op(self.name + "_backward", grads, grad_name=self.grad_name.replace(
                "Backward0", "BackwardBackward0"))
        return bop


def op(name=None, **meta):
    """Decorator: turn a pure jnp function into an :class:`Op` named after it."""
    def make(fn):
        return Op(name or fn.__name__.lstrip("_"), fn, **meta)
    return make

"""Run jtorch code as a pure function of JAX arrays, so it can be traced by ``jax.jit``.

This is the internal entry point the compiled mode builds on: tensors are created around the
(traced) input arrays, the user's ordinary eager code runs on them (ops, ``backward()``), and
the resulting arrays come back out. Nothing here is specific to tracing: the same function
runs eagerly when called with concrete arrays.
"""
import jax

from ._tensor import Tensor, wrap

__all__ = ["pure_function", "traced", "bound_arrays"]


def _to_arrays(x):
    if isinstance(x, Tensor):
        return x._read()
    if isinstance(x, (tuple, list)):
        if hasattr(x, "_fields"):
            return type(x)(*[_to_arrays(v) for v in x])
        return type(x)(_to_arrays(v) for v in x)
    if isinstance(x, dict):
        return {k: _to_arrays(v) for k, v in x.items()}
    return x


def pure_function(fn, requires_grad=None):
    """``fn(*tensors) -> tensors`` as ``f(*arrays) -> (outputs, input_grads)``.

    ``requires_grad`` (one bool per input) marks the inputs made leaves requiring grad; after
    ``fn`` runs (and calls ``backward`` itself if it wants), their ``.grad`` arrays are returned
    (None where no gradient arrived).
    """
    def pure(*arrays):
        tensors = []
        for i, a in enumerate(arrays):
            t = wrap(a)
            if requires_grad is not None and requires_grad[i]:
                t.requires_grad_(True)
            tensors.append(t)
        out = fn(*tensors)
        grads = tuple(t._grad._read() if t._grad is not None else None for t in tensors)
        return _to_arrays(out), grads
    return pure


def traced(fn, requires_grad=None, **jit_kwargs):
    """``jax.jit`` of :func:`pure_function`: the whole function, backward included, as one XLA program."""
    return jax.jit(pure_function(fn, requires_grad), **jit_kwargs)


class bound_arrays:
    """Context manager: the given tensors hold the given arrays (e.g. tracers) inside the block.

    Used to run a module's ordinary eager code on traced parameters; each tensor gets its own
    storage for the block, and its previous storage, array and ``.grad`` come back afterwards.
    """

    def __init__(self, tensors, arrays):
        self.tensors = list(tensors)
        self.arrays = list(arrays)

    def __enter__(self):
        from ._views import Storage

        self.saved = [(t._st, t._arr, t._ver, t._view, t._grad) for t in self.tensors]
        for t, a in zip(self.tensors, self.arrays):
            t._st = Storage(a)
            t._arr = a
            t._ver = 0
            t._view = None
            t._grad = None
        return self

    def __exit__(self, *exc):
        for t, (st, arr, ver, view, grad) in zip(self.tensors, self.saved):
            t._st, t._arr, t._ver, t._view, t._grad = st, arr, ver, view, grad

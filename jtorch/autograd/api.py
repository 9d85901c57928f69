"""``jtorch.autograd.backward`` and ``jtorch.autograd.grad``."""
import functools

import jax.numpy as jnp

from .._tensor import Tensor, wrap
from .engine import run_backward

__all__ = ["backward", "grad"]


@functools.lru_cache(maxsize=256)
def _ones(shape, dtype):
    """The implicit root gradient (JAX arrays are immutable, so one per shape and dtype suffices)."""
    return jnp.ones(shape, dtype)


def _as_list(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _root(t, g, who):
    if not t.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    if g is None:
        if t.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if not (t.dtype.is_floating_point or t.dtype.is_complex):
            raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {t.dtype!r}")
        g = wrap(_ones(tuple(t.shape), t._read().dtype))
    elif not isinstance(g, Tensor):
        from .._ops.creation import tensor

        g = tensor(g, dtype=t.dtype)
    if g.shape != t.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {g.shape} and output[0] has a shape of "
                           f"{t.shape}.")
    gf = t.grad_fn
    node, nr = (gf, t._out_nr) if gf is not None else (t._accumulator(), 0)
    return node, nr, g


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """Accumulate gradients of ``tensors`` into the ``.grad`` of graph leaves."""
    tensors = _as_list(tensors)
    grads = _as_list(grad_tensors if grad_tensors is not None else grad_variables) or [None] * len(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    roots = []
    for t, g in zip(tensors, grads):
        node, nr, g = _root(t, g, "backward")
        roots.append((node, nr, g if create_graph else g._read()))
    inputs = _as_list(inputs)
    if inputs is not None and not inputs:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    run_backward(roots, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Gradients of ``outputs`` w.r.t. ``inputs`` (a tuple), without touching ``.grad``."""
    outputs = _as_list(outputs)
    single = isinstance(inputs, Tensor)
    inputs = _as_list(inputs)
    grads = _as_list(grad_outputs) or [None] * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots = []
    for t, g in zip(outputs, grads):
        node, nr, g = _root(t, g, "grad")
        roots.append((node, nr, g if create_graph else g._read()))
    result = run_backward(roots, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs,
                          accumulate=False)
    out = []
    for t, g in zip(inputs, result):
        if g is None:
            if materialize_grads:
                from .._ops.creation import zeros_like

                g = zeros_like(t)
            elif not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been used in the graph. "
                                   "Set allow_unused=True if this is the desired behavior.")
        elif not create_graph:
            g = g.detach()
        out.append(g)
    return tuple(out)

